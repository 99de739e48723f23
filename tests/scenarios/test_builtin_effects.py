"""Every built-in scenario moves routes in the direction geography and politics say it should.

Each expectation is reasoned from the map, not read off the router: a corridor that opens gives
a route where there was none or a shorter one; a closed strait or border moves routes off it.

A scenario's effect is measured against the baseline of its own network year (``year=`` below);
where the atlas itself plans a link by then (its ``opens_year``), the change from 2025 is the
network year's, not the scenario's, and the test says so.
"""

from __future__ import annotations

import pytest

from corridors import InvalidOptionError, NoRouteError, RouteOptions, load_atlas, route
from corridors.errors import ScenarioError
from corridors.model import Mode
from corridors.scenarios import apply_scenario, builtin_scenarios, load_scenario, scenario_options
from corridors.scenarios import builtin as builtin_module
from corridors.scenarios.builtin import builtin_names

RAIL, ROAD = frozenset({Mode.RAIL}), frozenset({Mode.ROAD})


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def run(atlas, scenario, origin, destination, **options):
    applied = apply_scenario(atlas, load_scenario(scenario))
    return route(applied.network, origin, destination, scenario_options(applied, RouteOptions(**options)))


def countries(r):
    return {c for leg in r.legs for c in leg.countries}


def test_every_builtin_applies_and_cites_sources(atlas):
    names = [s.name for s in builtin_scenarios()]
    required = {"baseline-2025", "zangezur-open", "zangezur-extraterritorial", "aghband-araz-route", "rasht-astara-rail",
                "am-az-normalisation", "am-tr-border-open", "regional-3plus3-open", "red-sea-closed", "hormuz-closed",
                "caspian-ferry-disruption", "upper-lars-closed", "avoid-russia", "kars-igdir-nakhchivan-rail"}
    assert required <= set(names)
    assert names == list(builtin_names())  # every shipped file validates (an invalid one would be left out)
    for scenario in builtin_scenarios():
        applied = apply_scenario(atlas, scenario)
        assert scenario.spec.description.strip()
        assert scenario.spec.sources or scenario.name == "baseline-2025", scenario.name
        sources = applied.network.source_by_id
        assert all(sources[sid].title.strip() for sid in scenario.spec.sources), scenario.name
        defined = {s.id for s in scenario.spec.new_sources}
        assert defined <= set(scenario.spec.sources), f"{scenario.name} defines sources it does not cite"
        assert not defined & set(atlas.source_by_id), f"{scenario.name} redefines atlas sources"


def test_nakhchivan_rail_links(atlas):
    with pytest.raises(NoRouteError):
        run(atlas, "baseline-2025", "Baku", "Nakhchivan", modes=RAIL)
    zangezur = run(atlas, "zangezur-open", "Baku", "Nakhchivan", modes=RAIL, objective="distance")
    araz = run(atlas, "aghband-araz-route", "Baku", "Nakhchivan", modes=RAIL, objective="distance")
    assert "AM" in countries(zangezur) and "IR" not in countries(zangezur)
    assert "IR" in countries(araz) and "AM" not in countries(araz)
    # the atlas plans the Meghri (TRIPP) section for 2029: the rail link is the network year's
    # effect (2025 none -> 2029 through Armenia), zangezur-open adds nothing in its year
    baseline_2029 = run(atlas, "baseline-2025", "Baku", "Nakhchivan", modes=RAIL, objective="distance", year=2029)
    assert baseline_2029.link_ids == zangezur.link_ids
    # the Araz route is a scenario effect: in 2030 the baseline goes through Armenia, the scenario through Iran
    assert "AM" in countries(run(atlas, "baseline-2025", "Baku", "Nakhchivan", modes=RAIL, objective="distance", year=2030))
    assert zangezur.distance_km < araz.distance_km  # through Meghri is the straighter line


