"""The world route builder against ``reference_build``, a run-by-run builder kept apart from
the library's as the oracle. It began as the library's previous builder; since then it names
nodes by brute-force haversine, prices default crossings from the crossing rules (customs
unions and gauge changes included), and gives leg geometry as (n, 2) arrays, as the library now
does. Every field of every step must be identical (floats bit for bit), on shortest paths
between all places of a tiny world and on random walks over its arcs (which cross borders,
ports, atlas links and straits in any order)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridors.geo import haversine_km
from corridors.model import Mode, Status
from corridors.routing._build import build_route
from corridors.routing.options import cargo_unit
from corridors.routing.result import BorderStep, Leg, Route, TransferKind, TransferStep
from corridors.world._build import Namer, WorldRouteBuilder, _ordered_distinct, _run_sums, named_places
from corridors.world.marnet import Ports
from corridors.model import MODES
from corridors.world.multimodal import ArcKind, WorldGraph, build_world_graph
from corridors.world.router import WorldOptions, WorldRouter
from tests.world.test_world_router import _layer

# --- the reference: a run-by-run builder (see the module docstring for how it has moved) -------

_LAYER_NAMES = ("rail", "road", "sea", "atlas")
_SOURCES = {"rail": "osm-scgraph-rail", "road": "osm-scgraph-road", "sea": "searoute-marnet"}


def _reference_union(world: WorldGraph, mode: str, arc: int) -> dict | None:
    """The customs union both countries of a border arc belong to, if it sets this mode."""
    pair = {world.countries[world.border_from[arc]], world.countries[world.border_to[arc]]}
    return next((u for u in world.crossing_rules.get("customs_unions", []) if pair <= set(u["members"]) and mode in u), None)


def _reference_border_sources(world: WorldGraph, mode: str, arc: int) -> tuple[str, ...]:
    rules = world.crossing_rules
    union = _reference_union(world, mode, arc)
    ids = list(union["source_ids"] if union else rules["default_crossing"][mode]["source_ids"])
    gauges = world.country_gauge_mm
    if mode == "rail" and gauges[world.border_from[arc]] != gauges[world.border_to[arc]]:
        ids += rules["gauge_source_ids"] + list(world.atlas.parameters.gauge_change_source_ids)
    return tuple(dict.fromkeys(ids))


class ReferenceNamer:
    """Names for world nodes: an atlas node's label; else the nearest atlas place or sea port
    within ``within_km`` ("near Poti, GE"); else coordinates and country."""

    def __init__(self, world: WorldGraph, within_km: float = 30.0) -> None:
        self.world, self.within_km = world, within_km
        self.names, self.lons, self.lats = named_places(world)  # the same places; the search below is its own

    def __call__(self, node: int) -> str:
        w = self.world
        if _LAYER_NAMES[w.layer[node]] == "atlas":
            return w.atlas.nodes[w.atlas_graph.state_node[w.ref[node]]].label
        lon, lat = float(w.lon[node]), float(w.lat[node])
        distances = haversine_km(lon, lat, self.lons, self.lats)  # brute force, not the builder's KD-tree
        i = int(np.argmin(distances))
        km = float(distances[i])
        if km <= self.within_km:
            return self.names[i] if km < 1 else f"near {self.names[i]}"
        code = w.country[node]
        return f"{lat:.2f}, {lon:.2f} ({w.countries[code] if code >= 0 else 'at sea'})"


def _reference_ordered_unique(values: np.ndarray) -> list[int]:
    """Distinct values in order of first appearance (vectorised)."""
    unique, first = np.unique(values, return_index=True)
    return unique[np.argsort(first)].tolist()


def _reference_line_leg(world: WorldGraph, arcs: np.ndarray, km_before: float, cargo, name) -> Leg:
    """One leg over a run of base and connector arcs of one mode (vectorised)."""
    params = world.atlas.parameters
    mode = MODES[world.mode[arcs[0]]]
    mp = params.modes[mode]
    dist = float(world.distance_km[arcs].sum(dtype=np.float64))
    nodes = np.concatenate([world.tail[arcs[:1]], world.head[arcs]])
    layers = {_LAYER_NAMES[x] for x in np.unique(world.layer[nodes]).tolist()} - {"atlas"}
    choke = [world.chokepoints[c] for c in _reference_ordered_unique(world.chokepoint[arcs]) if c >= 0]
    countries = [world.countries[c] for c in _reference_ordered_unique(world.country[nodes]) if c >= 0]
    first, last = int(nodes[0]), int(nodes[-1])
    return Leg(
        mode=mode, from_id=f"world:{first}", to_id=f"world:{last}", from_name=name(first), to_name=name(last),
        start_km=km_before, distance_km=dist, time_h=dist / mp.speed_kmh,
        cost_usd=dist * mp.cost_usd_per_teu_km * cargo.teu_equivalent, co2e_kg=dist * mp.co2e_g_per_tkm / 1000 * cargo.mass_t,
        countries=tuple(countries), link_ids=(), status=Status.OPERATIONAL, opens_year=None, gauge_mm=None,
        corridors=tuple(choke), source_ids=tuple(dict.fromkeys([*(_SOURCES[x] for x in sorted(layers)), *mp.source_ids])),
        geometry=np.column_stack([world.lon[nodes], world.lat[nodes]]),
    )


def reference_build(world: WorldGraph, arcs: np.ndarray, options: WorldOptions, origin: str, destination: str,
                    value: float, snaps_km: tuple[float, float], name=None) -> Route:
    """Legs, borders and transfers of a world path (arc indices in travel order), built run by
    run: a run is a maximal stretch of atlas arcs, or of base and connector arcs of one mode."""
    params = world.atlas.parameters
    cargo = cargo_unit(params, options.cargo)
    name = name or ReferenceNamer(world)
    arcs = np.asarray(arcs, dtype=np.int64)
    kind = world.kind[arcs]
    # a run's class: atlas 0, line haul 1 (base or connector, by mode), border 2, port 3
    cls = np.select([kind == ArcKind.ATLAS, kind == ArcKind.BORDER, kind == ArcKind.PORT], [0, 2, 3], 1)
    key = cls * 100 + np.where(cls == 1, world.mode[arcs], 0)
    cut = np.flatnonzero((key[1:] != key[:-1]) | (cls[1:] >= 2) | (cls[:-1] >= 2)) + 1
    steps: list = []
    km = 0.0
    for run in np.split(arcs, cut) if len(arcs) else []:
        c = {ArcKind.ATLAS: 0, ArcKind.BORDER: 2, ArcKind.PORT: 3}.get(int(world.kind[run[0]]), 1)
        if c == 0:
            g = world.atlas_graph
            edges = world.atlas_edge[run].tolist()
            first = world.atlas.nodes[g.state_node[g.tail[edges[0]]]]
            last = world.atlas.nodes[g.state_node[g.head[edges[-1]]]]
            part = build_route(g, edges, cargo, origin=first, destination=last, objective=options.objective,
                               objective_value=0.0, year=options.year or world.atlas.as_of_year)
            for step in part.steps:
                field = "start_km" if isinstance(step, Leg) else "at_km"
                steps.append(dataclasses.replace(step, **{field: getattr(step, field) + km}))
            km += part.distance_km
        elif c == 1:
            steps.append(_reference_line_leg(world, run, km, cargo, name))
            km += steps[-1].distance_km
        elif c == 2:
            a = int(run[0])
            leg = _reference_line_leg(world, run, km, cargo, name)
            steps.append(leg)
            km += leg.distance_km
            mode = MODES[world.mode[a]]
            mp = params.modes[mode]
            dist = float(world.distance_km[a])
            a_from, a_to = world.countries[world.border_from[a]], world.countries[world.border_to[a]]
            union = _reference_union(world, mode.value, a)
            label = f"inside the {union['name']}" if union else "default"
            figures = union[mode.value] if union else world.crossing_rules["default_crossing"][mode.value]
            gauges = world.country_gauge_mm
            change = mode is Mode.RAIL and gauges[world.border_from[a]] != gauges[world.border_to[a]]
            hours = figures["dwell_h"] + (params.gauge_change_time_h if change else 0.0)
            usd = figures["fee_usd"] + (params.gauge_change_cost_usd_per_teu if change else 0.0)
            # the arc itself carries the same dwell and fee on top of its running (float32 weights)
            assert float(world.costs.time_h[a]) - dist / mp.speed_kmh == pytest.approx(hours, abs=1e-4)
            assert float(world.costs.cost_usd[a]) - dist * mp.cost_usd_per_teu_km == pytest.approx(usd, abs=1e-3)
            node = int(world.head[a])
            steps.append(BorderStep(
                border_id="", name=f"{a_from}-{a_to} {mode.value} crossing ({label})", mode=mode,
                from_country=a_from, to_country=a_to, at_km=km, time_h=hours,
                time_p90_h=None, cost_usd=usd * cargo.teu_equivalent,
                status=Status.OPERATIONAL, link_id="", source_ids=_reference_border_sources(world, mode.value, a),
                lon=float(world.lon[node]), lat=float(world.lat[node]),
            ))
        else:
            a = int(run[0])
            t, h = int(world.tail[a]), int(world.head[a])
            modes = [_LAYER_NAMES[world.layer[t]], _LAYER_NAMES[world.layer[h]]]
            transfer = params.transfer(Mode(modes[0]), Mode(modes[1]))
            steps.append(TransferStep(
                at_id=f"world:{h}", at_name=name(h), kind=TransferKind.TRANSFER,
                from_mode=Mode(modes[0]), to_mode=Mode(modes[1]), from_gauge_mm=None, to_gauge_mm=None,
                at_km=km, time_h=float(world.costs.time_h[a]), cost_usd=float(world.costs.cost_usd[a]) * cargo.teu_equivalent,
                co2e_kg=float(world.costs.co2e_kg_per_teu[a]) * cargo.teu_equivalent,
                source_ids=(transfer.source_ids if transfer else ()), lon=float(world.lon[h]), lat=float(world.lat[h]),
            ))
    return Route(
        origin_id="", destination_id="", origin_name=origin, destination_name=destination,
        objective=options.objective, objective_value=value, year=options.year or world.atlas.as_of_year,
        cargo=cargo, steps=tuple(steps), snaps_km=snaps_km, month=options.month,
    )


# --- comparison ---------------------------------------------------------------------------------

def _assert_identical(got, want, where: str) -> None:
    """Equal values of the same type, recursively; arrays equal in dtype, shape and values. Floats
    agree to 1e-6 relative: the product sums the float32 figures of the arcs it routed on, the
    reference prices a leg from its km and the mode's parameters in float64."""
    assert type(got) is type(want), f"{where}: {type(got).__name__} != {type(want).__name__}"
    if isinstance(want, np.ndarray):
        assert got.dtype == want.dtype and got.shape == want.shape, where
        assert np.array_equal(got, want), where
    elif isinstance(want, tuple):
        assert len(got) == len(want), f"{where}: {got!r} != {want!r}"
        for k, (a, b) in enumerate(zip(got, want)):
            _assert_identical(a, b, f"{where}[{k}]")
    elif dataclasses.is_dataclass(want):
        for f in dataclasses.fields(want):
            _assert_identical(getattr(got, f.name), getattr(want, f.name), f"{where}.{f.name}")
    else:
        both_nan = isinstance(want, float) and math.isnan(want) and math.isnan(got)
        close = isinstance(want, float) and got == pytest.approx(want, rel=1e-6, abs=1e-9)
        assert got == want or both_nan or close, f"{where}: {got!r} != {want!r}"


