"""The part of Shopify's Admin GraphQL schema (API version 2026-01) the sandbox serves.

Written from the Admin GraphQL reference (https://shopify.dev/docs/api/admin-graphql/2026-01):
each type below keeps the reference's type, field, argument and enum names, and
their nullability, so a document valid against the real schema (for the fields
served) is valid here, and graphql-core rejects what Shopify would reject
(unknown fields, missing required arguments, wrong input shapes) with the same
kind of error. Only what the demo shop needs is served; every field listed is
implemented.

Pages cited:
- queries/products, productVariants, collections, customers, orders, ordersCount, locations
- objects/Product, ProductVariant, InventoryItem, InventoryLevel, Collection,
  Customer, Order, LineItem, ShippingLine, TaxLine, MoneyBag, FulfillmentOrder,
  BulkOperation, Metafield, PageInfo
- mutations/productSet (input-objects/ProductSetInput, ProductVariantSetInput),
  inventorySetQuantities (InventorySetQuantitiesInput, InventoryQuantityInput with
  ``changeFromQuantity``), collectionCreate/collectionUpdate, customerCreate/
  customerUpdate, tagsAdd, metafieldsSet, fulfillmentCreate (FulfillmentInput,
  FulfillmentTrackingInput), bulkOperationRunQuery, stagedUploadsCreate,
  bulkOperationRunMutation (payloads/BulkOperationRunMutationPayload: its userErrors
  are BulkMutationUserError, coded by enums/BulkMutationErrorCode; a bulk query's are
  BulkOperationUserError, enums/BulkOperationUserErrorCode)
- media (since 2024-10): input-objects/FileSetInput, ProductSetInput ``files``,
  ProductVariantSetInput ``file``; interfaces/Media, objects/MediaImage, Image,
  MediaError, MediaPreviewImage, enums/MediaStatus, FileStatus, MediaErrorCode,
  FileContentType; Product.media and ProductVariant.media (connections/MediaConnection).
  ``Image.url`` is served without its ``transform`` argument (only the original is
  served; a document asking for a transform is refused here, not resized)
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from graphql import GraphQLError, GraphQLScalarType, GraphQLSchema, build_schema

from .schema_lifecycle import LIFECYCLE_SDL

__all__ = ["API_VERSION", "SDL", "schema"]

API_VERSION = "2026-01"

# The Media interface's fields, which MediaImage implements (interfaces/Media).
_MEDIA_FIELDS = """  alt: String
  id: ID!
  mediaContentType: MediaContentType!
  mediaErrors: [MediaError!]!
  mediaWarnings: [MediaWarning!]!
  preview: MediaPreviewImage
  status: MediaStatus!
"""

SDL = """
scalar DateTime
scalar Decimal
scalar Money
scalar URL
scalar HTML
scalar UnsignedInt64

interface Node { id: ID! }

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

enum CurrencyCode { EUR USD CAD GBP CHF }
enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum OrderDisplayFinancialStatus {
  AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED
}
enum OrderDisplayFulfillmentStatus {
  FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT RESTOCKED
  SCHEDULED UNFULFILLED REQUEST_DECLINED
}
enum OrderSortKeys { CREATED_AT ID PROCESSED_AT UPDATED_AT }
enum ProductSortKeys { ID TITLE UPDATED_AT }
enum CustomerState { DECLINED DISABLED ENABLED INVITED }
enum BulkOperationStatus { CANCELED CANCELING COMPLETED CREATED EXPIRED FAILED RUNNING }
enum BulkOperationType { MUTATION QUERY }
enum BulkOperationErrorCode { ACCESS_DENIED INTERNAL_SERVER_ERROR TIMEOUT }
enum FulfillmentOrderStatus { CANCELLED CLOSED INCOMPLETE IN_PROGRESS ON_HOLD OPEN SCHEDULED }
enum StagedUploadTargetGenerateUploadResource { BULK_MUTATION_VARIABLES FILE IMAGE }
enum StagedUploadHttpMethodType { POST PUT }

type Shop {
  id: ID!
  name: String!
  myshopifyDomain: String!
  currencyCode: CurrencyCode!
  taxesIncluded: Boolean!
}

type Location implements Node { id: ID! name: String! isActive: Boolean! isPrimary: Boolean! }
type LocationEdge { cursor: String! node: Location! }
type LocationConnection { edges: [LocationEdge!]! nodes: [Location!]! pageInfo: PageInfo! }

