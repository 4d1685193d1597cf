"""Magento's REST error body: ``{"message": ..., "parameters": ...}``.

Docs: the OpenAPI ``error-response`` definition of
``src/openapi/admin-schema-2.4.9.yaml`` (``message``, ``errors``, ``code``,
``parameters``, ``trace``): ``message`` keeps its ``%1``/``%name``
placeholders; ``parameters`` is ``error-parameters``, an ARRAY of
``error-parameters-item`` objects (``resources``, ``fieldName``,
``fieldValue``); ``errors`` lists the errors of an ``InputException`` that
gathered several (``error-errors``). Status codes: 400 input/localized errors, 401 authorization,
404 ``NoSuchEntityException``, 500 internal errors.

Note: a real Magento answers the phrase's arguments as they are
(``Magento\\Framework\\Webapi\\ErrorProcessor``): a JSON OBJECT for named
placeholders (``{"fieldName": "sku"}``) and a JSON LIST for positional ones
(``["sku"]``), as the prose pages show. The sandbox follows the OpenAPI file
(its answers are validated against it): named parameters travel as one item
object (``[{"resources": ...}]``), positional ones as one object keyed by
position (``[{"1": ..., "2": ...}]``). The connector reads all of these
(``connectors/magento/client.py``, ``fill_placeholders``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["MagentoError", "input_errors", "no_such_entity", "not_found", "unauthorized"]


class MagentoError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        parameters: Any = None,
        headers: dict[str, str] | None = None,
        errors: list[MagentoError] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameters = parameters
        self.headers = headers or {}
        self.errors = errors or []

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message}
        if isinstance(self.parameters, dict):
            body["parameters"] = [self.parameters]
        elif isinstance(self.parameters, list):
            body["parameters"] = [{str(i): v for i, v in enumerate(self.parameters, 1)}]
        if self.errors:
            body["errors"] = [error.body() for error in self.errors]
        return body


def input_errors(errors: list[MagentoError]) -> MagentoError:
    """``InputException`` with its errors added (``AbstractAggregateException::addError``):
    one error is the exception's own message; several keep the default message and travel
    in ``errors`` (``error-errors`` in the OpenAPI), each with its parameters."""
    if len(errors) == 1:
        return errors[0]
    return MagentoError(400, "One or more input exceptions have occurred.", errors=errors)


def not_found(what: str = "product") -> MagentoError:
    texts = {
        "product": "The product that was requested doesn't exist. Verify the product and "
        "try again.",
        "category": "No such entity with %fieldName = %fieldValue",
        "customer": "No such entity with %fieldName = %fieldValue",
        "order": "The entity that was requested doesn't exist. Verify the entity and try again.",
        "route": "Request does not match any route.",
        "bulk": "Bulk operation with UUID %1 does not exist.",
    }
    return MagentoError(404, texts.get(what, texts["order"]))


def no_such_entity(field: str, value: object) -> MagentoError:
    """``NoSuchEntityException::singleField``: 404 naming the field looked up by."""
    return MagentoError(
        404,
        "No such entity with %fieldName = %fieldValue",
        {"fieldName": field, "fieldValue": value},
    )


def unauthorized(resource: str) -> MagentoError:
    return MagentoError(
        401, "The consumer isn't authorized to access %resources.", {"resources": resource}
    )
