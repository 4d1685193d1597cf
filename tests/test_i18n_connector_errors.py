"""A connector's error reaches a French merchant in French, the shop's own words kept.

Connectors word their errors as catalogue messages (``M_``); a flow keeps them
in journal lines and problem reasons with :func:`passerelle.i18n.messages.said`,
so each reader sees them in their language while ``str()`` stays English for logs.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from passerelle.connectors.base import CustomerWrite, WriteOutcome
from passerelle.connectors.errors import (
    AuthenticationError,
    RecordError,
    RetriableError,
    ShopUnreachable,
)
from passerelle.connectors.http import HttpOptions, RetryingClient
from passerelle.connectors.kit.fields import value
from passerelle.connectors.reading import read_record
from passerelle.connectors.tryton.items import _account_category
from passerelle.flows.refusals import listed
from passerelle.i18n.messages import M_, render, said
from passerelle.model import Customer
from tests.test_customer_flows import (  # noqa: F401 - world is the fixture
    EXPORT,
    PROSPECTS,
    World,
    _customer,
    _shop_customer,
    world,
)


def _client(handler: Any) -> RetryingClient:
    return RetryingClient(
        base_url="https://shop.example/api/",
        platform="Shop",
        options=HttpOptions(max_tries=1, backoff_base=0.01, backoff_max=1),
        sleep=lambda _seconds: None,
        transport=httpx.MockTransport(handler),
    )


def test_a_refused_field_is_said_in_french_and_logged_in_english() -> None:
    with pytest.raises(RecordError) as caught:
        value("total", Decimal)({"total": "abc"})
    assert str(caught.value).startswith("the field 'total' holds 'abc', which is not valid")
    assert render(said(caught.value), "fr").startswith(
        "le champ 'total' contient 'abc', qui n'est pas valide : "
    )


def test_a_record_missing_a_field_is_said_in_french() -> None:
    def read() -> None:
        raise KeyError("sku")

    with pytest.raises(RecordError) as caught:
        read_record("7", read)
    assert render(said(caught.value), "fr") == (
        "le champ 'sku' manque ; vérifiez cet enregistrement dans la boutique"
    )


def test_the_shops_refusal_keeps_its_own_words_in_a_french_sentence() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"code": "bad_sku", "message": "Invalid SKU."})

    with pytest.raises(RecordError) as caught:
        _client(handler).request("POST", "products", json_body={}, what="product AR1")
    french = render(said(caught.value), "fr")
    assert french == "Shop a refusé product AR1 : Invalid SKU. [bad_sku]"
    assert "Shop refused product AR1" in str(caught.value)


def test_refused_credentials_say_what_to_check_in_french() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"message": "Unauthorized"})

    with pytest.raises(AuthenticationError) as caught:
        _client(handler).request("GET", "orders")
    assert render(said(caught.value), "fr").endswith(
        "Vérifiez les identifiants d'API du profil et leurs droits."
    )


def test_an_unreachable_shop_and_a_slow_one_are_said_in_french() -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(ShopUnreachable) as unreachable:
        _client(refused).request("GET", "orders")
    assert "est injoignable (Connection refused)" in render(said(unreachable.value), "fr")
    with pytest.raises(RetriableError) as timeout:
        _client(slow).request("GET", "orders", what="the orders")
    assert render(said(timeout.value), "fr").startswith("Shop n'a pas répondu en ")


def test_a_tax_missing_in_tryton_is_said_in_french() -> None:
    pool = SimpleNamespace(get=lambda _model: SimpleNamespace(search=lambda *_a, **_k: []))
    with pytest.raises(RecordError) as caught:
        _account_category(pool, "TVA 20", M_("item %(code)s", code="'AR1'"))
    assert render(said(caught.value), "fr").startswith(
        "article 'AR1' : la taxe 'TVA 20' n'existe pas dans Tryton (Comptabilité › Taxes)"
    )


def test_a_refusal_in_a_run_reads_in_french_in_the_journal_and_the_problems(
    world: World,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(customer: Customer, **_options: object) -> Customer:
        return value("email", lambda _found: (_ for _ in ()).throw(ValueError("no @")))(
            {"email": customer.email}
        )

    monkeypatch.setattr(world.backoffice, "upsert_customer", refuse)
    profile = world.profile(
        customers={"prospects_since": "2025-01-01", "prospect_category": "Prospects"}
    )
    world.shop.shop_customers = [_shop_customer("42", "new@example.org")]
    summary = world.run(PROSPECTS, profile)
    (line,) = [
        line for line in world.store.journal(summary.run_id) if "email" in line.text_in("en")
    ]
    assert "the field 'email' holds 'new@example.org', which is not valid" in line.text_in("en")
    assert "le champ 'email' contient 'new@example.org', qui n'est pas valide" in line.text_in("fr")
    (problem,) = world.store.parked(profile.name, PROSPECTS)
    assert "le champ 'email' contient" in problem.reason_in("fr")
    assert "the field 'email' holds" in problem.reason


def test_a_run_refused_by_its_profile_says_why_in_french(world: World) -> None:  # noqa: F811
    summary = world.run(PROSPECTS)
    assert summary.status == "failed"
    assert "import-prospects needs customers.prospects_since" in (summary.error or "")
    stopped = [line.text_in("fr") for line in world.store.journal(summary.run_id)]
    assert any(
        "import-prospects a besoin de customers.prospects_since dans le profil" in text
        for text in stopped
    ), stopped


def test_a_refusal_listing_what_to_fix_keeps_one_line_each_in_french() -> None:
    refusal = listed(
        M_("import refused (create them, or change the profile):"),
        [
            M_(
                "catalogue.reverse.default_tax: tax %(tax)s does not exist in the back-office",
                tax="'TVA'",
            ),
            M_("shop product %(id)s %(name)s", id="7", name="'Mug'"),
        ],
    )
    assert refusal.render("fr") == (
        "import refusé (créez-les, ou modifiez le profil) :\n"
        "  - catalogue.reverse.default_tax : la taxe 'TVA' n'existe pas dans la gestion "
        "commerciale\n"
        "  - produit de la boutique 7 'Mug'"
    )
    assert refusal.english.startswith("import refused (create them, or change the profile):\n  - ")


def test_a_write_the_shop_refused_reads_in_french_in_the_export_journal(
    world: World,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refusal = RecordError(
        M_(
            "%(platform)s refused %(request)s: %(message)s",
            platform="Shop",
            request="C1",
            message="Bad e-mail.",
        )
    )

    def refuse(writes: list[CustomerWrite]) -> list[WriteOutcome]:
        return [WriteOutcome(write.key, error=said(refusal)) for write in writes]

    monkeypatch.setattr(world.shop, "write_customers", refuse)
    world.backoffice.customers["C1"] = _customer("C1", "c1@example.org")
    summary = world.run(EXPORT)
    lines = world.store.journal(summary.run_id)
    assert any("Shop refused C1: Bad e-mail." in line.text_in("en") for line in lines)
    assert any("Shop a refusé C1 : Bad e-mail." in line.text_in("fr") for line in lines)
    outcome = WriteOutcome("k", error=said(refusal))
    assert outcome.error == "Shop refused C1: Bad e-mail." and not outcome.ok
