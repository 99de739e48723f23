"""Property tests: on random multimodal networks the router's optimum equals an independent oracle,
and the route it returns obeys every rule of the query.

The oracle is networkx Dijkstra on a state graph built here from the raw data (nodes, links,
borders, parameters) by this module's own code: it imports none of corridors' compiler, costing
or rule helpers (no compiled graph, ``edge_weights``, ``country_edge_mask``, ``open_in``,
``months_mask``, ``Parameters.running_time_h`` or ``Parameters.transfer``). The random networks
have links through countries they do not end in (``via_countries``), navigation seasons, and
queries with a month, via points (places and links, in order) and flow rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
from corridors.routing.policies import FlowRule
from corridors.routing.result import Leg, TransferStep

COUNTRIES = ("AZ", "IR", "AM")
"""Countries of the random networks' nodes."""
TRANSIT = ("IR", "AM", "TR")
"""Countries a link may pass through without ending there; TR is no node's country."""
VALUE_OF_TIME = 10.0
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
    value_of_time_usd_per_teu_h=VALUE_OF_TIME,
    carbon_price_usd_per_t=0,
    cargo={"teu": CargoUnit("teu", 1, 10), "feu": CargoUnit("feu", 2, 20), "bulk_t": CargoUnit("bulk_t", 0.1, 1)},
)
CARGO = {"teu": CargoUnit("teu", 1, 10), "feu": CargoUnit("feu", 2, 20), "t:30": CargoUnit("30 t", 3.0, 30.0)}
"""The query's cargo and what it is, written out by hand (t:30 is 30 x bulk_t's 0.1 TEU and 1 t)."""
STATUSES = [Status.OPERATIONAL] * 4 + [Status.PLANNED, Status.UNDER_CONSTRUCTION, Status.CLOSED, Status.DISPUTED]


# --- random networks ---------------------------------------------------------------------------

@st.composite
def seasons(draw) -> tuple[int, ...]:
    """All year (mostly), or a stretch of 1 to 11 months that may run over the new year."""
    if draw(st.integers(0, 2)):
        return ()
    first, length = draw(st.integers(1, 12)), draw(st.integers(1, 11))
    return tuple(sorted((first - 1 + k) % 12 + 1 for k in range(length)))


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
        on_chain = k < n - 1 and chain  # mostly rail of one gauge: gauge changes on the way
        mode = draw(st.sampled_from([Mode.RAIL, Mode.RAIL, Mode.ROAD, Mode.SEA] + [Mode.RAIL] * 2 * on_chain))
        gauge_choices = [(1520,), (1435,)] + [(1435, 1520)] * (not on_chain)
        gauges = draw(st.sampled_from(gauge_choices)) if mode is Mode.RAIL else ()
        border = None
        if nodes[a].country != nodes[b].country and mode is not Mode.SEA:
            border = f"b{k}"
            borders.append(BorderCrossing(
                id=border, name=f"Border {k}", country_a=nodes[a].country, country_b=nodes[b].country, mode=mode,
                status=draw(st.sampled_from(STATUSES)), dwell_h=float(draw(st.integers(0, 48))),
                fee_usd=float(draw(st.integers(0, 300))), opens_year=draw(st.none() | st.integers(2018, 2032)),
            ))
        # a third of the links pass through one or two countries they do not end in (an AZ-AZ
        # railway through IR, a sea lane past EG's canal)
        via = draw(st.sampled_from([(), ()]) | st.lists(st.sampled_from(TRANSIT), min_size=1, max_size=2, unique=True))
        links.append(Link(
            id=f"l{k}", from_node=nodes[a].id, to_node=nodes[b].id, mode=mode,
            distance_km=float(draw(st.integers(1, 800))), status=draw(st.sampled_from(STATUSES)),
            length_source=LengthSource.ESTIMATE, gauges_mm=gauges,
            speed_kmh=draw(st.none() | st.sampled_from([15.0, 90.0])),
            time_h=draw(st.none() | st.sampled_from([3.0, 30.0])),
            wait_h=draw(st.sampled_from([0.0, 0.0, 24.0])),
            cost_usd_per_teu=draw(st.none() | st.sampled_from([50.0, 900.0])),
            oneway=draw(st.booleans()), opens_year=draw(st.none() | st.integers(2018, 2032)), border=border,
            via_countries=tuple(via), open_months=draw(seasons()),
        ))
    return Network("random", 2025, tuple(nodes), tuple(links), tuple(borders), (), PARAMS)


