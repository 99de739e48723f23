"""What both engines share: the router protocol, input checks and weight quantisation.

Both engines quantise weights to integer multiples of ``resolution`` before searching, so they
answer the same question exactly and agree with each other to the last bit: a distance is
``k * resolution`` for an integer ``k`` (the exact least sum of the rounded weights). Compared
with Dijkstra on the raw float weights, a distance differs by at most ``n * resolution / 2``,
``n`` the larger arc count of the two least paths (on rounded and on raw weights); with
``resolution=1e-3`` on km weights that is half a metre per arc, and weights already given in
whole metres are exact.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike

from corridors.errors import InvalidOptionError


class Router(Protocol):
    """A point-to-point and matrix shortest-path router over a fixed arc list."""

    n_nodes: int
    resolution: float

    def sibling(self) -> Router:
        """A router on the same preprocessing with no weights yet."""
        ...

    def customize(self, weights: np.ndarray) -> None:
        """Set the weight of every arc (``inf`` closes it) for the next queries."""

    def update(self, arcs: np.ndarray, weights: np.ndarray) -> None:
        """Change the weights of a few arcs (``inf`` closes them)."""

    def distance(self, source: int, target: int) -> float:
        """Least distance from ``source`` to ``target``; ``inf`` if unreachable."""

    def path(self, source: int, target: int) -> tuple[float, np.ndarray]:
        """Least distance and the indices (into the input arcs) of a least path, in order."""

    def matrix(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Least distances, shape ``(len(sources), len(targets))``; ``inf`` where unreachable."""

    def close(self) -> None:
        """Release what the router holds besides memory (helper threads); it stays usable."""


def check_arcs(n_nodes: int, tail: np.ndarray, head: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Validated copies of the arc end arrays as int64."""
    t = np.asarray(tail, dtype=np.int64).ravel()
    h = np.asarray(head, dtype=np.int64).ravel()
    if len(t) != len(h):
        raise InvalidOptionError(f"tail has {len(t)} arcs but head has {len(h)}")
    if n_nodes < 1:
        raise InvalidOptionError(f"n_nodes must be >= 1, got {n_nodes}")
    for name, a in (("tail", t), ("head", h)):
        if len(a) and (a.min() < 0 or a.max() >= n_nodes):
            raise InvalidOptionError(f"{name} holds node ids outside 0..{n_nodes - 1}")
    return t, h


def check_nodes(n_nodes: int, nodes: ArrayLike, what: str) -> np.ndarray:
    """Node ids as an int64 array, every one within ``0..n_nodes-1``."""
    a = np.atleast_1d(np.asarray(nodes, dtype=np.int64))
    if len(a) and (a.min() < 0 or a.max() >= n_nodes):
        raise InvalidOptionError(f"{what} holds node ids outside 0..{n_nodes - 1}: {a[(a < 0) | (a >= n_nodes)][:5]}")
    return a


def quantise(weights: np.ndarray, n_arcs: int, resolution: float) -> np.ndarray:
    """Weights as float64 integers (multiples of ``resolution``), ``inf`` kept for closed arcs.

    >>> quantise(np.array([1.0004, 2.5, np.inf]), 3, 1e-3)
    array([1000., 2500.,   inf])
    """
    w = np.asarray(weights, dtype=np.float64).ravel()
    if len(w) != n_arcs:
        raise InvalidOptionError(f"weights has {len(w)} values for {n_arcs} arcs")
    if np.isnan(w).any() or (w < 0).any():
        raise InvalidOptionError("weights must be >= 0 (inf closes an arc); found NaN or a negative value")
    return np.rint(w / resolution)


def cheapest_arcs(n_nodes: int, tail: np.ndarray, head: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cheapest arc of each (tail, head) pair as CSR: ``indptr`` (int64, ``n_nodes + 1``) and
    the indices of the kept arcs into the inputs, sorted by tail, then head.

    >>> ptr, arcs = cheapest_arcs(3, np.array([0, 1, 0, 1]), np.array([1, 2, 1, 0]), np.array([5.0, 1.0, 2.0, 3.0]))
    >>> ptr.tolist(), arcs.tolist()
    ([0, 1, 3, 3], [2, 3, 1])
    """
    order = np.lexsort((weight, head, tail))
    t, h = tail[order], head[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(t[first], minlength=n_nodes), out=indptr[1:])
    return indptr, order[first]
