"""The GraphQL documents the connector sends, with their requested cost.

Costs follow https://shopify.dev/docs/api/usage/limits#cost-calculation
(object 1, connection 2 + first × node, mutation 10, scalars 0) so the client
bucket takes what the shop will take.
"""

from __future__ import annotations

import json
import re

PAGE = 250

VARIANT_FIELDS = "id sku price inventoryQuantity inventoryItem { id } product { id title status }"
VARIANTS = f"""query Variants($after: String, $query: String) {{
  productVariants(first: {PAGE}, after: $after, query: $query) {{
    nodes {{ {VARIANT_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"""
VARIANTS_COST = 2 + PAGE * 3  # variant, its inventoryItem, its product

# The catalogue with each variant's "available" quantity at the location passerelle writes
# (InventoryItem.inventoryLevel, quantities by name: shopify.dev
# apps/build/inventory-management-apps/manage-quantities-states): 5 points a variant
# (variant, inventoryItem, inventoryLevel, quantities, product), so fewer a page.
STOCK_PAGE = 190
VARIANTS_WITH_STOCK = f"""query VariantsWithStock($after: String, $location: ID!) {{
  productVariants(first: {STOCK_PAGE}, after: $after) {{
    nodes {{ id sku price inventoryItem {{ id tracked inventoryLevel(locationId: $location) {{
      quantities(names: ["available"]) {{ name quantity }} }} }} product {{ id title status }} }}
    pageInfo {{ hasNextPage endCursor }} }} }}"""
VARIANTS_WITH_STOCK_COST = 2 + STOCK_PAGE * 5

# Bulk queries read connections whole: no ``first`` (bulk-operations/queries).
BULK_VARIANTS = f"{{ productVariants {{ edges {{ node {{ {VARIANT_FIELDS} }} }} }} }}"

PRODUCT_VARIANTS = """query ProductVariants($id: ID!) {
  node(id: $id) { ... on Product { id variants(first: 100) { nodes {
    id sku price inventoryItem { id } selectedOptions { name value } } } } } }"""
PRODUCT_VARIANTS_COST = 1 + 2 + 100 * 3  # variant, its inventoryItem, its selectedOptions

COLLECTIONS = f"""query Collections($after: String) {{
  collections(first: {PAGE}, after: $after) {{
    nodes {{ id title }} pageInfo {{ hasNextPage endCursor }} }} }}"""
COLLECTIONS_COST = 2 + PAGE

CUSTOMERS = f"""query Customers($after: String, $query: String) {{
  customers(first: {PAGE}, after: $after, query: $query) {{
    nodes {{ id email firstName lastName phone createdAt numberOfOrders
      defaultAddress {{ firstName lastName company address1 address2 city zip
        countryCodeV2 provinceCode phone }} }}
    pageInfo {{ hasNextPage endCursor }} }} }}"""
CUSTOMERS_COST = 2 + PAGE * 2

# The tags of the customers whose group an update writes, and which of them is the group
# passerelle wrote (queries/nodes; objects/Customer ``tags``, ``metafield``).
CUSTOMER_TAGS = """query CustomerTags($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer {
  id tags group: metafield(namespace: "passerelle", key: "group") { value } } } }"""


def customer_tags_cost(count: int) -> int:
    return 2 * count  # each customer 1, its metafield 1


LOCATIONS = """query { locations(first: 10) { nodes { id name isActive isPrimary }
  pageInfo { hasNextPage endCursor } } }"""
LOCATIONS_COST = 2 + 10  # few shops have more; the named one is looked for among these

# Settings › Taxes and duties › "Include sales tax in product price and shipping rate"
# (objects/Shop ``taxesIncluded``): read once per connector, before the first price.
SHOP_TAXES = "query { shop { taxesIncluded } }"
SHOP_TAXES_COST = 1

PRODUCT_SET = """mutation ProductSet($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
  productSet(input: $input, identifier: $identifier, synchronous: true) {
    product { id media(first: 50) { nodes { id } } variants(first: 100) { nodes {
      id sku inventoryItem { id } media(first: 1) { nodes { id } } } } }
    userErrors { field message code } } }"""

# In a bulk mutation "the mutation is limited to one connection field"
# (bulk-operations/imports): the variants only; such a write never sets media.
PRODUCT_SET_BULK = """mutation ProductSet($input: ProductSetInput!,
    $identifier: ProductSetIdentifiers) {
  productSet(input: $input, identifier: $identifier, synchronous: true) {
    product { id variants(first: 100) { nodes { id sku inventoryItem { id } } } }
    userErrors { field message code } } }"""

INVENTORY_SET = """mutation SetStock($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { id } userErrors { field message code } } }"""

# The quantities a stock write compares with (queries/nodes: at most 250 ids, each
# costed as the object it is: the item 1, its level 1, the quantities 1).
INVENTORY_READ = """query Levels($ids: [ID!]!, $location: ID!) { nodes(ids: $ids) {
  ... on InventoryItem { id inventoryLevel(locationId: $location) {
    quantities(names: ["available", "committed"]) { name quantity } } } } }"""


def inventory_read_cost(count: int) -> int:
    return 3 * count


