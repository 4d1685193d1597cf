"""A shop's orders are imported once into Tryton whatever way they arrive: from its API,
from an XML file it exported, after an upgrade, at a new address of the shop.

One Tryton database for the whole story (each setup costs seconds): an order of the
shop's XML export rejected in the staging grid, the API import through the grid,
the shop's whole XML export imported into the same profile, a file from elsewhere,
a profile from before identities were recorded, then ``profile move-shop`` from
https://127.0.0.1:P to https://localhost:P.
"""

from __future__ import annotations

from passerelle.profiles import ProfileRepository
from passerelle.store.shop_identities import forget_shop_identity, shop_identity
from tests.integration.conftest import World
from tests.integration.test_order_workflow import IMPORT, Cli, export_xml, keep_only, staged_ids

KEPT = [703, 707, 709, 710, 712]


def journal_of_last_import(world: World) -> str:
    latest = max(world.store.list_runs(flow=IMPORT), key=lambda r: r.id)
    return "\n".join(line.text for line in world.store.journal(latest.id))


def test_a_shops_orders_are_imported_once_from_its_api_its_file_and_its_new_address(
    world: World,
) -> None:
    keep_only(world, KEPT)
    staging = world.profile.model_copy(deep=True)
    staging.orders.auto_validate = False
    cli = Cli(world, staging)
    address = world.sandbox.url  # https://127.0.0.1:P

    # 712 comes first in a file the shop exported: staged under its shop id, rejected.
    first = export_xml(world, cli, "--shop-url", address, "--status", "on-hold")
    cli("orders", "import-xml", "--profile", "demo", str(first))
    assert staged_ids(world) == {"712"}
    cli("orders", "reject", "712", "--profile", "demo", "--reason", "fraud")

    # The API import, through the grid: 712 stays rejected, the others validated.
    cli.import_orders()
    assert staged_ids(world) == {str(i) for i in KEPT if i != 712}
    cli("orders", "validate", "ALL", "--profile", "demo")
    imported = world.sales_by_key()
    host = address.split("://", 1)[1]
    assert imported == {f"{host}#{i}": 1 for i in KEPT if i != 712}

    # The shop's own XML export, imported into the same profile: 0 new sales, 712
    # still rejected (neither imported nor back in the grid).
    xml = export_xml(world, cli, "--shop-url", address)
    cli("orders", "import-xml", "--profile", "demo", str(xml))
    assert world.sales_by_key() == imported
    assert staged_ids(world, "rejected") == {"712"} and staged_ids(world) == set()
    assert "the profile's shop: already imported orders are skipped" in journal_of_last_import(
        world
    )

    # A file that names no shop is another source: keyed apart (staged under its
    # source, beside the shop's orders), and said so.
    other = export_xml(
        world, cli, "--shop-url", "", "--status", "on-hold", "--source", "marketplace"
    )
    cli("orders", "import-xml", "--profile", "demo", str(other))
    assert (
        "orders from another source: keyed apart as xml:marketplace (the file names "
        "no shop)" in journal_of_last_import(world)
    )
    assert staged_ids(world) == {"xml:marketplace#712"}
    cli("orders", "reject", "ALL", "--profile", "demo")

    # A profile from before identities were recorded: its keys use its address,
    # which its next run records; nothing is imported again.
    forget_shop_identity(world.store, "demo")
    cli.import_orders("--include-transferred")
    assert world.sales_by_key() == imported
    recorded = shop_identity(world.store, "demo")
    assert recorded is not None and recorded.identity == host

    # The shop now answers at https://localhost:P: moved, nothing imported again,
    # whether its orders come from the API or from a file it exports there.
    localhost = address.replace("127.0.0.1", "localhost")
    out = cli("profile", "move-shop", "--profile", "demo", "--url", localhost)
    assert "nothing is imported again" in out
    assert ProfileRepository(world.data_dir).load("demo").shop.url == localhost
    counts = cli.import_orders("--include-transferred")
    assert counts.get("created", 0) == 0
    xml = export_xml(world, cli, "--shop-url", localhost)
    cli("orders", "import-xml", "--profile", "demo", str(xml))
    assert world.sales_by_key() == imported
    assert staged_ids(world, "rejected") == {"712", "xml:marketplace#712"}
    assert staged_ids(world) == set()
