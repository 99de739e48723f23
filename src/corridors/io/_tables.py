"""Validate a network's rows, wherever they come from (our CSV folder, GMNS tables, GeoPackage
layers), through the one schema (:mod:`corridors.io.schema`) and the one assembly
(:mod:`corridors.io._assemble`), collecting every problem with its file, line and column.

Each reader turns its source into ``(line, {column: cell})`` rows under our column names and
hands them to :func:`validate_rows`; problems name the source's own column names.
"""

from __future__ import annotations

import csv
import math
from dataclasses import replace
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from corridors.errors import DataError, Problem
from corridors.io._assemble import build_network
from corridors.io.schema import AtlasSpec, ParametersSpec, validation_message
from corridors.model import Network

RowT = TypeVar("RowT", bound=BaseModel)
SpecT = TypeVar("SpecT", bound=BaseModel)

TABLES = ("sources.csv", "nodes.csv", "links.csv", "borders.csv")
"""The tables of a network, by their names in our folder format."""

Geometries = dict[str, tuple[tuple[float, float], ...]]

Table = tuple[list[str], list[tuple[int, dict[str, str]]]]
"""A CSV table as read: its header and its ``(line, {column: cell})`` rows."""


class _Collector:
    """Gathers problems while files are read, relative to the network's root folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.invalid_ids: set[str] = set()  # ids of rows that failed the schema: not "unknown"

    def rel(self, path: Path | str) -> str:
        """A path relative to the root's parent; a label (a layer of a GeoPackage) as it is."""
        if isinstance(path, str):
            return path
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def add(self, path: Path | str, line: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.rel(path), line, column, message))


def _describe(error: Mapping[str, Any], names: Mapping[str, str] = MappingProxyType({})) -> tuple[str, str]:
    """(column, message) of a pydantic error, the column under the source's name for it."""
    loc = ".".join(str(part) for part in error["loc"] if part != "from_")
    column = loc or "(row)"
    if error["loc"] and error["loc"][0] == "from_":
        column = "from"
    column = names.get(column, column)
    found = error.get("input")
    message = validation_message(error)
    if error["type"] == "extra_forbidden":
        message = "unknown column"
    elif error["type"] == "missing":
        message = "required value is missing"
    elif found is not None and not isinstance(found, dict):
        message = f"{message} (found {found!r})"
    return column, message


def columns_of(model: type[BaseModel]) -> tuple[str, ...]:
    """A row model's column names in order, under their file names (``from``, not ``from_``)."""
    return tuple(field.alias or name for name, field in model.model_fields.items())


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def validate_rows(rows: Iterable[tuple[int, Mapping[str, Any]]], model: type[RowT], where: Path | str,
                  out: _Collector, *, names: Mapping[str, str] = MappingProxyType({})) -> Iterator[tuple[int, RowT]]:
    """Each ``(line, cells)`` row (cells under our column names; blank ones are "not given")
    validated as ``model``; a row that fails is reported, column by column, and left out.
    ``names`` maps our column names to the source's, for the problems."""
    for line, cells in rows:
        given = {k: v for k, v in cells.items() if not _blank(v)}
        try:
            yield line, model.model_validate(given)
        except ValidationError as exc:
            if isinstance(given.get("id"), str):
                out.invalid_ids.add(given["id"].strip())
            for error in exc.errors():
                column, message = _describe(error, names)
                out.add(where, line, column, message)


def read_table(path: Path, out: _Collector) -> Table | None:
    """The header and rows of a CSV (UTF-8, a byte-order mark allowed), every row read; None,
    with the problem reported, if the file cannot be read as CSV text (not UTF-8, a directory,
    a field over the csv module's size limit). The one place our readers open a CSV."""
    line = 0
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = [str(c) for c in reader.fieldnames or ()]
            rows = []
            for row in reader:
                line = reader.line_num
                rows.append((line, row))
            return header, rows
    except UnicodeDecodeError as exc:
        out.add(path, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start}): save the file as UTF-8")
    except csv.Error as exc:
        out.add(path, line + 1, None, f"not a readable CSV: {exc}")
    except OSError as exc:
        out.add(path, None, None, f"cannot read the file: {exc.strerror or exc}")
    return None


