"""Scenario files: validation with key paths and lines, pure application, change log, policies."""

from __future__ import annotations

import pytest

from corridors import NoRouteError, RouteOptions, route
from corridors.errors import ScenarioError
from corridors.graph import compile_graph
from corridors.scenarios import apply_scenario, parse_scenario, scenario_options

ROAD_P_T_H = 400 / 60 + 20


def apply(network, text):
    applied = apply_scenario(network, parse_scenario(text, "test.yaml"))
    return applied, scenario_options(applied, RouteOptions(objective="time"))


def test_closing_a_border_reroutes_and_explains_itself(tiny):
    applied, options = apply(tiny, """
name: close-rs
description: the R-S rail crossing closes
patches:
  - {action: close, element: border, where: {ids: [r--s]}, note: strike}
""")
    assert route(applied.network, "p", "t", options).time_h == pytest.approx(ROAD_P_T_H)
    [change] = [c for c in applied.changes if c.field == "status"]
    assert (change.element, change.id, change.old, change.new, change.where) == ("border", "r--s", "operational", "closed", "patches[0]")
    blocked = RouteOptions(objective="time", avoid=("p--t", "q--t--road", "q--u"))
    with pytest.raises(NoRouteError, match=r"border crossing R-S rail \(AZ-IR rail\) is closed by scenario close-rs \(patches\[0\]\)"):
        route(applied.network, "p", "t", scenario_options(applied, blocked))


def test_application_is_pure_and_reuses_the_compiled_topology(tiny):
    before = tiny.border_by_key[("q--u", tiny.link_by_id["q--u--road"].mode)].status
    applied, options = apply(tiny, """
name: open-qu
description: Q-U opens
patches:
  - {action: open, element: border, where: {countries: [AZ, AM]}}
  - {action: set, element: border, where: {ids: [q--u]}, set: {dwell_h: 2, fee_usd: 10}}
""")
    assert tiny.border_by_key[("q--u", tiny.link_by_id["q--u--road"].mode)].status == before  # input untouched
    assert applied.network.derived_from is tiny
    assert compile_graph(applied.network).topology is compile_graph(tiny).topology
    r = route(applied.network, "p", "u", options)
    assert r.time_h == pytest.approx(130 / 60 + 150 / 60 + 2)
    assert [b.name for b in r.border_crossings] == ["Q-U road"]


def test_scale_and_mode_parameters(tiny):
    applied, options = apply(tiny, """
name: slow-rail
description: rail twice as slow, road fuel dearer
patches:
  - {action: scale, element: mode, where: {mode: rail}, factor: {time: 2}}
  - {action: scale, element: mode, where: {mode: road}, factor: {cost: 1.5}}
""")
    r = route(applied.network, "p", "t", options)
    assert r.time_h == pytest.approx(min(2 * (120 + 120 + 12 + 110) / 40 + 10 + 5, ROAD_P_T_H))
    cost = route(applied.network, "p", "t", scenario_options(applied, RouteOptions(objective="cost", modes=frozenset({"road"}))))
    assert cost.cost_usd == pytest.approx(400 * 2 * 1.5 + 150)


def test_flow_rule_applies_only_to_its_flows(tiny):
    applied, _ = apply(tiny, """
name: cut
description: traffic between AZ and AM may not use the U-T crossing; AZ cargo may not transit IR
policies:
  rules:
    - {name: no-ut, when: {between: [AM, IR]}, forbid: [u--t]}
    - {name: no-ir-transit, when: {origin: [AZ]}, forbid_transit: [IR]}
""")
    options = scenario_options(applied, RouteOptions(objective="time"))
    with pytest.raises(NoRouteError, match="policy 'no-ir-transit'"):
        route(applied.network, "p", "u", options)  # AZ -> AM may not cross IR, and Q-U is closed
    with pytest.raises(NoRouteError, match="policy 'no-ut'"):
        route(applied.network, "t", "u", options)  # IR -> AM may not use U-T
    assert route(applied.network, "p", "t", options).time_h == pytest.approx(24.05)  # IR is the destination: no transit


