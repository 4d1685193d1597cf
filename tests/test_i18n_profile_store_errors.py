"""A bad profile, a store that cannot be used, a missing secret, a mail server that
refuses: said to a French merchant in French, the field and the data as written.

``str()`` of an error and ``ProfileError.problems`` stay English, for logs;
:func:`passerelle.i18n.messages.said` gives the kept message the CLI and the job's
problem render in the reader's language. A value refused by a profile's own check
goes through pydantic with its kept message (``passerelle.platforms.refused``), so
pydantic's own text is the reader's language too (the console's profile editor reads it).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.cli.worker import outcome_message
from passerelle.connectors.errors import FatalError, RetriableError
from passerelle.console.pages.profiles import merchant_words
from passerelle.console.secret_key import KEY_FILE, load_or_create_secret_key
from passerelle.i18n import _, using
from passerelle.i18n.messages import M_, english, render, said
from passerelle.notify.mailer import Mailer
from passerelle.platforms import UnknownPlatform, shop_platform
from passerelle.profiles import Profile, ProfileError, ProfileRepository, SecretError
from passerelle.profiles.notification_settings import NotificationSettings
from passerelle.profiles.repository import problem_said
from passerelle.profiles.schedule_options import parse_schedule
from passerelle.profiles.secrets import resolve_secret
from passerelle.runner.execute import JobOutcome
from passerelle.runner.preview import preview_flow
from passerelle.runner.profile_editing import check_data
from passerelle.runner.run_now import RunRefused
from passerelle.store.backup import backup_sqlite
from passerelle.store.errors import StoreBusy, StoreEmptied
from passerelle.store.failures import translate_sqlite
from passerelle.store.marker import refuse_if_emptied, write_marker
from passerelle.store.repositories.users import UserNameRefused, users_of
from passerelle.store.store import Store
from tests.test_profiles import VALID as _VALID

VALID: dict[str, Any] = dict(_VALID)

# A profile wrong in the ways a merchant gets one wrong: a word where a number goes,
# a misspelt setting, an http:// shop, a value outside a closed list, a secret written
# in full, and a check of the profile's own (grouping without its account).
BAD: dict[str, Any] = {
    **VALID,
    "shop": {
        **VALID["shop"],
        "url": "http://shop.example.org",
        "consumer_key": "ck_live_123",
        "colour": "red",
    },
    "orders": {
        **VALID["orders"],
        "unit_price_decimals": "four",
        "refunds": "refund",
        "grouping": {"mode": "all"},
    },
    "notifications": {"host": "smtp.example.org"},
}


def _cli(data_dir: Path, *args: str, lang: str) -> str:
    """The command's output in ``lang`` (the CLI's language is the process's, chosen at
    import: a test speaks it for the command), without its line breaks."""
    with using(lang):
        result = CliRunner().invoke(
            app, [*args, "--data-dir", str(data_dir)], env={"COLUMNS": "300"}
        )
    assert result.exit_code != 0
    return "".join(result.output.split())


def _words(text: str) -> str:
    return "".join(text.split())


def _write(data_dir: Path, name: str, data: dict[str, Any]) -> None:
    folder = data_dir / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.toml").write_text(tomli_w.dumps(data), encoding="utf-8")


def _refused(data: dict[str, Any]) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        ProfileRepository(Path("/nonexistent")).validate(data)
    return caught.value


# ------------------------------------------------------------------ profiles


def test_a_bad_profile_is_listed_in_french_each_field_named_with_what_is_wrong(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "shop-fr", {**BAD, "name": "shop-fr"})
    french = _cli(tmp_path, "profile", "list", lang="fr")
    for line in (
        "shop.url : doit être l'adresse https:// de la boutique (les clés d'API ne circulent",
        "shop.colour : champ inconnu (vérifiez son orthographe)",
        "orders.unit_price_decimals : doit être un nombre entier, pas 'four'",
        "orders.refunds : doit être l'une des valeurs 'credit_note', 'ignore', pas 'refund'",
        "orders.grouping : le regroupement demande le compte",
        "shop.consumer_key : doit indiquer où le secret est conservé, sous la forme env:",
        "notifications : host est renseigné, donc from_address et to_addresses doivent",
    ):
        assert _words(line) in french, line
    assert _words("n'est pas valide :") in french
    english_run = _cli(tmp_path, "profile", "list", lang="en")
    assert _words("orders.unit_price_decimals: must be a whole number, not 'four'") in english_run
    assert _words("shop.colour: unknown field (check its spelling)") in english_run


def test_a_profile_that_does_not_load_stops_a_command_in_french(tmp_path: Path) -> None:
    _write(tmp_path, "shop-fr", {**VALID, "orders": {**VALID["orders"], "account_length": 0}})
    french = _cli(tmp_path, "profile", "test", "shop-fr", lang="fr")
    assert _words("orders.account_length : doit valoir 1 ou plus") in french


def test_a_profile_error_is_kept_french_when_said_english_in_its_text() -> None:
    error = _refused(BAD)
    french = render(said(error), "fr")
    assert french.startswith("profil non valide :\n  - ")
    assert "  - orders.unit_price_decimals : doit être un nombre entier, pas 'four'" in french
    # The English text, for logs and tests, and the problems one by one.
    assert str(error).startswith("invalid profile:\n  - ")
    assert "orders.unit_price_decimals: must be a whole number, not 'four'" in error.problems
    assert english(said(error)) == str(error)


def test_the_order_options_missing_entries_and_refusals_are_french_together() -> None:
    orders = {
        **VALID["orders"],
        "grouping": {"mode": "guests"},
        "discount_mode": "per_vat",
        "taxes": [{"shop_rate": "20", "tax": "TVA 20 %"}],
        "ecotax_mode": "separate_line",
        "description_template": "Web %ZZ",
    }
    french = render(said(_refused({**VALID, "orders": orders})), "fr")
    for line in (
        "orders.grouping : le regroupement demande le compte",
        "orders.discount_items : aucun article de remise pour la taxe de la gestion "
        "commerciale 'TVA 20 %'",
        "orders.ecotax_item : ecotax_mode = \"separate_line\" demande l'article d'écotaxe",
        "orders.description_template : variable(s) inconnue(s) %ZZ ; variables connues :",
    ):
        assert line in french, line


def test_pydantic_says_a_refusal_in_the_language_it_is_read_in() -> None:
    """What the console's profile editor reads (check_data, then merchant_words)."""
    data = {**VALID, "schedules": {"timezone": "Europe/Pariss"}}
    with pytest.raises(ValidationError) as caught:
        Profile.model_validate(data)
    with using("fr"):
        assert caught.value.errors()[0]["msg"] == (
            "fuseau horaire inconnu 'Europe/Pariss' (par exemple \"Europe/Paris\")"
        )
        _profile, problems = check_data(data)
        assert [merchant_words(problem) for problem in problems] == [
            "Cette valeur est refusée : fuseau horaire inconnu 'Europe/Pariss' "
            '(par exemple "Europe/Paris")'
        ]
    with using("en"):
        assert caught.value.errors()[0]["msg"].startswith("unknown time zone 'Europe/Pariss'")


