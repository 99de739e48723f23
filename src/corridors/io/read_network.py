"""Read a network folder (CSV + YAML, see docs/data-format.md) into a validated Network.

All problems are collected and raised together in one :class:`~corridors.errors.DataError`, each
naming the file, line, column, what was found and what is allowed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from corridors.errors import DataError, Problem
from corridors.io._assemble import build_network
from corridors.io.schema import (
    AtlasSpec,
    BorderRow,
    LinkRow,
    NodeRow,
    ParametersSpec,
    SourceRow,
    validation_message,
)
from corridors.model import Network

RowT = TypeVar("RowT", bound=BaseModel)

TABLES = ("sources.csv", "nodes.csv", "links.csv", "borders.csv")


class _Collector:
    """Gathers problems while files are read, relative to the network's root folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.invalid_ids: set[str] = set()  # ids of rows that failed the schema: not "unknown"

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def add(self, path: Path, line: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.rel(path), line, column, message))


def _describe(error: dict[str, Any]) -> tuple[str, str]:
    loc = ".".join(str(part) for part in error["loc"] if part != "from_")
    column = loc or "(row)"
    if error["loc"] and error["loc"][0] == "from_":
        column = "from"
    found = error.get("input")
    message = validation_message(error)
    if error["type"] == "extra_forbidden":
        message = "unknown column"
    elif error["type"] == "missing":
        message = "required value is missing"
    elif found is not None and not isinstance(found, dict):
        message = f"{message} (found {found!r})"
    return column, message


def _read_csv(path: Path, model: type[RowT], out: _Collector) -> Iterator[tuple[int, RowT]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        known = set(model.model_fields) | {
            field.alias for field in model.model_fields.values() if field.alias
        }
        unknown = [c for c in reader.fieldnames or () if c not in known]
        for column in unknown:
            out.add(path, 1, column, f"unknown column; allowed: {', '.join(sorted(known - {'from_'}))}")
        for row in reader:
            line = reader.line_num
            cells = {k: v for k, v in row.items() if k in known and k is not None}
            cells = {k: v for k, v in cells.items() if v is not None and v.strip() != ""}
            try:
                yield line, model.model_validate(cells)
            except ValidationError as exc:
                if cells.get("id"):
                    out.invalid_ids.add(cells["id"].strip())
                for error in exc.errors():
                    column, message = _describe(error)
                    out.add(path, line, column, message)


def _read_yaml(path: Path, model: type[RowT], out: _Collector) -> RowT | None:
    try:
        with path.open(encoding="utf-8") as f:
            raw = yaml.safe_load(f)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        out.add(path, mark.line + 1 if mark else None, None, f"not valid YAML: {exc}")
        return None
    try:
        return model.model_validate(raw or {})
    except ValidationError as exc:
        for error in exc.errors():
            column, message = _describe(error)
            out.add(path, None, column, message)
        return None


def _region_dirs(root: Path) -> list[Path]:
    dirs = [root] if (root / "nodes.csv").exists() else []
    dirs += sorted(p for p in root.iterdir() if p.is_dir() and (p / "nodes.csv").exists())
    return dirs


def _read_geometries(path: Path, out: _Collector) -> dict[str, tuple[tuple[float, float], ...]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        result = {}
        for feature in data["features"]:
            link_id = feature["properties"]["link_id"]
            coords = feature["geometry"]["coordinates"]
            result[link_id] = tuple((float(x), float(y)) for x, y in coords)
        return result
    except (ValueError, KeyError, TypeError) as exc:
        out.add(path, None, None, f"not a FeatureCollection of LineStrings with link_id: {exc}")
        return {}


def read_network(path: str | PathLike[str]) -> Network:
    """Read and validate a network folder.

    Parameters
    ----------
    path
        A folder holding ``atlas.yaml``, ``parameters.yaml``, ``sources.csv`` and either
        ``nodes.csv``/``links.csv``/``borders.csv`` or region sub-folders holding them.

    Returns
    -------
    Network

    Raises
    ------
    DataError
        With every problem found, if any file breaks the schema or a reference dangles.
    """
    root = Path(path)
    if not root.is_dir():
        raise DataError([Problem(str(root), None, None, "not a folder holding a network")])
    out = _Collector(root)
    atlas = None
    params = None
    for name, model in (("atlas.yaml", AtlasSpec), ("parameters.yaml", ParametersSpec)):
        file = root / name
        if not file.exists():
            out.add(file, None, None, "file is missing")
            continue
        spec = _read_yaml(file, model, out)
        atlas, params = (spec, params) if name == "atlas.yaml" else (atlas, spec)

    rows: dict[str, list[tuple[str, int, Any]]] = {t: [] for t in TABLES}
    geometries: dict[str, tuple[tuple[float, float], ...]] = {}
    source_files = [root / "sources.csv"] if (root / "sources.csv").exists() else []
    regions = _region_dirs(root)
    geometry_files = []
    for region in regions:
        if region != root and (region / "sources.csv").exists():
            source_files.append(region / "sources.csv")
        for table, model in (("nodes.csv", NodeRow), ("links.csv", LinkRow), ("borders.csv", BorderRow)):
            file = region / table
            if file.exists():
                rows[table] += [(out.rel(file), line, r) for line, r in _read_csv(file, model, out)]
        geometry_files.append(region / "links.geojson")
    if root not in regions:  # a root file beside region folders is read last and wins
        geometry_files.append(root / "links.geojson")
    link_ids = {r.id for _, _, r in rows["links.csv"]}
    for file in (f for f in geometry_files if f.exists()):
        found = _read_geometries(file, out)
        unknown = sorted(set(found) - link_ids)
        if unknown:
            out.add(file, None, "link_id", f"geometry for unknown link(s): {', '.join(unknown[:5])}")
        geometries.update(found)
    for file in source_files:
        rows["sources.csv"] += [(out.rel(file), line, r) for line, r in _read_csv(file, SourceRow, out)]
    if not rows["nodes.csv"] and not any(p.column for p in out.problems):
        out.add(root, None, None, "no nodes.csv found in the folder or its region sub-folders")

    network, problems = build_network(
        atlas, params, rows, MappingProxyType(geometries), root.name, invalid_ids=out.invalid_ids
    )
    out.problems += problems
    if out.problems or network is None:
        raise DataError(out.problems)
    return network
