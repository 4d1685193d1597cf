"""Magento 2 / Adobe Commerce connector (REST API, integration bearer token)."""