def assert_same_route(got: Route, want: Route) -> None:
    """Every field of the route and of each of its steps identical (geometry included; floats
    to 1e-6 relative), and so their exports (rounded figures within one unit of rounding)."""
    _assert_identical(got, want, "route")
    _assert_close_export(got.to_dict(), want.to_dict(), "to_dict")


def _assert_close_export(got, want, where: str) -> None:
    if isinstance(want, dict):
        assert got.keys() == want.keys(), where
        for key in want:
            _assert_close_export(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list):
        assert len(got) == len(want), where
        for k, (a, b) in enumerate(zip(got, want)):
            _assert_close_export(a, b, f"{where}[{k}]")
    elif isinstance(want, float):
        assert got == pytest.approx(want, rel=1e-6, abs=0.011), f"{where}: {got!r} != {want!r}"
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


# --- a tiny world with every kind of arc --------------------------------------------------------

def _tagged(layer, tags: dict[frozenset, int], names: tuple[str, ...]):
    """``layer`` with its edges between the given node pairs tagged as chokepoints."""
    codes = np.full(layer.n_edges, -1, dtype=np.int16)
    for i, (u, v) in enumerate(zip(layer.tail(), layer.head)):
        codes[i] = tags.get(frozenset((int(u), int(v))), -1)
    return dataclasses.replace(layer, chokepoint=codes, chokepoints=names)


