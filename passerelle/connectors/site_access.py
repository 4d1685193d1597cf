"""Getting through what stands in front of a shop's API: a web-server password, a TLS floor.

Why a module of its own: merchants put staging shops behind the web server's
basic auth (Apache ``AuthType Basic``, nginx ``auth_basic``) and some demand
TLS 1.2 or 1.3; every connector meets both the same way, through the shared
client (:mod:`passerelle.connectors.http`). What differs per platform is
only where its own key goes once the ``Authorization`` header carries the
site password (HTTP has one such header):

- WooCommerce: its keys go as ``consumer_key``/``consumer_secret`` query
  parameters, which its docs allow over HTTPS (``_authentication.md``) and
  which ``WC_REST_Authentication::perform_basic_authentication`` reads
  *before* the basic-auth user, so the site password reaching PHP is harmless;
- PrestaShop: its key goes as ``ws_key`` (documented, "Include key in url",
  ``webservice/tutorials/testing-access.md``); its ``webservice/dispatcher.php``
  reads the basic-auth user *first*, so the web server must not hand the
  ``Authorization`` header on to PHP for ``/api`` (or ``/api`` is left out of
  the password);
- Shopify and BigCommerce: their tokens have headers of their own
  (``X-Shopify-Access-Token``, ``X-Auth-Token``): no conflict;
- Magento: its integration token is read from ``Authorization: Bearer``
  only (``TokenUserContext``), so it cannot share the header: refused with
  what to change on the web server.

Nothing here logs or words the password; :class:`SiteLogin` keeps it out of
its ``repr``.
"""

from __future__ import annotations

import ssl
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from passerelle.connectors.errors import AuthenticationError, FatalError
from passerelle.i18n.messages import M_, Message

__all__ = [
    "TLS_VERSIONS",
    "key_hidden_by_site",
    "QueryAuth",
    "SiteLogin",
    "refused_by_site",
    "refused_tls_version",
    "token_needs_the_header",
    "tls_verify",
    "with_site_login",
]

#: The minimum TLS versions a profile may ask for, as ``ssl`` names them.
TLS_VERSIONS: dict[str, ssl.TLSVersion] = {
    "1.2": ssl.TLSVersion.TLSv1_2,
    "1.3": ssl.TLSVersion.TLSv1_3,
}


@dataclass(frozen=True, slots=True)
class SiteLogin:
    """The web server's user and password in front of the shop (never in a repr)."""

    user: str
    password: str = field(repr=False)


def tls_verify(verify: bool | Path, min_tls: str | None) -> bool | ssl.SSLContext:
    """What ``httpx`` takes as ``verify``: the CA bundle and the TLS floor in one context.

    ``min_tls`` None keeps the library's default (``ssl``'s, TLS 1.2 today).
    """
    if min_tls is None:
        if isinstance(verify, Path):
            return ssl.create_default_context(cafile=str(verify))
        return verify
    context = ssl.create_default_context(cafile=str(verify) if isinstance(verify, Path) else None)
    if verify is False:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    context.minimum_version = TLS_VERSIONS[min_tls]
    return context


class QueryAuth(httpx.Auth):
    """A platform key sent as query parameters (the header is the site password's)."""

    def __init__(self, **params: str) -> None:
        self._params = params

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.url = request.url.copy_merge_params(self._params)
        yield request


class _Both(httpx.Auth):
    """The platform's own authentication, then the site password in ``Authorization``."""

    def __init__(self, platform: httpx.Auth | None, site: SiteLogin) -> None:
        self._platform = platform
        self._site = httpx.BasicAuth(site.user, site.password)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._platform is not None:
            request = next(self._platform.auth_flow(request))
        yield next(self._site.auth_flow(request))


def with_site_login(auth: httpx.Auth | None, site: SiteLogin | None) -> httpx.Auth | None:
    """``auth`` with the site password added when the shop is behind one.

    The platform's auth must not use ``Authorization`` then: its connector
    chose the query-parameter form (WooCommerce, PrestaShop) or refused (Magento).
    """
    return auth if site is None else _Both(auth, site)


def _web_server_challenge(response: httpx.Response, platform: str) -> bool:
    """A 401 of the web server's basic auth, not of the platform's API: a Basic
    challenge whose realm is not the platform's, with no JSON or XML body."""
    challenge = response.headers.get("WWW-Authenticate", "")
    if response.status_code != 401 or not challenge.lower().startswith("basic"):
        return False
    if platform.lower() in challenge.lower():  # PrestaShop's own "Welcome to PrestaShop…"
        return False
    kind = response.headers.get("Content-Type", "").lower()
    return "json" not in kind and "xml" not in kind


def refused_by_site(
    response: httpx.Response, platform: str, url: str, site: SiteLogin | None
) -> AuthenticationError | None:
    """The error of a 401 the web server in front of the shop answered, else None."""
    if not _web_server_challenge(response, platform):
        return None
    if site is None:
        return AuthenticationError(
            M_(
                "%(platform)s at %(url)s is behind a web-server password (HTTP 401 before the "
                "shop's API). Set http_auth_user and http_auth_password under [shop.http] in "
                "the profile.",
                platform=platform,
                url=url,
            ),
            status=401,
            code="site_password",
        )
    return AuthenticationError(
        M_(
            "%(platform)s at %(url)s: the web server in front of the shop refused the site "
            "password of user %(user)s (HTTP 401, the shop's API keys were not tried). Check "
            "http_auth_user and the secret http_auth_password names under [shop.http].",
            platform=platform,
            url=url,
            user=site.user,
        ),
        status=401,
        code="site_password",
    )


def key_hidden_by_site(refusal: Message, platform: str) -> AuthenticationError:
    """The platform's own 401 while a site password is sent: the web server may have
    handed the password on, read in place of the key (PrestaShop's dispatcher does)."""
    return AuthenticationError(
        M_(
            "%(refusal)s. The shop is behind a site password: if its web server hands the "
            "Authorization header on, %(platform)s reads the site password in place of its "
            "own key. Keep that header on the web server (docs/operations.md), else check "
            "the API credentials of the profile.",
            refusal=refusal,
            platform=platform,
        ),
        status=401,
    )


#: OpenSSL's words when the two sides share no TLS version.
_VERSION_WORDS = ("PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL", "NO_PROTOCOLS_AVAILABLE")


def refused_tls_version(
    error: BaseException, platform: str, url: str, min_tls: str | None
) -> FatalError | None:
    """The error of a handshake that failed on the TLS version the profile demands."""
    text = str(error).upper()
    if min_tls is None or not any(word in text for word in _VERSION_WORDS):
        return None
    return FatalError(
        M_(
            "%(platform)s at %(url)s does not offer TLS %(version)s or newer, which the profile "
            "requires (min_tls under [shop.http]). Ask the shop's host to enable TLS "
            "%(version)s, or lower min_tls.",
            platform=platform,
            url=url,
            version=min_tls,
        ),
        code="tls_version",
    )


def token_needs_the_header(url: str) -> FatalError:
    """Magento reads its integration token from ``Authorization: Bearer`` only, the
    header a site password needs too: what the merchant changes on the web server."""
    return FatalError(
        M_(
            "Magento at %(url)s: Magento takes its access token only in the Authorization "
            "header, which the web-server password would need too. Leave /rest/ out of the "
            "password on the web server (or let passerelle's address through), then remove "
            "http_auth_user and http_auth_password from [shop.http].",
            url=url,
        ),
        code="site_password",
    )
