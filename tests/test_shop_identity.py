"""A profile's shop identity is recorded once and outlives the shop's address; files say
whose orders they hold; ``profile move-shop`` refuses an address that is another shop.

The Tryton path (0 new sales after a file or a move) is in
tests/integration/test_orders_across_sources.py; these tests need no back-office.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.connectors.base import address_identity
from passerelle.connectors.errors import FatalError
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.xmlfile import XmlFileShop, read_header
from passerelle.demo import DEMO_KEY, DEMO_SECRET, KEY_ENV, SECRET_ENV, demo_profile
from passerelle.flows.base import FlowContext
from passerelle.flows.shop_identity import profile_identity, shop_name
from passerelle.journal import Journal
from passerelle.platforms import build_shop
from passerelle.profiles import Profile, ProfileRepository
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.store import Store
from passerelle.store.shop_identities import (
    forget_shop_identity,
    move_shop_address,
    record_shop_identity,
    shop_identity,
)

NS = "https://passerelle.dev/ns/orders/1"


def test_the_identity_is_recorded_once_and_a_move_keeps_it(tmp_path: Path) -> None:
    with Store.open_data_dir(tmp_path) as store:
        assert shop_identity(store, "fr") is None
        first = record_shop_identity(
            store, "fr", "127.0.0.1:8443", address="https://127.0.0.1:8443"
        )
        # A second first contact (another process, a later address) changes nothing.
        again = record_shop_identity(
            store, "fr", "localhost:8443", address="https://localhost:8443"
        )
        assert again == first and again.identity == "127.0.0.1:8443"
        moved = move_shop_address(
            store, "fr", address="https://www.shop.example", address_identity="www.shop.example"
        )
        assert moved.identity == "127.0.0.1:8443"
        assert moved.names == {"127.0.0.1:8443", "www.shop.example"}
        assert moved.moved_at is not None
        assert shop_identity(store, "other") is None
    with Store.open_data_dir(tmp_path) as store:  # kept across processes
        kept = shop_identity(store, "fr")
        assert kept is not None and kept.address == "https://www.shop.example"
        assert forget_shop_identity(store, "fr")
        assert shop_identity(store, "fr") is None
        with pytest.raises(LookupError, match="no shop identity is recorded"):
            move_shop_address(
                store, "fr", address="https://x.example", address_identity="x.example"
            )


@pytest.mark.parametrize(
    ("url", "identity"),
    [
        ("https://127.0.0.1:8443", "127.0.0.1:8443"),
        ("https://shop.example:443/", "shop.example"),
        ("https://shop.example/boutique/", "shop.example/boutique"),
        ("http://shop.example:8080/a", "shop.example:8080/a"),
    ],
)
def test_an_address_names_host_port_and_path(url: str, identity: str) -> None:
    assert address_identity(url) == identity
    assert shop_name(url) == identity  # a file naming its shop by address
    assert shop_name(identity) == identity  # or by the identity passerelle recorded


def _file(tmp_path: Path, root_attributes: str) -> Path:
    path = tmp_path / "orders.xml"
    path.write_text(
        f'<orders xmlns="{NS}" version="1" source="s" {root_attributes}/>', encoding="utf-8"
    )
    return path


def test_a_file_names_the_shop_it_was_exported_from(tmp_path: Path) -> None:
    path = _file(tmp_path, 'shop="https://127.0.0.1:8443"')
    assert read_header(path).shop == "https://127.0.0.1:8443"
    assert XmlFileShop(path).declared_shop == "https://127.0.0.1:8443"
    assert XmlFileShop(path).identity == "xml:s"  # its own name, when keyed apart
    assert XmlFileShop(_file(tmp_path, "")).declared_shop is None
    with pytest.raises(FatalError, match="line 1: attribute shop of <orders>"):
        read_header(_file(tmp_path, 'shop="two words"'))


# ------------------------------------------------------------------ profile move-shop


@pytest.fixture
def shops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[WooSandbox, ...]]:
    """Two WooCommerce shops seeded alike (same order ids), as two hosts would be."""
    monkeypatch.setenv(KEY_ENV, DEMO_KEY)
    monkeypatch.setenv(SECRET_ENV, DEMO_SECRET)
    started = []
    try:
        for name in ("a", "b"):
            started.append(
                WooSandbox(
                    tmp_path / f"{name}.json",
                    consumer_key=DEMO_KEY,
                    consumer_secret=DEMO_SECRET,
                    cert_dir=tmp_path / "tls",
                ).start()
            )
        yield tuple(started)
    finally:
        for sandbox in started:
            sandbox.stop()


def _profile(tmp_path: Path, sandbox: WooSandbox) -> Profile:
    profile = demo_profile(sandbox.url, sandbox.ca_bundle, tmp_path / "tryton")
    ProfileRepository(tmp_path).save(profile)
    return profile


def _move(tmp_path: Path, url: str, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        [
            "profile",
            "move-shop",
            "--profile",
            "demo",
            "--url",
            url,
            *extra,
            "--data-dir",
            str(tmp_path),
        ],
    )
    return result.exit_code, re.sub(r"\s+", " ", result.output)


def test_move_shop_keeps_the_identity_and_refuses_another_shop(
    tmp_path: Path, shops: tuple[WooSandbox, WooSandbox]
) -> None:
    a, b = shops
    profile = _profile(tmp_path, a)
    order_id = str(min(a.data.orders))
    with Store.open_data_dir(tmp_path) as store:
        store.bind(profile.name, "order", order_id, "SO-1", None, remote_number="SO-1")
    # Shop b has no order of that id: it is another shop, whatever it answers.
    b.data.orders.pop(int(order_id))
    code, output = _move(tmp_path, b.url)
    assert code == 1, output
    assert f"does not know order {order_id}, which this profile imported" in output
    assert "nothing was changed" in output
    assert ProfileRepository(tmp_path).load("demo").shop.url == a.url
    with Store.open_data_dir(tmp_path) as store:
        # Refused, but the identity its keys use is now recorded.
        recorded = shop_identity(store, "demo")
        assert recorded is not None and recorded.identity == address_identity(a.url)
        assert recorded.moved_at is None

    # The same shop under another name of its host: moved, identity kept.
    localhost = a.url.replace("127.0.0.1", "localhost")
    code, output = _move(tmp_path, localhost)
    assert code == 0, output
    assert f"orders {order_id}, imported before, are found at the new address" in output
    assert "nothing is imported again" in output
    assert ProfileRepository(tmp_path).load("demo").shop.url == localhost
    with Store.open_data_dir(tmp_path) as store:
        recorded = shop_identity(store, "demo")
        assert recorded is not None
        assert recorded.identity == address_identity(a.url)
        assert recorded.address_identity == address_identity(localhost)


def test_move_shop_refuses_an_address_that_does_not_answer(
    tmp_path: Path, shops: tuple[WooSandbox, WooSandbox]
) -> None:
    a, b = shops
    _profile(tmp_path, a)
    gone = b.url
    b.stop()
    code, output = _move(tmp_path, gone)
    assert code == 1, output
    assert "the new address does not answer as a shop" in output
    assert ProfileRepository(tmp_path).load("demo").shop.url == a.url
    code, output = _move(tmp_path, "ftp://shop.example")
    assert code == 1 and "is not an address for this shop" in output
    # Asked not to check (the shop is down for its move): moved.
    code, output = _move(tmp_path, gone, "--no-check")
    assert code == 0, output
    assert ProfileRepository(tmp_path).load("demo").shop.url == gone


# ------------------------------------------------------------------ an address edited by hand


@contextmanager
def _context(store: Store, profile: Profile) -> Iterator[FlowContext]:
    """What a run of ``profile`` gives a flow: its shop built from the profile file."""
    run_id = store.start_run(profile.name, "t")
    journal = Journal(
        run_id=run_id, flow="t", sink=store, log_path=None, console=Console(quiet=True)
    )
    with closing(build_shop(profile.shop)) as shop:
        yield FlowContext(
            profile=profile, backoffice=MemoryBackOffice(), shop=shop, store=store, journal=journal
        )
        journal.flush()


def _pointed_at(profile: Profile, url: str) -> Profile:
    moved = profile.model_copy(deep=True)
    moved.shop.url = url
    return moved


def test_an_address_edited_by_hand_keeps_the_identity_of_the_same_shop_only(
    tmp_path: Path, shops: tuple[WooSandbox, WooSandbox]
) -> None:
    a, b = shops
    profile = _profile(tmp_path, a)
    order_id = str(min(a.data.orders))
    localhost = _pointed_at(profile, a.url.replace("127.0.0.1", "localhost"))
    with Store.open_data_dir(tmp_path) as store:
        with _context(store, profile) as ctx:
            first = profile_identity(ctx)
        assert first == address_identity(a.url)  # recorded at the first contact
        store.bind(profile.name, "order", order_id, "SO-1", None)

        # The same shop under another name: checked once, then the run goes on.
        with _context(store, localhost) as ctx:
            assert profile_identity(ctx) == first
            run_id = ctx.journal.run_id
        assert any("is the same shop (orders " in line.text for line in store.journal(run_id))
        with _context(store, localhost) as ctx:
            a.reset_requests()
            assert profile_identity(ctx) == first
            assert a.requests == []  # known now: not checked again

        # Another shop: the run stops, saying what to do either way.
        b.data.orders.pop(int(order_id))
        with (
            _context(store, _pointed_at(profile, b.url)) as ctx,
            pytest.raises(FatalError) as stopped,
        ):
            profile_identity(ctx)
        assert f"does not know order {order_id}" in stopped.value.message
        assert "--no-check" in stopped.value.message and "--new-shop" in stopped.value.message
        recorded = shop_identity(store, "demo")
        assert recorded is not None and recorded.identity == first

    # Told it is another shop: that shop's own identity, its orders apart from a's.
    code, output = _move(tmp_path, b.url, "--new-shop")
    assert code == 0, output
    assert "its orders are kept apart from the old shop's" in output
    with Store.open_data_dir(tmp_path) as store:
        recorded = shop_identity(store, "demo")
        assert recorded is not None and recorded.identity == address_identity(b.url) != first
