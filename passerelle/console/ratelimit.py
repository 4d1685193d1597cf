"""Sign-in attempts limited per user name and per client address, in memory.

Why both keys: per name stops guessing one account's password from many
addresses; per address stops one client trying many names. Five wrong
passwords within the window block the next attempt (429) until the oldest
failure leaves the window. In memory is enough for one ``passerelle serve``
process: a restart forgets, which costs an attacker a restart per five
guesses. The number of keys kept is bounded, so a flood of invented names
cannot fill the memory. The clock is injectable for tests.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

__all__ = ["LoginLimiter"]


class LoginLimiter:
    """Counts failed sign-ins per key within a sliding window."""

    def __init__(
        self,
        *,
        attempts: int = 5,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.attempts = attempts
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    @staticmethod
    def keys(name: str, client: str | None) -> tuple[str, ...]:
        """The keys one attempt counts against: the name (case-folded) and the client."""
        keys = [f"name:{name.strip().casefold()}"]
        if client:
            keys.append(f"client:{client}")
        return tuple(keys)

    def blocked(self, keys: tuple[str, ...]) -> bool:
        """Whether any key has used up its attempts within the window."""
        return any(len(self._recent(key, keep=False)) >= self.attempts for key in keys)

    def failed(self, keys: tuple[str, ...]) -> None:
        """Count one wrong password against each key."""
        now = self._clock()
        for key in keys:
            self._recent(key).append(now)
            self._failures.move_to_end(key)
        while len(self._failures) > self._max_keys:
            self._failures.popitem(last=False)

    def forget(self, key: str) -> None:
        """A right password: this name starts afresh (its client's count stays)."""
        self._failures.pop(key, None)

    def _recent(self, key: str, *, keep: bool = True) -> deque[float]:
        """The key's failures within the window (a new, unkept queue for an unknown key
        unless ``keep``)."""
        times = (
            self._failures.setdefault(key, deque()) if keep else self._failures.get(key, deque())
        )
        horizon = self._clock() - self.window
        while times and times[0] <= horizon:
            times.popleft()
        return times
