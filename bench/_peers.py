"""Peer shortest-path engines on corridors' compiled state graph, with the router's time weights.

Both peers see exactly what ``route(..., RouteOptions(objective="time"))`` sees: the same
states and edges, weight ``run_time_h + border_time_h`` (hours), and the edges that the year
rule forbids (closed, disputed, or opening after the network year) removed.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from corridors.costs import edge_costs
from corridors.graph import MultimodalGraph

SINK = -1
"""Temporary networkx node joined to a query's destination states by 0 h edges."""


@dataclass(frozen=True)
class TimeGraph:
    """Usable edges of a compiled graph as a scipy CSR matrix of hours (parallel edges kept)."""

    matrix: csr_matrix
    tail: np.ndarray
    head: np.ndarray
    time_h: np.ndarray

    @property
    def n_states(self) -> int:
        return self.matrix.shape[0]


def time_graph(graph: MultimodalGraph, year: int) -> TimeGraph:
    """The state graph with time weights (h) and edges unusable in ``year`` removed.

    Built straight from the tail-sorted arrays: going through COO would sum parallel edges.
    """
    keep = graph.opens_year <= year
    tail, head = graph.tail[keep], graph.head[keep]
    costs = edge_costs(graph)
    time_h = (costs.run_time_h + costs.border_time_h)[keep]
    indptr = np.zeros(graph.n_states + 1, dtype=np.int32)
    np.cumsum(np.bincount(tail, minlength=graph.n_states), out=indptr[1:])
    matrix = csr_matrix((time_h, head.astype(np.int32), indptr), shape=(graph.n_states, graph.n_states))
    return TimeGraph(matrix, tail, head, time_h)


def components(tg: TimeGraph) -> np.ndarray:
    """Strongly connected component label of every state."""
    return connected_components(tg.matrix, directed=True, connection="strong")[1]


def scipy_time_h(tg: TimeGraph, origins: np.ndarray, destinations: np.ndarray) -> float:
    """Least time (h) from any origin state to any destination state: scipy's Dijkstra from all
    origins at once (``min_only``), settling the whole graph, with predecessors as a router needs."""
    dist, _pred, _src = dijkstra(tg.matrix, directed=True, indices=origins, min_only=True, return_predecessors=True)
    return float(dist[destinations].min())


def networkx_graph(tg: TimeGraph) -> nx.DiGraph:
    """A DiGraph of the same edges, parallel edges collapsed to their least time (h)."""
    order = np.lexsort((tg.time_h, tg.head, tg.tail))
    tail, head, time_h = tg.tail[order], tg.head[order], tg.time_h[order]
    first = np.ones(len(tail), dtype=bool)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    g = nx.DiGraph()
    g.add_nodes_from(range(tg.n_states))
    g.add_weighted_edges_from(zip(tail[first].tolist(), head[first].tolist(), time_h[first].tolist()))
    return g


def attach_sink(g: nx.DiGraph, destinations: np.ndarray) -> None:
    """Join every destination state to ``SINK`` by a 0 h edge (undo with ``g.remove_node(SINK)``)."""
    g.add_weighted_edges_from((int(s), SINK, 0.0) for s in destinations)


def networkx_time_h(g: nx.DiGraph, origins: np.ndarray) -> float:
    """Least time (h) from any origin state to ``SINK``; stops as soon as the sink is settled."""
    length, _path = nx.multi_source_dijkstra(g, {int(s) for s in origins}, target=SINK)
    return float(length)
