"""The orders file format's constants and its XSD, loaded once.

Why a module of its own: the reader validates against the schema, the
sandbox exporter writes the same namespace, and tests check files against
it; none of them should spell the namespace or locate ``orders.xsd`` itself.
The XSD ships inside the package (``*.xsd`` in the package data), so an
installed passerelle validates exactly the format it documents.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from lxml import etree

__all__ = [
    "NAMESPACE",
    "NAMESPACE_PREFIX",
    "VERSION",
    "orders_schema",
    "safe_parser",
    "schema_text",
    "tag",
]

VERSION = "1"
# One namespace per incompatible version: a version 2 file is refused by its
# namespace before any element is read with version 1's meaning.
NAMESPACE_PREFIX = "https://passerelle.dev/ns/orders/"
NAMESPACE = f"{NAMESPACE_PREFIX}{VERSION}"


def tag(local_name: str) -> str:
    """The qualified (Clark notation) name of an element of the format."""
    return f"{{{NAMESPACE}}}{local_name}"


def schema_text() -> bytes:
    """The XSD as shipped with the package."""
    return files(__package__).joinpath("orders.xsd").read_bytes()


@lru_cache(maxsize=1)
def orders_schema() -> etree.XMLSchema:
    """The compiled XSD; compiled once per process because it costs milliseconds each time."""
    return etree.XMLSchema(etree.fromstring(schema_text(), safe_parser()))


def safe_parser() -> etree.XMLParser:
    """A parser that never fetches or expands anything from outside the file.

    Order files come from third parties: external entities (XXE), network
    access and entity expansion are switched off; line numbers are kept for
    messages.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,
    )
