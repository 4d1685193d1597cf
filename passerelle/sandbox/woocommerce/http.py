"""Request / response values and the route table, free of any socket code.

Why separate: resource modules and :meth:`WooSandbox.create_order` work on
these plain values, so they can be called from Python without HTTP, and the
server module stays a thin adapter around ``http.server``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .params import Params

__all__ = ["NAMESPACE", "Request", "Response", "Route", "Router", "wp_json_encode"]

NAMESPACE = "wc/v3"


def wp_json_encode(body: Any) -> bytes:
    """``wp_json_encode``: ASCII only and ``\\/`` for slashes, like PHP's json_encode.

    The REST server writes its answers so, and a webhook's body (which is signed
    as sent) is the same encoding of the same data."""
    return json.dumps(body, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/").encode()


@dataclass
class Request:
    """One API call, already authenticated and parsed."""

    method: str
    route: str  # path below /wp-json, e.g. "/wc/v3/products/12"
    params: Params
    query: dict[str, list[str]]
    site_url: str

    @property
    def api_root(self) -> str:
        return f"{self.site_url}/wp-json"

    def url(self, route: str) -> str:
        """Absolute URL of a REST route (``rest_url``)."""
        return f"{self.api_root}{route}"


@dataclass
class Response:
    """What a handler answers; the server serialises ``body`` as JSON."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Response]


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern[str]
    methods: frozenset[str]
    handler: Handler
    public: bool = False  # True: no authentication needed (the namespace index)
    collection: bool = False  # for the wording of permission errors
    batch: bool = False
    template: str = ""


class Router:
    """Ordered route table matching ``/wc/v3/...`` paths with named groups."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(
        self,
        template: str,
        methods: str,
        handler: Handler,
        *,
        public: bool = False,
        collection: bool = False,
        batch: bool = False,
    ) -> None:
        def group(found: re.Match[str]) -> str:
            name = found.group(1)
            # WooCommerce routes take ids as (?P<id>[\d]+); other captures are slugs.
            return f"(?P<{name}>\\d+)" if name.endswith("id") else f"(?P<{name}>[\\w-]+)"

        regex = "^" + re.sub(r"<(\w+)>", group, template) + "/?$"
        self.routes.append(
            Route(
                re.compile(regex),
                frozenset(methods.split()),
                handler,
                public,
                collection,
                batch,
                template,
            )
        )

    def match(self, method: str, route: str) -> tuple[Route, dict[str, str]] | None:
        for candidate in self.routes:
            found = candidate.pattern.match(route)
            if found and method in candidate.methods:
                return candidate, found.groupdict()
        return None

    def templates(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for r in self.routes:
            out.setdefault(r.template, set()).update(r.methods)
        return out
