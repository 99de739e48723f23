"""A scenario is compared with its base in the scenario's own network year; what the years alone
change (baseline 2025 -> baseline Y) is reported apart, as the year effect.

The expectations come from the atlas's link table: the Horadiz-Aghband road and the Aghband-Kalaleh
bridge are due in 2026 and the TRIPP (Meghri) rail section in 2029, so by 2029 the atlas itself has
every link zangezur-open opens. Against a 2029 baseline that scenario changes nothing; the Baku ->
Nakhchivan and Baku -> Yerevan gains against 2025 are the network year's.
"""

from __future__ import annotations

import pytest

from corridors import RouteOptions, route
from corridors.analysis import Lane, base_case
from corridors.analysis.cases import case_in_year
from corridors.session import Session

LANES = [Lane("baku-nakhchivan", "Baku", "Nakhchivan"), Lane("baku-yerevan", "Baku", "Yerevan"),
         Lane("tehran-yerevan", "Tehran", "Yerevan"), Lane("aktau-baku", "Aktau", "Port of Baku (Alat)")]


@pytest.fixture(scope="module")
def session():
    with Session() as s:
        yield s


def statuses(comparison) -> dict[str, str]:
    return {c.lane.id: c.status for c in comparison.lanes}


def test_zangezur_open_has_no_scenario_effect_in_its_own_year(session):
    result = session.compare("baseline-2025", "zangezur-open", LANES)
    assert (result.base.name, result.base.year, result.scenario.year) == ("baseline-2029", 2029, 2029)
    assert result.year_note == ""  # one network year on both sides
    assert not any(c.changed for c in result.lanes), statuses(result)
    year = result.year_effect
    assert (year.base.name, year.base.year, year.scenario.name, year.scenario.year) == ("baseline-2025", 2025, "baseline-2029", 2029)
    assert statuses(year) == {"baku-nakhchivan": "rerouted", "baku-yerevan": "rerouted",
                              "tehran-yerevan": "unchanged", "aktau-baku": "unchanged"}
    nakhchivan = year.lanes[0]
    assert nakhchivan.delta("cost_usd") < 0  # the 2026 road bridge is the shorter way
    # the middle case is the atlas routed in 2029, as a plain route computes it
    plain = route(session.network, "Baku", "Nakhchivan", RouteOptions(year=2029))
    assert nakhchivan.after.route.link_ids == plain.link_ids
    assert any(link.startswith("aghband--kalaleh") for link in plain.link_ids)
    assert result.effect_summary.splitlines() == [
        "network-year effect 2025 -> 2029 (baseline-2025 -> baseline-2029): 2 of 4 lanes change",
        "scenario effect in 2029 (baseline-2029 -> zangezur-open): 0 of 4 lanes change"]


def test_extraterritorial_zangezur_shows_only_its_own_effects(session):
    result = session.compare("baseline-2025", "zangezur-extraterritorial", LANES)
    got = statuses(result)
    assert got["baku-yerevan"] == "unchanged"  # the -118 USD of the 2026 bridge is the year's, not this scenario's
    assert got["tehran-yerevan"] != "unchanged" and result.lanes[2].delta("cost_usd") > 0  # Meghri cut: round by Turkey
    assert got["baku-nakhchivan"] != "unchanged" and result.lanes[0].delta("cost_usd") < 0  # no Armenian customs
    assert statuses(result.year_effect)["baku-yerevan"] == "rerouted"


def test_the_json_carries_the_year_effect_with_the_same_lane_fields(session):
    data = session.compare("baseline-2025", "zangezur-open", LANES).to_dict()
    assert (data["base"], data["base_year"], data["scenario_year"]) == ("baseline-2029", 2029, 2029)
    effect = data["year_effect"]
    assert (effect["base"], effect["scenario"], effect["base_year"], effect["scenario_year"]) == (
        "baseline-2025", "baseline-2029", 2025, 2029)
    assert [set(lane) for lane in effect["lanes"]] == [set(lane) for lane in data["lanes"]]
    assert [lane["lane"] for lane in effect["lanes"] if lane["changed"]] == ["baku-nakhchivan", "baku-yerevan"]


def test_a_same_year_scenario_has_no_year_effect_and_year_moves_both(session):
    same = session.compare("baseline-2025", "red-sea-closed", LANES[:1])
    assert same.year_effect is None and same.to_dict()["year_effect"] is None and same.base.name == "baseline-2025"
    later = session.compare("baseline-2025", "red-sea-closed", LANES[:1], year=2029)
    assert (later.base.name, later.base.year, later.scenario.year) == ("baseline-2029", 2029, 2029)
    assert later.year_effect.lanes[0].status == "rerouted"  # the 2026 bridge again
    assert later.lanes[0].status == "unchanged"  # the Red Sea is not on the way to Nakhchivan


def test_case_in_year_names_the_year(tiny):
    atlas = base_case(tiny)
    assert case_in_year(atlas, tiny.as_of_year) is atlas
    assert case_in_year(atlas, 2030).name == "atlas in 2030" and case_in_year(atlas, 2030).year == 2030
    baseline = base_case(tiny, RouteOptions(year=2025), name="baseline-2025")
    assert case_in_year(baseline, 2031).name == "baseline-2031"


def test_a_dated_scenario_as_base_is_not_moved_back_in_time(session):
    """kars-igdir-nakhchivan-rail (2030) as the base of zangezur-open (2029): both are compared in
    2030, the later year they name, so the base keeps the line it opens."""
    result = session.compare("kars-igdir-nakhchivan-rail", "zangezur-open", LANES[:1])
    assert (result.base.year, result.scenario.year) == (2030, 2030)
    assert result.year_effect is None  # the base is already in the comparison's year


def test_a_year_before_a_dated_scenario_is_refused(session):
    from corridors.errors import InvalidOptionError

    with pytest.raises(InvalidOptionError, match="kars-igdir-nakhchivan-rail is a scenario of 2030"):
        session.compare("baseline-2025", "kars-igdir-nakhchivan-rail", LANES[:1], year=2025)


def test_the_atlas_as_base_follows_the_scenario_year_and_names_both_years(session):
    result = session.compare("atlas", "zangezur-open", LANES[:1])
    assert result.base.year == result.scenario.year == 2029
    effect = result.to_dict()["year_effect"]
    assert (effect["base_year"], effect["scenario_year"]) == (2025, 2029)


def test_compare_many_compares_in_one_year_as_the_session_does(session):
    from corridors import compare_many

    frame = compare_many(LANES[:2], "baseline-2025", "zangezur-open", session=session)
    compared = session.compare("baseline-2025", "zangezur-open", LANES[:2])
    assert list(frame["status"]) == [c.status for c in compared.lanes] == ["unchanged", "unchanged"]
