"""Profiles: validation names each bad field; files, default, secrets; the CLI commands."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.profiles import (
    ProfileError,
    ProfileRepository,
    SecretError,
    data_dir_from,
    resolve_secret,
)

VALID = {
    "name": "shop-fr",
    "backoffice": {"database": "erp"},
    "shop": {
        "url": "https://shop.example.org",
        "consumer_key": "env:WC_KEY",
        "consumer_secret": "keyring:passerelle/shop-fr",
    },
    "orders": {
        "shipping_item": "SHIPPING",
        "misc_item": "MISC",
        "gift_wrap_item": "WRAP",
        "gap_item": "GAP",
    },
}


def test_valid_profile_round_trips_through_its_file(tmp_path: Path) -> None:
    repo = ProfileRepository(tmp_path)
    profile = repo.validate(dict(VALID))
    path = repo.save(profile)
    assert path == tmp_path / "profiles" / "shop-fr.toml"
    assert repo.load("shop-fr") == profile
    # Only the reference to the secret is on disk.
    text = path.read_text()
    assert "env:WC_KEY" in text and "keyring:passerelle/shop-fr" in text


def test_each_invalid_or_missing_field_is_named(tmp_path: Path) -> None:
    data = {
        "name": "shop-fr",
        "backoffice": {"database": "erp", "uri": "mysql://x"},
        "shop": {
            "url": "http://shop.example.org",
            "consumer_key": "ck_live_123",
            "consumer_secret": "env:WC_SECRET",
            "colour": "red",
        },
        "orders": {"account_length": 0, "description_template": "Web %OI %ZZ"},
    }
    with pytest.raises(ProfileError) as caught:
        ProfileRepository(tmp_path).validate(data)
    problems = caught.value.problems
    fields = [p.split(":")[0] for p in problems]
    assert fields == sorted(fields, key=fields.index)  # stable order
    assert set(fields) == {
        "backoffice.uri",
        "shop.url",
        "shop.consumer_key",
        "shop.colour",
        "orders.account_length",
        "orders.description_template",
        "orders.shipping_item",
        "orders.misc_item",
        "orders.gift_wrap_item",
        "orders.gap_item",
    }
    by_field = dict(p.split(": ", 1) for p in problems)
    assert "missing" in by_field["orders.shipping_item"]
    assert "unknown field" in by_field["shop.colour"]
    assert "%ZZ" in by_field["orders.description_template"]
    assert "env:VARIABLE" in by_field["shop.consumer_key"]
    # A plain secret put by mistake in the file is not echoed back in the error.
    assert "ck_live_123" not in str(caught.value)


def test_invalid_toml_and_unknown_profile_say_which_file(tmp_path: Path) -> None:
    repo = ProfileRepository(tmp_path)
    repo.folder.mkdir(parents=True)
    repo.path("broken").write_text("name = \n")
    with pytest.raises(ProfileError, match="broken.*not valid TOML"):
        repo.load("broken")
    with pytest.raises(ProfileError, match="'nope' does not exist"):
        repo.load("nope")


def test_rename_duplicate_delete_and_default(tmp_path: Path) -> None:
    repo = ProfileRepository(tmp_path)
    repo.save(repo.validate(dict(VALID)))
    assert repo.default() == "shop-fr"  # the only profile is the default
    repo.duplicate("shop-fr", "shop-be")
    assert repo.default() is None  # two profiles, none chosen
    repo.set_default("shop-fr")
    repo.rename("shop-fr", "shop-france")
    assert repo.default() == "shop-france"
    assert repo.names() == ["shop-be", "shop-france"]
    assert repo.load("shop-be").shop == repo.load("shop-france").shop
    with pytest.raises(ProfileError, match="already exists"):
        repo.rename("shop-be", "shop-france")
    repo.delete("shop-france")
    assert repo.names() == ["shop-be"]
    assert repo.default() == "shop-be"


def test_data_dir_option_beats_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_DATA", str(tmp_path / "env"))
    assert data_dir_from(None) == tmp_path / "env"
    assert data_dir_from(tmp_path / "opt") == tmp_path / "opt"
    monkeypatch.delenv("PASSERELLE_DATA")
    assert data_dir_from(None) == Path.cwd() / "passerelle-data"
    assert data_dir_from(Path("rel")).is_absolute()


def test_secret_from_environment_and_clear_message_when_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WC_KEY", "ck_value")
    assert resolve_secret("env:WC_KEY", field="shop.consumer_key") == "ck_value"
    monkeypatch.delenv("WC_KEY")
    with pytest.raises(SecretError, match="shop.consumer_key: the environment variable WC_KEY"):
        resolve_secret("env:WC_KEY", field="shop.consumer_key")


def test_cli_profile_lifecycle(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["profile"]
    data = ["--data-dir", str(tmp_path)]
    result = runner.invoke(
        app,
        [
            *base,
            "create",
            "shop-fr",
            "--shop-url",
            "https://s.example",
            "--consumer-key",
            "env:K",
            "--consumer-secret",
            "env:S",
            "--tryton-database",
            "erp",
            "--shipping-item",
            "SHIP",
            "--misc-item",
            "MISC",
            "--gift-wrap-item",
            "WRAP",
            "--gap-item",
            "GAP",
            *data,
        ],
    )
    assert result.exit_code == 0, result.output
    saved = tomllib.loads((tmp_path / "profiles" / "shop-fr.toml").read_text())
    assert saved["shop"]["url"] == "https://s.example"
    assert saved["orders"]["shipping_item"] == "SHIP"

    result = runner.invoke(
        app,
        [
            *base,
            "create",
            "bad",
            "--shop-url",
            "http://s.example",
            "--consumer-key",
            "secret!",
            "--consumer-secret",
            "env:S",
            "--tryton-database",
            "erp",
            "--shipping-item",
            "SHIP",
            "--misc-item",
            "MISC",
            "--gift-wrap-item",
            "WRAP",
            "--gap-item",
            "GAP",
            *data,
        ],
    )
    assert result.exit_code == 1
    assert "shop.url" in result.output and "shop.consumer_key" in result.output
    assert not (tmp_path / "profiles" / "bad.toml").exists()

    assert runner.invoke(app, [*base, "duplicate", "shop-fr", "shop-be", *data]).exit_code == 0
    assert runner.invoke(app, [*base, "default", "shop-be", *data]).exit_code == 0
    listing = runner.invoke(app, [*base, "list", *data]).output
    assert "* " in listing.split("shop-be")[0].splitlines()[-1] + " "
    shown = runner.invoke(app, [*base, "show", "shop-fr", *data])
    assert "env:K" in shown.output
    assert runner.invoke(app, [*base, "rename", "shop-fr", "shop-france", *data]).exit_code == 0
    # delete asks; "n" keeps the profile
    kept = runner.invoke(app, [*base, "delete", "shop-france", *data], input="n\n")
    assert kept.exit_code == 1 and (tmp_path / "profiles" / "shop-france.toml").exists()
    gone = runner.invoke(app, [*base, "delete", "shop-france", *data], input="y\n")
    assert gone.exit_code == 0 and not (tmp_path / "profiles" / "shop-france.toml").exists()


def test_export_then_import_elsewhere(tmp_path: Path) -> None:
    runner = CliRunner()
    source = ProfileRepository(tmp_path / "a")
    source.save(source.validate(dict(VALID)))
    exported = tmp_path / "shop-fr.toml"
    result = runner.invoke(
        app, ["profile", "export", "shop-fr", str(exported), "--data-dir", str(tmp_path / "a")]
    )
    assert result.exit_code == 0, result.output
    target = ["--data-dir", str(tmp_path / "b")]
    assert runner.invoke(app, ["profile", "import", str(exported), *target]).exit_code == 0
    assert ProfileRepository(tmp_path / "b").load("shop-fr") == source.load("shop-fr")
    again = runner.invoke(app, ["profile", "import", str(exported), *target])
    assert again.exit_code == 1 and "--force" in again.output
    renamed = runner.invoke(app, ["profile", "import", str(exported), "--name", "copy", *target])
    assert renamed.exit_code == 0
    assert ProfileRepository(tmp_path / "b").names() == ["copy", "shop-fr"]
    exported.write_text(exported.read_text().replace('shipping_item = "SHIPPING"\n', ""))
    broken = runner.invoke(app, ["profile", "import", str(exported), "--force", *target])
    assert broken.exit_code == 1 and "orders.shipping_item: missing" in broken.output


def test_secret_from_the_system_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        secrets = {("passerelle", "shop-fr"): "cs_from_keyring"}

        def get_password(self, service: str, username: str) -> str | None:
            return self.secrets.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.secrets[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.secrets.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        assert resolve_secret("keyring:passerelle/shop-fr", field="x") == "cs_from_keyring"
        with pytest.raises(SecretError, match="keyring set passerelle other"):
            resolve_secret("keyring:passerelle/other", field="shop.consumer_secret")
    finally:
        keyring.set_keyring(previous)


def test_missing_special_entries_fail_at_load_one_line_each(tmp_path: Path) -> None:
    """O14: a profile whose mappings call for special items it does not name fails at
    load, one line per missing entry, before any order is touched."""
    data = {
        **VALID,
        "orders": {
            **VALID["orders"],  # type: ignore[dict-item]
            "taxes": [
                {"shop_rate": "20", "tax": "TVA 20 %"},
                {"shop_rate": "5.5", "tax": "TVA 5,5 %"},
            ],
            "default_tax": "TVA 10 %",
            "discount_items": {"TVA 20 %": "DISC20"},
            "account_mode": "single",
            "ecotax_mode": "separate_line",
        },
    }
    del data["orders"]["gap_item"]  # type: ignore[attr-defined]
    with pytest.raises(ProfileError) as caught:
        ProfileRepository(tmp_path).validate(data)
    problems = caught.value.problems
    assert problems == [
        "orders.gap_item: missing (this field is required)",
        "orders.discount_items: no discount item for back-office tax 'TVA 10 %' "
        '(add "TVA 10 %" = "<item code>")',
        "orders.discount_items: no discount item for back-office tax 'TVA 5,5 %' "
        '(add "TVA 5,5 %" = "<item code>")',
        'orders.single_account: account_mode = "single" needs the account code',
        'orders.ecotax_item: ecotax_mode = "separate_line" needs the eco-tax item',
    ]
