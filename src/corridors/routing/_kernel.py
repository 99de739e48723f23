"""Private array kernels of the atlas router: rule masks and multi-stage Dijkstra.

Shortest paths run on scipy's compiled Dijkstra over the graph's CSR arrays; a query builds only
a weight vector (O(edges), numpy, :mod:`corridors.costs`) and never recompiles the graph.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridors.graph import MultimodalGraph
from corridors.model import MODES, Mode
from corridors.model.seasons import open_in

def mode_mask(mode: np.ndarray, modes: frozenset[Mode]) -> np.ndarray:
    """True where an element's mode code (:data:`corridors.model.MODES`; -1 for transfers, which
    the layers they join already gate) is one of ``modes``."""
    allowed = np.zeros(len(MODES) + 1, dtype=bool)
    allowed[[Mode(m).code for m in modes]] = True
    allowed[-1] = True
    return allowed[mode]


def rule_masks(
    graph: MultimodalGraph,
    *,
    year: int,
    modes: frozenset[Mode] | None,
    avoid_countries: frozenset[str],
    avoid_edges: np.ndarray,
    month: int | None = None,
) -> dict[str, np.ndarray]:
    """One boolean array per rule: True where an edge obeys it.

    Rules: ``year`` (the edge is open in that year), ``season`` (open in ``month``, if given),
    ``modes``, ``countries`` (touches no avoided country) and ``avoid`` (not an avoided place,
    link or border).
    """
    n = graph.n_edges
    masks = {"year": graph.opens_year <= year}
    if month is not None:
        masks["season"] = open_in(graph.open_months, month)
    if modes is not None:
        masks["modes"] = mode_mask(graph.mode, modes)
    if avoid_countries:
        ok = np.ones(n, dtype=bool)
        for country in avoid_countries:
            ok &= ~graph.country_edge_mask(country)
        masks["countries"] = ok
    if len(avoid_edges):
        ok = np.ones(n, dtype=bool)
        ok[avoid_edges] = False
        masks["avoid"] = ok
    return masks


def masked(weights: np.ndarray, masks: Mapping[str, np.ndarray], skip: Sequence[str] = ()) -> np.ndarray:
    """Weights with edges that break any rule (except those in ``skip``) set to infinity."""
    ok = np.ones(len(weights), dtype=bool)
    for name, mask in masks.items():
        if name not in skip:
            ok &= mask
    return np.where(ok, weights, np.inf)


@dataclass(frozen=True)
class Waypoint:
    """A stage boundary: a set of states to pass (a place) or of edges to use (a link or border)."""

    label: str
    states: np.ndarray | None = None
    edges: np.ndarray | None = None


@dataclass(frozen=True)
class _Stage:
    pred: np.ndarray
    entry_edge: dict[int, int]


def _search(graph: MultimodalGraph, weights: np.ndarray, seeds: Mapping[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """Dijkstra from a virtual source joined to each seed state at its initial cost."""
    n = graph.n_states
    seed_states = np.fromiter(seeds.keys(), dtype=np.int32, count=len(seeds))
    seed_costs = np.fromiter(seeds.values(), dtype=np.float64, count=len(seeds))
    indptr = np.append(graph.indptr, graph.indptr[-1] + len(seeds)).astype(np.int32)
    indices = np.concatenate([graph.head, seed_states]).astype(np.int32)
    data = np.concatenate([weights, seed_costs])
    matrix = csr_matrix((data, indices, indptr), shape=(n + 1, n + 1))
    dist, pred = dijkstra(matrix, directed=True, indices=n, return_predecessors=True)
    return dist[:n], pred[:n]


def tree(graph: MultimodalGraph, weights: np.ndarray, origin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least weight from any ``origin`` state to every state, and each state's predecessor
    (-1 at the origins; the virtual source's index never appears)."""
    dist, pred = _search(graph, weights, {int(s): 0.0 for s in origin})
    return dist, np.where(pred == graph.n_states, -1, pred)


def walk_back(graph: MultimodalGraph, weights: np.ndarray, pred: np.ndarray, target: int) -> list[int]:
    """The edges of the tree path to ``target`` (see :func:`tree`), in travel order."""
    edges, _ = _walk(graph, weights, pred, target)
    edges.reverse()
    return edges


def _walk(graph: MultimodalGraph, weights: np.ndarray, pred: np.ndarray, state: int) -> tuple[list[int], int]:
    """The edges from ``state`` back to the search's start (a predecessor of -1 or the virtual
    source), last edge first, and the state reached."""
    edges: list[int] = []
    while 0 <= (u := int(pred[state])) < graph.n_states:
        edges.append(_best_edge(graph, weights, u, state))
        state = u
    return edges, state


def _best_edge(graph: MultimodalGraph, weights: np.ndarray, u: int, v: int) -> int:
    start, end = graph.indptr[u], graph.indptr[u + 1]
    candidates = np.flatnonzero(graph.head[start:end] == v) + start
    return int(candidates[np.argmin(weights[candidates])])


def staged_path(
    graph: MultimodalGraph,
    weights: np.ndarray,
    origin: np.ndarray,
    destination: np.ndarray,
    waypoints: Sequence[Waypoint] = (),
) -> tuple[float, list[int]] | None:
    """Least-weight path from any origin state to any destination state through the waypoints
    in order. Returns (weight, edge indices) or None if unreachable. ``weights`` uses inf for
    forbidden edges."""
    seeds: dict[int, float] = {int(s): 0.0 for s in origin}
    stages: list[_Stage] = []
    for waypoint in [*waypoints, Waypoint("destination", states=destination)]:
        dist, pred = _search(graph, weights, seeds)
        entry: dict[int, int] = {}
        if waypoint.states is not None:
            seeds = {int(s): float(dist[s]) for s in waypoint.states if np.isfinite(dist[s])}
        else:
            seeds = {}
            for e in waypoint.edges:
                cost = dist[graph.tail[e]] + weights[e]
                head = int(graph.head[e])
                if np.isfinite(cost) and cost < seeds.get(head, np.inf):
                    seeds[head], entry[head] = float(cost), int(e)
        stages.append(_Stage(pred, entry))
        if not seeds:
            return None
    # the last stage's seeds are the reached destination states
    target = min(seeds, key=seeds.get)
    total = seeds[target]
    edges: list[int] = []
    state = target
    for i in range(len(stages) - 1, -1, -1):
        stage = stages[i]
        # walk back inside stage i until the virtual source
        entry = stages[i - 1].entry_edge if i > 0 else {}
        walked, state = _walk(graph, weights, stage.pred, state)
        edges += walked
        if i > 0 and state in entry:
            e = entry[state]
            edges.append(e)
            state = int(graph.tail[e])
    edges.reverse()
    return total, edges
