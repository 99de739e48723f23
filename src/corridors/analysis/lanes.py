"""Trade lanes (origin-destination pairs with optional annual volumes) and isolation pairs."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridors.errors import DataError, InvalidOptionError, Problem
from corridors.model import Mode
from corridors.routing.result import Route

if TYPE_CHECKING:  # pragma: no cover - types only
    import pandas

LANE_COLUMNS = ("id", "origin", "destination")
"""The columns a lane table must have; ``cargo``, ``volume_teu_per_year``, ``volume_source_ids``
and ``notes`` are optional."""

SOURCES = "sources.csv"
"""The file, next to a lane file, that its ``volume_source_ids`` refer to."""

MAX_VOLUME_TEU_PER_YEAR = 1e9
"""Largest annual lane volume accepted: more than every container port in the world handles in
a year (about 0.9 billion TEU), so a larger figure is a typo or an overflow."""
_VOLUME_RANGE = f"a finite number of TEU a year, 0 to {MAX_VOLUME_TEU_PER_YEAR:,.0f} (more than all the world's ports handle)"

_MODES = {m.value: m for m in Mode}


@dataclass(frozen=True)
class Lane:
    """A trade lane: one shipment of ``cargo`` from ``origin`` to ``destination``, and how many
    TEU a year move on it (None where no sourced figure exists: results are then per unit)."""

    id: str
    origin: str
    destination: str
    cargo: str = "teu"
    volume_teu_per_year: float | None = None
    volume_source_ids: tuple[str, ...] = ()
    notes: str = ""


def shipments_per_year(lane: Lane, route: Route) -> float:
    """Shipments a year on ``lane``: its TEU a year over the TEU of one shipment of its cargo
    (an FEU lane of 100 TEU a year is 50 shipments); 0 where no sourced volume exists."""
    return (lane.volume_teu_per_year or 0.0) / route.cargo.teu_equivalent


@dataclass(frozen=True)
class AccessPair:
    """A place-to-place access whose loss isolates someone (e.g. Iran-Armenia by land)."""

    id: str
    name: str
    origin: str
    destination: str
    modes: frozenset[Mode] | None = None
    notes: str = ""


def _text(path: Path | None, name: str, what: str) -> tuple[str, str]:
    """(label, text) of a user's file, or of the shipped ``lanes/<name>`` when ``path`` is None."""
    if path is None:
        return f"lanes/{name}", files("corridors.data").joinpath("lanes", name).read_text(encoding="utf-8")
    try:
        return str(path), path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError([Problem(str(path), None, None, f"cannot read the {what}: {exc.strerror}")],
                        what=f"the {what}") from None
    except UnicodeDecodeError as exc:
        raise DataError([Problem(str(path), None, None, f"the {what} is not UTF-8 text: {exc.reason} "
                                                        f"at byte {exc.start}")], what=f"the {what}") from None