type Metafield implements Node {
  id: ID!
  namespace: String!
  key: String!
  value: String!
  type: String!
}

type Collection implements Node {
  id: ID!
  title: String!
  handle: String!
  updatedAt: DateTime!
}
type CollectionEdge { cursor: String! node: Collection! }
type CollectionConnection { edges: [CollectionEdge!]! nodes: [Collection!]! pageInfo: PageInfo! }

type InventoryQuantity { name: String! quantity: Int! }
type InventoryLevel implements Node {
  id: ID!
  location: Location!
  quantities(names: [String!]!): [InventoryQuantity!]!
}
type InventoryItem implements Node {
  id: ID!
  sku: String
  tracked: Boolean!
  unitCost: MoneyV2
  measurement: InventoryItemMeasurement!
  inventoryLevel(locationId: ID!): InventoryLevel
}

enum MediaContentType { EXTERNAL_VIDEO IMAGE MODEL_3D VIDEO }
enum MediaStatus { FAILED PROCESSING READY UPLOADED }
enum FileStatus { FAILED PROCESSING READY UPLOADED }
enum MediaPreviewImageStatus { FAILED PROCESSING READY UPLOADED }
enum MediaErrorCode {
  DUPLICATE_FILENAME_ERROR EXTERNAL_VIDEO_EMBED_DISABLED
  EXTERNAL_VIDEO_EMBED_NOT_FOUND_OR_TRANSCODING EXTERNAL_VIDEO_INVALID_ASPECT_RATIO
  EXTERNAL_VIDEO_NOT_FOUND EXTERNAL_VIDEO_UNLISTED FILE_STORAGE_LIMIT_EXCEEDED
  GENERIC_FILE_DOWNLOAD_FAILURE GENERIC_FILE_INVALID_SIZE IMAGE_DOWNLOAD_FAILURE
  IMAGE_PROCESSING_FAILURE INVALID_IMAGE_ASPECT_RATIO INVALID_IMAGE_FILE_SIZE
  INVALID_IMAGE_RESOLUTION
}
enum MediaWarningCode { MODEL_LARGE_PHYSICAL_SIZE MODEL_SMALL_PHYSICAL_SIZE }
enum FileContentType { EXTERNAL_VIDEO FILE IMAGE MODEL_3D VIDEO }
enum FileCreateInputDuplicateResolutionMode { APPEND_UUID RAISE_ERROR REPLACE }
type MediaError { code: MediaErrorCode! details: String message: String! }
type MediaWarning { code: MediaWarningCode! message: String }
type Image { id: ID altText: String url: URL! width: Int height: Int }
type MediaPreviewImage { image: Image status: MediaPreviewImageStatus! }
interface Media {
MEDIA_FIELDS}
type MediaImage implements Media & Node {
MEDIA_FIELDS  fileStatus: FileStatus!
  image: Image
  mimeType: String
}
type MediaEdge { cursor: String! node: Media! }
type MediaConnection { edges: [MediaEdge!]! nodes: [Media!]! pageInfo: PageInfo! }
input FileSetInput {
  alt: String
  contentType: FileContentType
  duplicateResolutionMode: FileCreateInputDuplicateResolutionMode = APPEND_UUID
  filename: String
  id: ID
  originalSource: String
}

type SelectedOption { name: String! value: String! }
type SEO { title: String description: String }
enum WeightUnit { GRAMS KILOGRAMS OUNCES POUNDS }
type Weight { unit: WeightUnit! value: Float! }
type InventoryItemMeasurement { weight: Weight }
type ProductVariant implements Node {
  id: ID!
  title: String!
  sku: String
  barcode: String
  price: Money!
  compareAtPrice: Money
  taxable: Boolean!
  inventoryQuantity: Int
  inventoryItem: InventoryItem!
  product: Product!
  selectedOptions: [SelectedOption!]!
  metafield(namespace: String, key: String!): Metafield
  media(first: Int, after: String): MediaConnection!
  updatedAt: DateTime!
}
type ProductVariantEdge { cursor: String! node: ProductVariant! }
type ProductVariantConnection {
  edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo!
}

type ProductOptionValue { name: String! }
type ProductOption { name: String! optionValues: [ProductOptionValue!]! }

