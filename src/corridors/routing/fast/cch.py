"""The fast engine: RoutingKit's customizable contraction hierarchy (CCH) through pyroutingkit.

Three phases, each cheaper and more frequent than the one before:

1. :meth:`CCHRouter.build` (once per topology): the graph's degree-two chains are contracted
   (:mod:`corridors.routing.fast.chains`), then RoutingKit orders the remaining junction graph
   by nested dissection (inertial flow on the node coordinates) and builds its chordal
   supergraph. It knows no weights, so it survives every scenario that only re-costs or closes
   arcs.
2. :meth:`CCHRouter.customize` (once per scenario) or :meth:`CCHRouter.update` (a few arcs):
   chain sums, then RoutingKit's customisation of the junction graph. It runs on one core:
   RoutingKit's OpenMP customisation of world railways took 3.1 ms against 4.9 ms on an idle
   two-core machine, but 7 ms (median; up to 68 ms) while another process kept the second core
   busy, as a server's other requests or a test run beside it would (measured once, November
   2026, calling pyroutingkit directly; bench/ does not repeat it).
3. queries, with the input-arc indices of the path. An end inside a chain leaves or enters it
   at one of the chain's two junctions (or stays on it); the best of those combinations is the
   least path. The junction path comes back from RoutingKit about a quarter as long (532 against
   2,008 arcs, median over the bench's rail pairs: ``bench_world.py`` reports both), its chains
   expanded with numpy.

Measured by ``bench/bench_world.py`` on two cores (preprocessing, customisation, a query with
its path): world railways (212k nodes, 52k junctions) 1.0 s, 0.01 s and 0.15 ms; world highways
(382k nodes, 305k junctions: its lines are already simplified) 7.9 s, 0.08 s and 0.24 ms.

A router may keep several metrics (``workers``, at most four) so that a matrix runs its sources
on several cores, as pandana's does with OpenMP, on helper threads that a router shares with its
siblings, started on first use and stopped by :meth:`CCHRouter.close`. The first metric is
customised before :meth:`CCHRouter.customize` returns and answers every point-to-point query;
the others are customised in the background and join a matrix once they are ready, never delaying a
point-to-point answer. A helper whose customisation failed is left out of matrices, customised
in full at the next update, and its error is raised by :meth:`settle`.

pyroutingkit works on ``uint32`` weights and treats ``INF_WEIGHT = 2**31 - 1`` as a closed arc;
any path whose length reaches ``INF_WEIGHT`` is reported unreachable (stored sums never wrap:
``2 * INF_WEIGHT`` fits in ``uint32``). Weights are quantised to multiples of ``resolution`` (see
:mod:`corridors.routing.fast._common`); at 1 m that caps a distance at 2.1 million km. When the
first unreachable answer finds that a cheap bound (the sum over junctions of each one's largest
open outgoing junction arc, plus twice the longest chain, which no simple path exceeds) reaches
``INF_WEIGHT``, it labels strongly connected components, and a query that finds no path between
two nodes of one component raises instead of answering ``inf`` (a pair reachable one way only
is not caught: keep distances under ``INF_WEIGHT * resolution``).
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from concurrent.futures import Future, wait
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from corridors.errors import InvalidOptionError
from corridors.routing.fast._common import check_arcs, check_nodes, quantise
from corridors.routing.fast._threads import HelperThreads
from corridors.routing.fast.chains import Chains, ChainWeights, decompose

try:  # the compiled engine is optional: the `world` extra
    import pyroutingkit
except ImportError:  # pragma: no cover - exercised when the extra is missing
    pyroutingkit = None


def require_pyroutingkit() -> None:
    """Raise ImportError naming the extra when pyroutingkit is not installed."""
    if pyroutingkit is None:
        raise ImportError("engine='cch' needs pyroutingkit: pip install 'corridors[world]'")


TOPOLOGY_FORMAT = "j1"
"""What :meth:`CCHRouter.save_topology` writes: RoutingKit's files for the junction graph.
Caches keyed by it are never read back by a router that saves something else."""

CHAINS_FILE = "chains.npz"
"""The file beside RoutingKit's that holds the chains a saved topology was built on, with the
checksum of the input arcs they came from: a topology is only read back onto the same arcs."""


def _arcs_checksum(n_nodes: int, tail: np.ndarray, head: np.ndarray) -> str:
    digest = hashlib.sha256(np.int64(n_nodes).tobytes())
    for a in (tail, head):
        digest.update(np.ascontiguousarray(a, dtype=np.int64).tobytes())
    return digest.hexdigest()


MAX_WORKERS = 4
"""Most metrics a router keeps for parallel matrices (each holds a copy of the customised weights)."""
THREAD_NAME = "corridors-cch"
"""Name prefix of a router family's helper threads."""


