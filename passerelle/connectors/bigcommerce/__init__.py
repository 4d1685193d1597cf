"""The BigCommerce connector (REST v3 catalog, inventory and customers; v2 orders and
customer groups). ``endpoints.ENDPOINTS`` lists every endpoint it calls."""
