"""The fault and rate-limit switches, kept under their first name (see ``sandbox/kit/faults.py``).

The WooCommerce shapes: a 429 is the Store API rate limiter's
``rate_limit_exceeded`` body, a 500 the WordPress fatal-error handler's.
"""

from passerelle.sandbox.kit.faults import FAULT_KINDS, FaultInjector, Faults, RateLimiter

__all__ = ["FAULT_KINDS", "FaultInjector", "Faults", "RateLimiter"]
