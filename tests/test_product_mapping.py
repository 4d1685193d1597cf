"""The pure catalogue rules: variants, texts, categories from fields, drafts, policies."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passerelle.flows.product_mapping.categories import field_categories
from passerelle.flows.product_mapping.drafts import DraftBuilder, DraftProblem, ShopFacts
from passerelle.flows.product_mapping.policy import update_fields
from passerelle.flows.product_mapping.texts import as_html
from passerelle.flows.product_mapping.variants import group_items
from passerelle.model import Item, KitComponent, MediaRef, ProductDraft, ProductTexts
from passerelle.profiles.catalogue_options import CatalogueOptions

AXES = [("Couleur", "attr:colour"), ("Taille", "attr:size")]


def item(code: str, **values: object) -> Item:
    attributes = {k: v for k, v in values.items() if k not in Item.__dataclass_fields__}
    fields = {k: v for k, v in values.items() if k in Item.__dataclass_fields__}
    fields.setdefault("name", f"Article {code}")
    fields.setdefault("sale_price", Decimal("10"))
    return Item(source_id=f"id-{code}", code=code, attributes=attributes, **fields)


# ------------------------------------------------------------------ variants
def test_four_colours_sharing_a_master_reference_are_one_product_with_four_variations() -> None:
    colours = {"TSH-RED": "Rouge", "TSH-GREEN": "Vert", "TSH-YELLOW": "Jaune", "TSH-BLUE": "Bleu"}
    items = [item(code, master="TSH-001", colour=c) for code, c in colours.items()]
    items.append(item("MUG-001"))
    groups, singles, problems = group_items(
        items, master_field="attr:master", axes=AXES[:1], from_templates=True
    )
    assert [i.code for i in singles] == ["MUG-001"] and problems == []
    (group,) = groups
    assert group.sku == "TSH-001" and group.axes == ("Couleur",)
    assert [i.code for i in group.items] == list(colours)
    assert group.axis_options() == [tuple(colours.values())]
    assert group.missing_combinations() == []


def test_a_missing_combination_is_named_by_its_options() -> None:
    items = [
        item("APR-RS", master="APR-100", colour="Rouge", size="S"),
        item("APR-RM", master="APR-100", colour="Rouge", size="M"),
        item("APR-BS", master="APR-100", colour="Bleu", size="S"),
    ]
    (group,), _singles, _problems = group_items(
        items, master_field="attr:master", axes=AXES, from_templates=False
    )
    assert group.missing_combinations() == [("Bleu", "M")]


def test_items_that_cannot_be_variations_are_reported_with_what_to_fill_in() -> None:
    items = [
        item("A1", master="A", colour="Rouge", size="S"),
        item("A2", master="A", colour="Rouge"),  # no size
        item("A3", master="A", colour="Rouge", size="S"),
    ]  # same as A1
    (group,), singles, problems = group_items(
        items, master_field="attr:master", axes=AXES, from_templates=False
    )
    assert [i.code for i in group.items] == ["A1"] and singles == []
    reasons = {p.item.code: p.reason for p in problems}
    assert "no value for Taille" in reasons["A2"] and "attr:size" in reasons["A2"]
    assert "same options" in reasons["A3"] and "A1" in reasons["A3"]


def test_a_template_with_several_variants_is_told_apart_by_the_field_that_differs() -> None:
    common = {"template_id": "7", "variant_count": 3, "material": "cire"}
    items = [
        item("CND-LAV", scent="Lavande", **common),
        item("CND-VAN", scent="Vanille", **common),
        item("CND-FIG", scent="Figue", **common),
    ]
    (group,), singles, problems = group_items(
        items, master_field=None, axes=AXES, from_templates=True
    )
    assert group.sku == "CND" and group.axes == ("Scent",) and not singles and not problems
    assert group.axis_options() == [("Lavande", "Vanille", "Figue")]


# --------------------------------------------------------------------- texts
def test_plain_text_becomes_escaped_paragraphs_and_html_is_kept() -> None:
    assert as_html("Inox 18/10\nLavable\n\n5 < 6 & plus") == (
        "<p>Inox 18/10<br>Lavable</p><p>5 &lt; 6 &amp; plus</p>"
    )
    assert as_html("<p>Déjà <b>HTML</b></p>") == "<p>Déjà <b>HTML</b></p>"
    assert as_html("<p>x</p>", "text") == "<p>&lt;p&gt;x&lt;/p&gt;</p>"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("  5 < 6 & plus  ", "<p>5 &lt; 6 &amp; plus</p>"),  # one line: one paragraph
        (" \t ", ""),  # blank: nothing
        ("a\rb", "<p>a\rb</p>"),  # a carriage return alone breaks no line
        ("a\r\n\r\nb", "<p>a</p><p>b</p>"),
        ("'quoted' \"too\"", "<p>'quoted' \"too\"</p>"),  # quotes are left as they are
    ],
)
def test_a_text_of_one_line_is_one_paragraph(text: str, shown: str) -> None:
    assert as_html(text, "text") == as_html(text) == shown


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_plain_text_survives_the_html_conversion(text: str) -> None:
    converted = as_html(text, "text")
    shown = html.unescape(re.sub(r"<br>", "\n", re.sub(r"</?p>", "\n", converted)))
    assert [line.strip() for line in shown.splitlines() if line.strip()] == [
        line.strip() for line in text.replace("\r\n", "\n").splitlines() if line.strip()
    ]
    assert "<" not in re.sub(r"</?p>|<br>", "", converted)


# ---------------------------------------------------------------- categories
def test_fields_form_a_hierarchy_that_stops_at_the_first_empty_field() -> None:
    items = [
        item("A", family="Cuisine", subfamily="Poêles"),
        item("B", family="Cuisine", subfamily="Couteaux"),
        item("C", family="Cuisine"),
        item("D"),
    ]
    categories, of_item = field_categories(items, ["attr:family", "attr:subfamily"])
    tree = {c.source_id: (c.name, c.parent_id) for c in categories}
    assert tree == {
        "path:Cuisine": ("Cuisine", None),
        "path:Cuisine > Poêles": ("Poêles", "path:Cuisine"),
        "path:Cuisine > Couteaux": ("Couteaux", "path:Cuisine"),
    }
    assert of_item == {
        "id-A": ("path:Cuisine > Poêles",),
        "id-B": ("path:Cuisine > Couteaux",),
        "id-C": ("path:Cuisine",),
        "id-D": (),
    }


# ------------------------------------------------------------------- policies
def test_keep_policies_leave_their_fields_out_of_updates() -> None:
    every = update_fields({})
    assert {"name", "description", "regular_price", "images"} <= every
    assert not {"stock_quantity", "manage_stock", "hidden", "active"} & every
    kept = update_fields({"name": "keep", "seo": "keep", "stock": "overwrite"})
    assert not {"name", "seo_title", "seo_description", "seo_keywords"} & kept
    assert {"stock_quantity", "manage_stock", "description"} <= kept


# --------------------------------------------------------------------- drafts
def builder(facts: ShopFacts | None = None, **options: object) -> DraftBuilder:
    return DraftBuilder(
        CatalogueOptions.model_validate(options), facts or ShopFacts(), lambda _item: "standard"
    )


@given(
    st.decimals(min_value=0, max_value=10**6, places=4),
    st.decimals(min_value=0, max_value=10**6, places=4),
    st.integers(0, 4),
)
def test_prices_round_half_up_and_a_promotion_only_when_lower(
    price: Decimal, promo: Decimal, decimals: int
) -> None:
    draft = builder(prices={"decimals": decimals, "promotion_price_list": "Soldes"}).simple(
        item("A", sale_price=price, group_prices=(("Soldes", promo), ("Pros", price))), active=True
    )
    step = Decimal(1).scaleb(-decimals)
    assert draft.regular_price == price.quantize(step, rounding="ROUND_HALF_UP")
    rounded_promo = promo.quantize(step, rounding="ROUND_HALF_UP")
    assert draft.sale_price == (rounded_promo if rounded_promo < draft.regular_price else None)
    assert draft.group_prices == ()  # group prices only when asked


def test_group_prices_features_details_and_translations() -> None:
    options = {
        "prices": {"group_prices": True, "purchase_price": True, "ecotax_field": "attr:ecotax"},
        "details": {
            "features": {"Matière": "attr:material", "Origine": "attr:origin"},
            "brand_field": "attr:brand",
            "min_quantity_field": "attr:min_qty",
            "weight_field": "attr:gross_weight",
            "supplier": True,
        },
        "texts": {"seo_title": "attr:seo_title", "slug": "code"},
        "languages": {"fr": "en", "de": "de"},
    }
    source = item(
        "POT-001",
        group_prices=(("Revendeurs", Decimal("19.92")), ("Professionnels", Decimal("22.41"))),
        cost_price=Decimal("12.45"),
        ecotax=Decimal("0.15"),
        material="Inox",
        brand="Cuisinox",
        min_qty=2,
        gross_weight=Decimal("1.05"),
        seo_title="Casserole",
        supplier="Fonderie du Nord",
        supplier_code="FDN-1",
        translations=(ProductTexts("de", "Kochtopf", "Edelstahl"),),
    )
    draft = builder(**options).simple(source, active=True)
    assert draft.group_prices == (
        ("Professionnels", Decimal("22.41")),
        ("Revendeurs", Decimal("19.92")),
    )
    assert (draft.cost_price, draft.ecotax, draft.min_quantity, draft.weight) == (
        Decimal("12.45"),
        Decimal("0.15"),
        Decimal("2"),
        Decimal("1.05"),
    )
    assert [(a.name, a.options, a.variation) for a in draft.attributes] == [
        ("Matière", ("Inox",), False)
    ]  # no origin on this item: no empty feature
    assert (draft.brand, draft.seo_title, draft.slug) == ("Cuisinox", "Casserole", "POT-001")
    assert (draft.supplier, draft.supplier_reference) == ("Fonderie du Nord", "FDN-1")
    assert draft.translations == (ProductTexts("de", "Kochtopf", "<p>Edelstahl</p>"),)
    main_only = builder(**{**options, "all_languages": False}).simple(source, active=True)
    assert main_only.translations == ()


def test_a_number_field_holding_text_is_a_problem_naming_item_and_field() -> None:
    with pytest.raises(DraftProblem, match=r"item A: field attr:ecotax holds 'deux'"):
        builder(prices={"ecotax_field": "attr:ecotax"}).simple(
            item("A", ecotax="deux"), active=True
        )


def test_categories_extra_by_name_or_id_default_when_none() -> None:
    facts = ShopFacts(
        category_ids={"c1": "11"},
        item_categories={"id-A": ("c1",)},
        category_by_name={"promotions": "40", "divers": "41"},
    )
    options = {"categories": {"extra_field": "attr:extra", "default": "Divers"}}
    made = builder(facts, **options)
    assert made.simple(item("A", extra="Promotions, 52"), active=True).category_ids == (
        "11",
        "40",
        "52",
    )
    assert made.simple(item("B"), active=True).category_ids == ("41",)
    with pytest.raises(DraftProblem, match="extra category 'Soldes' is not in the shop"):
        made.simple(item("C", extra="Soldes"), active=True)


def test_packs_and_related_products_wait_for_references_not_in_the_shop_yet() -> None:
    facts = ShopFacts(product_ids={"TEA-001": "5", "CUP-001": "6"})
    made = builder(facts, details={"related_field": "attr:related"})
    kit = (
        KitComponent("TEA-001", Decimal(1)),
        KitComponent("TEA-002", Decimal(1)),
        KitComponent("CUP-001", Decimal(2)),
    )
    draft = made.simple(item("KIT-TEA", kit=kit, related="CUP-001, NEW-1"), active=True)
    assert draft.kind == "grouped" and draft.grouped_ids == ("5", "6")
    assert draft.upsell_ids == ("6",)
    assert sorted(made.waiting["id-KIT-TEA"]) == ["NEW-1", "TEA-002"]


def test_variations_and_their_parent() -> None:
    image = MediaRef("abc-red.png", "https://cdn/abc-red.png", "abc")
    items = [
        item("TSH-RED", master="TSH-001", colour="Rouge", name="T-shirt coton"),
        item(
            "TSH-BLUE",
            master="TSH-001",
            colour="Bleu",
            name="T-shirt coton",
            sale_price=Decimal("12"),
        ),
    ]
    (group,), _s, _p = group_items(
        items, master_field="attr:master", axes=AXES[:1], from_templates=False
    )
    facts = ShopFacts(images={"id-TSH-BLUE": (image,)}, quantities={"id-TSH-RED": 3})
    made = builder(facts)
    red, blue = (made.variation(group, i, active=True) for i in items)
    assert (red.kind, red.variation_options, red.stock_quantity) == (
        "variation",
        (("Couleur", "Rouge"),),
        3,
    )
    assert (blue.regular_price, blue.images) == (Decimal("12.00"), (image,))
    parent = made.parent(group, made.simple(items[0], active=True), active=True)
    assert (parent.sku, parent.kind, parent.manage_stock) == ("TSH-001", "variable", False)
    assert parent.attributes[0].options == ("Rouge", "Bleu") and parent.attributes[0].variation
    assert parent.images == (image,)  # C18: the first variation with a picture
    no_image = builder(facts, variants={"parent_image_from_variant": False})
    assert no_image.parent(group, made.simple(items[0], active=True), active=True).images == ()


def test_every_draft_field_is_known_to_the_policy_or_always_written() -> None:
    assert set(update_fields({})) | {"stock_quantity", "manage_stock", "hidden", "active"} == set(
        ProductDraft.FIELDS
    )
