"""Objectives: what a router minimises, as a function of per-element cost arrays.

An objective takes the cost arrays of some elements (atlas edges or world arcs), the cargo of
one shipment and the prices of time and carbon, and returns one weight per element. The five
built-ins are registered here; :func:`register_objective` adds another (e.g. volume-delay costs).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from corridors.errors import InvalidOptionError
from corridors.model import CargoUnit

TIE_BREAK = 1e-9
"""Weight of the time term added to the distance and CO2e objectives: it breaks ties between
paths equal in km or kg (transfers are 0 km) in favour of the faster, and changes nothing else."""


class CostArrays:
    """Per-element figures an objective reads, from their parts: ``time_h`` (hours, running plus
    border), ``cost_usd_per_teu`` (USD per TEU-equivalent, running plus border fees),
    ``co2e_kg_per_t`` (line haul, per tonne), ``co2e_kg_per_teu`` (terminals, per
    TEU-equivalent), ``distance_km``. The sums are made on first read, so an objective pays only
    for what it uses."""

    def __init__(self, *, run_time_h: np.ndarray, border_time_h: np.ndarray, run_cost_usd: np.ndarray,
                 border_cost_usd: np.ndarray, co2e_kg_per_t: np.ndarray, co2e_kg_per_teu: np.ndarray,
                 distance_km: np.ndarray) -> None:
        self._parts = (run_time_h, border_time_h, run_cost_usd, border_cost_usd)
        self.co2e_kg_per_t = co2e_kg_per_t
        self.co2e_kg_per_teu = co2e_kg_per_teu
        self.distance_km = distance_km

    @functools.cached_property
    def time_h(self) -> np.ndarray:
        return self._parts[0] + self._parts[1]

    @functools.cached_property
    def cost_usd_per_teu(self) -> np.ndarray:
        return self._parts[2] + self._parts[3]


@dataclass(frozen=True)
class Prices:
    """Money values of time (USD per TEU-hour) and carbon (USD per tonne CO2e)."""

    value_of_time_usd_per_teu_h: float
    carbon_price_usd_per_t: float


ObjectiveFunction = Callable[[CostArrays, CargoUnit, Prices], np.ndarray]
_REGISTRY: dict[str, ObjectiveFunction] = {}


def register_objective(name: str, function: ObjectiveFunction) -> None:
    """Make ``function(costs, cargo, prices) -> weights`` available as objective ``name``.

    A name is registered once: prepared queries and world customisations are cached by the
    options that name it, so replacing one would serve stale answers."""
    if name in _REGISTRY:
        raise ValueError(f"objective {name!r} is registered already; register the new function under another name")
    _REGISTRY[name] = function


def objective_names() -> tuple[str, ...]:
    """Names of the registered objectives."""
    return tuple(_REGISTRY)


def objective_weights(name: str, costs: CostArrays, cargo: CargoUnit, prices: Prices) -> np.ndarray:
    """Weight of every element for objective ``name`` and one shipment of ``cargo`` (float64).

    >>> one, zero = np.array([1.0]), np.array([0.0])
    >>> c = CostArrays(run_time_h=one, border_time_h=one, run_cost_usd=2 * one, border_cost_usd=zero,
    ...                co2e_kg_per_t=2 * one, co2e_kg_per_teu=zero, distance_km=100 * one)
    >>> cargo = CargoUnit("teu", 1.0, 10.0)
    >>> float(objective_weights("generalized", c, cargo, Prices(1.0, 50.0))[0])  # 2 + 1 x 2 + 50 x 20 / 1000
    5.0
    """
    try:
        function = _REGISTRY[name]
    except KeyError:
        raise InvalidOptionError(f"unknown objective {name!r}; choose one of: {', '.join(_REGISTRY)}") from None
    return function(costs, cargo, prices)


def _time(c: CostArrays) -> np.ndarray:
    return np.asarray(c.time_h, dtype=np.float64)


def _money(c: CostArrays, cargo: CargoUnit) -> np.ndarray:
    return np.asarray(c.cost_usd_per_teu, dtype=np.float64) * cargo.teu_equivalent


def _co2e_kg(c: CostArrays, cargo: CargoUnit) -> np.ndarray:
    return (np.asarray(c.co2e_kg_per_t, dtype=np.float64) * cargo.mass_t
            + np.asarray(c.co2e_kg_per_teu, dtype=np.float64) * cargo.teu_equivalent)


def _distance(c: CostArrays, cargo: CargoUnit, prices: Prices) -> np.ndarray:
    """Kilometres, ties broken by time."""
    return np.asarray(c.distance_km, dtype=np.float64) + TIE_BREAK * _time(c)


def _hours(c: CostArrays, cargo: CargoUnit, prices: Prices) -> np.ndarray:
    """Hours."""
    return _time(c).copy()


def _usd(c: CostArrays, cargo: CargoUnit, prices: Prices) -> np.ndarray:
    """USD for the shipment."""
    return _money(c, cargo)


def _co2(c: CostArrays, cargo: CargoUnit, prices: Prices) -> np.ndarray:
    """kg CO2e for the shipment, ties broken by time."""
    return _co2e_kg(c, cargo) + TIE_BREAK * _time(c)


def _generalized(c: CostArrays, cargo: CargoUnit, prices: Prices) -> np.ndarray:
    """USD + value of time x TEU-equivalents x hours + carbon price x t CO2e."""
    weights = _money(c, cargo) + prices.value_of_time_usd_per_teu_h * cargo.teu_equivalent * _time(c)
    if prices.carbon_price_usd_per_t:  # no carbon price: CO2e need not be computed
        weights += prices.carbon_price_usd_per_t * _co2e_kg(c, cargo) / 1000.0
    return weights


for _name, _function in (("time", _hours), ("cost", _usd), ("co2", _co2), ("distance", _distance),
                         ("generalized", _generalized)):
    register_objective(_name, _function)
