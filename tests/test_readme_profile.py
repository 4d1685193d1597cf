"""The profile example of the README is a profile passerelle accepts."""

from __future__ import annotations

import re
import textwrap
import tomllib
from pathlib import Path

from passerelle.profiles import Profile

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_the_readme_profile_example_loads() -> None:
    (block,) = re.findall(r"```toml\n(.*?)```", README, re.S)
    profile = Profile.model_validate(tomllib.loads(textwrap.dedent(block)))
    assert profile.catalogue.variants.master_field == "attr:master"
