"""French and English for everything a merchant reads: console, CLI, journal, e-mails.

Why gettext catalogues (Babel): translators know the format, tools check it,
and the English text stays in the code where a developer reads it. The
catalogues are ``.po`` files under ``locale/`` read at first use, so there is
no compile step to forget; ``tests/test_i18n_catalogue.py`` checks that every
message marked in the code has its French.

Messages use named ``%(name)s`` placeholders, as Jinja2's new-style gettext
does, so a template and the code say the same thing the same way::

    _("Run %(flow)s started", flow=name)

The language is a context variable: a console request, a CLI command or a
worker job sets it once (:func:`using`), and every ``_`` below follows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "_",
    "current_language",
    "install_in_jinja",
    "language_from_env",
    "negotiate",
    "ngettext",
    "speak_by_default",
    "translations",
    "using",
]

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
DOMAIN = "passerelle"
LOCALE_DIR = Path(__file__).with_name("locale")

_language: ContextVar[str | None] = ContextVar("passerelle_language", default=None)
# What a thread or task speaks when nothing chose for it: a worker thread of the CLI
# starts with an empty context, and must still follow the terminal's language.
_process_language = [DEFAULT_LANGUAGE]


@cache
def translations(language: str) -> NullTranslations:
    """The catalogue of ``language`` (English is the code's own text)."""
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT_LANGUAGE or not po_file.is_file():
        return NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def current_language() -> str:
    return _language.get() or _process_language[0]


def speak_by_default(language: str | None) -> str:
    """The language of the whole process, in every thread, wherever :func:`using` does
    not choose another (the CLI sets the terminal's at start); returns it."""
    _process_language[0] = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return _process_language[0]


@contextmanager
def using(language: str | None) -> Iterator[str]:
    """Speak ``language`` (one of :data:`LANGUAGES`, else English) inside the block."""
    chosen = language if language in LANGUAGES else DEFAULT_LANGUAGE
    token = _language.set(chosen)
    try:
        yield chosen
    finally:
        _language.reset(token)


def _format(text: str, params: Mapping[str, Any]) -> str:
    """Fill ``text``; a kept message among the values (``Message``, which has ``render``)
    is said in the current language too, not in its English ``str()``."""
    if not params:
        return text
    return text % {name: _in_current_language(value) for name, value in params.items()}


def _in_current_language(value: Any) -> Any:
    render = getattr(value, "render", None)
    return render() if callable(render) else value


def _(message: str, **params: Any) -> str:
    """``message`` in the current language, its ``%(name)s`` placeholders filled."""
    return _format(translations(current_language()).ugettext(message), params)


def ngettext(singular: str, plural: str, count: int, **params: Any) -> str:
    """The singular or plural form for ``count`` (also given as ``%(num)s``)."""
    text = translations(current_language()).ungettext(singular, plural, count)
    return _format(text, {"num": count, **params})


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it now: for text kept
    (a journal line, a table of labels) and translated when it is shown."""
    return message


def _tags(header: str) -> Iterator[tuple[float, str]]:
    for part in header.split(","):
        tag, _sep, rest = part.strip().partition(";")
        quality = 1.0
        if rest.strip().startswith("q="):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            yield quality, re.split(r"[-_.@]", tag.strip().lower())[0]


def negotiate(*preferences: str | None) -> str:
    """The first supported language among ``preferences``, each an explicit choice
    (``"fr"``), an ``Accept-Language`` header or a ``LANG`` value; English otherwise.

    Why an order of sources and not one: a user's own setting beats what the
    browser asks for, which beats the machine's locale.
    """
    for preference in preferences:
        if not preference:
            continue
        ranked = sorted(_tags(preference), key=lambda t: -t[0])
        for quality, tag in ranked:
            if quality > 0 and tag in LANGUAGES:
                return tag
    return DEFAULT_LANGUAGE


def language_from_env(environ: Mapping[str, str] = os.environ) -> str:
    """The terminal's language: ``PASSERELLE_LANG``, then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``."""
    return negotiate(
        environ.get("PASSERELLE_LANG"),
        environ.get("LC_ALL"),
        environ.get("LC_MESSAGES"),
        environ.get("LANG"),
    )


def install_in_jinja(env: Any) -> None:
    """Give a Jinja2 environment ``_``/``gettext``/``ngettext`` following :func:`using`."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(
        gettext=lambda message, **params: _(message, **params),
        ngettext=lambda singular, plural, n, **params: ngettext(singular, plural, n, **params),
        newstyle=True,
    )
