"""Options of a route query: objective, cargo, and the rules a route must obey."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal, get_args

from corridors.costs import objective_names
from corridors.errors import InvalidOptionError
from corridors.geo.countries import country_code_problem
from corridors.model import FIRST_YEAR, LAST_YEAR, CargoUnit, Mode, Parameters
from corridors.model.seasons import check_month
from corridors.routing.policies import FlowRule

Objective = Literal["time", "cost", "co2", "distance", "generalized"]
"""The built-in objectives (:mod:`corridors.costs.objectives`); others may be registered there."""
OBJECTIVES: tuple[str, ...] = get_args(Objective)
_BULK = re.compile(r"^t:(\d+(?:\.\d+)?)$")
_UNIT = re.compile(r"^[a-z][a-z0-9_]*$")  # a cargo unit's name in parameters.yaml; the network says which exist
MAX_BULK_T = 1_000_000.0
"""Largest ``t:N`` shipment, in tonnes: twice the deadweight of the largest ship afloat."""


@dataclass(frozen=True)
class RouteOptions:
    """What to optimise and which rules a route must obey.

    Attributes
    ----------
    objective
        ``time`` (hours), ``cost`` (USD), ``co2`` (kg CO2e), ``distance`` (km) or ``generalized``
        (USD + value of time x hours + carbon price x t CO2e).
    modes
        Modes a route may use; ``None`` allows all.
    avoid_countries
        ISO 3166-1 alpha-2 codes a route must not touch.
    avoid
        Places (names or ids), link ids or border crossing ids a route must not use.
    via
        Places, link ids or border crossing ids a route must pass, in this order.
    year
        Network year: planned links expected by then are usable (and marked); ``None`` means
        the data's reference year.
    month
        Month of the shipment, 1 to 12: links with a navigation season (the Volga-Don) are
        closed outside it; ``None`` ignores seasons.
    cargo
        The name of one of the network's cargo units (the atlas has ``teu``, ``feu`` and
        ``truck``) or ``t:N`` (N tonnes of bulk).
    value_of_time_usd_per_teu_h, carbon_price_usd_per_t
        Override the network's parameters for the generalized objective.
    rules
        Flow rules (policies keyed on the cargo's origin and destination), e.g. from a scenario.
    """

    objective: Objective = "generalized"
    modes: frozenset[Mode] | None = None
    avoid_countries: frozenset[str] = frozenset()
    avoid: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    year: int | None = None
    month: int | None = None
    cargo: str = "teu"
    value_of_time_usd_per_teu_h: float | None = None
    carbon_price_usd_per_t: float | None = None
    rules: tuple[FlowRule, ...] = ()

    def __post_init__(self) -> None:
        if self.objective not in objective_names():
            raise InvalidOptionError(
                f"unknown objective {self.objective!r}; choose one of: {', '.join(objective_names())}"
            )
        if self.modes is not None:
            try:
                modes = frozenset(Mode(m) for m in self.modes)
            except ValueError:
                raise InvalidOptionError(
                    f"unknown mode in {', '.join(sorted(map(str, self.modes)))}; choose from "
                    + ", ".join(m.value for m in Mode)
                ) from None
            if not modes:
                raise InvalidOptionError("modes must name at least one of: " + ", ".join(m.value for m in Mode))
            object.__setattr__(self, "modes", modes)
        codes = frozenset(c.strip().upper() for c in self.avoid_countries)
        for code in sorted(codes):
            if problem := country_code_problem(code):
                raise InvalidOptionError(problem)
        object.__setattr__(self, "avoid_countries", codes)
        if self.year is not None and not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise InvalidOptionError(f"year {self.year} is out of range; give a year from {FIRST_YEAR} to {LAST_YEAR}")
        if self.month is not None:
            check_month(self.month)
        from corridors.io.schema import number_bounds  # here: io imports the routing layer

        for name, kind in (("value_of_time_usd_per_teu_h", "usd/teu-h"), ("carbon_price_usd_per_t", "usd/tco2e")):
            value = getattr(self, name)
            limit, unit, why = number_bounds()[kind]
            if value is not None and not (math.isfinite(value) and 0 <= value <= limit):
                raise InvalidOptionError(f"{name} must be a finite number, zero or more and at most {limit:,.0f} {unit} "
                                         f"({why}), "
                                         f"got {value}")
        if self.cargo.startswith("t:"):
            _bulk_tonnes(self.cargo)
        elif not _UNIT.match(self.cargo):
            raise InvalidOptionError(
                f"cargo {self.cargo!r} is neither the name of a cargo unit (such as teu, feu or truck) "
                "nor t:N (N tonnes of bulk, e.g. t:500)"
            )


def cargo_unit(parameters: Parameters, spec: str) -> CargoUnit:
    """The cargo unit a shipment spec names, scaled for ``t:N`` bulk.

    >>> from corridors.model import CargoUnit, Parameters
    >>> p = Parameters({}, (), 0, 0, 0, 0, {"bulk_t": CargoUnit("bulk_t", 0.1, 1.0)})
    >>> cargo_unit(p, "t:500").mass_t
    500.0
    """
    tonnes = _bulk_tonnes(spec)
    if tonnes is not None:
        per_tonne = _lookup(parameters, "bulk_t")
        return CargoUnit(
            name=f"{tonnes:g} t bulk",
            teu_equivalent=per_tonne.teu_equivalent * tonnes,
            mass_t=per_tonne.mass_t * tonnes,
            description=f"{tonnes:g} tonnes of bulk cargo",
            source_ids=per_tonne.source_ids,
        )
    return _lookup(parameters, spec)


def _bulk_tonnes(spec: str) -> float | None:
    """The tonnes of a ``t:N`` spec (``None`` for a unit's name); an N that is no plain decimal
    number (``1e-300``), or not more than 0 and at most :data:`MAX_BULK_T`, is an
    :class:`InvalidOptionError` naming the accepted range."""
    if not spec.startswith("t:"):
        return None
    match = _BULK.match(spec)
    tonnes = float(match.group(1)) if match else math.nan
    if not 0 < tonnes <= MAX_BULK_T:
        shown = spec if len(spec) <= 24 else f"{spec[:20]}... ({len(spec) - 2} digits)"
        raise InvalidOptionError(f"bulk cargo {shown} is out of range: give t:N with N more than 0 and at most "
                                 f"{MAX_BULK_T:,.0f} tonnes (twice the largest ship's deadweight)")
    return tonnes


def _lookup(parameters: Parameters, name: str) -> CargoUnit:
    try:
        return parameters.cargo[name]
    except KeyError:
        raise InvalidOptionError(
            f"the network defines no cargo unit {name!r}; give one of {', '.join(parameters.cargo)} "
            "(its parameters.yaml) or t:N (N tonnes of bulk, e.g. t:500)"
        ) from None
