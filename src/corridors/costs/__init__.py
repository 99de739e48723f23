"""The costing layer: what running an edge takes in hours, USD and kg CO2e, and what an
objective makes of it.

One place turns a compiled topology plus its network's parameters into per-edge time, money
and CO2e arrays (:func:`edge_costs`, for the atlas; :func:`line_haul` and :func:`crossing_rule`
for the world layers), and one registry turns those arrays into the weights a router minimises
(:func:`objective_weights`; :func:`register_objective` plugs in another, such as the
volume-delay costs of an assignment). Route steps are priced by summing the edges routed on.
Scenario ``scale`` patches are multipliers on the elements (``time_factor``, ``cost_factor``,
``dwell_factor``, ``fee_factor``) applied here, so a scaled figure follows its base figure.
"""

from corridors.costs.edges import CostParts, EdgeCosts, edge_cost_arrays, edge_costs
from corridors.costs.elements import (
    CrossingRule,
    border_dwell_h,
    border_fee_usd,
    crossing_rule,
    line_haul,
    link_cost_usd,
    link_running_time_h,
    transfer_costs,
)
from corridors.costs.objectives import (
    TIE_BREAK,
    CostArrays,
    Prices,
    objective_names,
    objective_weights,
    register_objective,
)

__all__ = [
    "TIE_BREAK",
    "CostArrays",
    "CostParts",
    "CrossingRule",
    "EdgeCosts",
    "Prices",
    "border_dwell_h",
    "border_fee_usd",
    "crossing_rule",
    "edge_cost_arrays",
    "edge_costs",
    "line_haul",
    "link_cost_usd",
    "link_running_time_h",
    "objective_names",
    "objective_weights",
    "register_objective",
    "transfer_costs",
]
