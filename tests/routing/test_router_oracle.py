"""Property tests: on random multimodal networks the router's optimum equals an independent oracle
(networkx Dijkstra on a state graph built here from the raw data, without corridors' compiler),
and a route's totals recomputed step by step from the raw data equal the reported figures."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors import NoRouteError, RouteOptions, route
from corridors.model import (
    BorderCrossing,
    CargoUnit,
    LengthSource,
    Link,
    Mode,
    ModeParameters,
    Network,
    Node,
    NodeKind,
    Parameters,
    Status,
    TransferParameters,
)

COUNTRIES = ("AZ", "IR", "AM")
PARAMS = Parameters(
    modes={
        Mode.ROAD: ModeParameters(60, 2.0, 80),
        Mode.RAIL: ModeParameters(40, 1.0, 20),
        Mode.SEA: ModeParameters(30, 0.2, 10),
        Mode.FERRY: ModeParameters(20, 1.0, 100),
        Mode.IWW: ModeParameters(10, 0.5, 30),
    },
    transfers=(
        TransferParameters(frozenset({Mode.RAIL, Mode.ROAD}), 0.5, 5, 2.0),
        TransferParameters(frozenset({Mode.RAIL, Mode.SEA}), 1, 20, 1.0),
        TransferParameters(frozenset({Mode.ROAD, Mode.SEA}), 1, 10, 0.5),
    ),
    gauge_change_time_h=1,
    gauge_change_cost_usd_per_teu=5,
    value_of_time_usd_per_teu_h=10,
    carbon_price_usd_per_t=0,
    cargo={"teu": CargoUnit("teu", 1, 10), "feu": CargoUnit("feu", 2, 20), "bulk_t": CargoUnit("bulk_t", 0.1, 1)},
)
STATUSES = [Status.OPERATIONAL] * 4 + [Status.PLANNED, Status.UNDER_CONSTRUCTION, Status.CLOSED, Status.DISPUTED]


@st.composite
def networks(draw):
    n = draw(st.integers(2, 6))
    nodes = []
    for i in range(n):
        own = draw(st.booleans())
        nodes.append(Node(
            id=f"n{i}", name=f"Node {i}", lon=float(i), lat=0.0, country=draw(st.sampled_from(COUNTRIES)),
            kind=NodeKind.JUNCTION,
            handles=draw(st.sampled_from([
                frozenset({Mode.RAIL, Mode.ROAD, Mode.SEA}), frozenset({Mode.RAIL, Mode.ROAD}),
                frozenset({Mode.RAIL, Mode.SEA}), frozenset(),
            ])),
            gauge_change=("bogie_exchange",) if draw(st.booleans()) else (),
            gauge_change_time_h=draw(st.sampled_from([0.5, 12.0])) if own else None,
            gauge_change_cost_usd=draw(st.sampled_from([10.0, 300.0])) if own else None,
        ))
    links, borders = [], []
    # half the networks start with a chain n0 - n1 - ... whose links change mode and gauge,
    # so that transfers and gauge changes are needed to get from n0 to the last node
    chain = draw(st.booleans())
    pairs = [(i, i + 1) for i in range(n - 1)] if chain else []
    extra = draw(st.integers(1, 16))
    pairs += [tuple(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))) for _ in range(extra)]
    for k, (a, b) in enumerate(pairs):
        mode = draw(st.sampled_from([Mode.RAIL, Mode.RAIL, Mode.ROAD, Mode.SEA]))
        gauges = draw(st.sampled_from([(1520,), (1435,), (1435, 1520)])) if mode is Mode.RAIL else ()
        border = None
        if nodes[a].country != nodes[b].country and mode is not Mode.SEA:
            border = f"b{k}"
            borders.append(BorderCrossing(
                id=border, name=f"Border {k}", country_a=nodes[a].country, country_b=nodes[b].country, mode=mode,
                status=draw(st.sampled_from(STATUSES)), dwell_h=float(draw(st.integers(0, 48))),
                fee_usd=float(draw(st.integers(0, 300))), opens_year=draw(st.none() | st.integers(2018, 2032)),
            ))
        links.append(Link(
            id=f"l{k}", from_node=nodes[a].id, to_node=nodes[b].id, mode=mode,
            distance_km=float(draw(st.integers(1, 800))), status=draw(st.sampled_from(STATUSES)),
            length_source=LengthSource.ESTIMATE, gauges_mm=gauges,
            speed_kmh=draw(st.none() | st.sampled_from([15.0, 90.0])),
            time_h=draw(st.none() | st.sampled_from([3.0, 30.0])),
            wait_h=draw(st.sampled_from([0.0, 0.0, 24.0])),
            cost_usd_per_teu=draw(st.none() | st.sampled_from([50.0, 900.0])),
            oneway=draw(st.booleans()), opens_year=draw(st.none() | st.integers(2018, 2032)), border=border,
        ))
    return Network("random", 2025, tuple(nodes), tuple(links), tuple(borders), (), PARAMS)


def _open(status: Status, opens: int | None, year: int) -> bool:
    if status is Status.OPERATIONAL:
        return (opens or 0) <= year
    if status in (Status.PLANNED, Status.UNDER_CONSTRUCTION):
        return opens is not None and opens <= year
    return False


def _figures(net: Network, link: Link, cargo: CargoUnit) -> tuple[float, float, float, float]:
    """(hours, USD, kg CO2e, km) of one link including its border, from the raw data."""
    mp = net.parameters.modes[link.mode]
    hours = (link.time_h if link.time_h is not None else link.distance_km / (link.speed_kmh or mp.speed_kmh)) + link.wait_h
    usd = link.cost_usd_per_teu if link.cost_usd_per_teu is not None else link.distance_km * mp.cost_usd_per_teu_km
    if link.border:
        border = net.border_by_key[(link.border, link.mode)]
        hours, usd = hours + border.dwell_h, usd + border.fee_usd
    return hours, usd * cargo.teu_equivalent, link.distance_km * mp.co2e_g_per_tkm / 1000 * cargo.mass_t, link.distance_km


def _weight(objective: str, hours: float, usd: float, co2: float, km: float, cargo: CargoUnit, carbon: float) -> float:
    return {
        "time": hours, "cost": usd, "co2": co2, "distance": km,
        "generalized": usd + 10 * cargo.teu_equivalent * hours + carbon * co2 / 1000,
    }[objective]


def _transfer_figures(net: Network, at: str, a: Mode, b: Mode, cargo: CargoUnit) -> tuple[float, float, float]:
    """Hours, USD and kg CO2e of a transfer (rail -> road) or a gauge change (rail -> rail) at
    node ``at``, from the network's raw parameters."""
    if a is b:  # a gauge change: the node's own figures, else the parameters' defaults
        node = net.node_by_id[at]
        hours = node.gauge_change_time_h if node.gauge_change_time_h is not None else net.parameters.gauge_change_time_h
        usd = node.gauge_change_cost_usd if node.gauge_change_cost_usd is not None else net.parameters.gauge_change_cost_usd_per_teu
        return hours, usd * cargo.teu_equivalent, 0.0
    t = net.parameters.transfer(a, b)
    return t.time_h, t.cost_usd_per_teu * cargo.teu_equivalent, t.co2e_kg_per_teu * cargo.teu_equivalent