# Open orders (not cancelled nor archived); fulfilment is checked on each (a search on
# it would be one more thing to agree on with the shop's search syntax). Only what the
# stock rule needs: each line's SKU and the units not fulfilled yet (LineItem
# ``unfulfilledQuantity``), 15 orders of up to 50 lines a page (2 + 15 × 53 points).
OPEN_ORDERS_QUERY = "status:open"
OPEN_ORDER_FIELDS = """id name createdAt updatedAt cancelledAt closed currencyCode
  displayFinancialStatus displayFulfillmentStatus
  lineItems(first: 50) { nodes { id sku name unfulfilledQuantity } }"""
OPEN_ORDERS_PAGE = 15
OPEN_ORDERS = f"""query OpenOrders($after: String, $query: String) {{
  orders(first: {OPEN_ORDERS_PAGE}, after: $after, query: $query, sortKey: CREATED_AT) {{
    nodes {{ {OPEN_ORDER_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"""
OPEN_ORDERS_COST = 2 + OPEN_ORDERS_PAGE * (1 + 2 + 50)

# References a profile may name: shipping codes seen on the latest orders
# (2 + 100 × (1 + 2 + 5)), and the shipping rates of the delivery profiles.
REFERENCE_ORDERS = """query { orders(first: 100, sortKey: CREATED_AT, reverse: true) {
  nodes { shippingLines(first: 5) { nodes { code title } } }
  pageInfo { hasNextPage endCursor } } }"""
REFERENCE_ORDERS_COST = 2 + 100 * (1 + 2 + 5)
DELIVERY_PROFILES = """query { deliveryProfiles(first: 3) { nodes { profileLocationGroups {
  locationGroupZones(first: 5) { nodes { methodDefinitions(first: 20) { nodes { name } } } } }
  } pageInfo { hasNextPage endCursor } } }"""
DELIVERY_PROFILES_COST = 2 + 3 * (1 + 1 + 2 + 5 * (1 + 2 + 20))

MONEY = "shopMoney { amount currencyCode }"
TAXES = f"title rate ratePercentage priceSet {{ {MONEY} }}"
ADDRESS = "firstName lastName company address1 address2 city zip countryCodeV2 provinceCode phone"
ORDER_FIELDS = f"""id name email note createdAt updatedAt processedAt cancelledAt closed
  currencyCode taxesIncluded displayFinancialStatus displayFulfillmentStatus
  paymentGatewayNames discountCodes
  transactions(first: 20) {{ id gateway kind status amountSet {{ {MONEY} }} }}
  totalPriceSet {{ {MONEY} }} totalTaxSet {{ {MONEY} }}
  customer {{ id }} billingAddress {{ {ADDRESS} }} shippingAddress {{ {ADDRESS} }}
  lineItems(first: 20) {{ nodes {{ id sku name quantity
    originalTotalSet {{ {MONEY} }} discountedTotalSet {{ {MONEY} }}
    taxLines {{ {TAXES} }} }} }}
  shippingLines(first: 5) {{ nodes {{ id title code
    discountedPriceSet {{ {MONEY} }} taxLines {{ {TAXES} }} }} }}
  metafield(namespace: "passerelle", key: "sale_number") {{ value }}"""
# One order: 1 + 10 objects (money bags, addresses, customer, metafield) + lines
# 2 + 20 × (1 + 4 + 2 taxes×3) + shipping 2 + 5 × (1 + 2 + 6).
ORDER_COST = 1 + 16 + (2 + 20 * 11) + (2 + 5 * 9)
ORDERS_PAGE = 3
ORDERS = f"""query Orders($after: String, $query: String) {{
  orders(first: {ORDERS_PAGE}, after: $after, query: $query, sortKey: CREATED_AT) {{
    nodes {{ {ORDER_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"""
ORDERS_COST = 2 + ORDERS_PAGE * ORDER_COST
ORDERS_COUNT = """query OrdersCount($query: String) { ordersCount(query: $query, limit: 10000) {
  count precision } }"""
ORDERS_COUNT_COST = 1


def bulk_orders(search: str | None, fields: str = ORDER_FIELDS) -> str:
    """The orders as one bulk query: connections whole, no ``first`` (bulk-operations/queries);
    the search string inlined (a bulk query takes no variables)."""
    fields = re.sub(r"\(first: \d+\)", "", fields)
    args = (
        f"(query: {json.dumps(search)}, sortKey: CREATED_AT)" if search else "(sortKey: CREATED_AT)"
    )
    return f"{{ orders{args} {{ edges {{ node {{ {fields} }} }} }} }}"


ORDER = f"""query Order($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"""

WRITE_BACK = """mutation WriteBack($id: ID!, $tags: [String!]!,
    $metafields: [MetafieldsSetInput!]!) {
  tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
  metafieldsSet(metafields: $metafields) { userErrors { field message code } } }"""

FULFILLMENT_ORDERS = """query FulfillmentOrders($id: ID!) { order(id: $id) {
  id fulfillmentOrders(first: 10) { nodes { id status } pageInfo { hasNextPage endCursor } }
  fulfillments(first: 10) { trackingInfo(first: 5) { number } } } }"""
FULFILLMENT_ORDERS_COST = 1 + 2 + 10 + 10 * 2

FULFILLMENT_CREATE = """mutation Ship($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id }
    userErrors { field message } } }"""
