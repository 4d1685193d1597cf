"""C6: items grouped into one shop product with variations.

Two sources of groups, as merchants keep them: simple items sharing a
"master reference" field, each carrying its option in up to five fields
(colour, size…), and back-office templates holding several variants. A
group whose items do not cover every combination of its options is still
sent with the variations that exist; the gaps are reported by reference so
the merchant can add the missing items or accept the gaps.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from passerelle.flows.product_mapping.texts import field_text
from passerelle.i18n.messages import M_, Message
from passerelle.model import CUSTOM_FIELD_PREFIX, Item

__all__ = ["ProductGroup", "VariantProblem", "common_prefix", "group_items"]


@dataclass(frozen=True, slots=True)
class VariantProblem:
    """An item that cannot be a variation (the reason says what to fill in)."""

    item: Item
    said: Message

    @property
    def reason(self) -> str:
        """The English text (:attr:`said` is shown in the reader's language)."""
        return str(self.said)


@dataclass(slots=True)
class ProductGroup:
    """One variable shop product: its SKU, its axes and one option tuple per item."""

    key: str  # binding key of the parent product
    sku: str
    axes: tuple[str, ...]  # shop attribute names, in order
    items: list[Item] = field(default_factory=list)
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)  # item id → one per axis

    def axis_options(self) -> list[tuple[str, ...]]:
        """Each axis's options, in the order items list them."""
        return [
            tuple(dict.fromkeys(self.options[i.source_id][n] for i in self.items))
            for n in range(len(self.axes))
        ]

    def missing_combinations(self) -> list[tuple[str, ...]]:
        present = {self.options[i.source_id] for i in self.items}
        return [c for c in itertools.product(*self.axis_options()) if c not in present]


def _master_groups(
    items: Iterable[Item], master_field: str, axes: Sequence[tuple[str, str]]
) -> tuple[dict[str, ProductGroup], list[VariantProblem], set[str]]:
    """Items by master reference. A group's axes are the configured ones its
    items fill (T-shirts by colour only, aprons by colour and size); an item
    missing a value its group's other items have cannot be placed."""
    members: dict[str, list[Item]] = {}
    for item in items:
        master = field_text(item, master_field)
        if master:
            members.setdefault(master, []).append(item)
    groups: dict[str, ProductGroup] = {}
    problems: list[VariantProblem] = []
    grouped = {i.source_id for group in members.values() for i in group}
    for master, group_items_ in members.items():
        used = [(name, f) for name, f in axes if any(field_text(i, f) for i in group_items_)]
        if not used:
            problems += [
                VariantProblem(
                    i,
                    M_(
                        "belongs to product %(master)s but has none of its options (%(fields)s)",
                        master=master,
                        fields=", ".join(f for _n, f in axes),
                    ),
                )
                for i in group_items_
            ]
            continue
        group = ProductGroup(
            key=f"group:{master}", sku=master, axes=tuple(name for name, _f in used)
        )
        for item in group_items_:
            values = tuple(field_text(item, f) for _name, f in used)
            empty = [(name, f) for (name, f), v in zip(used, values, strict=True) if not v]
            if empty:
                problems.append(
                    VariantProblem(
                        item,
                        M_(
                            "belongs to product %(master)s but has no value for %(names)s "
                            "(fill in %(fields)s)",
                            master=master,
                            names=", ".join(n for n, _f in empty),
                            fields=", ".join(f for _n, f in empty),
                        ),
                    )
                )
                continue
            clash = next(
                (other for other in group.items if group.options[other.source_id] == values), None
            )
            if clash is not None:
                problems.append(
                    VariantProblem(
                        item,
                        M_(
                            "has the same options (%(values)s) as %(other)s in product "
                            "%(master)s: change one of them",
                            values=", ".join(values),
                            other=clash.code,
                            master=master,
                        ),
                    )
                )
                continue
            group.items.append(item)
            group.options[item.source_id] = values
        if group.items:
            groups[master] = group
    return groups, problems, grouped


def _axis_label(name: str) -> str:
    bare = name[len(CUSTOM_FIELD_PREFIX) :] if name.startswith(CUSTOM_FIELD_PREFIX) else name
    return bare.replace("_", " ").capitalize()


def _template_groups(
    items: Iterable[Item], axes: Sequence[tuple[str, str]]
) -> tuple[dict[str, ProductGroup], list[VariantProblem]]:
    """Templates with several variants: the configured axes their variants fill,
    else the custom fields whose values tell the variants apart."""
    by_template: dict[str, list[Item]] = {}
    for item in items:
        if item.variant_count > 1 and item.template_id:
            by_template.setdefault(item.template_id, []).append(item)
    groups: dict[str, ProductGroup] = {}
    problems: list[VariantProblem] = []
    for template_id, variants in by_template.items():
        chosen = [(n, f) for n, f in axes if all(field_text(v, f) for v in variants)]
        if not chosen:
            names = sorted({k for v in variants for k in v.attributes})
            chosen = [
                (_axis_label(k), f"{CUSTOM_FIELD_PREFIX}{k}")
                for k in names
                if len({field_text(v, f"{CUSTOM_FIELD_PREFIX}{k}") for v in variants}) > 1
            ]
        sku = common_prefix([v.code for v in variants]) or f"T{template_id}"
        group = ProductGroup(
            key=f"template:{template_id}", sku=sku, axes=tuple(n for n, _f in chosen)
        )
        for variant in variants:
            values = tuple(field_text(variant, f) for _n, f in chosen)
            if not chosen or not all(values) or values in group.options.values():
                problems.append(
                    VariantProblem(
                        variant,
                        M_(
                            "cannot be told apart from the other variants of its template: "
                            "give each variant its own value in a custom field"
                        ),
                    )
                )
                continue
            group.items.append(variant)
            group.options[variant.source_id] = values
        if group.items:
            groups[group.key] = group
    return groups, problems


def common_prefix(codes: Sequence[str]) -> str:
    """CND-LAV, CND-VAN → CND: the template's reference as its variants share it."""
    if not codes:
        return ""
    prefix = codes[0]
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    return prefix.rstrip("-_./ ")


def group_items(
    items: Sequence[Item],
    *,
    master_field: str | None,
    axes: Sequence[tuple[str, str]],
    from_templates: bool,
) -> tuple[list[ProductGroup], list[Item], list[VariantProblem]]:
    """Split items into variable products, simple ones, and items that fit neither."""
    groups: dict[str, ProductGroup] = {}
    problems: list[VariantProblem] = []
    grouped: set[str] = set()
    if master_field:
        by_master, problems, grouped = _master_groups(items, master_field, axes)
        groups.update({g.key: g for g in by_master.values()})
    if from_templates:
        rest = [i for i in items if i.source_id not in grouped]
        by_template, template_problems = _template_groups(rest, axes)
        groups.update(by_template)
        problems += template_problems
        grouped |= {i.source_id for g in by_template.values() for i in g.items}
        grouped |= {p.item.source_id for p in template_problems}
    singles = [i for i in items if i.source_id not in grouped]
    return list(groups.values()), singles, problems
