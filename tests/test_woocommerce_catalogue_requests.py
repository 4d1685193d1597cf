"""What the WooCommerce connector writes and reads for the catalogue and customers.

Against the sandbox, request by request: which fields a write carries (C15
keep policy), where variations go, how images are sent, kept and mapped back
to digests (C7), translations through WPML (C20), the reverse catalogue read
(C21) and customer accounts (K1–K8).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import (
    CustomerWrite,
    GroupWrite,
    NewAccountOptions,
    ProductWrite,
)
from passerelle.connectors.errors import RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.connectors.woocommerce.translate_shop_products import shop_product_from_wire
from passerelle.model import (
    Address,
    Customer,
    CustomerGroup,
    MediaRef,
    ProductAttribute,
    ProductDraft,
    ProductTexts,
)
from passerelle.sandbox.woocommerce import WooSandbox
from tests.sandbox.file_server import FileServer, serve_files

API = "/wp-json/wc/v3"
PNG_A = b"\x89PNG\r\n\x1a\n" + b"image-a" * 30
PNG_B = b"\x89PNG\r\n\x1a\n" + b"image-b" * 30


@pytest.fixture(scope="module")
def files() -> Iterator[FileServer]:
    with serve_files({"/m/a.png": PNG_A, "/m/b.png": PNG_B, "/m/hand.png": PNG_A[::-1]}) as fs:
        yield fs


def _shop(sandbox: WooSandbox) -> WooCommerceShop:
    return WooCommerceShop(
        sandbox.url, "ck_demo", "cs_demo", options=HttpOptions(verify=sandbox.ca_bundle)
    )


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[WooSandbox]:
    with WooSandbox(tmp_path / "shop.json", cert_dir=tmp_path / "certs", seed=False) as sb:
        yield sb


@pytest.fixture()
def shop(sandbox: WooSandbox) -> Iterator[WooCommerceShop]:
    with _shop(sandbox) as connector:
        yield connector


def _meta(record: dict) -> dict:
    return {m["key"]: m["value"] for m in record["meta_data"]}


def _image(files: FileServer, path: str, name: str) -> MediaRef:
    return MediaRef(name=name, url=files.url(path), digest=files.sha256(path))


def _draft(files: FileServer, **extra: object) -> ProductDraft:
    values: dict = dict(
        sku="MUG-1",
        name="Mug",
        regular_price=Decimal("9.90"),
        description="<p>Un mug</p>",
        short_description="Mug court",
        sale_price=Decimal("7.50"),
        weight=Decimal("0.35"),
        length=Decimal("10"),
        width=Decimal("8"),
        height=Decimal("12"),
        barcode="3760000000017",
        seo_title="Mug SEO",
        seo_description="desc SEO",
        seo_keywords="mug",
        group_prices=(("Pro", Decimal("6.00")),),
        cost_price=Decimal("3.10"),
        ecotax=Decimal("0.05"),
        min_quantity=Decimal("2"),
        brand="Maison",
        warranty="2 ans",
        supplier="Céramiques SA",
        supplier_reference="CER-77",
        attributes=(ProductAttribute("Matière", ("grès",)),),
        hidden=True,
        images=(_image(files, "/m/a.png", "mug-a"), _image(files, "/m/b.png", "mug-b")),
        documents=(MediaRef("notice", "https://files.example/notice.pdf", "d1"),),
        stock_quantity=4,
    )
    values.update(extra)
    return ProductDraft(**values)


def test_a_new_product_carries_every_field_in_one_request(
    sandbox: WooSandbox, shop: WooCommerceShop, files: FileServer
) -> None:
    draft = _draft(files)
    sandbox.reset_requests()
    [outcome] = shop.write_products([ProductWrite("i1", draft)])
    assert sandbox.requests == [("POST", f"{API}/products/batch")]
    assert outcome.ok and outcome.created
    product = sandbox.data.products[int(outcome.shop_id or 0)]
    assert (product["type"], product["sale_price"], product["catalog_visibility"]) == (
        "simple",
        "7.50",
        "hidden",
    )
    assert product["dimensions"] == {"length": "10", "width": "8", "height": "12"}
    assert product["global_unique_id"] == "3760000000017"
    assert _meta(product) == {
        "_yoast_wpseo_title": "Mug SEO",
        "_yoast_wpseo_metadesc": "desc SEO",
        "_yoast_wpseo_focuskw": "mug",
        "passerelle_group_prices": [{"group": "Pro", "price": "6.00"}],
        "passerelle_cost_price": "3.10",
        "passerelle_ecotax": "0.05",
        "minimum_allowed_quantity": "2",
        "passerelle_warranty": "2 ans",
        "passerelle_supplier": "Céramiques SA",
        "passerelle_supplier_reference": "CER-77",
        "passerelle_documents": [{"name": "notice", "url": "https://files.example/notice.pdf"}],
    }
    assert [
        (a["name"], a["options"], a["visible"], a["variation"]) for a in product["attributes"]
    ] == [("Matière", ["grès"], True, False), ("Brand", ["Maison"], True, False)]
    # C7: the shop downloaded both files; their attachment ids come back by digest.
    assert {d for _url, d in sandbox.downloads} == {
        files.sha256("/m/a.png"),
        files.sha256("/m/b.png"),
    }
    assert outcome.media_ids == {
        files.sha256("/m/a.png"): str(product["images"][0]),
        files.sha256("/m/b.png"): str(product["images"][1]),
    }


def test_an_update_writes_only_the_listed_fields(
    sandbox: WooSandbox, shop: WooCommerceShop, files: FileServer
) -> None:
    [created] = shop.write_products([ProductWrite("i1", _draft(files, images=()))])
    product_id = int(created.shop_id or 0)
    # The merchant edits the description and the warranty by hand in the shop.
    with _shop(sandbox) as other:
        other.client.put(
            f"products/{product_id}",
            {
                "description": "à la main",
                "meta_data": [{"key": "passerelle_warranty", "value": "5 ans"}],
            },
        )
    changed = _draft(
        files,
        images=(),
        regular_price=Decimal("11.00"),
        description="new",
        warranty="3 ans",
        cost_price=Decimal("4.00"),
    )
    sandbox.reset_requests()
    [outcome] = shop.write_products(
        [ProductWrite("i1", changed, created.shop_id, frozenset({"regular_price", "cost_price"}))]
    )
    assert outcome.ok and not outcome.created
    assert sandbox.requests == [("POST", f"{API}/products/batch")]
    product = sandbox.data.products[product_id]
    assert product["regular_price"] == "11.00" and product["description"] == "à la main"
    assert _meta(product)["passerelle_warranty"] == "5 ans"
    assert _meta(product)["passerelle_cost_price"] == "4.00"
    # A kind change is written with the type when asked.
    shop.write_products(
        [
            ProductWrite(
                "i1",
                _draft(files, images=(), kind="variable"),
                created.shop_id,
                frozenset({"kind"}),
            )
        ]
    )
    assert sandbox.data.products[product_id]["type"] == "variable"


def test_variations_go_under_their_parent_with_composite_ids(
    sandbox: WooSandbox, shop: WooCommerceShop, files: FileServer
) -> None:
    parent = _draft(
        files,
        sku="TS",
        name="T-shirt",
        kind="variable",
        images=(),
        attributes=(ProductAttribute("Taille", ("S", "M"), variation=True),),
    )
    [made] = shop.write_products([ProductWrite("p", parent)])
    pid = made.shop_id
    variations = [
        ProductDraft(
            sku=f"TS-{size}",
            name=f"T-shirt {size}",
            kind="variation",
            regular_price=Decimal("12.00"),
            variation_options=(("Taille", size),),
            images=(_image(files, "/m/a.png", f"ts-{size}"),),
        )
        for size in ("S", "M")
    ]
    simple = ProductDraft(sku="CAP", name="Casquette", regular_price=Decimal("5.00"))
    sandbox.reset_requests()
    outcomes = shop.write_products(
        [
            ProductWrite("v1", variations[0], parent_shop_id=pid),
            ProductWrite("s", simple),
            ProductWrite("v2", variations[1], parent_shop_id=pid),
        ]
    )
    assert Counter(sandbox.requests) == Counter(
        {
            ("POST", f"{API}/products/batch"): 1,
            ("POST", f"{API}/products/{pid}/variations/batch"): 1,
        }
    )
    v1, s, v2 = outcomes
    assert v1.shop_id and v1.shop_id.startswith(f"{pid}/") and "/" not in (s.shop_id or "/")
    variation = sandbox.data.variations[int(v1.shop_id.partition("/")[2])]
    assert variation["attributes"] == [{"id": 0, "name": "Taille", "option": "S"}]
    assert v1.media_ids == {files.sha256("/m/a.png"): str(variation["image"])}
    product = sandbox.data.products[int(pid or 0)]
    assert product["type"] == "variable" and product["attributes"][0]["variation"] is True
    # Found back by SKU as "<parent>/<variation>", and updated through that id.
    assert shop.find_products_by_sku(["TS-M", "CAP"]) == {"TS-M": v2.shop_id, "CAP": s.shop_id}
    sandbox.reset_requests()
    [again] = shop.write_products(
        [ProductWrite("v2", variations[1], v2.shop_id, frozenset({"regular_price"}))]
    )
    assert again.ok and again.shop_id == v2.shop_id
    assert sandbox.requests == [("POST", f"{API}/products/{pid}/variations/batch")]


def test_many_skus_find_variations_too(
    sandbox: WooSandbox, shop: WooCommerceShop, files: FileServer
) -> None:
    [parent] = shop.write_products(
        [
            ProductWrite(
                "p", ProductDraft(sku="TS", name="T-shirt", kind="variable", regular_price=None)
            )
        ]
    )
    drafts = [
        ProductDraft(
            sku=f"TS-{n}",
            name="v",
            kind="variation",
            regular_price=Decimal(1),
            variation_options=(("Taille", str(n)),),
        )
        for n in range(7)
    ]
    written = shop.write_products(
        [ProductWrite(d.sku, d, parent_shop_id=parent.shop_id) for d in drafts]
    )
    sandbox.reset_requests()
    found = shop.find_products_by_sku([d.sku for d in drafts] + ["TS", "NOPE"])
    assert found == {"TS": parent.shop_id} | {o.key: o.shop_id for o in written}
    # One catalogue page, then the missing SKUs in one comma-list request.
    assert sandbox.requests == [("GET", f"{API}/products"), ("GET", f"{API}/products")]


def test_keep_other_images_reads_once_per_hundred_and_keeps_hand_images(
    sandbox: WooSandbox, shop: WooCommerceShop, files: FileServer
) -> None:
    # Each its own barcode: the shop keeps ``global_unique_id`` unique.
    drafts = [
        _draft(
            files,
            sku=f"K{n}",
            barcode=f"376000000010{n}",
            images=(_image(files, "/m/a.png", f"k{n}-a"),),
        )
        for n in range(3)
    ]
    made = shop.write_products([ProductWrite(d.sku, d) for d in drafts])
    with _shop(sandbox) as other:  # the merchant adds a photo to each product
        for outcome in made:
            current = other.client.get(f"products/{outcome.shop_id}")["images"]
            other.client.put(
                f"products/{outcome.shop_id}",
                {
                    "images": [{"id": i["id"]} for i in current]
                    + [{"src": files.url("/m/hand.png"), "name": "hand"}]
                },
            )
    updated = [
        _draft(
            files,
            sku=d.sku,
            images=(
                MediaRef(
                    d.images[0].name,
                    d.images[0].url,
                    d.images[0].digest,
                    shop_id=o.media_ids[d.images[0].digest],
                ),
                _image(files, "/m/b.png", f"{d.sku}-b"),
            ),
        )
        for d, o in zip(drafts, made, strict=True)
    ]
    sandbox.reset_requests()
    outcomes = shop.write_products(
        [
            ProductWrite(d.sku, d, o.shop_id, frozenset({"images"}), keep_other_images=keep)
            for d, o, keep in zip(updated, made, (True, True, False), strict=True)
        ]
    )
    assert sandbox.requests == [("GET", f"{API}/products"), ("POST", f"{API}/products/batch")]
    names = [
        [
            sandbox.data.media[i]["name"]
            for i in sandbox.data.products[int(o.shop_id or 0)]["images"]
        ]
        for o in outcomes
    ]
    assert names == [["k0-a", "hand", "K0-b"], ["k1-a", "hand", "K1-b"], ["k2-a", "K2-b"]]
    assert all(len(o.media_ids) == 2 for o in outcomes)


def test_iter_products_reads_variations_of_variable_products(
    sandbox: WooSandbox, shop: WooCommerceShop
) -> None:
    [parent, _simple] = shop.write_products(
        [
            ProductWrite(
                "p",
                ProductDraft(
                    sku="TS", name="T-shirt", kind="variable", regular_price=None, barcode=""
                ),
            ),
            ProductWrite(
                "s",
                ProductDraft(
                    sku="CAP",
                    name="Casquette",
                    regular_price=Decimal("5.00"),
                    barcode="123",
                    active=False,
                ),
            ),
        ]
    )
    shop.write_products(
        [
            ProductWrite(
                "v",
                ProductDraft(
                    sku="TS-S",
                    name="",
                    kind="variation",
                    regular_price=Decimal("12.00"),
                    variation_options=(("Taille", "S"),),
                ),
                parent_shop_id=parent.shop_id,
            )
        ]
    )
    sandbox.reset_requests()
    products = {p.sku: p for p in shop.iter_products()}
    assert Counter(sandbox.requests) == Counter(
        {("GET", f"{API}/products"): 1, ("GET", f"{API}/products/{parent.shop_id}/variations"): 1}
    )
    assert products["TS-S"].parent_sku == "TS"
    assert products["TS-S"].shop_id.startswith(f"{parent.shop_id}/")
    assert products["TS-S"].regular_price == Decimal("12.00")
    assert products["TS"].regular_price is None
    assert (products["CAP"].barcode, products["CAP"].active) == ("123", False)


def test_translations_are_written_as_wpml_translated_products(tmp_path: Path) -> None:
    with (
        WooSandbox(
            tmp_path / "s.json", cert_dir=tmp_path / "c", seed=False, languages=("fr", "en")
        ) as sandbox,
        _shop(sandbox) as shop,
    ):
        draft = ProductDraft(
            sku="MUG",
            name="Tasse",
            regular_price=Decimal("9.00"),
            translations=(ProductTexts("en", "Mug", "A mug"),),
        )
        sandbox.reset_requests()
        [made] = shop.write_products([ProductWrite("m", draft)])
        assert made.ok and sandbox.requests == [("POST", f"{API}/products/batch")] * 2
        english = [p for p in sandbox.data.products.values() if p.get("_lang") == "en"]
        assert [(p["name"], p["description"]) for p in english] == [("Mug", "A mug")]
        again = ProductDraft(
            sku="MUG",
            name="Tasse",
            regular_price=Decimal("9.00"),
            translations=(ProductTexts("en", "Big mug", "A mug"),),
        )
        [updated] = shop.write_products(
            [ProductWrite("m", again, made.shop_id, frozenset({"name"}))]
        )
        assert updated.ok
        assert sandbox.data.products[english[0]["id"]]["name"] == "Big mug"
        assert len(sandbox.data.products) == 2  # updated, not created again
    # Without WPML nothing is created twice: the outcome says why.
    with (
        WooSandbox(tmp_path / "t.json", cert_dir=tmp_path / "c", seed=False) as plain,
        _shop(plain) as shop,
    ):
        [outcome] = shop.write_products([ProductWrite("m", draft)])
        assert outcome.shop_id and outcome.error and "WooCommerce Multilingual" in outcome.error
        assert len(plain.data.products) == 1


def _customer(**extra: object) -> Customer:
    values: dict = dict(
        source_id="7",
        name="Ana Lima",
        email="ana@example.com",
        first_name="Ana",
        last_name="Lima",
        company="Lima SARL",
        code="C007",
        phone="0102030405",
        addresses=(
            Address(street="1 rue A", postal_code="75001", city="Paris", country_code="FR"),
        ),
        tax_identifier="FR123",
        group="Pro",
        notes="VIP",
        credit_limit=Decimal("500"),
        payment_term="30 jours",
    )
    values.update(extra)
    return Customer(**values)


def test_customers_new_accounts_field_subsets_and_disabled_flag(
    sandbox: WooSandbox, shop: WooCommerceShop
) -> None:
    sandbox.reset_requests()
    [made] = shop.write_customers(
        [
            CustomerWrite(
                "c",
                _customer(),
                new_account=NewAccountOptions(generate_password=False, newsletter=True),
            )
        ]
    )
    assert made.ok and sandbox.requests == [("POST", f"{API}/customers/batch")]
    assert made.unsupported == ()  # an active account asks nothing WooCommerce lacks
    record = sandbox.data.customers[int(made.shop_id or 0)]
    assert record["_password_generated"] is False  # a password nobody is told
    assert record["billing"]["city"] == "Paris" and record["shipping"]["company"] == "Lima SARL"
    assert record["billing"]["phone"] == "0102030405"
    # Visible keys only: WordPress drops protected (``_``) meta on a real shop.
    assert _meta(record) == {
        "passerelle_account_code": "C007",
        "passerelle_customer_group": "Pro",
        "passerelle_notes": "VIP",
        "passerelle_company_id": "FR123",
        "passerelle_credit_limit": "500",
        "passerelle_payment_term": "30 jours",
        "passerelle_newsletter": "yes",
        "passerelle_opt_in": "no",
    }
    # Only the notes group: names and addresses stay as the customer edited them.
    record["billing"]["city"] = "Lyon"
    changed = _customer(notes="Très VIP", last_name="Other", active=False)
    [updated] = shop.write_customers(
        [CustomerWrite("c", changed, made.shop_id, frozenset({"notes"}))]
    )
    assert updated.ok
    record = sandbox.data.customers[int(made.shop_id or 0)]
    assert (record["last_name"], record["billing"]["city"]) == ("Lima", "Lyon")
    assert _meta(record)["passerelle_notes"] == "Très VIP"
    # WooCommerce core cannot disable an account: reported, written nowhere.
    assert updated.unsupported == ("active",)
    assert not any("disabled" in key for key in _meta(record))
    sandbox.reset_requests()
    groups = shop.write_customer_groups([GroupWrite("g", CustomerGroup("1", "Pro"))])
    assert [g.shop_id for g in groups] == ["Pro"] and sandbox.requests == []


def test_iter_customers_filters_by_creation_and_tells_paying_ones(
    sandbox: WooSandbox, shop: WooCommerceShop
) -> None:
    made = shop.write_customers(
        [
            CustomerWrite(str(n), _customer(email=f"c{n}@example.com", code=f"C{n}"))
            for n in range(3)
        ]
    )
    sandbox.create_order({"customer_id": int(made[0].shop_id or 0), "set_paid": True})
    sandbox.data.customers[int(made[2].shop_id or 0)]["date_created_gmt"] = "2020-01-01T00:00:00"
    sandbox.reset_requests()
    since = datetime.now(UTC) - timedelta(days=1)
    found = {c.email: c for c in shop.iter_customers(created_after=since)}
    assert sandbox.requests == [("GET", f"{API}/customers")]
    assert set(found) == {"c0@example.com", "c1@example.com"}
    assert found["c0@example.com"].has_orders and not found["c1@example.com"].has_orders
    assert found["c1@example.com"].address is not None
    assert len(list(shop.iter_customers())) == 3


def test_a_customer_with_a_malformed_field_is_its_error_naming_the_field(
    sandbox: WooSandbox, shop: WooCommerceShop
) -> None:
    made = shop.write_customers([CustomerWrite("0", _customer(email="c@example.com", code="C0"))])
    shop_id = str(made[0].shop_id)
    sandbox.data.customers[int(shop_id)]["date_created_gmt"] = "hier"
    with pytest.raises(RecordError) as caught:
        list(shop.iter_customers())
    assert caught.value.record_id == shop_id
    assert "'date_created_gmt'" in str(caught.value), str(caught.value)


def test_a_variation_read_with_a_malformed_field_is_its_error_naming_the_field() -> None:
    parent = {"id": 10, "sku": "POT-1", "name": "Pot"}
    raw = {"id": 11, "sku": "POT-1-B", "attributes": [{"option": "Bleu"}], "manage_stock": True}
    read = shop_product_from_wire({**raw, "stock_quantity": 4}, parent=parent)
    assert (read.shop_id, read.name, read.parent_sku, read.stock_quantity) == (
        "10/11",
        "Pot - Bleu",
        "POT-1",
        4,
    )

    with pytest.raises(RecordError) as caught:
        shop_product_from_wire({**raw, "regular_price": "douze"}, parent=parent)
    assert caught.value.record_id == "10/11"
    assert "'regular_price'" in str(caught.value), str(caught.value)
