"""Does the shop have what a profile names: tax classes, payment methods, statuses, carriers.

What the Webservice exposes for each (``webservice/reference.md``):

- a tax class is a ``tax_rule_groups`` record (not deleted), named by its id,
  by its name, or by a profile's ``shop.tax_rules_groups`` entry pointing at one;
- an order status is an ``order_states`` record, by id or name, or one of the
  status words :mod:`.orders` reads from the state flags (``paid``,
  ``shipped``…);
- a shipping method is a ``carriers`` record (not deleted), by id or name;
- a payment method is the payment module an order names (``module``) or its
  label (``payment``), or a module that installed an order state of its own
  (``order_states.module_name``: ``ps_checkpayment``, ``ps_wirepayment``,
  ``ps_cashondelivery`` in a default install). The Webservice lists no
  modules, so another module no order used yet cannot be confirmed; no order
  can need its mapping yet either.

Names compare case-insensitively, as MySQL's collation does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from passerelle.connectors.base import SHOP_REFERENCE_KINDS
from passerelle.connectors.prestashop import endpoints as ep
from passerelle.connectors.prestashop.client import PrestaShopClient
from passerelle.connectors.prestashop.translate_orders import STATUS_SLUGS

__all__ = ["References"]


class References:
    """``missing_references`` (a part of :class:`PrestaShopShop`)."""

    client: PrestaShopClient
    tax_groups: dict[str, int]

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        if kind not in SHOP_REFERENCE_KINDS:
            raise ValueError(f"unknown reference kind {kind!r}")  # internal: kinds are constants
        wanted = {n for n in names if n}
        if not wanted:
            return set()
        known = READERS[kind](self)
        return {n for n in wanted if n.casefold() not in known}

    def _named(self, resource: str, *, language: bool = False) -> set[str]:
        """Ids and names of a resource's records that are not deleted, case-folded."""
        params = {"language": self.client.language} if language else {}
        rows = self.client.iter_all(resource, params)
        return {
            str(v).casefold()
            for r in rows
            if str(r.get("deleted") or "0") != "1"
            for v in (r["id"], r.get("name") or "")
        }

    def tax_class_names(self) -> set[str]:
        groups = self._named(ep.TAX_RULE_GROUPS)
        aliases = {name.casefold() for name, gid in self.tax_groups.items() if str(gid) in groups}
        return groups | aliases

    def order_status_names(self) -> set[str]:
        return self._named(ep.ORDER_STATES, language=True) | set(STATUS_SLUGS)

    def shipping_method_names(self) -> set[str]:
        return self._named(ep.CARRIERS)

    def payment_method_names(self) -> set[str]:
        rows = self.client.iter_all(ep.ORDERS, {"display": "[module,payment]"})
        states = self.client.iter_all(ep.ORDER_STATES, {"display": "[id,module_name]"})
        return {
            str(v).casefold() for r in rows for v in (r.get("module"), r.get("payment")) if v
        } | {str(s["module_name"]).casefold() for s in states if s.get("module_name")}


READERS: dict[str, Callable[[References], set[str]]] = {
    "tax_class": References.tax_class_names,
    "payment_method": References.payment_method_names,
    "order_status": References.order_status_names,
    "shipping_method": References.shipping_method_names,
}
