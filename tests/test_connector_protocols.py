"""Every connector offers what flows are written against (the protocols of connectors/base.py)."""

from __future__ import annotations

from pathlib import Path

from passerelle.connectors.base import BackOffice, Shop
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.woocommerce.connector import WooCommerceShop


def test_shop_connectors_implement_the_shop_protocol() -> None:
    with WooCommerceShop("https://shop.example", "ck", "cs") as shop:
        assert isinstance(shop, Shop)
        assert shop.identity == "shop.example"


def test_back_office_connectors_implement_the_back_office_protocol(tmp_path: Path) -> None:
    assert isinstance(TrytonBackOffice("erp", path=tmp_path), BackOffice)
    assert isinstance(MemoryBackOffice(), BackOffice)


def test_shop_identity_names_host_port_and_path() -> None:
    with (
        WooCommerceShop("https://127.0.0.1:8443/shop/", "ck", "cs") as a,
        WooCommerceShop("https://127.0.0.1:9443/shop", "ck", "cs") as b,
        WooCommerceShop("https://shop.example:443/", "ck", "cs") as c,
    ):
        assert a.identity == "127.0.0.1:8443/shop"
        assert b.identity == "127.0.0.1:9443/shop"
        assert c.identity == "shop.example"