def oracle(net: Network, o: str, d: str, objective: str, year: int, avoid: frozenset[str], cargo: CargoUnit, carbon: float):
    """Least weight from ``o`` to ``d`` on a networkx graph of ("arr"|"dep", node, mode, gauge) states:
    links run dep -> arr, staying on runs arr -> dep in the same layer, and at most one transfer or
    gauge change per node runs arr -> dep between layers."""
    graph = nx.DiGraph()
    nodes = net.node_by_id

    def add(u, v, w):
        if not graph.has_edge(u, v) or graph[u][v]["w"] > w:
            graph.add_edge(u, v, w=w)

    layers: dict[str, set] = {}
    for link in net.links:
        border = net.border_by_key.get((link.border, link.mode)) if link.border else None
        if not _open(link.status, link.opens_year, year) or (border and not _open(border.status, border.opens_year, year)):
            continue
        if {nodes[link.from_node].country, nodes[link.to_node].country} & avoid:
            continue
        w = _weight(objective, *_figures(net, link, cargo), cargo, carbon)
        for gauge in link.gauges_mm or (0,):
            layer = (link.mode, gauge)
            layers.setdefault(link.from_node, set()).add(layer)
            layers.setdefault(link.to_node, set()).add(layer)
            add(("dep", link.from_node, *layer), ("arr", link.to_node, *layer), w)
            if not link.oneway:
                add(("dep", link.to_node, *layer), ("arr", link.from_node, *layer), w)
    for node_id, here in layers.items():
        node = nodes[node_id]
        if node.country in avoid:
            continue
        for a in here:
            add(("arr", node_id, *a), ("dep", node_id, *a), 0.0)
            for b in here:
                if a[0] != b[0] and a[0] in node.handles and b[0] in node.handles:
                    t = net.parameters.transfer(a[0], b[0])
                    if t:
                        co2 = t.co2e_kg_per_teu * cargo.teu_equivalent
                        w = _weight(objective, t.time_h, t.cost_usd_per_teu * cargo.teu_equivalent, co2, 0, cargo, carbon)
                        add(("arr", node_id, *a), ("dep", node_id, *b), w)
                elif a[0] is Mode.RAIL and b[0] is Mode.RAIL and a[1] != b[1] and node.gauge_change:
                    hours, usd, _ = _transfer_figures(net, node_id, Mode.RAIL, Mode.RAIL, cargo)
                    add(("arr", node_id, *a), ("dep", node_id, *b), _weight(objective, hours, usd, 0, 0, cargo, carbon))
    for layer in layers.get(o, ()):
        graph.add_edge("SOURCE", ("dep", o, *layer), w=0.0)
    for layer in layers.get(d, ()):
        graph.add_edge(("arr", d, *layer), "SINK", w=0.0)
    try:
        return nx.dijkstra_path_length(graph, "SOURCE", "SINK", weight="w")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    net=networks(),
    data=st.data(),
)
def test_router_matches_oracle_and_totals_add_up(net, data):
    ids = [n.id for n in net.nodes]
    o, d = data.draw(st.sampled_from([(ids[0], ids[-1])]) | st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
    objective = data.draw(st.sampled_from(["time", "cost", "co2", "distance", "generalized"]))
    year = data.draw(st.integers(2017, 2033))
    cargo_name = data.draw(st.sampled_from(["teu", "feu", "t:30"]))
    carbon = data.draw(st.sampled_from([0.0, 100.0]))
    ends = {net.node_by_id[o].country, net.node_by_id[d].country}
    avoid = frozenset(data.draw(st.sets(st.sampled_from([c for c in COUNTRIES if c not in ends]))))
    options = RouteOptions(objective=objective, year=year, cargo=cargo_name, avoid_countries=avoid,
                           carbon_price_usd_per_t=carbon)
    cargo = PARAMS.cargo["teu"] if cargo_name == "teu" else PARAMS.cargo["feu"] if cargo_name == "feu" else CargoUnit("bulk", 3.0, 30.0)
    expected = oracle(net, o, d, objective, year, avoid, cargo, carbon)
    try:
        r = route(net, o, d, options)
    except NoRouteError:
        assert expected is None
        return
    assert expected is not None
    assert r.objective_value == pytest.approx(expected, rel=1e-6, abs=1e-6)

    # recompute the route step by step from the raw data
    hours = usd = co2 = km = 0.0
    for leg in r.legs:
        for link_id in leg.link_ids:
            h, u, c, k = _figures(net, net.link_by_id[link_id], cargo)
            hours, usd, co2, km = hours + h, usd + u, co2 + c, km + k
    for t in r.transfers:  # each from the raw parameters, as the oracle prices them
        h, u, c = _transfer_figures(net, t.at_id, t.from_mode, t.to_mode, cargo)
        assert (t.time_h, t.cost_usd, t.co2e_kg) == pytest.approx((h, u, c))
        hours, usd, co2 = hours + h, usd + u, co2 + c
    assert r.time_h == pytest.approx(hours)
    assert r.cost_usd == pytest.approx(usd)
    assert r.co2e_kg == pytest.approx(co2)
    assert r.distance_km == pytest.approx(km)
    assert _weight(objective, hours, usd, co2, km, cargo, carbon) == pytest.approx(r.objective_value, rel=1e-6, abs=1e-6)
    assert all(not (set(leg.countries) & avoid) for leg in r.legs)
    assert r.legs[0].from_id == o and r.legs[-1].to_id == d
    assert all(math.isfinite(s.time_h) for s in r.steps)
