"""The world graph and router on tiny layers around the tiny atlas, against hand computations
and an independent Dijkstra on the same arcs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from corridors.costs import CrossingRule
from corridors.errors import NoRouteError, UnknownPlaceError
from corridors.geo import haversine_km
from corridors.geo.countries import country_names
from corridors.io import load_atlas
from corridors.model import Mode
from corridors.world import multimodal
from corridors.world.chokepoints import Chokepoint
from corridors.world.layers import layer_from_edges
from corridors.world.marnet import Ports
from corridors.world.multimodal import ArcKind, build_world_graph
from corridors.world.router import WorldOptions, WorldRouter
from tests.world.oracle import min_csr


class Bands:
    """Fake country lookup for the layers: AZ west of 2.05 E, IR east of it, AM north of 0.9 N,
    TR east of 6 E, sea south of -0.1 N."""

    def country_at(self, lon: float, lat: float) -> str | None:
        if lat < -0.1:
            return None
        if lat > 0.9:
            return "AM"
        if lon > 6:
            return "TR"
        return "AZ" if lon < 2.05 else "IR"


def _layer(mode, points, edges, chokepoint=None):
    lon = np.array([p[0] for p in points], dtype=float)
    lat = np.array([p[1] for p in points], dtype=float)
    tail = np.array([e[0] for e in edges])
    head = np.array([e[1] for e in edges])
    km = haversine_km(lon[tail], lat[tail], lon[head], lat[head]) * 1.1
    layer = layer_from_edges(mode, lon, lat, tail, head, km, join_km=None, source="test", licence="test", locator=Bands())
    if chokepoint is not None:
        tags = np.full(layer.n_edges, -1, dtype=np.int16)
        tail_all = layer.tail()
        for i, (u, v) in enumerate(zip(tail_all, layer.head)):
            if {int(u), int(v)} == chokepoint:
                tags[i] = 0
        layer = dataclasses.replace(layer, chokepoint=tags, chokepoints=("strait",))
    return layer


def _layers_and_ports():
    # road: R0 by atlas node P (4 km) - X(3,0.02) crosses AZ->IR (the atlas covers AZ-IR: dropped);
    #       X - K(7,0.02) crosses IR->TR (not in the atlas: a default crossing)
    road = _layer("road", [(0.0, -0.04), (3.0, 0.02), (7.0, 0.02)], [(0, 1), (1, 2)])
    # sea: S0 off P, S1 east of it (the S0-S1 edge is a strait), S2 off K; S3 a detour south
    sea = _layer("sea", [(0.0, -0.3), (4.0, -0.3), (8.0, -0.3), (4.0, -2.0)], [(0, 1), (1, 2), (0, 3), (3, 2)],
                 chokepoint={0, 1})
    # Kdry is an inland port by K with no sea node of its own (beyond port_sea_km of any lane)
    ports = Ports(name=("Pport", "Kport", "Kdry"), code=("AZPPT", "TRKPT", "TRKDR"), country=("AZ", "TR", "TR"),
                  country_name=("Azerbaijan", "Turkey", "Turkey"), lon=np.array([0.0, 7.0, 7.0]),
                  lat=np.array([-0.12, -0.1, 0.05]), node=np.array([0, 2, -1], dtype=np.int32))
    return {"road": road, "sea": sea}, ports


@pytest.fixture(scope="module")
def world(tiny):
    return build_world_graph(tiny, *_layers_and_ports())


def test_border_rules_on_base_edges(world):
    road = world.offsets["road"]
    crossing_az_ir = (world.tail == road) & (world.head == road + 1)
    assert not crossing_az_ir.any()  # the atlas covers AZ-IR road: its crossings are the only ones
    default = np.flatnonzero(world.kind == ArcKind.BORDER)
    assert len(default) == 2  # IR-TR both ways
    km = float(world.distance_km[default[0]])
    assert world.costs.time_h[default[0]] == pytest.approx(km / 60 + 9.9, rel=1e-5)  # tiny road 60 km/h, CAREC dwell
    assert world.costs.cost_usd[default[0]] == pytest.approx(km * 2.0 + 208, rel=1e-5)


@pytest.mark.parametrize("engine", ["scipy", "cch"])
def test_router_is_exact_against_dijkstra(world, engine, tmp_path):
    router = WorldRouter(world, engine=engine, cache_dir=tmp_path)
    options = WorldOptions(objective="time", closed_chokepoints=frozenset())
    weights = np.round(router.weights(options) / 1e-3) * 1e-3  # the routers' stated resolution
    ok = np.isfinite(weights)
    graph = min_csr(world.tail[ok], world.head[ok], weights[ok], world.n_nodes)
    expected = dijkstra(graph, directed=True)
    metric = router.query(options).solver.metric
    got = metric.matrix(np.arange(world.n_nodes), np.arange(world.n_nodes))
    assert np.allclose(np.nan_to_num(got, posinf=-1), np.nan_to_num(expected, posinf=-1), atol=1e-6)


def test_sea_routes_and_a_closed_strait(world, tmp_path):
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    sea = frozenset({"sea"})
    open_sea = router.route("Pport", "Kport", WorldOptions(objective="distance", modes=sea, closed_chokepoints=frozenset()))
    assert [leg.mode for leg in open_sea.legs] == ["sea"] and open_sea.legs[0].corridors == ("strait",)
    closed = router.route("Pport", "Kport", WorldOptions(objective="distance", modes=sea, closed_chokepoints=frozenset({"strait"})))
    assert closed.legs[0].corridors == () and closed.distance_km > open_sea.distance_km
    sea_layer = world.layers["sea"]
    detour = sum(1.1 * float(haversine_km(sea_layer.lon[a], sea_layer.lat[a], sea_layer.lon[b], sea_layer.lat[b]))
                 for a, b in ((0, 3), (3, 2)))  # the layer's edges are 1.1 x the great circle
    assert closed.distance_km == pytest.approx(detour, rel=1e-5)
    with pytest.raises(NoRouteError, match="blocked by the allowed modes; the best path ignoring that uses: sea arcs"):
        router.route("Pport", "Kport", WorldOptions(modes=frozenset({"rail"}), closed_chokepoints=frozenset({"strait"})))


def test_atlas_place_to_a_port_over_land_and_sea(world, tmp_path):
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    r = router.route("p", "Kport", WorldOptions(objective="distance", closed_chokepoints=frozenset()))
    assert r.legs[0].from_name == "Port P, AZ" and r.destination_name == "Kport, TR"
    # hours and USD by hand (tiny parameters.yaml): rail P-S 252 km at 40 km/h and 1 USD/km, the R-S
    # border (10 h, 100 USD), the gauge change at S (5 h, 50 USD), rail S-T 110 km, the rail-road
    # transfer at T (10 h, 100 USD), road from T onto the road layer (great circle) and along it to K
    # (1.1 x great circle) at 60 km/h and 2 USD/km, the IR-TR default crossing (CAREC: 9.9 h,
    # 208 USD) and the road-sea transfer onto Kport's lane (15 h, 150 USD)
    road_km = float(haversine_km(3.0, 0.0, 3.0, 0.02) + 1.1 * haversine_km(3.0, 0.02, 7.0, 0.02))
    assert r.time_h == pytest.approx(252 / 40 + 10 + 5 + 110 / 40 + 10 + road_km / 60 + 9.9 + 15, rel=1e-5)
    assert r.cost_usd == pytest.approx(252 + 100 + 50 + 110 + 100 + 2 * road_km + 208 + 150, rel=1e-5)
    assert r.distance_km == pytest.approx(252 + 110 + road_km, rel=1e-5)
    # the legs' km, summed from the arcs, against the router's own least distance (1 m grid)
    assert r.distance_km == pytest.approx(r.objective_value, abs=1e-2)


def test_coordinates_snap_to_the_road_layer(world, tmp_path):
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    r = router.route("0.0,7.0", "t", WorldOptions(objective="time"))  # lat,lon near K, in "TR"
    assert r.snaps_km[0] < 5
    assert [(b.from_country, b.to_country) for b in r.border_crossings] == [("TR", "IR")]
    # a road crossing cites CAREC's border figures and their use worldwide, not the rail-gauge assumption
    assert r.border_crossings[0].source_ids == ("carec-cpmm-2022", "assumption-world-default-crossing")


def test_preprocessing_cache_is_checksummed(world, tmp_path):
    WorldRouter(world, engine="cch", cache_dir=tmp_path)
    [folder] = [p for p in (tmp_path / "world").iterdir() if p.is_dir()]
    assert folder.with_suffix(".json").exists()  # the sidecar: key and checksum
    victim = sorted(folder.iterdir())[0]
    victim.write_bytes(b"corrupt")
    router = WorldRouter(world, engine="cch", cache_dir=tmp_path)  # rebuilt, not trusted
    assert router.route("Pport", "Kport", WorldOptions(modes=frozenset({"sea"}), closed_chokepoints=frozenset())).legs
    assert sorted(folder.iterdir())[0].read_bytes() != b"corrupt"


def test_world_alternatives_take_other_passages(world, tmp_path):
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    options = WorldOptions(objective="distance", modes=frozenset({"sea"}), closed_chokepoints=frozenset())
    first, second = router.alternative_routes("Pport", "Kport", 2, options)
    assert first.legs[0].corridors == ("strait",) and second.legs[0].corridors == ()
    assert second.distance_km > first.distance_km


def test_an_inland_port_is_reached_by_land_and_a_sea_port_reports_its_berth_distance(world, tmp_path):
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    assert not ((world.kind == ArcKind.PORT) & (world.layer[world.tail] == world.layer[world.head])).any()
    inland = router.route("Kdry", "t", WorldOptions(objective="time"))
    assert inland.origin_name == "Kdry, TR" and {leg.mode for leg in inland.legs} == {"road"}
    assert inland.snaps_km[0] == pytest.approx(float(haversine_km(7.0, 0.05, 7.0, 0.02)), rel=1e-3)  # to road node K
    by_sea = router.route("Kport", "Pport", WorldOptions(objective="distance", closed_chokepoints=frozenset()))
    assert by_sea.snaps_km[0] == pytest.approx(float(haversine_km(7.0, -0.1, 8.0, -0.3)), rel=1e-6)  # to sea node S2


def test_old_preprocessing_caches_are_pruned(tmp_path):
    import os

    from corridors.world.router import prune_topologies

    for age in range(6):  # cch-0 the newest
        folder = tmp_path / f"cch-10-{age}"
        folder.mkdir()
        folder.with_suffix(".sha256").write_text("x")
        os.utime(folder, (1e9 - age, 1e9 - age))
    (tmp_path / "cch-10-9.tmp").mkdir()  # being written by another process
    prune_topologies(tmp_path, keep=4)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"cch-10-{a}" for a in range(4)] + [f"cch-10-{a}.sha256" for a in range(4)] + ["cch-10-9.tmp"])


def test_a_step_that_takes_time_is_never_free_to_the_router(world, tmp_path):
    """The engines round weights to 1 m under the distance objective, which would erase the
    tie-break by time; a 0-km step that takes time (transfers here) weighs one unit instead,
    so equal-length routes prefer fewer such steps."""
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    weights = router.weights(WorldOptions(objective="distance", closed_chokepoints=frozenset()))
    open_ = np.isfinite(weights)
    zero_km = open_ & (world.distance_km == 0) & (world.costs.time_h > 0)
    assert zero_km.sum() >= 4 and np.all(weights[zero_km] == 1e-3)
    rest = open_ & ~zero_km
    assert np.allclose(weights[rest], world.distance_km[rest], rtol=0, atol=1e-6)  # lengths untouched


def test_a_coordinate_reports_the_snap_of_the_node_its_route_starts_from(world, tmp_path):
    """-0.25 N 0 E is 5.6 km from the sea node S0 and 23.4 km from the road node R0. By road the
    route starts at R0, so its first mile is 23.4 km, not the nearer sea node's 5.6 km."""
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    road_km = float(haversine_km(0.0, -0.25, 0.0, -0.04))
    sea_km = float(haversine_km(0.0, -0.25, 0.0, -0.3))
    assert sorted(router.endpoint("-0.25,0.0", "origin").snaps_km.round(3)) == sorted([round(road_km, 3), round(sea_km, 3)])
    r = router.route("-0.25,0.0", "t", WorldOptions(objective="distance", modes=frozenset({Mode.ROAD})))
    assert r.snaps_km[0] == pytest.approx(road_km, rel=1e-6)


