"""The pages themselves: sign-in, home with profiles and last runs, the bell, languages."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from starlette.applications import Starlette

from passerelle.console.passwords import verify
from passerelle.store import Store
from passerelle.store.repositories.users import users_of

from .conftest import OPERATOR, PASSWORD, VIEWER, TestClient, client_of, csrf_of, sign_in
from .support import PROFILE, write_profile


def test_signing_in_leads_back_to_the_page_asked_for(client: TestClient) -> None:
    answer = client.get("/?profile=shop-fr")
    assert answer.headers["location"] == "/login?next=%2F%3Fprofile%3Dshop-fr"
    page = client.get(answer.headers["location"])
    assert 'name="next" value="/?profile=shop-fr"' in page.text
    data = {"name": OPERATOR, "password": PASSWORD, "csrf_token": csrf_of(client)}
    data["next"] = "/?profile=shop-fr"
    assert client.post("/login", data=data).headers["location"] == "/?profile=shop-fr"
    assert client.get("/login").headers["location"] == "/"  # already signed in


def test_home_shows_each_profile_its_sides_and_last_runs(
    data_dir: Path, store: Store, client: TestClient
) -> None:
    write_profile(data_dir)
    write_profile(data_dir, "trial", mode="test")
    (data_dir / "profiles" / "broken.toml").write_text("name = [")
    first = store.start_run(PROFILE, "update-stock")
    store.finish_run(first, "failed")
    second = store.start_run(PROFILE, "update-stock")
    store.finish_run(second, "succeeded", {"updated": 3})
    imported = store.start_run(PROFILE, "import-orders")
    store.finish_run(imported, "with_problems", {"created": 2, "parked": 1})
    sign_in(client)
    page = client.get("/").text
    assert PROFILE in page and "trial" in page and "test mode" in page
    assert "Back-office: tryton" in page and "Shop: woocommerce" in page
    section = page.split(PROFILE, 1)[1].split("trial", 1)[0]
    stock_row = section.split("update-stock", 1)[1].split("</tr>", 1)[0]
    assert "succeeded" in stock_row and "failed" not in stock_row  # the last run only
    orders_row = section.split("import-orders", 1)[1].split("</tr>", 1)[0]
    assert "completed with problems" in orders_row
    assert "never run" in section.split("export-products", 1)[1].split("</tr>", 1)[0]
    assert "passerelle profile check broken" in page


def test_the_bell_counts_open_problems_on_every_page(store: Store, client: TestClient) -> None:
    store.park(PROFILE, "import-orders", "1", "no payment mapping", "error")
    store.park(PROFILE, "import-orders", "2", "awaiting payment", "retry")
    closed = store.park(PROFILE, "import-orders", "3", "no tax mapping", "error")
    store.dismiss(PROFILE, [closed.id])
    sign_in(client)
    page = client.get("/").text
    assert '<span class="count">2</span>' in page
    assert "1 to fix, 1 to retry, 0 for information" in page
    assert 'class="bell alarm"' in page


def test_the_language_follows_the_browser_then_the_user_choice(
    app: Starlette, store: Store
) -> None:
    french = client_of(app, headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    login = french.get("/login").text
    assert "Se connecter" in login and 'lang="fr"' in login
    sign_in(french, VIEWER)
    assert "Profils" in french.get("/").text
    english_browser = client_of(app, headers={"Accept-Language": "en"})
    sign_in(english_browser, VIEWER)
    token = csrf_of(english_browser, "/")
    answer = english_browser.post(
        "/language", data={"csrf_token": token, "language": "fr", "next": "/"}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    page = english_browser.get("/").text
    assert "Profils" in page and "Se déconnecter" in page and "Sign out" not in page
    assert users_of(store).get(VIEWER).language == "fr"  # type: ignore[union-attr]
    english_browser.post(
        "/language", data={"csrf_token": token, "language": "", "next": "//evil.example"}
    )
    assert users_of(store).get(VIEWER).language is None  # type: ignore[union-attr]
    assert "Profiles" in english_browser.get("/").text


def test_a_wrong_password_is_said_in_french_for_a_french_browser(app: Starlette) -> None:
    client = client_of(app, headers={"Accept-Language": "fr"})
    data = {"name": OPERATOR, "password": "nope", "csrf_token": csrf_of(client)}
    assert "Nom ou mot de passe incorrect." in client.post("/login", data=data).text


def test_a_hash_with_older_parameters_is_replaced_at_sign_in(
    store: Store, client: TestClient
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    users = users_of(store)
    users.set_password_hash(OPERATOR, weak)
    sign_in(client)
    found = users.credentials(OPERATOR)
    assert found is not None and found[1] != weak
    assert verify(found[1], PASSWORD).ok and verify(found[1], PASSWORD).rehash is None
    assert client.get("/").status_code == 200  # the session follows the new hash


def test_health_answers_without_login(client: TestClient) -> None:
    assert client.get("/health").status_code == 200
