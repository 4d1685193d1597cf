"""The BigCommerce connector (REST v3 catalog, inventory and customers; v2 orders)."""
