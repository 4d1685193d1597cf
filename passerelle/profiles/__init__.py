"""Profiles: one back-office + one shop + options, one file each in the data directory."""

from passerelle.profiles.names import NAME_RULE, name_problem
from passerelle.profiles.repository import ProfileError, ProfileRepository, data_dir_from
from passerelle.profiles.schema import Profile
from passerelle.profiles.secrets import SecretError, resolve_secret

__all__ = [
    "NAME_RULE",
    "Profile",
    "ProfileError",
    "ProfileRepository",
    "SecretError",
    "data_dir_from",
    "name_problem",
    "resolve_secret",
]
