"""The demo (README line 1): the whole path, Tryton ↔ WooCommerce, on this machine.

``--backoffice files`` runs the same path from a sample spreadsheet instead
(:mod:`passerelle.demo_spreadsheet`): the exports a desktop back-office writes,
read by the file back-office, and the orders written back as order files.

Creates (once) or reuses the Tryton demo database, starts the WooCommerce
sandbox, writes a demo profile with complete mappings, runs every flow and
prints a summary table, then what the shop shows of the catalogue: products,
their images, brands and customer-group prices as the platform holds them (or
"not supported on this platform", from the capability matrix). Run it twice:
the second run sends nothing unchanged and imports no order twice, because the
database, the shop state and the state store all live in the data directory.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from passerelle.connectors.files.sample import SampleExports
from passerelle.demo_data import (
    DISCOUNT_ITEMS,
    ECOTAX_ITEM,
    FOREIGN_CURRENCIES,
    GAP_ITEM,
    GIFT_CARD_ITEM,
    GIFT_WRAP_ITEM,
    LOYALTY_DISCOUNT_ITEM,
    ORDER_TAXES,
    PROMOTION_PRICE_LIST,
    SUBSTITUTE_ITEM,
    TAXES,
)
from passerelle.demo_files import serve_folder
from passerelle.demo_spreadsheet import (
    ARCHIVE,
    INBOX,
    OUTBOX,
    exchange_folder,
    files_backoffice,
    prepare_exchange,
)
from passerelle.flows import DEFAULT_ORDER
from passerelle.i18n import _
from passerelle.platforms.support import Support
from passerelle.profiles import Profile, ProfileRepository
from passerelle.runner import Runner, RunSummary, open_store
from passerelle.sandbox.platforms import ShopSandbox, ViewProduct

__all__ = ["BACKOFFICES", "DEMO_PROFILE", "FILES_PROFILE", "demo_profile", "run_demo"]

DEMO_PROFILE = "demo"
# The file back-office's demo is a profile of its own, with a shop of its own
# (``<data dir>/files/sandbox``): its items are known by code, Tryton's by id, so
# neither demo may take the other's products for its own.
FILES_PROFILE = "demo-files"
#: What ``passerelle demo --backoffice`` accepts.
BACKOFFICES = ("tryton", "files")
DEMO_DATABASE = "demo"
KEY_ENV = "PASSERELLE_DEMO_CONSUMER_KEY"
SECRET_ENV = "PASSERELLE_DEMO_CONSUMER_SECRET"
DEMO_KEY = "ck_demo"
DEMO_SECRET = "cs_demo"
DEMO_PORT = 8443

# Shop tax classes of the sandbox, by back-office tax (C4).
_TAX_CLASSES = {"VAT20": "", "VAT10": "intermediate-rate", "VAT55": "reduced-rate"}
# Shop payment methods of the sandbox → payment journals of the demo database (O11);
# card payments (stripe) have a journal per currency, in the profile below.
_PAYMENT_JOURNAL_OF = {
    "bacs": "WEB-TRANSFER",
    "cheque": "WEB-TRANSFER",
    "paypal": "WEB-PAYPAL",
    "cod": "WEB-COD",
}


_ORDER_TAX = {tax.code: tax for tax in ORDER_TAXES}
# The customers (and so their groups, K1) go first: the group prices of the
# products name groups the shop must already have (PrestaShop, BigCommerce, Magento).
DEMO_ORDER = ("export-customers", *(f for f in DEFAULT_ORDER if f != "export-customers"))
# The options behind each line of "What the shop shows" (passerelle.platforms.matrix).
IMAGES_OPTION = "catalogue.media.item_images"
BRAND_OPTION = "catalogue.details.brand_field"
GROUP_PRICES_OPTION = "catalogue.prices.group_prices"


def demo_profile(
    shop_url: str, ca_bundle: Path, tryton_path: Path, database: str = DEMO_DATABASE
) -> Profile:
    """The demo profile, with every mapping the demo shop and database need."""
    return Profile.model_validate(
        {
            "name": DEMO_PROFILE,
            "mode": "production",
            "backoffice": {
                "kind": "tryton",
                "database": database,
                "uri": "sqlite://",
                "path": str(tryton_path),
            },
            "shop": {
                "kind": "woocommerce",
                "url": shop_url,
                "consumer_key": f"env:{KEY_ENV}",
                "consumer_secret": f"env:{SECRET_ENV}",
                "http": {"ca_bundle": str(ca_bundle), "timeout": 10},
            },
            "catalogue": {
                "tax_classes": {tax.name: _TAX_CLASSES[tax.code] for tax in TAXES},
                "stock": {"warehouses": [], "negative_as_zero": True},
            },
            "orders": {
                "period_days": 3650,
                "statuses": {"processing": "order", "completed": "order", "on-hold": "quotation"},
                "awaiting_payment_statuses": ["pending"],
                "account_prefix": "WEB",
                "account_length": 9,
                "guest_account": "WEBGUEST",
                "reference_template": "%ON",
                "description_template": "Web %OI - %CF %CL",
                "misc_item": "MISC",
                "shipping_item": "SHIPPING",
                "gift_wrap_item": GIFT_WRAP_ITEM.code,
                "gap_item": GAP_ITEM.code,
                "gift_card_item": GIFT_CARD_ITEM.code,
                "ecotax_item": ECOTAX_ITEM.code,
                "coupon_items": [LOYALTY_DISCOUNT_ITEM.code],
                "substitute_item": SUBSTITUTE_ITEM.code,
                "taxes": [
                    *({"shop_rate": str(tax.rate * 100), "tax": tax.name} for tax in TAXES),
                    # O24: Canadian GST and PST (compounded on price + GST).
                    {"shop_label": "GST", "tax": _ORDER_TAX["GST5"].name},
                    {"shop_label": "PST", "tax": _ORDER_TAX["PST8"].name},
                ],
                "discount_items": {
                    **{tax.name: DISCOUNT_ITEMS[tax.code].code for tax in TAXES},
                    **{
                        _ORDER_TAX[code].name: DISCOUNT_ITEMS[code].code
                        for code in ("GST5", "PST8")
                    },
                },
                "tax_zones": [  # O9
                    {"country": "US", "without_tax": "Export hors UE"},
                    {"country": "CA", "without_tax": "Export hors UE"},
                    {"country": "BE", "without_tax": "Autoliquidation UE"},
                ],
                "currencies": {code: code for code, _, _ in FOREIGN_CURRENCIES},  # O12
                "carriers": {"flat_rate": "Colissimo"},  # O26
                "payments": {
                    **{
                        method: {"journal": journal}
                        for method, journal in _PAYMENT_JOURNAL_OF.items()
                    },
                    "stripe": {
                        "journal": "WEB-CARD",
                        "journals_by_currency": {"USD": "WEB-CARD-USD", "CAD": "WEB-CARD-CAD"},
                    },
                    # O11: every Amazon order on one account, whatever Amazon calls it.
                    "amazon": {
                        "journal": "WEB-CARD",
                        "account": "WEBAMAZON",
                        "aliases": ["amazon_payments_advanced", "Amazon Pay"],
                    },
                },
                # Tax rounding per line differs from a discount written per VAT
                # code by a cent or two: that much goes on the gap item.
                "total_tolerance": "0.05",
                "status_after_import": None,
            },
        }
    )


def _prepare_tryton(data_dir: Path, console: Console, fresh: bool) -> Path:
    from passerelle.connectors.tryton.demo import copy_demo_database, ensure_demo_template

    tryton_dir = data_dir / "tryton"
    target = tryton_dir / f"{DEMO_DATABASE}.sqlite"
    if fresh and target.exists():
        target.unlink()
    if target.exists():
        console.print(_("Tryton demo database: reusing %(path)s", path=target))
        return tryton_dir
    started = time.perf_counter()
    console.print(_("Tryton demo database: building it once (about a minute)…"))
    cache = data_dir / "cache" / "tryton"
    ensure_demo_template(cache)
    copy_demo_database(cache, tryton_dir, DEMO_DATABASE)
    console.print(
        _(
            "Tryton demo database ready in %(seconds)s s: %(path)s",
            seconds=f"{time.perf_counter() - started:.0f}",
            path=target,
        )
    )
    return tryton_dir


def _start_sandbox(state_dir: Path, fresh: bool, kind: str) -> ShopSandbox:
    """The platform's sandbox on the demo port (or any free one), its state kept
    in ``<state dir>/<kind>.json`` so a second demo finds the shop as it was."""
    from passerelle.platforms import start_sandbox

    if fresh:
        (state_dir / f"{kind}.json").unlink(missing_ok=True)
    state_dir.mkdir(parents=True, exist_ok=True)
    for port in (DEMO_PORT, 0):
        try:
            return start_sandbox(kind, state_dir, port=port)
        except OSError:
            continue
    raise RuntimeError(
        _(
            "the %(platform)s sandbox could not start on this computer: "
            "no local port could be opened",
            platform=kind,
        )
    )


def profile_for(shop: ShopSandbox, tryton_dir: Path, database: str = DEMO_DATABASE) -> Profile:
    """The demo profile pointed at ``shop``, with the platform's own order values."""
    base = demo_profile("https://placeholder.invalid", Path("ca.pem"), tryton_dir, database)
    data = base.model_dump(mode="json")
    data["shop"] = shop.profile_shop()
    data["orders"] = {**data["orders"], **shop.profile_orders()}
    return Profile.model_validate(data)


