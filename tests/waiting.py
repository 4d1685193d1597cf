"""Waiting in tests on progress, never on a total clock, and ending child processes cleanly.

Why: on a loaded machine (CI's two cores running four test workers, or a
developer's laptop building something else) every step takes longer, so a
test that allows "300 s in all" fails although nothing is wrong. What shows
a real fault is a stall: nothing moved for a long while. :func:`wait_for`
fails only then, however long the whole wait takes.

:func:`end_process` always reaps the child (after a signal, a grace period,
then SIGKILL), so no ``Popen`` object is left with a running or unreaped
process: its ``ResourceWarning`` ("subprocess … is still running") would
otherwise surface, as an error, in whichever later test the garbage
collector happens to run in.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from typing import AnyStr

__all__ = ["STALL_SECONDS", "end_process", "wait_for"]

# Long enough for a worker of a loaded machine to finish one job of the suite's
# sizes (seconds each when idle), short enough that a hang fails within minutes.
STALL_SECONDS = 180.0


def wait_for(
    done: Callable[[], bool],
    progress: Callable[[], object],
    *,
    what: str,
    stall: float = STALL_SECONDS,
    every: float = 0.1,
    check: Callable[[], None] | None = None,
) -> None:
    """Return once ``done()``; fail only if ``progress()`` kept one value for ``stall`` s.

    ``progress`` is anything that changes while the work moves (jobs finished,
    sales written, the state of a job…); ``check`` runs at each poll and may
    assert that nothing died. ``what`` names the awaited thing in the failure.
    """
    seen = progress()
    moved = time.monotonic()
    while not done():
        if check is not None:
            check()  # may itself work for long (a worker's tick runs a whole job)
            if done():
                return
        now = progress()
        if now != seen:
            seen, moved = now, time.monotonic()
        elif time.monotonic() - moved > stall:
            raise AssertionError(f"{what}: no progress for {stall:.0f} s (stuck at {seen!r})")
        time.sleep(every)


def end_process(
    process: subprocess.Popen[AnyStr],
    signum: int = signal.SIGTERM,
    *,
    grace: float = 60.0,
) -> AnyStr | None:
    """Send ``signum`` (if the process still runs), wait ``grace`` s, then kill; always reap.

    Returns what remained on the process's piped output (``communicate``), or
    None when nothing was piped.
    """
    if process.poll() is None:
        process.send_signal(signum)
    piped = any(pipe is not None and not pipe.closed for pipe in (process.stdout, process.stderr))
    if not piped:  # nothing to read, or read by an earlier communicate(): only reap
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return None
    try:
        return process.communicate(timeout=grace)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0]


def ctrl_c_reaches_it() -> None:
    """``preexec_fn`` for a child that a test stops with SIGINT, as a merchant's Ctrl-C.

    A shell that starts the suite in the background (``nohup … &``, some CI runners)
    leaves SIGINT ignored, children inherit that, and Python then installs no
    KeyboardInterrupt handler: the signal would be lost. The child starts as it would
    from a terminal instead.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
