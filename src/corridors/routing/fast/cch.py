"""The fast engine: RoutingKit's customizable contraction hierarchy (CCH) through pyroutingkit.

Three phases, each cheaper and more frequent than the one before:

1. :meth:`CCHRouter.build` (once per topology): a nested-dissection node order (inertial flow on
   the node coordinates) and the chordal supergraph. It knows no weights, so it survives every
   scenario that only re-costs or closes arcs.
2. :meth:`CCHRouter.customize` (once per scenario) or :meth:`CCHRouter.update` (a few arcs).
3. queries, with the input-arc indices of the path.

Measured by ``bench/bench_world.py`` on two cores: world railways (212k nodes) 2.7 s, 0.01-0.02 s
and 0.26 ms a query with its path; world highways (382k nodes) 9.2 s, 0.08-0.12 s and 0.21 ms.

A router may keep several metrics (``workers``, at most four) so that a matrix runs its sources
on several cores, as pandana's does with OpenMP. The first metric is customised before
:meth:`CCHRouter.customize` returns and answers every point-to-point query; the others are
customised in the background and join a matrix once they are ready, never delaying an answer.

pyroutingkit works on ``uint32`` weights and treats ``INF_WEIGHT = 2**31 - 1`` as a closed arc;
any path whose length reaches ``INF_WEIGHT`` is reported unreachable (stored sums never wrap:
``2 * INF_WEIGHT`` fits in ``uint32``). Weights are quantised to multiples of ``resolution`` (see
:mod:`corridors.routing.fast._common`); at 1 m that caps a distance at 2.1 million km. When the
cheap bound (the sum over nodes of each node's largest open outgoing weight, which no simple path
exceeds) reaches ``INF_WEIGHT``, :meth:`customize` also labels strongly connected components, and
a query that finds no path between two nodes of one component raises instead of answering ``inf``
(a pair reachable one way only is not caught: keep distances under ``INF_WEIGHT * resolution``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from corridors.errors import InvalidOptionError
from corridors.routing.fast._common import check_arcs, check_nodes, quantise

try:  # the compiled engine is optional: the `world` extra
    import pyroutingkit
except ImportError:  # pragma: no cover - exercised when the extra is missing
    pyroutingkit = None


def require_pyroutingkit() -> None:
    """Raise ImportError naming the extra when pyroutingkit is not installed."""
    if pyroutingkit is None:
        raise ImportError("engine='cch' needs pyroutingkit: pip install 'corridors[world]'")


MAX_WORKERS = 4
"""Most metrics a router keeps for parallel matrices (each holds a copy of the customised weights)."""
_pool: ThreadPoolExecutor | None = None


def _background(call: Callable[..., object], *args: object) -> Future:
    """Run a call that releases the GIL on the shared pool of :data:`MAX_WORKERS` - 1 threads."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(MAX_WORKERS - 1, thread_name_prefix="corridors-cch")
    return _pool.submit(call, *args)


def _run_all(calls: list[Callable[[], object]]) -> list[object]:
    """Run callables that release the GIL side by side: the first here, the rest in the pool."""
    futures = [_background(call) for call in calls[1:]]
    first = calls[0]()
    return [first, *(f.result() for f in futures)]


