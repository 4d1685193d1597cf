"""Wix (Wix Stores catalog V1 or V3, eCommerce orders, contacts) through its REST API."""