def available_cores() -> int:
    """Cores this process may run on (a good ``workers`` for matrix-heavy work)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _node(n_nodes: int, node: int, what: str) -> int:
    """One node id as an int within ``0..n_nodes-1`` (a scalar :func:`check_nodes`)."""
    i = int(node)
    if not 0 <= i < n_nodes:
        raise InvalidOptionError(f"{what} {i} is outside the node ids 0..{n_nodes - 1}")
    return i


def _int_array(values: list[int]) -> np.ndarray:
    """A list of ids from RoutingKit as an int64 array."""
    return np.fromiter(values, dtype=np.int64, count=len(values))


class CCHRouter:
    """Shortest paths by customizable contraction hierarchy; exact on quantised weights.

    A router built or loaded here and all its :meth:`sibling` routers share up to
    ``MAX_WORKERS - 1`` helper threads, started when a router with several ``workers`` first
    needs them. :meth:`close` (or leaving a ``with`` block) stops them; a router used after that
    starts them again, so close it again when done.

    Example (two parallel arcs 0->1, the cheaper one is used):
    >>> with CCHRouter.build(3, np.array([0, 0, 1]), np.array([1, 1, 2])) as r:
    ...     r.customize(np.array([5.0, 2.0, 1.0]))
    ...     r.path(0, 2)
    (3.0, array([1, 2]))
    """

    def __init__(
        self, n_nodes: int, tail: np.ndarray, head: np.ndarray, resolution: float, topology: object,
        chains: Chains, workers: int = 1, threads: HelperThreads | None = None,
    ) -> None:
        if not 1 <= workers <= MAX_WORKERS:
            raise InvalidOptionError(f"workers must be 1..{MAX_WORKERS}, got {workers}")
        self.n_nodes, self.resolution, self.workers = n_nodes, resolution, int(workers)
        self._tail, self._head, self._chains = tail, head, chains
        self._chain_weights: ChainWeights | None = None
        self._overflow: bool | None = None  # whether a distance might reach INF_WEIGHT (None: not asked yet)
        self._component: np.ndarray | None = None  # then labelled when an answer is unreachable
        self._topology = topology
        self._threads = threads or HelperThreads(MAX_WORKERS - 1, THREAD_NAME)  # shared with siblings
        self._metrics = [pyroutingkit.CCHMetric(topology) for _ in range(self.workers)]
        self._metric = self._metrics[0]
        self._pending: list[Future] = []  # the other metrics' customisation, running in the background
        self._weights: np.ndarray | None = None  # quantised weights, once customised

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
        chains = decompose(n_nodes, t, h)
        topology = pyroutingkit.CCHTopology()
        junctions = chains.junctions
        topology.build(chains.tail.astype(np.uint32), chains.head.astype(np.uint32), lat[junctions], lon[junctions],
                       len(junctions))
        return cls(n_nodes, t, h, resolution, topology, chains, workers)

    def sibling(self, *, workers: int | None = None) -> CCHRouter:
        """A router on the same topology with no metric yet: one per objective or scenario,
        without repeating the preprocessing (``workers`` as this one's unless given)."""
        workers = self.workers if workers is None else workers
        return CCHRouter(self.n_nodes, self._tail, self._head, self.resolution, self._topology, self._chains, workers,
                         self._threads)

    def close(self) -> None:
        """Stop the helper threads this router shares with its siblings, once the work under way
        (theirs too) has finished. The routers stay usable and start the threads again if a
        later call needs them."""
        self._threads.close()

    def __enter__(self) -> CCHRouter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def save_topology(self, path: str) -> None:
        """Write the metric-independent preprocessing to the folder ``path`` (ending in "/"):
        RoutingKit's files and the chains they were built on."""
        self._topology.save(str(path))
        with open(Path(path, CHAINS_FILE), "wb") as file:
            np.savez(file, arcs_sha256=_arcs_checksum(self.n_nodes, self._tail, self._head), **self._chains.arrays())

    @classmethod
    def from_saved(
        cls, n_nodes: int, tail: np.ndarray, head: np.ndarray, path: str, *, resolution: float = 1e-3, workers: int = 1
    ) -> CCHRouter:
        """A router on a topology written by :meth:`save_topology` for the same arcs."""
        require_pyroutingkit()
        t, h = check_arcs(n_nodes, tail, head)
        try:
            with np.load(Path(path, CHAINS_FILE)) as saved:
                built_on = str(saved["arcs_sha256"])
                chains = Chains.from_arrays(n_nodes, len(t), saved)
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as err:  # missing, foreign or cut short
            raise InvalidOptionError(f"saved topology {path} has no readable {CHAINS_FILE}: {err}") from err
        if built_on != _arcs_checksum(n_nodes, t, h):
            raise InvalidOptionError(f"saved topology {path} was built on other arcs")
        topology = pyroutingkit.CCHTopology()
        topology.load(str(path))
        if topology.node_count != len(chains.junctions) or topology.arc_count != len(chains.tail):
            raise InvalidOptionError(f"saved topology {path} does not fit these arcs")
        return cls(n_nodes, t, h, resolution, topology, chains, workers)

    def _check_range(self, w: np.ndarray) -> None:
        """Reject a weight past INF_WEIGHT units; whether a distance might reach it is left to
        :meth:`_may_overflow`, asked only when an answer is unreachable."""
        inf = pyroutingkit.INF_WEIGHT
        if np.count_nonzero(w >= inf) > np.count_nonzero(w == np.inf):  # a finite weight reaches it
            raise InvalidOptionError(f"a weight reaches {inf} units at resolution={self.resolution}; use a coarser one")

    def _may_overflow(self) -> bool:
        """Whether some distance might reach INF_WEIGHT for the current weights (worked out once).

        No simple path is longer than the bound: it leaves each junction at most once, by one
        junction arc, and starts and ends inside at most a chain's length.
        """
        if self._overflow is None:
            cw = self._chain_weights
            units = cw.junction_weights()
            bound = 2 * cw.longest_chain()
            if len(units):
                bound += np.maximum.reduceat(np.where(np.isfinite(units), units, 0.0), self._chains.tail_starts).sum()
            self._overflow = bool(bound >= pyroutingkit.INF_WEIGHT)
        return self._overflow

    def _components(self) -> np.ndarray:
        """Strongly connected components of the open arcs (labelled on first need, per metric)."""
        if self._component is None:
            ok = np.isfinite(self._weights)
            graph = csr_matrix((np.ones(int(ok.sum())), (self._tail[ok], self._head[ok])), shape=(self.n_nodes,) * 2)
            self._component = connected_components(graph, directed=True, connection="strong")[1]
        return self._component

    @staticmethod
    def _to_uint32(units: np.ndarray) -> np.ndarray:
        """Junction-arc weights for RoutingKit: a sum at or past INF_WEIGHT is left closed (a path
        that long is reported unreachable, or raises through the component check)."""
        return np.minimum(units, pyroutingkit.INF_WEIGHT).astype(np.uint32)

    def _unreachable(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """``inf`` for the unreachable pairs; raises if a pair is connected but beyond INF_WEIGHT."""
        if self._may_overflow() and (self._components()[sources] == self._components()[targets]).any():
            raise InvalidOptionError(
                f"a distance exceeds {pyroutingkit.INF_WEIGHT} units at resolution={self.resolution}: "
                "use a coarser resolution or engine='scipy'"
            )
        return np.full(len(sources), np.inf)

    def customize(self, weights: np.ndarray) -> None:
        """Set every arc's weight (``inf`` closes it)."""
        w = quantise(weights, len(self._tail), self.resolution)
        self._check_range(w)
        chain_weights = ChainWeights(self._chains, w)
        full = self._to_uint32(chain_weights.junction_weights())
        wait(self._pending)  # each helper is customised afresh, whether its last work failed or not
        self._metric.customize(full, 0)
        self._pending = [self._threads.submit(m.customize, full, 0) for m in self._metrics[1:]]
        self._weights, self._chain_weights = w, chain_weights
        self._overflow, self._component = None, None

    def update(self, arcs: np.ndarray, weights: np.ndarray) -> None:
        """Change a few arcs' weights (``inf`` closes them) by partial customisation."""
        self._check_customized()
        a = check_nodes(len(self._tail), arcs, "arcs")
        w = self._weights.copy()
        w[a] = quantise(weights, len(a), self.resolution)
        self._check_range(w)
        chain_weights = ChainWeights(self._chains, w)
        owners = np.unique(self._chains.owner[a])
        owners = owners[owners >= 0]
        full = self._to_uint32(chain_weights.junction_weights())
        ids, values = owners.astype(np.uint32), full[owners]
        wait(self._pending)
        self._metric.update_weights(ids, values)
        self._pending = [  # a helper whose last work failed holds stale weights: customise it in full
            self._threads.submit(m.update_weights, ids, values) if f.exception() is None
            else self._threads.submit(m.customize, full, 0)
            for m, f in zip(self._metrics[1:], self._pending)
        ]
        self._weights, self._chain_weights = w, chain_weights
        self._overflow, self._component = None, None

    def settle(self) -> None:
        """Wait until every metric holds the current weights (a matrix then runs on all of them);
        raises what a helper metric's customisation raised."""
        for future in self._pending:
            future.result()

    def _ready(self) -> list:
        """The metrics customised for the current weights: the first, and each finished helper."""
        return [self._metric, *(m for m, f in zip(self._metrics[1:], self._pending) if f.done() and f.exception() is None)]

    def _check_customized(self) -> None:
        if self._weights is None:
            raise InvalidOptionError("call customize(weights) before querying")

    def distance(self, source: int, target: int) -> float:
        """Least distance from ``source`` to ``target``; ``inf`` if unreachable."""
        return self.path(source, target)[0]

    def _junction_matrix(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Junction-graph distances in units (``inf`` where unreachable), one extra ``inf`` row and
        column at the end for "no junction"; the sources are split across the ready metrics."""
        out = np.full((len(sources) + 1, len(targets) + 1), np.inf)
        if len(sources) and len(targets):
            src, tgt = sources.astype(np.uint32), targets.astype(np.uint32)
            if len(src) < 16:  # too few sources to share out
                raw = self._metric.distances_many_to_many(src, tgt)
            else:
                metrics = self._ready()
                parts = np.array_split(src, min(len(metrics), len(src) // 8))
                raw = np.vstack(self._threads.run_all([
                    lambda m=m, part=part: m.distances_many_to_many(part, tgt) for m, part in zip(metrics, parts)
                ]))
            out[:-1, :-1] = np.where(raw >= pyroutingkit.INF_WEIGHT, np.inf, raw)
        return out

    def _combine(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Least distances in units between nodes: the best of leaving each source's chain at
        either end, crossing the junction graph and entering the target's chain at either end,
        or staying on a chain both share."""
        from_junction, to_junction = self._chains.junction_of[sources], self._chains.junction_of[targets]
        if (from_junction >= 0).all() and (to_junction >= 0).all():  # junctions only: one matrix
            return self._junction_matrix(from_junction, to_junction)[:-1, :-1]
        cw = self._chain_weights
        exit_junction, exit_units = cw.exits(sources)
        entry_junction, entry_units = cw.entries(targets)
        from_junctions = np.unique(exit_junction[exit_junction >= 0])
        to_junctions = np.unique(entry_junction[entry_junction >= 0])
        between = self._junction_matrix(from_junctions, to_junctions)
        rows = np.where(exit_junction >= 0, np.searchsorted(from_junctions, exit_junction), len(from_junctions))
        cols = np.where(entry_junction >= 0, np.searchsorted(to_junctions, entry_junction), len(to_junctions))
        units = np.full((len(sources), len(targets)), np.inf)
        for out in (0, 1):
            for into in (0, 1):
                way = exit_units[:, out, None] + between[rows[:, out]][:, cols[:, into]] + entry_units[None, :, into]
                np.minimum(units, way, out=units)
        chain_s, chain_t = self._chains.chain_of[sources], self._chains.chain_of[targets]
        i, j = np.nonzero((chain_s[:, None] == chain_t[None, :]) & (chain_s[:, None] >= 0))
        units[i, j] = np.minimum(units[i, j], cw.along(sources[i], targets[j]))
        units[sources[:, None] == targets[None, :]] = 0.0
        return units

    def path(self, source: int, target: int) -> tuple[float, np.ndarray]:
        """Least distance and the input-arc indices of a least path; ``(inf, [])`` if none."""
        self._check_customized()
        s, t = _node(self.n_nodes, source, "source"), _node(self.n_nodes, target, "target")
        none = np.empty(0, dtype=np.int64)
        if s == t:
            return 0.0, none
        chains, cw = self._chains, self._chain_weights
        if chains.chain_of[s] < 0 and chains.chain_of[t] < 0:  # junction to junction: one query
            units, _nodes, junction_arcs = self._metric.query(int(chains.junction_of[s]), int(chains.junction_of[t]))
            if units >= pyroutingkit.INF_WEIGHT:
                return float(self._unreachable(np.array([s]), np.array([t]))[0]), none
            return units * self.resolution, chains.expand(_int_array(junction_arcs)).astype(np.int64)
        exits, entries = cw.leave(s), cw.reach(t)
        best, way = np.inf, None
        if chains.chain_of[s] >= 0 and chains.chain_of[s] == chains.chain_of[t]:
            best = cw.along_one(s, t)
        between = self._metric.distances_many_to_many(  # at most 2 x 2; INF_WEIGHT where unreachable
            np.array([j for j, _ in exits], dtype=np.uint32), np.array([j for j, _ in entries], dtype=np.uint32)
        ).tolist()
        for out, (_, leave_units) in enumerate(exits):
            for into, (_, reach_units) in enumerate(entries):
                units = leave_units + between[out][into] + reach_units
                if units < best:
                    best, way = units, (out, into)
        if best >= pyroutingkit.INF_WEIGHT:
            return float(self._unreachable(np.array([s]), np.array([t]))[0]), none
        if way is None:
            return best * self.resolution, cw.along_arcs(s, t).astype(np.int64)
        out, into = way
        a, b = exits[out][0], entries[into][0]
        middle = chains.expand(_int_array(self._metric.query(a, b)[2])) if a != b else none
        arcs = np.concatenate([cw.exit_arcs(s, out), middle, cw.entry_arcs(t, into)], dtype=np.int64)
        return best * self.resolution, arcs

    def matrix(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Least distances ``(len(sources), len(targets))``, ``inf`` where unreachable."""
        self._check_customized()
        src = check_nodes(self.n_nodes, sources, "sources")
        tgt = check_nodes(self.n_nodes, targets, "targets")
        units = self._combine(src, tgt)
        i, j = np.nonzero(units >= pyroutingkit.INF_WEIGHT)
        units[i, j] = self._unreachable(src[i], tgt[j])
        return units * self.resolution
