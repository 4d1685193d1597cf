"""Choosing the language and translating through the catalogues."""

from __future__ import annotations

import pytest

from passerelle.i18n import _, current_language, language_from_env, negotiate, ngettext, using


@pytest.mark.parametrize(
    ("preferences", "expected"),
    [
        ((None, "de-DE,fr;q=0.8,en;q=0.5"), "fr"),  # the best supported, by quality
        (("fr_FR.UTF-8",), "fr"),  # a LANG value
        (("en-US",), "en"),
        (("C.UTF-8", "fr"), "fr"),  # an unsupported first choice falls through
        (("fr;q=0, en",), "en"),  # q=0 means "not this one"
        (("", None), "en"),
        (("fr", "en"), "fr"),  # the user's own setting comes first
    ],
)
def test_negotiate_takes_the_first_supported_preference(
    preferences: tuple[str | None, ...], expected: str
) -> None:
    assert negotiate(*preferences) == expected


def test_environment_order() -> None:
    assert language_from_env({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert language_from_env({"LANG": "fr_FR.UTF-8", "PASSERELLE_LANG": "en"}) == "en"
    assert language_from_env({"LC_ALL": "fr_CA", "LANG": "en_GB"}) == "fr"


def test_using_sets_and_restores_the_language() -> None:
    assert current_language() == "en"
    with using("fr"):
        assert _("Sign in") == "Se connecter"
        with using("xx"):  # unknown: English
            assert _("Sign in") == "Sign in"
        assert current_language() == "fr"
    assert _("Sign in") == "Sign in"


def test_placeholders_and_plural_forms() -> None:
    assert _("%(n)s items", n=3) == "3 items"  # an untranslated message is still filled
    with using("fr"):
        # French takes the singular for 0 and 1 (Plural-Forms: n > 1)
        assert ngettext("%(num)s order", "%(num)s orders", 0) == "0 commande"
        assert ngettext("%(num)s order", "%(num)s orders", 2) == "2 commandes"
    assert ngettext("%(num)s order", "%(num)s orders", 0) == "0 orders"


def test_the_process_language_reaches_new_threads() -> None:
    import threading

    from passerelle.i18n import speak_by_default

    seen: list[str] = []
    try:
        speak_by_default("fr")
        thread = threading.Thread(target=lambda: seen.append(_("Sign in")))
        thread.start()
        thread.join()
        with using("en"):  # a choice in a context still wins
            assert _("Sign in") == "Sign in"
    finally:
        speak_by_default("en")
    assert seen == ["Se connecter"]
