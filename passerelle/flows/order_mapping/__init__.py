"""Shop order → back-office documents: the business rules of the O features.

Pure functions, no I/O: given an order, the profile's options and what the
back-office has (:class:`BackOfficeFacts`), build the documents or say
precisely why not. The import flows do the I/O around these.
"""

from passerelle.flows.order_mapping.customers import (
    account_code,
    customer_for,
    normalise_address,
    normalise_text,
    receivable_code,
)
from passerelle.flows.order_mapping.documents import (
    build_sales,
    document_date,
    is_paid,
    payment_mapping,
    tax_rule_for,
)
from passerelle.flows.order_mapping.grouping import group_sales
from passerelle.flows.order_mapping.lines import BackOfficeFacts, map_tax
from passerelle.flows.order_mapping.money import split_pro_rata
from passerelle.flows.order_mapping.problems import OrderProblem
from passerelle.flows.order_mapping.refunds import build_refund
from passerelle.flows.order_mapping.sanity import check_order, check_refund

__all__ = [
    "BackOfficeFacts",
    "OrderProblem",
    "account_code",
    "build_refund",
    "build_sales",
    "check_order",
    "check_refund",
    "customer_for",
    "document_date",
    "group_sales",
    "is_paid",
    "map_tax",
    "normalise_address",
    "normalise_text",
    "payment_mapping",
    "receivable_code",
    "split_pro_rata",
    "tax_rule_for",
]