type Product implements Node {
  id: ID!
  title: String!
  handle: String!
  status: ProductStatus!
  descriptionHtml: HTML!
  vendor: String!
  tags: [String!]!
  seo: SEO!
  updatedAt: DateTime!
  hasOnlyDefaultVariant: Boolean!
  options(first: Int): [ProductOption!]!
  metafield(namespace: String, key: String!): Metafield
  variants(first: Int, after: String): ProductVariantConnection!
  collections(first: Int, after: String): CollectionConnection!
  media(first: Int, after: String): MediaConnection!
}
type ProductEdge { cursor: String! node: Product! }
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }

type MailingAddress {
  firstName: String
  lastName: String
  company: String
  address1: String
  address2: String
  city: String
  zip: String
  countryCodeV2: String
  provinceCode: String
  phone: String
}

type CustomerEmailAddress { emailAddress: String! }
type Customer implements Node {
  id: ID!
  email: String
  defaultEmailAddress: CustomerEmailAddress
  firstName: String
  lastName: String
  phone: String
  note: String
  tags: [String!]!
  state: CustomerState!
  createdAt: DateTime!
  updatedAt: DateTime!
  numberOfOrders: UnsignedInt64!
  defaultAddress: MailingAddress
  addresses(first: Int): [MailingAddress!]!
  metafield(namespace: String, key: String!): Metafield
}
type CustomerEdge { cursor: String! node: Customer! }
type CustomerConnection { edges: [CustomerEdge!]! nodes: [Customer!]! pageInfo: PageInfo! }

type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }
type OrderTransaction {
  id: ID! gateway: String kind: OrderTransactionKind! status: OrderTransactionStatus!
  amountSet: MoneyBag!
}

type TaxLine { title: String! rate: Float ratePercentage: Float priceSet: MoneyBag! }
type DiscountAllocation { allocatedAmountSet: MoneyBag! }

type LineItem implements Node {
  id: ID!
  sku: String
  name: String!
  title: String!
  quantity: Int!
  originalUnitPriceSet: MoneyBag!
  originalTotalSet: MoneyBag!
  discountedTotalSet: MoneyBag!
  taxLines(first: Int): [TaxLine!]!
  discountAllocations: [DiscountAllocation!]!
  variant: ProductVariant
}
type LineItemEdge { cursor: String! node: LineItem! }
type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

type ShippingLine {
  id: ID
  title: String!
  code: String
  source: String
  originalPriceSet: MoneyBag!
  discountedPriceSet: MoneyBag!
  taxLines: [TaxLine!]!
}
type ShippingLineEdge { cursor: String! node: ShippingLine! }
type ShippingLineConnection {
  edges: [ShippingLineEdge!]! nodes: [ShippingLine!]! pageInfo: PageInfo!
}

type FulfillmentOrder implements Node { id: ID! status: FulfillmentOrderStatus! }
type FulfillmentOrderEdge { cursor: String! node: FulfillmentOrder! }
type FulfillmentOrderConnection {
  edges: [FulfillmentOrderEdge!]! nodes: [FulfillmentOrder!]! pageInfo: PageInfo!
}
type FulfillmentTrackingInfo { company: String number: String url: URL }
type Fulfillment implements Node {
  id: ID!
  status: String!
  createdAt: DateTime!
  trackingInfo(first: Int): [FulfillmentTrackingInfo!]!
}

type Order implements Node {
  id: ID!
  name: String!
  email: String
  note: String
  tags: [String!]!
  createdAt: DateTime!
  updatedAt: DateTime!
  processedAt: DateTime!
  cancelledAt: DateTime
  closed: Boolean!
  currencyCode: CurrencyCode!
  taxesIncluded: Boolean!
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  paymentGatewayNames: [String!]!
  transactions(first: Int): [OrderTransaction!]!
  discountCodes: [String!]!
  subtotalPriceSet: MoneyBag!
  totalPriceSet: MoneyBag!
  totalTaxSet: MoneyBag!
  totalShippingPriceSet: MoneyBag!
  totalDiscountsSet: MoneyBag!
  customer: Customer
  billingAddress: MailingAddress
  shippingAddress: MailingAddress
  lineItems(first: Int, after: String): LineItemConnection!
  shippingLines(first: Int, after: String): ShippingLineConnection!
  taxLines: [TaxLine!]!
  fulfillmentOrders(first: Int, after: String): FulfillmentOrderConnection!
  fulfillments(first: Int): [Fulfillment!]!
  metafield(namespace: String, key: String!): Metafield
}
type OrderEdge { cursor: String! node: Order! }
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

