"""`[notifications]` of a profile: checked when the profile loads, secrets by reference only."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from passerelle.i18n.messages import english
from passerelle.profiles import ProfileError, ProfileRepository
from tests.notify.conftest import PASSWORD_ENV, profile_data

COMPLETE = {
    "host": "smtp.shop.test",
    "user": "me",
    "password": f"env:{PASSWORD_ENV}",
    "from_address": "Shop <noreply@shop.test>",
    "to_addresses": ["owner@shop.test"],
}


def problems(tmp_path: Path, **notifications: object) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        ProfileRepository(tmp_path).validate(profile_data(**notifications))
    return caught.value.problems


def test_a_profile_without_the_table_has_notifications_off(tmp_path: Path) -> None:
    profile = ProfileRepository(tmp_path).validate(profile_data())
    assert not profile.notifications.configured
    assert profile.notifications.digest  # on as soon as a server is given


def test_the_table_round_trips_with_the_password_as_a_reference(tmp_path: Path) -> None:
    repo = ProfileRepository(tmp_path)
    profile = repo.validate(profile_data(**COMPLETE, security="ssl", digest=False))
    text = repo.save(profile).read_text()
    assert "[notifications]" in text and f'password = "env:{PASSWORD_ENV}"' in text
    loaded = repo.load(profile.name)
    assert loaded == profile
    assert loaded.notifications.effective_port == 465 and not loaded.notifications.digest


@pytest.mark.parametrize(("security", "port"), [("starttls", 587), ("ssl", 465), ("none", 25)])
def test_the_port_defaults_to_the_security_mode(tmp_path: Path, security: str, port: int) -> None:
    profile = ProfileRepository(tmp_path).validate(profile_data(**COMPLETE, security=security))
    assert profile.notifications.effective_port == port
    assert english(profile.notifications.describe()) == f"smtp.shop.test:{port} ({security}) as me"


def test_a_password_written_in_clear_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, **{**COMPLETE, "password": "hunter2"})
    assert len(found) == 1 and found[0].startswith("notifications.password:")
    assert "env:VARIABLE or keyring:SERVICE/USER" in found[0]


def test_a_host_needs_a_sender_and_recipients(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, host="smtp.shop.test")
    assert found.startswith("notifications:")
    assert "from_address and to_addresses must be" in found


def test_user_and_password_go_together(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, **{k: v for k, v in COMPLETE.items() if k != "password"})
    assert "give user and password together" in found


@pytest.mark.parametrize("address", ["owner", "owner@", "a@b.test, c@d.test", "o wner@shop.test"])
def test_each_bad_address_is_named(tmp_path: Path, address: str) -> None:
    (found,) = problems(tmp_path, **{**COMPLETE, "to_addresses": ["ok@shop.test", address]})
    assert found.startswith("notifications.to_addresses.1:")
    assert "is not one e-mail address" in found


def test_unknown_fields_and_bad_security_are_named(tmp_path: Path) -> None:
    found = problems(tmp_path, **COMPLETE, security="tls", colour="red")
    assert {p.split(":")[0] for p in found} == {"notifications.security", "notifications.colour"}


def test_the_example_of_the_operations_guide_is_a_valid_table(tmp_path: Path) -> None:
    guide = (Path(__file__).parents[2] / "docs" / "operations.md").read_text()
    (block,) = [
        b.split("\n", 1)[1]
        for b in guide.split("```toml")[1:]
        if b.lstrip().startswith("[notifications]")
    ]
    table = tomllib.loads(block.split("```")[0])["notifications"]
    profile = ProfileRepository(tmp_path).validate(profile_data(**table))
    assert profile.notifications.configured and profile.notifications.effective_port == 587