def available_cores() -> int:
    """Cores this process may run on (a good ``workers`` for matrix-heavy work)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class CCHRouter:
    """Shortest paths by customizable contraction hierarchy; exact on quantised weights.

    Example (two parallel arcs 0->1, the cheaper one is used):
    >>> r = CCHRouter.build(3, np.array([0, 0, 1]), np.array([1, 1, 2]))
    >>> r.customize(np.array([5.0, 2.0, 1.0]))
    >>> r.path(0, 2)
    (3.0, array([1, 2]))
    """

    def __init__(
        self, n_nodes: int, tail: np.ndarray, head: np.ndarray, resolution: float, topology: object, workers: int = 1
    ) -> None:
        if not 1 <= workers <= MAX_WORKERS:
            raise InvalidOptionError(f"workers must be 1..{MAX_WORKERS}, got {workers}")
        self.n_nodes, self.resolution, self.workers = n_nodes, resolution, int(workers)
        self._tail, self._head = tail, head
        self._by_tail = np.argsort(tail, kind="stable")
        self._tail_starts = np.flatnonzero(np.diff(tail[self._by_tail], prepend=-1) != 0)  # each tail's first arc
        self._component: np.ndarray | None = None  # set when distances might reach INF_WEIGHT
        self._topology = topology
        self._metrics = [pyroutingkit.CCHMetric(topology) for _ in range(self.workers)]
        self._metric = self._metrics[0]
        self._pending: list[Future] = []  # the other metrics' customisation, running in the background
        self._weights = np.full(len(tail), float(pyroutingkit.INF_WEIGHT))
        self._customized = False

    @classmethod
    def build(
        cls,
        n_nodes: int,
        tail: np.ndarray,
        head: np.ndarray,
        *,
        latitude: np.ndarray | None = None,
        longitude: np.ndarray | None = None,
        resolution: float = 1e-3,
        workers: int = 1,
    ) -> CCHRouter:
        """Metric-independent preprocessing over arcs ``tail[i] -> head[i]``.

        ``latitude``/``longitude`` (degrees, one per node) guide the node order; without them the
        order is still correct but may be slower to customise and query. ``workers`` metrics
        share the matrices (e.g. :func:`available_cores`); each costs a copy of the weights.
        """
        require_pyroutingkit()
        t, h = check_arcs(n_nodes, tail, head)
        lat = np.zeros(n_nodes, np.float32) if latitude is None else np.asarray(latitude, np.float32)
        lon = np.zeros(n_nodes, np.float32) if longitude is None else np.asarray(longitude, np.float32)
        if len(lat) != n_nodes or len(lon) != n_nodes:
            raise InvalidOptionError(f"latitude/longitude need {n_nodes} values, got {len(lat)}/{len(lon)}")
        topology = pyroutingkit.CCHTopology()
        topology.build(t.astype(np.uint32), h.astype(np.uint32), lat, lon, n_nodes)
        return cls(n_nodes, t, h, resolution, topology, workers)

    def sibling(self, *, workers: int | None = None) -> CCHRouter:
        """A router on the same topology with no metric yet: one per objective or scenario,
        without repeating the preprocessing (``workers`` as this one's unless given)."""
        workers = self.workers if workers is None else workers
        return CCHRouter(self.n_nodes, self._tail, self._head, self.resolution, self._topology, workers)

    def save_topology(self, path: str) -> None:
        """Write the metric-independent preprocessing to ``path`` (RoutingKit's format)."""
        self._topology.save(str(path))

    @classmethod
    def from_saved(
        cls, n_nodes: int, tail: np.ndarray, head: np.ndarray, path: str, *, resolution: float = 1e-3, workers: int = 1
    ) -> CCHRouter:
        """A router on a topology written by :meth:`save_topology` for the same arcs."""
        require_pyroutingkit()
        t, h = check_arcs(n_nodes, tail, head)
        topology = pyroutingkit.CCHTopology()
        topology.load(str(path))
        if topology.node_count != n_nodes or topology.arc_count != len(t):
            raise InvalidOptionError(f"saved topology {path} does not fit these arcs")
        return cls(n_nodes, t, h, resolution, topology, workers)

    def _to_uint32(self, w: np.ndarray) -> np.ndarray:
        """Quantised weights as uint32, closed arcs at INF_WEIGHT; labels components if needed."""
        inf = pyroutingkit.INF_WEIGHT
        closed = ~np.isfinite(w)
        if (w[~closed] >= inf).any():
            raise InvalidOptionError(f"a weight reaches {inf} units at resolution={self.resolution}; use a coarser one")
        self._component = None
        if len(w) and np.maximum.reduceat(np.where(closed, 0.0, w)[self._by_tail], self._tail_starts).sum() >= inf:
            ok = ~closed
            graph = csr_matrix((np.ones(int(ok.sum())), (self._tail[ok], self._head[ok])), shape=(self.n_nodes,) * 2)
            self._component = connected_components(graph, directed=True, connection="strong")[1]
        return np.where(closed, inf, w).astype(np.uint32)

    def _unreachable(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """``inf`` for the unreachable pairs; raises if a pair is connected but beyond INF_WEIGHT."""
        if self._component is not None and (self._component[sources] == self._component[targets]).any():
            raise InvalidOptionError(
                f"a distance exceeds {pyroutingkit.INF_WEIGHT} units at resolution={self.resolution}: "
                "use a coarser resolution or engine='scipy'"
            )
        return np.full(len(sources), np.inf)

    def customize(self, weights: np.ndarray, *, threads: int = 0) -> None:
        """Set every arc's weight (``inf`` closes it); ``threads > 0`` customises in parallel."""
        w = quantise(weights, len(self._tail), self.resolution)
        full = self._to_uint32(w)
        self.settle()
        self._metric.customize(full, threads)
        self._pending = [_background(m.customize, full, 0) for m in self._metrics[1:]]
        self._weights, self._customized = w, True

    def update(self, arcs: np.ndarray, weights: np.ndarray) -> None:
        """Change a few arcs' weights (``inf`` closes them) by partial customisation."""
        self._check_customized()
        a = check_nodes(len(self._tail), arcs, "arcs")
        w = self._weights.copy()
        w[a] = quantise(weights, len(a), self.resolution)
        full = self._to_uint32(w)
        ids, values = a.astype(np.uint32), full[a]
        self.settle()
        self._metric.update_weights(ids, values)
        self._pending = [_background(m.update_weights, ids, values) for m in self._metrics[1:]]
        self._weights = w

    def settle(self) -> None:
        """Wait until every metric holds the current weights (a matrix then runs on all of them)."""
        wait(self._pending)

    def _ready(self) -> list:
        """The metrics customised for the current weights: the first, and each finished helper."""
        return [self._metric, *(m for m, f in zip(self._metrics[1:], self._pending) if f.done() and f.exception() is None)]

    def _check_customized(self) -> None:
        if not self._customized:
            raise InvalidOptionError("call customize(weights) before querying")

    def distance(self, source: int, target: int) -> float:
        """Least distance from ``source`` to ``target``; ``inf`` if unreachable."""
        return self.path(source, target)[0]

    def path(self, source: int, target: int) -> tuple[float, np.ndarray]:
        """Least distance and the input-arc indices of a least path; ``(inf, [])`` if none."""
        self._check_customized()
        s, t = check_nodes(self.n_nodes, [source, target], "source/target")
        d, _nodes, arcs = self._metric.query(int(s), int(t))
        if d >= pyroutingkit.INF_WEIGHT:
            return float(self._unreachable(s[None], t[None])[0]), np.empty(0, dtype=np.int64)
        return d * self.resolution, np.asarray(arcs, dtype=np.int64)

    def matrix(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Least distances ``(len(sources), len(targets))``, ``inf`` where unreachable."""
        self._check_customized()
        src = check_nodes(self.n_nodes, sources, "sources").astype(np.uint32)
        tgt = check_nodes(self.n_nodes, targets, "targets").astype(np.uint32)
        metrics = self._ready()
        parts = np.array_split(src, min(len(metrics), max(1, len(src) // 8)))
        raw = np.vstack(_run_all([
            lambda m=m, part=part: m.distances_many_to_many(part, tgt) for m, part in zip(metrics, parts)
        ])).astype(np.float64)
        i, j = np.nonzero(raw >= pyroutingkit.INF_WEIGHT)
        raw[i, j] = self._unreachable(src[i].astype(np.int64), tgt[j].astype(np.int64))
        return raw * self.resolution
