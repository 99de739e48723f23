"""Run the validation: the model's value for every published figure, and the hit rates.

Each figure is answered through one :class:`~corridors.Session`:

* ``distance_km``, ``time_h``, ``cost_usd`` of a route: the best route from ``origin`` to
  ``destination`` under ``RouteOptions(objective=..., modes=..., via=..., cargo=..., year=...)``,
  minimising distance for lengths, time for times and the generalized cost for costs (what a
  shipper buying the route would weigh) unless the figure names another objective; the model
  value is the route's total of that measure, per shipment of the figure's cargo unit;
* ``dwell_h`` of a border crossing: the crossing's typical dwell through the costing layer
  (:func:`corridors.costs.border_dwell_h`); the atlas keeps one dwell for both directions, so a
  figure's ``direction`` is checked against the crossing's countries but gives the same value;
* ``cost_usd`` of a border crossing (``border`` and no places): its fee through the costing layer
  (:func:`corridors.costs.border_fee_usd`), per shipment of the cargo unit.

A figure whose places or via points do not resolve, or which has no route, is a miss with the
reason, never an error. Figures whose source the atlas itself cites are *circular* (see
:mod:`corridors.validation.circular`): reported apart, and not counted in the hit rates.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from corridors.costs import border_dwell_h, border_fee_usd
from corridors.errors import CorridorsError, NoRouteError
from corridors.model import Network, Source
from corridors.routing import Route, RouteOptions
from corridors.routing.options import cargo_unit
from corridors.session import Session
from corridors.validation.circular import Circularity
from corridors.validation.table import CATEGORIES, Figure, FigureTable, crossings_named

logger = logging.getLogger(__name__)

__all__ = ["CategoryRate", "FigureResult", "ValidationReport", "run_validation"]


@dataclass(frozen=True)
class FigureResult:
    """The model's answer to one figure.

    ``model_value`` is ``None`` when the query did not resolve or has no route (``detail`` says
    why); otherwise ``detail`` says what was measured (the route's crossings and transfers, or the
    crossing). ``circular`` says why the figure's source is one the atlas cites, else ``None``.
    """

    figure: Figure
    model_value: float | None
    detail: str
    circular: str | None = None

    @property
    def counted(self) -> bool:
        """Whether the result counts in the hit rates: neither circular nor excluded."""
        return self.circular is None and not self.figure.excluded

    @property
    def hit(self) -> bool:
        return self.model_value is not None and self.figure.hits(self.model_value)

    @property
    def ratio(self) -> float | None:
        """Model value over the nearest end of the published range (1.0 inside it)."""
        return None if self.model_value is None else self.figure.ratio(self.model_value)

    @property
    def miss_size(self) -> float:
        """How far a result lies from its published range, as ``|ln ratio|`` (infinite without a
        value or when the model gives zero)."""
        ratio = self.ratio
        return math.inf if ratio is None or ratio <= 0 or math.isinf(ratio) else abs(math.log(ratio))

    def to_dict(self, sources: Mapping[str, Source]) -> dict[str, Any]:
        f = self.figure
        source = sources.get(f.source_id)
        return {
            "id": f.id, "category": f.category, "measure": f.measure,
            "query": {"origin": f.origin, "destination": f.destination, "via": list(f.via),
                      "modes": sorted(m.value for m in f.modes) if f.modes else None, "cargo": f.cargo,
                      "year": f.year, "objective": f.objective, "border": f.border, "direction": f.direction},
            "published": {"low": f.low, "high": f.high, "year": f.published_year},
            "tolerance": f.tolerance, "band": list(f.band),
            "model": None if self.model_value is None else round(self.model_value, 3),
            "ratio": None if self.ratio is None else round(self.ratio, 4),
            "hit": self.hit, "detail": self.detail, "circular": self.circular, "excluded": self.figure.excluded or None,
            "source": {"id": f.source_id, "title": source.title if source else "",
                       "publisher": source.publisher if source else "", "date": source.date if source else "",
                       "reference": source.reference if source else ""},
            "notes": f.notes, "row": f"{f.file}:{f.line}",
        }


@dataclass(frozen=True)
class CategoryRate:
    """Hits among the non-circular figures of one category, and among its circular ones apart."""

    category: str
    hits: int
    counted: int
    circular_hits: int
    circular: int

    @property
    def rate(self) -> float | None:
        """``hits / counted``, or ``None`` when no non-circular figure counts."""
        return self.hits / self.counted if self.counted else None

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "hits": self.hits, "figures": self.counted,
                "rate": None if self.rate is None else round(self.rate, 4),
                "circular_hits": self.circular_hits, "circular_figures": self.circular}


def _rate(category: str, results: list[FigureResult]) -> CategoryRate:
    counted = [r for r in results if r.counted]
    circular = [r for r in results if r.circular is not None and not r.figure.excluded]
    return CategoryRate(category, sum(r.hit for r in counted), len(counted),
                        sum(r.hit for r in circular), len(circular))


@dataclass(frozen=True)
class ValidationReport:
    """Every figure's result, with the sources they cite, and the rates derived from them."""

    results: tuple[FigureResult, ...]
    sources: Mapping[str, Source]
    network: str = ""

    @property
    def categories(self) -> tuple[CategoryRate, ...]:
        """Rates per category, in the order length, time, dwell, cost (those with figures)."""
        present = [c for c in CATEGORIES if any(r.figure.category == c for r in self.results)]
        return tuple(_rate(c, [r for r in self.results if r.figure.category == c]) for c in present)

    @property
    def overall(self) -> CategoryRate:
        """Rates over every figure: the headline is ``overall.rate`` (non-circular figures only)."""
        return _rate("overall", list(self.results))

    @property
    def circular(self) -> tuple[FigureResult, ...]:
        return tuple(r for r in self.results if r.circular is not None and not r.figure.excluded)

    @property
    def excluded(self) -> tuple[FigureResult, ...]:
        """Figures kept in the table but not counted: they do not measure what their query does."""
        return tuple(r for r in self.results if r.figure.excluded)

    def worst_misses(self, count: int = 10) -> tuple[FigureResult, ...]:
        """The non-circular misses with a model value furthest from their published range."""
        misses = [r for r in self.results if r.counted and r.model_value is not None and not r.hit]
        return tuple(sorted(misses, key=lambda r: -r.miss_size)[:count])

    @property
    def unresolved(self) -> tuple[FigureResult, ...]:
        """Figures without a model value (a place that does not resolve, no route): misses."""
        return tuple(r for r in self.results if r.model_value is None)

    def to_dict(self, worst: int = 10) -> dict[str, Any]:
        """JSON-ready: rates, the worst misses' ids, and every figure's result."""
        return {
            "network": self.network,
            "headline": self.overall.to_dict(),
            "categories": [c.to_dict() for c in self.categories],
            "worst_misses": [r.figure.id for r in self.worst_misses(worst)],
            "unresolved": [r.figure.id for r in self.unresolved],
            "figures": [r.to_dict(self.sources) for r in self.results],
        }

    def to_frame(self):
        """Every figure's result as a DataFrame, one row each, with the JSON's column names
        (needs the ``geo`` extra's pandas)."""
        from corridors.io.frames import rows_to_frame

        return rows_to_frame([r.to_dict(self.sources) for r in self.results])