def files_profile(shop: ShopSandbox, data_dir: Path, sample: SampleExports) -> Profile:
    """The demo profile pointed at ``shop`` whose back-office is the sample spreadsheet's
    file back-office; the demo's order mappings unchanged (the file back-office writes
    journal, carrier and tax-rule names as the profile gives them)."""
    data = profile_for(shop, data_dir / "tryton").model_dump(mode="json")
    data["name"] = FILES_PROFILE
    data["backoffice"] = files_backoffice(data_dir, sample)
    # The stock export is the program's figure of an earlier day: the units an import
    # just wrote as order files are held back from the shop at once, not at the next
    # update-stock (the import's stock lines are update-stock's, in its journal).
    data["orders"]["update_stock_after_import"] = True
    return Profile.model_validate(data)


def with_showcase(profile: Profile, publish_dir: Path, public_url: str) -> Profile:
    """``profile`` sending what the demo shows off on every platform: the items'
    Tryton images (published in ``publish_dir``, served at ``public_url``), their
    brand (the demo's ``brand`` attribute) and each customer group's price; the
    "Soldes" price list is the promotion, not a group."""
    data = profile.model_dump(mode="json")
    catalogue: dict[str, Any] = data["catalogue"]
    catalogue["media"] = {
        **catalogue["media"],
        "item_images": True,
        "publish_dir": str(publish_dir),
        "public_url": public_url,
    }
    catalogue["details"] = {**catalogue["details"], "brand_field": "attr:brand"}
    catalogue["prices"] = {
        **catalogue["prices"],
        "group_prices": True,
        "promotion_price_list": PROMOTION_PRICE_LIST,
    }
    return Profile.model_validate(data)


