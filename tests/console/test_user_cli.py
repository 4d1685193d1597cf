"""``passerelle user add|passwd|remove|list``: passwords asked twice and hidden, or read
from standard input; never echoed, never stored in clear."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from passerelle.cli.main import app
from passerelle.console.passwords import verify
from passerelle.store import Store
from passerelle.store.repositories.users import Role, users_of

SECRET = "a long enough secret"


def _user(data_dir: Path, *args: str, stdin: str = "", lang: str = "en") -> Result:
    return CliRunner().invoke(
        app,
        ["user", *args, "--data-dir", str(data_dir)],
        input=stdin,
        env={"PASSERELLE_LANG": lang, "COLUMNS": "200"},
    )


def _hash(data_dir: Path, name: str) -> str | None:
    with Store.open_data_dir(data_dir) as store:
        found = users_of(store).credentials(name)
    return found[1] if found else None


def test_add_from_stdin_then_list(tmp_path: Path) -> None:
    added = _user(tmp_path, "add", "olga", "--role", "operator", "--password-stdin",
                  stdin=SECRET + "\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "User olga added (operator)." in added.output
    assert SECRET not in added.output
    stored = _hash(tmp_path, "olga")
    assert stored is not None and stored.startswith("$argon2id$") and SECRET not in stored
    assert verify(stored, SECRET).ok
    assert _user(tmp_path, "add", "victor", "--password-stdin", stdin=SECRET).exit_code == 0
    listed = _user(tmp_path, "list")
    assert listed.exit_code == 0
    assert "olga" in listed.output and "operator" in listed.output and "viewer" in listed.output
    rows = json.loads(_user(tmp_path, "list", "--json").output)["users"]
    assert [(row["name"], row["role"]) for row in rows] == [
        ("olga", "operator"),
        ("victor", "viewer"),
    ]


def test_the_hidden_prompt_asks_twice_and_never_echoes(tmp_path: Path) -> None:
    added = _user(tmp_path, "add", "olga", stdin=f"{SECRET}\n{SECRET}\n")
    assert added.exit_code == 0, added.output
    assert "Password" in added.output and "Repeat the password" in added.output
    assert SECRET not in added.output
    differ = _user(tmp_path, "add", "paul", stdin=f"{SECRET}\n{SECRET}x\n")
    assert differ.exit_code == 2 and "differ" in differ.output
    assert SECRET not in differ.output
    assert _hash(tmp_path, "paul") is None


@pytest.mark.parametrize(
    ("password", "why"),
    [("", "The password is empty."), ("   ", "The password is empty."), ("short", "at least 10")],
)
def test_an_empty_or_short_password_is_refused(tmp_path: Path, password: str, why: str) -> None:
    refused = _user(tmp_path, "add", "olga", "--password-stdin", stdin=password + "\n")
    assert refused.exit_code == 2
    assert why in refused.output
    assert _hash(tmp_path, "olga") is None


def test_a_duplicate_name_is_refused(tmp_path: Path) -> None:
    assert _user(tmp_path, "add", "olga", "--password-stdin", stdin=SECRET).exit_code == 0
    again = _user(tmp_path, "add", "olga", "--role", "operator", "--password-stdin", stdin=SECRET)
    assert again.exit_code == 2
    assert "A user named olga already exists." in again.output
    with Store.open_data_dir(tmp_path) as store:
        assert users_of(store).get("olga").role is Role.VIEWER  # type: ignore[union-attr]


def test_passwd_changes_the_hash(tmp_path: Path) -> None:
    _user(tmp_path, "add", "olga", "--password-stdin", stdin=SECRET)
    before = _hash(tmp_path, "olga")
    changed = _user(tmp_path, "passwd", "olga", "--password-stdin", stdin="another secret phrase\n")
    assert changed.exit_code == 0, changed.output
    assert "another secret phrase" not in changed.output
    after = _hash(tmp_path, "olga")
    assert after != before and verify(after, "another secret phrase").ok
    missing = _user(tmp_path, "passwd", "nobody", "--password-stdin", stdin=SECRET)
    assert missing.exit_code == 1 and "No user named nobody." in missing.output


def test_remove(tmp_path: Path) -> None:
    _user(tmp_path, "add", "olga", "--password-stdin", stdin=SECRET)
    assert _user(tmp_path, "remove", "olga").exit_code == 0
    assert _hash(tmp_path, "olga") is None
    again = _user(tmp_path, "remove", "olga")
    assert again.exit_code == 1 and "No user named olga." in again.output
    assert "No console user yet" in _user(tmp_path, "list").output


def test_messages_follow_the_terminal_language(tmp_path: Path) -> None:
    added = _user(tmp_path, "add", "olga", "--password-stdin", stdin=SECRET, lang="fr")
    assert "Utilisateur olga ajouté (lecteur)." in added.output
    short = _user(tmp_path, "passwd", "olga", "--password-stdin", stdin="court", lang="fr")
    assert "au moins 10 caractères" in short.output
