"""Every field an export can send, and every kind of record it previews, has a title in words."""

from __future__ import annotations

from dataclasses import fields

from passerelle.flows.customer_mapping import ALWAYS_WRITTEN, POLICY_FIELDS
from passerelle.flows.field_titles import FIELD_TITLES, KIND_TITLES, field_title, kind_title
from passerelle.flows.sent import sent_fields
from passerelle.i18n import using
from passerelle.model import Customer, ProductDraft, ShopCategory
from passerelle.model.catalogue import CustomerGroup
from passerelle.runner.preview import PREVIEWABLE

# The contents of the exports' candidates (Candidate.content): a candidate's ``fields``
# names some of these, or none, and then every one of them is compared.
CONTENTS = (ProductDraft, ShopCategory, Customer, CustomerGroup)
# The binding kinds the previewable exports send under.
KINDS = ("product", "category", "price", "stock", "customer", "customer_group")


def test_every_field_a_candidate_can_name_has_a_title() -> None:
    named = {f.name for content in CONTENTS for f in fields(content)}
    named |= set(ALWAYS_WRITTEN) | {f for group in POLICY_FIELDS.values() for f in group}
    named |= set(sent_fields("9.90", None))  # a content that is one value
    assert named - set(FIELD_TITLES) == set()


def test_every_kind_a_preview_shows_has_a_title() -> None:
    assert set(KINDS) <= set(KIND_TITLES)
    assert len(PREVIEWABLE) == 5  # a new export names its kind here too


def test_titles_are_words_in_both_languages() -> None:
    for name in FIELD_TITLES:
        english = field_title(name)
        with using("fr"):
            french = field_title(name)
        assert english != name and french != name, name
    with using("fr"):
        assert field_title("regular_price") == "Prix"
        assert kind_title("customer_group") == "Groupe de clients"
    assert field_title("not_a_field") == "not_a_field"
