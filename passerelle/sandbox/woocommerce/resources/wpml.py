"""Product languages as WPML Multilingual & Multicurrency for WooCommerce (WCML) adds them.

Docs: wpml.org "Using WordPress REST API with WooCommerce Multilingual"
(documentation/related-projects/woocommerce-multilingual/using-wordpress-
rest-api-woocommerce-multilingual); code: WCML
``inc/rest-api-support/class-wcml-rest-api-support.php``:

- ``lang`` on a product create/update sets its language, ``translation_of``
  (the original product's id) links it as that product's translation
  (``set_product_language``, run on ``woocommerce_rest_insert_product_object``,
  i.e. once the product is saved: its errors come back although the product
  exists). Errors, all with code ``"404"`` and status 404: an inactive
  language ("Invalid language parameter: xx"), an unknown original ("Source
  product id not found: N"), ``translation_of`` without ``lang``;
- every product answer carries ``lang`` and ``translations`` (language →
  product id, the other languages only; ``[]`` when none, PHP's empty array);
- ``GET /products`` lists the current language only: ``?lang=xx`` switches
  it, ``?lang=all`` lists every language; the default is the site's main
  language (the first of ``languages``).

Off (``languages`` empty: WPML not installed) none of this exists: WooCommerce
ignores the unknown ``lang``/``translation_of`` parameters.
"""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from .common import Shop

__all__ = ["Wpml"]


class Wpml:
    """The WCML REST behaviours of the sandbox, active when languages are configured."""

    def __init__(self, shop: Shop, languages: tuple[str, ...]) -> None:
        self.shop = shop
        self.languages = tuple(languages)

    @property
    def active(self) -> bool:
        return bool(self.languages)

    def _language(self, record: dict[str, Any]) -> str:
        return str(record.get("_lang") or self.languages[0])

    def _trid(self, record: dict[str, Any]) -> int:
        return int(record.get("_trid") or record["id"])

    def set_language(self, record: dict[str, Any], body: dict[str, Any]) -> None:
        if not self.active:
            return
        lang = body.get("lang")
        source = body.get("translation_of")
        if lang is None:
            if source is not None:
                raise ApiError(
                    404, "404", 'Using "translation_of" requires providing a "lang" parameter too'
                )
            return
        if lang not in self.languages:
            raise ApiError(404, "404", f"Invalid language parameter: {lang}")
        trid = None
        if source is not None:
            original = self.shop.data.products.get(_int(source))
            if original is None:
                raise ApiError(404, "404", f"Source product id not found: {source}")
            trid = self._trid(original)
        record["_lang"] = str(lang)
        record["_trid"] = trid or self._trid(record)
        self.shop.store.mark_dirty()

    def render(self, record: dict[str, Any]) -> dict[str, Any]:
        """``lang`` and ``translations`` of a product answer."""
        if not self.active:
            return {}
        trid = self._trid(record)
        translations = {
            self._language(p): p["id"]
            for p in self.shop.data.products.values()
            if p["id"] != record["id"] and self._trid(p) == trid
        }
        return {"lang": self._language(record), "translations": translations or []}

    def filter(self, items: list[dict[str, Any]], lang: str | None) -> list[dict[str, Any]]:
        """The products of the request's language (``lang=all``: every language)."""
        if not self.active or lang == "all":
            return items
        wanted = lang if lang in self.languages else self.languages[0]
        return [r for r in items if r.get("type") == "variation" or self._language(r) == wanted]


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