# --- the oracle's own reading of the raw data --------------------------------------------------

@dataclass(frozen=True)
class Query:
    """One random query, as the oracle reads it."""

    origin: str
    destination: str
    objective: str
    year: int
    month: int | None
    cargo_name: str
    carbon_usd_per_t: float
    avoid: frozenset[str]
    via: tuple[str, ...]
    rules: tuple[FlowRule, ...]

    @property
    def cargo(self) -> CargoUnit:
        return CARGO[self.cargo_name]

    def options(self) -> RouteOptions:
        return RouteOptions(objective=self.objective, year=self.year, month=self.month, cargo=self.cargo_name,
                            avoid_countries=self.avoid, carbon_price_usd_per_t=self.carbon_usd_per_t,
                            via=self.via, rules=self.rules)


class Raw:
    """Lookups over a network's raw tuples, built here rather than taken from the model's
    indexes, and the rules of a query resolved from the data as the options document them."""

    def __init__(self, net: Network, q: Query) -> None:
        self.net, self.q = net, q
        self.nodes = {node.id: node for node in net.nodes}
        self.links = {link.id: link for link in net.links}
        self.borders = {(b.id, b.mode): b for b in net.borders}
        ends = (self.nodes[q.origin].country, self.nodes[q.destination].country)
        self.blocked_countries = set(q.avoid)
        self.forbidden_links: set[str] = set()
        for rule in q.rules:
            if applies(rule, *ends):
                self.blocked_countries |= rule.forbid_transit - set(ends)
                self.forbidden_links |= {link.id for link in net.links if link.id in rule.forbid or link.border in rule.forbid}

    def countries(self, link: Link) -> set[str]:
        """Every country a link touches: its two ends' and those it passes through."""
        return {self.nodes[link.from_node].country, self.nodes[link.to_node].country, *link.via_countries}

    def usable(self, link: Link) -> bool:
        """Whether the query may use ``link``: open in its year (with its border) and month,
        touching no blocked country, and not forbidden by a rule."""
        border = self.borders.get((link.border, link.mode)) if link.border else None
        return (
            is_open(link.status, link.opens_year, self.q.year)
            and (border is None or is_open(border.status, border.opens_year, self.q.year))
            and (self.q.month is None or not link.open_months or self.q.month in link.open_months)
            and not self.countries(link) & self.blocked_countries
            and link.id not in self.forbidden_links
        )

    def link_figures(self, link: Link) -> tuple[float, float, float, float]:
        """(hours, USD, kg CO2e, km) of running ``link`` with its wait and border, for the query's cargo."""
        mp = PARAMS.modes[link.mode]
        hours = link.time_h if link.time_h is not None else link.distance_km / (link.speed_kmh or mp.speed_kmh)
        hours += link.wait_h
        usd = link.cost_usd_per_teu if link.cost_usd_per_teu is not None else link.distance_km * mp.cost_usd_per_teu_km
        if link.border:
            border = self.borders[(link.border, link.mode)]
            hours, usd = hours + border.dwell_h, usd + border.fee_usd
        cargo = self.q.cargo
        return hours, usd * cargo.teu_equivalent, link.distance_km * mp.co2e_g_per_tkm / 1000 * cargo.mass_t, link.distance_km

    def change_figures(self, at: str, a: tuple[Mode, int], b: tuple[Mode, int]) -> tuple[float, float, float] | None:
        """(hours, USD, kg CO2e) of changing from layer ``a`` to ``b`` (mode, gauge) at node ``at``,
        or None where the node cannot: a transfer between two modes it handles, or a gauge change
        at a gauge-change facility (its own figures, else the parameters' defaults)."""
        node, cargo = self.nodes[at], self.q.cargo
        if a[0] is not b[0]:
            if not {a[0], b[0]} <= node.handles:
                return None
            found = [t for t in PARAMS.transfers if t.modes == {a[0], b[0]}]
            if not found:
                return None
            return found[0].time_h, found[0].cost_usd_per_teu * cargo.teu_equivalent, found[0].co2e_kg_per_teu * cargo.teu_equivalent
        if a[0] is Mode.RAIL and a[1] != b[1] and node.gauge_change:
            hours = PARAMS.gauge_change_time_h if node.gauge_change_time_h is None else node.gauge_change_time_h
            usd = PARAMS.gauge_change_cost_usd_per_teu if node.gauge_change_cost_usd is None else node.gauge_change_cost_usd
            return hours, usd * cargo.teu_equivalent, 0.0
        return None

    def weight(self, hours: float, usd: float, co2: float, km: float) -> float:
        q = self.q
        return {
            "time": hours, "cost": usd, "co2": co2, "distance": km,
            "generalized": usd + VALUE_OF_TIME * q.cargo.teu_equivalent * hours + q.carbon_usd_per_t * co2 / 1000,
        }[q.objective]