def test_extraterritorial_zangezur_cuts_iran_armenia_at_meghri(atlas):
    before = run(atlas, "baseline-2025", "Tehran", "Yerevan", modes=ROAD, year=2029)  # the scenario's year
    assert [(b.from_country, b.to_country) for b in before.border_crossings] == [("IR", "AM")]
    after = run(atlas, "zangezur-extraterritorial", "Tehran", "Yerevan", modes=ROAD)
    # Meghri closed, and Armenia's borders with Azerbaijan and Turkey shut: round by Turkey and Georgia
    assert [(b.from_country, b.to_country) for b in after.border_crossings] == [("IR", "TR"), ("TR", "GE"), ("GE", "AM")]
    assert after.distance_km > before.distance_km
    assert ("IR", "AM") not in [(b.from_country, b.to_country) for b in after.border_crossings]


def test_rasht_astara_closes_the_western_rail_gap_by_2030_in_the_atlas_itself(atlas):
    # today a train from Astara to Rasht (160 km apart) must go round the Caspian
    assert run(atlas, "baseline-2025", "Astara, IR", "Rasht", modes=RAIL, objective="distance").distance_km > 2000
    scenario = run(atlas, "rasht-astara-rail", "Astara, IR", "Rasht", modes=RAIL, objective="distance")
    assert scenario.distance_km < 250
    # the atlas plans the railway for 2030, the scenario's year: the gap closes as a network-year
    # effect; against the 2030 baseline the scenario changes nothing
    baseline_2030 = run(atlas, "baseline-2025", "Astara, IR", "Rasht", modes=RAIL, objective="distance", year=2030)
    assert baseline_2030.link_ids == scenario.link_ids


def test_armenian_borders_opening(atlas):
    before_2025 = run(atlas, "baseline-2025", "Baku", "Yerevan", modes=ROAD)
    before = run(atlas, "baseline-2025", "Baku", "Yerevan", modes=ROAD, year=2026)  # the scenario's year
    after = run(atlas, "am-az-normalisation", "Baku", "Yerevan", modes=ROAD)
    # year effect: in 2025 round by Georgia; the Aghband-Kalaleh bridge (2026) gives a way by Iran
    assert "GE" in countries(before_2025) and "GE" not in countries(before) and "IR" in countries(before)
    assert before.distance_km < before_2025.distance_km
    # scenario effect: the common border, straight across
    assert countries(after) == {"AZ", "AM"} and after.distance_km < before.distance_km
    kars_before = run(atlas, "baseline-2025", "Yerevan", "Kars", modes=RAIL, objective="distance")
    kars_after = run(atlas, "am-tr-border-open", "Yerevan", "Kars", modes=RAIL, objective="distance")
    assert kars_after.distance_km < kars_before.distance_km
    open_region = run(atlas, "regional-3plus3-open", "Baku", "Yerevan", modes=ROAD)
    assert open_region.distance_km < before.distance_km


def test_red_sea_closed_sends_asia_europe_round_the_cape_or_overland(atlas):
    before = run(atlas, "baseline-2025", "Shanghai", "Rotterdam", modes=frozenset({Mode.SEA}))
    after = run(atlas, "red-sea-closed", "Shanghai", "Rotterdam", modes=frozenset({Mode.SEA}))
    assert after.distance_km > before.distance_km + 4000  # the Cape adds about 6,000 km
    mumbai = run(atlas, "red-sea-closed", "Mumbai", "Rotterdam")
    assert "EG" not in countries(mumbai)
    assert {"IR", "RU"} <= countries(mumbai) or any("cape" in leg.corridors for leg in mumbai.legs)


def test_hormuz_closed_keeps_ships_out_of_the_gulf(atlas):
    r = run(atlas, "hormuz-closed", "Mumbai", "Moscow")
    gulf = {"bandar-abbas", "jebel-ali"}
    assert not gulf & {leg.from_id for leg in r.legs} and not gulf & {leg.to_id for leg in r.legs}


