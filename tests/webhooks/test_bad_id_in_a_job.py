"""A job with one bad order id among good ones imports the good ones and parks the bad one.

The receiver now refuses such ids (``test_malformed_ids``), but a job can
still hold one: queued before that check, or typed into ``passerelle orders
send``. Here three deliveries as an older receiver queued them — two real
orders of the WooCommerce sandbox and ``../products/1`` between them — are
merged into one ``import-orders`` job when claimed, and the job runs through
the worker's own ``execute_job`` against the sandbox and an in-memory
back-office: the two orders become sales, the bad id is parked under its own
key with a message saying what it is, and the job is done.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console

from passerelle.connectors.base import BackOffice, Shop
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.model import Item, Tax
from passerelle.profiles import Profile, ProfileRepository
from passerelle.runner import Runner, RunSummary
from passerelle.runner.execute import execute_job
from passerelle.runner.scheduler import shop_key
from passerelle.store import Store
from tests.test_profiles import VALID

from .support import running_shop

BAD = "../products/1"
FLOW = "import-orders"


class _Connected(Runner):
    """The runner a worker uses, given the sandbox's shop and an in-memory back-office
    (a worker builds both from the profile; the profile here names no real ones)."""

    def __init__(self, data_dir: Path, store: Store, backoffice: BackOffice, shop: Shop) -> None:
        super().__init__(data_dir, store=store, console=Console(quiet=True))
        self.backoffice, self.shop = backoffice, shop

    def run(self, profile: Profile, flow_name: str, **kwargs: Any) -> RunSummary:
        return super().run(
            profile,
            flow_name,
            backoffice=self.backoffice,
            shop=self.shop,
            options=kwargs.get("options"),
        )


def _profile(data_dir: Path) -> Profile:
    repo = ProfileRepository(data_dir)
    profile = repo.validate(
        dict(
            VALID,
            name="shop",
            orders=dict(
                VALID["orders"],
                taxes=[{"shop_label": "TVA 20 %", "tax": "TVA 20"}],
                discount_items={"TVA 20": "MISC"},
                payments={"bacs": {"journal": "BANK"}},
            ),
        )
    )
    repo.save(profile)
    return profile


def test_a_job_with_one_bad_id_among_good_ones_imports_the_good_ones(
    tmp_path: Path, store: Store
) -> None:
    data_dir = tmp_path / "data"
    profile = _profile(data_dir)
    backoffice = MemoryBackOffice(taxes=[Tax("1", "TVA 20", Decimal("0.2"))])
    for code in ("SHIPPING", "MISC", "WRAP", "GAP", "MUG"):
        backoffice.items[code] = Item(code, code, code, Decimal(0))
    with (
        running_shop(tmp_path) as (sandbox, _api),
        WooCommerceShop(
            sandbox.url, "ck_demo", "cs_demo", options=HttpOptions(verify=sandbox.ca_bundle)
        ) as shop,
    ):
        good = [
            str(
                sandbox.create_order(
                    {
                        "status": "processing",
                        "payment_method": "bacs",
                        "line_items": [
                            {"sku": "MUG", "name": "Mug", "quantity": 1, "total": "9.00"}
                        ],
                    }
                )["id"]
            )
            for _ in range(2)
        ]
        for n, order_id in enumerate([good[0], BAD, good[1]]):
            store.queue.accept_delivery(
                profile.name,
                "woocommerce",
                f"d{n}",
                flow=FLOW,
                payload={"order_ids": [order_id]},
                dedupe_key=f"order:{order_id}",
                lane="orders",
                shop_key=shop_key(profile),
            )
        worker = store.queue.register_worker()
        job = store.queue.claim(worker)
        assert job is not None and job.payload["order_ids"] == [good[0], BAD, good[1]]
        runner = _Connected(data_dir, store, backoffice, shop)
        sandbox.reset_requests()
        outcome = execute_job(
            job,
            queue=store.queue,
            runner=runner,
            profiles=ProfileRepository(data_dir),
            worker_id=worker,
        )
    assert outcome.status == "done", outcome.message
    assert sorted(key.rsplit("#", 1)[1] for key in backoffice.sales) == sorted(good)
    [parked] = store.parked(profile.name, FLOW)
    assert parked.record_key == BAD and parked.severity.value == "error"
    assert "is not an id the shop can have" in parked.reason
    # The bad id never reached the shop: only the two orders were read.
    assert not any("products" in path for _method, path in sandbox.requests)
