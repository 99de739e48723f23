"""Compare a scenario with a base over a lane set: lanes, countries, access pairs."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from corridors.analysis.attribution import country_shares
from corridors.analysis.cases import Case, LaneResult, case_in_year, route_lanes
from corridors.analysis.lanes import AccessPair, Lane, shipments_per_year
from corridors.errors import InvalidOptionError
from corridors.graph import compile_graph

if TYPE_CHECKING:  # pragma: no cover - types only
    import pandas

    from corridors.io.notebook import InlineMap

COST_TOLERANCE_USD = 0.5
"""A cost change per shipment within this many USD counts as no change."""
TIME_TOLERANCE_H = 0.05
"""A time change per shipment within this many hours (3 minutes) counts as no change."""

LaneStatus = Literal["unchanged", "rerouted", "cheaper", "dearer", "faster", "slower", "opened", "cut", "unreachable"]
AccessStatus = Literal["unchanged", "easier", "harder", "connected", "cut off", "isolated"]


@dataclass(frozen=True)
class LaneChange:
    """One lane before and after: figures per shipment and the corridor used."""

    lane: Lane
    before: LaneResult
    after: LaneResult

    @property
    def changed(self) -> bool:
        """Whether the scenario changed the lane: anything but ``unchanged`` or ``unreachable``
        (no route before nor after)."""
        return self.status not in ("unchanged", "unreachable")

    @property
    def status(self) -> LaneStatus:
        """How the lane changed.

        ``opened`` (unreachable before), ``cut`` (unreachable after), ``unreachable`` (both),
        ``rerouted`` (other links). On the same links: ``cheaper``/``dearer`` when the cost moves
        by more than :data:`COST_TOLERANCE_USD`, else ``faster``/``slower`` when the time moves by
        more than :data:`TIME_TOLERANCE_H`, else ``unchanged``.
        """
        b, a = self.before.route, self.after.route
        if b is None and a is None:
            return "unreachable"
        if b is None:
            return "opened"
        if a is None:
            return "cut"
        if b.link_ids != a.link_ids:
            return "rerouted"
        cost_change, time_change = a.cost_usd - b.cost_usd, a.time_h - b.time_h
        if abs(cost_change) > COST_TOLERANCE_USD:
            return "cheaper" if cost_change < 0 else "dearer"
        if abs(time_change) > TIME_TOLERANCE_H:
            return "faster" if time_change < 0 else "slower"
        return "unchanged"

    def delta(self, field: str) -> float | None:
        b, a = self.before.route, self.after.route
        return None if b is None or a is None else getattr(a, field) - getattr(b, field)

    def to_dict(self) -> dict[str, Any]:
        def side(result: LaneResult) -> dict[str, Any]:
            r = result.route
            if r is None:
                return {"reachable": False, "reason": result.reason}
            return {"reachable": True, "distance_km": round(r.distance_km, 1), "time_h": round(r.time_h, 2),
                    "cost_usd": round(r.cost_usd, 2), "co2e_kg": round(r.co2e_kg, 2), "via": r.via_summary(),
                    "corridors": sorted(r.corridors)}
        return {"lane": self.lane.id, "origin": self.lane.origin, "destination": self.lane.destination,
                "volume_teu_per_year": self.lane.volume_teu_per_year, "status": self.status, "changed": self.changed,
                "before": side(self.before), "after": side(self.after)}


@dataclass(frozen=True)
class CountryImpact:
    """Transit through one country, summed over lanes, before and after.

    ``*_per_unit``: one shipment on every lane. ``*_per_year``: lanes with a sourced annual
    volume only, weighted by it (TEU a year); zero when no lane has a volume.
    """

    country: str
    transit_tkm_per_unit: tuple[float, float]
    transit_revenue_usd_per_unit: tuple[float, float]
    transit_tkm_per_year: tuple[float, float]
    transit_revenue_usd_per_year: tuple[float, float]
    lanes_in_transit: tuple[int, int]

    @property
    def revenue_change_usd_per_unit(self) -> float:
        return self.transit_revenue_usd_per_unit[1] - self.transit_revenue_usd_per_unit[0]


@dataclass(frozen=True)
class AccessChange:
    """An access pair (e.g. Iran-Armenia by land) before and after."""

    pair: AccessPair
    before: LaneResult
    after: LaneResult

    @property
    def status(self) -> AccessStatus:
        """``cut off`` (reachable before only), ``connected`` (after only), ``isolated`` (neither);
        when reachable in both, ``harder``/``easier`` if the cost moves by more than
        :data:`COST_TOLERANCE_USD`, else ``unchanged``."""
        b, a = self.before.reachable, self.after.reachable
        if b and not a:
            return "cut off"
        if a and not b:
            return "connected"
        if not a:
            return "isolated"
        change = self.after.route.cost_usd - self.before.route.cost_usd
        return "harder" if change > COST_TOLERANCE_USD else "easier" if change < -COST_TOLERANCE_USD else "unchanged"


@dataclass(frozen=True)
class Comparison:
    """The outcome of :func:`compare`; with :func:`decompose`, also the network-year effect that
    precedes the scenario's own."""

    base: Case
    scenario: Case
    lanes: tuple[LaneChange, ...]
    countries: tuple[CountryImpact, ...]
    access: tuple[AccessChange, ...]
    year_effect: Comparison | None = None
    """The base in its own year against the base in the scenario's year (what the years alone
    change); ``None`` when both are routed in one year."""

    @property
    def years(self) -> tuple[int | None, int | None]:
        """Network years of the base and the scenario (``None``: the data's reference year)."""
        return self.base.options.year, self.scenario.options.year

    @property
    def year_note(self) -> str:
        """A warning when the two cases are routed in different network years: the changes then
        include links that open in between on their own, not only the scenario's doing."""
        base, scenario = self.years
        if (base or self.base.network.as_of_year) == (scenario or self.scenario.network.as_of_year):
            return ""  # one network year, whether given or the data's own
        return (f"The base is routed in {base or 'the reference year'} and the scenario in "
                f"{scenario or 'the reference year'}: links opening in between count as changes too.")

    @property
    def effect_summary(self) -> str:
        """One line per effect: how many lanes the network year changes (if a year effect was
        computed) and how many the scenario changes, e.g. ``network-year effect 2025 -> 2029
        (baseline-2025 -> baseline-2029): 3 of 12 lanes change``."""
        def count(c: Comparison) -> str:
            return f"{sum(lane.changed for lane in c.lanes)} of {len(c.lanes)} lanes change"

        lines = []
        if self.year_effect is not None:
            y = self.year_effect
            lines.append(f"network-year effect {y.base.year} -> {y.scenario.year} "
                         f"({y.base.name} -> {y.scenario.name}): {count(y)}")
        lines.append(f"scenario effect in {self.scenario.year} ({self.base.name} -> {self.scenario.name}): {count(self)}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        year_effect = None
        if self.year_effect is not None:
            y = self.year_effect
            year_effect = {k: v for k, v in y.to_dict().items() if k not in ("year_effect", "changes", "year_note")}
            year_effect.update(base_year=y.base.year, scenario_year=y.scenario.year)  # the years, always named
        return {
            "base": self.base.name, "scenario": self.scenario.name, "year_effect": year_effect,
            "base_year": self.years[0], "scenario_year": self.years[1], "year_note": self.year_note,
            "changes": [str(c) for c in self.scenario.changes if c not in self.base.changes],
            "lanes": [lane.to_dict() for lane in self.lanes],
            "countries": [asdict(c) for c in self.countries],
            "access": [{"id": a.pair.id, "name": a.pair.name, "status": a.status,
                        "before": a.before.route.cost_usd if a.before.route else None,
                        "after": a.after.route.cost_usd if a.after.route else None,
                        "reason_after": a.after.reason} for a in self.access],
            "notes": "Per shipment unless *_per_year; border links split evenly between the countries they touch.",
        }

    def to_frames(self) -> dict[str, pandas.DataFrame]:
        """The ``lanes``, ``countries`` and ``access`` of :meth:`to_dict` as three pandas
        DataFrames, a row per lane, country and access pair. A lane's ``before`` and ``after``
        become dotted columns (``before.cost_usd``, ``after.via``...); a country's ``[before,
        after]`` pairs become ``<field>.before`` and ``<field>.after``. Needs the ``geo`` extra."""
        from corridors.io.frames import rows_to_frame

        data = self.to_dict()
        countries = [{k: dict(zip(("before", "after"), v)) if isinstance(v, (tuple, list)) and len(v) == 2 else v
                      for k, v in country.items()} for country in data["countries"]]
        return {"lanes": rows_to_frame(data["lanes"], columns=("lane", "status")),
                "countries": rows_to_frame(countries, columns=("country",)),
                "access": rows_to_frame(data["access"], columns=("id", "status"))}

    def explore(self, *, height_px: int = 460) -> InlineMap:
        """An offline map of the changed lanes, before (grey, dashed) and after (by mode); every
        lane's route after when none changed."""
        from corridors.io._draw import draw_comparison_map
        from corridors.io.notebook import comparison_map

        changed = [c for c in self.lanes if c.changed] or list(self.lanes)
        pairs = [(c.before.route, c.after.route) for c in changed]
        lanes = [(f"{c.lane.id} ({c.status}): ", *(r.to_geojson() if r is not None else None for r in pair))
                 for c, pair in zip(changed, pairs)]
        return comparison_map(lanes, title=f"{self.scenario.name} vs {self.base.name}",
                              subtitle=f"{sum(c.changed for c in self.lanes)} of {len(self.lanes)} lanes changed",
                              static=lambda: draw_comparison_map(self.scenario.network, pairs), height_px=height_px)

    def _repr_html_(self) -> str:
        return self.explore()._repr_html_()


def _country_totals(results: list[LaneResult], network) -> dict[str, list[float]]:
    """country -> [tkm/unit, usd/unit, tkm/year, usd/year, lanes in transit]"""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0, 0])
    graph = compile_graph(network)
    for result in results:
        if result.route is None:
            continue
        shipments = shipments_per_year(result.lane, result.route)
        for share in country_shares(result.route, graph).values():
            if not share.transit:
                continue
            t = totals[share.country]
            t[0] += share.tonne_km
            t[1] += share.revenue_usd
            t[2] += share.tonne_km * shipments
            t[3] += share.revenue_usd * shipments
            t[4] += 1
    return totals


