"""A shop behind the web server's password, and a TLS floor, on every platform.

In front of each platform's sandbox stands a loopback HTTPS "web server" that
does what Apache's ``AuthType Basic`` or nginx's ``auth_basic`` does: a 401
page with a ``Basic`` challenge to a request without the right user and
password, else the request handed on. By default it hands the
``Authorization`` header on to the shop (mod_php and php-fpm put it in
``PHP_AUTH_USER``); for PrestaShop it is configured as the docs of
``passerelle/connectors/site_access.py`` ask (the header not handed on for
``/api``), since PrestaShop's dispatcher reads the basic-auth user before
``ws_key``. Magento cannot share the header with its token: it is refused,
with what to change. A second server offers TLS 1.2 only (a trustme CA): a
profile asking TLS 1.3 is refused in the merchant's words, in French too.
The site password never appears in a log line, an error or its French.
"""

from __future__ import annotations

import base64
import logging
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from passerelle.connectors.base import Shop
from passerelle.connectors.errors import AuthenticationError, ConnectorError, FatalError
from passerelle.i18n.messages import render, said
from passerelle.platforms import build_shop, shop_kinds_with_sandbox, shop_platform, start_sandbox
from passerelle.platforms.settings import HttpSettings, http_options
from passerelle.sandbox.kit.tls import CertificateAuthority

USER = "staging"
PASSWORD = "s3cret-Site-Pa55"  # noqa: S105 - the site password the tests look for
WRONG = "not-the-Pa55word"  # noqa: S105
#: PrestaShop's dispatcher.php reads PHP_AUTH_USER before ws_key: its web server must
#: not hand the Authorization header on to /api (the documented configuration).
KEEPS_THE_HEADER = {"prestashop"}
HOP_BY_HOP = {"connection", "content-length", "content-encoding", "transfer-encoding", "keep-alive"}


class WebServer:
    """A loopback HTTPS server asking a basic-auth login, in front of ``upstream``."""

    def __init__(self, upstream: str, ca: Path, context: ssl.SSLContext, hand_on: bool) -> None:
        self.upstream = upstream.rstrip("/")
        self.hand_on = hand_on
        self.refused = 0
        self.forward = httpx.Client(verify=ssl.create_default_context(cafile=str(ca)), timeout=30)
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.headers.get("Authorization") != expected:
                    server.refused += 1
                    page = b"<html><head><title>401 Authorization Required</title></head></html>"
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="Staging"')
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    self.wfile.write(page)
                    return
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in HOP_BY_HOP | {"host"}
                    and (server.hand_on or k.lower() != "authorization")
                }
                answer = server.forward.request(
                    self.command, server.upstream + self.path, headers=headers, content=body
                )
                self.send_response(answer.status_code)
                for name, value in answer.headers.multi_items():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _any  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> WebServer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.forward.close()


class Site:
    """A started sandbox behind its web server, and the profile's ``[shop]`` for it."""

    def __init__(self, kind: str, sandbox: Any, web: WebServer) -> None:
        self.kind, self.sandbox, self.web = kind, sandbox, web
        self.secrets = {**sandbox.secrets(), "SITE_PASSWORD": PASSWORD, "WRONG_PASSWORD": WRONG}

    def shop(self, **http: Any) -> Shop:
        table: dict[str, Any] = {
            k: (self.web.url if v == self.sandbox.url else v)
            for k, v in self.sandbox.profile_shop().items()
        }
        table["http"] = {**table["http"], "max_tries": 1, **http}
        settings = shop_platform(self.kind).settings.model_validate(table)
        return build_shop(settings, self.resolve)

    def resolve(self, reference: str, *, field: str) -> str:
        return self.secrets[reference.removeprefix("env:")]


@contextmanager
def behind_password(kind: str, state: Path, *, hand_on: bool) -> Iterator[Site]:
    """``kind``'s sandbox started under ``state``, behind its web server."""
    sandbox = start_sandbox(kind, state)
    try:
        ca = Path(sandbox.http_options()["ca_bundle"])
        context = CertificateAuthority(ca.parent).server_context("127.0.0.1")
        with WebServer(sandbox.url, ca, context, hand_on) as web:
            yield Site(kind, sandbox, web)
    finally:
        sandbox.stop()


@pytest.fixture(scope="module", params=shop_kinds_with_sandbox())
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    kind = str(request.param)
    with behind_password(
        kind, tmp_path_factory.mktemp(kind), hand_on=kind not in KEEPS_THE_HEADER
    ) as site:
        yield site


LOGIN = {"http_auth_user": USER, "http_auth_password": "env:SITE_PASSWORD"}


def _refusal(shop: Shop) -> ConnectorError:
    """What the shop's first request raises (the shop closed after)."""
    try:
        with pytest.raises(ConnectorError) as caught:
            shop.list_categories()
    finally:
        shop.close()
    return caught.value


