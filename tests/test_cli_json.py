"""``--json`` on the commands that list or report: one JSON document on standard
output, valid against its schema in ``docs/schemas/``, and the same exit code as
the table output.

Real data: a profile with the in-memory back-office against the WooCommerce
sandbox; a manual send of two orders the back-office cannot map fills the
runs, the queue and the problems, as a merchant's first day would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.cli.version import installed_version
from passerelle.profiles import ProfileRepository
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.store import Store

SCHEMAS = Path(__file__).resolve().parents[1] / "docs" / "schemas"
PROFILE = "shop-fr"
ITEMS = ["SHIPPING", "MISC", "WRAP", "GAP"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data directory after a manual send of two orders that cannot be mapped."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WC_KEY", "ck_demo")
        env.setenv("WC_SECRET", "cs_demo")
        env.delenv("PASSERELLE_STORE_URL", raising=False)
        root = tmp_path_factory.mktemp("json")
        with WooSandbox(root / "shop.json", cert_dir=root / "tls") as shop:
            repo = ProfileRepository(root)
            repo.save(
                repo.validate(
                    {
                        "name": PROFILE,
                        "mode": "production",
                        "backoffice": {"kind": "memory", "items": ITEMS},
                        "shop": {
                            "url": shop.url,
                            "consumer_key": "env:WC_KEY",
                            "consumer_secret": "env:WC_SECRET",
                            "http": {
                                "timeout": 5,
                                "max_tries": 1,
                                "ca_bundle": str(shop.ca_bundle),
                            },
                        },
                        "orders": {
                            "shipping_item": "SHIPPING",
                            "misc_item": "MISC",
                            "gift_wrap_item": "WRAP",
                            "gap_item": "GAP",
                        },
                    }
                )
            )
            ids = [str(i) for i in sorted(shop.data.orders)[:2]]
            code, _out = _invoke(root, "orders", "send", *ids)
            assert code == 3, _out  # both set aside for a person
            with Store.open_data_dir(root) as store:
                store.stage(
                    PROFILE,
                    "import-orders",
                    "9001",
                    order_number="#9001",
                    document_json="{}",
                    customer_json=None,
                    summary="Dupont SARL, 120.00 EUR",
                    reason="first order of this customer",
                )
            yield root


def _invoke(data_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--data-dir", str(data_dir)])
    return result.exit_code, result.stdout


def _validate(schema: str, document: object) -> None:
    validator = jsonschema.Draft202012Validator(
        json.loads((SCHEMAS / f"{schema}.schema.json").read_text()),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    validator.validate(document)


def _checked(data_dir: Path, schema: str, *args: str) -> tuple[int, dict[str, Any]]:
    """Run the command with --json; its whole stdout is one document valid against
    ``schema``, and its exit code is the table output's."""
    code, stdout = _invoke(data_dir, *args, "--json")
    document = json.loads(stdout)  # nothing else on standard output
    _validate(schema, document)
    assert code == _invoke(data_dir, *args)[0], f"{args}: not the table output's exit code"
    return code, document


def test_runs_jobs_and_problems(data_dir: Path) -> None:
    code, runs = _checked(data_dir, "runs", "runs", "--flow", "import-orders")
    assert code == 0
    (run,) = runs["runs"]  # the other tests of the module run other flows
    assert (run["flow"], run["status"]) == ("import-orders", "with_problems")
    assert run["counts"]["parked"] + run["counts"]["failed"] >= 2

    code, shown = _checked(data_dir, "runs-show", "runs", "show", str(run["id"]))
    assert code == 0 and shown["run"] == run
    assert shown["journal"][-1]["message"].startswith("completed with problems")
    assert _invoke(data_dir, "runs", "show", "999", "--json") == (1, "")

    with Store.open_data_dir(data_dir) as store:  # the run kept its shop requests (metrics)
        sent = store.shop_requests_by_platform()["woocommerce"]
    assert sent.requests > 0 and sent.seconds > 0

    code, jobs = _checked(data_dir, "jobs", "jobs")
    assert code == 0
    (job,) = [j for j in jobs["jobs"] if j["run_id"] == run["id"]]
    assert (job["job"], job["status"], job["source"]) == ("import-orders", "done", "manual")

    code, problems = _checked(data_dir, "problems", "problems", "--profile", PROFILE)
    assert code == 0 and len(problems["problems"]) >= 2
    assert {p["severity"] for p in problems["problems"]} == {"error"}


def test_orders_staged_and_status(data_dir: Path) -> None:
    code, grid = _checked(data_dir, "orders-staged", "orders", "staged", "--profile", PROFILE)
    assert code == 0
    assert [o["order_number"] for o in grid["orders"]] == ["#9001"]
    assert len(grid["set_aside"]) >= 2

    for kind in ("orders", "products", "customers"):
        code, status = _checked(data_dir, "status", "status", kind, "--profile", PROFILE)
        assert code == 0 and status["kind"] == kind
        assert sum(status["counts"].values()) == len(status["records"])
    code, orders = _checked(
        data_dir, "status", "status", "orders", "--profile", PROFILE, "--only", "error"
    )
    assert {r["state"] for r in orders["records"]} <= {"error"}


def test_stock_check_and_profile_test(data_dir: Path) -> None:
    code, stock = _checked(data_dir, "stock-check", "stock", "check", "--profile", PROFILE)
    assert stock["run_status"] in ("succeeded", "with_problems")
    assert code == (1 if stock["differences"] or stock["uncompared"] else 0)

    code, tested = _checked(data_dir, "profile-test", "profile", "test", PROFILE)
    assert tested["backoffice"]["ok"] and tested["shop"]["ok"]
    assert code == (0 if tested["ok"] else 1)


def test_stock_differences_fit_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """Differences of each sort (fixed, not managed, missing), as a real check reports them
    (the sandbox check above finds none)."""
    from passerelle.cli.stock import _emit
    from passerelle.flows.stock_check import Difference, StockReport

    report = StockReport(
        [Difference("A1", 5, 3), Difference("B2", 2, None), Difference("C3", 4, missing=True)],
        fixed={"A1"},
        uncompared=["D4: two products carry this SKU"],
    )
    _emit(PROFILE, 7, "succeeded", report)
    document = json.loads(capsys.readouterr().out)
    _validate("stock-check", document)
    assert [d["fixed"] for d in document["differences"]] == [True, False, False]


def test_store_prune(data_dir: Path) -> None:
    code, pruned = _checked(data_dir, "store-prune", "store", "prune", "--days", "90")
    assert code == 0 and pruned["days"] == 90 and pruned["journal_lines"] == 0


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"passerelle {installed_version()}"
    assert installed_version() != "unknown"