def check_lonlat(coords: Iterable[tuple[float, float]], where: Path | str, line: int | None, column: str,
                 out: _Collector) -> bool:
    """Whether every vertex is a finite longitude in [-180, 180] and latitude in [-90, 90];
    the first that is not is reported (strict JSON has no NaN, and the map has no 999)."""
    for k, (lon, lat) in enumerate(coords):
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            out.add(where, line, column, f"vertex {k} ({lon!r} {lat!r}) is not a longitude in [-180, 180] "
                                         f"and a latitude in [-90, 90] (EPSG:4326)")
            return False
    return True


def _read_csv(path: Path, model: type[RowT], out: _Collector) -> Iterator[tuple[int, RowT]]:
    """A CSV of our folder format, every column one of ``model``'s."""
    table = read_table(path, out)
    if table is None:
        return
    header, records = table
    known = set(model.model_fields) | {
        field.alias for field in model.model_fields.values() if field.alias
    }
    unknown = [c for c in header if c not in known]
    for column in unknown:
        out.add(path, 1, column, f"unknown column; allowed: {', '.join(sorted(known - {'from_'}))}")
    rows = ((line, {k: v for k, v in row.items() if k in known}) for line, row in records)
    yield from validate_rows(rows, model, path, out)


def validate_spec(raw: Any, model: type[SpecT], where: Path | str, out: _Collector) -> SpecT | None:
    """A YAML-shaped value validated as ``model`` (None, with its problems reported, if it fails)."""
    try:
        return model.model_validate(raw or {})
    except ValidationError as exc:
        for error in exc.errors():
            column, message = _describe(error)
            out.add(where, None, column, message)
        return None


def _read_yaml(path: Path, model: type[SpecT], out: _Collector) -> SpecT | None:
    try:
        with path.open(encoding="utf-8-sig") as f:
            raw = yaml.safe_load(f)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        out.add(path, mark.line + 1 if mark else None, None, f"not valid YAML: {exc}")
        return None
    except UnicodeDecodeError as exc:
        out.add(path, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start}): save the file as UTF-8")
        return None
    except OSError as exc:
        out.add(path, None, None, f"cannot read the file: {exc.strerror or exc}")
        return None
    return validate_spec(raw, model, path, out)


def read_specs(folder: Path, out: _Collector) -> tuple[AtlasSpec | None, ParametersSpec | None]:
    """``atlas.yaml`` and ``parameters.yaml`` of a folder, each reported if missing or invalid."""
    specs: list[Any] = []
    for name, model in (("atlas.yaml", AtlasSpec), ("parameters.yaml", ParametersSpec)):
        file = folder / name
        if not file.exists():
            out.add(file, None, None, "file is missing")
            specs.append(None)
        else:
            specs.append(_read_yaml(file, model, out))
    return specs[0], specs[1]


def finish(out: _Collector, atlas: AtlasSpec | None, params: ParametersSpec | None,
           rows: Mapping[str, list[tuple[str, int, Any]]], geometries: Geometries, default_name: str,
           *, names: Mapping[str, Mapping[str, str]] = MappingProxyType({})) -> Network:
    """Assemble validated rows into a Network, or raise every problem found on the way.
    ``names`` maps a file's label to its names for our columns, for the problems."""
    network, problems = build_network(
        atlas, params, rows, MappingProxyType(geometries), default_name, invalid_ids=out.invalid_ids
    )
    out.problems += [replace(p, column=names[p.file].get(p.column or "", p.column)) if p.file in names else p
                     for p in problems]
    if out.problems or network is None:
        raise DataError(out.problems)
    return network
