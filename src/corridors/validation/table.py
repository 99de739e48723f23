"""The table of published figures the model is validated against, read strictly.

The figures live in ``data/validation`` as ``figures-*.csv`` with their ``sources-*.csv``
(the contract: docs/validation.md). Every problem in every file is collected, naming the file,
line and column, and raised together as one :class:`~corridors.errors.FigureTableError`:
unknown columns, bad numbers, ``low > high``, duplicate ids, a category and measure that do not
belong together, unknown source ids (a figure may cite a validation source or an atlas source),
unknown or ambiguous border ids, unknown cargo units. Place queries are *not* checked here: a
figure whose places or via points do not resolve is a miss with its reason (see
:mod:`corridors.validation.run`), so one stale name never stops the whole validation.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import as_file, files
from os import PathLike
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from corridors.errors import FigureTableError, Problem
from corridors.io._tables import _Collector, _read_csv
from corridors.io.schema import OptFloat, SourceRow, StrList, _check_slug, _Row, _split
from corridors.model import FIRST_YEAR, LAST_YEAR, BorderCrossing, Mode, Network, Source, SourceKind
from corridors.routing.options import Objective, cargo_unit

__all__ = [
    "CATEGORIES",
    "FIGURE_COLUMNS",
    "TOLERANCE",
    "Category",
    "Figure",
    "FigureTable",
    "Measure",
    "crossings_named",
    "load_figures",
    "read_figures",
]

Category = Literal["length", "time", "dwell", "cost"]
"""What a figure is about; the hit rate is reported per category."""
Measure = Literal["distance_km", "time_h", "running_time_h", "cost_usd", "dwell_h"]
"""What a figure's ``low`` and ``high`` measure, in the unit the name says."""
CATEGORIES: tuple[Category, ...] = ("length", "time", "dwell", "cost")
MEASURE: Mapping[str, str] = {"length": "distance_km", "time": "time_h", "dwell": "dwell_h", "cost": "cost_usd"}
"""The measure each category takes (``time`` also takes ``running_time_h``: see :data:`ALSO`)."""
ALSO: Mapping[str, tuple[str, ...]] = {"time": ("running_time_h",)}
"""Further measures of a category: ``running_time_h`` is a route's moving time alone (sailing,
driving, running), without scheduled waits for a departure, border dwell or transfers, for
figures that publish only that ("sailing time 18 h")."""
TOLERANCE: Mapping[str, float] = {"length": 0.10, "time": 0.30, "dwell": 0.30, "cost": 0.30}
"""The relative tolerance of each category (issue 11): lengths +-10 %, the rest +-30 %."""
FIGURE_COLUMNS = ("id", "category", "origin", "destination", "via", "modes", "cargo", "year", "measure", "border",
                  "direction", "low", "high", "published_year", "tolerance", "source_id", "notes")
"""The contract's columns, all required in the header (``objective`` and ``excluded`` may be
added, see :class:`Figure`)."""
DEFAULT_YEAR = 2025
_DIRECTION = re.compile(r"^[A-Z]{2}>[A-Z]{2}$")
Number = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _FigureRow(_Row):
    id: str
    category: Category
    origin: str = ""
    destination: str = ""
    via: StrList = ()
    modes: Annotated[tuple[Mode, ...], BeforeValidator(_split)] = ()
    cargo: str = "teu"
    year: int = Field(default=DEFAULT_YEAR, ge=FIRST_YEAR, le=LAST_YEAR)
    measure: Measure
    border: str = ""
    direction: str = Field(default="", pattern=_DIRECTION.pattern)
    low: Number
    high: Annotated[OptFloat, Field(ge=0, allow_inf_nan=False)] = None
    published_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    tolerance: Annotated[OptFloat, Field(gt=0, lt=1, allow_inf_nan=False)] = None
    source_id: str
    notes: str = ""
    objective: Objective | None = None
    excluded: str = ""

    _slug = field_validator("id")(_check_slug)

    @model_validator(mode="after")
    def _consistent(self) -> _FigureRow:
        if self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low:g} is greater than high {self.high:g}")
        if self.measure != MEASURE[self.category] and self.measure not in ALSO.get(self.category, ()):
            accepted = " or ".join((MEASURE[self.category], *ALSO.get(self.category, ())))
            raise ValueError(f"a {self.category} figure measures {accepted}, not {self.measure}")
        if self.tolerance is not None and abs(self.tolerance - TOLERANCE[self.category]) > 1e-9:
            raise ValueError(f"tolerance {self.tolerance:g} is not the {self.category} tolerance "
                             f"{TOLERANCE[self.category]:g} (or leave it empty)")
        places = bool(self.origin) + bool(self.destination)
        if self.measure == "dwell_h" or (self.measure == "cost_usd" and self.border and not places):
            if not self.border:
                raise ValueError("a dwell_h figure needs the border crossing id in border")
            if places:
                raise ValueError(f"a {self.measure} figure of one border crossing takes no origin or destination")
        elif places < 2:
            raise ValueError(f"a {self.measure} figure needs both origin and destination")
        elif self.border or self.direction:
            raise ValueError("border and direction are for figures of one crossing (dwell_h, or cost_usd "
                             "without origin and destination); pin a route's crossing with via")
        if self.direction and not self.border:
            raise ValueError("direction needs border")
        return self


