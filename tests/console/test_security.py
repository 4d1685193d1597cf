"""The console's gate: CSRF tokens, sessions that can be neither forged nor kept for
ever, sign-in rate limits, and the viewer's read-only role."""

from __future__ import annotations

import stat
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from passerelle.console import create_console_app
from passerelle.console.redirects import local_path, login_url
from passerelle.console.secret_key import KEY_FILE
from passerelle.console.sessions import COOKIE
from passerelle.store import Store

from .conftest import OPERATOR, PASSWORD, VIEWER, FakeClock, TestClient, client_of, csrf_of, sign_in


def _wrong(client: TestClient, name: str = OPERATOR, password: str = "not the password") -> int:
    token = csrf_of(client)
    data = {"name": name, "password": password, "csrf_token": token}
    return client.post("/login", data=data).status_code


def test_a_form_post_without_or_with_a_wrong_csrf_token_is_refused(client: TestClient) -> None:
    assert client.post("/login", data={"name": OPERATOR, "password": PASSWORD}).status_code == 403
    sign_in(client)
    assert client.post("/logout").status_code == 403
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.post("/logout", headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.get("/").status_code == 200  # still signed in: nothing was done
    token = csrf_of(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/").status_code == 303


def test_the_token_seen_before_signing_in_is_worth_nothing_after(client: TestClient) -> None:
    before = csrf_of(client)
    sign_in(client)
    assert client.post("/logout", data={"csrf_token": before}).status_code == 403


def test_a_forged_or_altered_session_cookie_leads_to_the_login_page(
    client: TestClient, app: Starlette
) -> None:
    sign_in(client)
    genuine = client.cookies[COOKIE]
    payload, _, signature = genuine.rpartition(".")
    for forged in (genuine[:-2] + "xx", payload + ".AAAA", "eyJ1c2VyIjoib2xnYSJ9.Zz.Zz"):
        stranger = client_of(app)
        stranger.cookies.set(COOKIE, forged)
        answer = stranger.get("/")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/login"
        assert f"{COOKIE}=;" in answer.headers["set-cookie"]  # the bad cookie is dropped


def test_a_cookie_signed_with_another_key_counts_for_nothing(
    data_dir: Path, store: Store, clock: FakeClock, client: TestClient
) -> None:
    sign_in(client)
    other = client_of(create_console_app(data_dir, store, clock=clock, secret_key="k" * 64))
    other.cookies.set(COOKIE, client.cookies[COOKIE])
    assert other.get("/").headers["location"] == "/login"


def test_an_expired_session_leads_to_the_login_page(client: TestClient, clock: FakeClock) -> None:
    sign_in(client)
    clock.advance(11 * 3600)
    assert client.get("/").status_code == 200
    clock.advance(2 * 3600)  # 13 hours after signing in
    answer = client.get("/?x=1")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2F%3Fx%3D1"


def test_a_password_change_or_removal_ends_open_sessions(client: TestClient, store: Store) -> None:
    from passerelle.console.passwords import hash_password
    from passerelle.store.repositories.users import users_of

    sign_in(client)
    users_of(store).set_password_hash(OPERATOR, hash_password("another long password"))
    assert client.get("/").status_code == 303
    sign_in(client, password="another long password")
    users_of(store).remove(OPERATOR)
    assert client.get("/").status_code == 303


def test_the_sixth_wrong_password_within_a_minute_is_refused(
    client: TestClient, clock: FakeClock
) -> None:
    for _attempt in range(5):
        assert _wrong(client) == 400
        clock.advance(5)
    assert _wrong(client) == 429
    # Even the right password waits: the limit is on attempts, not on wrong answers.
    token = csrf_of(client)
    data = {"name": OPERATOR, "password": PASSWORD, "csrf_token": token}
    answer = client.post("/login", data=data)
    assert answer.status_code == 429
    assert "Wait a minute" in answer.text
    clock.advance(60)  # the first failures have left the window
    sign_in(client)


def test_the_limit_counts_one_client_trying_many_names(client: TestClient) -> None:
    for attempt in range(5):
        assert _wrong(client, name=f"guess{attempt}") == 400
    assert _wrong(client, name=VIEWER) == 429


def test_a_wrong_name_and_a_wrong_password_get_the_same_answer(client: TestClient) -> None:
    token = csrf_of(client)
    unknown = client.post("/login", data={"name": "nobody", "password": "x", "csrf_token": token})
    wrong = client.post("/login", data={"name": OPERATOR, "password": "x", "csrf_token": token})
    assert unknown.status_code == wrong.status_code == 400
    assert "Wrong name or password." in unknown.text and "Wrong name or password." in wrong.text


def _operator_action(request: Request) -> Response:
    return PlainTextResponse("done")


def test_a_viewer_gets_403_on_an_operator_post(
    data_dir: Path, store: Store, clock: FakeClock
) -> None:
    action = Route("/flows/run", _operator_action, methods=["POST"])
    app = create_console_app(data_dir, store, clock=clock, extra_routes=[action])
    viewer, operator = client_of(app), client_of(app)
    sign_in(viewer, VIEWER)
    answer = viewer.post("/flows/run", data={"csrf_token": csrf_of(viewer, "/")})
    assert answer.status_code == 403
    assert "ask an operator" in answer.text
    # A viewer may still choose a language and sign out.
    assert (
        viewer.post(
            "/language", data={"csrf_token": csrf_of(viewer, "/"), "language": "fr"}
        ).status_code
        == 303
    )
    sign_in(operator)
    answer = operator.post("/flows/run", data={"csrf_token": csrf_of(operator, "/")})
    assert answer.status_code == 200 and answer.text == "done"


def test_a_post_while_signed_out_goes_to_the_login_page(
    data_dir: Path, store: Store, clock: FakeClock
) -> None:
    action = Route("/flows/run", _operator_action, methods=["POST"])
    client = client_of(create_console_app(data_dir, store, clock=clock, extra_routes=[action]))
    answer = client.post("/flows/run", data={"csrf_token": "x"})
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_next_is_followed_to_local_paths_only(client: TestClient) -> None:
    for hostile in (
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "evil",
        "/\r\nx",
    ):
        assert local_path(hostile) == "/"
    assert local_path("/runs?profile=fr") == "/runs?profile=fr"
    assert login_url("//evil.example") == "/login"
    token = csrf_of(client)
    data = {"name": OPERATOR, "password": PASSWORD, "csrf_token": token, "next": "//evil.example"}
    assert client.post("/login", data=data).headers["location"] == "/"
    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    data = {"name": OPERATOR, "password": PASSWORD, "csrf_token": csrf_of(client), "next": "/x?y=1"}
    assert client.post("/login", data=data).headers["location"] == "/x?y=1"


def test_the_session_cookie_is_httponly_lax_and_secure_over_tls(app: Starlette) -> None:
    plain = client_of(app)
    sign_in(plain)
    cookie = plain.post("/logout", data={"csrf_token": csrf_of(plain, "/")}).headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    tls = client_of(app, base_url="https://console.example")
    answer = tls.get("/login")
    assert "; Secure" in answer.headers["set-cookie"]
    assert "HttpOnly" in answer.headers["set-cookie"]
    assert "Max-Age=43200" in answer.headers["set-cookie"]  # 12 hours


def test_the_signing_key_is_made_once_and_readable_by_its_owner_only(
    data_dir: Path, app: Starlette
) -> None:
    key_file = data_dir / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    from passerelle.console.secret_key import load_or_create_secret_key

    assert load_or_create_secret_key(data_dir) == key


def test_pages_carry_protective_headers(client: TestClient) -> None:
    headers = client.get("/login").headers
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"
