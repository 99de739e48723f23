"""The element-kind handlers of scenario patches, and ``scale`` stored as multipliers.

Expected selections are read off tests/fixtures/tiny by hand; expected multipliers are the
products of the factors in each scenario."""

from __future__ import annotations

import dataclasses
import pytest

from corridors.errors import ScenarioError
from corridors.model import Mode, Network, Source
from corridors.scenarios import apply_scenario, parse_scenario
from corridors.scenarios.elements import ELEMENT_KINDS, ElementKind, kinds_that


def applied(network: Network, *patches: str):
    text = "name: t\ndescription: d\npatches:\n" + "".join(f"  - {p}\n" for p in patches)
    return apply_scenario(network, parse_scenario(text, "t.yaml"))


def problems(network: Network, *patches: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        applied(network, *patches)
    return [str(p) for p in info.value.problems]


def test_the_registry_names_every_kind_with_its_selectors_as_the_docs_table():
    # docs/scenario-format.md: "Each element is chosen by some `where` keys only"
    assert {name: kind.selectors for name, kind in ELEMENT_KINDS.items()} == {
        "link": ("ids", "country", "mode", "corridor"),
        "border": ("ids", "country", "countries", "mode", "corridor"),
        "node": ("ids", "country"),
        "transfer": ("modes",),
        "mode": ("mode",),
    }
    assert all(name == kind.name for name, kind in ELEMENT_KINDS.items())
    assert kinds_that(lambda k: k.row_model is not None) == "links, nodes and borders"
    assert kinds_that(lambda k: k.has_status) == "links and borders"


@pytest.mark.parametrize(
    ("patch", "element", "ids"),
    [
        ("{action: scale, where: {corridor: east}, factor: {cost: 2}}", "link",
         {"p--q--rail", "q--r--rail", "r--s--rail", "s--t--rail"}),
        ("{action: scale, where: {country: AM}, factor: {cost: 2}}", "link", {"q--u--road", "u--t--road"}),
        ("{action: scale, element: border, where: {countries: [IR, AZ], mode: road}, factor: {fee: 2}}", "border",
         {"p--t", "q--t", "a1--a2"}),
        ("{action: scale, element: border, where: {corridor: west}, factor: {fee: 2}}", "border", {"q--u", "u--t"}),
        ("{action: set, element: node, where: {country: IR}, set: {gauge_change_time_h: 1}}", "node",
         {"s", "t", "a2"}),
        ("{action: scale, element: transfer, where: {modes: [road, rail]}, factor: {time: 2}}", "transfer", {"rail-road"}),
        ("{action: scale, element: mode, where: {mode: sea}, factor: {time: 2}}", "mode", {"sea"}),
    ],
)
def test_each_kind_selects_as_before(tiny, patch, element, ids):
    changes = applied(tiny, patch).changes
    assert {c.element for c in changes} == {element}
    assert {c.id for c in changes} == ids


def test_set_writes_each_kind_back(tiny):
    net = applied(
        tiny,
        "{action: set, where: {ids: [p--q--rail]}, set: {wait_h: 3}}",
        "{action: set, element: border, where: {ids: [r--s]}, set: {fee_usd: 7}}",
        "{action: set, element: node, where: {ids: [q]}, set: {gauge_change_cost_usd: 9}}",
        "{action: set, element: transfer, where: {modes: [rail, sea]}, set: {co2e_kg_per_teu: 4}}",
        "{action: set, element: mode, where: {mode: ferry}, set: {speed_kmh: 25}}",
    ).network
    assert net.link_by_id["p--q--rail"].wait_h == 3
    assert net.border_by_key[("r--s", Mode.RAIL)].fee_usd == 7
    assert net.node_by_id["q"].gauge_change_cost_usd == 9
    assert net.parameters.transfer(Mode.SEA, Mode.RAIL).co2e_kg_per_teu == 4
    assert net.parameters.modes[Mode.FERRY].speed_kmh == 25
    # what no patch named is the input's own object
    assert net.link_by_id["q--r--rail"] is tiny.link_by_id["q--r--rail"]
    assert net.parameters.transfer(Mode.ROAD, Mode.RAIL) is tiny.parameters.transfer(Mode.ROAD, Mode.RAIL)


def test_scaling_a_link_stores_multipliers_and_leaves_its_figures(tiny):
    net = applied(tiny, "{action: scale, where: {ids: [p--t--road]}, factor: {time: 2, cost: 3}}",
                  "{action: scale, where: {ids: [p--q--road]}, factor: {speed: 2}}").network
    before, after = tiny.link_by_id["p--t--road"], net.link_by_id["p--t--road"]
    assert (after.time_h, after.speed_kmh, after.cost_usd_per_teu) == (None, None, None)
    assert (after.time_factor, after.cost_factor) == (2.0, 3.0)
    assert dataclasses.replace(after, time_factor=1.0, cost_factor=1.0) == before
    faster = net.link_by_id["p--q--road"]
    assert (faster.speed_kmh, faster.time_factor, faster.cost_factor) == (None, 0.5, 1.0)
    assert net.parameters is tiny.parameters  # a link's scale changes no mode default


def test_scaling_a_mode_speed_by_two_halves_its_time_multiplier(tiny):
    net = applied(tiny, "{action: scale, element: mode, where: {mode: rail}, factor: {speed: 2, cost: 1.5}}").network
    rail = net.parameters.modes[Mode.RAIL]
    assert (rail.speed_kmh, rail.cost_usd_per_teu_km) == (40, 1.0)  # the fixture's figures
    assert (rail.time_factor, rail.cost_factor) == (0.5, 1.5)
    assert net.parameters.modes[Mode.ROAD] is tiny.parameters.modes[Mode.ROAD]


def test_scaling_borders_and_transfers_stores_multipliers(tiny):
    net = applied(tiny, "{action: scale, element: border, where: {ids: [r--s]}, factor: {dwell: 1.5, fee: 2}}",
                  "{action: scale, element: transfer, where: {modes: [rail, road]}, factor: {time: 3, cost: 0.5}}").network
    border = net.border_by_key[("r--s", Mode.RAIL)]
    assert (border.dwell_h, border.dwell_p90_h, border.fee_usd) == (10, 30, 100)
    assert (border.dwell_factor, border.fee_factor) == (1.5, 2.0)
    transfer = net.parameters.transfer(Mode.ROAD, Mode.RAIL)
    assert (transfer.time_h, transfer.cost_usd_per_teu) == (10, 100)
    assert (transfer.time_factor, transfer.cost_factor) == (3.0, 0.5)


def test_two_scales_multiply(tiny):
    result = applied(
        tiny,
        "{action: scale, where: {ids: [q--r--rail]}, factor: {time: 1.5}}",
        "{action: scale, where: {corridor: east}, factor: {time: 2}}",
        "{action: scale, where: {ids: [q--r--rail]}, factor: {time: 3, speed: 2}}",  # one patch, one multiplier
    )
    assert result.network.link_by_id["q--r--rail"].time_factor == pytest.approx(1.5 * 2 * 3 / 2)
    assert result.network.link_by_id["p--q--rail"].time_factor == 2.0
    steps = [(c.where, c.old, c.new) for c in result.changes if c.id == "q--r--rail"]
    assert steps == [("patches[0]", 1.0, 1.5), ("patches[1]", 1.5, 3.0), ("patches[2]", 3.0, pytest.approx(4.5))]


def test_the_change_log_names_the_multiplier_readably(tiny):
    [change] = applied(tiny, "{action: scale, where: {ids: [p--t--road]}, factor: {time: 1.5}, note: slow}").changes
    assert (change.element, change.id, change.field, change.old, change.new, change.note) == (
        "link", "p--t--road", "time_factor", 1.0, 1.5, "slow")
    assert str(change) == "link p--t--road: time_factor 1 -> 1.5 (scenario t, patches[0])"


def test_capacity_is_scaled_in_place(tiny):
    net = applied(tiny, "{action: set, where: {ids: [p--q--rail]}, set: {capacity_t_per_year: 1000}}",
                  "{action: scale, where: {ids: [p--q--rail]}, factor: {capacity: 2.5}}").network
    assert net.link_by_id["p--q--rail"].capacity_t_per_year == 2500


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ("{action: scale, element: border, where: {ids: [r--s]}, factor: {time: 2}}",
         "[patches[0].factor.time]: a border scales by dwell, fee"),
        ("{action: scale, element: node, where: {ids: [p]}, factor: {time: 2}}",
         "[patches[0].factor.time]: a node scales by nothing"),
        ("{action: scale, where: {ids: [p--q--rail]}, factor: {pace: 2}}",
         "[patches[0].factor]: 'pace' is not a factor; one of time, cost, speed, capacity, dwell, fee"),
        ("{action: set, element: pipe, where: {ids: [x]}, set: {x: 1}}",
         "[patches[0].element]: 'pipe' is not an element; one of link, node, border, transfer, mode"),
        ("{action: remove, element: mode, where: {mode: road}}",
         "[patches[0].element]: modes cannot be removed; use action 'set' or 'scale'"),
        ("{action: add, element: transfer, rows: [{modes: [rail, road]}]}",
         "[patches[0].element]: only links, nodes and borders can be added, not transfers"),
        ("{action: open, element: node, where: {ids: [p]}}",
         "[patches[0]]: only links and borders can be opened or closed, not nodes"),
        ("{action: scale, element: transfer, where: {modes: [rail]}, factor: {time: 2}}",
         "[patches[0].where.modes]: a transfer is chosen by its two modes"),
    ],
)
def test_what_a_kind_cannot_do_is_an_error_with_its_key_path(tiny, patch, expected):
    found = problems(tiny, patch)
    assert any(f"t.yaml:4 {expected}" in p for p in found), found