def test_disruptions_slow_or_divert(atlas):
    ferry = lambda s: run(atlas, s, "Aktau", "Port of Baku (Alat)", modes=frozenset({Mode.FERRY, Mode.SEA}))
    assert ferry("caspian-ferry-disruption").time_h > ferry("baseline-2025").time_h
    lars_before = run(atlas, "baseline-2025", "Tbilisi", "Moscow", modes=ROAD)
    lars_after = run(atlas, "upper-lars-closed", "Tbilisi", "Moscow", modes=ROAD)
    assert lars_after.distance_km > lars_before.distance_km
    assert "Upper Lars" not in " ".join(b.name for b in lars_after.border_crossings)
    winter = run(atlas, "volga-don-winter", "Mumbai", "Moscow")
    assert "iww" not in {leg.mode for leg in winter.legs}


def test_policies_keep_routes_out_of_countries(atlas):
    xian = run(atlas, "avoid-russia", "Xi'an", "Istanbul")
    assert "RU" not in countries(xian)
    with pytest.raises(InvalidOptionError, match="RU"):
        run(atlas, "avoid-russia", "Mumbai", "Moscow")
    sanctioned = run(atlas, "sanctions-iran-transit", "Mumbai", "Moscow")
    assert "IR" not in countries(sanctioned)
    with pytest.raises(NoRouteError):
        run(atlas, "pl-by-border-closed", "Urumqi", "Warsaw")


def test_kars_igdir_nakhchivan_rail(atlas):
    with pytest.raises(NoRouteError):
        run(atlas, "baseline-2025", "Nakhchivan", "Kars", modes=RAIL)
    scenario = run(atlas, "kars-igdir-nakhchivan-rail", "Nakhchivan", "Kars", modes=RAIL)
    assert "TR" in countries(scenario)
    # the atlas plans the railway for 2030, the scenario's year: a network-year effect, none of the scenario's
    assert run(atlas, "baseline-2025", "Nakhchivan", "Kars", modes=RAIL, year=2030).link_ids == scenario.link_ids


def test_an_invalid_builtin_is_left_out_alone_and_named_when_asked_for(tmp_path, monkeypatch):
    """One scenario file that fails used to make every built-in fail to load."""
    (tmp_path / "good.yaml").write_text(builtin_module.builtin_text("hormuz-closed").replace("name: hormuz-closed", "name: good"))
    (tmp_path / "bad.yaml").write_text("name: bad\ndescription: d\npatches:\n  - {action: close}\n")
    found = builtin_module._read_builtins(tmp_path)
    monkeypatch.setattr(builtin_module, "_builtins", lambda: found)
    assert [s.name for s in builtin_scenarios()] == ["good"]
    assert builtin_names() == ("bad", "good")
    with pytest.raises(ScenarioError, match=r"scenarios/bad.yaml:4 \[patches\[0\]\]: action 'close' needs a 'where' selector"):
        load_scenario("bad")
    assert load_scenario("good").name == "good"


def test_a_reused_topology_compiles_the_same_graph_as_a_fresh_compile(atlas):
    """Every built-in: the graph compiled on the base's topology (when the signature allows) is
    array for array the graph compiled from nothing."""
    import dataclasses

    import numpy as np

    from corridors.graph import compile_graph

    base_topology, lent = compile_graph(atlas).topology, []
    for scenario in builtin_scenarios():
        network = apply_scenario(atlas, scenario).network
        reused = compile_graph(network)
        fresh = compile_graph(dataclasses.replace(network, derived_from=None))
        pairs = [(reused, fresh, "graph"), (reused.topology, fresh.topology, "topology")]
        assert reused.topology is not fresh.topology  # two compiles indeed
        if reused.topology is base_topology:
            lent.append(scenario.name)
        for got_obj, want_obj, where in pairs:
            compared = 0
            for field in dataclasses.fields(got_obj):
                got, want = getattr(got_obj, field.name), getattr(want_obj, field.name)
                if isinstance(got, np.ndarray):
                    assert np.array_equal(got, want), (scenario.name, where, field.name)
                    compared += 1
            assert compared >= 5, where
    assert "red-sea-closed" in lent  # a scenario that only closes links borrows the base's topology
