"""The router on the tiny network, against answers computed by hand.

The tiny network (tests/fixtures/tiny) at a glance, km and hours at 40 km/h rail, 60 km/h road:

    P --rail 120-- Q --rail 120-- R ==border R-S (10 h, $100)== S --rail 1435, 110-- T
    P --road 400, border P-T (20 h, $150)------------------------------------------- T
    P --road 130-- Q --road 150, border Q-U CLOSED-- U --road 130, border U-T (6 h, $40)-- T
                   Q --road 250, border Q-T, PLANNED for 2030 (4 h, $30)------------ T
    S changes gauge 1520 -> 1435 (own figures: 5 h, $50); T transfers rail<->road (10 h, $100, 2 kg).
"""

from __future__ import annotations

import pytest

from corridors import (
    AmbiguousPlaceError,
    InvalidOptionError,
    NoRouteError,
    RouteOptions,
    UnknownPlaceError,
    alternative_routes,
    resolve_place,
    route,
)
from corridors.model import Mode, Status
from corridors.routing import TransferKind

RAIL_P_T_H = 120 / 40 + 120 / 40 + 12 / 40 + 10 + 5 + 110 / 40  # 24.05 h
RAIL_P_T_USD = 120 + 120 + 12 + 100 + 50 + 110  # 512 USD per TEU
ROAD_P_T_H = 400 / 60 + 20  # 26.67 h
ROAD_P_T_USD = 400 * 2 + 150  # 950 USD


def test_fastest_p_t_is_rail_with_border_and_gauge_change(tiny):
    r = route(tiny, "p", "t", RouteOptions(objective="time"))
    assert r.time_h == pytest.approx(RAIL_P_T_H)
    assert r.objective_value == pytest.approx(RAIL_P_T_H)
    assert r.cost_usd == pytest.approx(RAIL_P_T_USD)
    assert r.distance_km == pytest.approx(362)
    assert r.co2e_kg == pytest.approx(362 * 20 * 10 / 1000)  # km x g/tkm x t
    [border] = r.border_crossings
    assert (border.name, border.from_country, border.to_country) == ("R-S rail", "AZ", "IR")
    assert (border.time_h, border.cost_usd, border.time_p90_h) == (10, 100, 30)
    [change] = r.transfers
    assert change.at_id == "s" and change.kind is TransferKind.GAUGE_CHANGE
    assert (change.from_mode, change.from_gauge_mm) == (Mode.RAIL, 1520)
    assert (change.to_mode, change.to_gauge_mm) == (Mode.RAIL, 1435)
    assert (change.time_h, change.cost_usd) == (5, 50)
    assert [leg.mode for leg in r.legs] == [Mode.RAIL, Mode.RAIL]
    assert [leg.gauge_mm for leg in r.legs] == [1520, 1435]
    assert r.legs[0].link_ids == ("p--q--rail", "q--r--rail", "r--s--rail")


def test_cheapest_p_u_transfers_rail_to_road_at_t(tiny):
    # road all the way: 800 + 150 + 260 + 40 = 1250; rail then road: 512 + 100 + 260 + 40 = 912
    r = route(tiny, "p", "u", RouteOptions(objective="cost"))
    assert r.cost_usd == pytest.approx(912)
    [gauge, transfer] = r.transfers
    assert transfer.at_id == "t" and transfer.kind is TransferKind.TRANSFER
    assert (transfer.from_mode, transfer.from_gauge_mm) == (Mode.RAIL, 1435)
    assert (transfer.to_mode, transfer.to_gauge_mm) == (Mode.ROAD, None)
    assert (transfer.time_h, transfer.cost_usd, transfer.co2e_kg) == (10, 100, 2)
    assert r.co2e_kg == pytest.approx(72.4 + 2 + 130 * 80 * 10 / 1000)
    assert "Q-U road" not in [b.name for b in r.border_crossings]


