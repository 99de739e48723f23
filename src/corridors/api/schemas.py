"""Request bodies of the API, validated by pydantic (FastAPI turns them into the OpenAPI schema)."""

from __future__ import annotations


from pydantic import BaseModel, ConfigDict, Field, model_validator

from corridors.analysis.cases import DEFAULT_BASE, NO_SCENARIO
from corridors.analysis.lanes import MAX_VOLUME_TEU_PER_YEAR
from corridors.model import FIRST_YEAR, LAST_YEAR, Mode
from corridors.routing.options import Objective

ObjectiveName = Objective


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RouteOptionsIn(_Body):
    via: list[str] = Field(default_factory=list, max_length=10, description="Places, link ids or border ids to pass, in order.")
    avoid: list[str] = Field(default_factory=list, max_length=50, description="Places, link ids or border ids to avoid.")
    objective: ObjectiveName = "generalized"
    modes: list[Mode] | None = Field(default=None, description="Allowed modes; all if omitted.")
    avoid_countries: list[str] = Field(default_factory=list, max_length=50, description="ISO 3166-1 alpha-2 codes.")
    year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR, description="Network year.")
    month: int | None = Field(default=None, ge=1, le=12, description="Month of the shipment (1-12): links out of "
                              "their navigation season (the Volga-Don, April to November) are closed; all year if omitted.")
    cargo: str = Field(default="teu", max_length=20, description="A cargo unit of the network (the atlas: teu, feu, truck) or t:N (N tonnes of bulk).")
    scenario: str | None = Field(default=None, max_length=200, description="Built-in or user scenario name.")


class RouteRequest(RouteOptionsIn):
    origin: str = Field(min_length=1, max_length=200, examples=["Mumbai"])
    destination: str = Field(min_length=1, max_length=200, examples=["Moscow"])
    alternatives: int = Field(default=1, ge=1, le=10)
    world: bool = Field(default=False, description="Route on the world rail, road and sea layers too "
                        "(places, ports or 'lat,lon' anywhere); needs a server started with --world.")
    close: list[str] = Field(default_factory=list, max_length=20,
                             description="With world: chokepoints to close, e.g. suez, bab_el_mandeb, red_sea.")

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"origin": "Mumbai", "destination": "Moscow", "objective": "cost"},
                     {"origin": "Baku", "destination": "Nakhchivan", "modes": ["rail"], "year": 2030}]})

    @model_validator(mode="after")
    def _close_needs_world(self) -> RouteRequest:
        if self.close and not self.world:
            raise ValueError("close closes chokepoints of the world sea layer: set world to true, or drop close")
        return self


class MatrixRequest(RouteOptionsIn):
    origins: list[str] = Field(min_length=1, max_length=200, examples=[["Baku", "Aktau"]])
    destinations: list[str] = Field(min_length=1, max_length=200, examples=[["Tbilisi", "Tehran"]])


class ScenarioBody(_Body):
    yaml: str = Field(min_length=1, max_length=200_000, description="The scenario file text (docs/scenario-format.md).",
                      examples=["name: my-closure\ndescription: Upper Lars closed\npatches:\n  - {action: close, element: border, where: {ids: [dariali--verkhny-lars]}}\n"])


class LaneIn(_Body):
    id: str = Field(min_length=1, max_length=100)
    origin: str = Field(min_length=1, max_length=200)
    destination: str = Field(min_length=1, max_length=200)
    cargo: str = "teu"
    volume_teu_per_year: float | None = Field(default=None, ge=0, le=MAX_VOLUME_TEU_PER_YEAR, allow_inf_nan=False,
                                              description="TEU a year: finite, 0 to 1e9 (more than all the world's ports handle).")
    volume_source: str | None = Field(default=None, min_length=1, max_length=300,
                                      description="Where the annual volume comes from; required with volume_teu_per_year.")

    @model_validator(mode="after")
    def _sourced(self) -> LaneIn:
        if self.volume_teu_per_year is not None and self.volume_source is None:
            raise ValueError("volume_teu_per_year needs volume_source: per-year figures are given for sourced volumes only")
        return self


class CompareRequest(_Body):
    base: str = Field(default=DEFAULT_BASE, max_length=200, description=f"Scenario name, or {NO_SCENARIO!r} for the data as they are.")
    scenario: str = Field(max_length=200, examples=["red-sea-closed"])
    year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR,
                             description="Network year of both cases; the scenario's own if omitted. When the base's "
                                         "year differs, what the years alone change is the response's year_effect.")
    objective: ObjectiveName = "generalized"
    lanes: list[LaneIn] | None = Field(default=None, description="Lanes to compare; the shipped lane set if omitted.")