def test_both_ends_are_resolved_together_as_one_by_one(world, tmp_path):
    """An inland port (snapped as a point), coordinates and an atlas place in one call: each
    point's candidates are the nearest node of every layer within its radius, by brute force."""
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    radius = world.crossing_rules["coordinate_snap_km"]
    for origin, destination, (lon, lat) in (("Kdry", "0.0,7.0", (7.0, 0.05)), ("-0.25,0.0", "p", (0.0, -0.25))):
        o, d = router.endpoints(origin, destination)
        assert (o.label, d.label) == (router.endpoint(origin, "origin").label, router.endpoint(destination, "destination").label)
        want = {}
        for name, layer in world.layers.items():
            km = haversine_km(lon, lat, layer.lon, layer.lat)
            if km.min() <= radius[name]:
                want[world.offsets[name] + int(np.argmin(km))] = float(km.min())
        assert dict(zip(o.nodes.tolist(), o.snaps_km.tolist())) == pytest.approx(want, rel=1e-6)
    with pytest.raises(UnknownPlaceError, match="10.0,100.0"):  # far from every layer: the query is named
        router.endpoints("p", "10.0,100.0")


class BandsWithAHole(Bands):
    """:class:`Bands` that knows no country between 4.5 and 5.5 E (a gap in the polygons)."""

    def country_at(self, lon: float, lat: float) -> str | None:
        return None if 4.5 < lon < 5.5 and lat > -0.1 else super().country_at(lon, lat)


