"""Lane status labels, lane and access-pair files (shipped and user), and Route.countries/corridors."""

from __future__ import annotations

import csv
from importlib.resources import files

import pytest

from corridors import route
from corridors.analysis import Lane, base_case, compare, load_access_pairs, load_lanes, scenario_case
from corridors.errors import DataError
from corridors.io import load_atlas
from corridors.model import Mode
from corridors.routing import RouteOptions
from corridors.routing.places import resolve_place
from corridors.scenarios import parse_scenario


def _scaled(name: str, **factor: float):
    factors = ", ".join(f"{k}: {v}" for k, v in factor.items())
    return parse_scenario(f"""
name: {name}
description: road figures scaled
patches:
  - {{action: scale, element: mode, where: {{mode: road}}, factor: {{{factors}}}}}
""", f"{name}.yaml")


@pytest.mark.parametrize(("factor", "expected"), [
    ({"time": 0.5}, "faster"),   # T-U road (130 km at 60 km/h): 1.08 h less, cost unchanged
    ({"time": 2}, "slower"),
    ({"cost": 0.5}, "cheaper"),
    ({"cost": 2}, "dearer"),
    ({"time": 1.0001}, "unchanged"),  # 0.0008 h: within the time tolerance
])
def test_lane_status_on_the_same_route_reads_cost_then_time(tiny, factor, expected):
    options = RouteOptions(objective="cost")
    scenario = scenario_case(tiny, _scaled("scaled", **factor), options)
    result = compare(base_case(tiny, options), scenario, [Lane("tu", "t", "u")])
    [tu] = result.lanes
    assert tu.before.route.link_ids == tu.after.route.link_ids
    assert tu.status == expected, (tu.delta("time_h"), tu.delta("cost_usd"))
    if expected == "faster":
        assert tu.delta("time_h") == pytest.approx(-130 / 60 / 2) and tu.delta("cost_usd") == pytest.approx(0)
    assert result.to_dict()["lanes"][0]["status"] == expected


def test_route_countries_and_corridors_are_distinct_in_travel_order(tiny):
    r = route(tiny, "p", "u", RouteOptions(objective="cost"))  # rail P-R-S-T (east), road T-U (west)
    assert [leg.countries for leg in r.legs] == [("AZ", "IR"), ("IR",), ("IR", "AM")]
    assert r.countries == ("AZ", "IR", "AM")
    assert r.corridors == ("east", "west")
    by_time = route(tiny, "p", "u", RouteOptions(objective="time"))  # road P-T (south), T-U (west)
    assert (by_time.countries, by_time.corridors) == (("AZ", "IR", "AM"), ("south", "west"))


# -- shipped lane files ---------------------------------------------------------------------------

def test_shipped_lanes_and_access_pairs_load_resolve_and_cite_sources():
    atlas = load_atlas()
    lanes, pairs = load_lanes(), load_access_pairs()
    assert lanes and pairs
    for lane in lanes:
        resolve_place(atlas, lane.origin), resolve_place(atlas, lane.destination)
    for pair in pairs:
        resolve_place(atlas, pair.origin, modes=pair.modes), resolve_place(atlas, pair.destination, modes=pair.modes)
    with_volume = [lane for lane in lanes if lane.volume_teu_per_year is not None]
    assert with_volume and all(lane.volume_source_ids for lane in with_volume)
    sources = files("corridors.data").joinpath("lanes", "sources.csv").read_text(encoding="utf-8")
    known = {row["id"] for row in csv.DictReader(sources.splitlines())}
    assert {sid for lane in lanes for sid in lane.volume_source_ids} <= known
    assert len({lane.id for lane in lanes}) == len(lanes) and len({p.id for p in pairs}) == len(pairs)


# -- user lane files ------------------------------------------------------------------------------

SOURCES = "id,kind,title,publisher,date,reference,notes\nstat-1,statistics,Lane counts,Someone,2025,https://example.org,\n"
HEADER = "id,origin,destination,cargo,volume_teu_per_year,volume_source_ids,notes\n"


def _lane_file(tmp_path, body: str, sources: str | None = SOURCES):
    if sources is not None:
        (tmp_path / "sources.csv").write_text(sources)
    path = tmp_path / "lanes.csv"
    path.write_text(HEADER + body)
    return path


