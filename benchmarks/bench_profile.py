"""The profile every stock benchmark runs under: the flow needs one, its shop part is
replaced by the connector the benchmark builds (``runner.run(..., shop=...)``)."""

from __future__ import annotations

from passerelle.profiles.schema import Profile

__all__ = ["bench_profile"]


def bench_profile() -> Profile:
    return Profile.model_validate(
        {
            "name": "bench",
            "backoffice": {"database": "unused"},
            "shop": {
                "url": "https://127.0.0.1",
                "consumer_key": "env:BENCH_KEY",
                "consumer_secret": "env:BENCH_SECRET",
            },
            "catalogue": {"only_salable": True},
            "orders": {
                "shipping_item": "SHIPPING",
                "misc_item": "MISC",
                "gift_wrap_item": "GIFTWRAP",
                "gap_item": "GAP",
            },
        }
    )
