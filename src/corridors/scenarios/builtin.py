"""The built-in scenarios shipped in ``data/scenarios/`` and loading by name or path.

The package data never change while the process runs, so the files are read and validated
once (the cache of ``_builtins``); every caller gets its own copy of a parsed scenario.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import logging
import os
from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path
from types import MappingProxyType

from corridors.errors import Problem, ScenarioError
from corridors.routing.options import RouteOptions
from corridors.scenarios.apply import AppliedScenario
from corridors.scenarios.load import Scenario, parse_scenario, read_scenario

logger = logging.getLogger(__name__)


@functools.cache
def _builtins() -> Mapping[str, tuple[str, Scenario | ScenarioError]]:
    """Name -> (YAML text, validated scenario or its error) of every built-in, sorted by name;
    read once. Private: the scenarios hold lists and dicts, so the public functions hand out
    copies."""
    return MappingProxyType(_read_builtins(files("corridors.data").joinpath("scenarios")))


def _read_builtins(folder: Traversable) -> dict[str, tuple[str, Scenario | ScenarioError]]:
    """Each scenario file of ``folder`` parsed on its own: one that fails keeps its error (and is
    logged) and leaves the others usable."""
    found: dict[str, tuple[str, Scenario | ScenarioError]] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            text = entry.read_text(encoding="utf-8")
            try:
                parsed: Scenario | ScenarioError = parse_scenario(text, f"scenarios/{entry.name}")
            except ScenarioError as err:
                logger.warning("built-in scenario %s is invalid and left out: %s", entry.name, err)
                parsed = err
            found[entry.name.removesuffix(".yaml")] = (text, parsed)
    return found


def builtin_names() -> tuple[str, ...]:
    """Names of the built-in scenarios, sorted (no file is read after the first call)."""
    return tuple(_builtins())


def builtin_text(name: str) -> str | None:
    """The YAML text of the built-in scenario ``name``, or ``None`` if there is none."""
    found = _builtins().get(name)
    return found[0] if found is not None else None


def builtin_scenarios() -> list[Scenario]:
    """Every valid built-in scenario, sorted by name (copies: changing one changes no later
    result). An invalid one is left out here and raises its own error from :func:`load_scenario`."""
    return [copy.deepcopy(scenario) for _, scenario in _builtins().values() if isinstance(scenario, Scenario)]


def looks_like_path(name: str) -> bool:
    """Whether a scenario argument names a file: it ends in .yaml/.yml or has a folder part
    (``./closure``). A bare name is a built-in's, even where a file of that name exists, so a
    file in the working directory never stands in for a built-in.

    >>> looks_like_path("zangezur-open"), looks_like_path("./zangezur-open"), looks_like_path("my.yaml")
    (False, True, True)
    """
    return name.endswith((".yaml", ".yml")) or "/" in name or os.sep in name


def load_scenario(name_or_path: str | PathLike[str]) -> Scenario:
    """A built-in scenario by name, or a scenario file by a path that looks like one (see
    :func:`looks_like_path`; a ``PathLike`` is always a file)."""
    name = os.fspath(name_or_path)
    found = _builtins().get(name) if isinstance(name_or_path, str) else None
    if found is None and (not isinstance(name_or_path, str) or looks_like_path(name)):
        return read_scenario(name)
    if found is None:
        hint = f"; to read the file {name!r}, give it as ./{name}" if Path(name).is_file() else ""
        raise ScenarioError([Problem(name, None, None,
                                     f"no built-in scenario of that name; built-ins: {', '.join(builtin_names())}. "
                                     f"A scenario file is given by its path (ending in .yaml or with a folder, "
                                     f"e.g. ./{name}.yaml){hint}")])
    if isinstance(found[1], ScenarioError):
        raise ScenarioError(found[1].problems)
    return copy.deepcopy(found[1])


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
