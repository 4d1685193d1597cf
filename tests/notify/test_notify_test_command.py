"""`passerelle notify test` and the mailer under it, against a real local SMTP server.

What the merchant must be able to tell from the output: the e-mail went, or
why not — the server is not there, the login was refused, TLS failed — and
never the password. Each failure is also classified for the worker:
passing (try again later) or for a person.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import trustme
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.connectors.errors import AuthenticationError, FatalError, RetriableError
from passerelle.notify import Mailer, trial_message
from passerelle.profiles.notification_settings import NotificationSettings
from tests.notify.conftest import (
    PASSWORD_ENV,
    SMTP_PASSWORD,
    SMTP_USER,
    mail_settings,
    make_profile,
    server_context,
)
from tests.notify.smtp_server import MailServer, free_port

LOGIN = {"user": SMTP_USER, "password": f"env:{PASSWORD_ENV}"}


def notify_test(data_dir: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["notify", "test", "--profile", "shop", "--data-dir", str(data_dir)]
    )
    return result.exit_code, " ".join(result.output.split())  # rich wraps long lines


@pytest.fixture
def tls_server(mail_ca: trustme.CA) -> Iterator[MailServer]:
    server = MailServer(login=(SMTP_USER, SMTP_PASSWORD), starttls=server_context(mail_ca)).start()
    try:
        yield server
    finally:
        server.stop()


def test_the_test_email_arrives_with_the_login_and_both_recipients(
    mail_server: MailServer, tmp_path: Path
) -> None:
    make_profile(tmp_path, **mail_settings(mail_server, **LOGIN))
    code, output = notify_test(tmp_path)
    assert code == 0, output
    assert f"test e-mail sent through 127.0.0.1:{mail_server.port} (none) as {SMTP_USER}" in output
    (delivered,) = mail_server.received
    assert mail_server.logins == [f"{SMTP_USER}:ok"]
    assert delivered.sender == "passerelle@shop.test"
    assert delivered.recipients == ["owner@shop.test", "accounts@shop.test"]
    message = delivered.message
    assert message["Subject"] == "passerelle [shop]: test e-mail"
    assert message["Auto-Submitted"] == "auto-generated"
    assert "profile shop" in message.get_content()
    assert SMTP_PASSWORD not in output and SMTP_PASSWORD not in message.as_string()


def test_a_refused_login_is_named_without_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A talkative server that quotes the password back must not get it printed either.
    server = MailServer(
        login=(SMTP_USER, "the-right-one"), refusal=f"535 5.7.8 {SMTP_PASSWORD} is not the password"
    ).start()
    try:
        make_profile(tmp_path, **mail_settings(server, **LOGIN))
        code, output = notify_test(tmp_path)
    finally:
        server.stop()
    assert code == 1
    assert f"refused the login of user '{SMTP_USER}' (535 5.7.8 *** is not the password)" in output
    assert f"env:{PASSWORD_ENV}" in output  # where the password comes from, to fix it
    assert SMTP_PASSWORD not in output
    # smtplib tries each mechanism the server offers (PLAIN, then LOGIN): all refused.
    assert set(server.logins) == {f"{SMTP_USER}:refused"} and not server.received


def test_no_server_listening_says_connection_refused_and_is_worth_retrying(
    tmp_path: Path,
) -> None:
    port = free_port()
    settings = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from_address": "passerelle@shop.test",
        "to_addresses": ["owner@shop.test"],
    }
    make_profile(tmp_path, **settings, **LOGIN)
    code, output = notify_test(tmp_path)
    assert code == 1
    assert f"could not connect to the mail server 127.0.0.1:{port}: connection refused" in output
    assert SMTP_PASSWORD not in output
    with pytest.raises(RetriableError):
        Mailer.from_settings(NotificationSettings(**settings)).send(_message(settings))


def test_starttls_with_the_profile_ca_bundle(
    tls_server: MailServer, ca_file: Path, tmp_path: Path
) -> None:
    make_profile(
        tmp_path, **mail_settings(tls_server, security="starttls", ca_bundle=str(ca_file), **LOGIN)
    )
    code, output = notify_test(tmp_path)
    assert code == 0, output
    assert len(tls_server.received) == 1 and tls_server.logins == [f"{SMTP_USER}:ok"]


def test_an_untrusted_certificate_stops_before_the_login(tls_server: MailServer) -> None:
    settings = NotificationSettings(**mail_settings(tls_server, security="starttls", **LOGIN))
    with pytest.raises(FatalError, match="TLS certificate is not trusted") as caught:
        Mailer.from_settings(settings).send(_message(settings.model_dump()))
    assert not isinstance(caught.value, RetriableError)
    assert tls_server.logins == [] and not tls_server.received


def test_a_plain_server_refuses_a_login_before_starttls(tls_server: MailServer) -> None:
    """The server requires STARTTLS first; a profile saying "none" is told what to change."""
    settings = NotificationSettings(**mail_settings(tls_server, security="none", **LOGIN))
    with pytest.raises(FatalError, match=r"does not offer a login \(AUTH\)"):
        Mailer.from_settings(settings).send(_message(settings.model_dump()))
    assert tls_server.logins == []


def test_implicit_tls(mail_ca: trustme.CA, ca_file: Path) -> None:
    server = MailServer(implicit_tls=server_context(mail_ca)).start()
    try:
        good = NotificationSettings(**mail_settings(server, security="ssl", ca_bundle=str(ca_file)))
        assert Mailer.from_settings(good).send(_message(good.model_dump())) == {}
        assert len(server.received) == 1
    finally:
        server.stop()


def test_ssl_against_a_plain_server_says_the_handshake_failed(mail_server: MailServer) -> None:
    settings = NotificationSettings(**mail_settings(mail_server, security="ssl"))
    with pytest.raises(FatalError, match=r"TLS handshake failed .*security = \"ssl\""):
        Mailer.from_settings(settings).send(_message(settings.model_dump()))


def test_wrong_password_is_an_authentication_error(
    mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "not-it")
    settings = NotificationSettings(**mail_settings(mail_server, **LOGIN))
    with pytest.raises(AuthenticationError) as caught:
        Mailer.from_settings(settings).send(_message(settings.model_dump()))
    assert "not-it" not in str(caught.value)


def test_refused_recipients_permanent_or_passing(mail_server: MailServer, tmp_path: Path) -> None:
    mail_server.refuse("accounts@shop.test", "550 5.1.1 no such mailbox")
    make_profile(tmp_path, **mail_settings(mail_server, **LOGIN))
    code, output = notify_test(tmp_path)
    assert code == 1  # delivered to one of two: said, and not a success
    assert "refused accounts@shop.test: 550 5.1.1 no such mailbox" in output
    assert [d.recipients for d in mail_server.received] == [["owner@shop.test"]]

    mail_server.refuse("owner@shop.test", "450 4.2.1 mailbox busy, try later")
    settings = NotificationSettings(**mail_settings(mail_server, **LOGIN))
    with pytest.raises(RetriableError, match="refused every recipient"):
        Mailer.from_settings(settings).send(_message(settings.model_dump()))


def test_missing_password_secret_and_missing_settings(
    mail_server: MailServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_profile(tmp_path)
    code, output = notify_test(tmp_path)
    assert code == 2 and "has no [notifications] host" in output

    monkeypatch.delenv(PASSWORD_ENV)
    make_profile(tmp_path, **mail_settings(mail_server, **LOGIN))
    code, output = notify_test(tmp_path)
    assert code == 1
    assert f"the environment variable {PASSWORD_ENV} is not set" in output
    assert not mail_server.received


def _message(settings: dict[str, object]):  # noqa: ANN202 - an EmailMessage
    return trial_message(NotificationSettings.model_validate(settings), "shop", datetime.now(UTC))
