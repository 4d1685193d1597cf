"""Tryton fixtures: a cached demo template, one copy per test module."""

from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_backoffice,
    tryton_demo,
    tryton_demo_template,
)
