"""The web console's users: who may sign in, with which role and language.

Only the argon2id hash of a password is kept (hashing and checking belong to
the console, :mod:`passerelle.console.passwords`); the :class:`User` record
handed out carries no hash at all, so a page or a log line cannot show one
by mistake. :meth:`UserRepository.credentials` is the one read that returns
it, for signing in.

Not a :class:`~passerelle.store.Store` method: the Store's public surface is
pinned and this is one small table of the console's own. Reach it with
:func:`users_of`, which works on the store's engine like every repository,
one short transaction per method.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import Engine, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.i18n.messages import M_, SaidError
from passerelle.store.models import NAME, Base
from passerelle.store.transactions import Clock, Repository, Transactions, utcnow

__all__ = ["Role", "User", "UserExists", "UserNameRefused", "UserRepository", "users_of"]

#: Long enough for an argon2id hash with any parameters we would choose.
HASH = 255


class Role(StrEnum):
    """What a console user may do."""

    #: Run, validate, retry, edit profiles.
    OPERATOR = "operator"
    #: Read only.
    VIEWER = "viewer"


class UserRow(Base):
    """One console user (created by migration 0007)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(NAME))
    password_hash: Mapped[str] = mapped_column(String(HASH))
    role: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


@dataclass(frozen=True, slots=True)
class User:
    """A console user as pages and commands see it: never the password hash."""

    name: str
    role: Role
    language: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def is_operator(self) -> bool:
        return self.role is Role.OPERATOR


class UserExists(ValueError):
    """A user of that name is already there (names are unique)."""


class UserRepository(Repository):
    """Reads and writes of the ``users`` table."""

    def add(self, name: str, password_hash: str, role: Role | str) -> User:
        """Create ``name``; :class:`UserExists` if the name is taken."""
        _check_user_name(name)
        _check_hash(password_hash)
        now = self._tx.now()
        row = UserRow(
            name=name,
            password_hash=password_hash,
            role=Role(role).value,
            language=None,
            created_at=now,
            updated_at=now,
        )
        try:
            with self._tx.session(write=True) as s:
                s.add(row)
                s.flush()
                return _user(row)
        except IntegrityError:
            raise UserExists(name) from None

    def get(self, name: str) -> User | None:
        """The user called ``name``, or ``None``."""
        found = self.credentials(name)
        return found[0] if found else None

    def credentials(self, name: str) -> tuple[User, str] | None:
        """The user and their password hash, for signing in; ``None`` if unknown."""
        with self._tx.session() as s:
            row = s.scalars(select(UserRow).where(UserRow.name == name)).one_or_none()
            return (_user(row), row.password_hash) if row else None

    def list(self) -> list[User]:
        """Every user, by name."""
        with self._tx.session() as s:
            return [_user(row) for row in s.scalars(select(UserRow).order_by(UserRow.name))]

    def set_password_hash(self, name: str, password_hash: str) -> bool:
        """Replace the hash (a new password, or the same one rehashed); False if unknown."""
        _check_hash(password_hash)
        return self._update(name, password_hash=password_hash)

    def set_language(self, name: str, language: str | None) -> bool:
        """Remember the user's language (``None``: follow the browser); False if unknown."""
        if language is not None and not (language.isalpha() and len(language) <= 10):
            raise ValueError(  # internal: the console offers its languages only
                f"not a language code: {language!r}"
            )
        return self._update(name, language=language)

    def remove(self, name: str) -> bool:
        """Delete the user; False if there was none."""
        with self._tx.session(write=True) as s:
            done = s.execute(delete(UserRow).where(UserRow.name == name))
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def _update(self, name: str, **values: str | None) -> bool:
        with self._tx.session(write=True) as s:
            row = s.scalars(select(UserRow).where(UserRow.name == name)).one_or_none()
            if row is None:
                return False
            for column, value in values.items():
                setattr(row, column, value)
            row.updated_at = self._tx.now()
            return True


class _OnEngine(Protocol):
    """A :class:`~passerelle.store.Store` as far as users need it (no import of the
    Store here: it imports the repositories)."""

    @property
    def engine(self) -> Engine: ...


def users_of(store: _OnEngine, *, clock: Clock = utcnow) -> UserRepository:
    """The users kept in ``store``'s database."""
    return UserRepository(Transactions(store.engine, clock))


class UserNameRefused(SaidError, ValueError):
    """A user name that is empty, too long, or has spaces around it or control characters."""


def _check_user_name(name: object) -> None:
    if not isinstance(name, str) or not name or len(name) > NAME:
        raise UserNameRefused(
            M_("a user name is 1 to %(max)s characters, not %(name)r", max=NAME, name=name)
        )
    if name != name.strip() or not name.isprintable():
        raise UserNameRefused(
            M_(
                "a user name has no spaces around it and no control characters: %(name)r",
                name=name,
            )
        )


def _check_hash(value: object) -> None:
    """An argon2 hash string: a plain password stored here would be a bug."""
    if not isinstance(value, str) or not value.startswith("$argon2") or len(value) > HASH:
        raise ValueError("password_hash must be an argon2 hash string")  # internal: a bug


def _user(row: UserRow) -> User:
    return User(
        name=row.name,
        role=Role(row.role),
        language=row.language,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
