"""Turn a path of graph edges into a Route: legs, border crossings and transfers in order."""

from __future__ import annotations

from dataclasses import dataclass, field

from corridors.costs import edge_costs
from corridors.graph import EdgeKind, MultimodalGraph
from corridors.model import CargoUnit, Link, Node, Status
from corridors.routing.result import BorderStep, Leg, Route, Step, TransferKind, TransferStep


_LINK, _GAUGE_CHANGE, _THROUGH = int(EdgeKind.LINK), int(EdgeKind.GAUGE_CHANGE), int(EdgeKind.THROUGH)


@dataclass
class _OpenLeg:
    key: tuple
    link: Link
    start_km: float
    first: Node
    last: Node
    distance_km: float = 0.0
    time_h: float = 0.0
    cost_usd: float = 0.0
    co2e_kg: float = 0.0
    countries: list[str] = field(default_factory=list)
    link_ids: list[str] = field(default_factory=list)
    corridors: list[str] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)
    geometry: list[tuple[float, float]] = field(default_factory=list)


def _p90(hours: float) -> float | None:
    return None if hours != hours else float(hours)  # NaN: not published


def build_route(
    graph: MultimodalGraph,
    edges: list[int],
    cargo: CargoUnit,
    *,
    origin: Node,
    destination: Node,
    objective: str,
    objective_value: float,
    year: int,
    snaps_km: tuple[float, float] = (0.0, 0.0),
    month: int | None = None,
) -> Route:
    """Assemble the steps of a route from its edges (see :class:`Route` for units)."""
    net = graph.network
    params = net.parameters
    costs = edge_costs(graph)
    steps: list[Step] = []
    leg: _OpenLeg | None = None
    km = 0.0

    def close() -> None:
        nonlocal leg
        if leg is None:
            return
        link = leg.link
        steps.append(Leg(
            mode=link.mode, from_id=leg.first.id, to_id=leg.last.id,
            from_name=leg.first.label, to_name=leg.last.label, start_km=leg.start_km,
            distance_km=leg.distance_km, time_h=leg.time_h, cost_usd=leg.cost_usd, co2e_kg=leg.co2e_kg,
            countries=tuple(dict.fromkeys(leg.countries)), link_ids=tuple(leg.link_ids),
            status=link.status,
            opens_year=link.opens_year if link.status is not Status.OPERATIONAL else None,
            gauge_mm=leg.key[1] or None, corridors=tuple(dict.fromkeys(leg.corridors)),
            source_ids=tuple(dict.fromkeys(leg.source_ids)), geometry=tuple(leg.geometry),
        ))
        leg = None

    for e in edges:
        kind = int(graph.kind[e])
        if kind == _THROUGH:
            continue
        tail_node = net.nodes[graph.state_node[graph.tail[e]]]
        if kind != _LINK:
            close()
            a = graph.layers[graph.state_layer[graph.tail[e]]]
            b = graph.layers[graph.state_layer[graph.head[e]]]
            gauge = kind == _GAUGE_CHANGE
            if gauge:
                own = tail_node.gauge_change_time_h is not None or tail_node.gauge_change_cost_usd is not None
                sources = tail_node.source_ids if own else params.gauge_change_source_ids
            else:
                sources = params.transfer(a.mode, b.mode).source_ids
            steps.append(TransferStep(
                at_id=tail_node.id, at_name=tail_node.label,
                kind=TransferKind.GAUGE_CHANGE if gauge else TransferKind.TRANSFER,
                from_mode=a.mode, to_mode=b.mode, from_gauge_mm=a.gauge_mm or None, to_gauge_mm=b.gauge_mm or None,
                at_km=km,
                time_h=float(costs.run_time_h[e]),
                cost_usd=float(costs.run_cost_usd[e]) * cargo.teu_equivalent,
                co2e_kg=float(costs.co2e_kg_per_teu[e]) * cargo.teu_equivalent,
                source_ids=tuple(sources), lon=tail_node.lon, lat=tail_node.lat,
            ))
            continue
        link = net.links[graph.link[e]]
        head_node = net.nodes[graph.state_node[graph.head[e]]]
        layer = graph.layers[graph.state_layer[graph.tail[e]]]
        key = (link.mode, layer.gauge_mm, link.status, link.opens_year if link.status is not Status.OPERATIONAL else None)
        if leg is not None and leg.key != key:
            close()
        if leg is None:
            leg = _OpenLeg(key=key, link=link, start_km=km, first=tail_node, last=head_node)
        geometry = list(net.link_geometry(link))
        if not graph.forward[e]:
            geometry.reverse()
        countries = list(net.link_countries(link))
        if not graph.forward[e]:
            countries.reverse()
        leg.last = head_node
        leg.distance_km += link.distance_km
        leg.time_h += float(costs.run_time_h[e])
        leg.cost_usd += float(costs.run_cost_usd[e]) * cargo.teu_equivalent
        leg.co2e_kg += float(costs.co2e_kg_per_t[e]) * cargo.mass_t
        leg.countries += countries
        leg.link_ids.append(link.id)
        leg.corridors += link.corridors
        leg.source_ids += [*link.source_ids, *params.modes[link.mode].source_ids]
        leg.geometry += geometry if not leg.geometry else geometry[1:]
        if graph.border[e] < 0 and tail_node.country != head_node.country:
            close()
            steps.append(BorderStep(
                border_id="", name=f"customs at {head_node.name} (in port handling)",
                mode=link.mode, from_country=tail_node.country, to_country=head_node.country,
                at_km=km + link.distance_km, time_h=0.0, time_p90_h=None, cost_usd=0.0,
                status=Status.OPERATIONAL, link_id=link.id, source_ids=(), lon=head_node.lon, lat=head_node.lat,
            ))
        elif graph.border[e] >= 0:
            crossing = net.borders[graph.border[e]]
            post = head_node if head_node.kind.value == "border_post" and tail_node.kind.value != "border_post" else tail_node
            steps_km = km + link.distance_km / 2
            close()
            to_country = head_node.country
            if to_country == tail_node.country and link.via_countries:  # out and back in, e.g. via Iran
                to_country = link.via_countries[0] if graph.forward[e] else link.via_countries[-1]
            steps.append(BorderStep(
                border_id=crossing.id, name=crossing.name, mode=crossing.mode,
                from_country=tail_node.country, to_country=to_country, at_km=steps_km,
                time_h=float(costs.border_time_h[e]), time_p90_h=_p90(costs.dwell_p90_h[graph.border[e]]),
                cost_usd=float(costs.border_cost_usd[e]) * cargo.teu_equivalent,
                status=crossing.status, link_id=link.id, source_ids=crossing.source_ids,
                lon=post.lon, lat=post.lat,
            ))
        km += link.distance_km
    close()
    return Route(
        origin_id=origin.id, destination_id=destination.id,
        origin_name=origin.label, destination_name=destination.label,
        objective=objective, objective_value=objective_value, year=year, cargo=cargo,
        steps=tuple(steps), snaps_km=snaps_km, month=month,
    )
