"""One module per WooCommerce collection; each exposes ``register(router, shop)``."""