def _rows(label: str, text: str, required: tuple[str, ...],
          problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """The CSV's rows (values stripped) with their line numbers (see :func:`_checked`)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))  # quoted fields may span lines
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = list(reader.fieldnames or [])
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:  # e.g. a field over the csv module's size limit
        problems.append(Problem(label, reader.line_num + 1, None, f"not a readable CSV: {exc}"))
        return
    yield from _checked(label, header, rows, required, problems)


def _checked(label: str, header: list[str], rows: Iterable[tuple[int, Mapping[str, Any]]], required: tuple[str, ...],
             problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows (values stripped) with their line numbers. A missing required column is one problem
    on line 1 (and no rows), a blank required value one problem on its row, left out."""
    absent = [c for c in required if c not in header]
    for column in absent:
        found = ", ".join(header) or "nothing"
        problems.append(Problem(label, 1, column, f"required column is missing (found: {found})"))
    if absent:
        return
    for line, row in rows:
        blank = [c for c in required if not (row.get(c) or "").strip()]
        if blank:
            problems.append(Problem(label, line, blank[0], "required value is missing"))
        else:
            yield line, {k: (v or "").strip() for k, v in row.items() if k is not None}


def _ids(field: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in field.split(";") if s.strip())


def _source_ids(lane_path: Path | None, problems: list[Problem],
                sources: Path | None = None) -> tuple[str, frozenset[str] | None]:
    """(label, ids) of ``sources`` if given, else of the ``sources.csv`` next to the lane file;
    ids is None when there is none."""
    path = sources or (lane_path.with_name(SOURCES) if lane_path else None)
    if path is not None and not path.exists() and sources is None:
        return str(path), None
    label, text = _text(path, SOURCES, "lane sources file")
    ids: set[str] = set()
    for line, row in _rows(label, text, ("id",), problems):
        if row["id"] in ids:
            problems.append(Problem(label, line, "id", f"duplicate source id {row['id']!r}"))
        ids.add(row["id"])
    return label, frozenset(ids)


def _check_sources(label: str, line: int | None, cited: tuple[str, ...], has_volume: bool,
                   sources: tuple[str, frozenset[str] | None], problems: list[Problem],
                   volume_sources: bool = True) -> None:
    """A volume cites at least one source (unless ``volume_sources`` is False); every cited id
    is in the sources file."""
    sources_label, known = sources
    if volume_sources and has_volume and not cited:
        problems.append(Problem(label, line, "volume_source_ids",
                                f"a volume needs at least one source id from {sources_label}"))
    if not cited:
        return
    if known is None:
        problems.append(Problem(label, line, "volume_source_ids",
                                f"cites {', '.join(map(repr, cited))} but there is no {SOURCES} next to the lane file "
                                f"({sources_label})"))
        return
    unknown = [sid for sid in cited if sid not in known]
    if unknown:
        problems.append(Problem(label, line, "volume_source_ids",
                                f"unknown source id(s) {', '.join(map(repr, unknown))}: not in {sources_label}"))


def load_lanes(path: str | PathLike[str] | None = None) -> list[Lane]:
    """The shipped lane set, or a user's CSV with columns ``id,origin,destination`` and
    optionally ``cargo,volume_teu_per_year,volume_source_ids,notes``.

    ``volume_source_ids`` (``;``-separated) are ids in the ``sources.csv`` next to the lane file
    (for the shipped set, ``lanes/sources.csv``); a volume must cite at least one. For lanes
    from a DataFrame or an OMX matrix, see :func:`read_lanes`.

    Raises
    ------
    DataError
        Listing every problem (file, line, column): a missing column or value, a volume that is
        not a non-negative number, a volume without a source, an unknown source id.
    """
    return _csv_lanes(Path(path) if path else None)


def _csv_lanes(lane_path: Path | None, sources: Path | None = None, volume_sources: bool = True) -> list[Lane]:
    """Lanes of a CSV (the shipped set if None) citing ``sources`` (else the file beside it)."""
    label, text = _text(lane_path, "default.csv", "lane file")
    problems: list[Problem] = []
    sourced = _source_ids(lane_path, problems, sources)
    return _lanes(label, _rows(label, text, LANE_COLUMNS, problems), sourced, problems, volume_sources)


def _lanes(label: str, rows: Iterable[tuple[int, dict[str, str]]], sources: tuple[str, frozenset[str] | None],
           problems: list[Problem], volume_sources: bool = True) -> list[Lane]:
    """Lanes from checked rows of the lane columns; raises every problem found."""
    lanes = []
    for line, row in rows:
        volume = row.get("volume_teu_per_year", "")
        try:
            value = float(volume) if volume else None
            if value is not None and not (math.isfinite(value) and 0 <= value <= MAX_VOLUME_TEU_PER_YEAR):
                raise ValueError
        except ValueError:
            problems.append(Problem(label, line, "volume_teu_per_year", f"{volume!r} is out of range: give {_VOLUME_RANGE}"))
            continue
        cited = _ids(row.get("volume_source_ids", ""))
        _check_sources(label, line, cited, value is not None, sources, problems, volume_sources)
        lanes.append(Lane(
            id=row["id"], origin=row["origin"], destination=row["destination"],
            cargo=row.get("cargo") or "teu", volume_teu_per_year=value, volume_source_ids=cited,
            notes=row.get("notes", ""),
        ))
    if problems:
        raise DataError(problems, what="the lane data")
    return lanes


def read_lanes(
    source: str | PathLike[str] | pandas.DataFrame,
    *,
    sources: str | PathLike[str] | None = None,
    matrix: str | None = None,
    lookup: str | None = None,
    zones: str | PathLike[str] | Mapping[Any, str] | None = None,
    source_ids: Sequence[str] = (),
    cargo: str = "teu",
    volume_sources: bool = True,
) -> list[Lane]:
    """Lanes from a CSV file (as :func:`load_lanes`), a pandas DataFrame with the same columns
    (rows numbered from 1 in problems), or one matrix of an OMX file (``.omx``; needs h5py).

    Parameters
    ----------
    source
        The CSV path, the DataFrame, or the OMX path.
    sources
        The ``sources.csv`` that volume source ids cite; by default the one next to a CSV or
        OMX file (a DataFrame has none: give it if its volumes cite sources).
    matrix, lookup
        OMX only: the matrix of TEU a year from row zone to column zone, and the lookup naming
        its zones; each may be left out when the file has only one.
    zones
        OMX only, required: zone -> place (a node id or name), as a mapping or a CSV with columns
        ``zone,place``. Zones that share a place add up; flows within one place are left out;
        a zone with volumes but no place is an error.
    source_ids
        OMX only, required: the sources of the matrix's volumes (ids in ``sources``).
    cargo
        OMX only: the cargo unit of every lane.
    volume_sources
        CSV and DataFrame: whether a volume must cite a source (True, for published figures);
        False accepts unsourced volumes as the caller's own weights (still checked for range).

    Returns
    -------
    list[Lane]
        From an OMX matrix, one lane per place pair with a positive volume, id
        ``<origin>--<destination>``, in matrix order.

    Raises
    ------
    DataError
        Listing every problem: as for :func:`load_lanes`; for OMX also a missing matrix or
        lookup, a negative or non-finite value, an unmapped zone, a duplicate zone row, and
        missing or unknown source ids.
    InvalidOptionError
        If OMX options are given for a CSV or a DataFrame.
    """
    given_sources = Path(sources) if sources else None
    if isinstance(source, (str, PathLike)) and Path(source).suffix.lower() == ".omx":
        return _omx_lanes(Path(source), matrix, lookup, zones, tuple(source_ids), cargo, given_sources)
    if matrix or lookup or zones is not None or source_ids:
        raise InvalidOptionError("matrix, lookup, zones and source_ids are for OMX files (*.omx) only")
    if isinstance(source, (str, PathLike)):
        return _csv_lanes(Path(source), given_sources, volume_sources)
    problems: list[Problem] = []
    label = "DataFrame"
    sourced = _source_ids(None, problems, given_sources) if given_sources else ("no sources= given", None)
    records = enumerate(source.to_dict("records"), start=1)
    rows = ((n, {str(k): _frame_cell(v) for k, v in r.items()}) for n, r in records)
    return _lanes(label, _checked(label, [str(c) for c in source.columns], rows, LANE_COLUMNS, problems),
                  sourced, problems, volume_sources)


def _frame_cell(value: Any) -> str:
    """A DataFrame cell as lane-file text: nulls empty, lists ``;``-joined."""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    try:
        if value is None or value != value:  # NaN, NaT
            return ""
    except TypeError:  # pandas.NA has no truth value
        return ""
    return str(value)


def _zone_places(zones: str | PathLike[str] | Mapping[Any, str] | None,
                 problems: list[Problem]) -> tuple[str, dict[str, str]]:
    """(label, zone -> place) with zones as text (``7``, as :mod:`corridors.io.omx` gives them)."""
    if zones is None:
        raise InvalidOptionError("an OMX file needs zones=: which place (node id or name) each zone is")
    if isinstance(zones, Mapping):
        return "zones", {_zone_text(z): str(p) for z, p in zones.items()}
    label, text = _text(Path(zones), "", "zone table")
    places: dict[str, str] = {}
    for line, row in _rows(label, text, ("zone", "place"), problems):
        zone = _zone_text(row["zone"])
        if zone in places:
            problems.append(Problem(label, line, "zone", f"zone {zone} is given twice"))
        places[zone] = row["place"]
    return label, places


def _zone_text(zone: Any) -> str:
    """``7``, ``7.0`` and ``"7"`` are one zone."""
    try:
        number = float(zone)
    except (TypeError, ValueError):
        return str(zone).strip()
    return str(int(number)) if number.is_integer() else str(zone).strip()


def _omx_lanes(path: Path, matrix: str | None, lookup: str | None, zones, source_ids: tuple[str, ...],
               cargo: str, sources: Path | None) -> list[Lane]:
    import numpy as np

    from corridors.io.omx import read_omx

    problems: list[Problem] = []
    zones_label, places = _zone_places(zones, problems)
    m = read_omx(path, matrix, lookup=lookup)
    label = f"{path}[{m.name}]"
    bad = np.argwhere(~np.isfinite(m.values) | (m.values < 0) | (m.values > MAX_VOLUME_TEU_PER_YEAR))
    for i, j in bad[:20]:
        problems.append(Problem(label, None, f"{m.zones[i]}->{m.zones[j]}",
                                f"{float(m.values[i, j])!r} is not a non-negative number of TEU a year"
                                if not m.values[i, j] >= 0 else f"{float(m.values[i, j])!r} is out of range: give {_VOLUME_RANGE}"))
    used = (np.nan_to_num(m.values) > 0)
    busy = used.any(axis=0) | used.any(axis=1)
    unmapped = [m.zones[i] for i in np.flatnonzero(busy) if m.zones[i] not in places]
    if unmapped:
        problems.append(Problem(zones_label, None, "zone",
                                f"zone(s) {', '.join(unmapped[:10])} carry volumes in {label} but have no place"))
    if not source_ids:
        problems.append(Problem(label, None, "source_ids",
                                "the matrix's volumes need source_ids= (ids in sources.csv)"))
    _check_sources(label, None, source_ids, False, _source_ids(path, problems, sources), problems)
    if problems:
        raise DataError(problems, what="the lane matrix")
    volumes: dict[tuple[str, str], float] = {}
    for i, j in zip(*np.nonzero(used)):
        key = (places[m.zones[i]], places[m.zones[j]])
        if key[0] != key[1]:
            volumes[key] = volumes.get(key, 0.0) + float(m.values[i, j])
    return [Lane(f"{o}--{d}", o, d, cargo, volume, source_ids, f"OMX {path.name} matrix {m.name}")
            for (o, d), volume in volumes.items()]


def load_access_pairs(path: str | PathLike[str] | None = None) -> list[AccessPair]:
    """The shipped isolation pairs (``lanes/isolation.csv``) or a user's CSV with columns
    ``id,name,origin,destination`` and optionally ``modes`` (``;``-separated) and ``notes``.

    Raises
    ------
    DataError
        Listing every problem (file, line, column): a missing column or value, an unknown mode.
    """
    label, text = _text(Path(path) if path else None, "isolation.csv", "access-pair file")
    problems: list[Problem] = []
    pairs = []
    for line, row in _rows(label, text, ("id", "name", "origin", "destination"), problems):
        names = _ids(row.get("modes", ""))
        bad = [m for m in names if m not in _MODES]
        if bad:
            problems.append(Problem(label, line, "modes", f"{bad[0]!r} is not a mode; allowed: {', '.join(_MODES)}"))
            continue
        modes = frozenset(_MODES[m] for m in names)
        pairs.append(AccessPair(row["id"], row["name"], row["origin"], row["destination"], modes or None,
                                row.get("notes", "")))
    if problems:
        raise DataError(problems, what="the access pairs")
    return pairs