def test_fastest_p_u_stays_on_the_road(tiny):
    r = route(tiny, "p", "u", RouteOptions(objective="time"))
    assert r.time_h == pytest.approx(ROAD_P_T_H + 130 / 60 + 6)
    assert not r.transfers
    assert [b.name for b in r.border_crossings] == ["P-T road", "U-T road"]


def test_closed_border_is_never_crossed_and_is_named_when_it_blocks(tiny):
    with pytest.raises(NoRouteError) as info:
        route(tiny, "p", "u", RouteOptions(avoid_countries=frozenset({"IR"})))
    text = str(info.value)
    assert "border crossing Q-U road (AZ-AM road) is closed" in text
    assert "avoided countries" in text


def test_destination_in_avoided_country_is_an_error_not_an_empty_result(tiny):
    with pytest.raises(InvalidOptionError, match="Town T, IR lies in IR"):
        route(tiny, "p", "t", RouteOptions(avoid_countries=frozenset({"ir"})))


def test_year_filter_opens_the_planned_link_and_marks_it(tiny):
    assert route(tiny, "p", "t", RouteOptions(objective="time")).time_h == pytest.approx(RAIL_P_T_H)
    r = route(tiny, "p", "t", RouteOptions(objective="time", year=2030))
    assert r.time_h == pytest.approx(130 / 60 + 250 / 60 + 4)
    planned = r.not_yet_built
    assert [(leg.link_ids, leg.status, leg.opens_year) for leg in planned] == [(("q--t--road",), Status.PLANNED, 2030)]


def test_planned_link_explains_itself_when_it_is_the_only_way(tiny):
    with pytest.raises(NoRouteError, match="expected 2030"):
        route(tiny, "p", "t", RouteOptions(avoid=("s", "p--t--road")))


def test_alternatives_are_other_corridors(tiny):
    first, second = alternative_routes(tiny, "p", "t", 2, RouteOptions(objective="time"))
    assert first.time_h == pytest.approx(RAIL_P_T_H)
    assert second.time_h == pytest.approx(ROAD_P_T_H)
    assert set(first.link_ids).isdisjoint(second.link_ids)


def test_objectives(tiny):
    assert route(tiny, "p", "t", RouteOptions(objective="distance")).objective_value == pytest.approx(362)
    assert route(tiny, "p", "t", RouteOptions(objective="co2")).co2e_kg == pytest.approx(72.4)
    generalized = route(tiny, "p", "t")  # default: USD + 10 USD/TEU-h x hours
    assert generalized.objective_value == pytest.approx(RAIL_P_T_USD + 10 * RAIL_P_T_H)
    priced = route(tiny, "p", "t", RouteOptions(carbon_price_usd_per_t=1000.0, value_of_time_usd_per_teu_h=0.0))
    assert priced.objective_value == pytest.approx(RAIL_P_T_USD + 72.4)


def test_cargo_scales_cost_by_teu_equivalent_and_co2e_by_mass(tiny):
    feu = route(tiny, "p", "t", RouteOptions(objective="time", cargo="feu"))
    assert feu.cost_usd == pytest.approx(2 * RAIL_P_T_USD)
    assert feu.co2e_kg == pytest.approx(362 * 20 * 20 / 1000)
    bulk = route(tiny, "p", "t", RouteOptions(objective="time", cargo="t:50"))
    assert bulk.cost_usd == pytest.approx(0.1 * 50 * RAIL_P_T_USD)
    assert bulk.cargo.mass_t == 50


def test_modes_constraint(tiny):
    r = route(tiny, "p", "t", RouteOptions(objective="cost", modes=frozenset({"road"})))
    assert {leg.mode for leg in r.legs} == {Mode.ROAD}
    with pytest.raises(NoRouteError, match="allowed modes"):
        route(tiny, "p", "u", RouteOptions(modes=frozenset({"rail"})))


