"""The prepared query on the tiny network: relaxing, restricting, penalising, re-costing and
matrices, against hand computations and against the one-route-at-a-time router."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from corridors import compile_graph, route
from corridors.errors import NoRouteError
from corridors.routing import RouteOptions
from corridors.routing.matrix import route_matrix
from corridors.routing.prepare import element_edges, prepare

TIME_ROAD = RouteOptions(objective="time", modes=frozenset({"road"}))


def test_relaxing_the_year_opens_the_planned_road(tiny):
    q = prepare(tiny, "Port P", "Town T", TIME_ROAD).query
    value, _ = q.path()
    assert value == pytest.approx(400 / 60 + 20)  # P-T road and its border
    # without the year rule, the planned Q-T road (2030) is usable: 130/60 + 250/60 + 4 h
    relaxed, edges = q.relax("year").path()
    assert relaxed == pytest.approx(380 / 60 + 4)
    graph = compile_graph(tiny)
    assert set(graph.link[edges][graph.link[edges] >= 0].tolist()) == {
        graph.link_index["p--q--road"], graph.link_index["q--t--road"]}
    assert q.masks.keys() == {"year", "modes"}  # relaxing made a new query


def test_restricting_an_element_and_penalising(tiny):
    prepared = prepare(tiny, "Port P", "Town T", TIME_ROAD)
    graph = prepared.graph
    ok = np.ones(graph.n_edges, dtype=bool)
    ok[element_edges(graph, "p--t")[1]] = False
    assert prepared.query.restrict("closed", ok).path() is None  # no other open road in 2025
    # a penalty scales the weights of the edges named, once each
    edges = np.concatenate([graph.link_edges("p--t--road")] * 2)
    value, _ = prepared.query.penalise(edges, 2.0).path()
    assert value == pytest.approx(2 * (400 / 60 + 20))


def test_recosting_keeps_the_rules(tiny):
    q = prepare(tiny, "Port P", "Town T", TIME_ROAD).query
    value, _ = q.recost(np.ones(len(q.weights))).path()
    # unit weights: the fewest edges under the same rules (P-T road: departure -> arrival, 1 edge)
    assert value == 1.0
    with pytest.raises(KeyError):
        q.relax("no such rule")


def test_a_matrix_equals_routing_each_pair(tiny):
    places = ["Port P", "Junction Q", "Border S", "Town T", "Town U"]
    for options in (RouteOptions(), RouteOptions(objective="time", cargo="feu"), TIME_ROAD,
                    RouteOptions(year=2030, objective="cost")):
        m = route_matrix(tiny, places, places, options)
        for (i, o), (j, d) in itertools.product(enumerate(places), repeat=2):
            got = (m.distance_km[i][j], m.time_h[i][j], m.cost_usd[i][j], m.co2e_kg[i][j])
            if o == d:
                assert got == (0.0, 0.0, 0.0, 0.0)
                continue
            try:
                r = route(tiny, o, d, options)
            except NoRouteError:
                assert got == (None,) * 4, (o, d, options)
                continue
            assert got == pytest.approx((r.distance_km, r.time_h, r.cost_usd, r.co2e_kg)), (o, d, options)


def test_a_matrix_under_flow_rules_gives_each_destination_its_own_rules():
    """A sanctions rule forbids transit through IR but exempts a flow that ends there: Mumbai ->
    Tehran may use Iran, Mumbai -> Baku may not, whatever the order of the destinations."""
    from corridors import load_atlas
    from corridors.scenarios import apply_scenario, load_scenario, scenario_options

    applied = apply_scenario(load_atlas(), load_scenario("sanctions-iran-transit"))
    options = scenario_options(applied, RouteOptions())
    for destinations in (["Tehran", "Baku", "Moscow"], ["Baku", "Tehran", "Moscow"]):
        m = route_matrix(applied.network, ["Mumbai"], destinations, options)
        for j, d in enumerate(destinations):
            r = route(applied.network, "Mumbai", d, options)
            assert (m.distance_km[0][j], m.cost_usd[0][j]) == pytest.approx((r.distance_km, r.cost_usd)), d
        baku = route(applied.network, "Mumbai", "Baku", options)
        assert not any("IR" in leg.countries for leg in baku.legs)


def test_a_query_matrix_holds_each_pairs_objective_value(tiny):
    """Values only, one tree per origin: each cell equals the objective value of routing the pair."""
    from corridors.errors import InvalidOptionError
    from corridors.routing.prepare import prepare_rules

    places = ["p", "q", "s", "t", "u"]
    query = prepare_rules(tiny, TIME_ROAD)
    graph = compile_graph(tiny)
    m = query.matrix([graph.departures(p) for p in places], [graph.arrivals(p) for p in places])
    for (i, o), (j, d) in itertools.product(enumerate(places), repeat=2):
        if o == d:
            continue
        try:
            want = route(tiny, o, d, TIME_ROAD).objective_value
        except NoRouteError:
            want = np.inf
        assert m[i, j] == pytest.approx(want), (o, d)
    with pytest.raises(InvalidOptionError, match="at least one node"):
        query.matrix([graph.departures("p")], [np.empty(0, dtype=np.int64)])