def test_add_links_and_nodes(tiny):
    applied, options = apply(tiny, """
name: bridge
description: a new road bridge from U to A1
patches:
  - action: add
    element: link
    rows:
      - {id: u--a1--road, from: u, to: a1, mode: road, distance_km: 60, length_source: estimate, status: operational, border: u--a1, source_ids: test-data}
  - action: add
    element: border
    rows:
      - {id: u--a1, name: U-A1 road, country_a: AM, country_b: AZ, mode: road, status: operational, dwell_h: 1, fee_usd: 5, source_ids: test-data}
""")
    assert route(applied.network, "u", "a1", options).time_h == pytest.approx(1 + 1)
    assert compile_graph(applied.network).topology is not compile_graph(tiny).topology


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: x\ndescription: d\npatches:\n  - action: close\n    element: border\n    where: {country: XX}\n",
         "test.yaml:6 [patches[0].where.country]: 'XX' is not a country code"),
        ("name: x\ndescription: d\npatches:\n  - {action: close, where: {ids: [nope]}}\n",
         "test.yaml:4 [patches[0].where.ids[0]]: no link 'nope' in the network"),
        ("name: x\ndescription: d\npatches:\n  - {action: close, element: border, where: {ids: [q--u]}}\n  - {action: open, element: border, where: {ids: [q--u]}}\n",
         "[patches[1]]: contradicts patches[0]"),
        ("name: x\ndescription: d\npatches:\n  - {action: close, element: border, where: {ids: [r--s]}}\n  - {action: set, element: border, where: {ids: [r--s]}, set: {status: operational}}\n",
         "[patches[1]]: contradicts patches[0]: it opens border 'r--s' (rail), which that patch closes"),
        ("name: x\ndescription: d\npatches:\n  - {action: close, element: border, where: {ids: [r--s]}}\n  - {action: remove, element: border, where: {ids: [r--s]}}\n",
         "[patches[1]]: contradicts patches[0]: it removes border 'r--s' (rail), which that patch closes"),
        ("name: x\ndescription: d\npatches:\n  - {action: close, where: {ids: [p--q--rail]}}\n  - {action: set, where: {ids: [p--q--rail]}, set: {status: operational}}\n",
         "[patches[1]]: contradicts patches[0]: it opens link 'p--q--rail', which that patch closes"),
        ("name: x\ndescription: d\npatches:\n  - {action: set, where: {ids: [p--q--rail]}, set: {colour: red}}\n",
         "[patches[0].set.colour]: a link's 'colour' cannot be set"),
        ("name: x\ndescription: d\npatches:\n  - {action: close, where: {mode: ferry}}\n",
         "[patches[0].where]: selects no link in the network"),
        ("name: x\ndescription: d\npatches:\n  - {action: scale, where: {mode: rail}, factor: {time: -1}}\n",
         "test.yaml:4 [patches[0].factor]"),
        ("name: x\ndescription: d\npatches:\n  - action: open\n    wher: {ids: [q--u]}\n",
         "test.yaml:5 [patches[0].wher]: unknown key"),
        ("name: x\ndescription: d\nbase: {year: soon}\n", "test.yaml:3 [base.year]"),
        ("name: Bad Name\ndescription: d\n", "test.yaml:1 [name]"),
        ("name: x\ndescription: d\npolicies: {avoid_countries: [ZZ]}\n", "[policies.avoid_countries[0]]: 'ZZ' is not a country code"),
        ("name: x\ndescription: d\nparameters: {cost_factor: {road: -2}}\n",
         "test.yaml:3 [parameters.cost_factor]: unknown key; scale a mode's cost with a patch"),
    ],
)
def test_invalid_scenarios_name_key_path_and_line(tiny, text, expected):
    with pytest.raises(ScenarioError) as info:
        apply_scenario(tiny, parse_scenario(text, "test.yaml"))
    assert any(expected in str(p) for p in info.value.problems), [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ("{action: close, element: link, where: {countries: [AZ, AM]}}",
         "[patches[0].where.countries]: a link is not selected by countries; use ids, country, mode, corridor"),
        ("{action: close, element: link, where: {modes: [rail, road]}}", "[patches[0].where.modes]: a link is not selected by modes"),
        ("{action: set, element: node, where: {corridor: nope}, set: {gauge_change_time_h: 1}}",
         "[patches[0].where.corridor]: a node is not selected by corridor; use ids, country"),
        ("{action: set, element: node, where: {ids: [p], mode: rail}, set: {gauge_change_time_h: 1}}",
         "[patches[0].where.mode]: a node is not selected by mode"),
        ("{action: scale, element: transfer, where: {modes: [rail, road], country: AZ}, factor: {time: 2}}",
         "[patches[0].where.country]: a transfer is not selected by country; use modes"),
        ("{action: scale, element: mode, where: {mode: road, ids: [p--t--road]}, factor: {cost: 2}}",
         "[patches[0].where.ids]: a mode is not selected by ids; use mode"),
        # a year on any action but open, or a selector on add, used to be ignored as well
        ("{action: close, where: {ids: [p--q--rail]}, year: 2030}", "[patches[0]]: 'year' is when an opened element"),
        ("{action: add, where: {country: AZ}, rows: [{id: n, name: N, country: AZ, lon: 49, lat: 40, kind: city}]}",
         "[patches[0]]: action 'add' takes its elements from 'rows'; it has no 'where' selector"),
    ],
)
def test_a_selector_key_the_element_is_not_selected_by_is_an_error(tiny, patch, expected):
    # such a key used to be ignored, so the first patch above closed every link of the network
    text = f"name: x\ndescription: d\npatches:\n  - {patch}\n"
    with pytest.raises(ScenarioError) as info:
        apply_scenario(tiny, parse_scenario(text, "test.yaml"))
    problems = [str(p) for p in info.value.problems]
    assert any(f"test.yaml:4 {expected}" in p for p in problems), problems


def test_nothing_is_half_applied(tiny):
    text = "name: x\ndescription: d\npatches:\n  - {action: close, element: border, where: {ids: [r--s]}}\n  - {action: close, where: {ids: [nope]}}\n"
    with pytest.raises(ScenarioError):
        apply_scenario(tiny, parse_scenario(text, "t.yaml"))
    assert route(tiny, "p", "t", RouteOptions(objective="time")).time_h == pytest.approx(24.05)


def test_yaml_cannot_run_code(tiny, tmp_path):
    marker = tmp_path / "ran"
    text = f"name: x\ndescription: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ScenarioError, match="not valid YAML"):
        parse_scenario(text, "evil.yaml")
    assert not marker.exists()


def test_scale_capacity_needs_a_capacity(tiny):
    with pytest.raises(ScenarioError, match="has no capacity to scale"):
        apply(tiny, "name: x\ndescription: d\npatches:\n  - {action: scale, where: {ids: [p--q--rail]}, factor: {capacity: 2}}\n")
