"""A local WooCommerce REST API v3 sandbox, faithful to the official documentation.

It serves ``/wp-json/wc/v3/`` over HTTPS on loopback (private CA in
``cert_dir``), authenticates consumer keys like WooCommerce (Basic auth or
query string), pages, batches, validates and fails like the real thing
(error bodies, status codes, ``X-WP-Total``/``Link``), computes order totals
as WooCommerce does, keeps its state in a JSON file, starts seeded with the
demo shop's settings, customers and orders, and can be made slow, rate
limited or faulty at run time. Orders come with their refunds, notes and
trash, per-order currencies, compound taxes, and what the demo shop's
extensions add (gift cards, several delivery addresses, VAT number, invoice
date); ``seed_cases.SEED_CASES`` names the seeded order of each order-import
feature. Webhooks (``/webhooks``) deliver order events, signed, as WooCommerce
does (``resources/webhooks.py``). Orders move product stock as WooCommerce
does (``resources/stock.py``); buyers' checkouts and the merchant's order
actions are ``shop_actions.py``. ``README.md`` lists where the sandbox is as
strict, or as lenient, as the real shop, with each source and test. See
``docs`` in each module for the source of every behaviour.

    from passerelle.sandbox.woocommerce import WooSandbox, Faults
    with WooSandbox(tmp_path / "shop.json", cert_dir=tmp_path / "certs") as sb:
        httpx.get(f"{sb.url}/wp-json/wc/v3/orders", auth=("ck_demo", "cs_demo"),
                  verify=str(sb.ca_bundle))
"""

from .faults import Faults
from .server import WooSandbox

__all__ = ["Faults", "WooSandbox"]
