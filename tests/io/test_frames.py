"""DataFrames and GeoDataFrames out: each against the JSON and hand figures of the tiny network.

P -> T by rail (tests/fixtures/tiny): P-Q-R-S on 1520 mm (120 + 120 + 12 km), the R-S border
(10 h, 100 USD, p90 30 h, half way along r--s at 246 km), a gauge change at S (5 h, 50 USD), then
S-T on 1435 mm (110 km). One USD per TEU-km on rail, so the legs cost 252 and 110 USD.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

pd = pytest.importorskip("pandas")
gpd = pytest.importorskip("geopandas")

from corridors import route  # noqa: E402
from corridors.analysis import AccessPair, Lane, base_case, compare, criticality, scenario_case  # noqa: E402
from corridors.errors import Problem  # noqa: E402
from corridors.io.frames import criticality_to_frame, problems_to_frame, sweep_to_frame  # noqa: E402
from corridors.io.sweep_store import ResultRow  # noqa: E402
from corridors.model import Mode  # noqa: E402
from corridors.routing import RouteOptions  # noqa: E402
from corridors.routing.matrix import route_matrix  # noqa: E402
from corridors.scenarios import parse_scenario  # noqa: E402

CLOSE_RS = parse_scenario("""
name: close-rs
description: the R-S rail crossing closes
patches:
  - {action: close, element: border, where: {ids: [r--s]}}
