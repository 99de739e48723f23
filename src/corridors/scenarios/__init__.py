"""Scenarios: declarative YAML specs applied to a network as a pure function with a change log."""

from corridors.scenarios.apply import AppliedScenario, apply_scenario
from corridors.scenarios.builtin import builtin_scenarios, load_scenario, scenario_options
from corridors.scenarios.load import Scenario, parse_scenario, read_scenario

__all__ = [
    "AppliedScenario",
    "Scenario",
    "apply_scenario",
    "builtin_scenarios",
    "load_scenario",
    "parse_scenario",
    "read_scenario",
    "scenario_options",
]
