"""An existing product's features, as its custom fields sub-resource.

``reference/catalog/products_catalog.v3.yml``: a new product takes ``custom_fields``
in its body (``translate_products``); an existing one's are
``/catalog/products/{product_id}/custom-fields``, read with ``GET`` (paged), one
``POST`` a field made and one ``PUT /custom-fields/{custom_field_id}`` a field changed
("Every name-value pair must be unique inside a product", 200 a product, 250
characters for a name or a value).

A feature is matched by its name: one the product lacks is made, one of another
value is changed, one that already reads the same costs nothing. Fields the product
has that the back-office does not name (added in the control panel) are left as
they are, and so is a feature the back-office no longer gives a value: the store
cannot tell passerelle's fields from the merchant's. An update with features costs
one read, plus one write per feature made or changed.
"""

from __future__ import annotations

from passerelle.connectors.bigcommerce.client import BigCommerceClient
from passerelle.connectors.paths import segment
from passerelle.i18n.messages import M_

__all__ = ["sync_custom_fields"]


def sync_custom_fields(
    client: BigCommerceClient, product_id: str, wanted: list[dict[str, str]], sku: str
) -> None:
    """The product's custom fields made to hold ``wanted`` (``name``/``value`` pairs);
    a refused request raises its ``ConnectorError``."""
    path = f"v3/catalog/products/{segment(product_id)}/custom-fields"
    what = M_("the custom fields of %(sku)s", sku=sku)
    have = list(client.iter_v3(path, None, what=what))
    for field in wanted:
        same_name = [h for h in have if h.get("name") == field["name"]]
        if any(h.get("value") == field["value"] for h in same_name):
            continue
        if same_name:
            fid = same_name[0]["id"]
            client.put(
                f"v3/catalog/products/{segment(product_id)}/custom-fields/{segment(fid)}",
                {"value": field["value"]},
                what=what,
            )
            same_name[0]["value"] = field["value"]
        else:
            made = client.post(path, field, what=what)
            have.append(dict((made or {}).get("data") or field))
