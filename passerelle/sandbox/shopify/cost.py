"""Shopify's calculated query cost and its leaky bucket, as the rate-limit docs describe.

https://shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits and
https://shopify.dev/docs/api/usage/limits#cost-calculation:
- scalars and enums cost 0, an object 1, a connection 2 plus ``first`` (or
  ``last``) times what one node costs, a mutation 10;
- the *requested* cost is computed from the document before execution; a
  single query may not request more than 1,000 points (``MAX_COST_EXCEEDED``);
- the bucket must hold the requested cost, else ``Throttled``
  (``extensions.code = "THROTTLED"``, still HTTP 200); after execution the
  difference between requested and *actual* cost (connections returning fewer
  nodes, null objects) is refunded;
- the bucket refills at ``restoreRate`` points a second up to
  ``maximumAvailable`` (Standard plan: 100/s, 2,000).
Every answer carries ``extensions.cost`` with both costs and ``throttleStatus``.

The restore rate is the store's plan's (:data:`PLANS`, "GraphQL Admin API rate
limits", shopify.dev/docs/api/usage/limits and
shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits: "Each combination of app
and store is given a bucket size and restore rate based on the store's plan"):
Standard 100 points/second, Advanced Shopify 200, Shopify Plus 1000, Shopify for
enterprise (Commerce Components) 2000. The bucket holds 20 seconds of restore
(Standard's 2,000 points for 100/s), whatever the plan; a single query still may
not request more than 1,000 points.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.values import get_argument_values

__all__ = [
    "BUCKET_SECONDS",
    "MAX_QUERY_COST",
    "MUTATION_COST",
    "PLANS",
    "Bucket",
    "actual_cost",
    "plan_bucket",
    "requested_cost",
]

MAX_QUERY_COST = 1000
MUTATION_COST = 10
CONNECTION_BASE = 2


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = dict(variables)

    def _fields(
        self, parent: Any, selection_set: SelectionSetNode | None
    ) -> list[tuple[FieldNode, Any]]:
        """(field node, its definition), fragments flattened (for interfaces: the first
        type defining the field; costs are the same across our types)."""
        out: list[tuple[FieldNode, Any]] = []
        if selection_set is None:
            return out
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name.startswith("__"):
                    continue
                definition = getattr(parent, "fields", {}).get(name)
                if definition is not None:
                    out.append((selection, definition))
            else:
                if isinstance(selection, FragmentSpreadNode):
                    fragment = self.fragments[selection.name.value]
                    condition, inner = fragment.type_condition, fragment.selection_set
                else:
                    assert isinstance(selection, InlineFragmentNode)
                    condition, inner = selection.type_condition, selection.selection_set
                target = self.schema.get_type(condition.name.value) if condition else parent
                out.extend(self._fields(target, inner))
        return out

    def per_node(
        self,
        connection_type: Any,
        selection_set: SelectionSetNode | None,
        data: Any = None,
        actual: bool = False,
    ) -> int:
        """The cost of one node of a connection (``nodes`` or ``edges.node``)."""
        best = 0
        for node, definition in self._fields(connection_type, selection_set):
            name = node.name.value
            node_type = get_named_type(definition.type)
            if name == "nodes":
                best = max(best, 1 + self.cost(node_type, node.selection_set))
            elif name == "edges":
                for inner, inner_def in self._fields(node_type, node.selection_set):
                    if inner.name.value == "node":
                        best = max(
                            best, 1 + self.cost(get_named_type(inner_def.type), inner.selection_set)
                        )
        return best

    def cost(self, parent: Any, selection_set: SelectionSetNode | None) -> int:
        total = 0
        for node, definition in self._fields(parent, selection_set):
            named = get_named_type(definition.type)
            if is_leaf_type(named):
                continue
            if named.name.endswith("Connection"):
                args = get_argument_values(definition, node, self.variables)
                size = int(args.get("first") or args.get("last") or 0)
                total += CONNECTION_BASE + size * self.per_node(named, node.selection_set)
            elif "ids" in definition.args:  # queries/nodes: each id is an object to read
                ids = get_argument_values(definition, node, self.variables).get("ids") or []
                total += len(ids) * (1 + self.cost(named, node.selection_set))
            else:
                total += 1 + self.cost(named, node.selection_set)
        return total

    def actual(self, parent: Any, selection_set: SelectionSetNode | None, data: Any) -> int:
        """The cost of what was returned: connections count their nodes, nulls cost 0."""
        if not isinstance(data, Mapping):
            return 0
        total = 0
        for node, definition in self._fields(parent, selection_set):
            named = get_named_type(definition.type)
            if is_leaf_type(named):
                continue
            key = node.alias.value if node.alias else node.name.value
            value = data.get(key)
            if value is None:
                continue
            if named.name.endswith("Connection"):
                total += CONNECTION_BASE
                for inner, inner_def in self._fields(named, node.selection_set):
                    items = value.get(inner.alias.value if inner.alias else inner.name.value)
                    name = inner.name.value
                    if name == "nodes":
                        total += sum(
                            1
                            + self.actual(get_named_type(inner_def.type), inner.selection_set, item)
                            for item in items or []
                        )
                    elif name == "edges":
                        edge_type = get_named_type(inner_def.type)
                        for edge in items or []:
                            total += self.actual(edge_type, inner.selection_set, edge)
            elif isinstance(value, list):
                total += sum(1 + self.actual(named, node.selection_set, v) for v in value)
            else:
                total += 1 + self.actual(named, node.selection_set, value)
        return total


def _parts(
    schema: GraphQLSchema, document: Any, operation: OperationDefinitionNode
) -> tuple[GraphQLObjectType, dict[str, FragmentDefinitionNode]]:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    root = (
        schema.mutation_type if operation.operation == OperationType.MUTATION else schema.query_type
    )
    assert root is not None
    return root, fragments


def requested_cost(
    schema: GraphQLSchema,
    document: Any,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
) -> int:
    root, fragments = _parts(schema, document, operation)
    walker = _Walker(schema, fragments, variables)
    if operation.operation == OperationType.MUTATION:
        return MUTATION_COST * len(walker._fields(root, operation.selection_set))
    return walker.cost(root, operation.selection_set)


def actual_cost(
    schema: GraphQLSchema,
    document: Any,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    data: Any,
) -> int:
    root, fragments = _parts(schema, document, operation)
    walker = _Walker(schema, fragments, variables)
    if operation.operation == OperationType.MUTATION:
        return MUTATION_COST * len(walker._fields(root, operation.selection_set))
    return walker.actual(root, operation.selection_set, data)


#: GraphQL Admin API restore rate (points/second) by store plan (see the module docstring).
PLANS: dict[str, float] = {
    "standard": 100.0,
    "advanced": 200.0,
    "plus": 1000.0,
    "enterprise": 2000.0,
}
#: The bucket's maximum in seconds of restore: Standard's 2,000 points at 100/s.
BUCKET_SECONDS = 20


def plan_bucket(plan: str) -> tuple[float, float]:
    """(maximumAvailable, restoreRate) of a store on ``plan`` (a key of :data:`PLANS`)."""
    rate = PLANS[plan]
    return BUCKET_SECONDS * rate, rate


class Bucket:
    """The app's leaky bucket of cost points (thread-safe, monotonic clock)."""

    def __init__(self, maximum: float = 2000.0, restore_rate: float = 100.0) -> None:
        self._lock = threading.Lock()
        self.maximum = maximum
        self.restore_rate = restore_rate
        self._available = maximum
        self._stamp = time.monotonic()
        self.throttled = 0  # requests answered THROTTLED (tests read it)

    def configure(self, maximum: float, restore_rate: float) -> None:
        with self._lock:
            self.maximum, self.restore_rate = maximum, restore_rate
            self._available, self._stamp = maximum, time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self._available = min(
            self.maximum, self._available + (now - self._stamp) * self.restore_rate
        )
        self._stamp = now

    def take(self, cost: int) -> bool:
        """Take ``cost`` points if the bucket holds them; False: throttled."""
        with self._lock:
            self._refill()
            if cost > self._available:
                self.throttled += 1
                return False
            self._available -= cost
            return True

    def refund(self, points: int) -> None:
        with self._lock:
            self._refill()
            self._available = min(self.maximum, self._available + max(points, 0))

    def status(self) -> dict[str, float]:
        with self._lock:
            self._refill()
            return {
                "maximumAvailable": float(self.maximum),
                "currentlyAvailable": float(int(self._available)),
                "restoreRate": float(self.restore_rate),
            }
