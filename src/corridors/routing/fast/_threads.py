"""A small pool of helper threads, owned by whoever creates it, for calls that release the GIL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor


class HelperThreads:
    """Up to ``size`` threads named ``name``-N, started on the first :meth:`submit` and stopped by
    :meth:`close`. A pool used again after closing starts its threads again, so closing releases
    threads without ending the owner (who should close again when done). Safe to share between
    threads: a call submitted while another thread closes the pool runs on a fresh one.

    >>> pool = HelperThreads(2, "doc")
    >>> pool.run_all([lambda: 1, lambda: 2, lambda: 3])
    [1, 2, 3]
    >>> pool.close(); pool.running
    False
    """

    def __init__(self, size: int, name: str) -> None:
        self.size, self.name = int(size), name
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    @property
    def running(self) -> bool:
        """Whether the pool's threads are started (some may still be starting)."""
        return self._executor is not None

    def submit(self, call: Callable[..., object], *args: object) -> Future:
        """Run ``call(*args)`` on a helper thread, starting the pool if needed."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.size, thread_name_prefix=self.name)
            return self._executor.submit(call, *args)

    def run_all(self, calls: list[Callable[[], object]]) -> list[object]:
        """Run ``calls`` side by side, the first on this thread and the rest on helpers; their
        results in order (the first error raised once all have finished)."""
        futures = [self.submit(call) for call in calls[1:]]
        try:
            first = calls[0]()
        finally:
            for future in futures:
                future.exception()  # wait: the calls may share buffers with the caller
        return [first, *(f.result() for f in futures)]

    def close(self) -> None:
        """Wait for the work submitted so far, then stop the threads."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
