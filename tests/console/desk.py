"""A merchant's morning for the Problems and Orders pages: Tryton, the shop, the console.

The world of the integration tests (a copy of the Tryton demo database, the
WooCommerce sandbox, a store) with the console served over its data folder,
an operator and a viewer, and the shop trimmed to a few orders so that an
import stays quick.
"""

from __future__ import annotations

import re
import ssl
from html.parser import HTMLParser

import httpx
from starlette.applications import Starlette

from passerelle.console import create_console_app
from passerelle.demo import DEMO_KEY, DEMO_SECRET
from passerelle.profiles import Profile, ProfileRepository
from passerelle.store.repositories.users import users_of
from tests.integration.conftest import World

from .conftest import OPERATOR, VIEWER, FakeClock, TestClient, client_of, password_hash, sign_in

#: Three orders paid by card, two by PayPal (704, 708), one awaiting payment (705).
ORDERS = [703, 704, 705, 707, 708, 709]
PAID_BY_PAYPAL = {"704", "708"}


def trim_shop(world: World, keep: list[int] = ORDERS) -> None:
    """Delete every other order through the shop's own API (batch delete)."""
    trust = ssl.create_default_context(cafile=str(world.sandbox.ca_bundle))
    gone = [i for i in world.sandbox.data.orders if i not in keep]
    with httpx.Client(verify=trust, auth=(DEMO_KEY, DEMO_SECRET), timeout=30) as client:
        answer = client.post(
            f"{world.sandbox.url}/wp-json/wc/v3/orders/batch", json={"delete": gone}
        )
    assert answer.status_code < 300, answer.text
    assert set(world.sandbox.data.orders) == set(keep)


def without_paypal(profile: Profile, *, staging: bool) -> Profile:
    """The profile with no PayPal entry (its orders are set aside), perhaps staging orders."""
    changed = profile.model_copy(deep=True)
    changed.orders.payments.pop("paypal")
    changed.orders.auto_validate = not staging
    return changed


def save(world: World, profile: Profile) -> None:
    ProfileRepository(world.data_dir).save(profile)


def console_app(world: World) -> Starlette:
    users = users_of(world.store)
    users.add(OPERATOR, password_hash(), "operator")
    users.add(VIEWER, password_hash(), "viewer")
    return create_console_app(world.data_dir, world.store, clock=FakeClock())


def signed_in(app: Starlette, name: str = OPERATOR, language: str = "en") -> TestClient:
    client = client_of(app, headers={"Accept-Language": language})
    sign_in(client, name)
    return client


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def post(client: TestClient, page: str, action: str, data: dict[str, object]) -> str:
    """Post one of ``page``'s forms to ``action``; the page it leads back to."""
    token = _CSRF.search(client.get(page).text)
    assert token, page
    answer = client.post(action, data={"csrf_token": token.group(1), **data})
    assert answer.status_code == 303, (answer.status_code, answer.text)
    return client.get(answer.headers["location"]).text


def refused(client: TestClient, page: str, action: str, data: dict[str, object]) -> int:
    token = _CSRF.search(client.get(page).text)
    assert token, page
    return client.post(action, data={"csrf_token": token.group(1), **data}).status_code


class _Texts(HTMLParser):
    """The visible texts of the page's own part (``main``: the layout is tested apart)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._in_main = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_main += tag == "main"

    def handle_endtag(self, tag: str) -> None:
        self._in_main -= tag == "main"

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and self._in_main:
            self.texts.append(text)


def texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


_WORDY = re.compile(r"[A-Za-zÀ-ÿ]{3,}")


def untranslated(english: str, french: str, data: set[str]) -> list[str]:
    """Texts of the French page left as they are on the English one, data apart
    (names, order summaries, flow names: the shop's and back-office's own words)."""
    same = set(texts(english)) & set(texts(french))
    return sorted(t for t in same if _WORDY.search(t) and t not in data)


__all__ = [
    "ORDERS",
    "PAID_BY_PAYPAL",
    "console_app",
    "post",
    "refused",
    "save",
    "signed_in",
    "trim_shop",
    "untranslated",
    "without_paypal",
]
