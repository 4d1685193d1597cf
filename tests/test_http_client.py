"""The shared HTTP client: what is retried, what is not, and what the merchant reads."""

from __future__ import annotations

import httpx
import pytest

from passerelle.connectors.errors import (
    AuthenticationError,
    NotFoundError,
    RecordError,
    RetriableError,
)
from passerelle.connectors.http import HttpOptions, RetryingClient, parse_retry_after


def client(handler, sleeps: list[float], tries: int = 3) -> RetryingClient:  # noqa: ANN001
    return RetryingClient(
        base_url="https://shop.example/api/",
        platform="Shop",
        options=HttpOptions(max_tries=tries, backoff_base=0.01, backoff_max=5),
        sleep=sleeps.append,
        transport=httpx.MockTransport(handler),
    )


def test_429_is_retried_after_the_time_the_shop_asks() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            return httpx.Response(
                429, headers={"Retry-After": "2"}, json={"code": "too_many", "message": "slow down"}
            )
        return httpx.Response(200, json={"ok": True})

    sleeps: list[float] = []
    body, _ = client(handler, sleeps).request("POST", "things", json_body={"a": 1})
    assert body == {"ok": True}
    assert calls == ["POST", "POST"]
    assert sleeps and sleeps[0] >= 2


def test_a_create_whose_answer_is_lost_is_not_sent_again() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(500, json={"code": "boom", "message": "internal"})

    with pytest.raises(RetriableError):
        client(handler, []).request("POST", "things", json_body={})
    assert calls == ["POST"]
    calls.clear()
    with pytest.raises(RetriableError, match="internal"):
        client(handler, []).request("GET", "things")
    assert calls == ["GET", "GET", "GET"]


def test_timeouts_and_malformed_bodies_are_retried_for_reads() -> None:
    answers = iter(
        [
            httpx.ReadTimeout("slow"),
            httpx.Response(200, text='{"trunc'),
            httpx.Response(200, json=[1]),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    sleeps: list[float] = []
    body, _ = client(handler, sleeps).request("GET", "things")
    assert body == [1]
    assert len(sleeps) == 2


def test_refusals_become_errors_a_merchant_can_act_on() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        status = int(request.url.path.rsplit("/", 1)[-1])
        return httpx.Response(status, json={"code": f"code_{status}", "message": f"said {status}"})

    c = client(handler, [])
    with pytest.raises(AuthenticationError, match="Check the API credentials") as auth:
        c.request("GET", "401", what="the products")
    assert "said 401" in str(auth.value) and "the products" in str(auth.value)
    with pytest.raises(NotFoundError, match=r"\[code_404\]"):
        c.request("GET", "404")
    with pytest.raises(RecordError, match="said 413"):
        c.request("POST", "413", json_body={})


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("3") == 3
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert parse_retry_after("soon") is None
