"""The profile editor against the Tryton demo database and the WooCommerce sandbox.

The demo profile with the cheque gateway left unmapped: the payments grid
lists the shop's gateways (cheque among them, without a journal) and
Tryton's payment journals; a change shows the diff of the file, is written
only once confirmed, and the file still loads; an invalid value is said
beside its field and nothing is written; a secret field takes a reference
and refuses a literal, which no page ever shows; a viewer cannot save; a
post without the CSRF token is refused; the French page has no English
sentence.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.applications import Starlette

from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.console import create_console_app
from passerelle.console.pages._profile_form import build_sections, every_field
from passerelle.console.pages._setting_titles import (
    CHOICE_LABELS,
    DOCUMENT_LABELS,
    SETTING_TITLES,
)
from passerelle.demo import DEMO_KEY, DEMO_SECRET, KEY_ENV, SECRET_ENV, demo_profile
from passerelle.model import DocumentType
from passerelle.profiles import ProfileRepository
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.store import Store
from passerelle.store.repositories.users import users_of
from tests.same_in_french import same_in_french

from .conftest import OPERATOR, VIEWER, TestClient, client_of, csrf_of, password_hash, sign_in

LITERAL_SECRET = "cs_4f1e2d3c4b5a69788796a5b4c3d2e1f0"


@dataclass
class Shop:
    data_dir: Path
    store: Store
    app: Starlette
    name: str

    @property
    def file(self) -> Path:
        return ProfileRepository(self.data_dir).path(self.name)


@pytest.fixture(scope="module")
def both_sides(
    tryton_demo_template: Path,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, str, WooSandbox]]:
    """One Tryton copy and one seeded shop for the module (the tests only read them)."""
    root = tmp_path_factory.mktemp("sides")
    target = copy_demo_database(
        tryton_demo_template.parent, root / "tryton", unique_database_name("profile_editor")
    )
    sandbox = WooSandbox(
        root / "shop.json",
        consumer_key=DEMO_KEY,
        consumer_secret=DEMO_SECRET,
        cert_dir=root / "tls",
    )
    sandbox.start()
    try:
        yield root / "tryton", target.database, sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def shop(
    both_sides: tuple[Path, str, WooSandbox], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Shop]:
    monkeypatch.setenv(KEY_ENV, DEMO_KEY)
    monkeypatch.setenv(SECRET_ENV, DEMO_SECRET)
    tryton_dir, database, sandbox = both_sides
    profile = demo_profile(sandbox.url, sandbox.ca_bundle, tryton_dir, database)
    data = profile.model_dump(mode="json", exclude_none=True)
    del data["orders"]["payments"]["cheque"]  # the gateway the merchant forgot
    repo = ProfileRepository(tmp_path)
    repo.save(repo.validate(data))
    store = Store.open_data_dir(tmp_path)
    users = users_of(store)
    users.add(OPERATOR, password_hash(), "operator")
    users.add(VIEWER, password_hash(), "viewer")
    try:
        yield Shop(tmp_path, store, create_console_app(tmp_path, store), profile.name)
    finally:
        store.close()


def operator(shop: Shop, language: str = "en") -> TestClient:
    client = client_of(shop.app, headers={"Accept-Language": language})
    sign_in(client)
    return client


def _select(page: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no drop-down {name}"
    return found.group(1)


def _options(select: str) -> list[str]:
    return [html.unescape(value) for value in re.findall(r'<option value="([^"]*)"', select)]


def _selected(select: str) -> str:
    found = re.search(r'<option value="([^"]*)" selected', select)
    return html.unescape(found.group(1)) if found else ""


def test_the_payments_grid_lists_the_shop_s_gateways_and_tryton_s_journals(shop: Shop) -> None:
    page = operator(shop).get(f"/profiles/{shop.name}").text
    for gateway in ("bacs", "cheque", "paypal", "cod"):
        select = _select(page, f"payments:{gateway}")
        assert {"WEB-TRANSFER", "WEB-CARD", "WEB-PAYPAL", "WEB-COD"} <= set(_options(select))
    assert _selected(_select(page, "payments:cheque")) == "__none__"  # not mapped yet
    assert _selected(_select(page, "payments:bacs")) == "WEB-TRANSFER"
    # The other grids read both sides too.
    assert "Colissimo" in _options(_select(page, "carriers:flat_rate"))
    assert "order" in _options(_select(page, "statuses:processing"))


def test_a_mapping_is_saved_after_its_diff_is_confirmed(shop: Shop) -> None:
    client = operator(shop)
    before = shop.file.read_text()
    token = csrf_of(client, f"/profiles/{shop.name}")
    shown = client.post(
        f"/profiles/{shop.name}",
        data={"csrf_token": token, "payments:cheque": "WEB-TRANSFER", "orders.period_days": "90"},
    )
    assert shown.status_code == 200, shown.text
    assert shop.file.read_text() == before  # nothing written before the confirmation
    diff = html.unescape(shown.text)
    assert "+[orders.payments.cheque]" in diff and '+journal = "WEB-TRANSFER"' in diff
    assert "-period_days = 3650" in diff and "+period_days = 90" in diff
    toml = re.search(r'<textarea name="toml" hidden readonly>\n(.*?)</textarea>', shown.text, re.S)
    base = re.search(r'name="base" value="([0-9a-f]+)"', shown.text)
    assert toml and base
    saved = client.post(
        f"/profiles/{shop.name}/save",
        data={"csrf_token": token, "toml": html.unescape(toml.group(1)), "base": base.group(1)},
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("?done=saved")
    profile = ProfileRepository(shop.data_dir).load(shop.name)  # still loads
    assert profile.orders.payments["cheque"].journal == "WEB-TRANSFER"
    assert profile.orders.period_days == 90
    assert profile.orders.payments["stripe"].journals_by_currency["USD"] == "WEB-CARD-USD"
    page = client.get(saved.headers["location"]).text
    assert "The profile is saved." in page
    assert _selected(_select(page, "payments:cheque")) == "WEB-TRANSFER"
    # Confirming the same diff again is refused: the file is no longer the one shown.
    again = client.post(
        f"/profiles/{shop.name}/save",
        data={"csrf_token": token, "toml": html.unescape(toml.group(1)), "base": base.group(1)},
    )
    assert again.headers["location"].endswith("?done=stale")


def test_an_invalid_value_is_said_beside_its_field_and_nothing_is_written(shop: Shop) -> None:
    client = operator(shop)
    before = shop.file.read_text()
    token = csrf_of(client, f"/profiles/{shop.name}")
    answer = client.post(
        f"/profiles/{shop.name}",
        data={"csrf_token": token, "orders.period_days": "0", "shop.url": "http://shop.example"},
    )
    assert answer.status_code == 400
    assert shop.file.read_text() == before
    field = re.search(
        r'<div class="field invalid">.*?orders.period_days.*?</div>', answer.text, re.S
    )
    assert field and "Enter 1 or more." in field.group(0)
    url = re.search(r'<div class="field invalid">.*?shop.url</code>.*?</div>', answer.text, re.S)
    assert url and "https://" in url.group(0)


def test_a_secret_field_takes_a_reference_and_refuses_a_literal(shop: Shop) -> None:
    client = operator(shop)
    before = shop.file.read_text()
    token = csrf_of(client, f"/profiles/{shop.name}")
    refused = client.post(
        f"/profiles/{shop.name}",
        data={"csrf_token": token, "shop.consumer_secret": LITERAL_SECRET},
    )
    assert refused.status_code == 400
    assert LITERAL_SECRET not in refused.text and shop.file.read_text() == before
    field = re.search(
        r'<div class="field invalid">.*?shop.consumer_secret.*?</div>', refused.text, re.S
    )
    assert field and "env:VARIABLE or keyring:SERVICE/USER" in field.group(0)
    assert f'value="env:{SECRET_ENV}"' in field.group(0)  # the reference is still shown

    accepted = client.post(
        f"/profiles/{shop.name}",
        data={"csrf_token": token, "shop.consumer_secret": "keyring:passerelle/wc-secret"},
    )
    assert accepted.status_code == 200
    assert '+consumer_secret = "keyring:passerelle/wc-secret"' in html.unescape(accepted.text)


def test_no_page_of_the_editor_shows_a_secret_value(shop: Shop) -> None:
    client = operator(shop)
    pages = [client.get("/profiles").text, client.get(f"/profiles/{shop.name}").text]
    token = csrf_of(client, f"/profiles/{shop.name}")
    pages.append(client.post(f"/profiles/{shop.name}/test", data={"csrf_token": token}).text)
    pages.append(
        client.post(
            f"/profiles/{shop.name}", data={"csrf_token": token, "orders.period_days": "60"}
        ).text
    )
    for page in pages:
        assert DEMO_KEY not in page and DEMO_SECRET not in page


def test_test_connection_runs_the_profile_test(shop: Shop) -> None:
    client = operator(shop)
    token = csrf_of(client, f"/profiles/{shop.name}")
    page = client.post(f"/profiles/{shop.name}/test", data={"csrf_token": token}).text
    assert "Missing in the shop" not in page
    assert "Everything the profile needs is there." in page
    assert page.count("connected") >= 2 and "not connected" not in page


def test_a_viewer_sees_the_editor_and_cannot_save(shop: Shop) -> None:
    client = client_of(shop.app)
    sign_in(client, VIEWER)
    assert client.get(f"/profiles/{shop.name}").status_code == 200
    token = csrf_of(client, f"/profiles/{shop.name}")
    before = shop.file.read_text()
    for path in ("", "/save", "/test"):
        answer = client.post(
            f"/profiles/{shop.name}{path}",
            data={
                "csrf_token": token,
                "payments:cheque": "WEB-TRANSFER",
                "toml": before,
                "base": "0",
            },
        )
        assert answer.status_code == 403, path
    assert shop.file.read_text() == before


def test_a_post_without_the_csrf_token_is_refused(shop: Shop) -> None:
    client = operator(shop)
    before = shop.file.read_text()
    answer = client.post(f"/profiles/{shop.name}", data={"payments:cheque": "WEB-TRANSFER"})
    assert answer.status_code == 403
    assert shop.file.read_text() == before


#: Texts that are data, the same in every language (names, codes, file keys): the
#: page marks them translate="no", as the browser's French check reads it.
_DATA = re.compile(r'<(\w+)[^>]*translate="no"[^>]*>.*?</\1>', re.S)
_TEXT = re.compile(r">([^<>]+)<")
_WORDY = re.compile(r"[A-Za-zÀ-ÿ]{3,}")


def _visible(page: str) -> set[str]:
    main = page.split("<main>", 1)[1].split("</main>", 1)[0]
    return {html.unescape(t).strip() for t in _TEXT.findall(_DATA.sub("", main)) if t.strip()}


def test_the_french_editor_has_no_english_sentence(shop: Shop) -> None:
    english = _visible(operator(shop, "en").get(f"/profiles/{shop.name}").text)
    french = _visible(operator(shop, "fr").get(f"/profiles/{shop.name}").text)
    same = sorted(t for t in english & french if _WORDY.search(t) and t not in same_in_french())
    assert not same, same


def test_a_side_that_cannot_be_read_leaves_its_names_to_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .support import PROFILE, write_profile

    monkeypatch.delenv("CONSOLE_TEST_WC_KEY", raising=False)  # the shop cannot be built
    write_profile(tmp_path)
    with Store.open_data_dir(tmp_path) as store:
        users_of(store).add(OPERATOR, password_hash(), "operator")
        client = client_of(create_console_app(tmp_path, store))
        sign_in(client)
        page = client.get(f"/profiles/{PROFILE}").text
    assert "The shop could not be read: its names are typed by hand below." in page
    assert "This list could not be read from its side" in page  # free text in its grids
    assert _selected(_select(page, "statuses:processing")) == "order"  # mapped rows still shown


def test_every_setting_the_form_can_show_has_a_title_and_its_values_words() -> None:
    # Every model the form walks, for every registered platform: a setting added to a
    # model without its title (or a value added to a list without its words) fails here.
    fields = list(every_field())
    names = {form_field.name for form_field in fields}
    assert {"orders.period_days", "shop.api_key", "backoffice.database"} <= names
    untitled = sorted(name for name in names if name not in SETTING_TITLES)
    assert not untitled, f"give these settings a title in _setting_titles.py: {untitled}"
    unworded = sorted(
        f"{form_field.name} = {choice}"
        for form_field in fields
        for choice in form_field.choices
        if choice not in CHOICE_LABELS.get(form_field.name, {})
    )
    assert not unworded, f"give these values words in _setting_titles.py: {unworded}"
    assert set(SETTING_TITLES) <= names, "titles of settings the form no longer shows"
    assert set(CHOICE_LABELS) <= {f.name for f in fields if f.choices}
    assert set(DOCUMENT_LABELS) == {kind.value for kind in DocumentType}


def test_the_walk_covers_what_the_form_shows(shop: Shop) -> None:
    profile = ProfileRepository(shop.data_dir).load(shop.name)
    shown = {f.name for section in build_sections(profile) for f in section.fields}
    assert shown and shown <= {f.name for f in every_field()}


def _field_html(page: str, name: str) -> str:
    input_id = "f-" + name.replace(".", "-")
    found = re.search(rf'<div class="field[^"]*">\s*<label for="{input_id}">.*?</div>', page, re.S)
    assert found, f"no field {name}"
    return found.group(0)


def test_fields_are_titled_in_words_with_their_key_beside_and_values_in_words(
    shop: Shop,
) -> None:
    english = operator(shop).get(f"/profiles/{shop.name}").text
    period = _field_html(english, "orders.period_days")
    assert "Read the orders of the last (days)" in period
    assert '<code translate="no">orders.period_days</code>' in period
    accounts = _select(english, "orders.account_mode")
    assert '<option value="per_customer" selected>one per customer</option>' in accounts
    assert '<option value="single">one account for every order</option>' in accounts
    statuses = _select(english, "statuses:processing")
    assert '<option value="order" selected>a confirmed sale</option>' in statuses
    journals = _select(english, "payments:bacs")
    assert 'value="WEB-TRANSFER" selected translate="no">WEB-TRANSFER</option>' in journals

    french = operator(shop, "fr").get(f"/profiles/{shop.name}").text
    assert "Lire les commandes des derniers (jours)" in _field_html(french, "orders.period_days")
    accounts = _select(french, "orders.account_mode")
    assert '<option value="per_customer" selected>un par client</option>' in accounts
    assert '<option value="order" selected>une vente confirmée</option>' in _select(
        french, "statuses:processing"
    )
