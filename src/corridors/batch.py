"""Many routes at once, as a table: :func:`route_many` over origin-destination pairs and
:func:`compare_many` over trade lanes, each returning a pandas DataFrame (the ``geo`` extra).

On the atlas, a batch is prepared once per cargo (weights and rules, as
:func:`~corridors.routing.matrix.route_matrix` prepares a matrix), every place is resolved once,
and the pairs that share an origin (and the flow rules that apply to them) share one
shortest-path tree; each row's route is built from its tree path, so it equals the route a single
:func:`corridors.route` call finds. A pair that fails (an unknown place, no route) fills its
``reason`` and the others are still answered: a batch never raises for one bad pair.

>>> from corridors import route_many
>>> frame = route_many([("Baku", "Tbilisi"), ("Baku", "Atlantis")])  # doctest: +SKIP
>>> frame[["origin", "destination", "status", "via"]]  # doctest: +SKIP
  origin destination         status    via
0   Baku     Tbilisi             ok  AZ>GE
1   Baku    Atlantis  unknown_place   None
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from corridors.errors import (
    AmbiguousPlaceError,
    CorridorsError,
    InvalidOptionError,
    NoRouteError,
    UnknownPlaceError,
)
from corridors.routing import Route, RouteOptions

if TYPE_CHECKING:
    import pandas as pd

    from corridors.analysis import Lane
    from corridors.model import Network
    from corridors.session import ScenarioLike, Session

__all__ = ["RESULT_COLUMNS", "Outcome", "Status", "compare_many", "route_many", "route_pairs"]

RESULT_COLUMNS = ("distance_km", "time_h", "cost_usd", "co2e_kg", "via", "status", "reason")
"""Columns :func:`route_many` adds after the input's: totals per shipment as in a route's JSON,
where the route changes mode, gauge or country (:meth:`~corridors.Route.via_summary`), and how the
row went (:data:`Status`) with the error's message when it failed."""
FIGURES = ("distance_km", "time_h", "cost_usd", "co2e_kg")

Status = Literal["ok", "no_route", "unknown_place", "ambiguous_place", "invalid", "error"]
"""A row's outcome: routed, nothing connects the places, a place matched nothing or several nodes,
an option contradicts the places (same place, an avoided country), or another error."""
_STATUS: tuple[tuple[type[CorridorsError], Status], ...] = (
    (NoRouteError, "no_route"), (UnknownPlaceError, "unknown_place"), (AmbiguousPlaceError, "ambiguous_place"),
    (InvalidOptionError, "invalid"),
)


@dataclass(frozen=True)
class Outcome:
    """One pair's answer: its route, or the error that stopped it."""

    route: Route | None
    error: CorridorsError | None = None

    @property
    def status(self) -> Status:
        if self.error is None:
            return "ok"
        return next((status for kind, status in _STATUS if isinstance(self.error, kind)), "error")

    @property
    def reason(self) -> str:
        """The error's message, as the single call would raise it; empty when routed."""
        return "" if self.error is None else str(self.error)


Pair = tuple[str, str, str]
"""(origin, destination, cargo) of one row."""


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("route_many and compare_many return pandas DataFrames: "
                          "pip install 'corridors[geo]' (or pandas)") from None
    return pandas


