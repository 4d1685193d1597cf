"""Helpers shared by the collection modules: links, slugs, meta data, batch, sorting.

Each follows one WooCommerce behaviour, cited where it is defined, so a
collection module reads as the list of its documented fields and rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

from ..errors import ApiError
from ..http import NAMESPACE, Handler, Request, Response, Router
from ..params import Params, format_gmt, format_local, now_utc, stored_datetime
from ..state import Store

__all__ = [
    "Shop",
    "apply_meta_data",
    "batch",
    "crud_routes",
    "links",
    "set_dates",
    "slugify",
    "unique_slug",
]

BATCH_LIMIT = 100


class Shop:
    """What every resource handler needs: the store and the shop's clock."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def data(self):  # noqa: ANN201 - Data, avoided to keep imports light
        return self.store.data

    def now(self) -> datetime:
        return now_utc()


def links(req: Request, base: str, item_id: int | str, **extra: str) -> dict[str, Any]:
    """The ``_links`` block (``prepare_links``): self, collection and extras."""
    out: dict[str, Any] = {
        "self": [{"href": req.url(f"/{NAMESPACE}/{base}/{item_id}")}],
        "collection": [{"href": req.url(f"/{NAMESPACE}/{base}")}],
    }
    for rel, route in extra.items():
        out[rel] = [{"href": req.url(route)}]
    return out


def set_dates(record: dict[str, Any], moment: datetime, *, created: bool) -> None:
    """Write ``date_created``/``date_modified`` (+ ``_gmt``) as the REST API renders them."""
    if created:
        record["date_created"] = format_local(moment)
        record["date_created_gmt"] = format_gmt(moment)
    record["date_modified"] = format_local(moment)
    record["date_modified_gmt"] = format_gmt(moment)


def record_time(record: dict[str, Any], field: str) -> datetime | None:
    return stored_datetime(record.get(f"{field}_gmt"))