def test_a_land_node_with_no_country_cannot_carry_a_line_across_a_border(tiny):
    """IR (3 E) - a node the polygons miss (5 E) - TR (7 E): the node takes its neighbours' country
    (IR, the lower code of the two, both one edge away), so the line still crosses IR-TR on a
    border edge, with its dwell, instead of slipping through the gap."""
    lon, lat = np.array([3.0, 5.0, 7.0]), np.array([0.02, 0.02, 0.02])
    tail, head = np.array([0, 1]), np.array([1, 2])
    km = haversine_km(lon[tail], lat[tail], lon[head], lat[head])
    road = layer_from_edges("road", lon, lat, tail, head, km, join_km=None, source="test", licence="test",
                            locator=BandsWithAHole())
    assert road.country.tolist().count(-1) == 1  # the layer itself keeps the gap
    world = build_world_graph(tiny, {"road": road})
    o = world.offsets["road"]
    assert [world.countries[c] for c in world.country[o:o + 3]] == ["IR", "IR", "TR"]
    border = np.flatnonzero(world.kind == ArcKind.BORDER)
    assert sorted((int(world.tail[a]) - o, int(world.head[a]) - o) for a in border) == [(1, 2), (2, 1)]


def test_a_border_inside_a_customs_union_takes_the_unions_dwell(tiny, monkeypatch, tmp_path):
    """With IR and TR in one (made-up) customs union for road, their default crossing dwells
    0.5 h and costs nothing beyond the road, cites the union's sources and says so; without the
    union it is CAREC's 9.9 h and 208 USD (test_border_rules_on_base_edges)."""
    rules = multimodal.load_crossing_rules()
    union = {"id": "test", "name": "test union", "members": ["IR", "TR"], "road": {"dwell_h": 0.5, "fee_usd": 0},
             "source_ids": ["assumption-world-customs-union-crossing"]}
    monkeypatch.setattr(multimodal, "load_crossing_rules", lambda: {**rules, "customs_unions": [union]})
    road = _layer("road", [(0.0, -0.04), (3.0, 0.02), (7.0, 0.02)], [(0, 1), (1, 2)])
    world = build_world_graph(tiny, {"road": road})
    [arc, _] = np.flatnonzero(world.kind == ArcKind.BORDER)
    km = float(world.distance_km[arc])
    assert world.costs.time_h[arc] == pytest.approx(km / 60 + 0.5, rel=1e-5)
    assert world.costs.cost_usd[arc] == pytest.approx(km * 2.0, rel=1e-5)
    r = WorldRouter(world, engine="scipy", cache_dir=tmp_path).route("0.0,7.0", "t", WorldOptions(objective="time"))
    [border] = r.border_crossings
    assert (border.from_country, border.to_country, border.name) == ("TR", "IR", "TR-IR road crossing (inside the test union)")
    assert border.time_h == pytest.approx(0.5, abs=1e-4) and border.cost_usd == pytest.approx(0.0, abs=1e-3)
    assert border.source_ids == ("assumption-world-customs-union-crossing",)