@contextmanager
def _ticker(total: int, shown: bool, label: str):
    """A callable advancing a rich progress bar by one (a no-op when not ``shown``)."""
    if not shown:
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(transient=False) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def _cargo(value: Any, default: str) -> str:
    """A row's cargo: its own when given, else the options'."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip():
        return default
    return str(value).strip()


def _pairs_frame(pairs, pd) -> pd.DataFrame:
    """The input as a DataFrame with ``origin`` and ``destination`` columns."""
    if isinstance(pairs, pd.DataFrame):
        missing = [c for c in ("origin", "destination") if c not in pairs.columns]
        if missing:
            raise InvalidOptionError(f"the pairs need columns origin and destination; missing {', '.join(missing)} "
                                     f"(found: {', '.join(map(str, pairs.columns)) or 'none'})")
        return pairs.copy()
    rows = [tuple(p) for p in pairs]
    bad = [p for p in rows if len(p) != 2]
    if bad:
        raise InvalidOptionError(f"each pair is (origin, destination); found {bad[0]!r}")
    return pd.DataFrame(rows, columns=["origin", "destination"])


# atlas -----------------------------------------------------------------------------------------
class _Places:
    """Places of one network resolved once each (the error kept, to raise for every row naming it)."""

    def __init__(self, network: Network, modes) -> None:
        self._network, self._modes, self._found = network, modes, {}

    def __call__(self, query: str):
        from corridors.routing.places import resolve_place

        if query not in self._found:
            try:
                self._found[query] = resolve_place(self._network, query, modes=self._modes)
            except CorridorsError as exc:
                self._found[query] = exc
        found = self._found[query]
        if isinstance(found, CorridorsError):
            raise found
        return found


def route_pairs(network: Network, pairs: Sequence[Pair], options: RouteOptions = RouteOptions(),
                tick: Callable[[], None] = lambda: None) -> list[Outcome]:
    """The best route of every ``(origin, destination, cargo)`` on ``network`` under ``options``
    (its ``cargo`` replaced by each pair's), in order; each equals :func:`corridors.route`'s answer
    or holds the error it raises. ``tick()`` is called once per pair answered."""
    from corridors.graph import compile_graph
    from corridors.routing.prepare import check_end, prepare

    graph = compile_graph(network)
    places = _Places(network, options.modes)
    outcomes: list[Outcome | None] = [None] * len(pairs)
    by_cargo: dict[str, list[tuple[int, Any, Any]]] = {}
    for k, (origin, destination, cargo) in enumerate(pairs):
        try:
            o, d = places(origin), places(destination)
            if o.node.id == d.node.id:
                prepare(network, origin, destination, options)  # raises the single call's error
            check_end(network, graph, options, o, "origin")
            check_end(network, graph, options, d, "destination")
        except CorridorsError as exc:
            outcomes[k] = Outcome(None, exc)
            tick()
            continue
        by_cargo.setdefault(cargo, []).append((k, o, d))
    for cargo, rows in by_cargo.items():
        for k, outcome in _route_cargo(network, dataclasses.replace(options, cargo=cargo), rows, tick):
            outcomes[k] = outcome
    return outcomes


def _route_cargo(network: Network, options: RouteOptions, rows, tick) -> Iterable[tuple[int, Outcome]]:
    """Outcomes of ``rows`` (index, origin match, destination match) of one cargo: one prepared
    query, one tree per origin and set of flow rules that apply."""
    from corridors.routing.explain import explain_no_route
    from corridors.routing.options import cargo_unit
    from corridors.routing.prepare import PreparedRoute, network_year, policy_key, prepare_rules, via_waypoints, with_policies
    from corridors.routing.query import PreparedQuery

    try:
        base = prepare_rules(network, options)
        graph = base.engine.graph
        waypoints = via_waypoints(network, graph, options)
        unit = cargo_unit(network.parameters, options.cargo)
    except CorridorsError as exc:  # the options fail every pair alike
        for k, _, _ in rows:
            tick()
            yield k, Outcome(None, exc)
        return
    year = network_year(network, options)
    groups: dict[tuple[str, tuple], list[tuple[int, Any, Any]]] = {}
    for k, o, d in rows:
        groups.setdefault((o.node.id, policy_key(options.rules, o.node.country, d.node.country)), []).append((k, o, d))
    for group in groups.values():
        _, o0, d0 = group[0]
        departures = graph.departures(o0.node.id)
        try:
            query = with_policies(base, graph, options.rules, o0.node.country, d0.node.country)
        except CorridorsError as exc:
            for k, _, _ in group:
                tick()
                yield k, Outcome(None, exc)
            continue
        query = PreparedQuery(query.engine, query.weights, query.masks, waypoints=waypoints)
        tree = None if waypoints else query.solver.tree(departures)
        for k, o, d in group:
            arrivals = graph.arrivals(d.node.id)
            prepared = PreparedRoute(graph, options, o, d, unit, year, query.between(departures, arrivals))
            found = prepared.query.path() if waypoints else query.solver.tree_path(tree, arrivals)
            tick()
            if found is None:
                yield k, Outcome(None, NoRouteError(o.node.label, d.node.label, explain_no_route(prepared)))
            else:
                yield k, Outcome(prepared.build(found[1]))


# world -----------------------------------------------------------------------------------------
def _world_pairs(session: Session, pairs: Sequence[Pair], options: RouteOptions, scenario,
                 tick: Callable[[], None]) -> list[Outcome]:
    """World routes one pair at a time: routes with the same options (cargo) share one
    customisation of the world router, made on the first and kept by it."""
    outcomes = []
    for origin, destination, cargo in pairs:
        try:
            [found] = session.route(origin, destination, dataclasses.replace(options, cargo=cargo),
                                    scenario=scenario, world=True)
            outcomes.append(Outcome(found))
        except CorridorsError as exc:
            outcomes.append(Outcome(None, exc))
        tick()
    return outcomes


# public ----------------------------------------------------------------------------------------
def _figures(outcome: Outcome) -> dict[str, Any]:
    r = outcome.route
    values = {f: (None if r is None else getattr(r, f)) for f in FIGURES}
    return {**values, "via": None if r is None else r.via_summary(), "status": outcome.status,
            "reason": outcome.reason}


def _session(session: Session | None) -> Session:
    if session is not None:
        return session
    from corridors.session import Session

    return Session()


def route_many(
    pairs: pd.DataFrame | Iterable[tuple[str, str]],
    options: RouteOptions = RouteOptions(),
    *,
    session: Session | None = None,
    scenario: ScenarioLike | None = None,
    world: bool = False,
    progress: bool = False,
) -> pd.DataFrame:
    """The best route of every origin-destination pair, one row each, as a DataFrame.

    Parameters
    ----------
    pairs
        A DataFrame with ``origin`` and ``destination`` columns (place queries, as
        :func:`corridors.route` takes them), an optional ``cargo`` column (a cargo unit per row;
        blank rows take ``options.cargo``) and any other columns (ids, volumes), which are kept;
        or an iterable of ``(origin, destination)`` pairs.
    options
        Route options for every pair (objective, year, modes, rules...).
    session
        The :class:`~corridors.Session` to route in (its network, scenarios and world router);
        a new one on the packaged atlas by default.
    scenario
        Route every pair under this scenario (a name, a YAML path or a Scenario).
    world
        Route on the world layers (needs the ``world`` extra), one pair at a time on one shared
        customisation per cargo; via points, avoided items and flow rules are refused there, per
        row, as :meth:`~corridors.Session.route` refuses them.
    progress
        Show a rich progress bar while routing.

    Returns
    -------
    pandas.DataFrame
        The input's columns (in its order and index), then :data:`RESULT_COLUMNS`:
        ``distance_km``, ``time_h``, ``cost_usd`` and ``co2e_kg`` per shipment (empty when the row
        has no route), ``via``, ``status`` (``"ok"``, ``"no_route"``, ``"unknown_place"``,
        ``"ambiguous_place"``, ``"invalid"`` or ``"error"``) and ``reason`` (the message the single
        call would raise). Input columns of those names are replaced.

    Raises
    ------
    ImportError
        pandas is not installed (the ``geo`` extra).
    InvalidOptionError
        The input has no origin or destination column.
    ScenarioError
        The scenario does not exist or is invalid.
    """
    pd = _pandas()
    frame = _pairs_frame(pairs, pd)
    cargo = frame["cargo"] if "cargo" in frame.columns else [None] * len(frame)
    rows = [(str(o), str(d), _cargo(c, options.cargo)) for o, d, c in zip(frame["origin"], frame["destination"], cargo)]
    session = _session(session)
    with _ticker(len(rows), progress, "routing") as tick:
        if world:
            outcomes = _world_pairs(session, rows, options, scenario, tick)
        else:
            case = session.case(scenario, options) if scenario is not None else None
            network, options = (case.network, case.options) if case else (session.network, options)
            outcomes = route_pairs(network, rows, options, tick)
    results = pd.DataFrame([_figures(o) for o in outcomes], columns=list(RESULT_COLUMNS), index=frame.index)
    for column in RESULT_COLUMNS:
        frame[column] = results[column]
    return frame


def _lanes(lanes, pd, cargo: str) -> list[Lane]:
    """Lanes from a DataFrame (``id`` optional: the row's index; ``cargo`` optional: ``cargo``),
    checked by :func:`~corridors.analysis.read_lanes`; a list of Lanes; or the shipped set."""
    from corridors.analysis import load_lanes, read_lanes

    if lanes is None:
        return load_lanes()
    if not isinstance(lanes, pd.DataFrame):
        return list(lanes)
    frame = _pairs_frame(lanes, pd)
    if "id" not in frame.columns:
        frame.insert(0, "id", [str(index) for index in frame.index])
    given = frame["cargo"] if "cargo" in frame.columns else [None] * len(frame)
    frame["cargo"] = [_cargo(c, cargo) for c in given]
    return read_lanes(frame, volume_sources=False)


def compare_many(
    lanes: pd.DataFrame | Sequence[Lane] | None,
    base: ScenarioLike,
    scenario: ScenarioLike,
    options: RouteOptions = RouteOptions(),
    *,
    year: int | None = None,
    session: Session | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Every lane before (``base``) and after (``scenario``), one row each, as a DataFrame.

    ``lanes`` is a DataFrame with ``origin`` and ``destination`` columns and optionally ``id``
    (else the row's index), ``cargo`` (else ``options.cargo``) and ``volume_teu_per_year``
    (checked as :func:`~corridors.analysis.read_lanes` checks it; it need not cite a source);
    or a list of :class:`~corridors.analysis.Lane`; or ``None`` for the shipped lane set.
    ``base`` and ``scenario`` are scenarios as :meth:`corridors.Session.case` takes them
    (``"atlas"``: the network as it is). Both sides are routed as :func:`route_many` routes (one
    tree per origin), and each lane's ``status`` is that of :class:`~corridors.analysis.LaneChange`
    (``rerouted``, ``cheaper``, ``cut``...).

    Returns
    -------
    pandas.DataFrame
        ``lane, origin, destination, cargo, volume_teu_per_year, status, changed``, then
        ``before.*`` and ``after.*`` (``distance_km``, ``time_h``, ``cost_usd``, ``co2e_kg``, ``via``,
        ``reason``) and ``change.*`` (each figure after minus before; empty unless routed in both):
        the column names of :meth:`~corridors.analysis.Comparison.to_frames`' lanes, with figures
        unrounded and the change and reason added. Both cases are routed in one network year
        (``year``, else :func:`~corridors.analysis.compare.comparison_year`'s), so the changes are
        the scenario's alone; :meth:`corridors.Session.compare` reports the network-year effect.

    Raises
    ------
    DataError
        A lane frame's row has a blank id, origin or destination, or a volume that is not a
        finite number of TEU a year in range (every such row listed, numbered from 1).
    InvalidOptionError
        The lane frame has no origin or destination column.
    """
    from corridors.analysis import LaneChange, LaneResult
    from corridors.analysis.cases import case_in_year
    from corridors.analysis.compare import comparison_year

    pd = _pandas()
    session = _session(session)
    lanes = _lanes(lanes, pd, options.cargo)
    pairs = [(lane.origin, lane.destination, lane.cargo) for lane in lanes]
    sides = []
    cases = [session.case(name, options) for name in (base, scenario)]
    chosen = comparison_year(*cases, year)  # one network year, as Session.compare compares
    with _ticker(2 * len(pairs), progress, "comparing") as tick:
        for case in cases:
            case = case_in_year(case, chosen)
            sides.append(route_pairs(case.network, pairs, case.options, tick))
    rows = []
    for lane, before, after in zip(lanes, *sides):
        change = LaneChange(lane, LaneResult(lane, before.route, before.reason), LaneResult(lane, after.route, after.reason))
        row: dict[str, Any] = {"lane": lane.id, "origin": lane.origin, "destination": lane.destination,
                               "cargo": lane.cargo, "volume_teu_per_year": lane.volume_teu_per_year,
                               "status": change.status, "changed": change.changed}
        for side, outcome in (("before", before), ("after", after)):
            row.update({f"{side}.{f}": value for f, value in _figures(outcome).items() if f != "status"})
        row.update({f"change.{f}": change.delta(f) for f in FIGURES})
        rows.append(row)
    return pd.DataFrame(rows)