def test_the_editor_still_says_a_missing_discount_item_in_its_own_words() -> None:
    orders = {
        **VALID["orders"],
        "discount_mode": "per_vat",
        "taxes": [{"shop_rate": "20", "tax": "TVA 20 %"}],
    }
    with using("fr"):
        _profile, problems = check_data({**VALID, "orders": orders})
        assert [merchant_words(problem) for problem in problems] == [
            "Aucun article de remise pour la taxe TVA 20 %."
        ]


def test_a_rare_pydantic_error_keeps_its_english_after_the_field() -> None:
    error: ErrorDetails = {
        "type": "date_parsing",
        "loc": ("catalogue", "since"),
        "msg": "Input should be a valid date",
        "input": "yesterday",
    }
    assert render(problem_said(error), "fr") == "catalogue.since : Input should be a valid date"


def test_a_bad_profile_name_and_a_missing_profile_are_said_in_french(tmp_path: Path) -> None:
    repo = ProfileRepository(tmp_path)
    with pytest.raises(ProfileError) as caught:
        repo.path("../victim")
    french = render(said(caught.value), "fr")
    assert french.startswith("'../victim' n'est pas un nom de profil valide : un nom de profil")
    assert "Un nom de profil compte de 1 à 64 lettres" in french
    with pytest.raises(ProfileError) as missing:
        repo.set_default("ghost")
    assert render(said(missing.value), "fr") == "le profil 'ghost' n'existe pas"


def test_a_profile_file_that_is_not_toml_is_said_in_french(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "shop.toml").write_text("name = ", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        ProfileRepository(tmp_path).load("shop")
    french = render(said(caught.value), "fr")
    assert french.startswith("profil 'shop' (")
    assert "n'est pas du TOML valide : " in french
    assert french.endswith(" : corrigez le fichier à cet endroit")


def test_a_schedule_refused_outside_pydantic_is_still_a_value_error() -> None:
    with pytest.raises(ValueError, match="is too often: at least every 10 seconds"):
        parse_schedule("every 5s")


def test_an_unknown_platform_is_said_in_french() -> None:
    with pytest.raises(UnknownPlatform) as caught:
        shop_platform("oscommerce")
    french = render(said(caught.value), "fr")
    assert french.startswith(
        "cette version de passerelle n'a pas de connecteur pour la plateforme de boutique "
        "'oscommerce' (elle a : woocommerce, "
    )
    assert isinstance(caught.value, LookupError)


def test_a_missing_secret_is_said_in_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_SECRET", raising=False)
    with pytest.raises(SecretError) as caught:
        resolve_secret("env:NO_SUCH_SECRET", field="shop.consumer_key")
    assert render(said(caught.value), "fr") == (
        "shop.consumer_key : la variable d'environnement NO_SUCH_SECRET n'est pas définie ; "
        "faites export NO_SUCH_SECRET=... avant de lancer passerelle"
    )
    assert str(caught.value).startswith("shop.consumer_key: the environment variable")


# ------------------------------------------------------------------ store


def test_a_backup_onto_an_existing_file_is_refused_in_french(tmp_path: Path) -> None:
    with Store.open_data_dir(tmp_path):
        pass
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"")
    french = _cli(tmp_path, "store", "backup", "--to", str(taken), lang="fr")
    assert _words("existe déjà ; choisissez un autre fichier avec --to") in french
    with pytest.raises(FileExistsError):
        backup_sqlite(tmp_path / "state.db", taken)