type BulkOperation implements Node {
  id: ID!
  status: BulkOperationStatus!
  type: BulkOperationType!
  errorCode: BulkOperationErrorCode
  objectCount: UnsignedInt64!
  url: URL
  partialDataUrl: URL
  query: String!
  createdAt: DateTime!
  completedAt: DateTime
  rootObjectCount: UnsignedInt64!
  fileSize: UnsignedInt64
}

type Query {
  shop: Shop!
  locations(first: Int, after: String): LocationConnection!
  products(first: Int, after: String, query: String, sortKey: ProductSortKeys,
           reverse: Boolean = false): ProductConnection!
  productVariants(first: Int, after: String, query: String): ProductVariantConnection!
  collections(first: Int, after: String, query: String): CollectionConnection!
  customers(first: Int, after: String, query: String): CustomerConnection!
  orders(first: Int, after: String, query: String, sortKey: OrderSortKeys = ID,
         reverse: Boolean = false): OrderConnection!
  order(id: ID!): Order
  node(id: ID!): Node
  currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
  ordersCount(query: String, limit: Int = 10000): Count
}
enum CountPrecision { AT_LEAST EXACT }
type Count { count: Int! precision: CountPrecision! }

type UserError { field: [String!] message: String! }
type ProductSetUserError { field: [String!] message: String! code: String }
type InventorySetQuantitiesUserError { field: [String!] message: String! code: String }
type CustomerUserError { field: [String!] message: String! code: String }
type MetafieldsSetUserError { field: [String!] message: String! code: String }
enum BulkOperationUserErrorCode { INVALID LIMIT_REACHED OPERATION_IN_PROGRESS }
type BulkOperationUserError {
  field: [String!] message: String! code: BulkOperationUserErrorCode
}
enum BulkMutationErrorCode { INTERNAL_FILE_SERVER_ERROR INVALID_MUTATION
  INVALID_STAGED_UPLOAD_FILE LIMIT_REACHED NO_SUCH_FILE OPERATION_IN_PROGRESS }
type BulkMutationUserError { field: [String!] message: String! code: BulkMutationErrorCode }

input MetafieldInput { namespace: String key: String! value: String! type: String }
input MetafieldsSetInput {
  ownerId: ID! namespace: String key: String! value: String! type: String
}

input OptionValueSetInput { name: String }
input OptionSetInput { name: String values: [OptionValueSetInput!] }
input VariantOptionValueInput { optionName: String name: String }
input ProductSetInventoryInput { locationId: ID! name: String! quantity: Int! }
input WeightInput { unit: WeightUnit! value: Float! }
input InventoryItemMeasurementInput { weight: WeightInput }
input ProductSetInventoryItemInput {
  sku: String tracked: Boolean cost: Decimal measurement: InventoryItemMeasurementInput
}
input SEOInput { title: String description: String }
input ProductVariantSetInput {
  id: ID
  price: Money
  compareAtPrice: Money
  barcode: String
  taxable: Boolean
  optionValues: [VariantOptionValueInput!]!
  inventoryItem: ProductSetInventoryItemInput
  inventoryQuantities: [ProductSetInventoryInput!]
  file: FileSetInput
}
input ProductSetInput {
  title: String
  handle: String
  descriptionHtml: String
  status: ProductStatus
  vendor: String
  tags: [String!]
  seo: SEOInput
  collections: [ID!]
  metafields: [MetafieldInput!]
  productOptions: [OptionSetInput!]
  variants: [ProductVariantSetInput!]
  files: [FileSetInput!]
}
input ProductSetIdentifiers { id: ID handle: String }
type ProductSetOperation implements Node { id: ID! status: String! }
type ProductSetPayload {
  product: Product
  productSetOperation: ProductSetOperation
  userErrors: [ProductSetUserError!]!
}

input InventoryQuantityInput {
  inventoryItemId: ID!
  locationId: ID!
  quantity: Int!
  changeFromQuantity: Int
  compareQuantity: Int
}
input InventorySetQuantitiesInput {
  name: String!
  reason: String!
  ignoreCompareQuantity: Boolean = false
  referenceDocumentUri: String
  quantities: [InventoryQuantityInput!]!
}
type InventoryChange { name: String! delta: Int! quantityAfterChange: Int item: InventoryItem }
type InventoryAdjustmentGroup {
  id: ID!
  reason: String!
  createdAt: DateTime!
  changes(first: Int): [InventoryChange!]!
}
type InventorySetQuantitiesPayload {
  inventoryAdjustmentGroup: InventoryAdjustmentGroup
  userErrors: [InventorySetQuantitiesUserError!]!
}

