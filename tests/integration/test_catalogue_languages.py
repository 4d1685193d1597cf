"""C20: a multi-language shop (WPML) gets every language, or only its main one."""

from __future__ import annotations

from pathlib import Path

from trytond.pool import Pool
from trytond.transaction import Transaction

from passerelle.connectors.tryton.database import session
from passerelle.demo import DEMO_KEY, DEMO_SECRET
from passerelle.demo_data import ITEM_TRANSLATIONS, TRANSLATION_LANGUAGE
from passerelle.sandbox.woocommerce import WooSandbox
from tests.integration.catalogue_helpers import run_counting, with_options
from tests.integration.conftest import World


def test_every_language_or_the_main_one(world: World, tmp_path: Path) -> None:
    world.sandbox.stop()
    sandbox = WooSandbox(
        tmp_path / "multilingual.json",
        consumer_key=DEMO_KEY,
        consumer_secret=DEMO_SECRET,
        cert_dir=tmp_path / "tls",
        languages=("fr", "de"),
    )
    sandbox.start()
    world.sandbox = sandbox
    try:
        languages = {"fr": "en", "de": TRANSLATION_LANGUAGE}  # Tryton's default holds French
        main_only = with_options(world, languages=languages, all_languages=False)
        main_only.shop.url = sandbox.url
        run_counting(world, "export-products", main_only)
        assert {p.get("_lang", "fr") for p in sandbox.data.products.values()} == {"fr"}

        every = with_options(world, languages=languages)
        every.shop.url = sandbox.url
        run_counting(world, "export-products", every)
        german = {p["name"]: p for p in sandbox.data.products.values() if p.get("_lang") == "de"}
        assert sorted(german) == sorted(name for name, _d in ITEM_TRANSLATIONS.values())
        for code, (name, description) in ITEM_TRANSLATIONS.items():
            original = next(
                p
                for p in sandbox.data.products.values()
                if p["sku"] == code and p.get("_lang", "fr") == "fr"
            )
            assert german[name]["description"] == description
            assert german[name]["_trid"] == original["id"], code

        # The German name of one item changes in Tryton: that product and its
        # translation are written, nothing else.
        with session(world.target), Transaction().set_context(language=TRANSLATION_LANGUAGE):
            Product = Pool().get("product.product")
            (product,) = Product.search([("code", "=", "TEA-001")])
            Pool().get("product.template").write([product.template], {"name": "Grüntee Sencha"})
        sent = run_counting(world, "export-products", every)
        assert sent.writes == [("POST", "/wp-json/wc/v3/products/batch")] * 2
        assert sent.summary.counts["updated"] == 1
        assert any(
            p["name"] == "Grüntee Sencha" and p.get("_lang") == "de"
            for p in sandbox.data.products.values()
        )
    finally:
        sandbox.stop()