def test_via_place_link_and_border(tiny):
    r = route(tiny, "p", "t", RouteOptions(objective="time", via=("u",)))
    assert r.time_h == pytest.approx(ROAD_P_T_H + 130 / 60 + 6 + 130 / 60 + 6)
    r = route(tiny, "p", "t", RouteOptions(objective="time", via=("p--t",)))
    assert r.time_h == pytest.approx(ROAD_P_T_H)
    with pytest.raises(NoRouteError):
        route(tiny, "p", "t", RouteOptions(via=("q--u--road",)))


def test_avoid_border_and_place(tiny):
    assert route(tiny, "p", "t", RouteOptions(objective="time", avoid=("r--s",))).time_h == pytest.approx(ROAD_P_T_H)
    assert route(tiny, "p", "t", RouteOptions(objective="time", avoid=("Junction Q",))).time_h == pytest.approx(ROAD_P_T_H)
    with pytest.raises(InvalidOptionError, match="origin or destination"):
        route(tiny, "p", "t", RouteOptions(avoid=("t",)))


def test_places_by_name_alias_country_and_coordinates(tiny):
    assert resolve_place(tiny, "port p").node.id == "p"
    assert resolve_place(tiny, "Pee").node.id == "p"
    with pytest.raises(AmbiguousPlaceError) as info:
        resolve_place(tiny, "Astara")
    assert set(info.value.candidates) == {"Astara, AZ", "Astara, IR"}
    assert resolve_place(tiny, "Astara, IR").node.id == "a2"
    with pytest.raises(UnknownPlaceError, match="Port P, AZ"):
        resolve_place(tiny, "Prt P")
    snapped = resolve_place(tiny, "0.1,2.95")
    assert snapped.node.id == "t"
    assert snapped.snap_km == pytest.approx(12.4, abs=0.1)  # hypot(0.05, 0.1) deg x 111.2 km


def test_same_place_and_bad_options_are_errors(tiny):
    with pytest.raises(InvalidOptionError, match="same place"):
        route(tiny, "p", "Port P")
    with pytest.raises(InvalidOptionError, match=r"neither the name of a cargo unit \(such as teu, feu or truck\) nor t:N"):
        RouteOptions(cargo="Pallet!")
    with pytest.raises(InvalidOptionError, match=r"defines no cargo unit 'pallet'; give one of teu, feu, truck"):
        route(tiny, "p", "t", RouteOptions(cargo="pallet"))
    with pytest.raises(InvalidOptionError, match="objective"):
        RouteOptions(objective="fun")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="country code"):
        RouteOptions(avoid_countries=frozenset({"Iran"}))


def test_route_exports(tiny):
    r = route(tiny, "p", "u", RouteOptions(objective="cost"))
    d = r.to_dict()
    assert {"distance_km", "time_h", "cost_usd", "co2e_kg", "legs", "border_crossings", "transfers"} <= set(d)
    assert {"mode", "from", "to", "distance_km", "time_h", "cost_usd", "co2e_kg", "countries", "status"} <= set(d["legs"][0])
    assert {"name", "from_country", "to_country", "time_h", "cost_usd"} <= set(d["border_crossings"][0])
    assert {"at", "from_mode", "to_mode", "time_h", "cost_usd"} <= set(d["transfers"][0])
    # typed steps become the display strings of the JSON format at the edge (S: 1520 -> 1435, T: rail -> road)
    assert [(t["kind"], t["from_mode"], t["to_mode"]) for t in d["transfers"]] == [
        ("gauge change 1520->1435 mm", "rail 1520 mm", "rail 1435 mm"), ("transfer", "rail 1435 mm", "road")]
    assert [(leg["mode"], leg["gauge_mm"], leg["status"]) for leg in d["legs"]] == [
        ("rail", 1520, "operational"), ("rail", 1435, "operational"), ("road", None, "operational")]
    assert {type(leg[k]) for leg in d["legs"] for k in ("mode", "status")} == {str}  # plain strings, not enums
    gj = r.to_geojson()
    lines = [f for f in gj["features"] if f["geometry"]["type"] == "LineString"]
    assert len(lines) == len(r.legs)
    assert lines[0]["geometry"]["coordinates"][0] == [0.0, 0.0]
    assert lines[-1]["geometry"]["coordinates"][-1] == [2.0, 1.0]
    props = [f["properties"] for f in gj["features"]]
    assert [(p["kind"], p["from_mode"], p["to_mode"]) for p in props if p["feature"] == "transfer"] == [
        (t["kind"], t["from_mode"], t["to_mode"]) for t in d["transfers"]]
    assert [(p["mode"], p["status"]) for p in props if p["feature"] == "border"] == [("rail", "operational"), ("road", "operational")]