input CollectionInput { id: ID title: String handle: String descriptionHtml: String }
type CollectionCreatePayload { collection: Collection userErrors: [UserError!]! }
type CollectionUpdatePayload { collection: Collection userErrors: [UserError!]! }

input MailingAddressInput {
  firstName: String lastName: String company: String address1: String address2: String
  city: String zip: String countryCode: String provinceCode: String phone: String
}
input CustomerInput {
  id: ID
  email: String
  firstName: String
  lastName: String
  phone: String
  note: String
  tags: [String!]
  addresses: [MailingAddressInput!]
  metafields: [MetafieldInput!]
}
type CustomerCreatePayload { customer: Customer userErrors: [UserError!]! }
type CustomerUpdatePayload { customer: Customer userErrors: [UserError!]! }

type TagsAddPayload { node: Node userErrors: [UserError!]! }
type MetafieldsSetPayload { metafields: [Metafield!] userErrors: [MetafieldsSetUserError!]! }

input FulfillmentTrackingInput { company: String number: String url: URL }
input FulfillmentOrderLineItemInput { id: ID! quantity: Int! }
input FulfillmentOrderLineItemsInput {
  fulfillmentOrderId: ID!
  fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]
}
input FulfillmentInput {
  lineItemsByFulfillmentOrder: [FulfillmentOrderLineItemsInput!]!
  notifyCustomer: Boolean
  trackingInfo: FulfillmentTrackingInput
}
type FulfillmentCreatePayload { fulfillment: Fulfillment userErrors: [UserError!]! }

type BulkOperationRunQueryPayload {
  bulkOperation: BulkOperation userErrors: [BulkOperationUserError!]!
}
type BulkOperationRunMutationPayload {
  bulkOperation: BulkOperation userErrors: [BulkMutationUserError!]!
}
input StagedUploadInput {
  resource: StagedUploadTargetGenerateUploadResource!
  filename: String!
  mimeType: String!
  httpMethod: StagedUploadHttpMethodType
  fileSize: UnsignedInt64
}
type StagedUploadParameter { name: String! value: String! }
type StagedMediaUploadTarget { url: URL resourceUrl: URL parameters: [StagedUploadParameter!]! }
type StagedUploadsCreatePayload {
  stagedTargets: [StagedMediaUploadTarget!] userErrors: [UserError!]!
}

type Mutation {
  productSet(input: ProductSetInput!, synchronous: Boolean = true,
             identifier: ProductSetIdentifiers): ProductSetPayload
  inventorySetQuantities(input: InventorySetQuantitiesInput!): InventorySetQuantitiesPayload
  collectionCreate(input: CollectionInput!): CollectionCreatePayload
  collectionUpdate(input: CollectionInput!): CollectionUpdatePayload
  customerCreate(input: CustomerInput!): CustomerCreatePayload
  customerUpdate(input: CustomerInput!): CustomerUpdatePayload
  tagsAdd(id: ID!, tags: [String!]!): TagsAddPayload
  metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload
  fulfillmentCreate(fulfillment: FulfillmentInput!, message: String): FulfillmentCreatePayload
  bulkOperationRunQuery(query: String!): BulkOperationRunQueryPayload
  bulkOperationRunMutation(mutation: String!, stagedUploadPath: String!,
                           clientIdentifier: String, groupObjects: Boolean = true):
    BulkOperationRunMutationPayload
  stagedUploadsCreate(input: [StagedUploadInput!]!): StagedUploadsCreatePayload
}
""".replace("MEDIA_FIELDS", _MEDIA_FIELDS)


def _decimal(value: Any) -> str:
    """``Money`` and ``Decimal`` inputs (scalars/Money: a decimal string, or a number):
    anything else is refused while the variables are read, as Shopify does, before any
    resolver runs (a top-level error naming the value)."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise GraphQLError(f"invalid value {value!r} (expected a decimal amount)") from None
    if isinstance(value, bool) or not number.is_finite():
        raise GraphQLError(f"invalid value {value!r} (expected a decimal amount)")
    return str(value)


def schema() -> GraphQLSchema:
    """Both parts: this one and :mod:`.schema_lifecycle`'s (orders' life, deletes)."""
    built = build_schema(SDL + LIFECYCLE_SDL)
    for name in ("Money", "Decimal"):
        scalar = built.type_map[name]
        assert isinstance(scalar, GraphQLScalarType)
        scalar.parse_value = _decimal  # type: ignore[method-assign]
    return built
