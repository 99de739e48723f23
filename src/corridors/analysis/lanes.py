"""Trade lanes (origin-destination pairs with optional annual volumes) and isolation pairs."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from os import PathLike
from pathlib import Path

from corridors.errors import DataError, Problem
from corridors.model import Mode
from corridors.routing.result import Route

SOURCES = "sources.csv"
"""The file, next to a lane file, that its ``volume_source_ids`` refer to."""

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
        return str(path), path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError([Problem(str(path), None, None, f"cannot read the {what}: {exc.strerror}")]) from None


def _rows(label: str, text: str, required: tuple[str, ...],
          problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """The CSV's rows (values stripped) with their line numbers. A missing required column is one
    problem on line 1 (and no rows), a blank required value one problem on its row, left out."""
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    absent = [c for c in required if c not in header]
    for column in absent:
        found = ", ".join(header) or "nothing"
        problems.append(Problem(label, 1, column, f"required column is missing (found: {found})"))
    if absent:
        return
    for row in reader:
        blank = [c for c in required if not (row.get(c) or "").strip()]
        if blank:
            problems.append(Problem(label, reader.line_num, blank[0], "required value is missing"))
        else:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}


def _ids(field: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in field.split(";") if s.strip())


def _source_ids(lane_path: Path | None, problems: list[Problem]) -> tuple[str, frozenset[str] | None]:
    """(label, ids) of the ``sources.csv`` next to the lane file; ids is None when there is none."""
    path = lane_path.with_name(SOURCES) if lane_path else None
    if path is not None and not path.exists():
        return str(path), None
    label, text = _text(path, SOURCES, "lane sources file")
    ids: set[str] = set()
    for line, row in _rows(label, text, ("id",), problems):
        if row["id"] in ids:
            problems.append(Problem(label, line, "id", f"duplicate source id {row['id']!r}"))
        ids.add(row["id"])
    return label, frozenset(ids)


def _check_sources(label: str, line: int, cited: tuple[str, ...], has_volume: bool,
                   sources: tuple[str, frozenset[str] | None], problems: list[Problem]) -> None:
    """A volume cites at least one source; every cited id is in the sources file."""
    sources_label, known = sources
    if has_volume and not cited:
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
    (for the shipped set, ``lanes/sources.csv``); a volume must cite at least one.

    Raises
    ------
    DataError
        Listing every problem (file, line, column): a missing column or value, a volume that is
        not a non-negative number, a volume without a source, an unknown source id.
    """
    lane_path = Path(path) if path else None
    label, text = _text(lane_path, "default.csv", "lane file")
    problems: list[Problem] = []
    sources = _source_ids(lane_path, problems)
    lanes = []
    for line, row in _rows(label, text, ("id", "origin", "destination"), problems):
        volume = row.get("volume_teu_per_year", "")
        try:
            value = float(volume) if volume else None
            if value is not None and not (math.isfinite(value) and value >= 0):
                raise ValueError
        except ValueError:
            problems.append(Problem(label, line, "volume_teu_per_year", f"{volume!r} is not a non-negative number"))
            continue
        cited = _ids(row.get("volume_source_ids", ""))
        _check_sources(label, line, cited, value is not None, sources, problems)
        lanes.append(Lane(
            id=row["id"], origin=row["origin"], destination=row["destination"],
            cargo=row.get("cargo") or "teu", volume_teu_per_year=value, volume_source_ids=cited,
            notes=row.get("notes", ""),
        ))
    if problems:
        raise DataError(problems)
    return lanes


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
        raise DataError(problems)
    return pairs
