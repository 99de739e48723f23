"""Time, money and CO2e of single network elements: line haul, links, border crossings,
transfers and the world layers' default crossings. Scenario multipliers apply here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from corridors.model import BorderCrossing, Link, ModeParameters, Parameters, TransferParameters


def line_haul(mode: ModeParameters, distance_km):
    """Running ``distance_km`` (a number or an array) at a mode's defaults: hours, USD per
    TEU-equivalent and kg CO2e per tonne carried, with the mode's scenario multipliers.

    >>> line_haul(ModeParameters(50.0, 0.5, 20.0), 100.0)
    (2.0, 50.0, 2.0)
    >>> line_haul(ModeParameters(50.0, 0.5, 20.0, time_factor=1.5), 100.0)[0]
    3.0
    """
    return (
        distance_km / mode.speed_kmh * mode.time_factor,
        distance_km * mode.cost_usd_per_teu_km * mode.cost_factor,
        distance_km * mode.co2e_g_per_tkm / 1000,
    )


def link_running_time_h(params: Parameters, link: Link) -> float:
    """Hours to run ``link``, scheduled waits excluded: its fixed time, else km / its own speed,
    else km at its mode's default speed (with the mode's multiplier); times its own multiplier."""
    if link.time_h is not None:
        base = link.time_h
    elif link.speed_kmh:
        base = link.distance_km / link.speed_kmh
    else:
        base = line_haul(params.modes[link.mode], link.distance_km)[0]
    return base * link.time_factor


def link_cost_usd(params: Parameters, link: Link) -> float:
    """USD per TEU-equivalent to run ``link``: its flat tariff, else km at its mode's rate (with
    the mode's multiplier); times its own multiplier."""
    if link.cost_usd_per_teu is not None:
        base = link.cost_usd_per_teu
    else:
        base = line_haul(params.modes[link.mode], link.distance_km)[1]
    return base * link.cost_factor


def border_dwell_h(crossing: BorderCrossing) -> tuple[float, float | None]:
    """Typical and p90 dwell (hours) at a crossing, with its scenario multiplier."""
    p90 = crossing.dwell_p90_h * crossing.dwell_factor if crossing.dwell_p90_h is not None else None
    return crossing.dwell_h * crossing.dwell_factor, p90


def border_fee_usd(crossing: BorderCrossing) -> float:
    """Fee per TEU-equivalent at a crossing, with its scenario multiplier."""
    return crossing.fee_usd * crossing.fee_factor


def transfer_costs(transfer: TransferParameters) -> tuple[float, float, float]:
    """Hours, USD per TEU and kg CO2e per TEU of a transfer, with its scenario multipliers."""
    return transfer.time_h * transfer.time_factor, transfer.cost_usd_per_teu * transfer.cost_factor, transfer.co2e_kg_per_teu


@dataclass(frozen=True)
class CrossingRule:
    """What a default crossing of the world layers costs beyond running: ``dwell_h`` (hours),
    ``fee_usd`` (per TEU-equivalent), the ``source_ids`` behind them, and a ``label`` for the
    border step ("default", or "inside the EU customs union")."""

    dwell_h: float
    fee_usd: float
    source_ids: tuple[str, ...]
    label: str


def crossing_rule(rules: Mapping, mode: str, country_a: str, country_b: str) -> CrossingRule:
    """The default crossing of ``mode`` ("rail" or "road") between two countries under ``rules``
    (``data/world/crossings.yaml``): a customs union's both belong to, if it sets the mode, else
    the ``default_crossing``.

    >>> rules = {"default_crossing": {"rail": {"dwell_h": 40.0, "fee_usd": 100, "source_ids": ["a"]}},
    ...          "customs_unions": [{"name": "EU customs union", "members": ["PL", "DE"], "source_ids": ["b"],
    ...                              "rail": {"dwell_h": 0.5, "fee_usd": 0}}]}
    >>> crossing_rule(rules, "rail", "PL", "DE").label, crossing_rule(rules, "rail", "PL", "BY").dwell_h
    ('inside the EU customs union', 40.0)
    """
    for union in rules.get("customs_unions", ()):
        if mode in union and country_a in union["members"] and country_b in union["members"]:
            figures = union[mode]
            return CrossingRule(float(figures["dwell_h"]), float(figures["fee_usd"]), tuple(union["source_ids"]),
                                f"inside the {union['name']}")
    figures = rules["default_crossing"][mode]
    return CrossingRule(float(figures["dwell_h"]), float(figures["fee_usd"]), tuple(figures["source_ids"]), "default")