@dataclass(frozen=True)
class Figure:
    """One published figure and the query that gives the model's value for it.

    ``low``..``high`` is the published value or range in the unit of ``measure``; the model hits
    when its value lies in ``[low x (1 - tolerance), high x (1 + tolerance)]``. ``objective`` is
    what the route query minimises: ``distance`` for lengths, ``time`` for times, ``generalized``
    for costs, unless the row names one in an optional ``objective`` column. A ``dwell_h`` figure
    (and a ``cost_usd`` figure with a ``border`` and no places: the crossing's fee) is about one
    border crossing, ``border`` (its mode pinned by ``modes`` when the id names crossings of two
    modes), and needs no route. ``file`` and ``line`` say where the row is.
    """

    id: str
    category: Category
    measure: Measure
    low: float
    high: float
    tolerance: float
    published_year: int
    source_id: str
    origin: str = ""
    destination: str = ""
    via: tuple[str, ...] = ()
    modes: frozenset[Mode] | None = None
    cargo: str = "teu"
    year: int = DEFAULT_YEAR
    border: str = ""
    direction: str = ""
    objective: str = "generalized"
    notes: str = ""
    excluded: str = ""
    """Why the figure, though published, does not measure what its query measures (kept in the
    table and reported apart, never counted); empty for a counted figure."""
    file: str = ""
    line: int = 0

    @property
    def band(self) -> tuple[float, float]:
        """The values that hit: ``(low x (1 - tolerance), high x (1 + tolerance))``."""
        return self.low * (1 - self.tolerance), self.high * (1 + self.tolerance)

    def hits(self, value: float) -> bool:
        """Whether a model value lies within the tolerance of the published value or range.

        >>> f = Figure("f", "length", "distance_km", 400.0, 400.0, 0.1, 2025, "s", "P", "T")
        >>> f.hits(400.0), f.hits(440.0), f.hits(361.0), f.hits(500.0)
        (True, True, True, False)
        """
        low, high = self.band
        return low - 1e-9 <= value <= high + 1e-9

    def ratio(self, value: float) -> float:
        """The model value over the nearest end of the published range (1.0 inside it).

        >>> Figure("f", "time", "time_h", 10.0, 20.0, 0.3, 2025, "s", "P", "T").ratio(30.0)
        1.5
        """
        if value < self.low:
            return value / self.low if self.low else 0.0
        if value > self.high:
            return value / self.high if self.high else float("inf")
        return 1.0

    @property
    def of_crossing(self) -> bool:
        """Whether the figure is about one border crossing rather than a route."""
        return bool(self.border) and not self.origin


@dataclass(frozen=True)
class FigureTable:
    """The figures to validate against and the sources they cite (validation sources first, then
    the atlas's for ids the figures reuse from it)."""

    figures: tuple[Figure, ...]
    sources: Mapping[str, Source]

    def select(self, categories: frozenset[str] | None) -> FigureTable:
        """The figures of ``categories`` only (``None``: all)."""
        if categories is None:
            return self
        return FigureTable(tuple(f for f in self.figures if f.category in categories), self.sources)


def _default_objective(row: _FigureRow) -> str:
    if row.objective is not None:
        return row.objective
    return {"distance_km": "distance", "time_h": "time", "running_time_h": "time"}.get(row.measure, "generalized")


def _figure(row: _FigureRow, file: str, line: int) -> Figure:
    return Figure(
        id=row.id, category=row.category, measure=row.measure, low=row.low,
        high=row.low if row.high is None else row.high,
        tolerance=TOLERANCE[row.category] if row.tolerance is None else row.tolerance,
        published_year=row.published_year, source_id=row.source_id, origin=row.origin,
        destination=row.destination, via=row.via, modes=frozenset(row.modes) or None, cargo=row.cargo,
        year=row.year, border=row.border, direction=row.direction, objective=_default_objective(row),
        notes=row.notes, excluded=row.excluded, file=file, line=line,
    )