def _tiny_world(*, sea: bool) -> WorldGraph:
    """Rail and road (and, with ``sea``, sea lanes and two ports) around the tiny atlas."""
    from corridors import read_network
    from tests.conftest import FIXTURES

    atlas = read_network(FIXTURES / "tiny")
    # road as in test_world_router: P - X (AZ->IR, covered by the atlas: dropped) - K (IR->TR default)
    road = _layer("road", [(0.0, -0.04), (3.0, 0.02), (7.0, 0.02)], [(0, 1), (1, 2)])
    # rail: by P (AZ), 0.5 km from Q (named exactly), by T (IR), in TR (IR->TR default, same gauge)
    # and in AM (IR->AM default, with a gauge change); AZ->IR is the atlas's R-S crossing only
    rail = _layer("rail", [(0.0, -0.02), (1.0, 0.005), (3.0, 0.03), (7.0, 0.03), (2.0, 1.5)],
                  [(0, 1), (1, 2), (2, 3), (2, 4)])
    if not sea:
        return build_world_graph(atlas, {"rail": rail, "road": road})
    # sea: S0 off P, S1, S2 off K, S3 a detour south; two passages, one of them on two lanes
    lanes = _tagged(_layer("sea", [(0.0, -0.3), (4.0, -0.3), (8.0, -0.3), (4.0, -2.0)],
                           [(0, 1), (1, 2), (0, 3), (3, 2)]),
                    {frozenset((0, 1)): 0, frozenset((1, 2)): 1, frozenset((3, 2)): 0}, ("strait", "canal"))
    ports = Ports(name=("Pport", "Kport"), code=("AZPPT", "TRKPT"), country=("AZ", "TR"),
                  country_name=("Azerbaijan", "Turkey"), lon=np.array([0.0, 7.0]), lat=np.array([-0.12, -0.1]),
                  node=np.array([0, 2], dtype=np.int32))
    return build_world_graph(atlas, {"rail": rail, "road": road, "sea": lanes}, ports)


