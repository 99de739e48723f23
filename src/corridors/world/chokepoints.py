"""Maritime chokepoints (``data/world/chokepoints.yaml``) and the tagging of sea edges by them.

A sea edge belongs to a chokepoint when its great-circle midpoint lies inside one of the
chokepoint's polygons (lon/lat degrees); an edge in no polygon gets -1.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from corridors.errors import DataError, Problem
from corridors.model.seasons import parse_months
from corridors.world.graphs import edge_midpoints

CHOKEPOINTS_FILE = "world/chokepoints.yaml"


@dataclass(frozen=True, eq=False)
class Chokepoint:
    """A passage: ``id``, ``name``, ``description``, ``polygons`` ((n, 2) lon/lat rings), how
    the geometry was drawn (``geometry_kind``, ``geometry_reasoning``), ``sources`` (dicts with
    ``kind``, ``title`` and ``url`` or ``where``), the flags that change how routes treat it
    (see :data:`FLAGS`) and any other keys as ``extra``."""

    id: str
    name: str
    description: str
    polygons: tuple[np.ndarray, ...]
    geometry_kind: str
    geometry_reasoning: str
    sources: tuple[dict[str, str], ...]
    extra: dict[str, Any] = field(default_factory=dict)
    closed_by_default: bool = False
    inland_waterway: bool = False
    basin: bool = False
    open_months: tuple[int, ...] = ()
    """Its navigation season (``open_months: "4-11"`` in the file); empty: all year."""
    countries: tuple[str, ...] = ()
    """ISO codes of the countries whose territory the passage runs through (the Suez Canal:
    EG): a route that avoids one of them does not use the passage. Empty for straits between
    states and open seas."""


FLAGS = ("closed_by_default", "inland_waterway", "basin")
"""Optional true/false keys of a chokepoint: world routes avoid it unless asked; its lanes are
costed as inland waterway; it is a basin implied by its passages, never named as a corridor."""


def _parse(entry: Any, where: str, problems: list[Problem], file: str) -> Chokepoint | None:
    def bad(message: str) -> None:
        problems.append(Problem(file, None, where, message))

    if not isinstance(entry, dict):
        bad(f"expected a mapping, found {type(entry).__name__}")
        return None
    missing = [k for k in ("id", "name", "description", "polygons", "geometry", "sources") if k not in entry]
    if missing:
        bad(f"missing key(s) {', '.join(missing)}")
        return None
    for flag in FLAGS:
        if not isinstance(entry.get(flag, False), bool):
            bad(f"{flag} must be true or false, found {entry[flag]!r}")
    rings = []
    for i, ring in enumerate(entry["polygons"] or []):
        array = np.asarray(ring, dtype=np.float64)
        if array.ndim != 2 or array.shape[1] != 2 or len(array) < 4:
            bad(f"polygons[{i}] must be a ring of at least 4 [lon, lat] pairs")
            continue
        if np.any(np.abs(array[:, 0]) > 180) or np.any(np.abs(array[:, 1]) > 90):
            bad(f"polygons[{i}] has a coordinate outside lon -180..180, lat -90..90")
            continue
        rings.append(array)
    if not rings:
        bad("needs at least one valid polygon")
        return None
    geometry = entry["geometry"] or {}
    if geometry.get("kind") not in ("assumption", "document"):
        bad(f"geometry.kind must be 'assumption' or 'document', found {geometry.get('kind')!r}")
    try:
        season = parse_months(str(entry.get("open_months") or ""))
    except ValueError as err:
        bad(f"open_months: {err}")
        season = ()
    countries = entry.get("countries") or []
    if not isinstance(countries, list) or not all(isinstance(c, str) and re.fullmatch(r"[A-Z]{2}", c) for c in countries):
        bad(f"countries must be a list of ISO 3166-1 alpha-2 codes, found {countries!r}")
        countries = []
    sources = tuple(dict(s) for s in entry["sources"] or [])
    if not sources or any("title" not in s for s in sources):
        bad("sources must be a non-empty list of entries with a title")
    known = {"id", "name", "description", "polygons", "geometry", "sources", "open_months", "countries", *FLAGS}
    return Chokepoint(
        id=str(entry["id"]), name=str(entry["name"]), description=" ".join(str(entry["description"]).split()),
        polygons=tuple(rings), geometry_kind=str(geometry.get("kind")),
        geometry_reasoning=" ".join(str(geometry.get("reasoning", "")).split()),
        sources=sources, extra={k: v for k, v in entry.items() if k not in known},
        open_months=season, countries=tuple(countries), **{flag: entry.get(flag) is True for flag in FLAGS},
    )


def load_chokepoints(path: Path | None = None) -> tuple[Chokepoint, ...]:
    """The chokepoints of ``path`` (default: the packaged ``data/world/chokepoints.yaml``).

    Raises
    ------
    DataError
        naming the entry and key of every problem found.
    """
    import yaml

    if path is None:
        resource = files("corridors.data").joinpath(CHOKEPOINTS_FILE)
        text, name = resource.read_text(encoding="utf-8"), f"corridors/data/{CHOKEPOINTS_FILE}"
    else:
        text, name = Path(path).read_text(encoding="utf-8"), str(path)
    document = yaml.safe_load(text) or {}
    problems: list[Problem] = []
    entries = document.get("chokepoints") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise DataError([Problem(name, None, "chokepoints", "expected a list of chokepoints")])
    parsed = [_parse(e, f"chokepoints[{i}]", problems, name) for i, e in enumerate(entries)]
    ids = [c.id for c in parsed if c is not None]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(name, None, "chokepoints", f"duplicate id {dup!r}"))
    if problems:
        raise DataError(problems)
    return tuple(c for c in parsed if c is not None)


@functools.cache
def packaged_chokepoints() -> tuple[Chokepoint, ...]:
    """The packaged chokepoints, read once."""
    return load_chokepoints()


def flagged(flag: str) -> frozenset[str]:
    """Ids of the packaged chokepoints with ``flag`` (one of :data:`FLAGS`) set.

    >>> sorted(flagged("closed_by_default")), sorted(flagged("inland_waterway")), sorted(flagged("basin"))
    (['bering_arctic'], ['volga_don'], ['red_sea'])
    """
    if flag not in FLAGS:
        raise ValueError(f"unknown chokepoint flag {flag!r}; known: {', '.join(FLAGS)}")
    return frozenset(c.id for c in packaged_chokepoints() if getattr(c, flag))


def tag_edges(lon: np.ndarray, lat: np.ndarray, indptr: np.ndarray, head: np.ndarray,
              chokepoints: Sequence[Chokepoint]) -> np.ndarray:
    """int16 chokepoint index (into ``chokepoints``) per CSR edge, -1 for none; the first
    chokepoint whose polygon holds the edge's great-circle midpoint wins.

    >>> cp = Chokepoint("c", "C", "", (np.array([[0.5, -1], [2, -1], [2, 1], [0.5, 1], [0.5, -1]]),),
    ...                 "assumption", "", ({"title": "t"},))
    >>> tag_edges(np.array([0.0, 2.0, 5.0]), np.zeros(3), np.array([0, 1, 3, 4]),
    ...           np.array([1, 0, 2, 1]), [cp]).tolist()
    [0, 0, -1, -1]
    """
    import shapely

    mid_lon, mid_lat = edge_midpoints(lon, lat, indptr, head)
    codes = np.full(len(head), -1, dtype=np.int16)
    for index, chokepoint in enumerate(chokepoints):
        area = shapely.multipolygons([shapely.polygons(ring) for ring in chokepoint.polygons])
        inside = shapely.contains_xy(area, mid_lon, mid_lat) & (codes < 0)
        codes[inside] = index
    return codes
