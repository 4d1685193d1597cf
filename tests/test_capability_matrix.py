"""Issue 16's capability matrix: complete, shown current in the docs, and said to the
merchant (a warning when a profile is loaded, a list in ``passerelle profile test``)."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.i18n import using
from passerelle.platforms import matrix, shop_platform
from passerelle.platforms.matrix import (
    DOCS,
    NEUTRAL,
    OPTIONS,
    builtin_platforms,
    ineffective_options,
    main,
    markdown,
    stale_documents,
    undecided,
)
from passerelle.platforms.support import Support
from passerelle.profiles import Profile, ProfileRepository
from passerelle.profiles.catalogue_options import CatalogueOptions, CustomerOptions
from passerelle.profiles.schema import OrderOptions

ROOT = Path(__file__).resolve().parents[1]
PATHS = {option.path for option in OPTIONS}
SECTIONS: dict[str, type[BaseModel]] = {
    "catalogue": CatalogueOptions,
    "customers": CustomerOptions,
    "orders": OrderOptions,
}


def _leaves(model: type[BaseModel], prefix: str) -> Iterator[str]:
    """Every option of ``model``: a listed path, else a sub-table's options, else itself."""
    for name, field in model.model_fields.items():
        path = f"{prefix}.{name}"
        kind = field.annotation
        if path in PATHS or path in NEUTRAL:
            yield path
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            yield from _leaves(kind, path)
        else:
            yield path


def _every_option() -> list[str]:
    return [path for section, model in SECTIONS.items() for path in _leaves(model, section)]


def test_every_option_is_in_the_matrix_or_the_same_everywhere_exactly_once() -> None:
    options = _every_option()
    assert [p for p in options if p not in PATHS and p not in NEUTRAL] == []
    assert PATHS & NEUTRAL == set()
    assert len(PATHS) == len(OPTIONS)  # no option listed twice
    # Nothing listed that the profile does not have (a renamed option).
    assert (PATHS | NEUTRAL) - set(options) == set()


def test_every_platform_decides_every_option() -> None:
    platforms = builtin_platforms()
    assert [p.kind for p in platforms] == [
        "woocommerce",
        "prestashop",
        "shopify",
        "bigcommerce",
        "magento",
        "wix",
    ]
    for platform in platforms:
        assert undecided(platform) == [], platform.kind
        assert set(platform.supports) == PATHS, platform.kind


def test_a_registration_missing_an_option_or_naming_an_unknown_one_is_caught() -> None:
    woo = shop_platform("woocommerce")
    table = dict(woo.supports)
    del table["customers.groups"]
    table["catalogue.colour"] = table["catalogue.texts.name"]
    assert undecided(replace(woo, supports=table)) == ["catalogue.colour", "customers.groups"]


def test_a_platform_doing_an_option_differently_says_how() -> None:
    for platform in builtin_platforms():
        for path, decision in platform.supports.items():
            if decision.support is Support.DIFFERENTLY:
                assert decision.how, (platform.kind, path)


# ------------------------------------------------------------------------ docs


def test_the_documents_show_the_matrix_the_code_makes() -> None:
    assert stale_documents(ROOT) == [], "run: python3 -m passerelle.platforms.matrix --write"


def test_a_stale_document_is_found_and_rewritten(tmp_path: Path) -> None:
    for name in DOCS.values():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    catalogue = tmp_path / DOCS["catalogue"]
    text = catalogue.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `catalogue.texts.name`"))
    catalogue.write_text(text.replace(row, row.replace("yes", "no")), encoding="utf-8")
    assert stale_documents(tmp_path) == [DOCS["catalogue"]]
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert main(["--write", "--root", str(tmp_path)]) == 0
    assert main(["--check", "--root", str(tmp_path)]) == 0
    assert catalogue.read_text(encoding="utf-8") == text


def test_each_cell_says_the_decision_and_its_note_how_or_why() -> None:
    table = markdown("catalogue")
    rows = {line.split(" | ")[0].strip("| `"): line for line in table.splitlines()}
    assert set(rows) >= {o.path for o in OPTIONS if o.section == "catalogue"}
    assert not any(path in rows for path in PATHS if not path.startswith("catalogue."))
    header = [cell.strip() for cell in rows["Option"].strip("|").split(" | ")]
    words = {"supported": "yes", "differently": "differently", "unsupported": "no"}
    for platform in builtin_platforms():
        column = header.index(platform.label)
        for option in (o for o in OPTIONS if o.section == "catalogue"):
            decision = platform.supports[option.path]
            cell = rows[option.path].strip("|").split(" | ")[column].strip()
            assert cell.split(" (")[0] == words[decision.support], (platform.kind, option.path)
            if decision.how:
                number = cell.split(" (")[1].rstrip(")")
                assert f"\n{number}. {decision.how}\n" in table, (platform.kind, option.path)


# ----------------------------------------------------------- said to the merchant

SHOPIFY = {
    "url": "https://demo.myshopify.com",
    "kind": "shopify",
    "access_token": "env:SHOPIFY_TOKEN",
}
ORDERS = {
    "shipping_item": "SHIPPING",
    "misc_item": "MISC",
    "gift_wrap_item": "WRAP",
    "gap_item": "GAP",
}


def _profile(shop: dict[str, Any], **sections: Any) -> Profile:
    return Profile.model_validate(
        {
            "name": "shop-fr",
            "backoffice": {"kind": "memory"},
            "shop": shop,
            "orders": {**ORDERS, **sections.pop("orders", {})},
            **sections,
        }
    )


