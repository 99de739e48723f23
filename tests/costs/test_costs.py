"""The costing layer against hand computations on the tiny network (tests/fixtures/tiny: round
numbers in parameters.yaml, links.csv and borders.csv)."""

from __future__ import annotations

import numpy as np
import pytest

from corridors import compile_graph, route
from corridors.costs import edge_costs, objective_names, register_objective
from corridors.costs.objectives import _REGISTRY
from corridors.routing import RouteOptions
from corridors.scenarios import apply_scenario, parse_scenario

ROAD = RouteOptions(objective="time", modes=frozenset({"road"}))
# Port P -> Town T by road in 2025: p--t--road, 400 km at 60 km/h and 2 USD per TEU-km, then the
# P-T road border (20 h, 150 USD); the other ways are closed (Q-U) or planned (Q-T, 2030).
P_T_HOURS, P_T_USD = 400 / 60 + 20, 400 * 2.0 + 150


def _scaled(tiny, factors: dict[str, float], element: str = "link", where: str = "{ids: [p--t--road]}"):
    text = f"""name: scaled
title: t
description: t
sources: [test-data]
patches:
  - action: scale
    element: {element}
    where: {where}
    factor: {{{", ".join(f"{k}: {v}" for k, v in factors.items())}}}
"""
    return apply_scenario(tiny, parse_scenario(text)).network


def test_a_road_route_costs_its_km_at_the_mode_rates_plus_its_border(tiny):
    r = route(tiny, "Port P", "Town T", ROAD)
    assert r.time_h == pytest.approx(P_T_HOURS)
    assert r.cost_usd == pytest.approx(P_T_USD)
    assert r.co2e_kg == pytest.approx(400 * 80 / 1000 * 10)  # g per t-km x km x 10 t


def test_edge_costs_split_running_from_the_border(tiny):
    graph = compile_graph(tiny)
    costs = edge_costs(graph)
    edges = graph.link_edges("p--t--road")
    assert costs.run_time_h[edges] == pytest.approx([400 / 60] * len(edges))
    assert costs.border_time_h[edges] == pytest.approx([20.0] * len(edges))
    assert costs.border_cost_usd[edges] == pytest.approx([150.0] * len(edges))
    assert edge_costs(graph) is costs  # once per graph
    # the R-S rail border publishes a p90 of 30 h; P-T publishes none
    borders = {b.id: i for i, b in enumerate(tiny.borders)}
    assert costs.dwell_p90_h[borders["r--s"]] == 30.0 and np.isnan(costs.dwell_p90_h[borders["p--t"]])


@pytest.mark.parametrize(("factors", "hours", "usd"), [
    ({"time": 1.5}, 400 / 60 * 1.5 + 20, P_T_USD),
    ({"cost": 2.0}, P_T_HOURS, 400 * 2.0 * 2 + 150),
    ({"speed": 2.0}, 400 / 120 + 20, P_T_USD),
])
def test_a_scaled_link_is_costed_with_its_multiplier(tiny, factors, hours, usd):
    r = route(_scaled(tiny, factors), "Port P", "Town T", ROAD)
    assert (r.time_h, r.cost_usd) == pytest.approx((hours, usd))


def test_scaled_border_and_mode(tiny):
    border = _scaled(tiny, {"dwell": 0.5, "fee": 2.0}, "border", "{ids: [p--t]}")
    r = route(border, "Port P", "Town T", ROAD)
    assert (r.time_h, r.cost_usd) == pytest.approx((400 / 60 + 10, 800 + 300))
    [step] = r.border_crossings
    assert step.time_h == pytest.approx(10.0)
    mode = _scaled(tiny, {"speed": 0.5, "cost": 3.0}, "mode", "{mode: road}")
    r = route(mode, "Port P", "Town T", ROAD)
    assert (r.time_h, r.cost_usd) == pytest.approx((400 / 30 + 20, 400 * 6.0 + 150))


def test_two_scales_multiply(tiny):
    twice = _scaled(_scaled(tiny, {"cost": 2.0}), {"cost": 1.5})
    assert route(twice, "Port P", "Town T", ROAD).cost_usd == pytest.approx(400 * 2.0 * 3 + 150)


@pytest.fixture
def registered():
    before = dict(_REGISTRY)
    yield register_objective
    _REGISTRY.clear()
    _REGISTRY.update(before)


def test_a_registered_objective_routes(tiny, registered):
    registered("double_usd", lambda c, cargo, prices: 2 * c.cost_usd_per_teu * cargo.teu_equivalent)
    assert "double_usd" in objective_names()
    r = route(tiny, "Port P", "Town T", RouteOptions(objective="double_usd", modes=frozenset({"road"}), cargo="feu"))
    assert r.objective_value == pytest.approx(2 * 2 * P_T_USD)  # twice the money, two TEU
    with pytest.raises(Exception, match="unknown objective"):
        RouteOptions(objective="nonesuch")
