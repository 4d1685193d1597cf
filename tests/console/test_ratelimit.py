"""The sign-in limiter on its own: a sliding window per key, and bounded memory."""

from __future__ import annotations

from passerelle.console.ratelimit import LoginLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_five_failures_block_until_the_oldest_leaves_the_window() -> None:
    clock = FakeClock()
    limiter = LoginLimiter(clock=clock)
    keys = limiter.keys(" Olga ", "10.0.0.1")
    assert keys == ("name:olga", "client:10.0.0.1")
    for _attempt in range(5):
        assert not limiter.blocked(keys)
        limiter.failed(keys)
        clock.advance(10)
    assert limiter.blocked(keys)
    assert limiter.blocked(limiter.keys("OLGA", "10.9.9.9"))  # the name, from elsewhere
    assert limiter.blocked(limiter.keys("paul", "10.0.0.1"))  # the client, another name
    clock.advance(10)  # the first failure is now a minute old
    assert not limiter.blocked(keys)


def test_a_right_password_clears_the_name_not_the_client() -> None:
    limiter = LoginLimiter(clock=FakeClock())
    keys = limiter.keys("olga", "10.0.0.1")
    for _attempt in range(5):
        limiter.failed(keys)
    limiter.forget(keys[0])
    assert not limiter.blocked(limiter.keys("olga", "10.0.0.2"))
    assert limiter.blocked(limiter.keys("olga", "10.0.0.1"))


def test_invented_names_cannot_fill_the_memory() -> None:
    limiter = LoginLimiter(clock=FakeClock(), max_keys=100)
    for number in range(1000):
        keys = limiter.keys(f"name{number}", None)
        assert not limiter.blocked(keys)
        limiter.failed(keys)
    assert len(limiter._failures) == 100
