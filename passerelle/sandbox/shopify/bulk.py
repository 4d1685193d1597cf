"""Bulk operations and staged uploads, as shopify.dev's bulk-operation guides describe them.

- https://shopify.dev/docs/api/usage/bulk-operations/queries: ``bulkOperationRunQuery``
  takes a query with at least one connection (at most five, nested at most two
  levels), runs it without pagination and without the single-query cost limit,
  and answers at once with the operation ``CREATED``; the app polls
  ``currentBulkOperation`` or ``node(id:)`` until ``COMPLETED`` and downloads the
  JSONL at ``url``: one object a line, the nodes of a nested connection on lines
  of their own after their parent, carrying ``__parentId``. One bulk query at a
  time per shop.
- https://shopify.dev/docs/api/usage/bulk-operations/imports: ``stagedUploadsCreate``
  (resource ``BULK_MUTATION_VARIABLES``, ``text/jsonl``, POST) answers a target
  ``url`` and form ``parameters``; the app POSTs them as multipart/form-data with
  the file last, and hands the ``key`` parameter to ``bulkOperationRunMutation``
  as ``stagedUploadPath``. The mutation runs once per line (its variables); the
  result JSONL holds each line's response with its ``__lineNumber`` (from 0).
Error codes: mutations/bulkOperationRunMutation (BulkMutationErrorCode:
NO_SUCH_FILE, INVALID_MUTATION, OPERATION_IN_PROGRESS).

The sandbox runs an operation when it is created and reports it ``COMPLETED`` from
the ``completes_after``-th poll on (1 by default), so a client must poll. Results
and uploads live in memory (their URLs expire on the platform too).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from typing import Any

from graphql import GraphQLError, GraphQLSchema, execute, parse, validate
from graphql.language import FieldNode, OperationDefinitionNode, SelectionSetNode

from .views import UNPAGED, gid

__all__ = ["BulkOperations", "STAGED_UPLOAD_PATH", "RESULTS_PATH"]

STAGED_UPLOAD_PATH = "/staged-uploads"
RESULTS_PATH = "/bulk-results/"
MAX_CONNECTIONS = 5
MAX_DEPTH = 2


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _err(field: list[str], message: str, code: str | None) -> dict[str, Any]:
    return {"field": field, "message": message, "code": code}


def _is_connection(value: Any) -> bool:
    return isinstance(value, dict) and ("nodes" in value or "edges" in value)


def _nodes(connection: dict[str, Any]) -> list[Any]:
    if connection.get("nodes") is not None:
        return list(connection["nodes"])
    return [e.get("node") for e in connection.get("edges") or []]


def _flatten(node: dict[str, Any], parent: str | None, out: list[dict[str, Any]]) -> None:
    """One node as a line, its nested connections' nodes as lines after it."""
    line = {k: v for k, v in node.items() if not _is_connection(v)}
    if parent is not None:
        line["__parentId"] = parent
    out.append(line)
    for value in node.values():
        if _is_connection(value):
            for child in _nodes(value):
                _flatten(child, node.get("id"), out)


def _connections(selection: SelectionSetNode | None, depth: int) -> tuple[int, int]:
    """(connections, deepest nesting) selected, counting ``edges``/``nodes`` parents."""
    count, deepest = 0, 0
    for field in (selection.selections if selection else []):
        if not isinstance(field, FieldNode) or field.selection_set is None:
            continue
        names = {f.name.value for f in field.selection_set.selections
                 if isinstance(f, FieldNode)}
        inner_count, inner_depth = _connections(field.selection_set, depth)
        if names & {"edges", "nodes"}:
            count += 1
            inner_count, inner_depth = _connections(field.selection_set, depth + 1)
            deepest = max(deepest, depth + 1)
        count += inner_count
        deepest = max(deepest, inner_depth)
    return count, deepest


