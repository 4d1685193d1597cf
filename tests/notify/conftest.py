"""Fixtures of the notification tests: a local mail server, a profile that points at it."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from passerelle.profiles import Profile, ProfileRepository
from tests.notify.smtp_server import MailServer

SMTP_USER = "passerelle@shop.test"
SMTP_PASSWORD = "s3cret-Mail-Pa55"  # what must never reach output, logs or the store
PASSWORD_ENV = "PASSERELLE_TEST_SMTP_PASSWORD"
SHOP_KEY_ENV, SHOP_SECRET_ENV = "PASSERELLE_TEST_WC_KEY", "PASSERELLE_TEST_WC_SECRET"

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """aiosmtpd sets its own deprecated ``Session.login_data`` on every successful login
    (aiosmtpd 1.4); warnings are errors in this suite, and nothing here can avoid it."""
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(
                pytest.mark.filterwarnings(
                    "ignore:Session.login_data is deprecated:DeprecationWarning"
                )
            )


def profile_data(name: str = "shop", **notifications: Any) -> dict[str, Any]:
    """A profile whose shop is never called (the notification tests talk SMTP only)."""
    return {
        "name": name,
        "backoffice": {"database": "erp"},
        "shop": {
            "url": "https://shop.example.org",
            "consumer_key": f"env:{SHOP_KEY_ENV}",
            "consumer_secret": f"env:{SHOP_SECRET_ENV}",
        },
        "orders": {
            "shipping_item": "SHIPPING",
            "misc_item": "MISC",
            "gift_wrap_item": "WRAP",
            "gap_item": "GAP",
        },
        "notifications": notifications,
    }


def mail_settings(server: MailServer, **overrides: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": server.port,
        "security": "none",
        "from_address": "Passerelle <passerelle@shop.test>",
        "to_addresses": ["owner@shop.test", "accounts@shop.test"],
        "timeout": 5,
    }
    return {**settings, **overrides}


def make_profile(data_dir: Path, **notifications: Any) -> Profile:
    repo = ProfileRepository(data_dir)
    profile = repo.validate(profile_data(**notifications))
    repo.save(profile)
    return profile


@pytest.fixture(autouse=True)
def _secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, SMTP_PASSWORD)
    monkeypatch.setenv(SHOP_KEY_ENV, "ck_test")
    monkeypatch.setenv(SHOP_SECRET_ENV, "cs_test")


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """Plain SMTP, with a login (AUTH over plain text, as some relays inside a LAN allow)."""
    server = MailServer(login=(SMTP_USER, SMTP_PASSWORD)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mail_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(mail_ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "mail-ca.pem"
    mail_ca.cert_pem.write_to_path(str(path))
    return path


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "mail.test").configure_cert(context)
    return context
