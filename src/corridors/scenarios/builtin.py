"""The built-in scenarios shipped in ``data/scenarios/`` and loading by name or path."""

from __future__ import annotations

import dataclasses
from importlib.resources import files
from pathlib import Path

from corridors.errors import Problem, ScenarioError
from corridors.routing.options import RouteOptions
from corridors.scenarios.apply import AppliedScenario
from corridors.scenarios.load import Scenario, parse_scenario, read_scenario


def builtin_scenarios() -> list[Scenario]:
    """Every built-in scenario, sorted by name."""
    folder = files("corridors.data").joinpath("scenarios")
    found = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            found.append(parse_scenario(entry.read_text(encoding="utf-8"), f"scenarios/{entry.name}"))
    return found


def load_scenario(name_or_path: str) -> Scenario:
    """A built-in scenario by name, or a scenario file by path (anything ending in .yaml/.yml)."""
    if name_or_path.endswith((".yaml", ".yml")) or Path(name_or_path).is_file():
        return read_scenario(name_or_path)
    entry = files("corridors.data").joinpath("scenarios", f"{name_or_path}.yaml")
    if not entry.is_file():
        names = ", ".join(s.name for s in builtin_scenarios())
        raise ScenarioError([Problem(name_or_path, None, None,
                                     f"no built-in scenario of that name and no such file; built-ins: {names}")])
    return parse_scenario(entry.read_text(encoding="utf-8"), f"scenarios/{entry.name}")


def scenario_options(applied: AppliedScenario, options: RouteOptions | None = None) -> RouteOptions:
    """Route options under a scenario: its flow rules and avoided countries added to ``options``;
    its year, value of time and carbon price used where ``options`` leaves them unset."""
    options = options or RouteOptions()
    return dataclasses.replace(
        options,
        avoid_countries=options.avoid_countries | applied.avoid_countries,
        rules=options.rules + applied.rules,
        year=options.year if options.year is not None else applied.year,
        value_of_time_usd_per_teu_h=(
            options.value_of_time_usd_per_teu_h
            if options.value_of_time_usd_per_teu_h is not None else applied.value_of_time_usd_per_teu_h
        ),
        carbon_price_usd_per_t=(
            options.carbon_price_usd_per_t if options.carbon_price_usd_per_t is not None else applied.carbon_price_usd_per_t
        ),
    )
