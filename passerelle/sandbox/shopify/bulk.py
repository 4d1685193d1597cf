"""Bulk operations, as shopify.dev's bulk-operation guides describe them.

- https://shopify.dev/docs/api/usage/bulk-operations/queries: ``bulkOperationRunQuery``
  takes a query with at least one connection (at most five, nested at most two
  levels), runs it without pagination and without the single-query cost limit,
  and answers at once with the operation ``CREATED``; the app polls
  ``currentBulkOperation`` or ``node(id:)`` until ``COMPLETED`` and downloads the
  JSONL at ``url``: one object a line, the nodes of a nested connection on lines
  of their own after their parent, carrying ``__parentId``.
- https://shopify.dev/docs/api/usage/bulk-operations/imports: the mutation runs once
  per line of the staged upload (:mod:`.uploads`), its variables; the result JSONL
  holds each line's response with its ``__lineNumber`` (from 0). Only one mutation
  may be supplied ("You can supply only one of the supported GraphQL API mutations
  to the bulkOperationRunMutation at a time"), selecting at most one connection
  field ("limited to one connection field").
- How many run at once depends on the request's API version (both guides): from
  2026-01, up to five bulk queries and five bulk mutations per shop; before, one of
  each type. Past the limit the run is refused in ``userErrors``: before 2026-01 with
  ``OPERATION_IN_PROGRESS`` (the only code of the 2025-10 BulkOperationUserErrorCode
  besides INVALID), from 2026-01 with ``LIMIT_REACHED`` ("Bulk operations limit
  reached. Please try again later."), the code those versions added.
Error shapes: payloads/BulkOperationRunQueryPayload (BulkOperationUserError,
BulkOperationUserErrorCode) and payloads/BulkOperationRunMutationPayload
(BulkMutationUserError, BulkMutationErrorCode: NO_SUCH_FILE, INVALID_MUTATION,
INVALID_STAGED_UPLOAD_FILE, OPERATION_IN_PROGRESS, LIMIT_REACHED), each
``{field, message, code}``.

The sandbox runs an operation when it is created and reports it ``COMPLETED`` from
the ``completes_after``-th poll on (1 by default), so a client must poll; until
then it holds one of the shop's slots. Results live in memory (their URLs expire
on the platform too).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError, GraphQLSchema, execute_sync, parse, validate
from graphql.language import FieldNode, OperationDefinitionNode, SelectionSetNode

from .schema import API_VERSION
from .uploads import STAGED_UPLOAD_PATH, StagedUploads
from .views import UNPAGED, gid

__all__ = ["REQUEST_VERSION", "BulkOperations", "STAGED_UPLOAD_PATH", "RESULTS_PATH", "concurrency"]

RESULTS_PATH = "/bulk-results/"
MAX_CONNECTIONS = 5
MAX_DEPTH = 2
# The API version of the request being served (the URL's), set by the server.
REQUEST_VERSION: ContextVar[str] = ContextVar("REQUEST_VERSION", default=API_VERSION)


def concurrency(version: str) -> int:
    """Bulk operations of one type a shop may run at once at this API version."""
    return 5 if version >= "2026-01" else 1


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
    for field in selection.selections if selection else []:
        if not isinstance(field, FieldNode) or field.selection_set is None:
            continue
        names = {f.name.value for f in field.selection_set.selections if isinstance(f, FieldNode)}
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

    def __init__(
        self,
        state: dict[str, Any],
        schema: GraphQLSchema,
        root: Callable[[], dict[str, Any]],
        base_url: Callable[[], str],
        next_id: Callable[[str], int],
        completes_after: int = 1,
    ) -> None:
        self.state, self.schema, self.root, self.base_url = state, schema, root, base_url
        self.next_id = next_id
        self.completes_after = completes_after
        self.results: dict[str, bytes] = {}
        self.uploads = StagedUploads(base_url)
        for record in state["bulk_operations"].values():  # ended while the shop was down
            record.update(record.pop("outcome", {}))

    # ------------------------------------------------------------------ records
    def _record(self, kind: str, query: str) -> dict[str, Any]:
        number = self.next_id("bulk")
        record = {
            "id": number,
            "type": kind,
            "status": "CREATED",
            "errorCode": None,
            "objectCount": "0",
            "rootObjectCount": "0",
            "fileSize": None,
            "url": None,
            "partialDataUrl": None,
            "query": query,
            "createdAt": _now(),
            "completedAt": None,
            "polls": 0,
        }
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

    def _refusal(self, kind: str) -> dict[str, Any] | None:
        """The userError refusing one more ``kind`` operation, if the shop's slots are full.

        An operation no poll has yet seen end (its outcome pending) holds a slot."""
        running = [
            o
            for o in self.state["bulk_operations"].values()
            if o["type"] == kind and "outcome" in o
        ]
        version = REQUEST_VERSION.get()
        if len(running) < concurrency(version):
            return None
        if version >= "2026-01":
            return _err(
                [], "Bulk operations limit reached. Please try again later.", "LIMIT_REACHED"
            )
        current = gid("BulkOperation", max(int(o["id"]) for o in running))
        return _err(
            [],
            f"A bulk {kind.lower()} operation for this app and shop is already in "
            f"progress: {current}.",
            "OPERATION_IN_PROGRESS",
        )

    def _finish(self, record: dict[str, Any], lines: list[dict[str, Any]]) -> None:
        name = f"{uuid.uuid4().hex}.jsonl"
        self.results[name] = b"".join(
            json.dumps(line, separators=(",", ":")).encode() + b"\n" for line in lines
        )
        record["outcome"] = {
            "status": "COMPLETED",
            "completedAt": _now(),
            "objectCount": str(len(lines)),
            "rootObjectCount": str(sum(1 for x in lines if "__parentId" not in x)),
            "fileSize": str(len(self.results[name])),
            "url": f"{self.base_url()}{RESULTS_PATH}{name}" if lines else None,
        }

    @staticmethod
    def _created(record: dict[str, Any]) -> dict[str, Any]:
        shown = {k: v for k, v in record.items() if k not in ("outcome", "polls")}
        return dict(shown, __typename="BulkOperation", id=gid("BulkOperation", record["id"]))

    # ------------------------------------------------------------------ mutations
    def run_query(self, query: str) -> dict[str, Any]:
        refusal = self._refusal("QUERY")
        if refusal:
            return {"bulkOperation": None, "userErrors": [refusal]}
        try:
            document = parse(query)
        except GraphQLError as exc:
            return {
                "bulkOperation": None,
                "userErrors": [_err(["query"], f"Invalid bulk query: {exc.message}", "INVALID")],
            }
        problems = validate(self.schema, document)
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if problems or len(operations) != 1 or operations[0].operation.value != "query":
            message = problems[0].message if problems else "a single query is required"
            return {
                "bulkOperation": None,
                "userErrors": [_err(["query"], f"Invalid bulk query: {message}", "INVALID")],
            }
        count, depth = _connections(operations[0].selection_set, 0)
        if count == 0 or count > MAX_CONNECTIONS or depth > MAX_DEPTH:
            message = (
                "Bulk queries must contain at least one connection."
                if count == 0
                else f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections."
                if count > MAX_CONNECTIONS
                else f"Bulk queries cannot contain connections with a nesting depth greater "
                f"than {MAX_DEPTH}."
            )
            return {"bulkOperation": None, "userErrors": [_err(["query"], message, "INVALID")]}
        record = self._record("QUERY", query)
        token = UNPAGED.set(True)
        try:
            result = execute_sync(self.schema, document, root_value=self.root())
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

    def run_mutation(self, mutation: str, staged_upload_path: str) -> dict[str, Any]:
        refusal = self._refusal("MUTATION")
        if refusal:
            return {"bulkOperation": None, "userErrors": [refusal]}
        upload = self.uploads.files.get(staged_upload_path)
        if upload is None:
            return {
                "bulkOperation": None,
                "userErrors": [
                    _err(
                        ["stagedUploadPath"],
                        "The JSONL file could not be found. Try uploading the "
                        "file again, and check that you've entered the URL "
                        "correctly for the stagedUploadPath mutation argument.",
                        "NO_SUCH_FILE",
                    )
                ],
            }
        problem = _mutation_problem(self.schema, mutation)
        if problem:
            return {
                "bulkOperation": None,
                "userErrors": [
                    _err(["mutation"], f"Invalid mutation: {problem}", "INVALID_MUTATION")
                ],
            }
        try:
            variables = [
                (number, json.loads(raw))
                for number, raw in enumerate(upload.decode().splitlines())
                if raw.strip()
            ]
            if not all(isinstance(v, dict) for _, v in variables):
                raise ValueError("a line is not a JSON object")
        except ValueError as exc:
            return {
                "bulkOperation": None,
                "userErrors": [
                    _err(
                        ["stagedUploadPath"],
                        f"The JSONL file is invalid: {exc}",
                        "INVALID_STAGED_UPLOAD_FILE",
                    )
                ],
            }
        document = parse(mutation)
        record = self._record("MUTATION", mutation)
        lines = []
        for number, values in variables:
            result = execute_sync(
                self.schema, document, root_value=self.root(), variable_values=values
            )
            line: dict[str, Any] = {"data": result.data}
            if result.errors:
                line["errors"] = [e.formatted for e in result.errors]
            line["__lineNumber"] = number
            lines.append(line)
        self._finish(record, lines)
        return {"bulkOperation": self._created(record), "userErrors": []}


def _mutation_problem(schema: GraphQLSchema, mutation: str) -> str | None:
    """Why ``mutation`` cannot run in bulk: not one valid mutation, more than one root
    field, or more than one connection selected; None when it can."""
    try:
        document = parse(mutation)
    except GraphQLError as exc:
        return exc.message
    problems = validate(schema, document)
    if problems:
        return problems[0].message
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation.value != "mutation":
        return "a single mutation is required"
    roots = [f for f in operations[0].selection_set.selections if isinstance(f, FieldNode)]
    if len(roots) != 1:
        return "only one mutation can be supplied to bulkOperationRunMutation"
    if _connections(operations[0].selection_set, 0)[0] > 1:
        return "the mutation is limited to one connection field"
    return None