@dataclass(frozen=True)
class _Routed:
    """A case's lanes and access pairs, routed."""

    case: Case
    lanes: list[LaneResult]
    access: list[LaneResult]


def _route(case: Case, lanes: list[Lane], access: list[AccessPair]) -> _Routed:
    results = []
    for pair in access:  # an access pair may restrict the modes (Iran-Armenia by land)
        options = dataclasses.replace(case.options, modes=pair.modes) if pair.modes else case.options
        results.append(route_lanes(Case(case.name, case.network, options), [Lane(pair.id, pair.origin, pair.destination)])[0])
    return _Routed(case, route_lanes(case, lanes), results)


def _diff(before: _Routed, after: _Routed, lanes: list[Lane], access: list[AccessPair]) -> Comparison:
    base, scenario = before.case, after.case
    tb, ta = _country_totals(before.lanes, base.network), _country_totals(after.lanes, scenario.network)
    countries = []
    for country in sorted(set(tb) | set(ta)):
        b, a = tb.get(country, [0.0] * 5), ta.get(country, [0.0] * 5)
        countries.append(CountryImpact(country, (b[0], a[0]), (b[1], a[1]), (b[2], a[2]), (b[3], a[3]), (int(b[4]), int(a[4]))))
    countries.sort(key=lambda c: c.revenue_change_usd_per_unit)
    return Comparison(
        base, scenario,
        tuple(LaneChange(lane, b, a) for lane, b, a in zip(lanes, before.lanes, after.lanes)),
        tuple(countries), tuple(AccessChange(pair, b, a) for pair, b, a in zip(access, before.access, after.access)),
    )


