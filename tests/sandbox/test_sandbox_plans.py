"""Sandboxes as stores on a plan: the rate limit each plan has in the platform's docs.

Shopify (shopify.dev/docs/api/usage/limits, GraphQL Admin API): a restore rate of 100,
200, 1000 or 2000 points a second (Standard, Advanced, Plus, enterprise), a bucket of 20
seconds of it. BigCommerce (docs.bigcommerce.com/developer/docs/overview/api-fundamentals/
rate-limits): 150 requests / 30 s (Standard, Plus), 450 (Pro), none on the Unlimited Rate
Plan. The plan is the starter's ``plan`` option, else ``PASSERELLE_SANDBOX_PLAN``, else
Standard; an unknown name is refused with the known ones.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.platforms import start_sandbox
from passerelle.sandbox.bigcommerce import BigCommerceSandbox
from passerelle.sandbox.platforms import PLAN_ENV, UnknownPlan
from passerelle.sandbox.shopify.server import ShopifySandbox

SHOPIFY_RATES = {"standard": 100.0, "advanced": 200.0, "plus": 1000.0, "enterprise": 2000.0}
BIGCOMMERCE_QUOTAS = {"standard": 150, "plus": 150, "pro": 450}
QUERY = "{ shop { name } }"


def _throttle(sandbox: ShopifySandbox) -> dict[str, float]:
    status: dict[str, float] = sandbox.execute(QUERY, {})["extensions"]["cost"]["throttleStatus"]
    return status


def _shopify_over_http(started: Any) -> dict[str, float]:
    box = started.sandbox
    answer = httpx.post(
        box.endpoint,
        json={"query": QUERY},
        headers={"X-Shopify-Access-Token": started.secrets()["PASSERELLE_DEMO_SHOPIFY_TOKEN"]},
        verify=ssl.create_default_context(cafile=str(box.ca_bundle)),
    )
    assert answer.status_code == 200
    status: dict[str, float] = answer.json()["extensions"]["cost"]["throttleStatus"]
    return status


def _bigcommerce_get(box: BigCommerceSandbox) -> tuple[int, dict[str, str]]:
    status, headers, _, _ = box.handle(
        "GET", f"/stores/{box.store_hash}/v3/customers", {"x-auth-token": box.token}, b""
    )
    return status, headers


def _bigcommerce_over_http(started: Any) -> httpx.Response:
    box = started.sandbox
    return httpx.get(
        f"{box.url}/stores/{box.store_hash}/v3/customers",
        headers={"X-Auth-Token": box.token},
        verify=ssl.create_default_context(cafile=str(box.ca_bundle)),
    )


@pytest.mark.parametrize(("plan", "rate"), SHOPIFY_RATES.items())
def test_a_shopify_store_answers_with_its_plan_s_bucket(plan: str, rate: float) -> None:
    status = _throttle(ShopifySandbox(None, plan=plan))
    assert status["restoreRate"] == rate
    assert status["maximumAvailable"] == 20 * rate  # Standard: 2,000 points


def test_a_shopify_query_may_request_1000_points_at_most_even_on_the_largest_bucket() -> None:
    # 2 + 250 × (1 + 1 + 2 + 5) points: over 1,000, though the bucket holds 40,000.
    document = (
        "{ orders(first: 250) { nodes { id customer { id } "
        "lineItems(first: 5) { nodes { id } } } } }"
    )
    answer = ShopifySandbox(None, plan="enterprise").execute(document, {})
    assert answer["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"


@pytest.mark.parametrize(("plan", "quota"), BIGCOMMERCE_QUOTAS.items())
def test_a_bigcommerce_store_answers_with_its_plan_s_quota(plan: str, quota: int) -> None:
    box = BigCommerceSandbox(None, plan=plan, seed=False)
    answers = [_bigcommerce_get(box) for _ in range(quota + 1)]
    assert answers[0][1]["X-Rate-Limit-Requests-Quota"] == str(quota)
    assert answers[0][1]["X-Rate-Limit-Time-Window-Ms"] == "30000"
    assert [status for status, _ in answers].count(200) == quota
    assert answers[-1][0] == 429


@pytest.mark.parametrize("plan", ["unlimited", "enterprise"])
def test_a_bigcommerce_store_on_the_unlimited_rate_plan_never_answers_429(plan: str) -> None:
    box = BigCommerceSandbox(None, plan=plan, seed=False)
    answers = [_bigcommerce_get(box) for _ in range(3 * 450)]
    assert {status for status, _ in answers} == {200}
    assert not any(name.startswith("X-Rate-Limit") for _, headers in answers for name in headers)
    assert box.quota.refused == 0


@pytest.mark.parametrize("kind", ["shopify", "bigcommerce"])
def test_an_unknown_plan_is_refused_with_the_known_ones(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(UnknownPlan, match="known plans: standard, ") as refused:
        start_sandbox(kind, tmp_path, plan="gold")
    assert "'gold'" in str(refused.value)
    monkeypatch.setenv(PLAN_ENV, "gold")
    with pytest.raises(UnknownPlan, match=PLAN_ENV):
        start_sandbox(kind, tmp_path)
    with pytest.raises(UnknownPlan, match="'gold'"):  # the constructor too
        (ShopifySandbox if kind == "shopify" else BigCommerceSandbox)(None, plan="gold")


@pytest.mark.parametrize(
    ("env", "plans", "bucket", "quota"),
    [
        ("plus", {}, (1000.0, 20000.0), "150"),  # the environment names the plan
        ("enterprise", {"shopify": "standard", "bigcommerce": "pro"}, (100.0, 2000.0), "450"),
        (None, {}, (100.0, 2000.0), "150"),  # neither: Standard
    ],
    ids=["environment", "option-over-environment", "standard-by-default"],
)
def test_a_started_shop_is_on_the_option_s_plan_else_the_environment_s_else_standard(
    env: str | None,
    plans: dict[str, str],
    bucket: tuple[float, float],
    quota: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if env is None:
        monkeypatch.delenv(PLAN_ENV, raising=False)
    else:
        monkeypatch.setenv(PLAN_ENV, env)
    started = {
        kind: start_sandbox(kind, tmp_path / kind, **({"plan": plans[kind]} if plans else {}))
        for kind in ("shopify", "bigcommerce")
    }
    try:
        status = _shopify_over_http(started["shopify"])
        assert (status["restoreRate"], status["maximumAvailable"]) == bucket
        answer = _bigcommerce_over_http(started["bigcommerce"])
        assert answer.headers["X-Rate-Limit-Requests-Quota"] == quota
        expected = plans or dict.fromkeys(started, env or "standard")
        assert {kind: shop.sandbox.plan for kind, shop in started.items()} == expected
    finally:
        for shop in started.values():
            shop.stop()


def test_a_restarted_shop_takes_its_plan_from_its_start_not_from_its_state(
    tmp_path: Path,
) -> None:
    first = start_sandbox("bigcommerce", tmp_path, plan="pro")
    first.stop()
    again = start_sandbox("bigcommerce", tmp_path, plan="standard")
    try:
        assert _bigcommerce_over_http(again).headers["X-Rate-Limit-Requests-Quota"] == "150"
    finally:
        again.stop()
