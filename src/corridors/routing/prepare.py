"""Prepare a route request: resolve its places and rules into a :class:`PreparedQuery` on the
atlas graph, with everything needed to turn a path into a :class:`Route`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np

from corridors.costs import Prices, edge_cost_arrays, objective_weights
from corridors.errors import InvalidOptionError, UnknownPlaceError
from corridors.graph import MultimodalGraph, compile_graph
from corridors.model import CargoUnit, Network
from corridors.routing import _kernel
from corridors.routing._build import build_route
from corridors.routing.options import RouteOptions, cargo_unit
from corridors.routing.places import PlaceMatch, resolve_place
from corridors.routing.policies import FlowRule
from corridors.routing.query import AtlasEngine, PreparedQuery
from corridors.routing.result import Route


@dataclass(frozen=True)
class PreparedRoute:
    """A route request ready to answer: its places, cargo and network year, and its
    :class:`PreparedQuery` (weights, rules, origin and destination states, via points)."""

    graph: MultimodalGraph
    options: RouteOptions
    origin: PlaceMatch
    destination: PlaceMatch
    cargo: CargoUnit
    year: int
    query: PreparedQuery

    def build(self, edges, query: PreparedQuery | None = None) -> Route:
        """The :class:`Route` over ``edges``; its objective value from the unpenalised weights."""
        edges = [int(e) for e in edges]
        value = float(self.query.weights[edges].sum()) if edges else 0.0
        return build_route(
            self.graph, edges, self.cargo, origin=self.origin.node, destination=self.destination.node,
            objective=self.options.objective, objective_value=value, year=self.year,
            snaps_km=(self.origin.snap_km, self.destination.snap_km), month=self.options.month,
        )


def element_edges(graph: MultimodalGraph, item: str) -> tuple[str, np.ndarray] | None:
    """Edges of a link id or border id (with a label for it), or None if ``item`` is neither."""
    if item in graph.link_index:
        return f"link {item}", graph.link_edges(item)
    border_indices = [i for i, b in enumerate(graph.network.borders) if b.id == item]
    if border_indices:
        return f"border crossing {item}", np.flatnonzero(np.isin(graph.border, border_indices))
    return None


def node_edges(graph: MultimodalGraph, node_id: str) -> np.ndarray:
    """Every edge into or out of a node's states."""
    states = np.concatenate([graph.arrivals(node_id), graph.departures(node_id)])
    return np.flatnonzero(np.isin(graph.tail, states) | np.isin(graph.head, states))


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


def _default(value: float | None, fallback: float) -> float:
    return fallback if value is None else value


def prepare_rules(network: Network, options: RouteOptions) -> PreparedQuery:
    """The query of ``options`` on ``network``'s graph with no places yet: the objective's weights
    for the options' cargo and the rules that do not depend on the origin and destination
    (network year, season, modes, avoided countries, avoided places, links and borders)."""
    graph = compile_graph(network)
    params = network.parameters
    cargo = cargo_unit(params, options.cargo)
    prices = Prices(_default(options.value_of_time_usd_per_teu_h, params.value_of_time_usd_per_teu_h),
                    _default(options.carbon_price_usd_per_t, params.carbon_price_usd_per_t))
    weights = objective_weights(options.objective, edge_cost_arrays(graph), cargo, prices)
    avoid_edges = [element[1] if (element := element_edges(graph, item)) else node_edges(graph, _resolve_element(network, item).node.id)
                   for item in options.avoid]
    masks = _kernel.rule_masks(
        graph, year=network_year(network, options), modes=options.modes, avoid_countries=options.avoid_countries,
        avoid_edges=np.concatenate(avoid_edges) if avoid_edges else np.empty(0, dtype=np.int64), month=options.month,
    )
    return PreparedQuery(AtlasEngine(graph), weights, masks)


def network_year(network: Network, options: RouteOptions) -> int:
    """The network year a request is routed in: its options' year, else the data's own."""
    return options.year if options.year is not None else network.as_of_year


