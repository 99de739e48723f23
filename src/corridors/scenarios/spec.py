"""The schema of scenario files (YAML), validated with pydantic.

A scenario names its sources, may fix the network year, and lists *patches* (open, close, set,
scale, add or remove network elements chosen by ``where`` selectors), *policies* (avoided
countries, flow rules) and *parameters* (value of time, carbon price). A mode's cost is
scaled by a ``scale`` patch on ``element: mode``; ``scale`` is stored as a multiplier that the
costing layer applies. The element kinds and what each takes are registered in
:mod:`corridors.scenarios.elements`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from corridors.io.schema import USD_PER_T_CO2E, USD_PER_TEU_H
from corridors.model import FIRST_YEAR, LAST_YEAR
from corridors.scenarios.elements import ELEMENT_KINDS, kinds_that
from corridors.scenarios.selectors import Spec as _Spec
from corridors.scenarios.selectors import Where

MIN_FACTOR, MAX_FACTOR = 1e-3, 1e3
"""The range of one ``scale`` factor: a thousandfold change either way is past any scenario."""
MIN_STACKED_FACTOR, MAX_STACKED_FACTOR = 1e-6, 1e6
"""The range of the product of the factors stacked on one multiplier by several patches."""

Action = Literal["open", "close", "set", "scale", "add", "remove"]


class Patch(_Spec):
    action: Action
    element: str = "link"
    """A kind of :data:`~corridors.scenarios.elements.ELEMENT_KINDS`: link, node, border, transfer, mode."""
    where: Where = Field(default_factory=Where)
    set: dict[str, Any] = Field(default_factory=dict)
    factor: dict[str, float] = Field(default_factory=dict)
    """Factors by name (which a kind takes: its ``scales``); stored as multipliers."""
    rows: list[dict[str, Any]] = Field(default_factory=list)
    year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR)
    note: str = ""

    @field_validator("element")
    @classmethod
    def _known_element(cls, value: str) -> str:
        if value not in ELEMENT_KINDS:
            raise ValueError(f"{value!r} is not an element; one of {', '.join(ELEMENT_KINDS)}")
        return value

    @field_validator("factor")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        known = dict.fromkeys(f for kind in ELEMENT_KINDS.values() for f in kind.scales)
        for key, number in value.items():
            if key not in known:
                raise ValueError(f"{key!r} is not a factor; one of {', '.join(known)}")
            if not (math.isfinite(number) and MIN_FACTOR <= number <= MAX_FACTOR):
                raise ValueError(f"factor {key} must be a finite number from {MIN_FACTOR:g} to {MAX_FACTOR:g}, "
                                 f"got {number}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Patch:
        if self.action == "set" and not self.set:
            raise ValueError("action 'set' needs a 'set' mapping of fields to values")
        if self.action == "scale" and not self.factor:
            raise ValueError("action 'scale' needs a 'factor' mapping (time, cost, dwell, fee, speed)")
        if self.action == "add" and not self.rows:
            raise ValueError("action 'add' needs 'rows' in the network file schema")
        if self.action in ("open", "close", "remove", "set", "scale") and self.where == Where():
            raise ValueError(f"action {self.action!r} needs a 'where' selector")
        if self.action in ("open", "close") and not ELEMENT_KINDS[self.element].has_status:
            raise ValueError(f"only {kinds_that(lambda k: k.has_status)} can be opened or closed, not {self.element}s")
        if self.action == "add" and self.where != Where():
            raise ValueError("action 'add' takes its elements from 'rows'; it has no 'where' selector")
        if self.year is not None and self.action != "open":
            raise ValueError(f"'year' is when an opened element starts carrying traffic: only action 'open' takes it, "
                             f"not {self.action!r} (the scenario's base year sets the network year)")
        return self


class RuleSpec(_Spec):
    name: str
    when: dict[Literal["origin", "destination", "either_end", "between"], list[str]] = Field(default_factory=dict)
    forbid_transit: list[str] = Field(default_factory=list)
    forbid: list[str] = Field(default_factory=list)
    note: str = ""


class Policies(_Spec):
    avoid_countries: list[str] = Field(default_factory=list)
    closed_chokepoints: list[str] = Field(default_factory=list, description="ids of data/world/chokepoints.yaml")
    rules: list[RuleSpec] = Field(default_factory=list)


class ParameterSpec(_Spec):
    """Bounded as parameters.yaml is (``data/number_bounds.yaml``)."""

    value_of_time_usd_per_teu_h: Annotated[float | None, USD_PER_TEU_H] = Field(default=None, ge=0)
    carbon_price_usd_per_t: Annotated[float | None, USD_PER_T_CO2E] = Field(default=None, ge=0)


class Base(_Spec):
    atlas: Literal["builtin"] = "builtin"
    year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR)


class SourceSpec(_Spec):
    id: str
    kind: Literal["report", "dataset", "web", "news", "official", "assumption"]
    title: str
    publisher: str = ""
    date: str = ""
    reference: str = ""
    notes: str = ""


class ScenarioSpec(_Spec):
    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = ""
    description: str = Field(min_length=1)
    sources: list[str] = Field(default_factory=list)
    new_sources: list[SourceSpec] = Field(default_factory=list)
    base: Base = Field(default_factory=Base)
    patches: list[Patch] = Field(default_factory=list)
    policies: Policies = Field(default_factory=Policies)
    parameters: ParameterSpec = Field(default_factory=ParameterSpec)
