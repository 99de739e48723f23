"""Public routing functions: the best route, and materially different alternatives."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np

from corridors.errors import InvalidOptionError, NoRouteError, UnknownPlaceError
from corridors.graph import MultimodalGraph, compile_graph
from corridors.model import CargoUnit, Network
from corridors.routing import _kernel
from corridors.routing._build import build_route
from corridors.routing._explain import explain_no_route
from corridors.routing.options import RouteOptions, cargo_unit
from corridors.routing.places import PlaceMatch, resolve_place
from corridors.routing.policies import FlowRule
from corridors.routing.result import Route

OVERLAP_LIMIT = 0.6
"""An alternative may share at most this fraction of its km with any better route. A tuning
choice of this project (the usual penalty-method range is 0.5-0.8), not a published figure."""
PENALTY = 1.6
"""Weight multiplier on the links of each route found, to push the search elsewhere (a tuning
choice: lower finds near-copies, higher jumps to implausible detours)."""
ROUNDS_PER_ALTERNATIVE = 6
"""Penalised searches allowed per alternative asked for, before giving up on finding more."""


@dataclass(frozen=True)
class _Query:
    graph: MultimodalGraph
    options: RouteOptions
    origin: PlaceMatch
    destination: PlaceMatch
    cargo: CargoUnit
    year: int
    weights: np.ndarray
    masks: dict[str, np.ndarray]
    waypoints: tuple[_kernel.Waypoint, ...]

    def solve(self, weights: np.ndarray) -> tuple[float, list[int]] | None:
        return _kernel.staged_path(
            self.graph, weights, self.graph.departures(self.origin.node.id),
            self.graph.arrivals(self.destination.node.id), self.waypoints,
        )

    def build(self, edges: list[int]) -> Route:
        value = float(self.weights[edges].sum()) if edges else 0.0
        return build_route(
            self.graph, edges, self.cargo, origin=self.origin.node, destination=self.destination.node,
            objective=self.options.objective, objective_value=value, year=self.year,
            snaps_km=(self.origin.snap_km, self.destination.snap_km), month=self.options.month,
        )


def _element_edges(graph: MultimodalGraph, item: str) -> tuple[str, np.ndarray] | None:
    """Edges of a link id or border id, or None if ``item`` is neither."""
    net = graph.network
    if item in graph.link_index:
        return f"link {item}", graph.link_edges(item)
    border_indices = [i for i, b in enumerate(net.borders) if b.id == item]
    if border_indices:
        return f"border crossing {item}", np.flatnonzero(np.isin(graph.border, border_indices))
    return None


def _resolve_element(network: Network, item: str, modes=None) -> PlaceMatch:
    """Resolve a --via/--avoid item that is not a link or border id as a place, with
    suggestions from places, link ids and border ids if it is none of them."""
    try:
        return resolve_place(network, item, modes=modes)
    except UnknownPlaceError as exc:
        ids = [link.id for link in network.links] + list(dict.fromkeys(b.id for b in network.borders))
        close = difflib.get_close_matches(item.lower(), ids, n=3, cutoff=0.5)
        raise UnknownPlaceError(
            item, [*exc.suggestions[:3], *close], what="place, link id or border id"
        ) from None


def _prepare(network: Network, origin: str, destination: str, options: RouteOptions) -> _Query:
    graph = compile_graph(network)
    params = network.parameters
    o = resolve_place(network, origin, modes=options.modes)
    d = resolve_place(network, destination, modes=options.modes)
    if o.node.id == d.node.id:
        raise InvalidOptionError(f"origin and destination are the same place ({o.node.label})")
    for role, match in (("origin", o), ("destination", d)):
        if match.node.country in options.avoid_countries:
            raise InvalidOptionError(
                f"the {role} {match.node.label} lies in {match.node.country}, which the route must avoid"
            )
    avoid_edges: list[np.ndarray] = []
    for item in options.avoid:
        element = _element_edges(graph, item)
        if element is None:
            node = _resolve_element(network, item).node
            if node.id in (o.node.id, d.node.id):
                raise InvalidOptionError(f"cannot avoid {node.label}: it is the origin or destination")
            states = np.concatenate([graph.arrivals(node.id), graph.departures(node.id)])
            element = (node.label, np.flatnonzero(np.isin(graph.tail, states) | np.isin(graph.head, states)))
        avoid_edges.append(element[1])
    waypoints = []
    for item in options.via:
        element = _element_edges(graph, item)
        if element is None:
            node = _resolve_element(network, item, options.modes).node
            waypoints.append(_kernel.Waypoint(node.label, states=graph.arrivals(node.id)))
        else:
            waypoints.append(_kernel.Waypoint(element[0], edges=element[1]))
    year = options.year if options.year is not None else network.as_of_year
    cargo = cargo_unit(params, options.cargo)
    weights = _kernel.edge_weights(
        graph, options.objective, cargo,
        value_of_time_usd_per_teu_h=_default(options.value_of_time_usd_per_teu_h, params.value_of_time_usd_per_teu_h),
        carbon_price_usd_per_t=_default(options.carbon_price_usd_per_t, params.carbon_price_usd_per_t),
    )
    masks = _kernel.rule_masks(
        graph, year=year, modes=options.modes, avoid_countries=options.avoid_countries,
        avoid_edges=np.concatenate(avoid_edges) if avoid_edges else np.empty(0, dtype=np.int64),
        month=options.month,
    )
    for rule in options.rules:
        if rule.applies(o.node.country, d.node.country):
            masks[f"policy:{rule.name}"] = _policy_mask(graph, rule, o.node.country, d.node.country)
    return _Query(graph, options, o, d, cargo, year, weights, masks, tuple(waypoints))


def _policy_mask(graph: MultimodalGraph, rule: FlowRule, origin_country: str, destination_country: str) -> np.ndarray:
    """True where an edge obeys a flow rule for this origin and destination."""
    ok = np.ones(graph.n_edges, dtype=bool)
    for country in rule.transit_countries(origin_country, destination_country):
        ok &= ~graph.country_edge_mask(country)
    for item in rule.forbid:
        element = _element_edges(graph, item)
        if element is None:
            raise InvalidOptionError(f"rule {rule.name!r} forbids {item!r}, which is no link or border id")
        ok[element[1]] = False
    return ok


def _default(value: float | None, fallback: float) -> float:
    return fallback if value is None else value


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
    query = _prepare(network, origin, destination, options or RouteOptions())
    found = query.solve(_kernel.masked(query.weights, query.masks))
    if found is None:
        raise NoRouteError(query.origin.node.label, query.destination.node.label, explain_no_route(query))
    return query.build(found[1])


def alternative_routes(
    network: Network, origin: str, destination: str, k: int = 3, options: RouteOptions | None = None
) -> list[Route]:
    """Up to ``k`` routes that differ materially, best first.

    Each route found has its links' weights raised by ``PENALTY``; a candidate is kept only if it
    shares at most ``OVERLAP_LIMIT`` of its km with every route already kept, so alternatives are
    other corridors rather than detours of the same one. Reported figures are never penalised.
    """
    if k < 1:
        raise InvalidOptionError(f"alternatives must be 1 or more, got {k}")
    query = _prepare(network, origin, destination, options or RouteOptions())
    base = _kernel.masked(query.weights, query.masks)
    found = query.solve(base)
    if found is None:
        raise NoRouteError(query.origin.node.label, query.destination.node.label, explain_no_route(query))
    graph = query.graph
    kept: list[list[int]] = [found[1]]
    last = found[1]
    penalised = base.copy()
    for _ in range(ROUNDS_PER_ALTERNATIVE * k):
        if len(kept) >= k:
            break
        for link in {int(graph.link[e]) for e in last if graph.link[e] >= 0}:
            penalised[graph.link_edges(link)] *= PENALTY
        candidate = query.solve(penalised)
        if candidate is None:
            break
        last = candidate[1]
        if all(_overlap(graph, last, other) <= OVERLAP_LIMIT for other in kept):
            kept.append(last)
    routes = [query.build(edges) for edges in kept]
    return sorted(routes, key=lambda r: r.objective_value)


def _overlap(graph: MultimodalGraph, edges: list[int], other: list[int]) -> float:
    """Share of the km of ``edges`` on links that ``other`` also uses."""
    links = {int(graph.link[e]) for e in other if graph.link[e] >= 0}
    total = shared = 0.0
    for e in edges:
        if graph.link[e] >= 0:
            km = float(graph.distance_km[e])
            total += km
            if int(graph.link[e]) in links:
                shared += km
    return shared / total if total else 1.0
