"""The answer a sandbox hands its socket layer, and the fault shapes every platform shares."""

from __future__ import annotations

__all__ = ["TIMED_OUT", "Answer", "cut_short"]

# (status, headers, body, fault): the fault is None, "timeout" (drop the connection
# without answering) or "malformed" (the body was cut short on purpose).
Answer = tuple[int, dict[str, str], bytes, str | None]

TIMED_OUT: Answer = (0, {}, b"", "timeout")


def cut_short(status: int, headers: dict[str, str], payload: bytes) -> Answer:
    """The "response lost after the write" fault: the request was processed, the body
    arrives half-way, so an idempotent client must survive retrying it."""
    return status, headers, payload[: max(1, len(payload) // 2)], "malformed"
