"""The fallback engine: scipy's compiled Dijkstra, no preprocessing, no extra dependency.

``scipy.sparse.csgraph.dijkstra`` has no target to stop at, so every query settles the whole
component of its source: a point-to-point query costs a full single-source search (12-18 ms on
scgraph's world railways, 212k nodes, in ``bench/bench_world.py``). It is exact (float64 sums of integer-valued weights) and needs no build step.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridors.errors import InvalidOptionError
from corridors.routing.fast._common import cheapest_arcs, check_arcs, check_nodes, quantise

_CHUNK = 64
"""Sources searched per scipy call in :meth:`ScipyRouter.matrix` (caps memory at 64 x n floats)."""


class ScipyRouter:
    """Shortest paths by scipy Dijkstra over the arcs, parallel arcs reduced to the cheapest.

    Example:
    >>> r = ScipyRouter.build(3, np.array([0, 0, 1]), np.array([1, 1, 2]))
    >>> r.customize(np.array([5.0, 2.0, 1.0]))
    >>> r.path(0, 2)
    (3.0, array([1, 2]))
    """

    def __init__(self, n_nodes: int, tail: np.ndarray, head: np.ndarray, *, resolution: float) -> None:
        self.n_nodes, self.resolution = n_nodes, resolution
        self._tail, self._head = tail, head
        self._weights = np.full(len(tail), np.inf)
        self._matrix: csr_matrix | None = None
        self._entry_arc = np.empty(0, dtype=np.int64)

    @classmethod
    def build(
        cls, n_nodes: int, tail: np.ndarray, head: np.ndarray, *, resolution: float = 1e-3
    ) -> ScipyRouter:
        """A router over arcs ``tail[i] -> head[i]``; call :meth:`customize` before querying."""
        t, h = check_arcs(n_nodes, tail, head)
        return cls(n_nodes, t, h, resolution=resolution)

    def sibling(self) -> ScipyRouter:
        """A router on the same arcs with no weights yet."""
        return ScipyRouter(self.n_nodes, self._tail, self._head, resolution=self.resolution)

    def close(self) -> None:
        """Nothing to release (no threads): here for the :class:`Router` protocol."""

    def customize(self, weights: np.ndarray) -> None:
        """Set every arc's weight (``inf`` closes it): builds the CSR matrix of cheapest arcs."""
        self._weights = quantise(weights, len(self._tail), self.resolution)
        self._compile()

    def update(self, arcs: np.ndarray, weights: np.ndarray) -> None:
        """Change a few arcs' weights; for this engine as costly as :meth:`customize`."""
        a = check_nodes(len(self._tail), arcs, "arcs")
        self._weights[a] = quantise(weights, len(a), self.resolution)
        self._compile()

    def _compile(self) -> None:
        open_ = np.flatnonzero(np.isfinite(self._weights))
        indptr, kept = cheapest_arcs(self.n_nodes, self._tail[open_], self._head[open_], self._weights[open_])
        arcs = open_[kept]
        # explicit zeros are arcs for csgraph; keep them from being pruned by storing as-is
        self._matrix = csr_matrix((self._weights[arcs], self._head[arcs], indptr), shape=(self.n_nodes, self.n_nodes))
        self._entry_arc = arcs
        self._entry_key = self._tail[arcs] * self.n_nodes + self._head[arcs]  # sorted: CSR order

    def _csr(self) -> csr_matrix:
        if self._matrix is None:
            raise InvalidOptionError("call customize(weights) before querying")
        return self._matrix

    def distance(self, source: int, target: int) -> float:
        """Least distance from ``source`` to ``target`` (``inf`` if unreachable); a full search."""
        s, t = check_nodes(self.n_nodes, [source, target], "source/target")
        dist = dijkstra(self._csr(), directed=True, indices=int(s))
        return float(dist[t]) * self.resolution

    def path(self, source: int, target: int) -> tuple[float, np.ndarray]:
        """Least distance and the input-arc indices of a least path; ``(inf, [])`` if none."""
        s, t = (int(x) for x in check_nodes(self.n_nodes, [source, target], "source/target"))
        matrix = self._csr()
        dist, pred = dijkstra(matrix, directed=True, indices=s, return_predecessors=True)
        if not np.isfinite(dist[t]):
            return float("inf"), np.empty(0, dtype=np.int64)
        nodes = [t]
        while nodes[-1] != s:
            nodes.append(int(pred[nodes[-1]]))
        nodes = np.asarray(nodes[::-1], dtype=np.int64)
        arcs = self._entry_arc[np.searchsorted(self._entry_key, nodes[:-1] * self.n_nodes + nodes[1:])]
        return float(dist[t]) * self.resolution, arcs.astype(np.int64)

    def matrix(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Least distances ``(len(sources), len(targets))``, ``inf`` where unreachable."""
        src = check_nodes(self.n_nodes, sources, "sources")
        tgt = check_nodes(self.n_nodes, targets, "targets")
        out = np.empty((len(src), len(tgt)))
        for i in range(0, len(src), _CHUNK):
            dist = dijkstra(self._csr(), directed=True, indices=src[i : i + _CHUNK])
            out[i : i + _CHUNK] = dist[:, tgt]
        return out * self.resolution
