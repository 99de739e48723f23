"""Impact analysis on the tiny network, against hand computations (see test_router_tiny.py)."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from corridors.analysis import (
    AccessPair,
    Lane,
    base_case,
    compare,
    criticality,
    scenario_case,
    tcd_series,
)
from corridors.analysis import sweep as sweep_module
from corridors.analysis.sweep import sweep
from corridors.errors import InvalidOptionError
from corridors.model import Mode
from corridors.routing import RouteOptions
from corridors.scenarios import parse_scenario

CLOSE_RS = parse_scenario("""
name: close-rs
description: the R-S rail crossing closes
patches:
  - {action: close, element: border, where: {ids: [r--s]}}
""", "close-rs.yaml")


def test_compare_lanes_and_country_transit(tiny):
    lanes = [Lane("pu", "p", "u", volume_teu_per_year=100.0), Lane("pt", "p", "t")]
    access = [AccessPair("pu-rail", "P-U by rail", "p", "u", frozenset({Mode.RAIL}))]
    options = RouteOptions(objective="cost")
    result = compare(base_case(tiny, options), scenario_case(tiny, CLOSE_RS, options), lanes, access)
    pu, pt = result.lanes
    assert pu.status == "rerouted" and pu.delta("cost_usd") == pytest.approx(1250 - 912)
    assert pt.status == "rerouted" and pt.after.route.cost_usd == pytest.approx(950)
    iran = next(c for c in result.countries if c.country == "IR")
    # before, P->U transits IR: half of r--s (12 km), s--t (110 km), half of u--t (130 km), 10 t per TEU
    assert iran.transit_tkm_per_unit[0] == pytest.approx((12 / 2 + 110 + 130 / 2) * 10)
    # revenue: half r--s haul 6 + s--t 110 + half u--t haul 130 + half fees 50 + 20 + gauge change 50 + transfer 100
    assert iran.transit_revenue_usd_per_unit[0] == pytest.approx(6 + 110 + 130 + 50 + 20 + 50 + 100)
    assert iran.transit_revenue_usd_per_year[0] == pytest.approx(100 * 466)
    # after, P->U runs by road P-T-U: half of p--t (400 km) and half of u--t in IR, fees halved
    assert iran.transit_tkm_per_unit[1] == pytest.approx((400 / 2 + 130 / 2) * 10)
    [p_u_rail] = result.access
    assert p_u_rail.status == "isolated"  # never reachable by rail alone: U has only roads
    assert result.to_dict()["lanes"][0]["status"] == "rerouted"


def test_annual_figures_count_shipments_of_the_lanes_cargo(tiny):
    """100 TEU a year in FEU is 50 shipments of twice the TEU revenue: the same 100 x 466 USD a
    year through Iran as the TEU lane above, not twice it."""
    lanes = [Lane("pu", "p", "u", cargo="feu", volume_teu_per_year=100.0)]
    options = RouteOptions(objective="cost")
    result = compare(base_case(tiny, options), scenario_case(tiny, CLOSE_RS, options), lanes)
    iran = next(c for c in result.countries if c.country == "IR")
    assert iran.transit_revenue_usd_per_unit[0] == pytest.approx(2 * 466)
    assert iran.transit_revenue_usd_per_year[0] == pytest.approx(100 * 466)
    ranked = criticality(base_case(tiny, options), lanes)
    rs = next(c for c in ranked if c.element == "r--s")
    assert rs.extra_cost_usd == pytest.approx(2 * (1250 - 912))  # one FEU shipment
    assert rs.extra_cost_usd_per_year == pytest.approx(50 * 2 * (1250 - 912))


def test_criticality_ranks_by_damage(tiny):
    lanes = [Lane("pt", "p", "t"), Lane("pu", "p", "u")]
    ranked = criticality(base_case(tiny, RouteOptions(objective="time")), lanes)
    by_id = {c.element: c for c in ranked}
    # P->T uses the rail via R-S; closing it sends the lane by road: 26.67 - 24.05 h
    assert by_id["r--s"].extra_time_h == pytest.approx(400 / 60 + 20 - 24.05)
    # P->U (time) uses p--t and u--t roads; closing U-T cuts U off (Q-U is closed)
    assert by_id["u--t"].lanes_cut == ("pu",)
    assert ranked[0].lanes_cut  # cuts rank first


def test_tcd_series_ends_at_the_route_totals(tiny):
    from corridors import route

    r = route(tiny, "p", "u", RouteOptions(objective="cost"))
    series = tcd_series(r)
    assert (series[-1].distance_km, series[-1].time_h, series[-1].cost_usd) == pytest.approx((r.distance_km, r.time_h, r.cost_usd))
    assert all(b.distance_km >= a.distance_km and b.time_h >= a.time_h for a, b in zip(series, series[1:]))
    assert [p.kind for p in series].count("border") == len(r.border_crossings)


@pytest.fixture()
def scenario_files(tmp_path):
    paths = []
    for name, patch in (("close-rs", "{action: close, element: border, where: {ids: [r--s]}}"),
                        ("open-qu", "{action: open, element: border, where: {ids: [q--u]}}")):
        path = tmp_path / f"{name}.yaml"
        path.write_text(f"name: {name}\ndescription: test\npatches:\n  - {patch}\n")
        paths.append(str(path))
    return paths


def test_sweep_resumes_after_an_interruption_without_half_written_rows(tiny_path, tmp_path, scenario_files, monkeypatch):
    lanes = [Lane("pt", "p", "t"), Lane("pu", "p", "u")]
    db = tmp_path / "sweep.sqlite"
    real = sweep_module.scenario_rows

    def dies_on_second(network_path, scenario, lanes, objective):
        if scenario == scenario_files[1]:
            raise KeyboardInterrupt
        return real(network_path, scenario, lanes, objective)

    monkeypatch.setattr(sweep_module, "scenario_rows", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        sweep(["atlas", *scenario_files], lanes, db, network_path=str(tiny_path), objective="time")
    stored = sqlite3.connect(db).execute("SELECT scenario, count(*) FROM results GROUP BY scenario").fetchall()
    assert sorted(stored) == sorted([("atlas", 2), (scenario_files[0], 2)])
    monkeypatch.setattr(sweep_module, "scenario_rows", real)
    summary = sweep(["atlas", *scenario_files], lanes, db, network_path=str(tiny_path), objective="time")
    assert summary.computed == (scenario_files[1],) and len(summary.skipped) == 2
    rows = sqlite3.connect(db).execute("SELECT scenario, lane, time_h FROM results ORDER BY scenario, lane").fetchall()
    assert len(rows) == 6
    # resuming with other lanes would mix two sweeps in one file: refused
    with pytest.raises(InvalidOptionError, match="another network or other lanes"):
        sweep(["atlas", *scenario_files], lanes[:1], db, network_path=str(tiny_path), objective="time")
    assert next(t for s, lane, t in rows if (s, lane) == ("atlas", "pt")) == pytest.approx(24.05)


def test_dask_and_local_sweeps_agree(tiny_path, tmp_path, scenario_files):
    lanes = [Lane("pt", "p", "t"), Lane("pu", "p", "u"), Lane("tu", "t", "u")]
    local, remote = tmp_path / "local.sqlite", tmp_path / "dask.sqlite"
    sweep(["atlas", *scenario_files], lanes, local, network_path=str(tiny_path))
    sweep(["atlas", *scenario_files], lanes, remote, network_path=str(tiny_path), dask=True)
    query = "SELECT * FROM results ORDER BY scenario, lane"
    assert sqlite3.connect(local).execute(query).fetchall() == sqlite3.connect(remote).execute(query).fetchall()


def test_a_comparison_across_network_years_says_so(tiny):
    """A scenario routed in another year than its base also counts links that open in between."""
    options = RouteOptions(objective="cost")
    same = compare(base_case(tiny, options), scenario_case(tiny, CLOSE_RS, options), [Lane("pt", "p", "t")])
    assert same.years == (None, None) and same.to_dict()["year_note"] == ""
    later = compare(base_case(tiny, options), scenario_case(tiny, CLOSE_RS, dataclasses.replace(options, year=2030)),
                    [Lane("pt", "p", "t")])
    assert later.to_dict()["base_year"] is None and later.to_dict()["scenario_year"] == 2030
    assert later.year_note == ("The base is routed in the reference year and the scenario in 2030: "
                               "links opening in between count as changes too.")
    # the reference year given by name is the same year: no note
    named = compare(base_case(tiny, options), scenario_case(tiny, CLOSE_RS, dataclasses.replace(options, year=tiny.as_of_year)),
                    [Lane("pt", "p", "t")])
    assert named.years == (None, tiny.as_of_year) and named.year_note == ""


def test_a_lane_with_no_route_before_or_after_has_not_changed(tiny):
    """The web app and the HTML report count "changed" lanes from this one property."""
    from corridors.analysis.compare import LaneChange

    options = RouteOptions(objective="cost", modes=frozenset({Mode.SEA}))  # no sea route reaches Town U
    result = compare(base_case(tiny, options), scenario_case(tiny, CLOSE_RS, options), [Lane("pu", "p", "u")])
    [lane] = result.lanes
    assert lane.status == "unreachable" and not lane.changed and result.to_dict()["lanes"][0]["changed"] is False
    assert isinstance(lane, LaneChange)
