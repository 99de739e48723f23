"""The packaged atlas: it validates, its figures trace to sources, and it connects as the region
does today (2025) and as planned. Expectations come from geography and politics, not from the
router's own output: closed borders stay closed, exclaves stay cut off, gauge breaks cost."""

from __future__ import annotations

import pytest

from corridors import NoRouteError, RouteOptions, load_atlas, route
from corridors.model import Mode, SourceKind, Status
from corridors.model.checks import check_network
from corridors.routing import TransferKind


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def test_atlas_passes_the_data_check(atlas):
    from corridors.scenarios import builtin_scenarios
    from corridors.world.multimodal import rule_source_ids

    cited = rule_source_ids() | {sid for scenario in builtin_scenarios() for sid in scenario.spec.sources}
    report = check_network(atlas, cited_elsewhere=cited)
    assert report.ok, [str(p) for p in report.errors]
    assert not [p for p in report.warnings if "not referenced" in p.message]
    rail = next(c for c in report.connectivity if c.mode == "rail")
    assert rail.components == 1  # one connected rail network from Xi'an to Warsaw and Bandar Abbas


def test_every_assumption_says_why(atlas):
    assumptions = [s for s in atlas.sources if s.kind is SourceKind.ASSUMPTION]
    assert assumptions and all(len(s.notes) > 20 for s in assumptions)


def test_mumbai_moscow_report_traces_every_figure_to_a_source(atlas):
    r = route(atlas, "Mumbai", "Moscow")
    assert r.legs[0].from_id == "mumbai" and r.legs[-1].to_id == "moscow"
    assert {"sea", "rail"} <= {leg.mode for leg in r.legs}
    assert r.transfers and r.border_crossings
    for step in (*r.legs, *r.transfers):
        assert step.source_ids, step
        assert all(sid in atlas.source_by_id for sid in step.source_ids)
    # India -> Iran by sea, then north through Iran and on to Russia: 5,000-9,000 km
    assert 5_000 < r.distance_km < 9_000
    assert r.legs[0].countries == ("IN",) and "IR" in {c for leg in r.legs for c in leg.countries}


def test_no_rail_from_baku_to_nakhchivan_in_2025_but_one_when_the_new_links_open(atlas):
    rail = frozenset({Mode.RAIL})
    with pytest.raises(NoRouteError, match="horadiz--aghband--rail"):
        route(atlas, "Baku", "Nakhchivan", RouteOptions(modes=rail, year=2025))
    later = route(atlas, "Baku", "Nakhchivan", RouteOptions(modes=rail, year=2030, objective="distance"))
    assert later.not_yet_built  # it runs over links that were not built in 2025
    assert {"zangezur", "aghband-araz"} & {c for leg in later.legs for c in leg.corridors}


def test_closed_borders_are_not_crossed(atlas):
    closed = {(frozenset((b.country_a, b.country_b)), b.mode) for b in atlas.borders if b.status is Status.CLOSED}
    assert (frozenset({"AM", "AZ"}), Mode.ROAD) in closed and (frozenset({"AM", "TR"}), Mode.RAIL) in closed
    r = route(atlas, "Yerevan", "Baku", RouteOptions(modes=frozenset({Mode.ROAD})))
    assert all({b.from_country, b.to_country} != {"AM", "AZ"} for b in r.border_crossings)
    assert "GE" in {c for leg in r.legs for c in leg.countries}  # round through Georgia
    r = route(atlas, "Gyumri", "Kars", RouteOptions(modes=frozenset({Mode.RAIL})))
    assert all({b.from_country, b.to_country} != {"AM", "TR"} for b in r.border_crossings)


def test_gauge_change_is_charged_where_it_happens(atlas):
    btk = route(atlas, "Baku", "Kars", RouteOptions(modes=frozenset({Mode.RAIL})))
    assert [t.at_id for t in btk.transfers if t.kind is TransferKind.GAUGE_CHANGE] == ["akhalkalaki"]
    china = route(atlas, "Urumqi", "Almaty", RouteOptions(modes=frozenset({Mode.RAIL})))
    changes = [t.at_id for t in china.transfers if t.kind is TransferKind.GAUGE_CHANGE]
    assert len(changes) == 1 and changes[0] in {"dostyk", "alashankou", "altynkol", "khorgos"}


def test_caspian_crossings_run_both_ways(atlas):
    for a, b in (("Aktau", "Port of Baku (Alat)"), ("Turkmenbashi", "Port of Baku (Alat)"), ("Astrakhan", "Anzali")):
        there = route(atlas, a, b, RouteOptions(modes=frozenset({Mode.FERRY, Mode.SEA})))
        back = route(atlas, b, a, RouteOptions(modes=frozenset({Mode.FERRY, Mode.SEA})))
        assert there.distance_km == pytest.approx(back.distance_km)


def test_iran_armenia_road_crosses_at_meghri(atlas):
    r = route(atlas, "Tehran", "Yerevan", RouteOptions(modes=frozenset({Mode.ROAD})))
    assert [(b.from_country, b.to_country) for b in r.border_crossings] == [("IR", "AM")]
