"""Consumer key / secret checks, as ``WC_REST_Authentication`` performs them over HTTPS.

Docs: woocommerce-rest-api-docs ``_authentication.md`` § Authentication over
HTTPS — HTTP Basic auth with the key as user name and the secret as
password, or ``consumer_key`` / ``consumer_secret`` in the query string.
Source: woocommerce ``includes/class-wc-rest-authentication.php``,
``perform_basic_authentication`` (HTTPS; the query string first, then the basic-auth
header): a key the
shop does not know returns false without an error, so the request goes on
anonymous, like one with *no* credentials, and the route's permission check
answers ``woocommerce_rest_cannot_view`` (and kin), 401; a known key with the
wrong secret is ``woocommerce_rest_authentication_error`` "Consumer secret is
invalid." (401) on *any* route. ("Consumer key is invalid." is the OAuth 1.0a
path, plain HTTP only.)
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping

from .errors import ApiError

__all__ = ["authenticate", "permission_error"]


def _extract(headers: Mapping[str, str], query: Mapping[str, list[str]]) -> tuple[str, str] | None:
    # "If the $_GET parameters are present, use those first": a site password in the
    # header (a staging shop behind the web server's basic auth) does not hide them.
    if query.get("consumer_key", [""])[-1] and query.get("consumer_secret", [""])[-1]:
        return query["consumer_key"][-1], query["consumer_secret"][-1]
    header = headers.get("Authorization") or headers.get("authorization") or ""
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, _, password = decoded.partition(":")
        return user, password
    return None


def authenticate(
    headers: Mapping[str, str],
    query: Mapping[str, list[str]],
    consumer_key: str,
    consumer_secret: str,
) -> bool:
    """True when valid credentials were sent, False when none or an unknown key;
    raise on a known key with the wrong secret."""
    creds = _extract(headers, query)
    if creds is None:
        return False
    key, secret = creds
    if not hmac.compare_digest(key.encode(), consumer_key.encode()):
        return False
    if not hmac.compare_digest(secret.encode(), consumer_secret.encode()):
        raise ApiError(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.")
    return True


def permission_error(method: str, *, collection: bool, batch: bool = False) -> ApiError:
    """The 401 a route's permission callback returns to an anonymous caller."""
    if batch:
        return ApiError(
            401,
            "woocommerce_rest_cannot_batch",
            "Sorry, you are not allowed to batch manipulate this resource.",
        )
    if method == "GET":
        message = (
            "Sorry, you cannot list resources."
            if collection
            else "Sorry, you cannot view this resource."
        )
        return ApiError(401, "woocommerce_rest_cannot_view", message)
    if method == "POST" and collection:
        return ApiError(
            401, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."
        )
    if method == "DELETE":
        return ApiError(
            401,
            "woocommerce_rest_cannot_delete",
            "Sorry, you are not allowed to delete this resource.",
        )
    return ApiError(
        401, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."
    )
