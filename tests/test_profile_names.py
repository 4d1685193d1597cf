"""Profiles are files in their folder, nothing else (issue 13 item 6).

Through the CLI, as a merchant types it: a name that is a path is refused with
the rule for names, and the file it points at is left alone; a profile file
that is not UTF-8 is named by ``profile list``, which still lists the others.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.profiles import ProfileError, ProfileRepository
from tests.test_profiles import VALID

RULE = "A profile name is 1 to 64 letters"


def _cli(data: Path, command: str, *names: str) -> tuple[int, str]:
    """``passerelle profile COMMAND [--yes] --data-dir DATA -- NAMES``: after ``--`` a
    name such as ``-rf`` or ``--help`` reaches the command as the name it is."""
    yes = ["--yes"] if command == "delete" else []
    result = CliRunner().invoke(
        app, ["profile", command, *yes, "--data-dir", str(data), "--", *names]
    )
    assert not isinstance(result.exception, (OSError, UnicodeError)), result.exception
    return result.exit_code, result.output


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data directory with one good profile, and ``victim.toml`` two levels above its
    profiles folder, plus ``x.toml`` right beside the data directory."""
    directory = tmp_path / "site" / "data"
    repo = ProfileRepository(directory)
    repo.save(repo.validate(dict(VALID)))
    (tmp_path / "victim.toml").write_text('name = "victim"\nsecret = "outside"\n')
    (directory / "x.toml").write_text('name = "x"\n')
    return directory


def test_delete_of_a_path_is_refused_and_the_file_outside_stays(data: Path, tmp_path: Path) -> None:
    for name in ("../x", "../../../victim"):
        code, output = _cli(data, "delete", name)
        assert code == 1
        assert "not a valid profile name" in output and RULE in output
    assert (data / "x.toml").is_file() and (tmp_path / "victim.toml").is_file()
    assert (data / "profiles" / "shop-fr.toml").is_file()


def test_show_and_export_of_a_path_are_refused(data: Path, tmp_path: Path) -> None:
    for command in ("show", "export"):
        code, output = _cli(data, command, "../x")
        assert code == 1 and RULE in output
        assert 'name = "x"' not in output
        code, output = _cli(data, command, "../../../victim")
        assert code == 1 and "outside" not in output


@pytest.mark.parametrize(
    "name",
    [
        "shop\x00fr",
        "a\\..\\x",
        "..\\x",
        "/etc/passwd",
        "",
        ".hidden",
        "-rf",
        "a..b",
        "x" * 65,
        "café",
        "shop fr",
        "shop-fr\n",
        "[/red]",
    ],
)
def test_each_command_refuses_a_name_that_is_not_plain(data: Path, name: str) -> None:
    commands: list[list[str]] = [
        ["delete", name],
        ["show", name],
        ["export", name],
        ["default", name],
        ["rename", "shop-fr", name],
        ["duplicate", "shop-fr", name],
        ["rename", name, "shop-be"],
    ]
    for args in commands:
        code, output = _cli(data, *args)
        assert code == 1, (args, output)
        assert "valid profile name" in output or "no profile given" in output, (args, output)
    assert ProfileRepository(data).names() == ["shop-fr"]
    assert not (data / "default-profile").exists()


def test_a_profile_file_linked_to_outside_the_folder_is_refused(data: Path, tmp_path: Path) -> None:
    link = data / "profiles" / "linked.toml"
    link.symlink_to(tmp_path / "victim.toml")
    code, output = _cli(data, "show", "linked")
    assert code == 1 and "outside the profiles folder" in output
    assert 'secret = "outside"' not in output
    code, output = _cli(data, "delete", "linked")
    assert code == 1 and (tmp_path / "victim.toml").is_file()


def test_list_names_a_file_that_is_not_utf8_and_lists_the_good_ones(data: Path) -> None:
    folder = data / "profiles"
    (folder / "latin1.toml").write_bytes('name = "boutique-\xe9t\xe9"\n'.encode("latin-1"))
    (folder / "broken.toml").write_text("name = \n", encoding="utf-8")
    (folder / "shop fr.toml").write_text((folder / "shop-fr.toml").read_text())
    code, output = _cli(data, "list")
    assert code == 3  # listed, with problems
    assert "shop-fr" in output and "woocommerce" in output
    assert "latin1.toml" in output and "not UTF-8 text" in output
    assert "save it as UTF-8" in output
    assert "broken.toml" in output and "not valid TOML" in output
    assert "shop fr.toml: the file's name is not a profile name" in output
    assert "rename the file" in output and RULE in output
    code, output = _cli(data, "show", "latin1")
    assert code == 1 and "latin1.toml" in output and "save it as UTF-8" in output


def test_list_of_good_profiles_exits_0(data: Path) -> None:
    code, output = _cli(data, "list")
    assert code == 0 and "shop-fr" in output


def test_a_default_profile_file_that_is_not_utf8_is_named_by_list(data: Path) -> None:
    (data / "default-profile").write_bytes(b"shop-\xff\n")
    code, output = _cli(data, "list")
    assert code == 3 and "shop-fr" in output
    assert "default-profile" in output and "save it as UTF-8" in output


_PIECES = st.sampled_from(
    [
        "..",
        ".",
        "/",
        "\\",
        "\x00",
        "~",
        "victim",
        "x",
        "shop-fr",
        "%2e%2e",
        "\n",
        " ",
        "..\\",
        "../",
        "/tmp/",
        "C:",
        "\u2215",
        "\uff0e\uff0e",
        "a" * 70,
    ]
)
HOSTILE = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=6).map("".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=HOSTILE)
@example(name="../../../victim")
@example(name="/tmp/x")
def test_every_name_is_refused_or_its_file_lies_in_the_folder(data: Path, name: str) -> None:
    repo = ProfileRepository(data)
    try:
        path = repo.path(name)
    except ProfileError as exc:
        assert RULE in str(exc)
        return
    assert path.resolve().parent == repo.folder.resolve()
    assert path.name == f"{name}.toml"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=HOSTILE)
@example(name="../x")
@example(name="../../../victim")
@example(name="--help")
def test_delete_of_any_name_never_touches_a_file_outside(
    data: Path, tmp_path: Path, name: str
) -> None:
    code, _ = _cli(data, "delete", name)
    assert (tmp_path / "victim.toml").is_file() and (data / "x.toml").is_file()
    if code == 0:  # only ever a profile of the folder
        assert name == "shop-fr"
        ProfileRepository(data).save(ProfileRepository(data).validate(dict(VALID)))


def test_repository_refuses_a_bad_name_on_every_method(tmp_path: Path) -> None:
    repo = ProfileRepository(tmp_path)
    profile = repo.validate(dict(VALID))
    calls = [
        lambda: repo.exists("../x"),
        lambda: repo.load("../x"),
        lambda: repo.text("../x"),
        lambda: repo.delete("../x"),
        lambda: repo.set_default("../x"),
        lambda: repo.rename("../x", "y"),
        lambda: repo.duplicate("../x", "y"),
        lambda: repo.save(profile.model_copy(update={"name": "a..b"})),
        lambda: repo.import_file(tmp_path / "any.toml", name="../x"),
    ]
    for call in calls:
        with pytest.raises(ProfileError, match="not a valid profile name"):
            call()
    assert not os.listdir(tmp_path)
