"""Text kept now and shown later, in the language of whoever reads it.

A journal line or a problem's reason is written once, by a worker that has no
reader, and read many times: by a French accountant in the console, by an
English developer in a log. So such text is kept as a :class:`Message`: its
catalogue id (the English text with ``%(name)s`` placeholders) and its
parameters, rendered when shown. The English rendering is stored beside it,
for log files, searches, and readers of rows written before messages were kept.

``M_`` and ``Mn_`` make messages and mark them for the catalogue (the
extraction keywords of ``babel.cfg`` and ``tests/test_i18n_catalogue.py``)::

    journal.record("parked", sku, M_("no tax mapping for %(tax)s", tax=label))

A parameter may itself be a message (a reason inside a line), or a list of
messages and texts (shown joined by commas): it is rendered in the same language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from passerelle.i18n import DEFAULT_LANGUAGE, current_language, translations

__all__ = [
    "M_",
    "Message",
    "Mn_",
    "SaidError",
    "Text",
    "english",
    "render",
    "said",
    "semicolons",
]

# Keys of a stored parameter object that cannot be placeholder names.
_NESTED = "__message__"
_PLURAL = "__plural__"
_LIST_SEPARATOR = ", "
# json.dumps(..., ensure_ascii=False, sort_keys=True) without an encoder made per call.
_PARAMS_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
# Parameter values :meth:`Message.stored_params` writes itself (bool is not one: JSON's
# true and false).
_PLAIN = frozenset({str, int})


def _plain_json(value: str | int) -> str:
    """A text or whole number as :data:`_PARAMS_JSON` writes it."""
    return encode_basestring(value) if type(value) is str else int.__repr__(value)


@dataclass(frozen=True, slots=True)
class Message:
    """A catalogue id, its plural form if any, and the values of its placeholders.

    Parameters are kept as JSON-friendly values (text, numbers, nested
    messages): a :class:`~decimal.Decimal` or a date becomes its text, so what
    is rendered later is exactly what was meant when it was written.
    """

    id: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None

    def render(self, language: str | None = None) -> str:
        """The text in ``language`` (the current one if None); English if it cannot be.

        A line is shown long after it was written: a translation that lost a
        placeholder, or a row whose parameters changed, must not make the page
        fail, so the English is shown, or at worst the catalogue id itself.
        """
        for chosen in (language or current_language(), DEFAULT_LANGUAGE):
            try:
                return _render(self, chosen)
            except (KeyError, ValueError, TypeError):
                continue
        return self.id

    @property
    def english(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    def __str__(self) -> str:
        return self.english

    # ----------------------------------------------------------------- storage
    def stored_params(self) -> str:
        """The parameters (and plural form) as one JSON object, for a text column."""
        params = self.params
        if self.plural is None and all(type(value) in _PLAIN for value in params.values()):
            # Text and whole numbers only (a journal line's shop id): written here as the
            # encoder writes them, with no encoder pass per line.
            return (
                "{"
                + ", ".join(
                    [
                        encode_basestring(name) + ": " + _plain_json(params[name])
                        for name in sorted(params)
                    ]
                )
                + "}"
            )
        return _PARAMS_JSON.encode(_encode_params(self))

    @classmethod
    def from_stored(cls, message_id: str, params: str | None) -> Message:
        """The message kept as ``message_id`` and :meth:`stored_params`."""
        decoded = json.loads(params) if params else {}
        return _decode(message_id, decoded if isinstance(decoded, dict) else {})

    def stored(self) -> str:
        """The whole message (id, plural, parameters) as one JSON object."""
        return json.dumps({_NESTED: self.id, **_encode_params(self)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, stored: str) -> Message | None:
        """The message kept by :meth:`stored`; None for anything else."""
        decoded = json.loads(stored)
        if not isinstance(decoded, dict) or not isinstance(decoded.get(_NESTED), str):
            return None
        return _decode(decoded[_NESTED], decoded)


#: Text as flows produce it: a kept message, or plain text (an exception's words).
Text = Message | str


def M_(message: str, /, **params: Any) -> Message:  # noqa: N802 - gettext's naming
    """A message to keep and translate when shown (``%(name)s`` from ``params``)."""
    return Message(message, {name: _kept(value) for name, value in params.items()})


def Mn_(singular: str, plural: str, count: int, /, **params: Any) -> Message:  # noqa: N802
    """The singular or plural message for ``count``, given to it as ``%(num)s``."""
    values = {name: _kept(value) for name, value in params.items()}
    return Message(singular, {"num": count, **values}, plural)


class SaidError(Exception):
    """An exception whose message is kept to be shown in the reader's language.

    ``str()`` is the English text (logs, tracebacks); :func:`said` gives the
    message, for a journal line or a problem's reason.
    """

    def __init__(self, message: Text) -> None:
        super().__init__(str(message))
        self.said = message


def said(exc: BaseException) -> Text:
    """What an exception says: its kept message if it has one, else its English words."""
    kept = getattr(exc, "said", None)
    return kept if isinstance(kept, Message | str) else str(exc)


def semicolons(items: Sequence[Text]) -> Text:
    """``a; b; c``: several findings in one message (a list parameter joins with commas)."""
    said: Text = items[0] if items else ""
    for item in items[1:]:
        said = M_("%(first)s; %(next)s", first=said, next=item)
    return said


def render(text: Text, language: str | None = None) -> str:
    """``text`` in ``language``: a message is translated, plain text shown as is."""
    return text.render(language) if isinstance(text, Message) else text


def english(text: Text) -> str:
    return render(text, DEFAULT_LANGUAGE)


def _kept(value: Any) -> Any:
    if type(value) is str:  # most parameters: kept as they are, without the checks below
        return value
    if isinstance(value, Message) or value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return tuple(_kept(item) for item in value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _render(message: Message, language: str) -> str:
    catalogue = translations(language)
    if message.plural is not None:
        count = message.params.get("num", 1)
        text = catalogue.ungettext(message.id, message.plural, int(count))
    else:
        text = catalogue.ugettext(message.id)
    if not message.params:
        return text
    values = {name: _shown(value, language) for name, value in message.params.items()}
    return text % values


def _shown(value: Any, language: str) -> Any:
    if type(value) is str:
        return value
    if isinstance(value, Message):
        return _render(value, language)
    if isinstance(value, tuple):
        return _LIST_SEPARATOR.join(str(_shown(item, language)) for item in value)
    return value


def _encode(value: Any) -> Any:
    if type(value) is str:
        return value
    if isinstance(value, Message):
        return {_NESTED: value.id, **_encode_params(value)}
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    return value


def _encode_params(message: Message) -> dict[str, Any]:
    encoded = {name: _encode(value) for name, value in message.params.items()}
    if message.plural is not None:
        encoded[_PLURAL] = message.plural
    return encoded


def _decoded(value: Any) -> Any:
    if isinstance(value, dict) and _NESTED in value:
        return _decode(str(value[_NESTED]), value)
    if isinstance(value, list):
        return tuple(_decoded(item) for item in value)
    return value


def _decode(message_id: str, encoded: dict[str, Any]) -> Message:
    plural = encoded.get(_PLURAL)
    params = {
        name: _decoded(value) for name, value in encoded.items() if name not in (_NESTED, _PLURAL)
    }
    return Message(message_id, params, plural if isinstance(plural, str) else None)
