"""Shared HTTP plumbing for shop connectors: options, retries, error mapping.

Every shop connector talks HTTP the same way: a timeout, a few tries with
back-off on what is transient (429, 5xx, timeouts, a malformed body), the
server's ``Retry-After`` honoured, and every failure turned into an error of
``errors.py`` whose message a merchant can act on. Retries use tenacity rather
than a hand-written loop.
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
import tenacity

from passerelle.connectors.errors import (
    AuthenticationError,
    ConnectorError,
    FatalError,
    NotFoundError,
    RecordError,
    RetriableError,
    ShopUnreachable,
)
from passerelle.connectors.site_access import (
    SiteLogin,
    key_hidden_by_site,
    refused_by_site,
    refused_tls_version,
    tls_verify,
    with_site_login,
)
from passerelle.i18n.messages import M_, Text

__all__ = ["HttpOptions", "RetryingClient", "parse_retry_after", "redact_in_logs"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HttpOptions:
    """P5 HTTP options of a shop connection."""

    timeout: float = 30.0
    max_tries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    delay_between_requests: float = 0.0
    user_agent: str = "passerelle"
    verify: bool | Path = True  # True, False, or the path of a CA bundle
    proxy: str | None = None
    #: The web server's password in front of the shop (``site_access.py``).
    site: SiteLogin | None = None
    #: The lowest TLS version accepted ("1.2", "1.3"); None: the library's default.
    min_tls: str | None = None


# Loggers of the HTTP stack that write URLs or headers. A logger's filter only
# sees that logger's own records, so each is named.
HTTP_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
)


class _Redactor(logging.Filter):
    """Masks the values of secret query parameters in log records."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.pattern: re.Pattern[str] | None = None

    def add(self, *names: str) -> None:
        self.names.update(names)
        alternatives = "|".join(sorted(map(re.escape, self.names)))
        self.pattern = re.compile(rf"((?:{alternatives})=)[^&\s\"'>;,]+")

    def _clean(self, value: object) -> object:
        text = str(value)
        if self.pattern is None or not any(name in text for name in self.names):
            return value
        return self.pattern.sub(r"\1***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self._clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: self._clean(v) for k, v in record.args.items()}
        if isinstance(record.msg, str):
            record.msg = str(self._clean(record.msg))
        return True


_REDACTOR = _Redactor()


def redact_in_logs(*names: str, loggers: tuple[str, ...] = HTTP_LOGGERS) -> None:
    """Never let these query parameters' values reach a log line of these loggers."""
    _REDACTOR.add(*names)
    for name in loggers:
        logger = logging.getLogger(name)
        if _REDACTOR not in logger.filters:
            logger.addFilter(_REDACTOR)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _WaitWithRetryAfter(tenacity.wait.wait_base):
    """Exponential back-off with jitter, but never shorter than ``Retry-After``."""

    def __init__(self, base: float, maximum: float) -> None:
        self.base = base
        self.maximum = maximum

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        attempt = retry_state.attempt_number
        delay = min(self.maximum, self.base * (2 ** (attempt - 1)))
        delay = random.uniform(delay / 2, delay)
        outcome = retry_state.outcome
        if outcome is not None and outcome.failed:
            error = outcome.exception()
            if isinstance(error, RetriableError) and error.retry_after is not None:
                delay = max(delay, min(error.retry_after, self.maximum))
        return delay


def _shop_did_nothing(error: BaseException) -> bool:
    """Rate limited (429) or never connected: safe to send again even a create."""
    return isinstance(error, ShopUnreachable) or (
        isinstance(error, RetriableError) and error.status == 429
    )


ErrorBodyReader = Callable[[httpx.Response], tuple[str, str]]


def _default_error_body(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    if isinstance(body, dict):
        return str(body.get("code", "")), str(body.get("message", ""))
    return "", str(body)[:200]


class RetryingClient:
    """An ``httpx.Client`` that retries what is transient and names what is not.

    ``platform`` is the name used in messages ("WooCommerce"); ``read_error``
    extracts (code, message) from a platform's error body.
    """

    def __init__(
        self,
        *,
        base_url: str,
        platform: str,
        options: HttpOptions,
        auth: httpx.Auth | None = None,
        read_error: ErrorBodyReader = _default_error_body,
        sleep: Callable[[float], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.platform = platform
        self.options = options
        self.read_error = read_error
        self.request_count = 0
        #: Seconds spent waiting for the shop's answers, retries included (the metrics'
        #: latency by platform); sleeps between tries are not counted.
        self.request_seconds = 0.0
        self._http = httpx.Client(
            base_url=base_url,
            auth=with_site_login(auth, options.site),
            timeout=options.timeout,
            verify=tls_verify(options.verify, options.min_tls),
            proxy=options.proxy,
            headers={"User-Agent": options.user_agent, "Accept": "application/json"},
            transport=transport,
        )
        retrying_kwargs: dict[str, Any] = {}
        if sleep is not None:
            retrying_kwargs["sleep"] = sleep
        self._retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(max(1, options.max_tries)),
            wait=_WaitWithRetryAfter(options.backoff_base, options.backoff_max),
            retry=tenacity.retry_if_exception_type(RetriableError),
            reraise=True,
            before_sleep=self._log_retry,
            **retrying_kwargs,
        )
        # Told of each retry as it happens (the runner points it at the journal).
        self.on_retry: Callable[[str], None] | None = None

    def close(self) -> None:
        self._http.close()

    def _log_retry(self, retry_state: tenacity.RetryCallState) -> None:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        note = f"{self.platform}: try {retry_state.attempt_number} failed ({error}); retrying"
        log.info(note)
        if self.on_retry is not None:
            self.on_retry(note)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        what: Text = "",
        idempotent: bool | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> tuple[Any, httpx.Response]:
        """Send one request with retries; return (decoded JSON, response).

        ``content`` is a raw body sent as it is (with ``content_type``) instead
        of ``json_body``: the PrestaShop Webservice takes XML.

        A request that creates something is not idempotent: if its answer is
        lost (timeout, 5xx, malformed body) the shop may have created the
        record, so it is not blindly sent again — the error goes up and the
        flow looks the record up by its reference before creating it again.
        Rate limiting (429) and a refused connection are always retried: the
        shop did nothing.
        """
        if idempotent is None:
            idempotent = method.upper() in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
        retrying = (
            self._retrying
            if idempotent
            else self._retrying.copy(retry=tenacity.retry_if_exception(_shop_did_nothing))
        )
        body: dict[str, Any] = {"json": json_body}
        if content is not None:
            body = {
                "content": content,
                "headers": {"Content-Type": content_type or "application/octet-stream"},
            }
        return retrying(self._once, method, path, params, body, what)

    def _once(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        body: dict[str, Any],
        what: Text,
    ) -> tuple[Any, httpx.Response]:
        if self.options.delay_between_requests and self.request_count:
            time.sleep(self.options.delay_between_requests)
        self.request_count += 1
        label: Text = what or f"{method} {path}"
        sent = time.perf_counter()
        try:
            response = self._http.request(method, path, params=params, **body)
        except httpx.TimeoutException as exc:
            raise RetriableError(
                M_(
                    "%(platform)s did not answer within %(seconds)s s (%(request)s)",
                    platform=self.platform,
                    seconds=f"{self.options.timeout:g}",
                    request=label,
                )
            ) from exc
        except httpx.ConnectError as exc:
            raise self._connect_error(exc) from exc
        except httpx.RemoteProtocolError as exc:
            raise RetriableError(
                M_(
                    "%(platform)s closed the connection (%(request)s)",
                    platform=self.platform,
                    request=label,
                )
            ) from exc
        except httpx.HTTPError as exc:
            raise RetriableError(
                M_(
                    "%(platform)s: %(error)s (%(request)s)",
                    platform=self.platform,
                    error=type(exc).__name__,
                    request=label,
                )
            ) from exc
        finally:
            self.request_seconds += time.perf_counter() - sent
        return self._decode(response, label), response

    def _connect_error(self, exc: httpx.ConnectError) -> ConnectorError:
        text = str(exc)
        base = str(self._http.base_url)
        too_old = refused_tls_version(exc, self.platform, base, self.options.min_tls)
        if too_old is not None:
            return too_old
        if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
            return FatalError(
                M_(
                    "%(platform)s at %(url)s: the TLS certificate was not accepted (%(error)s). "
                    "Check the shop URL, or give the CA bundle of a self-signed certificate.",
                    platform=self.platform,
                    url=base,
                    error=text,
                )
            )
        # Refused or unresolved: the server restarting or the network down, the
        # usual case for a shop that answered before; retried like a 5xx.
        return ShopUnreachable(
            M_(
                "%(platform)s at %(url)s cannot be reached (%(error)s). "
                "Check the shop URL and that the server is up.",
                platform=self.platform,
                url=base,
                error=text,
            ),
            url=base,
        )

    def _decode(self, response: httpx.Response, label: Text) -> Any:
        status = response.status_code
        if status < 400:
            if status == 204 or not response.content:
                return None
            try:
                return response.json()
            except (ValueError, json.JSONDecodeError) as exc:
                raise RetriableError(
                    M_(
                        "%(platform)s answered %(request)s with a malformed JSON body",
                        platform=self.platform,
                        request=label,
                    ),
                    status=status,
                ) from exc
        site = refused_by_site(response, self.platform, str(self._http.base_url), self.options.site)
        if site is not None:
            raise site
        code, message = self.read_error(response)
        # The shop's own words (``message``) are its text, shown as they are.
        said = {"platform": self.platform, "request": label}
        said["message"] = message or response.reason_phrase
        detail = (
            M_("%(platform)s refused %(request)s: %(message)s [%(code)s]", code=code, **said)
            if code
            else M_("%(platform)s refused %(request)s: %(message)s", **said)
        )
        if status == 401 and self.options.site is not None:
            raise key_hidden_by_site(detail, self.platform)
        if status in (401, 403):
            raise AuthenticationError(
                M_(
                    "%(refusal)s. Check the API credentials of the profile and their permissions.",
                    refusal=detail,
                ),
                status=status,
                code=code,
            )
        if status == 404:
            raise NotFoundError(detail, status=status, code=code)
        if status == 429 or status >= 500:
            raise RetriableError(
                detail,
                status=status,
                code=code,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        raise RecordError(detail, status=status, code=code)