def _problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_user_lanes_with_cited_volumes_load(tmp_path):
    path = _lane_file(tmp_path, "a,p,u,teu,100,stat-1,\nb,p,t,teu,,,\n")
    assert [(lane.id, lane.volume_teu_per_year, lane.volume_source_ids) for lane in load_lanes(path)] == [
        ("a", 100.0, ("stat-1",)), ("b", None, ())]


def test_a_volume_without_a_source_is_an_error(tmp_path):
    path = _lane_file(tmp_path, "a,p,u,teu,100,,\n")
    with pytest.raises(DataError) as excinfo:
        load_lanes(path)
    [problem] = _problems(excinfo)
    assert problem.startswith(f"{path}:2 [volume_source_ids]") and "needs at least one source" in problem


def test_an_unknown_source_id_is_an_error(tmp_path):
    path = _lane_file(tmp_path, "a,p,u,teu,100,stat-1; nowhere,\n")
    with pytest.raises(DataError) as excinfo:
        load_lanes(path)
    [problem] = _problems(excinfo)
    assert problem.startswith(f"{path}:2 [volume_source_ids]") and "'nowhere'" in problem and "sources.csv" in problem


def test_cited_volumes_need_a_sources_file_next_to_the_lanes(tmp_path):
    path = _lane_file(tmp_path, "a,p,u,teu,100,stat-1,\n", sources=None)
    with pytest.raises(DataError) as excinfo:
        load_lanes(path)
    [problem] = _problems(excinfo)
    assert problem.startswith(f"{path}:2 [volume_source_ids]") and "no sources.csv" in problem
    assert load_lanes(_lane_file(tmp_path / "..", "b,p,t,teu,,,\n", sources=None))  # no volumes: none needed


def test_a_bad_sources_file_is_reported_with_its_lines(tmp_path):
    path = _lane_file(tmp_path, "a,p,u,teu,100,stat-1,\n", sources=SOURCES + ",news,No id,,,,\nstat-1,news,Again,,,,\n")
    with pytest.raises(DataError) as excinfo:
        load_lanes(path)
    problems = _problems(excinfo)
    assert any(p.startswith(f"{tmp_path / 'sources.csv'}:3 [id]") for p in problems)
    assert any(p.startswith(f"{tmp_path / 'sources.csv'}:4 [id]") and "duplicate" in p for p in problems)


def test_a_lane_file_missing_a_column_names_it(tmp_path):
    path = tmp_path / "lanes.csv"
    path.write_text("id,from,destination\na,p,u\n")
    with pytest.raises(DataError) as excinfo:
        load_lanes(path)
    assert _problems(excinfo) == [f"{path}:1 [origin]: required column is missing (found: id, from, destination)"]


# -- user access-pair files -----------------------------------------------------------------------

def test_user_access_pairs_load(tmp_path):
    path = tmp_path / "access.csv"
    path.write_text("id,name,origin,destination,modes,notes\npu,P-U,p,u,road; rail,\npt,P-T,p,t,,\n")
    pu, pt = load_access_pairs(path)
    assert (pu.id, pu.modes, pt.modes) == ("pu", frozenset({Mode.ROAD, Mode.RAIL}), None)


def test_access_pairs_report_missing_columns_and_bad_modes_with_lines(tmp_path):
    missing = tmp_path / "missing.csv"
    missing.write_text("id,origin,destination\npu,p,u\n")
    with pytest.raises(DataError) as excinfo:
        load_access_pairs(missing)
    assert [p.column for p in excinfo.value.problems] == ["name"]
    assert excinfo.value.problems[0].line == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,origin,destination,modes\npu,P-U,p,u,road;plane\n,P-T,p,t,\n")
    with pytest.raises(DataError) as excinfo:
        load_access_pairs(bad)
    problems = _problems(excinfo)
    assert problems[0].startswith(f"{bad}:2 [modes]: 'plane' is not a mode") and "road" in problems[0]
    assert problems[1] == f"{bad}:3 [id]: required value is missing"
    assert not isinstance(excinfo.value, KeyError)
