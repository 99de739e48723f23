"""The sea layer on tiny marnet-like GeoJSON, chokepoint tagging, and the packaged chokepoints
checked on the real marnet (small: 10k nodes, built in under a second)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from corridors.errors import DataError
from corridors.geo import haversine_km
from corridors.world.chokepoints import Chokepoint, load_chokepoints
from corridors.world.layers import BaseLayer, layer_from_marnet
from corridors.world.marnet import ports_from_geojson


class NoCountry:
    def country_at(self, lon: float, lat: float) -> None:
        return None


def line(*coords: list[float], **properties: str) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": {"type": "LineString", "coordinates": list(coords)}}


def box(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]], dtype=float)


def strait(id_: str, *rings: np.ndarray) -> Chokepoint:
    return Chokepoint(id_, id_, "", tuple(rings), "assumption", "", ({"title": "t"},))


# A: west sea (0,0)-(10,0)-(20,0) through a strait box around lon 10; a branch (10,0)-(10,5);
# B: the same vertex (20,0) repeated in another line, joined; C: 179.5 -> 180 and -180 -> -179.5
# meet at the antimeridian; D: a MultiLineString with a repeated vertex (a self-loop).
TINY = {"type": "FeatureCollection", "features": [
    line([0, 0], [10, 0], [20, 0]),
    line([10, 0], [10, 5]),
    line([20, 0], [30, 0]),
    line([179.5, 50], [180, 50]),
    line([-180, 50], [-179.5, 50]),
    {"type": "Feature", "properties": {}, "geometry": {"type": "MultiLineString",
     "coordinates": [[[30, 0], [30, 0], [30, 5]], [[40, 0], [40, 5]]]}},
]}


@pytest.fixture(scope="module")
def tiny() -> BaseLayer:
    return layer_from_marnet(TINY, chokepoints=[strait("mid", box(8, -1, 16, 1)), strait("north", box(9, 2, 11, 6))],
                             locator=NoCountry())


def edge(layer: BaseLayer, u: int, v: int) -> int:
    row = layer.head[layer.indptr[u]:layer.indptr[u + 1]]
    return int(layer.indptr[u] + np.flatnonzero(row == v)[0])


def node(layer: BaseLayer, lon: float, lat: float) -> int:
    return int(np.flatnonzero((layer.lon == lon) & (layer.lat == lat))[0])


def test_identical_vertices_become_one_node(tiny: BaseLayer) -> None:
    # (0,0) (10,0) (20,0) (10,5) (30,0) (179.5,50) (-180,50) (-179.5,50) (30,5) (40,0) (40,5)
    assert tiny.n_nodes == 11
    assert tiny.build_info["self_loops_dropped"] == 1
    assert tiny.build_info["edges"] == 8


def test_antimeridian_vertices_meet(tiny: BaseLayer) -> None:
    a, m, b = node(tiny, 179.5, 50), node(tiny, -180, 50), node(tiny, -179.5, 50)
    assert tiny.length_km[edge(tiny, a, m)] == pytest.approx(float(haversine_km(179.5, 50, 180, 50)), rel=1e-6)
    dist = dijkstra(tiny.to_scipy(), indices=a)[b]
    assert dist == pytest.approx(float(haversine_km(179.5, 50, -179.5, 50)), rel=1e-5)


def test_lengths_are_haversine_and_symmetric(tiny: BaseLayer) -> None:
    u, v = node(tiny, 0, 0), node(tiny, 10, 0)
    assert tiny.length_km[edge(tiny, u, v)] == pytest.approx(float(haversine_km(0, 0, 10, 0)), rel=1e-6)
    assert tiny.length_km[edge(tiny, v, u)] == tiny.length_km[edge(tiny, u, v)]


def test_chokepoint_tagging_by_midpoint(tiny: BaseLayer) -> None:
    assert tiny.chokepoints == ("mid", "north")
    n = {xy: node(tiny, *xy) for xy in [(0, 0), (10, 0), (20, 0), (10, 5), (30, 0)]}
    tag = {pair: int(tiny.chokepoint[edge(tiny, n[pair[0]], n[pair[1]])]) for pair in
           [((0, 0), (10, 0)), ((10, 0), (20, 0)), ((10, 0), (10, 5)), ((20, 0), (30, 0))]}
    # midpoints (5,0) outside; (15,0) in "mid"; (10,2.5) in "north"; (25,0) outside
    assert tag == {((0, 0), (10, 0)): -1, ((10, 0), (20, 0)): 0, ((10, 0), (10, 5)): 1, ((20, 0), (30, 0)): -1}
    # both directions carry the same tag
    tail = tiny.tail()
    order = np.lexsort((tiny.head, tail))
    back = {(int(u), int(v)): int(c) for u, v, c in zip(tail, tiny.head, tiny.chokepoint)}
    assert all(back[(v, u)] == c for (u, v), c in back.items())
    assert tiny.build_info["chokepoint_edges"] == {"mid": 1, "north": 1}
    assert len(order) == tiny.n_edges


def test_ports_nearest_node(tiny: BaseLayer) -> None:
    fc = {"features": [
        {"geometry": {"type": "Point", "coordinates": [10.2, 4.9]},
         "properties": {"name": "North Port", "port": "xxnop", "cty": "Somewhere_far", "t": None}},
        {"geometry": {"type": "Point", "coordinates": [-0.1, 0.1]},
         "properties": {"name": "West", "port": "YYWES", "cty": "Other", "t": 1.0}},
    ]}
    ports = ports_from_geojson(fc, lon=tiny.lon, lat=tiny.lat)
    assert ports.country == ("XX", "YY") and ports.country_name[0] == "Somewhere far"
    assert ports.node.tolist() == [node(tiny, 10, 5), node(tiny, 0, 0)]
    assert ports.find("north port") == [0] and ports.find("West", "XX") == []
    near_only = ports_from_geojson(fc, lon=tiny.lon, lat=tiny.lat, radius_km=20)  # North 25 km off, West 16
    assert near_only.node.tolist() == [-1, node(tiny, 0, 0)]


def test_chokepoint_file_errors_name_the_entry(tmp_path) -> None:
    path = tmp_path / "cp.yaml"
    path.write_text("chokepoints:\n  - id: a\n    name: A\n    description: d\n    polygons: [[[0, 0], [1, 0]]]\n"
                    "    geometry: {kind: guess}\n    sources: []\n    basin: 'yes'\n  - {id: b}\n")
    with pytest.raises(DataError) as error:
        load_chokepoints(path)
    text = str(error.value)
    assert "chokepoints[0]" in text and "polygons[0]" in text and "chokepoints[1]" in text and "missing key" in text
    assert "basin must be true or false, found 'yes'" in text


def test_packaged_chokepoints_are_complete() -> None:
    points = load_chokepoints()
    ids = {c.id for c in points}
    assert {"suez", "bab_el_mandeb", "hormuz", "turkish_straits", "gibraltar", "malacca", "panama",
            "cape_of_good_hope", "danish_straits", "volga_don"} <= ids
    for c in points:
        assert c.geometry_kind == "assumption" and c.geometry_reasoning and c.description
        assert all(s.get("title") and (s.get("url") or s.get("where") or s["kind"] == "document") for s in c.sources)
    volga = next(c for c in points if c.id == "volga_don")
    assert volga.extra["vessels"] == "river-sea only" and volga.open_months == (4, 5, 6, 7, 8, 9, 10, 11)
    # the flags that change routing, read from the file rather than keyed in code
    assert {c.id: (c.closed_by_default, c.inland_waterway, c.basin) for c in points if any(
        (c.closed_by_default, c.inland_waterway, c.basin))} == {
        "volga_don": (False, True, False), "bering_arctic": (True, False, False), "red_sea": (False, False, True)}


# -- the packaged chokepoints on the real marnet ---------------------------------------------------

@pytest.fixture(scope="module")
def world_sea():
    pytest.importorskip("searoute")
    from corridors.world import build_sea, read_ports

    sea = build_sea()
    return sea, read_ports(lon=sea.lon, lat=sea.lat)


def passages(world_sea, origin: tuple[str, str], destination: tuple[str, str], avoid: tuple[str, ...] = ()
             ) -> tuple[float, list[str]]:
    """Shortest sea path between two ports (nearest marnet nodes), avoiding chokepoints; returns
    its km and the chokepoints passed, in order."""
    sea, ports = world_sea
    matrix = sea.to_scipy()
    if avoid:
        blocked = np.isin(sea.chokepoint, [sea.chokepoints.index(a) for a in avoid])
        matrix.data[blocked] = np.inf
    a, b = (int(ports.node[ports.find(*p)[0]]) for p in (origin, destination))
    dist, pred = dijkstra(matrix, indices=a, return_predecessors=True)
    path = [b]
    while path[-1] != a:
        path.append(int(pred[path[-1]]))
    path.reverse()
    seen: list[str] = []
    for u, v in zip(path, path[1:]):
        code = int(sea.chokepoint[edge(sea, u, v)])
        if code >= 0 and sea.chokepoints[code] not in seen:
            seen.append(sea.chokepoints[code])
    return float(dist[b]), seen


def test_shanghai_rotterdam_via_suez(world_sea) -> None:
    km, seen = passages(world_sea, ("Shanghai", "CN"), ("Rotterdam", "NL"), avoid=("bering_arctic",))
    assert seen == ["malacca", "bab_el_mandeb", "red_sea", "suez", "gibraltar"]
    assert 18_500 < km < 20_500  # searoute: 19,626 km


def test_shanghai_rotterdam_through_the_arctic_unless_avoided(world_sea) -> None:
    _, seen = passages(world_sea, ("Shanghai", "CN"), ("Rotterdam", "NL"))
    assert seen == ["bering_arctic"]


def test_cape_when_suez_avoided(world_sea) -> None:
    _, seen = passages(world_sea, ("Singapore", "SG"), ("Rotterdam", "NL"), avoid=("bering_arctic", "suez"))
    assert "cape_of_good_hope" in seen and "suez" not in seen
    _, seen = passages(world_sea, ("Cape Town", "ZA"), ("Durban", "ZA"))
    assert seen == ["cape_of_good_hope"]


def test_volga_don_tagged_only_inland(world_sea) -> None:
    km, seen = passages(world_sea, ("Astrakhan", "RU"), ("Novorossiysk", "RU"))
    assert seen == ["volga_don"] and 1_200 < km < 1_600  # searoute: 1,413 km
    _, seen = passages(world_sea, ("Astrakhan", "RU"), ("Baku", "AZ"))
    assert seen == []


@pytest.mark.parametrize(("origin", "destination", "expected"), [
    (("Novorossiysk", "RU"), ("Piraeus", "GR"), ["turkish_straits"]),
    (("Rotterdam", "NL"), ("Gdansk", "PL"), ["danish_straits"]),
    (("Jebel Ali", "AE"), ("Mumbai", "IN"), ["hormuz"]),
    (("Mumbai", "IN"), ("Bandar Abbas", "IR"), []),
    (("Poti", "GE"), ("Constanta", "RO"), []),
])
def test_other_passages(world_sea, origin, destination, expected) -> None:
    assert passages(world_sea, origin, destination)[1] == expected


def test_shanghai_new_york_via_panama(world_sea) -> None:
    assert passages(world_sea, ("Shanghai", "CN"), ("New York", "US"), avoid=("bering_arctic",))[1] == ["panama"]


def test_atlas_link_bits_keep_the_sea_layers_chokepoint_order() -> None:
    """An atlas sea link through Suez takes Suez's bit in the sea layer's order, even when a
    chokepoint before it has no polygon to tag with (it used to be dropped, shifting every bit)."""
    from corridors import load_atlas
    from corridors.world.multimodal import atlas_link_chokepoints

    atlas = load_atlas()
    suez = next(c for c in load_chokepoints() if c.id == "suez")
    alone = atlas_link_chokepoints(atlas, [suez])
    assert (alone == 1).any()  # the atlas's Suez sea lanes
    assert np.array_equal(atlas_link_chokepoints(atlas, [None, suez]), alone << 1)
