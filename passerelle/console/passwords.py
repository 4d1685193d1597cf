"""Console passwords: argon2id hashes (argon2-cffi), checked in constant effort.

Why argon2id through argon2-cffi: it is the algorithm the password-hashing
competition chose and OWASP recommends, and argon2-cffi is the well-kept
binding; its ``PasswordHasher`` writes the salt and parameters into the hash,
so when its defaults grow stronger, :func:`verify` says so and the caller
stores a rehash at the next successful sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from passerelle.i18n import _

__all__ = ["MIN_LENGTH", "Checked", "hash_password", "password_problem", "verify"]

#: Long enough to resist guessing at the rate limit, short enough to type.
MIN_LENGTH = 10


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's current recommended parameters


@cache
def _dummy_hash() -> str:
    """Checked against when the user does not exist, so the answer takes as long."""
    return _hasher().hash("passerelle: no such user")


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be chosen, in the current language; ``None`` if it can."""
    if not password.strip():
        return _("The password is empty.")
    if len(password) < MIN_LENGTH:
        return _("The password must be at least %(min)s characters long.", min=MIN_LENGTH)
    return None


def hash_password(password: str) -> str:
    """The argon2id hash to store; the password itself is never stored."""
    return _hasher().hash(password)


@dataclass(frozen=True, slots=True)
class Checked:
    """The outcome of a password check, and the rehash to store if parameters changed."""

    ok: bool
    rehash: str | None = None


def verify(stored_hash: str | None, password: str) -> Checked:
    """Whether ``password`` matches ``stored_hash`` (``None``: an unknown user, always no).

    An unknown user costs one hash check too, so timing does not tell which
    names exist.
    """
    hasher = _hasher()
    try:
        hasher.verify(stored_hash or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return Checked(False)
    if stored_hash is None:
        return Checked(False)
    rehash = hash_password(password) if hasher.check_needs_rehash(stored_hash) else None
    return Checked(True, rehash)
