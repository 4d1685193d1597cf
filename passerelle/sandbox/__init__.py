"""Sandboxes: local servers speaking a real shop's protocol, for the demo and the tests."""