def slugify(text: str) -> str:
    """``sanitize_title``: accents stripped, lower case, dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug


def unique_slug(wanted: str, taken: Iterable[str] | Callable[[str], object]) -> str:
    """``wp_unique_post_slug``: append -2, -3… until free. ``taken``: the slugs in use,
    or a look-up answering whether a slug is (what WordPress asks its database)."""
    used = taken if callable(taken) else set(taken).__contains__
    if not used(wanted):
        return wanted
    n = 2
    while used(f"{wanted}-{n}"):
        n += 1
    return f"{wanted}-{n}"


def apply_meta_data(
    store: Store, current: list[dict[str, Any]], posted: Any
) -> list[dict[str, Any]]:
    """``WC_Data::update_meta_data`` for each posted ``{id?, key, value}``.

    With an ``id`` the row is updated; without, the first row with that key
    takes the value and duplicates are removed; an unknown key is added.
    """
    if not isinstance(posted, list):
        return current
    rows = [dict(r) for r in current]
    for meta in posted:
        if not isinstance(meta, dict) or "key" not in meta:
            continue
        key = str(meta["key"])
        value = meta.get("value")
        meta_id = meta.get("id")
        if meta_id:
            for row in rows:
                if row["id"] == int(meta_id):
                    row["key"], row["value"] = key, value
                    break
            continue
        same = [i for i, row in enumerate(rows) if row["key"] == key]
        if same:
            rows[same[0]]["value"] = value
            for i in reversed(same[1:]):
                del rows[i]
        else:
            rows.append({"id": store.next_id("meta"), "key": key, "value": value})
    return rows


def batch(
    req: Request,
    *,
    create: Callable[[dict[str, Any]], dict[str, Any]] | None,
    update: Callable[[int, dict[str, Any]], dict[str, Any]] | None,
    delete: Callable[[int], dict[str, Any]] | None,
) -> Response:
    """``WC_REST_Controller::batch_items``: 100 items in total, errors reported per item."""
    body = req.params.body
    total = sum(
        len(body[k]) for k in ("create", "update", "delete") if isinstance(body.get(k), list)
    )
    if total > BATCH_LIMIT:
        raise ApiError(
            413,
            "woocommerce_rest_request_entity_too_large",
            f"Unable to accept more than {BATCH_LIMIT} items for this request.",
        )
    out: dict[str, list[dict[str, Any]]] = {}

    def failure(item_id: Any, error: ApiError) -> dict[str, Any]:
        return {
            "id": item_id,
            "error": {
                "code": error.code,
                "message": error.message,
                "data": {"status": error.status, **error.extra_data},
            },
        }

    if create is not None and isinstance(body.get("create"), list):
        out["create"] = []
        for item in body["create"]:
            try:
                if not isinstance(item, dict):
                    raise ApiError(400, "rest_invalid_param", "Invalid parameter(s): create")
                out["create"].append(create(item))
            except ApiError as error:
                out["create"].append(failure(0, error))
    if update is not None and isinstance(body.get("update"), list):
        out["update"] = []
        for item in body["update"]:
            item_id = item.get("id", 0) if isinstance(item, dict) else 0
            try:
                out["update"].append(update(_as_id(item_id), item))
            except ApiError as error:
                out["update"].append(failure(item_id, error))
    if delete is not None and isinstance(body.get("delete"), list):
        out["delete"] = []
        for item in body["delete"]:
            item_id = item.get("id", 0) if isinstance(item, dict) else item
            try:
                out["delete"].append(delete(_as_id(item_id)))
            except ApiError as error:
                out["delete"].append(failure(item_id, error))
    return Response(out)


def _as_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def order_and_sort(
    items: list[dict[str, Any]],
    params: Params,
    keys: dict[str, Callable[[dict[str, Any]], Any]],
    *,
    default_orderby: str,
    default_order: str,
    include: list[int] | None = None,
) -> list[dict[str, Any]]:
    """Apply ``orderby``/``order`` (``include`` keeps the order ids were given in)."""
    options = list(keys) + (["include"] if "include" not in keys else [])
    orderby = params.enum("orderby", options, default_orderby) or default_orderby
    order = params.enum("order", ["asc", "desc"], default_order) or default_order
    if orderby == "include" and include:
        position = {item_id: i for i, item_id in enumerate(include)}
        return sorted(items, key=lambda r: position.get(r["id"], len(position)))
    key = keys.get(orderby, keys[default_orderby])
    # Ties are broken by id like MySQL's usual plan for these queries.
    return sorted(items, key=lambda r: (key(r), r["id"]), reverse=(order == "desc"))


def created_response(req: Request, body: dict[str, Any], base: str) -> Response:
    """201 Created with ``Location``, as the CRUD controllers answer a POST."""
    return Response(body, 201, {"Location": req.url(f"/{NAMESPACE}/{base}/{body['id']}")})


class CrudService(Protocol):
    """What a collection's service offers the generic routes (the store's lock held)."""

    def create(self, body: dict[str, Any], /) -> dict[str, Any]: ...

    def get(self, record_id: int, /) -> dict[str, Any]: ...

    def update(self, record_id: int, body: dict[str, Any], /) -> dict[str, Any]: ...

    def delete(self, record_id: int, force: bool, /) -> dict[str, Any]: ...

    def render(self, req: Request, record: dict[str, Any], /) -> dict[str, Any]: ...


def crud_routes(
    router: Router,
    collection: str,
    service: CrudService,
    store: Store,
    *,
    list_route: Handler,
    after_create: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    """The routes of a CRUD controller: ``batch``, list, create, and read / edit /
    delete by id (``force`` as posted; a batch delete forces, as ``batch_items``
    does). ``after_create`` runs once the 201 is built and the lock released (a
    new webhook's ping)."""
    base = f"/{NAMESPACE}/{collection}"
    lock = store.lock
    # WordPress checks a single request's arguments against the route's schema
    # before the handler runs; ``batch_items`` calls the handler directly, unchecked.
    check_schema: Callable[[dict[str, Any], bool], None] = getattr(
        service, "check_schema", lambda _body, _creating: None
    )

    def create(req: Request, body: dict[str, Any], created: list[dict[str, Any]]) -> Any:
        record = service.create(body)
        created.append(record)
        return service.render(req, record)

    def done(created: list[dict[str, Any]]) -> None:
        for record in created:
            if after_create is not None:
                after_create(record)

    def create_route(req: Request) -> Response:
        created: list[dict[str, Any]] = []
        check_schema(req.params.body, True)
        with lock:
            response = created_response(req, create(req, req.params.body, created), collection)
        done(created)
        return response

    def get_route(req: Request) -> Response:
        with lock:
            return Response(service.render(req, service.get(int(req.params.url["id"]))))

    def update_route(req: Request) -> Response:
        check_schema(req.params.body, False)
        with lock:
            record = service.update(int(req.params.url["id"]), req.params.body)
            return Response(service.render(req, record))

    def delete_route(req: Request) -> Response:
        with lock:
            record = service.delete(int(req.params.url["id"]), req.params.boolean("force"))
            return Response(service.render(req, record))

    def batch_route(req: Request) -> Response:
        created: list[dict[str, Any]] = []
        with lock:
            response = batch(
                req,
                create=lambda b: create(req, b, created),
                update=lambda i, b: service.render(req, service.update(i, b)),
                delete=lambda i: service.render(req, service.delete(i, True)),
            )
        done(created)
        return response

    router.add(f"{base}/batch", "POST PUT PATCH", batch_route, batch=True)
    router.add(base, "GET", list_route, collection=True)
    router.add(base, "POST", create_route, collection=True)
    router.add(f"{base}/<id>", "GET", get_route)
    router.add(f"{base}/<id>", "PUT PATCH POST", update_route)
    router.add(f"{base}/<id>", "DELETE", delete_route)


def filter_dates(items: list[dict[str, Any]], params: Params) -> list[dict[str, Any]]:
    """``after``/``before``/``modified_after``/``modified_before`` (+ ``dates_are_gmt``)."""
    gmt = params.boolean("dates_are_gmt", False)
    bounds = {
        name: params.date(name, gmt=gmt)
        for name in ("after", "before", "modified_after", "modified_before")
    }
    if not any(bounds.values()):
        return items
    out = []
    for item in items:
        created = record_time(item, "date_created")
        modified = record_time(item, "date_modified")
        if bounds["after"] and not (created and created > bounds["after"]):
            continue
        if bounds["before"] and not (created and created < bounds["before"]):
            continue
        if bounds["modified_after"] and not (modified and modified > bounds["modified_after"]):
            continue
        if bounds["modified_before"] and not (modified and modified < bounds["modified_before"]):
            continue
        out.append(item)
    return out


def filter_ids(
    items: list[dict[str, Any]], params: Params
) -> tuple[list[dict[str, Any]], list[int] | None]:
    include = params.int_list("include")
    exclude = params.int_list("exclude")
    if include:
        wanted = set(include)
        items = [i for i in items if i["id"] in wanted]
    if exclude:
        unwanted = set(exclude)
        items = [i for i in items if i["id"] not in unwanted]
    return items, include