def is_open(status: Status, opens: int | None, year: int) -> bool:
    if status is Status.OPERATIONAL:
        return (opens or 0) <= year
    if status in (Status.PLANNED, Status.UNDER_CONSTRUCTION):
        return opens is not None and opens <= year
    return False


def applies(rule: FlowRule, origin: str, destination: str) -> bool:
    """Whether a flow rule covers a flow between two countries, read from its documented fields."""
    return all((
        not rule.origin or origin in rule.origin,
        not rule.destination or destination in rule.destination,
        not rule.either_end or origin in rule.either_end or destination in rule.either_end,
        not rule.between or (origin != destination and {origin, destination} <= rule.between),
    ))


def oracle(net: Network, q: Query) -> float | None:
    """Least weight from origin to destination through the vias in order, or None.

    States are ("arr"|"dep", node, mode, gauge) in each stage 0..len(via): links run dep -> arr,
    staying on runs arr -> dep in the same layer, and a transfer or gauge change runs arr -> dep
    between layers (at most one per node visit). Passing a via place moves from stage k to k+1
    at an arrival there; a via link (or border crossing) is a stage k -> k+1 copy of its edges.
    Nodes in blocked countries have no arr -> dep edges: a route cannot pass through them.
    """
    raw = Raw(net, q)
    stages = len(q.via) + 1
    graph = nx.DiGraph()

    def add(u, v, w):
        if not graph.has_edge(u, v) or graph[u][v]["w"] > w:
            graph.add_edge(u, v, w=w)

    layers: dict[str, set[tuple[Mode, int]]] = {node.id: set() for node in net.nodes}
    link_edges: list[tuple[Link, tuple, tuple, float]] = []
    for link in net.links:
        ends = [(link.from_node, link.to_node)] + ([] if link.oneway else [(link.to_node, link.from_node)])
        for gauge in link.gauges_mm or (0,):
            layer = (link.mode, gauge)
            layers[link.from_node].add(layer)
            layers[link.to_node].add(layer)
            if raw.usable(link):
                w = raw.weight(*raw.link_figures(link))
                link_edges += [(link, ("dep", a, *layer), ("arr", b, *layer), w) for a, b in ends]
    for k in range(stages):
        for _, u, v, w in link_edges:
            add((k, *u), (k, *v), w)
        for node_id, here in layers.items():
            if raw.nodes[node_id].country in raw.blocked_countries:
                continue
            for a in here:
                add((k, "arr", node_id, *a), (k, "dep", node_id, *a), 0.0)
                for b in here:
                    figures = raw.change_figures(node_id, a, b) if a != b else None
                    if figures:
                        add((k, "arr", node_id, *a), (k, "dep", node_id, *b), raw.weight(*figures, 0.0))
    for k, item in enumerate(q.via):
        if item in raw.nodes:
            for layer in layers[item]:
                add((k, "arr", item, *layer), (k + 1, "arr", item, *layer), 0.0)
        for link, u, v, w in link_edges:
            if item in (link.id, link.border):
                add((k, *u), (k + 1, *v), w)
    for layer in layers[q.origin]:
        add("SOURCE", (0, "dep", q.origin, *layer), 0.0)
    for layer in layers[q.destination]:
        add((stages - 1, "arr", q.destination, *layer), "SINK", 0.0)
    try:
        return nx.dijkstra_path_length(graph, "SOURCE", "SINK", weight="w")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


