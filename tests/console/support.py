"""A profile for the console's pages: a WooCommerce shop whose keys are in the environment."""

from __future__ import annotations

from pathlib import Path

from passerelle.profiles import ProfileRepository

PROFILE = "shop-fr"


def write_profile(data_dir: Path, name: str = PROFILE, mode: str = "production") -> None:
    repo = ProfileRepository(data_dir)
    repo.save(
        repo.validate(
            {
                "name": name,
                "mode": mode,
                "backoffice": {"database": "erp"},
                "shop": {
                    "url": "https://shop.invalid",
                    "consumer_key": "env:CONSOLE_TEST_WC_KEY",
                    "consumer_secret": "env:CONSOLE_TEST_WC_SECRET",
                },
                "webhooks": {"secret": "env:CONSOLE_TEST_WEBHOOK_SECRET"},
                "orders": {
                    "shipping_item": "SHIPPING",
                    "misc_item": "MISC",
                    "gift_wrap_item": "WRAP",
                    "gap_item": "GAP",
                },
            }
        )
    )