def compare(base: Case, scenario: Case, lanes: list[Lane], access: list[AccessPair] = ()) -> Comparison:
    """Route every lane and access pair in both cases, each in its own network year, and
    summarise what changed (:func:`decompose` compares in one year)."""
    lanes, access = list(lanes), list(access)
    return _diff(_route(base, lanes, access), _route(scenario, lanes, access), lanes, access)


def comparison_year(base: Case, scenario: Case, year: int | None = None) -> int:
    """The one network year two cases are compared in: ``year`` if given, else the later of the
    years the cases name (a case that names none, such as the atlas or an undated scenario,
    follows the other), else the data's own.

    Raises
    ------
    InvalidOptionError
        ``year`` is earlier than a dated scenario's own year: what it opens would stay shut.
    """
    declared = [c.options.year for c in (base, scenario) if c.options.year is not None]
    chosen = year if year is not None else max(declared, default=scenario.year)
    for case in (base, scenario):
        if case.changes and case.options.year is not None and case.options.year > chosen:
            raise InvalidOptionError(f"{case.name} is a scenario of {case.options.year}: compared in {chosen}, "
                                     f"what it opens stays shut; give a year of {case.options.year} or later")
    return chosen


def decompose(base: Case, scenario: Case, lanes: list[Lane], access: list[AccessPair] = (), *,
              year: int | None = None) -> Comparison:
    """Compare ``scenario`` with ``base`` in one network year (:func:`comparison_year`): the
    scenario effect. When ``base`` names another year, also ``base`` in its own year against
    ``base`` in the comparison's (the network-year effect, :attr:`Comparison.year_effect`):
    baseline 2025 -> baseline Y -> scenario Y. Each case is routed once."""
    lanes, access = list(lanes), list(access)
    chosen = comparison_year(base, scenario, year)
    base_then = _route(case_in_year(base, chosen), lanes, access)
    effect = _diff(base_then, _route(case_in_year(scenario, chosen), lanes, access), lanes, access)
    if base_then.case is base:
        return effect
    return dataclasses.replace(effect, year_effect=_diff(_route(base, lanes, access), base_then, lanes, access))
