"""What the Webservice answers once the key is checked: a resource, a method, a body.

Order of checks and error codes, as ``classes/webservice/WebserviceRequest.php``
(8.x) makes them: the resource (27), the method (23; 101 when the resource
refuses it, ``webservice/reference.md``), the id (89), list parameters
(:mod:`.engine`: 32 filter, 35 display, 37/38 sort, 39 limit), then the
body: unreadable XML (127, 500), read-only fields (93), an id on POST (91)
or none on PUT (90), an unknown id (87 on GET and DELETE, 92 on PUT),
required fields (41 missing, 84/85 empty) and formats (:mod:`.validate`).
Before the method, the key's permissions (``checkResource``: 401, code 26;
``checkHTTPMethod``: 405, code 25). A customer's e-mail is unique among
non-guest accounts (``classes/Customer.php`` ``addWs``/``updateWs``: 500,
codes 140 and 141).
``update-resource.md``: PUT takes the whole record (a field left out is
blanked, associations left out are kept); PATCH changes what it is given.
A GET of an unknown id answers 404 with no body (``getFilteredObjectDetails``).
Product images and attachment files: :mod:`.files`.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from . import files
from .engine import UNIQUE, ApiError, Engine, now_text
from .schema import RESOURCES
from .validate import validate_fields
from .wire import WireError, parse_body, render_json, render_xml

__all__ = ["SHOP_NAME", "Webservice"]

SHOP_NAME = "Maison Passerelle"


class Webservice:
    """The resources of :mod:`.schema` over the records of an :class:`.Engine`."""

    def __init__(
        self, engine: Engine, permissions: dict[str, frozenset[str]] | None = None
    ) -> None:
        self.engine = engine
        # What the key may do, by resource (the key's page in the back-office); None: all.
        self.permissions = permissions

    def answer(
        self,
        method: str,
        parts: list[str],
        query: dict[str, str],
        body: bytes,
        as_json: bool,
        base: str,
        content_type: str = "",
    ) -> tuple[int, str | bytes | files.Binary]:
        name = parts[0]
        if name == "images":
            self._allowed(name, method)
            with self.engine.lock:
                return files.product_images(
                    self.engine,
                    method,
                    parts[1:],
                    files.parse_form(content_type, body),
                    as_json,
                    base,
                )
        if name == "attachments" and parts[1:2] == ["file"]:
            self._allowed(name, method)
            with self.engine.lock:
                status, answer = files.attachment_file(
                    self.engine, method, parts[2:], files.parse_form(content_type, body)
                )
            if isinstance(answer, files.Binary):
                return status, answer
            if method == "DELETE":
                return status, ""
            shown = [name] if answer is None else [name, str(answer)]
            return self.answer("GET", shown, query, b"", as_json, base)
        resource = RESOURCES.get(name)
        if resource is None:
            near = difflib.get_close_matches(name, list(RESOURCES), n=1) or ["products"]
            raise ApiError(
                400, 27, f'Resource of type "{name}" does not exists. Did you mean: "{near[0]}"?'
            )
        allowed = None if self.permissions is None else self.permissions.get(name)
        if self.permissions is not None and allowed is None:
            raise ApiError(
                401, 26, f'Resource of type "{name}" is not allowed with this authentication key'
            )
        if method not in ("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD"):
            raise ApiError(405, 23, f"Method {method} is not valid")
        if method not in resource.methods:
            raise ApiError(405, 101, f"Method {method} is not allowed for the resource {name}")
        if allowed is not None and method not in allowed:
            raise ApiError(
                405,
                25,
                f"Method {method} is not allowed for the resource {name} "
                "with this authentication key",
            )
        record_id: int | None = None
        if len(parts) > 1:
            if not parts[1].isdigit():
                raise ApiError(400, 89, f'Invalid ID: "{parts[1]}"')
            record_id = int(parts[1])
        language = int(query["language"]) if query.get("language", "").isdigit() else None
        with self.engine.lock:
            if method in ("GET", "HEAD"):
                if query.get("schema") in ("blank", "synopsis"):
                    blank = {"id": "", **{f: "" for f in resource.fields}}
                    return 200, render_xml(resource, [blank], base=base, single=True)
                display = _display(query.get("display"), resource)
                if record_id is not None:
                    if record_id not in self.engine.data[name]:
                        return 404, ""
                    record = self._view(name, self.engine.get(name, record_id))
                    return 200, self._render(
                        resource, [record], as_json, base, True, display, language
                    )
                quantities = self.engine.product_quantities() if name == "products" else {}
                records = [
                    self._view(name, r, quantities)
                    for r in self.engine.select(name, query, language or 1)
                ]
                return 200, self._render(resource, records, as_json, base, False, display, language)
            if method == "DELETE":
                if record_id is None:
                    raise ApiError(400, 90, "You have to set an id to delete a resource")
                self.engine.delete(name, record_id)
                return 200, ""
            try:
                sent = parse_body(resource, body)
            except WireError as exc:
                raise ApiError(500, 127, f"XML error : {exc}") from exc
            for field_name in sent:
                if field_name in resource.readonly:
                    raise ApiError(
                        400,
                        93,
                        f'parameter "{field_name}" not writable. Please '
                        "remove this attribute of this XML",
                    )
            if method == "POST":
                if sent.get("id"):
                    raise ApiError(400, 91, "id is forbidden when adding a new resource")
                missing = sorted(resource.required - resource.lang - set(sent))
                if missing:
                    raise ApiError(400, 41, f'parameter "{missing[0]}" required')
                validate_fields(resource, sent)
                self._unique_email(name, sent, None)
                record = self.engine.insert(name, sent)
                self._files_written(name, record, sent)
                return 201, self._render(
                    resource, [self._view(name, record)], as_json, base, True, None, language
                )
            # PUT / PATCH
            if record_id is None or str(sent.get("id", "")) != str(record_id):
                raise ApiError(400, 90, "id is required when modifying a resource")
            if record_id not in self.engine.data[name]:
                raise ApiError(404, 92, "Invalid ID")
            record = self.engine.get(name, record_id)
            merged = dict(record)
            if method == "PUT":  # update-resource.md: the whole record is sent
                for field_name in resource.fields:
                    if field_name not in resource.readonly:
                        merged[field_name] = sent.get(
                            field_name, {} if field_name in resource.lang else ""
                        )
            else:
                merged.update({k: v for k, v in sent.items() if k != "associations"})
            for field_name in resource.lang & set(sent):
                if method == "PATCH" and isinstance(record.get(field_name), dict):
                    merged[field_name] = {**record[field_name], **sent[field_name]}
            if "associations" in sent:
                merged["associations"] = {
                    **record.get("associations", {}),
                    **{k: v for k, v in sent["associations"].items() if k in resource.assoc},
                }
            validate_fields(resource, merged)
            self._unique_email(name, merged, record_id)
            if name in UNIQUE:
                self.engine.unique(name, merged, record_id)
            if "date_upd" in resource.fields:
                merged["date_upd"] = now_text()
            merged["id"] = record_id
            self.engine.data[name][record_id] = merged
            self.engine.after_update(name, merged)
            self._files_written(name, merged, sent)
            return 200, self._render(
                resource, [self._view(name, merged)], as_json, base, True, None, language
            )

    def _allowed(self, name: str, method: str) -> None:
        """The key's permissions for a resource served by :mod:`.files`."""
        if self.permissions is None:
            return
        allowed = self.permissions.get(name)
        if allowed is None:
            raise ApiError(
                401, 26, f'Resource of type "{name}" is not allowed with this authentication key'
            )
        if method not in allowed:
            raise ApiError(
                405,
                25,
                f"Method {method} is not allowed for the resource {name} "
                "with this authentication key",
            )

    def _files_written(self, name: str, record: dict[str, Any], sent: dict[str, Any]) -> None:
        """A product's images are not written through it (no ``setWsImages``), its
        ``id_default_image`` moves the cover (``setCoverWs``) when sent; an attachment's
        products are not written from the attachment (not modelled)."""
        if name == "products":
            record["associations"].pop("images", None)
            if "id_default_image" in sent:
                files.set_cover(self.engine, int(record["id"]), str(sent["id_default_image"]))
        elif name == "attachments":
            record.get("associations", {}).pop("products", None)

    def _unique_email(self, name: str, record: dict[str, Any], record_id: int | None) -> None:
        """``Customer::addWs``/``updateWs``: an e-mail another account (guests aside) has
        is refused, 500 with code 140 (create) or 141 (update); MySQL compares it
        whatever its case."""
        if name != "customers":
            return
        email = str(record.get("email") or "").casefold()
        for other in self.engine.data["customers"].values():
            if (
                other["id"] != record_id
                and other["is_guest"] != "1"
                and str(other["email"]).casefold() == email
            ):
                raise ApiError(
                    500,
                    140 if record_id is None else 141,
                    "The email is already used, please choose another one",
                )

    def _view(
        self, name: str, record: dict[str, Any], quantities: dict[str, int] | None = None
    ) -> dict[str, Any]:
        if name == "customers":
            # Customer::getWsGroups joins group_shop: a group the shop does not have
            # (0 after a POST without id_default_group) is not listed.
            groups = self.engine.data["groups"]
            associations = record.get("associations") or {}
            return {
                **record,
                "associations": {
                    **associations,
                    "groups": [
                        g
                        for g in associations.get("groups") or []
                        if str(g.get("id", "")).isdigit() and int(g["id"]) in groups
                    ],
                },
            }
        if name == "products":
            quantity = (
                quantities.get(str(record["id"]), 0)
                if quantities is not None
                else self.engine.product_quantity(record["id"])
            )
            attachments = files.attachment_links(self.engine, record)
            return {
                **record,
                "quantity": str(quantity),
                "id_default_image": files.cover(self.engine, int(record["id"])),
                "cache_has_attachments": "1" if attachments else "0",
                "associations": {
                    **record["associations"],
                    "images": files.image_links(self.engine, int(record["id"])),
                    "attachments": attachments,
                },
            }
        if name == "attachments":
            return files.attachment_view(self.engine, record)
        return record

    @staticmethod
    def _render(
        resource: Any,
        records: list[dict[str, Any]],
        as_json: bool,
        base: str,
        single: bool,
        display: list[str] | None | str,
        language: int | None,
    ) -> str:
        full = display is not None
        fields = None if display in (None, "full") else list(display or [])
        if as_json:
            return json.dumps(
                render_json(
                    resource,
                    records,
                    single=single,
                    display=fields,
                    language=language,
                    full=full or single,
                )
            )
        return render_xml(
            resource,
            records,
            base=base,
            single=single,
            display=fields,
            language=language,
            full=full or single,
        )

    def index(self, base: str) -> str:
        rows = "".join(
            f'<{r.name} xlink:href="{base}/api/{r.name}" get="true" put="{_yes(r, "PUT")}" '
            f'post="{_yes(r, "POST")}" patch="{_yes(r, "PATCH")}" '
            f'delete="{_yes(r, "DELETE")}" head="true"><description xlink:href="{base}/api/'
            f'{r.name}">{r.description}</description></{r.name}>'
            for r in RESOURCES.values()
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.'
            f'w3.org/1999/xlink"><api shopName="{SHOP_NAME}">{rows}</api></prestashop>'
        )


def _yes(resource: Any, method: str) -> str:
    return "true" if method in resource.methods else "false"


def _display(value: str | None, resource: Any) -> list[str] | str | None:
    if value is None or value == "":
        return None
    if value == "full":
        return "full"
    names = [n.strip() for n in value.strip("[]").split(",") if n.strip()]
    known = {"id", *resource.fields, "associations"}
    for name in names:
        if name not in known:
            raise ApiError(
                400,
                35,
                f'Unable to display this field "{name}". However, these '
                f"are available: {', '.join(sorted(known))}",
            )
    return names