def test_a_node_that_stops_handling_a_mode_gets_a_topology_of_its_own(tiny):
    """Transfer edges depend on the modes a node handles: a network differing only there must
    not reuse the compiled topology (it would keep the rail-road transfer at T)."""
    import dataclasses

    from corridors.graph import compile_graph

    rail_only_t = tuple(dataclasses.replace(n, handles=frozenset(m for m in n.handles if m.value != "road"))
                        if n.id == "t" else n for n in tiny.nodes)
    changed = dataclasses.replace(tiny, nodes=rail_only_t)
    reused = compile_graph(changed, reuse=compile_graph(tiny))
    assert reused.topology is not compile_graph(tiny).topology
    r = route(changed, "p", "u", RouteOptions(objective="cost"))
    assert "t" not in [t.at_id for t in r.transfers if t.kind is TransferKind.TRANSFER]
    assert r.cost_usd > 912  # the rail-then-road route through T (test above) is gone


def test_a_cargo_unit_the_network_defines_is_routable(tiny):
    """A unit in the network's parameters.yaml, not only the atlas's three: a reefer at 1.5 TEU
    pays 1.5 times the per-TEU cost of the same route (512 USD by rail, hand-computed above)."""
    import dataclasses

    from corridors.model import CargoUnit

    reefer = CargoUnit("reefer", 1.5, 12.0, "a 30-foot reefer", ("test-params",))
    params = dataclasses.replace(tiny.parameters, cargo={**tiny.parameters.cargo, "reefer": reefer})
    network = dataclasses.replace(tiny, parameters=params)
    r = route(network, "p", "t", RouteOptions(objective="time", cargo="reefer"))
    assert r.cost_usd == pytest.approx(1.5 * RAIL_P_T_USD)


def test_a_link_out_of_season_is_closed_in_that_month_and_named(tiny_with_season):
    """s--t--rail navigable April to October: in July the rail route as before, in January the
    road (P-T with its border, the next fastest: the Q-T road is not built until 2030)."""
    from corridors import read_network

    seasonal = read_network(tiny_with_season("s--t--rail", "4-10"))
    assert route(seasonal, "p", "t", RouteOptions(objective="time")).time_h == pytest.approx(RAIL_P_T_H)  # no month
    for month, hours in ((3, ROAD_P_T_H), (4, RAIL_P_T_H), (7, RAIL_P_T_H), (10, RAIL_P_T_H), (11, ROAD_P_T_H)):
        assert route(seasonal, "p", "t", RouteOptions(objective="time", month=month)).time_h == pytest.approx(hours), month
    january = route(seasonal, "p", "t", RouteOptions(objective="time", month=1))
    assert january.time_h == pytest.approx(ROAD_P_T_H) and january.month == 1 and january.to_dict()["month"] == 1
    with pytest.raises(NoRouteError, match=r"out of season in January.*navigable April to October only \(s--t--rail\)"):
        route(seasonal, "p", "t", RouteOptions(modes=frozenset({"rail"}), month=1))
    with pytest.raises(InvalidOptionError, match=r"month 13 is out of range; give 1 \(January\) to 12"):
        RouteOptions(month=13)
