"""The one way export flows send records: only what changed, in batches, bound as they land.

Every export flow (categories, products, prices, stock, customers) does the
same steps: compare each record's content hash with the binding, send what
changed through the shop's batch endpoint, then bind or park each record on
its own. Bindings are written after each batch, so a killed run loses at
most the batch in flight, and the next run resumes from what is bound.

Two answers are neither a success nor a failure. A record the shop says is
gone (deleted there) loses its bindings, so the next run creates it again
instead of failing on it forever. Fields the platform cannot hold are written
nowhere: the record's journal line says so in the merchant's words, and never
calls them updated.

The bookkeeping per record stays off the database: the parked records of the
flow are read once, and only those among the records sent are resolved (one
write transaction per record sent cost ~1 ms each, more than the rest of the
flow's work per record, and a full stock sync ran past its rate-limit bound).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from passerelle.connectors.base import WriteOutcome
from passerelle.connectors.errors import ConnectorError, FatalError
from passerelle.flows.base import FlowContext
from passerelle.flows.sent import sent_json
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, Message, Text, said, semicolons
from passerelle.store.lean_bindings import Bound, bound

__all__ = [
    "BATCH",
    "PRODUCT_KINDS",
    "Candidate",
    "ExportStats",
    "batch_size",
    "field_words",
    "send_changed",
    "shared",
]

T = TypeVar("T")
BATCH = 100  # records handed to a connector at once unless it says otherwise
# Binding kinds that are one shop record: when the shop says it is gone, all go,
# whichever flow heard it (a stock update of a deleted product drops its product
# binding too, so the next product export creates it again).
PRODUCT_KINDS = ("product", "stock", "price", "product_state")
# The export that creates a record of a kind again once its shop twin is gone.
_RECREATED_BY = {
    **{kind: N_("product export") for kind in PRODUCT_KINDS},
    "customer": N_("customer export"),
    "category": N_("category export"),
}
# The records an export sends, as its journal names them: one, and several.
_NOUNS = {
    "product": (N_("product"), N_("products")),
    "variation": (N_("variation"), N_("variations")),
    "price": (N_("price"), N_("prices")),
    "stock level": (N_("stock level"), N_("stock levels")),
    "customer": (N_("customer"), N_("customers")),
    "customer group": (N_("customer group"), N_("customer groups")),
    "category": (N_("category"), N_("categories")),
}


def noun_of(what: str, count: int = 1) -> Text:
    """``what`` (a record an export sends) as a message, for ``count`` of them, when the
    catalogue has it; English nouns do not all take an s ("categories")."""
    if what not in _NOUNS:
        return what
    one, several = _NOUNS[what]
    return Message(one if count == 1 else several)


def field_words(_record: object, name: str) -> Text:
    """A canonical field name as words ("credit_limit" → "the credit limit")."""
    return M_("the %(field)s", field=name.replace("_", " "))


@dataclass(slots=True)
class Candidate(Generic[T]):
    """A record to hold in the shop: its key, journal label, content and hash."""

    key: str
    label: str
    content: T
    content_hash: str
    shop_id: str | None = None
    #: The content's fields an update writes (None: all of them): what is kept of what
    #: was sent, and what a preview compares (see :mod:`passerelle.flows.sent`).
    fields: frozenset[str] | None = None

    def __post_init__(self) -> None:
        # One set per distinct value, shared: a run's candidates have a handful of
        # field sets between them, and a set of forty names costs about a kilobyte.
        if self.fields is not None:
            self.fields = shared(self.fields)


_SHARED: dict[frozenset[str], frozenset[str]] = {}


def shared(names: frozenset[str]) -> frozenset[str]:
    """The one kept set equal to ``names`` (kept while few: a bound, not a leak)."""
    kept = _SHARED.get(names)
    if kept is None:
        if len(_SHARED) >= 256:
            _SHARED.clear()
        kept = _SHARED[names] = names
    return kept


@dataclass(slots=True)
class ExportStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0


def send_changed(
    ctx: FlowContext,
    *,
    kind: str,
    candidates: Sequence[Candidate[T]],
    write: Callable[[Sequence[Candidate[T]]], list[WriteOutcome]],
    what: str,
    also_bind: Sequence[tuple[str, Callable[[Candidate[T]], str], bool]] = (),
    force: bool = False,
    describe: Callable[[T, str], Text] = field_words,
    force_keys: Collection[str] = (),
    bindings: Mapping[str, Bound] | None = None,
) -> dict[str, str]:
    """Send the candidates whose hash differs from their binding; return key → shop id.

    ``force`` sends every candidate, ``force_keys`` those keys whatever their hash:
    what the shop changed by itself since it was last sent (stock an order took).
    ``bindings``: the kind's bindings as they stand, when the caller has just read them
    (read here otherwise: once per call, and not at all for no candidate).

    ``also_bind`` lists (kind, hash function, also on update) entries bound too
    when a record is written, e.g. the stock and price a product was created
    with, so the stock and price flows do not send them again; a record gone
    from the shop loses those too. ``describe`` says what a field the platform
    cannot hold means for the record, in the merchant's words.
    """
    if not candidates:
        return {}
    if bindings is None:  # shop id and hash: all a comparison needs
        bindings = bound(ctx.store, ctx.name, kind)
    changed: list[Candidate[T]] = []
    shop_ids: dict[str, str] = {}
    for candidate in candidates:
        binding = bindings.get(candidate.key)
        if binding is not None and binding.remote_id:
            candidate.shop_id = candidate.shop_id or binding.remote_id
            shop_ids[candidate.key] = candidate.shop_id
            if (
                binding.content_hash == candidate.content_hash
                and not force
                and candidate.key not in force_keys
            ):
                continue
        changed.append(candidate)
    ctx.journal.count("unchanged", len(candidates) - len(changed))
    if ctx.preview is not None:  # a preview: what would be sent is told, nothing is sent
        return shop_ids | ctx.preview.would_send(kind, changed)
    total = len(changed)
    if total == 0:
        return shop_ids
    ctx.journal.info(
        M_(
            "%(count)s %(what)s to send, %(unchanged)s unchanged",
            count=total,
            what=noun_of(what, total),
            unchanged=len(candidates) - total,
        )
    )
    position = 0
    size = batch_size(ctx, kind)
    parked = {p.record_key for p in ctx.store.parked(ctx.name, ctx.journal.flow)}
    with ctx.journal.progress(total, M_("sending %(what)s", what=noun_of(what, total))):
        for start in range(0, total, size):
            chunk = changed[start : start + size]
            try:
                outcomes = write(chunk)
            except FatalError:
                raise
            except ConnectorError as exc:
                # A transient failure (or a create whose answer was lost: the
                # next run adopts what was created) is retried by the next run.
                severity = ctx.transient_failure(exc)
                for candidate in chunk:
                    position += 1
                    _fail(ctx, candidate, said(exc), position, total, what, severity)
                continue
            by_key = {candidate.key: candidate for candidate in chunk}
            answered = {outcome.key: outcome for outcome in outcomes if outcome.key in by_key}
            rows = []
            extra: dict[str, list[tuple[str, str, str]]] = {}
            gone: list[str] = []
            for candidate in chunk:
                position += 1
                outcome = answered.get(candidate.key)
                if outcome is None:
                    _fail(
                        ctx,
                        candidate,
                        M_("the shop gave no answer for it"),
                        position,
                        total,
                        what,
                        "retry",
                    )
                    continue
                if outcome.gone:
                    gone.append(candidate.key)
                    shop_ids.pop(candidate.key, None)
                    noun = N_("product") if kind in ("stock", "price") else what
                    _gone(
                        ctx,
                        candidate,
                        outcome.shop_id or candidate.shop_id,
                        noun,
                        _RECREATED_BY.get(kind, N_("export")),
                        position,
                        total,
                    )
                    continue
                if not outcome.ok or not outcome.shop_id:
                    _fail(
                        ctx,
                        candidate,
                        outcome.said or outcome.error or M_("no id returned"),
                        position,
                        total,
                        what,
                        "error",
                    )
                    continue
                shop_ids[candidate.key] = outcome.shop_id
                rows.append((candidate.key, outcome.shop_id, candidate.content_hash))
                for other_kind, hasher, on_update in also_bind:
                    if outcome.created or on_update:
                        extra.setdefault(other_kind, []).append(
                            (candidate.key, outcome.shop_id, hasher(candidate))
                        )
                _written(ctx, candidate, outcome, describe, position, total)
            if gone:
                for forget in _bound_together(kind, also_bind):
                    ctx.store.unbind(ctx.name, forget, gone)
            sent = {key: sent_json(by_key[key].content, by_key[key].fields) for key, _i, _h in rows}
            # One transaction for the batch's bindings of every kind; the other kinds'
            # contents are shown with the record's own.
            ctx.store.bind_many(ctx.name, kind, rows, contents=sent, together=extra)
            for key, _shop_id, _hash in rows:
                if key in parked:  # sent now: no longer set aside
                    ctx.store.resolve(ctx.name, ctx.journal.flow, key)
    return shop_ids


def batch_size(ctx: FlowContext, kind: str) -> int:
    """How many records of ``kind`` the shop connector takes at once (its largest batch:
    2,000 stock levels for BigCommerce, 250 for Shopify); bindings are written after each."""
    ask = getattr(ctx.shop, "batch_size", None)
    return int(ask(kind)) if callable(ask) else BATCH


def _bound_together(
    kind: str, also_bind: Sequence[tuple[str, Callable[[Candidate[T]], str], bool]]
) -> list[str]:
    """Every binding kind of the record a ``kind`` binding stands for."""
    kinds = [kind, *(other for other, _h, _u in also_bind)]
    if kind in PRODUCT_KINDS:
        kinds += PRODUCT_KINDS
    return list(dict.fromkeys(kinds))


def _written(
    ctx: FlowContext,
    candidate: Candidate[T],
    outcome: WriteOutcome,
    describe: Callable[[T, str], Text],
    position: int,
    total: int,
) -> None:
    """The journal line of a record the shop holds now: created or updated, or, when it
    asked for fields the platform cannot hold, a warning naming each of them."""
    verb = "created" if outcome.created else "updated"
    if not outcome.unsupported:
        said = (
            M_("created (shop id %(id)s)", id=outcome.shop_id)
            if outcome.created
            else M_("updated (shop id %(id)s)", id=outcome.shop_id)
        )
        ctx.journal.record(verb, candidate.label, said, position=position, total=total)
    else:
        ctx.journal.count(verb)
        missing = semicolons(
            [
                M_(
                    "%(field)s is not supported on this platform",
                    field=describe(candidate.content, name),
                )
                for name in outcome.unsupported
            ]
        )
        ctx.journal.record(
            "warning",
            candidate.label,
            M_(
                "%(missing)s (shop id %(id)s; its other fields are sent)",
                missing=missing,
                id=outcome.shop_id,
            ),
            position=position,
            total=total,
        )
    ctx.journal.advance()


def _gone(
    ctx: FlowContext,
    candidate: Candidate[T],
    shop_id: str | None,
    what: str,
    again: str,
    position: int,
    total: int,
) -> None:
    """Say that the shop no longer has the record (its bindings are dropped by the caller)."""
    ctx.journal.count("skipped")
    ctx.journal.record(
        "warning",
        candidate.label,
        M_(
            "the shop's %(what)s %(id)s no longer exists (deleted in the shop); "
            "it will be created again by the next %(again)s",
            what=noun_of(what),
            id=shop_id or M_("(unknown id)"),
            again=Message(again),
        ),
        position=position,
        total=total,
    )
    ctx.journal.advance()


def _fail(
    ctx: FlowContext,
    candidate: Candidate[T],
    reason: Text,
    position: int,
    total: int,
    what: str,
    severity: str,
) -> None:
    ctx.store.park(
        ctx.name,
        ctx.journal.flow,
        candidate.key,
        M_(
            "%(what)s %(label)s: %(reason)s",
            what=noun_of(what),
            label=candidate.label,
            reason=reason,
        ),
        severity,
    )
    ctx.journal.record("failed", candidate.label, reason, position=position, total=total)
    ctx.journal.advance()