def test_the_shipped_crossing_rules_cite_known_sources_and_name_each_country_once():
    rules = multimodal.load_crossing_rules()
    assert multimodal.rule_source_ids() <= set(load_atlas().source_by_id)
    members = [c for union in rules["customs_unions"] for c in union["members"]]
    assert len(members) == len(set(members))  # a country is in one customs union at most
    assert set(members) <= set(country_names())  # codes the country lookup can give, not merely two capitals
    for union in rules["customs_unions"]:
        assert set(union) - {"id", "name", "members", "source_ids"} <= {"rail", "road"}
    # inside the EU 0.5 h both ways; Kazakhstan-Kyrgyzstan by rail 2 h, by road the CAREC average
    assert multimodal.crossing_rule(rules, "rail", "DE", "PL").dwell_h == 0.5
    assert multimodal.crossing_rule(rules, "rail", "KZ", "KG").dwell_h == 2.0
    road = rules["default_crossing"]["road"]
    assert multimodal.crossing_rule(rules, "road", "KZ", "KG") == CrossingRule(
        road["dwell_h"], road["fee_usd"], tuple(road["source_ids"]), "default")
    assert multimodal.crossing_rule(rules, "rail", "BY", "PL").dwell_h == 40.6  # EAEU to EU: a customs border