""", "close-rs.yaml")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@pytest.fixture(scope="module")
def p_to_t(tiny):
    return route(tiny, "Port P", "Town T", RouteOptions(modes=("rail",)))


def test_route_frame_has_a_row_per_step_with_the_json_fields(p_to_t):
    frame = p_to_t.to_frame()
    assert list(frame["feature"]) == ["leg", "border", "transfer", "leg"]
    assert list(frame["distance_km"].iloc[[0, 3]]) == [252.0, 110.0]
    assert list(frame["cost_usd"]) == pytest.approx([252.0, 100.0, 50.0, 110.0])
    assert frame["cost_usd"].sum() == pytest.approx(512.0)
    assert frame.loc[1, "at_km"] == pytest.approx(246.0) and frame.loc[1, "time_p90_h"] == pytest.approx(30.0)
    assert frame.loc[2, "kind"] == "gauge change 1520->1435 mm" and frame.loc[2, "at"] == "Border S, IR"
    assert frame.loc[0, "from"] == "Port P, AZ" and frame.loc[3, "to"] == "Town T, IR"
    assert frame.loc[0, "link_ids"] == ["p--q--rail", "q--r--rail", "r--s--rail"]
    assert frame.loc[0, "countries"] == ["AZ", "IR"]
    assert all(isinstance(ids, list) for ids in frame["source_ids"])
    # every row holds its step's JSON, and nothing else but the kind of step
    data = json.loads(json.dumps(p_to_t.to_dict()))  # as the CLI and the API print it
    steps = [data["legs"][0], data["border_crossings"][0], data["transfers"][0], data["legs"][1]]
    for (_, row), step in zip(frame.iterrows(), steps):
        present = {k: v for k, v in row.items() if not _missing(v)}
        assert present.pop("feature") in ("leg", "border", "transfer")
        assert present == {k: v for k, v in step.items() if v is not None}


def test_route_geodataframe_geometry_is_the_legs_and_the_points(p_to_t):
    frame = p_to_t.to_geodataframe()
    assert frame.crs.to_epsg() == 4326
    assert list(frame.geom_type) == ["LineString", "Point", "Point", "LineString"]
    assert list(frame.geometry[0].coords) == [(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (2.1, 0.0)]
    assert list(frame.geometry[3].coords) == [(2.1, 0.0), (3.0, 0.0)]
    assert (frame.geometry[1].x, frame.geometry[1].y) == (2.0, 0.0)  # the R post, where the crossing starts
    assert (frame.geometry[2].x, frame.geometry[2].y) == (2.1, 0.0)  # the gauge change at S
    for leg, line in zip(p_to_t.legs, frame.geometry[frame["feature"] == "leg"]):
        assert list(line.coords) == [tuple(p) for p in leg.geometry]
    assert frame.drop(columns="geometry").equals(p_to_t.to_frame())


def test_network_geodataframes_have_a_row_per_node_link_and_crossing(tiny):
    frames = tiny.to_geodataframes()
    nodes, links, borders = frames["nodes"], frames["links"], frames["borders"]
    assert (len(nodes), len(links), len(borders)) == (8, 11, 6)
    assert all(f.crs.to_epsg() == 4326 for f in frames.values())
    assert list(links["id"]) == [link.id for link in tiny.links]
    p = nodes.set_index("id").loc["p"]
    assert (p.geometry.x, p.geometry.y) == (0.0, 0.0) and p["handles"] == ["rail", "road", "sea"]
    by_id = links.set_index("id")
    assert list(by_id.loc["p--q--rail"].geometry.coords) == [(0.0, 0.0), (1.0, 0.0)]
    assert by_id.loc["q--t--road", "status"] == "planned" and by_id.loc["q--t--road", "opens_year"] == 2030
    assert by_id.loc["p--q--rail", "gauge_mm"] == [1520]
    crossings = borders.set_index("id")
    rs = crossings.loc["r--s"]
    assert rs["link_ids"] == ["r--s--rail"] and rs["dwell_h"] == 10 and rs["fee_usd"] == 100 and rs["mode"] == "rail"
    assert (rs.geometry.x, rs.geometry.y) == (2.0, 0.0)  # R, the first border post of r--s
    qt = crossings.loc["q--t"]  # no border post at either end: the link's first node, Q
    assert qt["link_ids"] == ["q--t--road"] and (qt.geometry.x, qt.geometry.y) == (1.0, 0.0)


def test_matrix_frame_has_a_row_per_cell(tiny):
    matrix = route_matrix(tiny, ["Port P", "Town T"], ["Town T", "Town U"], RouteOptions(modes=("rail",)))
    frame = matrix.to_frame()
    assert list(zip(frame["origin"], frame["destination"])) == [
        ("Port P", "Town T"), ("Port P", "Town U"), ("Town T", "Town T"), ("Town T", "Town U")]
    assert list(frame.columns) == ["origin", "destination", "distance_km", "time_h", "cost_usd", "co2e_kg"]
    assert frame.loc[0, "distance_km"] == pytest.approx(362.0) and frame.loc[0, "cost_usd"] == pytest.approx(512.0)
    assert frame.loc[2, "time_h"] == 0.0
    assert _missing(frame.loc[1, "distance_km"])  # U has no rail
    for i, (o, d) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        for field in ("distance_km", "time_h", "cost_usd", "co2e_kg"):
            cell = getattr(matrix, field)[o][d]
            assert _missing(cell) if _missing(frame.loc[i, field]) else frame.loc[i, field] == cell


def test_comparison_frames_follow_to_dict(tiny):
    lanes = [Lane("pu", "p", "u", volume_teu_per_year=100.0), Lane("pt", "p", "t")]
    access = [AccessPair("pu-rail", "P-U by rail", "p", "u", frozenset({Mode.RAIL}))]
    options = RouteOptions(objective="cost")
    result = compare(base_case(tiny, options), scenario_case(tiny, CLOSE_RS, options), lanes, access)
    frames = result.to_frames()
    data = result.to_dict()
    lane_frame = frames["lanes"].set_index("lane")
    assert list(lane_frame.index) == ["pu", "pt"]
    for lane in data["lanes"]:
        row = lane_frame.loc[lane["lane"]]
        assert row["status"] == lane["status"] == "rerouted"
        for side in ("before", "after"):
            for key, value in lane[side].items():
                assert row[f"{side}.{key}"] == value
    countries = frames["countries"].set_index("country")
    assert list(countries.index) == [c["country"] for c in data["countries"]]
    # before, P->U transits IR: half of r--s, s--t, half of u--t (km), 10 t per TEU
    assert countries.loc["IR", "transit_tkm_per_unit.before"] == pytest.approx((12 / 2 + 110 + 130 / 2) * 10)
    assert countries.loc["IR", "transit_tkm_per_unit.after"] == pytest.approx((400 / 2 + 130 / 2) * 10)
    assert countries.loc["IR", "lanes_in_transit.before"] == data["countries"][
        [c["country"] for c in data["countries"]].index("IR")]["lanes_in_transit"][0]
    access_frame = frames["access"]
    assert list(access_frame.columns) == list(data["access"][0])
    assert access_frame.loc[0, "id"] == "pu-rail" and access_frame.loc[0, "status"] == "isolated"


def test_criticality_sweep_and_problem_frames(tiny):
    lanes = [Lane("pt", "p", "t"), Lane("pu", "p", "u")]
    ranked = criticality(base_case(tiny, RouteOptions(objective="cost")), lanes)
    frame = criticality_to_frame(ranked)
    assert list(frame["element"]) == [c.element for c in ranked]
    assert list(frame["extra_cost_usd"]) == [c.extra_cost_usd for c in ranked]
    assert all(isinstance(v, list) for v in frame["lanes_using"])
    assert list(criticality_to_frame([]).columns[:3]) == ["element", "kind", "name"]

    rows = [ResultRow("atlas", "pt", "cost", "p", "t", True, 362.0, 24.05, 512.0, 72.4, "AZ>IR, Border S", "east",
                      "AZ;IR", ""),
            ResultRow("atlas", "pu", "cost", "p", "u", False, None, None, None, None, "", "", "", "no route")]
    sweep = sweep_to_frame(rows)
    assert len(sweep) == 2 and sweep.loc[0, "cost_usd"] == 512.0 and _missing(sweep.loc[1, "cost_usd"])
    assert list(sweep["reachable"]) == [True, False] and sweep.loc[1, "reason"] == "no route"
    assert list(sweep_to_frame([]).columns)[:3] == ["scenario", "lane", "objective"]

    problems = problems_to_frame([Problem("nodes.csv", 3, "lon", "out of range"),
                                  Problem("links.csv", None, None, "x", "warning")])
    assert list(problems.columns) == ["file", "line", "column", "message", "severity"]
    assert list(problems["severity"]) == ["error", "warning"] and problems.loc[0, "line"] == 3


def test_missing_extra_names_it(p_to_t, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"corridors\[geo\]"):
        p_to_t.to_frame()
    monkeypatch.setitem(sys.modules, "geopandas", None)
    with pytest.raises(ImportError, match=r"corridors\[geo\]"):
        p_to_t.to_geodataframe()


def test_the_core_does_not_import_pandas(tiny_path):
    code = (
        "import sys; from corridors import read_network, route; from corridors.analysis import compare\n"
        f"r = route(read_network({str(tiny_path)!r}), 'Port P', 'Town T'); r.to_dict(); r.to_geojson()\n"
        "print(sorted(m for m in ('pandas', 'geopandas', 'pyogrio') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