def crossings_named(network: Network, border_id: str, modes: frozenset[Mode] | None) -> list[BorderCrossing]:
    """The network's crossings with id ``border_id``, of ``modes`` if given (an id may name a
    rail and a road crossing at one place)."""
    return [b for b in network.borders if b.id == border_id and (modes is None or b.mode in modes)]


def _check_crossing(network: Network, figure: Figure, add) -> None:
    found = crossings_named(network, figure.border, figure.modes)
    if not found:
        known = crossings_named(network, figure.border, None)
        add("border", f"unknown border crossing {figure.border!r}" if not known else
            f"border crossing {figure.border!r} has no {'/'.join(sorted(figure.modes))} crossing "
            f"(it has {', '.join(sorted(b.mode.value for b in known))})")
        return
    if len(found) > 1:
        add("border", f"{figure.border!r} names crossings of {len(found)} modes "
            f"({', '.join(sorted(b.mode.value for b in found))}); pin one with modes")
        return
    crossing = found[0]
    if figure.direction and set(figure.direction.split(">")) != {crossing.country_a, crossing.country_b}:
        add("direction", f"{figure.direction} is not a direction of {figure.border} "
            f"({crossing.country_a}>{crossing.country_b} or {crossing.country_b}>{crossing.country_a})")


def _check_figure(network: Network, figure: Figure, sources: Mapping[str, Source], add) -> None:
    source = sources.get(figure.source_id)
    if source is None:
        add("source_id", f"unknown source {figure.source_id!r}; add it to a sources-*.csv "
            "(or reuse the id of the atlas's row for the same document)")
    elif source.kind is SourceKind.ASSUMPTION:
        add("source_id", f"source {figure.source_id!r} is an assumption; a validation figure must be published")
    try:
        cargo_unit(network.parameters, figure.cargo)
    except ValueError as exc:
        add("cargo", str(exc))
    if figure.border:
        _check_crossing(network, figure, add)


def read_figures(folder: str | PathLike[str], network: Network) -> FigureTable:
    """Read and check every ``figures-*.csv`` and ``sources-*.csv`` in ``folder`` against ``network``.

    Raises
    ------
    FigureTableError
        Listing every problem found (file, line, column, what was found and what is allowed).
    """
    root = Path(folder)
    out = _Collector(root)
    figure_files = sorted(root.glob("figures-*.csv"))
    if not figure_files:
        out.add(root, None, None, "no figures-*.csv here")
    sources: dict[str, Source] = {}
    for path in sorted(root.glob("sources-*.csv")):
        for line, row in _read_csv(path, SourceRow, out):
            if row.id in sources:
                out.add(path, line, "id", f"duplicate source id {row.id!r}")
            sources[row.id] = Source(row.id, row.kind, row.title, row.publisher, row.date, row.reference, row.notes)
    cited = {**{s.id: s for s in network.sources}, **sources}
    figures: dict[str, Figure] = {}
    for path in figure_files:
        _check_header(path, out)
        for line, row in _read_csv(path, _FigureRow, out):
            figure = _figure(row, out.rel(path), line)
            add = lambda column, message, path=path, line=line: out.add(path, line, column, message)  # noqa: E731
            if figure.id in figures:
                first = figures[figure.id]
                add("id", f"duplicate figure id {figure.id!r} (first at {first.file}:{first.line})")
                continue
            figures[figure.id] = figure
            _check_figure(network, figure, cited, add)
    if out.problems:
        raise FigureTableError(out.problems)
    used = {f.source_id for f in figures.values()}
    return FigureTable(tuple(figures.values()), {sid: cited[sid] for sid in sorted(used)})


def _check_header(path: Path, out: _Collector) -> None:
    with path.open(newline="", encoding="utf-8-sig") as file:
        header = next(csv.reader(file), [])
    missing = [c for c in FIGURE_COLUMNS if c not in header]
    if missing:
        out.add(path, 1, None, f"missing column(s) {', '.join(missing)}; the header is: {','.join(FIGURE_COLUMNS)}")


def load_figures(network: Network) -> FigureTable:
    """The packaged figures (``corridors/data/validation``), checked against ``network``."""
    with as_file(files("corridors.data").joinpath("validation")) as path:
        if not Path(path).is_dir():
            raise FigureTableError([Problem(str(path), None, None, "no validation figures are packaged")])
        return read_figures(path, network)
