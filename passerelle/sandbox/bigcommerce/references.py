"""What a profile may name in the store: payment methods and shipping methods.

Payment methods: ``GET /v2/payments/methods``
(``reference/payments/methods_payments.v2.yml``, "Get All Payment Methods": the
enabled methods, each ``code``, ``name``, ``test_mode``, sorted by name; the
page says the v3 "accepted payment methods" replaces it for checkouts, but
that one needs an order or checkout id, so the v2 list is the store-wide one).
Shipping methods live in shipping zones: ``GET /v2/shipping/zones`` lists the
zones, ``GET /v2/shipping/zones/{zone_id}/methods`` the methods of one
(``reference/shipping.v2.yml``, ``shippingMethod_Full``: ``id``, ``name``,
``type``, ``settings``, ``enabled``, ``handling_fees``, ``is_fallback``,
``channel_ids``); an unknown zone answers 404. The demo store has the methods
its seeded orders name (``seed.PAYMENT_METHODS``, ``seed.SHIPPING_METHODS``).
"""

from __future__ import annotations

from typing import Any

from .seed import PAYMENT_METHODS, SHIPPING_METHODS
from .state import State
from .wire import ApiError, Request, Response

__all__ = ["References"]

_ZONES = [
    {
        "id": 1,
        "name": "France",
        "type": "country",
        "locations": [{"id": 1, "country_iso2": "FR"}],
        "free_shipping": {
            "enabled": False,
            "minimum_sub_total": "0.0000",
            "exclude_fixed_shipping_products": False,
        },
        "handling_fees": {"fixed_surcharge": "0", "display_separately": False},
        "enabled": True,
    },
    {
        "id": 2,
        "name": "International",
        "type": "global",
        "locations": [],
        "free_shipping": {
            "enabled": False,
            "minimum_sub_total": "0.0000",
            "exclude_fixed_shipping_products": False,
        },
        "handling_fees": {"fixed_surcharge": "0", "display_separately": False},
        "enabled": True,
    },
]
_METHOD_TYPES = {
    "flat_rate": ("perorder", {"rate": 4.9}),
    "free_shipping": ("freeshipping", {}),
    "local_pickup": ("total", {}),
}


def _methods(zone_id: int) -> list[dict[str, Any]]:
    out = []
    for index, (key, name) in enumerate(sorted(SHIPPING_METHODS.items()), start=1):
        kind, settings = _METHOD_TYPES[key]
        out.append(
            {
                "id": zone_id * 10 + index,
                "name": name,
                "type": kind,
                "settings": settings,
                "enabled": True,
                "handling_fees": {"fixed_surcharge": 0},
                "is_fallback": False,
                "channel_ids": [1],
            }
        )
    return out


class References:
    def __init__(self, state: State) -> None:
        self.state = state

    def payment_methods(self, req: Request) -> Response:
        methods = [
            {"code": code, "name": name, "test_mode": False}
            for code, name in PAYMENT_METHODS.items()
        ]
        return Response(sorted(methods, key=lambda m: str(m["name"]).lower()))

    def shipping_zones(self, req: Request) -> Response:
        return Response(_ZONES)

    def shipping_methods(self, req: Request, zone_id: str) -> Response:
        if int(zone_id) not in {z["id"] for z in _ZONES}:
            raise ApiError(404, "The requested resource was not found.")
        return Response(_methods(int(zone_id)))
