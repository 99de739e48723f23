"""Trade lanes (origin-destination pairs with optional annual volumes) and isolation pairs."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib.resources import files
from os import PathLike
from pathlib import Path

from corridors.errors import DataError, Problem
from corridors.model import Mode


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


@dataclass(frozen=True)
class AccessPair:
    """A place-to-place access whose loss isolates someone (e.g. Iran-Armenia by land)."""

    id: str
    name: str
    origin: str
    destination: str
    modes: frozenset[Mode] | None = None
    notes: str = ""


def _rows(path: Path | None, name: str) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    if path is None:
        entry = files("corridors.data").joinpath("lanes", name)
        text, label = entry.read_text(encoding="utf-8"), f"lanes/{name}"
    else:
        try:
            text, label = Path(path).read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise DataError([Problem(str(path), None, None, f"cannot read the lane file: {exc.strerror}")]) from None
    reader = csv.DictReader(text.splitlines())
    return label, [(reader.line_num, row) for row in reader]


def load_lanes(path: str | PathLike[str] | None = None) -> list[Lane]:
    """The shipped lane set, or a user's CSV with columns ``id,origin,destination`` and
    optionally ``cargo,volume_teu_per_year,volume_source_ids,notes``."""
    label, rows = _rows(Path(path) if path else None, "default.csv")
    lanes, problems = [], []
    for line, row in rows:
        missing = [c for c in ("id", "origin", "destination") if not (row.get(c) or "").strip()]
        if missing:
            problems.append(Problem(label, line, missing[0], "required value is missing"))
            continue
        volume = (row.get("volume_teu_per_year") or "").strip()
        try:
            value = float(volume) if volume else None
            if value is not None and value < 0:
                raise ValueError
        except ValueError:
            problems.append(Problem(label, line, "volume_teu_per_year", f"{volume!r} is not a non-negative number"))
            continue
        lanes.append(Lane(
            id=row["id"].strip(), origin=row["origin"].strip(), destination=row["destination"].strip(),
            cargo=(row.get("cargo") or "teu").strip() or "teu", volume_teu_per_year=value,
            volume_source_ids=tuple(s for s in (row.get("volume_source_ids") or "").split(";") if s.strip()),
            notes=(row.get("notes") or "").strip(),
        ))
    if problems:
        raise DataError(problems)
    return lanes


def load_access_pairs(path: str | PathLike[str] | None = None) -> list[AccessPair]:
    """The shipped isolation pairs (``lanes/isolation.csv``) or a user's file of that shape."""
    label, rows = _rows(Path(path) if path else None, "isolation.csv")
    pairs = []
    for _, row in rows:
        modes = frozenset(Mode(m.strip()) for m in (row.get("modes") or "").split(";") if m.strip())
        pairs.append(AccessPair(row["id"].strip(), row["name"].strip(), row["origin"].strip(),
                                row["destination"].strip(), modes or None, (row.get("notes") or "").strip()))
    return pairs
