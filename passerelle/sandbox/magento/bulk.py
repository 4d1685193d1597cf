"""Async bulk: ``/rest/<store>/async/bulk/V1/products`` and its detailed status.

Docs (``src/pages/rest/use-rest/bulk-endpoints.md``): ``POST
/rest/<store>/async/bulk/V1/products`` takes an ARRAY of the synchronous
bodies and answers 202 ``{bulk_uuid, request_items: [{id, data_hash,
status: "accepted"}], errors}``; the consumer runs later, and ``GET
/V1/bulk/{bulkUuid}/detailed-status`` lists each operation with ``status``
1 complete, 2 retriably failed, 3 failed, 4 open, 5 rejected, and
``result_message``. Here an operation runs at the first status poll after
it was accepted, so a client that polls sees "open" first.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from .errors import MagentoError, not_found

__all__ = ["AsyncBulk"]


class AsyncBulk:
    def __init__(
        self, data: dict[str, Any], save: Callable[[dict[str, Any]], Any], now: Callable[[], str]
    ) -> None:
        self.data = data
        self.save = save  # the synchronous operation each item is a body of
        self.now = now

    def accept(self, method: str, parts: list[str], body: Any) -> tuple[int, Any]:
        topics: dict[tuple[str, ...], str] = {
            ("POST", "products"): "async.magento.catalog.api.productrepositoryinterface.save.post"
        }
        topic = topics.get((method, *parts))
        if topic is None:
            raise not_found("route")
        if not isinstance(body, list) or not body:
            raise MagentoError(400, "Request body is expected to be an array.")
        bulk_uuid = str(uuid.uuid4())
        operations = []
        for index, entry in enumerate(body):
            operations.append(
                {
                    "id": index,
                    "topic_name": topic,
                    "status": 4,
                    "result_message": None,
                    "error_code": None,
                    "serialized_data": json.dumps(entry),
                    "result_serialized_data": None,
                }
            )
        self.data["bulks"][bulk_uuid] = {
            "bulk_id": bulk_uuid,
            "description": f"Topic {topic}",
            "operations": operations,
            "start_time": self.now(),
            "user_type": 1,
        }
        items = [
            {
                "id": op["id"],
                "data_hash": hashlib.sha256(str(op["serialized_data"]).encode()).hexdigest(),
                "status": "accepted",
            }
            for op in operations
        ]
        return 202, {"bulk_uuid": bulk_uuid, "request_items": items, "errors": False}

    def status(self, bulk_uuid: str) -> dict[str, Any]:
        bulk = self.data["bulks"].get(bulk_uuid)
        if bulk is None:
            raise MagentoError(404, "Bulk operation with UUID %1 does not exist.", [bulk_uuid])
        if bulk.get("polled"):
            for op in bulk["operations"]:
                if op["status"] == 4:
                    self._run(op)
        bulk["polled"] = True
        ops = [
            {
                "id": op["id"],
                "topic_name": op["topic_name"],
                "status": op["status"],
                "serialized_data": op["serialized_data"],
                "result_serialized_data": op["result_serialized_data"],
                "result_message": op["result_message"],
                "error_code": op["error_code"],
                "bulk_uuid": bulk_uuid,
            }
            for op in bulk["operations"]
        ]
        return {
            "operations_list": ops,
            "user_type": bulk["user_type"],
            "bulk_id": bulk_uuid,
            "description": bulk["description"],
            "start_time": bulk["start_time"],
            "user_id": 1,
            "operation_count": len(ops),
        }

    def _run(self, op: dict[str, Any]) -> None:
        try:
            product = self.save(json.loads(op["serialized_data"]))
        except MagentoError as error:
            message = error.message
            for name, value in (
                error.parameters.items()
                if isinstance(error.parameters, dict)
                else enumerate(error.parameters or [], 1)
            ):
                message = message.replace(f"%{name}", str(value))
            op.update({"status": 3, "result_message": message, "error_code": 0})
            return
        op.update(
            {
                "status": 1,
                "result_message": "Service execution success "
                "Magento\\Catalog\\Model\\ProductRepository\\Interceptor::save",
                "result_serialized_data": json.dumps(product),
                "error_code": None,
            }
        )