def run_demo(
    data_dir: Path,
    *,
    console: Console | None = None,
    fresh: bool = False,
    shop: str = "woocommerce",
    flows: Sequence[str] | None = None,
    backoffice: str = "tryton",
) -> bool:
    """Run the demo end to end against ``shop``'s sandbox; True when every flow run
    succeeded.

    ``backoffice`` is ``"tryton"`` (the demo database) or ``"files"``: the sample
    spreadsheet's exports in ``<data dir>/files/exchange/exports`` (written by the
    first demo only) and the order files in ``…/exchange/orders``, no Tryton built.

    ``flows`` limits the run to those flows, still in the demo's order (None: every
    flow). A look at the catalogue the shop shows needs only the flows that send it:
    the order import alone writes some thirty Tryton sales, most of a demo's time
    (tests/test_demo_shows_files_brands_groups.py). The summary lists the flows run;
    "What the shop shows" is printed all the same.
    """
    chosen = _chosen_flows(flows)
    console = console or Console()
    data_dir.mkdir(parents=True, exist_ok=True)
    if fresh:
        for name in ("state.db", "state.db-wal", "state.db-shm", "state.db.marker"):
            (data_dir / name).unlink(missing_ok=True)
        shutil.rmtree(data_dir / "logs", ignore_errors=True)
    if backoffice not in BACKOFFICES:
        raise ValueError(  # internal: the CLI offers only BACKOFFICES
            f"not a back-office of the demo: {backoffice!r}; one of {BACKOFFICES}"
        )
    if backoffice == "files":
        if fresh:
            shutil.rmtree(data_dir / "files", ignore_errors=True)
        profile_of = _files_demo(data_dir, console)
        state_dir = data_dir / "files" / "sandbox"
    else:
        tryton_dir = _prepare_tryton(data_dir, console, fresh)

        def profile_of(sandbox: ShopSandbox) -> Profile:
            return profile_for(sandbox, tryton_dir)

        state_dir = data_dir / "sandbox"
    sandbox = _start_sandbox(state_dir, fresh, shop)
    try:
        summaries, shown = _run_flows(data_dir, sandbox, profile_of, console, chosen)
    finally:
        sandbox.stop()
    # Piped or logged output has no width of its own: give the table room.
    if not console.is_terminal:
        console.width = max(console.width, 110)
    console.print(_summary_table(summaries))
    console.print(shop_shows_table(shop, shown))
    ok = all(s.status == "succeeded" for s in summaries)
    if backoffice == "files":
        console.print(
            _(
                "order files for the back-office: %(path)s",
                path=exchange_folder(data_dir) / OUTBOX,
            )
        )
    console.print(
        "[green]" + _("demo complete") + "[/green]"
        if ok
        else "[red]" + _("some flows failed") + "[/red]"
    )
    return ok


