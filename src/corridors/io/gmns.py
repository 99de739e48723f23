"""Networks in and out as GMNS tables (the Zephyr Foundation's General Modeling Network
Specification, https://github.com/zephyr-data-specs/GMNS).

A GMNS folder as :func:`write_gmns` writes it and :func:`read_gmns` reads it:

``config.csv``
    GMNS: one row; ``long_length`` (link lengths) ``km``, ``speed`` ``kph``, ``crs``
    ``EPSG:4326``, ``geometry_field_format`` ``WKT``, ``currency`` ``USD``, ``id_type`` ``string``.
    Read: lengths in ``km``, ``m``, ``mi`` or ``ft`` and speeds in ``kph`` or ``mph`` are
    converted; coordinates must be longitude/latitude.
``node.csv``
    GMNS ``node_id``, ``name``, ``x_coord`` (lon), ``y_coord`` (lat), ``node_type`` (our
    ``kind``), and as custom fields our other node columns: ``country``, ``aliases``,
    ``handles``, ``gauge_change``, ``gauge_change_time_h``, ``gauge_change_cost_usd``,
    ``source_ids``, ``notes``.
``link.csv``
    GMNS ``link_id``, ``from_node_id``, ``to_node_id``, ``directed`` (our ``oneway``: a two-way
    link is one undirected GMNS link), ``length`` (long_length units), ``free_speed`` (our
    ``speed_kmh``, speed units), ``geometry`` (WKT, only where the link has its own line) with
    ``dir_flag`` (1: shape points run from -> to; 0: no geometry; -1 read as reversed), and as
    custom fields our other link columns: ``mode``, ``gauge_mm``, ``length_source``, ``time_h``,
    ``wait_h``, ``cost_usd_per_teu``, ``status``, ``opens_year``, ``border``, ``via_countries``,
    ``corridors``, ``capacity_t_per_year``, ``open_months``, ``source_ids``, ``notes``.
Side files, in our own format (GMNS has no place for them)
    ``borders.csv`` (border crossings), ``sources.csv``, ``parameters.yaml``, ``atlas.yaml``.

Reading goes through the same schema and checks as our folder format, so every problem names
the GMNS file, line and column. Our custom fields are required where our format requires the
column (a GMNS network from another tool needs at least ``country``, ``node_type``,
``source_ids`` on nodes and ``mode``, ``status``, ``length_source``, ``source_ids`` on links).
GMNS fields we have no use for (``z_coord``, ``lanes``, ``capacity`` per lane-hour, ...) and
other user-defined fields are ignored (logged); ``geometry.csv`` is not read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from corridors.errors import DataError, Problem
from corridors.io._atomic import write_atomic
from corridors.io._cells import COLUMNS, atlas_data, csv_text, parameters_data, table_cells, yaml_text
from corridors.io._tables import (TABLES, Geometries, _Collector, _read_csv, check_lonlat, finish, read_specs,
                                  read_table, validate_rows)
from corridors.io.schema import BorderRow, LinkRow, NodeRow, SourceRow
from corridors.model import Network

logger = logging.getLogger(__name__)

NODE_NAMES = {"id": "node_id", "lon": "x_coord", "lat": "y_coord", "kind": "node_type"}
"""Our node columns -> GMNS fields; the others keep their names (custom fields)."""
LINK_NAMES = {"id": "link_id", "from": "from_node_id", "to": "to_node_id", "oneway": "directed",
              "distance_km": "length", "speed_kmh": "free_speed"}
"""Our link columns -> GMNS fields; the others keep their names (custom fields)."""

CONFIG = {"dataset_name": "", "short_length": "m", "long_length": "km", "speed": "kph", "crs": "EPSG:4326",
          "geometry_field_format": "WKT", "currency": "USD", "id_type": "string"}
"""config.csv as written (dataset_name is the network's name)."""

KM_PER = {"km": 1.0, "kilometer": 1.0, "kilometers": 1.0, "m": 0.001, "meter": 0.001, "meters": 0.001,
          "mi": 1.609344, "mile": 1.609344, "miles": 1.609344, "ft": 0.0003048, "feet": 0.0003048}
KMH_PER = {"kph": 1.0, "kmh": 1.0, "km/h": 1.0, "mph": 1.609344}
LONLAT = {"epsg:4326", "4326", "wgs84", "wgs 84", "ogc:crs84"}

_GMNS_NODE_FIELDS = {"z_coord", "ctrl_type", "zone_id", "parent_node_id"}
_GMNS_LINK_FIELDS = {"name", "geometry_id", "parent_link_id", "grade", "facility_type", "capacity", "lanes",
                     "bike_facility", "ped_facility", "parking", "allowed_uses", "toll", "jurisdiction", "row_width"}


def _wkt(coords: tuple[tuple[float, float], ...]) -> str:
    """A WKT LineString with every coordinate in its exact shortest form."""
    return "LINESTRING (" + ", ".join(f"{x!r} {y!r}" for x, y in coords) + ")"


def write_gmns(network: Network, folder: str | PathLike[str]) -> Path:
    """Write ``network`` as a GMNS folder (see the module docstring for what goes where).

    Returns the folder. Raises :class:`~corridors.errors.InvalidOptionError` if the network
    carries a scenario's scale factors, which no file holds.
    """
    root = Path(folder)
    tables = table_cells(network)
    nodes = [{NODE_NAMES.get(k, k): v for k, v in row.items()} for row in tables["nodes.csv"]]
    links = []
    for row in tables["links.csv"]:
        coords = network.geometries.get(row["id"])
        gmns = {LINK_NAMES.get(k, k): v for k, v in row.items()}
        gmns |= {"dir_flag": "1" if coords else "0", "geometry": _wkt(coords) if coords else ""}
        links.append(gmns)
    node_columns = [NODE_NAMES.get(c, c) for c in COLUMNS["nodes.csv"]]
    link_columns = [LINK_NAMES.get(c, c) for c in COLUMNS["links.csv"]] + ["dir_flag", "geometry"]
    write_atomic(root / "config.csv", csv_text(list(CONFIG), [CONFIG | {"dataset_name": network.name}]))
    write_atomic(root / "node.csv", csv_text(node_columns, nodes))
    write_atomic(root / "link.csv", csv_text(link_columns, links))
    for side in ("borders.csv", "sources.csv"):
        write_atomic(root / side, csv_text(COLUMNS[side], tables[side]))
    write_atomic(root / "atlas.yaml", yaml_text(atlas_data(network)))
    write_atomic(root / "parameters.yaml", yaml_text(parameters_data(network.parameters)))
    return root


def _units(root: Path, out: _Collector) -> tuple[float, float]:
    """(km per long_length unit, km/h per speed unit) from config.csv; km and km/h without one."""
    path = root / "config.csv"
    if not path.exists():
        return 1.0, 1.0
    read = read_table(path, out)
    config = read[1][0][1] if read and read[1] else {}
    factors = []
    for column, table, default in (("long_length", KM_PER, "km"), ("speed", KMH_PER, "kph")):
        unit = (config.get(column) or default).strip()
        if unit.lower() not in table:
            out.add(path, 2, column, f"unknown unit {unit!r}; allowed: {', '.join(table)}")
        factors.append(table.get(unit.lower(), 1.0))
    crs = (config.get("crs") or "EPSG:4326").strip()
    if crs.lower() not in LONLAT:
        out.add(path, 2, "crs", f"coordinates must be longitude/latitude (EPSG:4326); found {crs!r}")
    return factors[0], factors[1]


def _scaled(value: str | None, factor: float) -> Any:
    """A number cell in our unit; a cell that is not a number is left for the schema to report."""
    if factor == 1.0 or value is None or not value.strip():
        return value
    try:
        return float(value) * factor
    except ValueError:
        return value


def _gmns_rows(path: Path, names: Mapping[str, str], ours: tuple[str, ...], standard: set[str],
               out: _Collector) -> Iterator[tuple[int, dict[str, str]]]:
    """A GMNS table's rows under our column names; required GMNS columns missing are reported,
    GMNS fields we do not use are left out, and so are other columns, logged."""
    inverse = {gmns: our for our, gmns in names.items()}
    table = read_table(path, out)
    if table is None:
        return
    header, records = table
    known = {names.get(c, c) for c in ours} | {"dir_flag", "geometry"}
    ignored = [c for c in header if c not in known and c not in standard]
    if ignored:
        logger.info("%s: ignoring column(s) %s", path, ", ".join(ignored))
    for column in (names["id"], *(names[c] for c in ("from", "to", "oneway") if c in names)):
        if column not in header:
            out.add(path, 1, column, f"required GMNS field is missing (found: {', '.join(header) or 'nothing'})")
    for line, row in records:
        yield line, {inverse.get(k, k): v for k, v in row.items() if k in known}


def _geometry(line: int, row: dict[str, str], path: Path, out: _Collector) -> tuple[tuple[float, float], ...] | None:
    text = (row.pop("geometry", None) or "").strip()
    flag = (row.pop("dir_flag", None) or "").strip()
    if not text:
        return None
    import shapely  # only for GMNS files with geometries: importing corridors stays light
    from shapely.errors import GEOSException

    try:
        shape = shapely.from_wkt(text)
    except (GEOSException, ValueError) as exc:
        out.add(path, line, "geometry", f"not WKT: {exc}")
        return None
    if shape.geom_type != "LineString":
        out.add(path, line, "geometry", f"a link's geometry is a LINESTRING (found {shape.geom_type})")
        return None
    coords = tuple((float(x), float(y)) for x, y, *_ in shape.coords)
    if not check_lonlat(coords, path, line, "geometry", out):
        return None
    if flag not in ("", "0", "1", "-1"):
        out.add(path, line, "dir_flag", f"{flag!r} is not 1, 0 or -1")
    return coords[::-1] if flag == "-1" else coords


def read_gmns(folder: str | PathLike[str]) -> Network:
    """Read and validate a GMNS folder (see the module docstring for what goes where).

    Raises
    ------
    DataError
        With every problem found, naming the GMNS file, line and field.
    """
    root = Path(folder)
    if not (root / "node.csv").exists() or not (root / "link.csv").exists():
        raise DataError([Problem(str(root), None, None, "not a GMNS folder: node.csv and link.csv are required")])
    out = _Collector(root)
    km, kmh = _units(root, out)
    atlas, params = read_specs(root, out)
    rows: dict[str, list[tuple[str, int, Any]]] = {t: [] for t in TABLES}
    node_file, link_file = root / "node.csv", root / "link.csv"
    node_rows = _gmns_rows(node_file, NODE_NAMES, COLUMNS["nodes.csv"], _GMNS_NODE_FIELDS, out)
    rows["nodes.csv"] = [(out.rel(node_file), line, r)
                         for line, r in validate_rows(node_rows, NodeRow, node_file, out, names=NODE_NAMES)]
    geometries: Geometries = {}
    links = []
    for line, row in _gmns_rows(link_file, LINK_NAMES, COLUMNS["links.csv"], _GMNS_LINK_FIELDS, out):
        coords = _geometry(line, row, link_file, out)
        if coords and row.get("id"):
            geometries[row["id"].strip()] = coords
        row["distance_km"], row["speed_kmh"] = _scaled(row.get("distance_km"), km), _scaled(row.get("speed_kmh"), kmh)
        links.append((line, row))
    rows["links.csv"] = [(out.rel(link_file), line, r)
                         for line, r in validate_rows(links, LinkRow, link_file, out, names=LINK_NAMES)]
    for table, model in (("borders.csv", BorderRow), ("sources.csv", SourceRow)):
        if (root / table).exists():
            rows[table] = [(out.rel(root / table), line, r) for line, r in _read_csv(root / table, model, out)]
    renames = {out.rel(node_file): NODE_NAMES, out.rel(link_file): LINK_NAMES}
    return finish(out, atlas, params, rows, geometries, root.name, names=renames)
