"""Collection paging exactly as WooCommerce's CRUD controllers do it.

Docs: woocommerce-rest-api-docs ``_introduction.md`` § Pagination — ``page``
(1-based), ``per_page`` (default 10; the schema caps it at 100, over which
WordPress answers ``rest_invalid_param``), ``offset``; totals in
``X-WP-Total`` / ``X-WP-TotalPages``. Source
``abstract-wc-rest-crud-controller.php::get_items``: the ``Link`` header only
carries ``prev`` and ``next`` (the docs also list ``first``/``last``, which
the code never sends), built from the request's *own* query arguments —
``consumer_key``/``consumer_secret`` included when query-string auth was
used, so clients must not log that header. A page past the end is an empty
list with the same headers, not an error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TypeVar
from urllib.parse import urlencode

from .params import Params

__all__ = ["paginate"]

T = TypeVar("T")


def paginate(
    items: Sequence[T], params: Params, *, collection_url: str, query: Mapping[str, list[str]]
) -> tuple[list[T], dict[str, str]]:
    """Slice ``items`` for the requested page; return it with the paging headers."""
    page = params.integer("page", 1, minimum=1) or 1
    per_page = params.integer("per_page", 10, minimum=1, maximum=100) or 10
    offset = params.integer("offset", None, minimum=0)
    total = len(items)
    start = offset if offset is not None else (page - 1) * per_page
    chunk = list(items[start : start + per_page])
    if offset is not None:
        # WordPress's WP_Query counts pages on the remainder after the offset.
        max_pages = math.ceil(max(total - offset, 0) / per_page)
    else:
        max_pages = math.ceil(total / per_page)
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(max_pages)}
    links = []
    pairs = [(k, v) for k, values in query.items() if k != "page" for v in values]
    if page > 1:
        prev_page = min(page - 1, max_pages) if max_pages else page - 1
        links.append(f'<{collection_url}?{urlencode(pairs + [("page", prev_page)])}>; rel="prev"')
    if max_pages > page:
        links.append(f'<{collection_url}?{urlencode(pairs + [("page", page + 1)])}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return chunk, headers
