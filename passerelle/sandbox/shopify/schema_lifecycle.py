"""The schema's second part: what happens to orders and products after they exist.

Same rule as :mod:`.schema` (names, types and nullability of the Admin GraphQL 2026-01
reference, only what is served). Pages cited:
- mutations/orderCreate (input-objects/OrderCreateOrderInput, OrderCreateLineItemInput,
  OrderCreateOptionsInput, enums/OrderCreateInputsInventoryBehavior,
  OrderCreateFinancialStatus; objects/OrderCreateUserError), orderMarkAsPaid,
  orderCancel (enums/OrderCancelReason, objects/OrderCancelUserError, Job),
  refundCreate (input-objects/RefundInput, RefundLineItemInput,
  enums/RefundLineItemRestockType), fulfillmentOrderHold (FulfillmentOrderHoldInput,
  enums/FulfillmentHoldReason), fulfillmentOrderReleaseHold
- mutations/productDelete (ProductDeleteInput), productVariantsBulkDelete
  (enums/ProductVariantsBulkDeleteUserErrorCode)
- mutations/inventoryAdjustQuantities (InventoryAdjustQuantitiesInput, InventoryChangeInput)
- queries/nodes (at most 250 ids), queries/deliveryProfiles (objects/DeliveryProfile,
  DeliveryProfileLocationGroup, DeliveryLocationGroupZone, DeliveryMethodDefinition)
"""

from __future__ import annotations

__all__ = ["LIFECYCLE_SDL"]

