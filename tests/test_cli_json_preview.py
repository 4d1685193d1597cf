"""``passerelle preview FLOW --json``: one document, valid against its schema in docs/schemas.

Real data: the memory back-office and the WooCommerce sandbox after a product
export; then a price changes, an item is added and one record's kept content
is lost (as in a store written before contents were kept), so the document
holds a creation, an update with its before and after, and an unknown before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.model import Item
from passerelle.store import Store
from tests.preview_scene import exported_shop

SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "schemas" / "preview.schema.json"
PROFILE = "boutique"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Two items exported, then one repriced, one added and one kept content lost."""
    monkeypatch.delenv("PASSERELLE_STORE_URL", raising=False)
    items = [
        Item("1", "MUG-1", "Mug bleu", Decimal("12.00")),
        Item("2", "MUG-2", "Mug vert", Decimal("14.50")),
    ]
    with (
        Store.open_data_dir(tmp_path) as store,
        exported_shop(tmp_path, store, monkeypatch, PROFILE, items) as (sandbox, backoffice),
    ):
        with store.engine.begin() as connection:  # as a store written by an earlier version
            connection.execute(
                text(
                    "DELETE FROM sent_contents WHERE binding_id IN "
                    "(SELECT id FROM bindings WHERE local_id = '2')"
                )
            )
        store.close()  # the CLI opens the data directory's store itself
        backoffice.items["1"] = replace(backoffice.items["1"], sale_price=Decimal("12.90"))
        backoffice.items["2"] = replace(backoffice.items["2"], sale_price=Decimal("15.00"))
        backoffice.items["3"] = Item("3", "MUG-3", "Mug rouge", Decimal("13.00"))
        sandbox.reset_requests()
        yield tmp_path
        assert [r for r in sandbox.requests if r[0] != "GET"] == []  # nothing was sent


def test_preview_json_is_valid_against_its_schema(data_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["preview", "export-products", "--json", "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)  # nothing else on standard output
    jsonschema.Draft202012Validator(
        json.loads(SCHEMA.read_text()),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    ).validate(document)

    assert (document["profile"], document["flow"]) == (PROFILE, "export-products")
    by_label = {r["label"]: r for r in document["records"]}
    assert (by_label["MUG-3"]["action"], by_label["MUG-3"]["shop_id"]) == ("create", None)
    (price,) = [c for c in by_label["MUG-1"]["changes"] if c["field"] == "regular_price"]
    assert price == {"field": "regular_price", "before": "12.00", "after": "12.90", "known": True}
    unknown = {c["field"]: c for c in by_label["MUG-2"]["changes"]}["regular_price"]
    assert (unknown["known"], unknown["before"], unknown["after"]) == (False, None, "15.00")


def test_a_flow_that_cannot_be_previewed_prints_no_document(data_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["preview", "import-orders", "--json", "--data-dir", str(data_dir)]
    )
    assert (result.exit_code, result.stdout) == (2, "")