def test_a_store_gone_missing_is_said_in_french_with_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    write_marker(db, store_id="abc1234")
    with pytest.raises(StoreEmptied) as caught:
        refuse_if_emptied(db)
    french = render(said(caught.value), "fr")
    assert french.startswith(f"le stockage d'état {db} est absent, alors que ce dossier")
    assert "restaurez votre dernière sauvegarde avec `passerelle store restore " in french
    assert f"--data-dir {tmp_path}`" in french


def test_a_locked_store_is_said_in_french_sqlites_words_kept(tmp_path: Path) -> None:
    exc = sqlite3.OperationalError("database is locked")
    exc.sqlite_errorname = "SQLITE_BUSY"  # type: ignore[attr-defined]
    failure = translate_sqlite(exc, tmp_path / "state.db")
    assert isinstance(failure, StoreBusy)
    assert render(said(failure), "fr").startswith(
        f"le stockage d'état {tmp_path / 'state.db'} est resté verrouillé par un autre "
        "processus passerelle plus longtemps que passerelle n'attend (SQLite dit : "
        "database is locked)."
    )


def test_a_user_name_refused_is_said_in_french(tmp_path: Path) -> None:
    with Store.open_data_dir(tmp_path) as store:
        with pytest.raises(UserNameRefused) as caught:
            users_of(store).add(" olga", "$argon2id$v=19$x", "viewer")
    assert isinstance(caught.value, ValueError)
    assert render(said(caught.value), "fr") == (
        "un nom d'utilisateur n'a ni espace autour ni caractère de contrôle : ' olga'"
    )


def test_an_unusable_console_key_is_said_in_french(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE).write_text("short", encoding="ascii")
    with pytest.raises(ValueError) as caught:
        load_or_create_secret_key(tmp_path)
    assert render(said(caught.value), "fr") == (
        f"{tmp_path / KEY_FILE} ne contient pas de clé utilisable : supprimez-le et relancez"
    )


# ------------------------------------------------------------------ notify, worker


def test_the_mailers_refusals_are_said_in_french() -> None:
    with pytest.raises(FatalError) as unset:
        Mailer(NotificationSettings(), None)
    assert render(said(unset.value), "fr").startswith(
        "les notifications ne sont pas configurées : renseignez host"
    )
    settings = NotificationSettings(
        host="smtp.example.org", port=2525, from_address="a@example.org", to_addresses=["b@x.fr"]
    )
    refused = Mailer(settings, None)._explain(ConnectionRefusedError())
    assert isinstance(refused, RetriableError)
    assert render(said(refused), "fr") == (
        "connexion impossible avec le serveur de messagerie smtp.example.org:2525 : "
        "connexion refusée (le serveur fonctionne-t-il, le port est-il le bon ?)"
    )


def test_a_failed_jobs_reason_is_printed_in_the_terminals_language() -> None:
    outcome = JobOutcome.of(7, "failed", M_("another worker took this job over"))
    with using("fr"):
        assert outcome_message(outcome) == "un autre exécutant a repris cette tâche"
    with using("en"):
        assert outcome_message(outcome) == "another worker took this job over"


# ------------------------------------------------------------------ runs refused


def test_a_run_refused_for_a_missing_secret_says_it_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WC_KEY", raising=False)
    profile = Profile.model_validate(VALID)
    store = Store.open_data_dir(tmp_path)
    try:
        with using("fr"), pytest.raises(RunRefused) as caught:
            preview_flow(profile, "export-products", store=store, data_dir=tmp_path)
    finally:
        store.close()
    assert str(caught.value).startswith(f"profil '{profile.name}' : shop.consumer_key : ")
    assert "la variable d'environnement WC_KEY n'est pas définie" in str(caught.value)


def test_where_mail_goes_is_said_in_french_in_a_sentence() -> None:
    settings = NotificationSettings(
        host="smtp.example.org",
        port=2525,
        user="boutique",
        password="env:SMTP_PASSWORD",
        from_address="a@example.org",
        to_addresses=["b@x.fr"],
    )
    with using("fr"):
        sentence = _(
            "test e-mail sent through %(server)s to %(addresses)s",
            server=settings.describe(),
            addresses="b@x.fr",
        )
    assert "smtp.example.org:2525" in sentence and " en tant que boutique " in sentence
    assert english(settings.describe()).endswith(" as boutique")