def check_route(net: Network, q: Query, r) -> None:
    """The route obeys every rule of the query, and its figures, recomputed step by step from
    the raw data, add up to those it reports and to its objective value."""
    raw = Raw(net, q)
    assert r.legs[0].from_id == q.origin and r.legs[-1].to_id == q.destination
    # walk the links from the origin: they chain (one-way links forwards only), each is usable,
    # and the vias are passed in order (a place on arriving there, a link or border by using it)
    at, events = q.origin, []
    for leg in r.legs:
        assert leg.from_id == at
        assert not set(leg.countries) & raw.blocked_countries, (leg.countries, raw.blocked_countries)
        for link_id in leg.link_ids:
            link = raw.links[link_id]
            assert raw.usable(link), link
            assert Mode(leg.mode) is link.mode and (leg.gauge_mm or 0) in (link.gauges_mm or (0,))
            if link.from_node == at:
                at = link.to_node
            else:
                assert link.to_node == at and not link.oneway, (link, at)
                at = link.from_node
            events.append((link.id, link.border, at))
        assert leg.to_id == at
    assert at == q.destination
    position = 0
    for item in q.via:
        if item in raw.nodes:  # the arrival that ends the last stage may pass this place too
            found = [i for i in range(max(position, 1), len(events) + 1) if events[i - 1][2] == item]
        else:
            found = [i for i in range(position + 1, len(events) + 1) if item in events[i - 1][:2]]
        assert found, (item, q.via, events)
        position = found[0]

    # hours, USD, kg CO2e and km from the raw data: links, and each transfer or gauge change
    # priced between the layers of the legs on either side of it
    hours = usd = co2 = km = 0.0
    for leg in r.legs:
        for link_id in leg.link_ids:
            h, u, c, k = raw.link_figures(raw.links[link_id])
            hours, usd, co2, km = hours + h, usd + u, co2 + c, km + k
    steps = list(r.steps)
    for i, step in enumerate(steps):
        if not isinstance(step, TransferStep):
            continue
        before = [s for s in steps[:i] if isinstance(s, Leg)][-1]
        after = [s for s in steps[i + 1:] if isinstance(s, Leg)][0]
        assert before.to_id == step.at_id == after.from_id
        assert raw.nodes[step.at_id].country not in raw.blocked_countries
        figures = raw.change_figures(step.at_id, (Mode(before.mode), before.gauge_mm or 0), (Mode(after.mode), after.gauge_mm or 0))
        assert figures is not None, step
        assert (step.time_h, step.cost_usd, step.co2e_kg) == pytest.approx(figures)
        hours, usd, co2 = hours + figures[0], usd + figures[1], co2 + figures[2]
    assert r.time_h == pytest.approx(hours)
    assert r.cost_usd == pytest.approx(usd)
    assert r.co2e_kg == pytest.approx(co2)
    assert r.distance_km == pytest.approx(km)
    # the distance and CO2e objectives break ties by 1e-9 x hours: well inside abs=1e-5 here
    assert raw.weight(hours, usd, co2, km) == pytest.approx(r.objective_value, rel=1e-6, abs=1e-5)
    assert all(math.isfinite(s.time_h) for s in r.steps)


# --- random queries ----------------------------------------------------------------------------

@st.composite
def rules(draw, net: Network, ends: set[str]) -> FlowRule:
    """A flow rule on one kind of condition (or none), forbidding elements and the transit of at
    most one country besides any of the flow's own end countries (which a rule exempts)."""
    countries = st.frozensets(st.sampled_from(COUNTRIES), min_size=1)
    condition = draw(st.sampled_from(["always", "origin", "destination", "either_end", "between"]))
    when = {} if condition == "always" else {condition: draw(countries)}
    elements = [link.id for link in net.links] + [b.id for b in net.borders]
    own = draw(st.frozensets(st.sampled_from(sorted(ends)))) if ends else frozenset()
    forbid = draw(st.lists(st.sampled_from(elements), max_size=2, unique=True)) if elements else []
    return FlowRule(
        name=f"rule-{condition}", **when, forbid=tuple(forbid),
        forbid_transit=own | draw(st.frozensets(st.sampled_from(COUNTRIES + TRANSIT), max_size=1)),
    )


