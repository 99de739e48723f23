"""Row schemas of the network files, validated with pydantic at the boundary.

Cells arrive as strings (CSV) or YAML values; these models coerce them, split ``;`` lists and
reject what the format (docs/data-format.md) does not allow.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from importlib.resources import files
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from corridors.model import FIRST_YEAR, LAST_YEAR, LengthSource, Mode, NodeKind, SourceKind, Status
from corridors.model.seasons import check_months, parse_months

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:--[a-z0-9]+(?:[-_][a-z0-9]+)*)*$")
COUNTRY = re.compile(r"^[A-Z]{2}$")


def validation_message(error: Mapping[str, Any]) -> str:
    """A pydantic error's message without the "Value error, " pydantic puts before our
    validators' own words.

    >>> validation_message({"msg": "Value error, 'XX' is not a country code"})
    "'XX' is not a country code"
    """
    return str(error["msg"]).removeprefix("Value error, ")


def _split(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return value


def _empty_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("", "false", "no", "0"):
            return False
        if text in ("true", "yes", "1"):
            return True
    return value


def _season(value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    return parse_months(value) if isinstance(value, str) else check_months(value)


@functools.cache
def number_bounds() -> dict[str, tuple[float, str, str]]:
    """``data/number_bounds.yaml``: per kind of number, the largest value it may take, its unit
    and why no real figure exceeds it (docs/data-format.md lists them)."""
    text = files("corridors.data").joinpath("number_bounds.yaml").read_text(encoding="utf-8")
    return {kind: (float(b["max"]), b["unit"], b["why"]) for kind, b in yaml.safe_load(text).items()}


def _up_to(kind: str) -> AfterValidator:
    """A check that a number is finite and at most the bound of ``kind`` (``None`` passes: "not
    given"). The bounds are far above any real figure: they catch typos and overflow (``1e400``
    reads as infinity), never data."""

    def check(value: float | None) -> float | None:
        limit, unit, why = number_bounds()[kind]
        if value is not None and not (math.isfinite(value) and value <= limit):
            raise ValueError(f"must be a finite number no larger than {limit:,.0f} {unit} ({why})")
        return value

    return AfterValidator(check)


HOURS, DISTANCE_KM, SPEED_KMH = _up_to("hours"), _up_to("km"), _up_to("km/h")
USD_PER_TEU, USD_PER_TEU_KM, USD_PER_TEU_H = _up_to("usd/teu"), _up_to("usd/teu-km"), _up_to("usd/teu-h")
CO2E_G_PER_TKM, CO2E_KG_PER_TEU, USD_PER_T_CO2E = _up_to("g/tkm"), _up_to("kg/teu"), _up_to("usd/tco2e")
TONNES_PER_YEAR, TEU, TONNES = _up_to("t/year"), _up_to("teu"), _up_to("t")

StrList = Annotated[tuple[str, ...], BeforeValidator(_split)]
OptFloat = Annotated[float | None, BeforeValidator(_empty_to_none)]
OptInt = Annotated[int | None, BeforeValidator(_empty_to_none)]
OptStr = Annotated[str | None, BeforeValidator(_empty_to_none)]
Bool = Annotated[bool, BeforeValidator(_bool)]


def _check_slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(f"{value!r} is not a slug (lower-case letters, digits and hyphens)")
    return value


def _check_country(value: str) -> str:
    if not COUNTRY.match(value):
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 code such as 'AZ'")
    return value


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SourceRow(_Row):
    id: str
    kind: SourceKind
    title: str = Field(min_length=1)
    publisher: str = ""
    date: str = ""
    reference: str = ""
    notes: str = ""

    _slug = field_validator("id")(_check_slug)


class NodeRow(_Row):
    id: str
    name: str = Field(min_length=1)
    aliases: StrList = ()
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    country: str
    kind: NodeKind
    handles: Annotated[tuple[Mode, ...], BeforeValidator(_split)] = ()
    gauge_change: Annotated[
        tuple[Annotated[str, Field(pattern="^(bogie_exchange|transshipment)$")], ...],
        BeforeValidator(_split),
    ] = ()
    gauge_change_time_h: Annotated[OptFloat, HOURS] = Field(default=None, ge=0)
    gauge_change_cost_usd: Annotated[OptFloat, USD_PER_TEU] = Field(default=None, ge=0)
    source_ids: StrList = Field(min_length=1)
    notes: str = ""

    _slug = field_validator("id")(_check_slug)
    _country = field_validator("country")(_check_country)


class LinkRow(_Row):
    id: str
    from_: str = Field(alias="from")
    to: str
    mode: Mode
    gauge_mm: Annotated[tuple[Annotated[int, Field(gt=500, lt=2000)], ...], BeforeValidator(_split)] = ()
    distance_km: Annotated[float, DISTANCE_KM] = Field(gt=0)
    length_source: LengthSource
    speed_kmh: Annotated[OptFloat, SPEED_KMH] = Field(default=None, gt=0)
    time_h: Annotated[OptFloat, HOURS] = Field(default=None, ge=0)
    wait_h: Annotated[OptFloat, HOURS] = Field(default=None, ge=0)
    cost_usd_per_teu: Annotated[OptFloat, USD_PER_TEU] = Field(default=None, ge=0)
    oneway: Bool = False
    status: Status
    opens_year: OptInt = Field(default=None, ge=1800, le=LAST_YEAR)
    border: OptStr = None
    via_countries: StrList = ()
    corridors: StrList = ()
    capacity_t_per_year: Annotated[OptFloat, TONNES_PER_YEAR] = Field(default=None, ge=0)
    open_months: Annotated[tuple[int, ...], BeforeValidator(_season)] = ()
    source_ids: StrList = Field(min_length=1)
    notes: str = ""

    _slug = field_validator("id")(_check_slug)

    @field_validator("via_countries")
    @classmethod
    def _countries(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            _check_country(code)
        return value


class BorderRow(_Row):
    id: str
    name: str = Field(min_length=1)
    country_a: str
    country_b: str
    mode: Mode
    status: Status
    opens_year: OptInt = Field(default=None, ge=1800, le=LAST_YEAR)
    dwell_h: Annotated[float, HOURS] = Field(ge=0)
    dwell_p90_h: Annotated[OptFloat, HOURS] = Field(default=None, ge=0)
    fee_usd: Annotated[float, USD_PER_TEU] = Field(ge=0)
    source_ids: StrList = Field(min_length=1)
    notes: str = ""

    _slug = field_validator("id")(_check_slug)
    _a = field_validator("country_a")(_check_country)
    _b = field_validator("country_b")(_check_country)


class _Yaml(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModeParametersSpec(_Yaml):
    speed_kmh: Annotated[float, SPEED_KMH] = Field(gt=0)
    cost_usd_per_teu_km: Annotated[float, USD_PER_TEU_KM] = Field(ge=0)
    co2e_g_per_tkm: Annotated[float, CO2E_G_PER_TKM] = Field(ge=0)
    source_ids: list[str] = Field(min_length=1)
    notes: str = ""


class TransferSpec(_Yaml):
    modes: list[Mode] = Field(min_length=2, max_length=2)
    time_h: Annotated[float, HOURS] = Field(ge=0)
    cost_usd_per_teu: Annotated[float, USD_PER_TEU] = Field(ge=0)
    co2e_kg_per_teu: Annotated[float, CO2E_KG_PER_TEU] = Field(default=0.0, ge=0)
    source_ids: list[str] = Field(min_length=1)
    notes: str = ""


class GaugeChangeSpec(_Yaml):
    time_h: Annotated[float, HOURS] = Field(ge=0)
    cost_usd_per_teu: Annotated[float, USD_PER_TEU] = Field(ge=0)
    source_ids: list[str] = Field(min_length=1)
    notes: str = ""


class CargoSpec(_Yaml):
    teu_equivalent: Annotated[float, TEU] = Field(gt=0)
    mass_t: Annotated[float, TONNES] = Field(gt=0)
    description: str = ""
    source_ids: list[str] = Field(min_length=1)
    notes: str = ""


class ParametersSpec(_Yaml):
    """parameters.yaml. Defaults are needed only for the modes the network's links use, and a
    gauge change only if it has rail links: the network checks that (``_assemble``)."""

    modes: dict[Mode, ModeParametersSpec]
    transfers: list[TransferSpec] = Field(default_factory=list)
    gauge_change: GaugeChangeSpec | None = None
    value_of_time_usd_per_teu_h: Annotated[float, USD_PER_TEU_H] = Field(ge=0)
    value_of_time_source_ids: list[str] = Field(default_factory=list)
    carbon_price_usd_per_t: Annotated[float, USD_PER_T_CO2E] = Field(default=0.0, ge=0)
    carbon_price_source_ids: list[str] = Field(default_factory=list)
    cargo: dict[str, CargoSpec]
    notes: str = ""


class AtlasSpec(_Yaml):
    name: str
    as_of_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    version: str = ""
    description: str = ""
