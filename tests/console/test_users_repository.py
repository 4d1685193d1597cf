"""The users table on its own: unique names, hashes only, language codes, key file mode."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from passerelle.console.secret_key import KEY_FILE, load_or_create_secret_key
from passerelle.store import Store
from passerelle.store.repositories.users import Role, UserExists, users_of

from .conftest import OPERATOR, password_hash


def test_names_are_unique_and_checked(store: Store) -> None:
    users = users_of(store)
    with pytest.raises(UserExists):
        users.add(OPERATOR, password_hash(), Role.VIEWER)
    for bad in ("", " olga", "olga\n", "x" * 101):
        with pytest.raises(ValueError):
            users.add(bad, password_hash(), Role.VIEWER)
    assert [user.name for user in users.list()] == ["olga", "victor"]


def test_only_an_argon2_hash_is_stored(store: Store) -> None:
    users = users_of(store)
    with pytest.raises(ValueError):
        users.add("paul", "a plain password", Role.VIEWER)
    with pytest.raises(ValueError):
        users.set_password_hash(OPERATOR, "a plain password")
    assert not hasattr(users.get(OPERATOR), "password_hash")


def test_language_and_removal(store: Store) -> None:
    users = users_of(store)
    assert users.set_language(OPERATOR, "fr")
    assert users.get(OPERATOR).language == "fr"  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        users.set_language(OPERATOR, "fr'; --")
    assert not users.set_language("nobody", "fr")
    assert users.remove(OPERATOR) and not users.remove(OPERATOR)
    assert users.get(OPERATOR) is None


def test_a_key_file_readable_by_others_is_narrowed(tmp_path: Path) -> None:
    key = load_or_create_secret_key(tmp_path)
    (tmp_path / KEY_FILE).chmod(0o644)
    assert load_or_create_secret_key(tmp_path) == key
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