class BulkOperations:
    """The shop's bulk operations (records in ``state["bulk_operations"]``)."""

    def __init__(self, state: dict[str, Any], schema: GraphQLSchema,
                 root: Callable[[], dict[str, Any]], base_url: Callable[[], str],
                 next_id: Callable[[str], int], completes_after: int = 1) -> None:
        self.state, self.schema, self.root, self.base_url = state, schema, root, base_url
        self.next_id = next_id
        self.completes_after = completes_after
        self.results: dict[str, bytes] = {}
        self.uploads: dict[str, bytes] = {}

    # ------------------------------------------------------------------ records
    def _record(self, kind: str, query: str) -> dict[str, Any]:
        number = self.next_id("bulk")
        record = {"id": number, "type": kind, "status": "CREATED", "errorCode": None,
                  "objectCount": "0", "rootObjectCount": "0", "fileSize": None,
                  "url": None, "partialDataUrl": None, "query": query,
                  "createdAt": _now(), "completedAt": None, "polls": 0}
        self.state["bulk_operations"][str(number)] = record
        return record

    def view(self, record: dict[str, Any]) -> dict[str, Any]:
        """The operation as a poll sees it: RUNNING until its ``completes_after``-th poll."""
        if "outcome" in record:
            record["polls"] = int(record.get("polls", 0)) + 1
            if record["polls"] >= self.completes_after:
                record.update(record.pop("outcome"))
            else:
                record["status"] = "RUNNING"
        return self._created(record)

    def _running(self, kind: str) -> bool:
        """An operation nobody polled to completion yet still holds the shop's slot."""
        return any(o["type"] == kind and o["status"] in ("CREATED", "RUNNING")
                   and "outcome" not in o for o in self.state["bulk_operations"].values())

    def _finish(self, record: dict[str, Any], lines: list[dict[str, Any]]) -> None:
        name = f"{uuid.uuid4().hex}.jsonl"
        self.results[name] = b"".join(json.dumps(line, separators=(",", ":")).encode() + b"\n"
                                      for line in lines)
        record["outcome"] = {"status": "COMPLETED", "completedAt": _now(),
                             "objectCount": str(len(lines)),
                             "rootObjectCount": str(sum(1 for x in lines
                                                        if "__parentId" not in x)),
                             "fileSize": str(len(self.results[name])),
                             "url": f"{self.base_url()}{RESULTS_PATH}{name}" if lines else None}

    @staticmethod
    def _created(record: dict[str, Any]) -> dict[str, Any]:
        shown = {k: v for k, v in record.items() if k not in ("outcome", "polls")}
        return dict(shown, __typename="BulkOperation", id=gid("BulkOperation", record["id"]))

    # ------------------------------------------------------------------ mutations
    def run_query(self, query: str) -> dict[str, Any]:
        if self._running("QUERY"):
            return {"bulkOperation": None, "userErrors": [_err(
                [], "A bulk query operation for this app and shop is already in progress: "
                    f"{gid('BulkOperation', self._current('QUERY'))}.",
                "OPERATION_IN_PROGRESS")]}
        try:
            document = parse(query)
        except GraphQLError as exc:
            return {"bulkOperation": None, "userErrors": [_err(
                ["query"], f"Invalid bulk query: {exc.message}", "INVALID")]}
        problems = validate(self.schema, document)
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if problems or len(operations) != 1 or operations[0].operation.value != "query":
            message = problems[0].message if problems else "a single query is required"
            return {"bulkOperation": None, "userErrors": [_err(
                ["query"], f"Invalid bulk query: {message}", "INVALID")]}
        count, depth = _connections(operations[0].selection_set, 0)
        if count == 0 or count > MAX_CONNECTIONS or depth > MAX_DEPTH:
            message = ("Bulk queries must contain at least one connection." if count == 0 else
                       f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections."
                       if count > MAX_CONNECTIONS else
                       f"Bulk queries cannot contain connections with a nesting depth greater "
                       f"than {MAX_DEPTH}.")
            return {"bulkOperation": None, "userErrors": [_err(["query"], message, "INVALID")]}
        record = self._record("QUERY", query)
        token = UNPAGED.set(True)
        try:
            result = execute(self.schema, document, root_value=self.root())
        finally:
            UNPAGED.reset(token)
        lines: list[dict[str, Any]] = []
        if result.errors:
            record["outcome"] = {"status": "FAILED", "errorCode": "INTERNAL_SERVER_ERROR"}
        else:
            for value in (result.data or {}).values():
                if _is_connection(value):
                    for node in _nodes(value):
                        _flatten(node, None, lines)
            self._finish(record, lines)
        return {"bulkOperation": self._created(record), "userErrors": []}

    def _current(self, kind: str) -> int:
        return max(int(o["id"]) for o in self.state["bulk_operations"].values()
                   if o["type"] == kind)

    def staged_uploads(self, inputs: list[dict[str, Any]]) -> dict[str, Any]:
        targets, errors = [], []
        for index, item in enumerate(inputs):
            if item["resource"] != "BULK_MUTATION_VARIABLES":
                errors.append({"field": ["input", str(index), "resource"],
                               "message": "Only BULK_MUTATION_VARIABLES uploads are served "
                                          "by this sandbox."})
                continue
            key = f"tmp/61000001/bulk/{uuid.uuid4()}/{item['filename']}"
            targets.append({"url": f"{self.base_url()}{STAGED_UPLOAD_PATH}", "resourceUrl": None,
                            "parameters": [
                                {"name": "Content-Type", "value": item["mimeType"]},
                                {"name": "success_action_status", "value": "201"},
                                {"name": "acl", "value": "private"},
                                {"name": "key", "value": key},
                                {"name": "policy", "value": uuid.uuid4().hex}]})
        if errors:
            return {"stagedTargets": None, "userErrors": errors}
        return {"stagedTargets": targets, "userErrors": []}

    def run_mutation(self, mutation: str, staged_upload_path: str) -> dict[str, Any]:
        if self._running("MUTATION"):
            return {"bulkOperation": None, "userErrors": [_err(
                [], "A bulk mutation operation for this app and shop is already in progress.",
                "OPERATION_IN_PROGRESS")]}
        upload = self.uploads.get(staged_upload_path)
        if upload is None:
            return {"bulkOperation": None, "userErrors": [_err(
                ["stagedUploadPath"], "The JSONL file could not be found. Try uploading the "
                                      "file again, and check that you've entered the URL "
                                      "correctly for the stagedUploadPath mutation argument.",
                "NO_SUCH_FILE")]}
        try:
            document = parse(mutation)
            problems = validate(self.schema, document)
        except GraphQLError as exc:
            problems = [exc]
        operations = [] if problems else [
            d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if problems or len(operations) != 1 or operations[0].operation.value != "mutation":
            return {"bulkOperation": None, "userErrors": [_err(
                ["mutation"], "Invalid mutation: "
                + (problems[0].message if problems else "a single mutation is required"),
                "INVALID_MUTATION")]}
        record = self._record("MUTATION", mutation)
        lines = []
        for number, raw in enumerate(upload.decode().splitlines()):
            if not raw.strip():
                continue
            result = execute(self.schema, document, root_value=self.root(),
                             variable_values=json.loads(raw))
            line: dict[str, Any] = {"data": result.data}
            if result.errors:
                line["errors"] = [e.formatted for e in result.errors]
            line["__lineNumber"] = number
            lines.append(line)
        self._finish(record, lines)
        return {"bulkOperation": self._created(record), "userErrors": []}

    # ------------------------------------------------------------------ files
    def receive_upload(self, content_type: str, body: bytes) -> tuple[int, bytes]:
        """A multipart/form-data POST to the staged target: the parameters, then ``file``."""
        message = BytesParser(policy=policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        fields: dict[str, bytes] = {}
        if message.is_multipart():
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                if isinstance(name, str) and isinstance(payload, bytes):
                    fields[name] = payload
        key = fields.get("key", b"").decode()
        if not key or "file" not in fields:
            return 400, (b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>InvalidArgument"
                         b"</Code><Message>A key and a file are required.</Message></Error>")
        self.uploads[key] = fields["file"]
        return 201, (f"<?xml version='1.0' encoding='UTF-8'?><PostResponse><Key>{key}</Key>"
                     "</PostResponse>").encode()
