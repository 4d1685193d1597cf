"""A setting refused in the merchant's words: a validator's kept message through pydantic.

A validator that raises ``ValueError("...")`` gives pydantic English it cannot
translate. :func:`refused` gives it an error whose context holds the kept message
(:class:`~passerelle.i18n.messages.Message`) wrapped so that pydantic's own text
(``msg``, ``str(error)``) is rendered in the reader's language when it is read,
not when the profile was checked; :func:`refusal` finds the message again, for
whoever keeps the problem to show later (a job's reason, ``profile check``).

The error's type is ``value_error``, as pydantic gives a ``ValueError``: the
console's profile editor says any such error as "This value is refused: ...",
and the reason is now the kept message, in the page's language. It is a
``ValueError`` too, so a caller outside pydantic (``parse_schedule``) catches it
as before.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from passerelle.i18n.messages import Message

__all__ = ["Spoken", "refusal", "refused"]


class Spoken:
    """A kept message that pydantic formats into its text: ``str()`` renders it in
    the current language each time it is asked."""

    __slots__ = ("message",)

    def __init__(self, message: Message) -> None:
        self.message = message

    def __str__(self) -> str:
        return self.message.render()

    def __repr__(self) -> str:
        return f"Spoken({self.message.english!r})"


def refused(message: Message) -> PydanticCustomError:
    """The error a validator raises to refuse a value, saying why in ``message``."""
    return PydanticCustomError("value_error", "{message}", {"message": Spoken(message)})


def refusal(context: Any) -> Message | None:
    """The kept message of an error made by :func:`refused`, from its ``ctx``
    (or from the error itself); None for any other error.

    Found under ``message``, or under ``said`` for an error whose ``message`` stays
    English on purpose (a profile's missing entry: the console's editor reads its
    English to say it in its own words)."""
    if isinstance(context, PydanticCustomError):
        context = context.context
    if isinstance(context, dict):
        for key in ("message", "said"):
            spoken = context.get(key)
            if isinstance(spoken, Spoken):
                return spoken.message
    return None