def test_a_mode_without_defaults_is_selected_by_no_patch(tiny):
    params = dataclasses.replace(tiny.parameters, modes={m: p for m, p in tiny.parameters.modes.items() if m is not Mode.IWW})
    network = dataclasses.replace(tiny, parameters=params)
    found = problems(network, "{action: scale, element: mode, where: {mode: iww}, factor: {cost: 2}}")
    assert "t.yaml:4 [patches[0].where]: selects no mode in the network" in found


class _Sources(ElementKind):
    """A kind registered by a test: the network's sources, whose notes a scenario may set."""

    name = "source"
    network_field = "sources"
    selectors = ("ids",)
    settable = {"notes": str}

    def matcher(self, draft, where):
        return lambda source: True


def test_a_new_kind_of_element_is_one_handler(tiny, monkeypatch):
    monkeypatch.setitem(ELEMENT_KINDS, "source", _Sources())
    result = applied(tiny, "{action: set, element: source, where: {ids: [test-data]}, set: {notes: checked}}")
    assert result.network.source_by_id["test-data"].notes == "checked"
    assert [(c.element, c.id, c.field, c.new) for c in result.changes] == [("source", "test-data", "notes", "checked")]
    assert isinstance(result.network.sources[0], Source)
    found = problems(tiny, "{action: scale, element: source, where: {ids: [nope]}, factor: {time: 2}}")
    assert "t.yaml:4 [patches[0].where.ids[0]]: no source 'nope' in the network" in found
    assert "t.yaml:4 [patches[0].where]: selects no source in the network" in found
