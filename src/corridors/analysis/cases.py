"""A *case* is a network and the route options that go with it: the atlas as it is, or the
atlas under a scenario. Lanes are routed case by case."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridors.errors import CorridorsError
from corridors.graph import compile_graph
from corridors.model import Change, Network
from corridors.routing import Route, RouteOptions, route
from corridors.routing.prepare import network_year
from corridors.analysis.lanes import Lane

if TYPE_CHECKING:
    from corridors.scenarios import AppliedScenario


@dataclass(frozen=True)
class Case:
    """A network and the options its routes obey."""

    name: str
    network: Network
    options: RouteOptions = RouteOptions()
    description: str = ""

    @property
    def changes(self) -> tuple[Change, ...]:
        return self.network.changes

    @property
    def year(self) -> int:
        """The network year the case is routed in (:func:`~corridors.routing.prepare.network_year`)."""
        return network_year(self.network, self.options)


NO_SCENARIO = "atlas"
"""The case name of the network as it is, under no scenario."""
DEFAULT_BASE = "baseline-2025"
"""The base a scenario is compared with unless another is named."""


_BASELINE_NAME = re.compile(r"baseline-\d{4}")


def case_in_year(case: Case, year: int) -> Case:
    """``case`` routed in network ``year`` instead (planned links due by then are usable). A
    baseline's name follows its year (``baseline-2025`` in 2029 is ``baseline-2029``); any other
    case's name gains the year (``am-az-normalisation in 2029``)."""
    if case.year == year:
        return case
    name = f"baseline-{year}" if _BASELINE_NAME.fullmatch(case.name) else f"{case.name} in {year}"
    description = f"{case.description} (routed in network year {year})" if case.description else ""
    return Case(name, case.network, dataclasses.replace(case.options, year=year), description)


def base_case(network: Network, options: RouteOptions | None = None, *, name: str = NO_SCENARIO) -> Case:
    """The network as it is."""
    return Case(name, network, options or RouteOptions(), "the atlas as it is")


def applied_case(applied: AppliedScenario, options: RouteOptions | None = None) -> Case:
    """The case of an applied scenario: its network, and ``options`` under the scenario (see
    :func:`~corridors.scenarios.scenario_options`)."""
    from corridors.scenarios import scenario_options

    return Case(applied.name, applied.network, scenario_options(applied, options), applied.description)


def scenario_case(network: Network, scenario, options: RouteOptions | None = None) -> Case:
    """``network`` under ``scenario`` (a name, a path, or a loaded Scenario), applied afresh;
    :meth:`corridors.Session.case` keeps applied scenarios for reuse."""
    from corridors.scenarios import apply_scenario, load_scenario

    loaded = load_scenario(scenario) if isinstance(scenario, str) else scenario
    return applied_case(apply_scenario(network, loaded), options)


def case_by_name(network: Network, name: str, options: RouteOptions | None = None) -> Case:
    """:data:`NO_SCENARIO` for the network as it is, else :func:`scenario_case` of ``name``."""
    return base_case(network, options) if name == NO_SCENARIO else scenario_case(network, name, options)


@dataclass(frozen=True)
class LaneResult:
    """A lane routed in a case: the route, or why there is none."""

    lane: Lane
    route: Route | None
    reason: str = ""

    @property
    def reachable(self) -> bool:
        return self.route is not None


def route_lane(case: Case, lane: Lane) -> LaneResult:
    """Route one lane; a missing route is a result (with its reason), not an error."""
    options = dataclasses.replace(case.options, cargo=lane.cargo)
    try:
        return LaneResult(lane, route(case.network, lane.origin, lane.destination, options))
    except CorridorsError as exc:
        return LaneResult(lane, None, str(exc))


def route_lanes(case: Case, lanes: list[Lane]) -> list[LaneResult]:
    """Route every lane in a case; the case's graph is compiled once (reusing its base topology)."""
    compile_graph(case.network)
    return [route_lane(case, lane) for lane in lanes]
