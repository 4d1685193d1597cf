"""Connectors: one package per system, each a wire client plus a translator."""