@pytest.fixture(scope="module")
def world() -> WorldGraph:
    return _tiny_world(sea=True)


@pytest.fixture(scope="module")
def router(world: WorldGraph, tmp_path_factory) -> WorldRouter:
    return WorldRouter(world, engine="scipy", cache_dir=tmp_path_factory.mktemp("cache"))


OPTIONS = [
    WorldOptions(objective="distance", closed_chokepoints=frozenset()),
    WorldOptions(objective="time", cargo="feu"),
    WorldOptions(objective="generalized", cargo="t:500", year=2035, month=7),
]


def _compare(world: WorldGraph, arcs, options: WorldOptions, builder: WorldRouteBuilder) -> Route:
    args = (np.asarray(arcs), options, "from", "to", 1.5, (0.25, 0.0))
    got = builder.build(*args)
    assert_same_route(got, reference_build(world, *args, ReferenceNamer(world)))
    return got


def _kinds(route: Route) -> set[str]:
    """What a route exercises: step types, leg modes, atlas legs, chokepoints, port transfers and
    default (world) border crossings."""
    found = {type(s).__name__ for s in route.steps} | {f"leg:{leg.mode.value}" for leg in route.legs}
    found |= {"atlas" for leg in route.legs if leg.link_ids} | {"corridor" for leg in route.legs if leg.corridors}
    found |= {"port" for t in route.transfers if t.at_id.startswith("world:")}
    found |= {"default border" for b in route.border_crossings if not b.border_id}
    found |= {"union border" for b in route.border_crossings if "inside the" in b.name}
    return found


EVERY_KIND = {"Leg", "BorderStep", "TransferStep", "leg:rail", "leg:road", "leg:sea", "atlas", "corridor", "port",
              "default border"}


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: o.objective)
def test_shortest_paths_between_all_nodes(world: WorldGraph, router: WorldRouter, options: WorldOptions) -> None:
    metric = router.query(options).solver.metric
    builder, seen, n = WorldRouteBuilder(world), set(), 0
    for source in range(world.n_nodes):
        for target in range(world.n_nodes):
            _, arcs = metric.path(source, target)
            if source != target and len(arcs):
                seen |= _kinds(_compare(world, arcs, options, builder))
                n += 1
    assert n > 1000
    assert EVERY_KIND - {"corridor"} <= seen  # closed straits may hide the corridors


def _random_walk(world: WorldGraph, seed: int, length: int) -> np.ndarray:
    """Arcs of a random walk (any arc out of the current node, U-turns allowed)."""
    order = np.argsort(world.tail, kind="stable")
    starts = np.searchsorted(world.tail[order], np.arange(world.n_nodes + 1))
    rng = np.random.default_rng(seed)
    node, arcs = int(rng.integers(world.n_nodes)), []
    for _ in range(length):
        out = order[starts[node]:starts[node + 1]]
        if not len(out):
            break
        arcs.append(int(out[rng.integers(len(out))]))
        node = int(world.head[arcs[-1]])
    return np.asarray(arcs, dtype=np.int64)


