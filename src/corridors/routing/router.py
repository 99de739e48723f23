"""Public routing functions: the best route, and materially different alternatives."""

from __future__ import annotations

import numpy as np

from corridors.errors import NoRouteError
from corridors.graph import MultimodalGraph
from corridors.model import Network
from corridors.routing.explain import explain_no_route
from corridors.routing.alternatives import check_k, penalty_alternatives
from corridors.routing.options import RouteOptions
from corridors.routing.prepare import PreparedRoute, prepare
from corridors.routing.result import Route

def route(network: Network, origin: str, destination: str, options: RouteOptions | None = None) -> Route:
    """The best route from ``origin`` to ``destination`` under ``options``.

    Parameters
    ----------
    network
        A network from :func:`corridors.load_atlas` or :func:`corridors.read_network`.
    origin, destination
        Place queries: node id, name or alias, ``"Name, CC"``, or ``"lat,lon"``.
    options
        Objective, cargo and rules; defaults to :class:`RouteOptions()`.

    Returns
    -------
    Route

    Raises
    ------
    UnknownPlaceError, AmbiguousPlaceError
        A place does not resolve to exactly one node.
    InvalidOptionError
        An option is invalid or contradicts the places (e.g. the origin lies in an avoided country).
    NoRouteError
        Nothing connects the places under the rules; its reasons name what blocks them.

    Examples
    --------
    >>> from corridors import load_atlas, route
    >>> r = route(load_atlas(), "Baku", "Tbilisi")
    >>> r.origin_name, r.destination_name
    ('Baku, AZ', 'Tbilisi, GE')
    >>> [b.from_country + ">" + b.to_country for b in r.border_crossings]
    ['AZ>GE']
    """
    return prepared_route(prepare(network, origin, destination, options))


def prepared_route(prepared: PreparedRoute) -> Route:
    """The best route of a prepared request (:func:`~corridors.routing.prepare.prepare`)."""
    found = prepared.query.path()
    if found is None:
        raise NoRouteError(prepared.origin.node.label, prepared.destination.node.label, explain_no_route(prepared))
    return prepared.build(found[1])


def alternative_routes(
    network: Network, origin: str, destination: str, k: int = 3, options: RouteOptions | None = None
) -> list[Route]:
    """Up to ``k`` routes that differ materially, best first.

    Each route found has its links' weights raised by ``PENALTY``; a candidate is kept only if it
    shares at most ``OVERLAP_LIMIT`` of its km with every route already kept, so alternatives are
    other corridors rather than detours of the same one. Reported figures are never penalised.
    """
    check_k(k)
    prepared = prepare(network, origin, destination, options)
    found = prepared.query.path()
    if found is None:
        raise NoRouteError(prepared.origin.node.label, prepared.destination.node.label, explain_no_route(prepared))
    graph = prepared.graph
    kept = penalty_alternatives(
        prepared.query, found[1], k,
        penalised_edges=lambda edges: _link_edges(graph, edges),
        overlap=lambda edges, other: _overlap(graph, edges, other),
    )
    return sorted((prepared.build(edges) for edges in kept), key=lambda r: r.objective_value)


def _link_edges(graph: MultimodalGraph, edges: np.ndarray) -> np.ndarray:
    """Every edge (both directions, all gauges) of the links ``edges`` run on."""
    links = np.unique(graph.link[edges])
    links = links[links >= 0]
    return np.concatenate([graph.link_edges(int(link)) for link in links]) if len(links) else np.empty(0, np.int64)


def _overlap(graph: MultimodalGraph, edges: np.ndarray, other: np.ndarray) -> float:
    """Share of the km of ``edges`` on links that ``other`` also uses (Python sets: paths are
    short, and numpy's set operations cost more than they save here)."""
    links = set(graph.link[other].tolist())
    total = shared = 0.0
    for link, km in zip(graph.link[edges].tolist(), graph.distance_km[edges].tolist()):
        if link >= 0:
            total += km
            if link in links:
                shared += km
    return shared / total if total else 1.0