def test_an_option_set_that_does_nothing_on_the_platform_is_found_with_why() -> None:
    profile = _profile(
        SHOPIFY,
        catalogue={"prices": {"group_prices": True}, "details": {"brand_field": "attr:brand"}},
        customers={"new_accounts": {"newsletter": True}},
    )
    found = ineffective_options(profile)
    assert [(i.path, i.platform) for i in found] == [
        ("catalogue.prices.group_prices", "Shopify"),
        ("customers.new_accounts.newsletter", "Shopify"),
    ]  # the brand is Shopify's vendor: done differently, not nothing
    assert found[0].said().english == (
        "the option catalogue.prices.group_prices does nothing on Shopify: prices per "
        "customer group are a Shopify Plus feature (B2B catalogues)"
    )
    with using("fr"):
        assert found[0].said().render() == (
            "l'option catalogue.prices.group_prices n'a aucun effet sur Shopify : les prix "
            "par groupe de clients sont une fonction de Shopify Plus (catalogues B2B)"
        )


def test_defaults_and_options_set_to_what_asks_nothing_are_not_warned() -> None:
    assert ineffective_options(_profile(SHOPIFY)) == []
    # Dimensions named at their default, an option switched off, a supported option.
    profile = _profile(
        SHOPIFY,
        catalogue={
            "details": {"length_field": "length", "packs": False},
            "texts": {"seo_title": "attr:seo_title"},
        },
        customers={"disable_inactive": False},
    )
    assert ineffective_options(profile) == []


WOO_SHOP = {
    "url": "https://127.0.0.1:9",  # nothing listens: the connection test fails fast
    "consumer_key": "env:WC_KEY",
    "consumer_secret": "env:WC_SECRET",
    "http": {"timeout": 2, "max_tries": 1},
}
WOO_IGNORED = {
    "catalogue": {"languages": {"fr": "fr", "en": "en"}},
    "customers": {"new_accounts": {"welcome_email": True}},
}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WC_KEY", "ck_demo")
    monkeypatch.setenv("WC_SECRET", "cs_demo")
    repo = ProfileRepository(tmp_path)
    repo.save(
        repo.validate(
            {
                "name": "shop-fr",
                "backoffice": {"kind": "memory"},
                "shop": WOO_SHOP,
                "orders": ORDERS,
                **WOO_IGNORED,
            }
        )
    )
    repo.save(
        repo.validate(
            {"name": "plain", "backoffice": {"kind": "memory"}, "shop": WOO_SHOP, "orders": ORDERS}
        )
    )
    return tmp_path


def test_loading_a_profile_warns_once_of_each_option_that_does_nothing(
    data_dir: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matrix, "_WARNED", set())  # as in a process that has warned of none
    caplog.set_level(logging.WARNING, logger="passerelle.platforms.matrix")
    repo = ProfileRepository(data_dir)
    repo.load("shop-fr")
    repo.load("shop-fr")  # loaded again (a later run): not warned again
    repo.load("plain")
    warned = [r.getMessage() for r in caplog.records if r.name == "passerelle.platforms.matrix"]
    assert warned == [
        "profile shop-fr: the option catalogue.languages does nothing on WooCommerce: "
        "WooCommerce holds one language; no translation plugin is written to",
        "profile shop-fr: the option customers.new_accounts.welcome_email does nothing on "
        "WooCommerce: the shop's own e-mail settings decide (WooCommerce → Settings → Emails)",
    ]


def _profile_test(data_dir: Path, name: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["profile", "test", name, "--data-dir", str(data_dir), *args])
    return result.exit_code, result.stdout


def test_profile_test_lists_them_in_english_and_in_french(data_dir: Path) -> None:
    code, out = _profile_test(data_dir, "shop-fr")
    assert code == 1  # the shop cannot be reached; the warnings are not why
    lines = [line for line in out.splitlines() if line.startswith("warning:")]
    assert lines == [
        "warning: the option catalogue.languages does nothing on WooCommerce: WooCommerce "
        "holds one language; no translation plugin is written to",
        "warning: the option customers.new_accounts.welcome_email does nothing on "
        "WooCommerce: the shop's own e-mail settings decide (WooCommerce → Settings → Emails)",
    ]
    with using("fr"):
        _code, out = _profile_test(data_dir, "shop-fr")
    assert [line for line in out.splitlines() if line.startswith("attention :")] == [
        "attention : l'option catalogue.languages n'a aucun effet sur WooCommerce : "
        "WooCommerce ne tient qu'une langue ; aucune extension de traduction n'est alimentée",
        "attention : l'option customers.new_accounts.welcome_email n'a aucun effet sur "
        "WooCommerce : les réglages d'e-mail de la boutique décident (WooCommerce → "
        "Réglages → E-mails)",
    ]
    _code, out = _profile_test(data_dir, "plain")
    assert "warning:" not in out


def test_profile_test_json_lists_them_in_its_schema(data_dir: Path) -> None:
    schema = json.loads((ROOT / "docs/schemas/profile-test.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    code, out = _profile_test(data_dir, "shop-fr", "--json")
    document = json.loads(out)
    validator.validate(document)
    assert [(i["option"], i["platform"]) for i in document["ineffective"]] == [
        ("catalogue.languages", "WooCommerce"),
        ("customers.new_accounts.welcome_email", "WooCommerce"),
    ]
    assert document["ineffective"][0]["message"].startswith(
        "the option catalogue.languages does nothing on WooCommerce"
    )
    _code, out = _profile_test(data_dir, "plain", "--json")
    document = json.loads(out)
    validator.validate(document)
    assert document["ineffective"] == []