def _no_password(error: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    for text in (str(error), repr(error), render(said(error), "fr"), caplog.text):
        assert PASSWORD not in text and WRONG not in text


def test_without_the_site_password_the_merchant_is_told_to_set_it(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    refused = site.web.refused
    error = _refusal(site.shop())
    assert isinstance(error, AuthenticationError)
    assert site.web.refused > refused  # the web server's 401, not the platform's
    label = shop_platform(site.kind).label
    assert str(error).startswith(f"{label} at {site.web.url}")
    assert "is behind a web-server password" in str(error)
    assert "http_auth_user and http_auth_password under [shop.http]" in str(error)
    french = render(said(error), "fr")
    assert "est derrière un mot de passe du serveur web" in french
    _no_password(error, caplog)


def test_with_the_site_password_the_shop_answers(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    if site.kind == "magento":
        # Magento reads its token from ``Authorization: Bearer`` only.
        with pytest.raises(FatalError) as caught:
            site.shop(**LOGIN)
        assert "Leave /rest/ out of the password on the web server" in str(caught.value)
        assert "Excluez /rest/ du mot de passe" in render(said(caught.value), "fr")
        _no_password(caught.value, caplog)
        return
    if site.kind == "wix":
        # Wix takes its API key in Authorization, and its API is Wix's own server.
        with pytest.raises(FatalError) as caught:
            site.shop(**LOGIN)
        assert "Remove http_auth_user and http_auth_password" in str(caught.value)
        _no_password(caught.value, caplog)
        return
    refused = site.web.refused
    shop = site.shop(**LOGIN)
    try:
        categories = shop.list_categories()
        assert isinstance(categories, list)
    finally:
        shop.close()
    assert site.web.refused == refused
    # Neither the site password nor the platform's keys, now in the query for
    # WooCommerce and PrestaShop, reach a log line.
    for secret in site.secrets.values():
        assert secret not in caplog.text


def test_a_wrong_site_password_is_said_as_such(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    if site.kind in ("magento", "wix"):
        pytest.skip(f"{site.kind} refuses a site password at build (test above)")
    caplog.set_level(logging.DEBUG)
    error = _refusal(site.shop(http_auth_user=USER, http_auth_password="env:WRONG_PASSWORD"))
    assert isinstance(error, AuthenticationError)
    assert error.code == "site_password"
    assert f"refused the site password of user {USER}" in str(error)
    assert "the shop's API keys were not tried" in str(error)
    assert "Check the API credentials" not in str(error)  # not the platform's 401
    assert f"a refusé le mot de passe du site de l'utilisateur {USER}" in render(said(error), "fr")
    _no_password(error, caplog)


def test_prestashop_behind_a_server_handing_the_header_on_is_told_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # dispatcher.php reads the basic-auth user before ws_key: the site user is taken
    # for the key, and the merchant is told to keep the header on the web server.
    caplog.set_level(logging.DEBUG)
    with behind_password("prestashop", tmp_path, hand_on=True) as site:
        error = _refusal(site.shop(**LOGIN))
    assert isinstance(error, AuthenticationError)
    assert "Invalid authentication key format [18]" in str(error)  # PrestaShop's own words
    assert "PrestaShop reads the site password in place of its own key" in str(error)
    assert "Keep that header on the web server" in str(error)
    assert "PrestaShop lit le mot de passe du site à la place de sa propre clé" in render(
        said(error), "fr"
    )
    _no_password(error, caplog)


def test_the_resolved_password_is_in_no_repr() -> None:
    http = HttpSettings.model_validate(LOGIN)
    options = http_options(http, lambda reference, *, field: PASSWORD)
    assert options.site is not None and options.site.password == PASSWORD
    assert PASSWORD not in repr(options) and PASSWORD not in repr(http)


def test_a_user_without_a_password_is_refused_by_the_profile() -> None:
    with pytest.raises(ValueError, match="go together"):
        HttpSettings.model_validate({"http_auth_user": USER})
    with pytest.raises(ValueError, match="env:VARIABLE or keyring"):
        HttpSettings.model_validate({"http_auth_user": USER, "http_auth_password": PASSWORD})
    with pytest.raises(ValueError):
        HttpSettings.model_validate({"min_tls": "1.1"})


# -- the TLS floor ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls12_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A shop address served over TLS 1.2 at most, answering ``[]`` to any request."""
    ca = trustme.CA()
    bundle = tmp_path_factory.mktemp("tls") / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    ca.issue_cert("127.0.0.1").configure_cert(context)

    class Empty(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"[]")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Empty)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", bundle
    finally:
        server.shutdown()
        server.server_close()


def _woocommerce(url: str, bundle: Path, **http: Any) -> Shop:
    settings = shop_platform("woocommerce").settings.model_validate(
        {
            "kind": "woocommerce",
            "url": url,
            "consumer_key": "env:KEY",
            "consumer_secret": "env:SECRET",
            "http": {"ca_bundle": str(bundle), "max_tries": 1, **http},
        }
    )
    return build_shop(settings, lambda reference, *, field: "x" + reference)


def test_a_shop_offering_only_tls_1_2_is_refused_when_the_profile_asks_1_3(
    tls12_only: tuple[str, Path],
) -> None:
    url, bundle = tls12_only
    error = _refusal(_woocommerce(url, bundle, min_tls="1.3"))
    assert isinstance(error, ConnectorError)
    assert isinstance(error, FatalError) and error.code == "tls_version"
    assert f"WooCommerce at {url}" in str(error)
    assert "does not offer TLS 1.3 or newer, which the profile requires" in str(error)
    assert "ne propose pas TLS 1.3 ou plus récent, que le profil exige" in render(said(error), "fr")


@pytest.mark.parametrize("floor", [None, "1.2"])
def test_the_same_shop_answers_when_the_profile_accepts_tls_1_2(
    tls12_only: tuple[str, Path], floor: str | None
) -> None:
    url, bundle = tls12_only
    shop = _woocommerce(url, bundle, **({"min_tls": floor} if floor else {}))
    try:
        assert shop.list_categories() == []
    finally:
        shop.close()
