"""A read-only "static catalogue" shop, known to passerelle by one registration call.

It proves the path a new platform takes: a settings model, a connector, and
:func:`passerelle.platforms.register_shop` — nothing in the profiles, the
runner or the CLI. Its products are listed in the profile itself; every
write is refused (the shop is read-only), so only flows that read the shop
(``import-products``) and ``profile test`` make sense with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Literal

from passerelle.connectors.base import ConnectionReport
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.http import HttpOptions
from passerelle.model import Order, ShopProduct
from passerelle.platforms import SecretResolver, ShopPlatform, register_shop
from passerelle.platforms.settings import ShopSettingsBase, Strict

KIND = "static-catalogue"


class StaticProduct(Strict):
    sku: str
    name: str
    price: Decimal


class StaticCatalogueSettings(ShopSettingsBase):
    kind: Literal["static-catalogue"] = "static-catalogue"
    name: str
    products: list[StaticProduct] = []

    @property
    def url(self) -> str:
        return f"static:{self.name}"


class StaticCatalogueShop:
    """The catalogue of the profile, read back as a shop would list it."""

    holds_reservations = False

    def __init__(self, settings: StaticCatalogueSettings) -> None:
        self.settings = settings
        self.request_count = 0

    @property
    def identity(self) -> str:
        return self.settings.url

    def on_retry(self, listener: Callable[[str], None] | None) -> None:
        pass

    def test_connection(self) -> ConnectionReport:
        return ConnectionReport(True, f"static catalogue {self.settings.name!r} is readable.")

    def close(self) -> None:
        pass

    def batch_size(self, kind: str) -> int:
        return 100

    def iter_products(self) -> Iterator[ShopProduct]:
        for index, product in enumerate(self.settings.products, start=1):
            self.request_count += 1
            yield ShopProduct(str(index), product.sku, product.name, product.price)

    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        wanted = set(skus)
        return {
            p.sku: str(i) for i, p in enumerate(self.settings.products, start=1) if p.sku in wanted
        }

    def list_categories(self) -> list[Any]:
        return []

    def iter_customers(self, **_: Any) -> Iterator[Any]:
        return iter(())

    def iter_orders(self, **_: Any) -> Iterator[Order | ConnectorError]:
        return iter(())

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        return iter(())

    def get_order(self, order_id: str) -> Order:
        raise ConnectorError(f"a static catalogue has no order {order_id}")

    def _read_only(self, *_: Any, **__: Any) -> Sequence[Any]:
        raise ConnectorError("a static catalogue is read-only")

    write_categories = write_products = write_variations = _read_only
    write_customers = write_customer_groups = _read_only


def build(
    settings: StaticCatalogueSettings, resolve: SecretResolver, options: HttpOptions
) -> StaticCatalogueShop:
    return StaticCatalogueShop(settings)


# The one registration a new platform needs.
PLATFORM = register_shop(
    ShopPlatform(
        kind=KIND,
        label="static catalogue",
        settings=StaticCatalogueSettings,
        build=build,  # type: ignore[arg-type]  # a read-only shop, not the whole protocol
        capabilities=frozenset({"read_products"}),
    )
)