def test_a_passage_with_a_navigation_season_closes_outside_it(tiny, tmp_path):
    """The strait navigable April to October: Pport-Kport by sea goes through it in July and
    round the southern detour in January; restricted to the strait's lanes, January has no route
    and says the season blocks it."""
    far_away = np.array([[100.0, 10.0], [101.0, 10.0], [101.0, 11.0], [100.0, 10.0]])  # tags no atlas link
    strait = Chokepoint("strait", "Strait", "", (far_away,), "assumption", "", ({"title": "t"},),
                        open_months=(4, 5, 6, 7, 8, 9, 10))
    world = build_world_graph(tiny, *_layers_and_ports(), chokepoints=[strait])
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    sea = frozenset({Mode.SEA})
    july = router.route("Pport", "Kport", WorldOptions(objective="distance", modes=sea, month=7, closed_chokepoints=frozenset()))
    january = router.route("Pport", "Kport", WorldOptions(objective="distance", modes=sea, month=1, closed_chokepoints=frozenset()))
    assert july.legs[0].corridors == ("strait",) and january.legs[0].corridors == ()
    assert january.distance_km > july.distance_km and (july.month, january.month) == (7, 1)
    detour = world.offsets["sea"] + 3
    world_no_detour = dataclasses.replace(world, open_months=np.where((world.tail == detour) | (world.head == detour), 0, world.open_months))
    blocked = WorldRouter(world_no_detour, engine="scipy", cache_dir=tmp_path / "b")
    with pytest.raises(NoRouteError, match=r"navigation seasons \(in January\); the best path ignoring that uses: the strait passage"):
        blocked.route("Pport", "Kport", WorldOptions(objective="distance", modes=sea, month=1, closed_chokepoints=frozenset()))


def test_an_atlas_links_season_reaches_the_world_graph(tiny_with_season, tmp_path):
    """s--t--rail of the atlas navigable April to October: its world arcs carry months 4-10, and
    a rail-only world route P-T runs in April and October but not in March or November."""
    from corridors import read_network

    atlas = read_network(tiny_with_season("s--t--rail", "4-10"))
    world = build_world_graph(atlas, *_layers_and_ports())
    link = atlas.links.index(atlas.link_by_id["s--t--rail"])
    on_link = (world.atlas_edge >= 0) & (world.atlas_graph.link[np.maximum(world.atlas_edge, 0)] == link)
    assert on_link.any() and set(world.open_months[on_link].tolist()) == {0b0011_1111_1000}
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    rail = frozenset({Mode.RAIL})
    for month in (4, 10):
        assert router.route("p", "t", WorldOptions(objective="time", modes=rail, month=month)).legs
    for month in (3, 11):
        with pytest.raises(NoRouteError, match="navigation seasons"):
            router.route("p", "t", WorldOptions(objective="time", modes=rail, month=month))


def test_a_passage_flagged_inland_waterway_runs_as_inland_waterway(tiny):
    """A chokepoint flagged inland_waterway (as the Volga-Don is) turns its sea lanes into
    inland-waterway arcs, timed at the atlas's iww speed; the other lanes stay sea."""
    far_away = np.array([[100.0, 10.0], [101.0, 10.0], [101.0, 11.0], [100.0, 10.0]])
    river = Chokepoint("strait", "River", "", (far_away,), "assumption", "", ({"title": "t"},), inland_waterway=True)
    world = build_world_graph(tiny, *_layers_and_ports(), chokepoints=[river])
    lanes = (world.kind == ArcKind.BASE) & (world.layer[world.tail] == 2)  # the sea layer's own arcs
    on_river = lanes & (world.chokepoint == 0)
    assert on_river.sum() == 2 and (lanes & ~on_river).sum() == 6  # S0-S1 both ways; three lanes more
    modes = list(Mode)
    assert set(world.mode[on_river].tolist()) == {modes.index(Mode.IWW)}
    assert set(world.mode[lanes & ~on_river].tolist()) == {modes.index(Mode.SEA)}
    iww = tiny.parameters.modes[Mode.IWW]
    assert np.allclose(world.costs.time_h[on_river], world.distance_km[on_river] / iww.speed_kmh, rtol=1e-6)


