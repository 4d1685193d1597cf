"""E-mails in the recipients' language (``notifications.language``), English when unset."""

from __future__ import annotations

from datetime import UTC, datetime

from passerelle.i18n.messages import M_
from passerelle.notify import digest_message, trial_message
from passerelle.profiles.notification_settings import NotificationSettings
from passerelle.store.problem_keys import UNREACHABLE_FLOW
from passerelle.store.records import ParkedRecord, ProblemKind, Severity

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def _settings(**extra: object) -> NotificationSettings:
    return NotificationSettings.model_validate(
        {
            "host": "mail.example.org",
            "from_address": "passerelle@example.org",
            "to_addresses": ["compta@example.org"],
            **extra,
        }
    )


def _problems() -> list[ParkedRecord]:
    reason = M_(
        "%(where)s: %(reason)s",
        where=M_("order %(number)s", number="1001"),
        reason=M_("nothing refunded"),
    )
    return [
        ParkedRecord(
            7, "shop", "import-orders", "1001", str(reason), Severity.ERROR,
            NOW, NOW, 3, None, translatable_reason=reason,
        ),
        ParkedRecord(
            8, "shop", UNREACHABLE_FLOW, "https://shop.example", "an old English reason",
            Severity.ERROR, NOW, NOW, 1, None, kind=ProblemKind.JOB,
        ),
    ]  # fmt: skip


def _body(message: object) -> str:
    return message.get_content()  # type: ignore[attr-defined, no-any-return]


def test_a_french_digest_reads_in_french() -> None:
    mail = digest_message(_settings(language="fr"), "shop", _problems(), NOW)
    body = _body(mail)
    assert mail["Subject"] == "passerelle [shop] : 2 nouveaux problèmes"
    assert "passerelle, profil shop : 2 nouveaux problèmes demandent une intervention." in body
    assert "Raison : commande 1001 : rien n'est remboursé" in body
    assert "Que faire : corrigez ce que la raison indique" in body
    assert "import-orders · enregistrement 1001 (problème 7" in body and "3 essais" in body
    assert "la boutique https://shop.example" in body
    assert "Raison : an old English reason" in body  # written before reasons were kept
    for english in ("Reason:", "What to do:", "new problem", "first seen", "nothing refunded"):
        assert english not in body, english


def test_a_digest_without_a_language_is_in_english() -> None:
    mail = digest_message(_settings(), "shop", _problems(), NOW)
    body = _body(mail)
    assert mail["Subject"] == "passerelle [shop]: 2 new problems"
    assert "Reason: order 1001: nothing refunded" in body
    assert "(problem 7, first seen 2026-12-06 09:00 UTC, 3 tries)" in body


def test_the_test_e_mail_follows_the_language() -> None:
    french = trial_message(_settings(language="fr"), "shop", NOW)
    assert french["Subject"] == "passerelle [shop] : e-mail de test"
    assert "Si vous le lisez, les notifications fonctionnent" in _body(french)
    english = trial_message(_settings(language="en"), "shop", NOW)
    assert "If you read it, notifications work" in _body(english)