def test_random_walks_cover_every_kind_of_step(world: WorldGraph) -> None:
    builder, seen = WorldRouteBuilder(world, atlas_cache=8), set()  # a small cache: hits and evictions
    for seed in range(400):
        arcs = _random_walk(world, seed, 1 + seed % 60)
        seen |= _kinds(_compare(world, arcs, OPTIONS[seed % 3], builder))
    assert EVERY_KIND <= seen


def test_random_walks_on_land_only() -> None:
    land = _tiny_world(sea=False)  # no chokepoints, no ports
    assert not land.chokepoints and land.ports is None
    builder, seen = WorldRouteBuilder(land), set()
    for seed in range(100):
        seen |= _kinds(_compare(land, _random_walk(land, seed, 1 + seed % 40), OPTIONS[seed % 3], builder))
    assert {"Leg", "BorderStep", "default border", "leg:rail", "leg:road", "atlas"} <= seen


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), length=st.integers(0, 80))
def test_random_walks_property(world: WorldGraph, seed: int, length: int) -> None:
    _compare(world, _random_walk(world, seed, length), OPTIONS[seed % 3], WorldRouteBuilder(world))


def test_router_routes_equal_the_reference(world: WorldGraph, router: WorldRouter) -> None:
    options = WorldOptions(objective="distance", closed_chokepoints=frozenset())
    for origin, destination in [("p", "Kport"), ("Pport", "Kport"), ("0.0,7.0", "t"), ("u", "0.0,7.0"), ("q", "t")]:
        got = router.route(origin, destination, options)
        o, d = router.endpoint(origin, "origin"), router.endpoint(destination, "destination")
        metric = router.query(options).solver.metric
        dist = metric.matrix(o.nodes, d.nodes)
        i, j = np.unravel_index(np.argmin(dist), dist.shape)
        value, arcs = metric.path(int(o.nodes[i]), int(d.nodes[j]))
        assert_same_route(got, reference_build(world, arcs, options, o.label, d.label, value, (float(o.snaps_km[i]), float(d.snaps_km[j]))))


def test_batch_names_equal_one_by_one(world: WorldGraph) -> None:
    nodes = np.arange(world.n_nodes)
    reference = ReferenceNamer(world)
    assert Namer(world).names(nodes) == [reference(int(n)) for n in nodes]
    assert Namer(world).names(np.empty(0, dtype=np.int64)) == []


def test_empty_path(world: WorldGraph) -> None:
    route = _compare(world, np.empty(0, dtype=np.int64), OPTIONS[0], WorldRouteBuilder(world))
    assert route.steps == ()


def test_ordered_distinct_per_group() -> None:
    values = np.array([3, 3, -1, 1, 3, 2, 2, -1, 2, 2, 5], dtype=np.int16)
    assert _ordered_distinct(values, np.array([0, 5, 9])) == [[3, 1], [2], [2, 5]]
    assert _ordered_distinct(np.array([-1, -1]), np.array([0, 1])) == [[], []]


def test_run_sums_match_plain_sums_per_column_even_for_long_runs() -> None:
    rng = np.random.default_rng(4)
    rows = rng.uniform(0, 50, (50_003, 4)).astype(np.float32)  # one run longer than np.getbufsize()
    starts = np.array([0, 50_000, 50_002])
    got = _run_sums(rows, starts)
    for column in range(4):
        want = [float(rows[a:b, column].sum(dtype=np.float64)) for a, b in ((0, 50_000), (50_000, 50_002), (50_002, 50_003))]
        assert got[column] == pytest.approx(want, rel=1e-12)


def test_a_border_inside_a_customs_union_matches_the_reference(monkeypatch) -> None:
    """With IR and TR in one (made-up) customs union, random walks that cross IR-TR give the
    union's border steps, equal to the reference's."""
    from corridors.world import multimodal

    rules = multimodal.load_crossing_rules()
    union = {"id": "test", "name": "test union", "members": ["IR", "TR"], "road": {"dwell_h": 0.5, "fee_usd": 0},
             "rail": {"dwell_h": 1.0, "fee_usd": 10}, "source_ids": ["assumption-world-customs-union-crossing"]}
    monkeypatch.setattr(multimodal, "load_crossing_rules", lambda: {**rules, "customs_unions": [union]})
    world, seen = _tiny_world(sea=False), set()
    builder = WorldRouteBuilder(world)
    for seed in range(40):
        seen |= _kinds(_compare(world, _random_walk(world, seed, 1 + seed % 40), OPTIONS[seed % 3], builder))
    assert {"union border", "default border"} <= seen
