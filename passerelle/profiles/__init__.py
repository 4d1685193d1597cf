"""Profiles: one back-office + one shop + options, one file each in the data directory."""

from passerelle.profiles.repository import ProfileError, ProfileRepository, data_dir_from
from passerelle.profiles.schema import Profile
from passerelle.profiles.secrets import SecretError, resolve_secret

__all__ = [
    "Profile",
    "ProfileError",
    "ProfileRepository",
    "SecretError",
    "data_dir_from",
    "resolve_secret",
]