def _chosen_flows(flows: Sequence[str] | None) -> tuple[str, ...]:
    """The demo's flows among ``flows`` (all of them for None), in the demo's order:
    the customers and their groups before the products that name them."""
    if flows is None:
        return DEMO_ORDER
    unknown = sorted(set(flows) - set(DEMO_ORDER))
    if unknown:
        raise ValueError(  # internal: a caller's bug, names come from code, not a merchant
            f"not a flow of the demo: {', '.join(unknown)}; one of {DEMO_ORDER}"
        )
    return tuple(f for f in DEMO_ORDER if f in flows)


def _files_demo(data_dir: Path, console: Console) -> Callable[[ShopSandbox], Profile]:
    """The sample exports put in place (said on the console); the profile's maker."""
    sample, written = prepare_exchange(data_dir)
    exchange = exchange_folder(data_dir)
    if written:
        console.print(_("sample spreadsheet exports written to %(path)s", path=exchange / INBOX))
    else:
        console.print(
            _(
                "sample spreadsheet exports already read (archived in %(path)s); nothing "
                "new to take in",
                path=exchange / ARCHIVE,
            )
        )

    def profile_of(sandbox: ShopSandbox) -> Profile:
        return files_profile(sandbox, data_dir, sample)

    return profile_of


def _run_flows(
    data_dir: Path,
    sandbox: ShopSandbox,
    profile_of: Callable[[ShopSandbox], Profile],
    console: Console,
    flows: Sequence[str],
) -> tuple[list[RunSummary], dict[str, ViewProduct]]:
    """``flows`` against the started sandbox, the published files served meanwhile;
    the runs' summaries and the shop's products as its merchant view reads them after."""
    console.print(_("%(platform)s sandbox: %(url)s", platform=sandbox.kind, url=sandbox.url))
    os.environ.update(sandbox.secrets())
    media = data_dir / "media"
    with serve_folder(media) as files_url:
        repo = ProfileRepository(data_dir)
        profile = with_showcase(profile_of(sandbox), media, files_url)
        repo.save(profile)
        if repo.default() is None:
            repo.set_default(profile.name)
        console.print(
            _("profile %(name)r: %(path)s", name=profile.name, path=repo.path(profile.name))
        )
        store = open_store(data_dir)
        runner = Runner(data_dir, store=store, console=console)
        summaries: list[RunSummary] = []
        for flow in flows:
            console.rule(flow)
            summaries.append(runner.run(profile, flow))
        store.close()
    return summaries, sandbox.view.products()


def _supports(kind: str, option: str) -> bool:
    """Whether the platform can hold what ``option`` sends (the capability matrix)."""
    from passerelle.platforms import shop_platform

    decision = shop_platform(kind).supports.get(option)
    return decision is not None and decision.support is not Support.UNSUPPORTED


def shop_shows(kind: str, products: Mapping[str, ViewProduct]) -> list[tuple[str, str]]:
    """The lines of "What the shop shows": what, and the figure the shop gives (or
    that the platform cannot hold it). Every product and variation counts."""

    def said(option: str, figure: str) -> str:
        return figure if _supports(kind, option) else _("not supported on this platform")

    rows = list(products.values())
    with_images = sum(1 for p in rows if p.images)
    with_groups = sum(1 for p in rows if p.group_prices)
    images = _(
        "%(products)s (%(images)s images)", products=with_images, images=sum(p.images for p in rows)
    )
    prices = _(
        "%(products)s (%(prices)s prices)",
        products=with_groups,
        prices=sum(p.group_prices for p in rows),
    )
    return [
        (_("products"), str(len(rows))),
        (_("products with images"), said(IMAGES_OPTION, images)),
        (_("products with a brand"), said(BRAND_OPTION, str(sum(1 for p in rows if p.brand)))),
        (_("products with customer-group prices"), said(GROUP_PRICES_OPTION, prices)),
    ]


def shop_shows_table(kind: str, products: Mapping[str, ViewProduct]) -> Table:
    table = Table(title=_("What the shop shows (%(platform)s)", platform=kind), pad_edge=False)
    table.add_column(_("catalogue"), no_wrap=True)
    table.add_column(_("in the shop"), no_wrap=True)
    for what, figure in shop_shows(kind, products):
        table.add_row(what, figure)
    return table


def _summary_table(summaries: list[RunSummary]) -> Table:
    table = Table(title=_("passerelle demo — summary"), pad_edge=False)
    table.add_column(_("flow"), no_wrap=True)
    for column in (
        _("created"),
        _("updated"),
        _("unchanged"),
        _("skipped"),
        _("parked"),
        _("failed"),
    ):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column(_("run"), no_wrap=True)
    for summary in summaries:
        status = _("ok") if summary.status == "succeeded" else summary.status.said.render().upper()
        table.add_row(
            summary.flow,
            *[
                str(summary.counts.get(c, 0))
                for c in ("created", "updated", "unchanged", "skipped", "parked", "failed")
            ],
            f"#{summary.run_id} {status}",
        )
    return table
