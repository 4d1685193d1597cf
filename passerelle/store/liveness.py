"""Is the process behind a run or a worker still alive?

Runs and workers record their owner as ``host:pid``. On this host a vanished
pid is a dead owner at once; for another host only a missed heartbeat tells
(DESIGN.md: a slow job is not a dead one, so elapsed time alone never does).
"""

from __future__ import annotations

import os
import socket
import sys

__all__ = ["pid_alive", "this_host", "this_owner"]


def this_host() -> str:
    """This machine's name, as owners record it."""
    return socket.gethostname()


def this_owner() -> str:
    """``host:pid`` of this process."""
    return f"{this_host()}:{os.getpid()}"


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists on this host (someone else's counts)."""
    if sys.platform == "win32":  # pragma: no cover - signal 0 means Ctrl-C there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True