def policy_mask(graph: MultimodalGraph, rule: FlowRule, origin_country: str, destination_country: str) -> np.ndarray:
    """True where an edge obeys a flow rule for this origin and destination."""
    ok = np.ones(graph.n_edges, dtype=bool)
    for country in rule.transit_countries(origin_country, destination_country):
        ok &= ~graph.country_edge_mask(country)
    for item in rule.forbid:
        element = element_edges(graph, item)
        if element is None:
            raise InvalidOptionError(f"rule {rule.name!r} forbids {item!r}, which is no link or border id")
        ok[element[1]] = False
    return ok


def policy_key(rules, origin_country: str, destination_country: str) -> tuple:
    """What decides the flow-rule masks of a shipment: each applying rule's name and the transit
    countries it forbids for these ends (a rule exempts the flow's own end countries). Shipments
    with equal keys share one prepared query."""
    return tuple((rule.name, tuple(sorted(rule.transit_countries(origin_country, destination_country))))
                 for rule in rules if rule.applies(origin_country, destination_country))


def with_policies(query: PreparedQuery, graph: MultimodalGraph, rules, origin_country: str,
                  destination_country: str) -> PreparedQuery:
    """``query`` with the flow ``rules`` that apply from ``origin_country`` to ``destination_country``."""
    for rule in rules:
        if rule.applies(origin_country, destination_country):
            # two rules of one name (two scenarios stacked) both apply: restrict joins their masks
            query = query.restrict(f"policy:{rule.name}", policy_mask(graph, rule, origin_country, destination_country))
    return query


def via_waypoints(network: Network, graph: MultimodalGraph, options: RouteOptions) -> list[_kernel.Waypoint]:
    """The stages of ``options.via``: a place's arrival states, or a link's or border's edges."""
    waypoints = []
    for item in options.via:
        element = element_edges(graph, item)
        if element is None:
            node = _resolve_element(network, item, options.modes).node
            waypoints.append(_kernel.Waypoint(node.label, states=graph.arrivals(node.id)))
        else:
            waypoints.append(_kernel.Waypoint(element[0], edges=element[1]))
    return waypoints


def check_end(network: Network, graph: MultimodalGraph, options: RouteOptions, match: PlaceMatch, role: str) -> None:
    """Raise :class:`InvalidOptionError` if a route's ``role`` ("origin" or "destination") lies
    in an avoided country or is itself an avoided place."""
    if match.node.country in options.avoid_countries:
        raise InvalidOptionError(
            f"the {role} {match.node.label} lies in {match.node.country}, which the route must avoid"
        )
    for item in options.avoid:
        if element_edges(graph, item) is None and _resolve_element(network, item).node.id == match.node.id:
            raise InvalidOptionError(f"cannot avoid {match.node.label}: it is the origin or destination")


def prepare(network: Network, origin: str, destination: str, options: RouteOptions | None = None) -> PreparedRoute:
    """Resolve a route request on ``network`` into a :class:`PreparedRoute`.

    Raises
    ------
    UnknownPlaceError, AmbiguousPlaceError
        A place, via or avoided item does not resolve.
    InvalidOptionError
        The places are the same, one lies in an avoided country, or one is avoided.
    """
    options = options or RouteOptions()
    graph = compile_graph(network)
    o = resolve_place(network, origin, modes=options.modes)
    d = resolve_place(network, destination, modes=options.modes)
    if o.node.id == d.node.id:
        raise InvalidOptionError(f"origin and destination are the same place ({o.node.label})")
    check_end(network, graph, options, o, "origin")
    check_end(network, graph, options, d, "destination")
    base = prepare_rules(network, options)
    query = PreparedQuery(base.engine, base.weights, base.masks, origins=graph.departures(o.node.id),
                          destinations=graph.arrivals(d.node.id), waypoints=via_waypoints(network, graph, options))
    query = with_policies(query, graph, options.rules, o.node.country, d.node.country)
    return PreparedRoute(graph, options, o, d, cargo_unit(network.parameters, options.cargo), network_year(network, options), query)
