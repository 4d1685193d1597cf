"""WordPress REST error bodies, exactly as WooCommerce sends them.

Why a module: every error a client can meet must look like the real thing —
``{"code": ..., "message": ..., "data": {"status": N}}`` — so a connector's
error tree is exercised against the shape it will see in production
(docs: woocommerce-rest-api-docs ``_introduction.md`` § Errors).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApiError",
    "invalid_id",
    "invalid_param",
    "missing_param",
    "no_route",
]


class ApiError(Exception):
    """An error answered to the client as a WP_Error JSON body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        extra_data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra_data = dict(extra_data or {})
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The JSON body WordPress renders for a WP_Error."""
        return {
            "code": self.code,
            "message": self.message,
            "data": {"status": self.status, **self.extra_data},
        }


def no_route() -> ApiError:
    """WordPress answers an unknown path *or* an unsupported method with this."""
    return ApiError(404, "rest_no_route", "No route was found matching the URL and request method.")


def invalid_param(params: dict[str, str]) -> ApiError:
    """``rest_invalid_param`` as ``WP_REST_Request::has_valid_params`` builds it."""
    names = ", ".join(params)
    return ApiError(
        400,
        "rest_invalid_param",
        f"Invalid parameter(s): {names}",
        extra_data={
            "params": dict(params),
            "details": {
                k: {"code": "rest_invalid_param", "message": v, "data": None}
                for k, v in params.items()
            },
        },
    )


def missing_param(names: list[str]) -> ApiError:
    """``rest_missing_callback_param``: a required argument was not sent."""
    return ApiError(
        400,
        "rest_missing_callback_param",
        f"Missing parameter(s): {', '.join(names)}",
        extra_data={"params": names},
    )


def invalid_id(code: str, message: str = "Invalid ID.") -> ApiError:
    """The per-resource 404 WooCommerce returns for an id it does not know."""
    return ApiError(404, code, message)