def test_routes_with_the_same_options_share_one_customisation(world, tmp_path, monkeypatch):
    from corridors.world import router as router_module

    made = []
    solver = router_module.WorldEngine.solver
    monkeypatch.setattr(router_module.WorldEngine, "solver", lambda self, w: made.append(1) or solver(self, w))
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    options = WorldOptions(objective="time", closed_chokepoints=frozenset())
    for origin, destination in (("Pport", "Kport"), ("Kport", "Pport"), ("p", "Kport")):
        router.route(origin, destination, options)
    assert len(made) == 1
    router.route("Pport", "Kport", WorldOptions(objective="cost", closed_chokepoints=frozenset()))
    assert len(made) == 2


def test_a_world_needs_defaults_for_the_modes_its_layers_run_on(world, tiny):
    import dataclasses

    from corridors.errors import DataError
    from corridors.model import Mode

    params = dataclasses.replace(tiny.parameters, modes={m: p for m, p in tiny.parameters.modes.items() if m is not Mode.IWW})
    atlas = dataclasses.replace(tiny, parameters=params)
    with pytest.raises(DataError, match="modes.iww"):
        build_world_graph(atlas, world.layers, world.ports)


def test_border_steps_show_their_rules_figures_exactly(world, tmp_path):
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    r = router.route("0.0,7.0", "t", WorldOptions(objective="time"))
    [step] = [s for s in r.border_crossings if "default" in s.name]
    assert step.time_h == 9.9 and step.cost_usd == 208.0  # CAREC's averages, as crossings.yaml gives them


def test_avoiding_a_country_closes_the_passages_through_its_territory(tiny, tmp_path):
    """The strait's lanes run between sea nodes of no country; listing PA (no node of this world
    lies there) as its country makes a route that avoids PA take the detour, as closing it does."""
    strait = Chokepoint(id="strait", name="Strait", description="test", polygons=(np.array(
        [[50.0, 50.0], [50.1, 50.0], [50.1, 50.1], [50.0, 50.0]]),), geometry_kind="assumption",
        geometry_reasoning="test", sources=({"title": "test"},), countries=("PA",))
    world = build_world_graph(tiny, *_layers_and_ports(), chokepoints=[strait])
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    sea = frozenset({"sea"})
    through = router.route("Pport", "Kport", WorldOptions(objective="distance", modes=sea, closed_chokepoints=frozenset()))
    closed = router.route("Pport", "Kport", WorldOptions(objective="distance", modes=sea, closed_chokepoints=frozenset({"strait"})))
    avoided = router.route("Pport", "Kport", WorldOptions(objective="distance", modes=sea, closed_chokepoints=frozenset(),
                                                          avoid_countries=frozenset({"PA"})))
    assert through.legs[0].corridors == ("strait",)
    assert avoided.legs[0].corridors == () and avoided.distance_km == pytest.approx(closed.distance_km)


def test_chokepoint_countries_must_be_iso_codes(tmp_path):
    from corridors.errors import DataError
    from corridors.world.chokepoints import load_chokepoints

    path = tmp_path / "chokepoints.yaml"
    path.write_text("""version: 1
chokepoints:
  - id: strait
    name: Strait
    countries: [Egypt]
    description: test
    polygons: [[[0, 0], [1, 0], [1, 1], [0, 0]]]
    geometry: {kind: assumption, reasoning: test}
    sources: [{kind: document, title: test}]
""")
    with pytest.raises(DataError, match="countries must be a list of ISO 3166-1 alpha-2 codes"):
        load_chokepoints(path)


def test_a_world_query_matrix_holds_each_pairs_path_value(world, tmp_path):
    """The CCH many-to-many of a prepared world query against one path query per pair."""
    router = WorldRouter(world, engine="cch", cache_dir=tmp_path)
    query = router.query(WorldOptions(objective="time", closed_chokepoints=frozenset()))
    ends = [router.endpoint(p, "origin").nodes for p in ("Pport", "Kport", "p")]
    m = query.matrix(ends, ends)
    for i, o in enumerate(ends):
        for j, d in enumerate(ends):
            found = query.between(o, d).path()
            assert m[i, j] == pytest.approx(found[0] if found else np.inf, abs=1e-6), (i, j)
