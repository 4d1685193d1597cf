"""Workers in threads of the serving process: a one-process install runs its jobs too.

``passerelle serve`` queues jobs (webhooks, the console's *Run now*) but runs
none; without a ``passerelle worker`` beside it nothing would happen. With
``--workers N`` (default 1) it starts N :class:`~passerelle.runner.worker.Worker`
loops in threads: each registers and heartbeats like a worker process, so the
queue's guarantees (one job of a lane at a time, per-shop limits, recovery of
a dead worker's jobs) hold whether workers run here, apart, or both.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from passerelle.runner.worker import Worker
from passerelle.store import Store

__all__ = ["WorkerThreads"]

log = logging.getLogger("passerelle.worker")


class WorkerThreads:
    """``count`` workers on ``store``, each in a daemon thread, until :meth:`stop`."""

    def __init__(self, data_dir: Path, store: Store, count: int, **options: Any) -> None:
        if count < 0:
            raise ValueError(  # internal: serve's --workers has min=0
                "the number of workers cannot be negative"
            )
        self.data_dir = data_dir
        self.store = store
        self.count = count
        self.options = options
        self.workers: list[Worker] = []
        self._threads: list[threading.Thread] = []

    def start(self) -> WorkerThreads:
        for _ in range(self.count):
            worker = Worker(self.data_dir, store=self.store, **self.options)
            thread = threading.Thread(
                target=self._loop, args=(worker,), name=f"worker {worker.id}", daemon=True
            )
            self.workers.append(worker)
            self._threads.append(thread)
            thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Let each worker finish the job at hand, then record it stopped."""
        for worker in self.workers:
            worker.stop()
        for thread in self._threads:
            thread.join(timeout)
        for worker in self.workers:
            worker.close()
        self.workers.clear()
        self._threads.clear()

    @staticmethod
    def _loop(worker: Worker) -> None:
        try:
            worker.run()
        except Exception:  # the store is gone: the thread ends, the server goes on serving
            log.exception("worker %s stopped by an unexpected error", worker.id)

    def __enter__(self) -> WorkerThreads:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
