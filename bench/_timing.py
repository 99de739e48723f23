"""Timing helpers: wall-clock samples (ms) and their summary."""

from __future__ import annotations

import gc
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")
TIE_RATIO = 1.3
"""Ratios closer to 1 than this are within machine noise and reported as ties."""


@dataclass(frozen=True)
class Stats:
    """Summary of latency samples in milliseconds."""

    n: int
    median_ms: float
    p90_ms: float
    min_ms: float

    @classmethod
    def of(cls, samples_ms: list[float]) -> Stats:
        a = np.asarray(samples_ms, dtype=float)
        if not len(a):
            return cls(0, float("nan"), float("nan"), float("nan"))
        return cls(len(a), float(np.median(a)), float(np.percentile(a, 90)), float(a.min()))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """Call ``fn`` once; return its result and the wall time in ms."""
    start = time.perf_counter()
    result = fn()
    return result, (time.perf_counter() - start) * 1000.0


@contextmanager
def phase(name: str, log: Callable[[str], None]) -> Iterator[dict[str, float]]:
    """Run a phase after a full garbage collection; its wall time (s) lands in the yielded dict."""
    gc.collect()
    out: dict[str, float] = {}
    log(f"... {name}")
    start = time.perf_counter()
    yield out
    out["seconds"] = time.perf_counter() - start
    log(f"    {name}: {out['seconds']:.2f} s")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def ratio_label(ratio: float) -> str:
    """``"2.10x"``, or ``"1.12x (tie)"`` when within machine noise."""
    if not np.isfinite(ratio):
        return "n/a"
    tie = 1 / TIE_RATIO < ratio < TIE_RATIO
    return f"{ratio:.2f}x" + (" (tie)" if tie else "")