def _route_value(route: Route, measure: str, network: Network) -> float:
    if measure == "running_time_h":  # the legs' hours less the scheduled waits of their links
        waits = sum(network.link_by_id[i].wait_h for leg in route.legs for i in leg.link_ids)
        return sum(leg.time_h for leg in route.legs) - waits
    return {"distance_km": route.distance_km, "time_h": route.time_h, "cost_usd": route.cost_usd}[measure]


def _why(exc: CorridorsError) -> str:
    if isinstance(exc, NoRouteError):
        return f"no route: {'; '.join(exc.reasons)}" if exc.reasons else "no route"
    return str(exc).splitlines()[0]


class _Runner:
    """Answers figures on one session, routing each distinct query once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.routes: dict[tuple[str, str, RouteOptions], Route | CorridorsError] = {}

    def answer(self, figure: Figure) -> tuple[float | None, str]:
        try:
            return self._crossing(figure) if figure.of_crossing else self._route(figure)
        except CorridorsError as exc:
            return None, _why(exc)

    def _crossing(self, figure: Figure) -> tuple[float | None, str]:
        found = crossings_named(self.session.network, figure.border, figure.modes)
        if len(found) != 1:  # the table was checked against another network
            return None, f"{len(found)} crossings {figure.border!r} of these modes in this network; need one"
        [crossing] = found
        where = f"{crossing.name} ({crossing.mode.value}, {crossing.country_a}-{crossing.country_b})"
        if figure.measure == "dwell_h":
            return border_dwell_h(crossing)[0], where
        unit = cargo_unit(self.session.network.parameters, figure.cargo)
        return border_fee_usd(crossing) * unit.teu_equivalent, f"fee at {where}"

    def _route(self, figure: Figure) -> tuple[float, str]:
        options = RouteOptions(objective=figure.objective, modes=figure.modes, via=figure.via,
                               cargo=figure.cargo, year=figure.year)
        key = (figure.origin, figure.destination, options)
        if key not in self.routes:
            try:
                [self.routes[key]] = self.session.route(figure.origin, figure.destination, options)
            except CorridorsError as exc:
                self.routes[key] = exc
        route = self.routes[key]
        if isinstance(route, CorridorsError):
            raise route
        detail = f"{route.origin_name} - {route.destination_name} via {route.via_summary()}"
        return _route_value(route, figure.measure, self.session.network), detail


def run_validation(table: FigureTable, session: Session, *,
                   progress: Callable[[int, int], None] | None = None) -> ValidationReport:
    """The model's value for every figure of ``table`` on ``session``'s network, hit or miss.

    ``progress(done, total)`` is told after each figure. Never raises for a figure whose query
    does not resolve or has no route: that figure is a miss with the reason.
    """
    runner = _Runner(session)
    circularity = Circularity.of(session.network)
    results = []
    for done, figure in enumerate(table.figures, 1):
        value, detail = runner.answer(figure)
        circular = circularity.reason(figure.source_id, table.sources.get(figure.source_id))
        results.append(FigureResult(figure, value, detail, circular))
        if value is None:
            logger.info("figure %s has no model value: %s", figure.id, detail)
        if progress is not None:
            progress(done, len(table.figures))
    network = session.network
    return ValidationReport(tuple(results), table.sources, f"{network.name} {network.version}".strip())
