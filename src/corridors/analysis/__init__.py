"""Impact analysis: compare cases over trade lanes, rank critical elements, TCD series, sweeps."""

from corridors.analysis.cases import Case, LaneResult, base_case, route_lane, route_lanes, scenario_case
from corridors.analysis.compare import AccessChange, Comparison, CountryImpact, LaneChange, compare
from corridors.analysis.criticality import Criticality, criticality
from corridors.analysis.lanes import AccessPair, Lane, load_access_pairs, load_lanes, read_lanes
from corridors.analysis.tcd import TcdPoint, tcd_series

__all__ = [
    "AccessChange",
    "AccessPair",
    "Case",
    "Comparison",
    "CountryImpact",
    "Criticality",
    "Lane",
    "LaneChange",
    "LaneResult",
    "TcdPoint",
    "base_case",
    "compare",
    "criticality",
    "load_access_pairs",
    "load_lanes",
    "read_lanes",
    "route_lane",
    "route_lanes",
    "scenario_case",
    "tcd_series",
]