LIFECYCLE_SDL = """
enum OrderCreateFinancialStatus {
  AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED
}
enum OrderCreateInputsInventoryBehavior {
  BYPASS DECREMENT_IGNORING_POLICY DECREMENT_OBEYING_POLICY
}
enum OrderTransactionKind {
  AUTHORIZATION CAPTURE CHANGE EMV_AUTHORIZATION REFUND SALE SUGGESTED_REFUND VOID
}
enum OrderTransactionStatus { AWAITING_RESPONSE ERROR FAILURE PENDING SUCCESS UNKNOWN }
enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }
enum OrderCancelUserErrorCode { INVALID NOT_FOUND NO_REFUND_PERMISSION }
enum RefundLineItemRestockType { CANCEL LEGACY_RESTOCK NO_RESTOCK RETURN }
enum FulfillmentHoldReason {
  AWAITING_PAYMENT AWAITING_RETURN_ITEMS HIGH_RISK_OF_FRAUD INCORRECT_ADDRESS
  INVENTORY_OUT_OF_STOCK ONLINE_STORE_POST_PURCHASE_CROSS_SELL OTHER UNKNOWN_DELIVERY_DATE
}
enum FulfillmentOrderHoldUserErrorCode {
  DUPLICATED_FULFILLMENT_HOLD_HANDLES FULFILLMENT_ORDER_NOT_FOUND GREATER_THAN_ZERO
  INVALID_LINE_ITEM_QUANTITY TAKEN
}
enum FulfillmentOrderReleaseHoldUserErrorCode { FULFILLMENT_ORDER_NOT_FOUND INVALID_ACCESS }
enum OrderCreateUserErrorCode { BLANK GREATER_THAN INVALID TAKEN }
enum ProductVariantsBulkDeleteUserErrorCode {
  AT_LEAST_ONE_VARIANT_DOES_NOT_BELONG_TO_THE_PRODUCT CANNOT_DELETE_LAST_VARIANT
  PRODUCT_DOES_NOT_EXIST
}

input MoneyInput { amount: Decimal! currencyCode: CurrencyCode! }
input MoneyBagInput { shopMoney: MoneyInput! presentmentMoney: MoneyInput }
input OrderCreateTaxLineInput {
  title: String! rate: Decimal! priceSet: MoneyBagInput channelLiable: Boolean
}
input OrderCreateLineItemInput {
  variantId: ID quantity: Int! title: String sku: String priceSet: MoneyBagInput
  requiresShipping: Boolean taxable: Boolean taxLines: [OrderCreateTaxLineInput!]
}
input OrderCreateShippingLineInput {
  title: String! code: String source: String priceSet: MoneyBagInput!
  taxLines: [OrderCreateTaxLineInput!]
}
input OrderCreateAssociateCustomerAttributesInput { id: ID email: String }
input OrderCreateCustomerInput { toAssociate: OrderCreateAssociateCustomerAttributesInput }
input OrderCreateOrderTransactionInput {
  amountSet: MoneyBagInput! gateway: String kind: OrderTransactionKind
  status: OrderTransactionStatus
}
input OrderCreateOrderInput {
  lineItems: [OrderCreateLineItemInput!]
  email: String
  currency: CurrencyCode
  financialStatus: OrderCreateFinancialStatus
  customer: OrderCreateCustomerInput
  billingAddress: MailingAddressInput
  shippingAddress: MailingAddressInput
  shippingLines: [OrderCreateShippingLineInput!]
  transactions: [OrderCreateOrderTransactionInput!]
  taxesIncluded: Boolean
  note: String
  tags: [String!]
}
input OrderCreateOptionsInput {
  inventoryBehaviour: OrderCreateInputsInventoryBehavior = BYPASS
  sendReceipt: Boolean = false
  sendFulfillmentReceipt: Boolean = false
}
type OrderCreateUserError { field: [String!] message: String! code: OrderCreateUserErrorCode }
type OrderCreatePayload { order: Order userErrors: [OrderCreateUserError!]! }

input OrderMarkAsPaidInput { id: ID! }
type OrderMarkAsPaidPayload { order: Order userErrors: [UserError!]! }

type Job { id: ID! done: Boolean! }
input OrderCancelRefundMethodInput { originalPaymentMethodsRefund: Boolean }
type OrderCancelUserError { field: [String!] message: String! code: OrderCancelUserErrorCode }
type OrderCancelPayload {
  job: Job orderCancelUserErrors: [OrderCancelUserError!]! userErrors: [UserError!]!
}

input RefundLineItemInput {
  lineItemId: ID! quantity: Int! restockType: RefundLineItemRestockType = NO_RESTOCK
  locationId: ID
}
input OrderTransactionInput {
  amount: Money! gateway: String! kind: OrderTransactionKind! orderId: ID! parentId: ID
}
input RefundInput {
  orderId: ID! note: String notify: Boolean refundLineItems: [RefundLineItemInput!]
  transactions: [OrderTransactionInput!]
}
type Refund implements Node { id: ID! note: String }
type RefundCreatePayload { order: Order refund: Refund userErrors: [UserError!]! }

type FulfillmentHold { id: ID! reason: FulfillmentHoldReason! reasonNotes: String handle: String }
extend type FulfillmentOrder { fulfillmentHolds: [FulfillmentHold!]! }
input FulfillmentOrderHoldInput {
  reason: FulfillmentHoldReason! reasonNotes: String notifyMerchant: Boolean = false
  handle: String externalId: String
}
type FulfillmentOrderHoldUserError {
  field: [String!] message: String! code: FulfillmentOrderHoldUserErrorCode
}
type FulfillmentOrderHoldPayload {
  fulfillmentHold: FulfillmentHold fulfillmentOrder: FulfillmentOrder
  remainingFulfillmentOrder: FulfillmentOrder userErrors: [FulfillmentOrderHoldUserError!]!
}
type FulfillmentOrderReleaseHoldUserError {
  field: [String!] message: String! code: FulfillmentOrderReleaseHoldUserErrorCode
}
type FulfillmentOrderReleaseHoldPayload {
  fulfillmentOrder: FulfillmentOrder userErrors: [FulfillmentOrderReleaseHoldUserError!]!
}

input ProductDeleteInput { id: ID! }
type ProductDeletePayload { deletedProductId: ID userErrors: [UserError!]! }
type ProductVariantsBulkDeleteUserError {
  field: [String!] message: String! code: ProductVariantsBulkDeleteUserErrorCode
}
type ProductVariantsBulkDeletePayload {
  product: Product userErrors: [ProductVariantsBulkDeleteUserError!]!
}

type DeliveryMethodDefinition implements Node { id: ID! name: String! active: Boolean! }
type DeliveryMethodDefinitionConnection {
  nodes: [DeliveryMethodDefinition!]! pageInfo: PageInfo!
}
type DeliveryZone { id: ID! name: String! }
type DeliveryLocationGroupZone {
  zone: DeliveryZone!
  methodDefinitions(first: Int, after: String): DeliveryMethodDefinitionConnection!
}
type DeliveryLocationGroupZoneConnection {
  nodes: [DeliveryLocationGroupZone!]! pageInfo: PageInfo!
}
type DeliveryProfileLocationGroup {
  locationGroupZones(first: Int, after: String): DeliveryLocationGroupZoneConnection!
}
type DeliveryProfile implements Node {
  id: ID! name: String! default: Boolean!
  profileLocationGroups: [DeliveryProfileLocationGroup!]!
}
type DeliveryProfileConnection { nodes: [DeliveryProfile!]! pageInfo: PageInfo! }

extend type LineItem { currentQuantity: Int! unfulfilledQuantity: Int! }

extend type Query {
  nodes(ids: [ID!]!): [Node]!
  deliveryProfiles(first: Int, after: String): DeliveryProfileConnection!
}

input InventoryChangeInput {
  delta: Int! inventoryItemId: ID! locationId: ID! ledgerDocumentUri: String
}
input InventoryAdjustQuantitiesInput {
  name: String! reason: String! referenceDocumentUri: String changes: [InventoryChangeInput!]!
}
type InventoryAdjustQuantitiesUserError { field: [String!] message: String! code: String }
type InventoryAdjustQuantitiesPayload {
  inventoryAdjustmentGroup: InventoryAdjustmentGroup
  userErrors: [InventoryAdjustQuantitiesUserError!]!
}

extend type Mutation {
  inventoryAdjustQuantities(input: InventoryAdjustQuantitiesInput!):
    InventoryAdjustQuantitiesPayload
  orderCreate(order: OrderCreateOrderInput!, options: OrderCreateOptionsInput):
    OrderCreatePayload
  orderMarkAsPaid(input: OrderMarkAsPaidInput!): OrderMarkAsPaidPayload
  orderCancel(orderId: ID!, reason: OrderCancelReason!, restock: Boolean!, refund: Boolean,
              refundMethod: OrderCancelRefundMethodInput, notifyCustomer: Boolean = false,
              staffNote: String): OrderCancelPayload
  refundCreate(input: RefundInput!): RefundCreatePayload
  fulfillmentOrderHold(fulfillmentHold: FulfillmentOrderHoldInput!, id: ID!):
    FulfillmentOrderHoldPayload
  fulfillmentOrderReleaseHold(id: ID!, holdIds: [ID!], externalId: String):
    FulfillmentOrderReleaseHoldPayload
  productDelete(input: ProductDeleteInput!, synchronous: Boolean = true): ProductDeletePayload
  productVariantsBulkDelete(productId: ID!, variantsIds: [ID!]!):
    ProductVariantsBulkDeletePayload
}
"""