def queries(draw, net: Network) -> Query:
    ids = [n.id for n in net.nodes]
    o, d = draw(st.sampled_from([(ids[0], ids[-1])]) | st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
    nodes = {n.id: n for n in net.nodes}
    ends = {nodes[o].country, nodes[d].country}
    elements = ids + [link.id for link in net.links] + [b.id for b in net.borders]
    return Query(
        origin=o, destination=d,
        objective=draw(st.sampled_from(["time", "cost", "co2", "distance", "generalized"])),
        year=draw(st.integers(2017, 2033)),
        month=draw(st.none() | st.integers(1, 12)),
        cargo_name=draw(st.sampled_from(sorted(CARGO))),
        carbon_usd_per_t=draw(st.sampled_from([0.0, 100.0])),
        avoid=frozenset(draw(st.sets(st.sampled_from([c for c in COUNTRIES + TRANSIT if c not in ends])))),
        via=tuple(draw(st.sampled_from([[], []]) | st.lists(st.sampled_from(elements), min_size=1, max_size=2, unique=True))),
        rules=tuple(draw(st.sampled_from([[], []]) | st.lists(rules(net, ends), min_size=1, max_size=2))),
    )


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=networks(), data=st.data())
def test_router_matches_oracle_and_obeys_every_rule(net, data):
    q = queries(data.draw, net)
    expected = oracle(net, q)
    try:
        r = route(net, q.origin, q.destination, q.options())
    except NoRouteError:
        assert expected is None
        return
    assert expected is not None, r.to_dict()
    assert r.objective_value == pytest.approx(expected, rel=1e-6, abs=1e-5)
    check_route(net, q, r)


@given(rule=rules(Network("empty", 2025, (), (), (), (), PARAMS), set()), origin=st.sampled_from(COUNTRIES),
       destination=st.sampled_from(COUNTRIES))
def test_a_rule_applies_as_its_fields_say(rule, origin, destination):
    """The router asks a rule whether it covers a flow: its answer against :func:`applies`."""
    assert rule.applies(origin, destination) == applies(rule, origin, destination)


# --- hand-made cases the random networks must not miss -----------------------------------------

def _network(*links: Link, nodes: tuple[Node, ...]) -> Network:
    return Network("hand", 2025, nodes, links, (), (), PARAMS)


def _node(i: int, country: str) -> Node:
    return Node(id=f"n{i}", name=f"Node {i}", lon=float(i), lat=0.0, country=country, kind=NodeKind.JUNCTION)


def _rail(a: int, b: int, km: float, **kw) -> Link:
    return Link(id=f"n{a}--n{b}", from_node=f"n{a}", to_node=f"n{b}", mode=Mode.RAIL, distance_km=km,
                status=Status.OPERATIONAL, length_source=LengthSource.ESTIMATE, gauges_mm=(1520,), **kw)


def test_a_link_through_an_avoided_country_is_not_used_though_both_its_ends_are_allowed():
    """n0 - n1 both AZ: directly by 61 km through IR (like Aghband-Ordubad), or round by 200 +
    200 km through n2 (AZ). Avoiding IR takes the 400 km; a flow rule forbidding transit of IR
    does too; avoiding TR (no node's country, on no link) changes nothing."""
    nodes = (_node(0, "AZ"), _node(1, "AZ"), _node(2, "AZ"))
    net = _network(_rail(0, 1, 61, via_countries=("IR",)), _rail(0, 2, 200), _rail(2, 1, 200), nodes=nodes)
    assert route(net, "n0", "n1", RouteOptions(objective="distance")).distance_km == pytest.approx(61)
    for options in (RouteOptions(objective="distance", avoid_countries=frozenset({"IR"})),
                    RouteOptions(objective="distance", rules=(FlowRule("no-ir", forbid_transit=frozenset({"IR"})),))):
        r = route(net, "n0", "n1", options)
        assert r.distance_km == pytest.approx(400) and r.link_ids == ("n0--n2", "n2--n1")
        assert "IR" not in {c for leg in r.legs for c in leg.countries}
    assert route(net, "n0", "n1", RouteOptions(objective="distance", avoid_countries=frozenset({"TR"}))).distance_km == pytest.approx(61)
    with pytest.raises(NoRouteError):
        route(net, "n0", "n1", RouteOptions(avoid_countries=frozenset({"IR"}), via=("n0--n1",)))
