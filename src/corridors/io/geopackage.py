"""Networks in and out as one GeoPackage file (needs the ``geo`` extra: geopandas, pyogrio).

Layers, in longitude/latitude (EPSG:4326), with our column names (docs/data-format.md):

``nodes``
    Points, with every nodes.csv column but ``lon``/``lat`` (the point is the location).
``links``
    LineStrings (:meth:`~corridors.model.Network.link_geometry`: the link's own line, else the
    straight line between its nodes), with every links.csv column.
``borders``, ``sources``
    Attribute tables with the columns of borders.csv and sources.csv.
``atlas``, ``parameters``
    Attribute tables of ``key``/``value`` rows: atlas.yaml and parameters.yaml flattened to
    dotted keys (``modes.rail.speed_kmh``, ``transfers.0.modes``), each value in JSON.

Numbers are numeric columns, ``oneway`` boolean, lists ``;``-joined text (GeoPackage has no
list type). What it cannot hold apart: a link's own line that is exactly the straight line
between its nodes reads back as "no line of its own" (drawn the same). Reading goes through the
same schema and checks as our folder format; problems name ``file.gpkg[layer]``, the feature's
row (1 = first) and the column.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator, Mapping
from os import PathLike
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from corridors.errors import DataError, Problem
from corridors.io._cells import COLUMNS, atlas_data, parameters_data, table_cells
from corridors.io._tables import TABLES, Geometries, _Collector, check_lonlat, finish, validate_rows, validate_spec
from corridors.io.schema import AtlasSpec, BorderRow, LinkRow, NodeRow, ParametersSpec, SourceRow
from corridors.model import Network

CRS = "EPSG:4326"
LAYERS = {"nodes.csv": "nodes", "links.csv": "links", "borders.csv": "borders", "sources.csv": "sources"}
"""Our tables -> GeoPackage layers."""
MODELS: dict[str, type[BaseModel]] = {"nodes.csv": NodeRow, "links.csv": LinkRow, "borders.csv": BorderRow,
                                      "sources.csv": SourceRow}


def _geo():
    """geopandas, pandas, pyogrio and shapely, or an ImportError naming the extra."""
    try:
        import geopandas
        import pandas
        import pyogrio
        import shapely
    except ImportError as exc:
        raise ImportError(
            f"GeoPackage files need the 'geo' extra: pip install 'corridors[geo]' ({exc.name} is missing)"
        ) from exc
    return geopandas, pandas, pyogrio, shapely


def _kind(model: type[BaseModel], column: str) -> type | None:
    """float, int or bool if the column holds one (given or not), else None (text)."""
    field = model.model_fields.get("from_" if column == "from" else column)
    annotation = field.annotation if field else None
    if get_origin(annotation) in (Union, UnionType):
        annotation = next((a for a in get_args(annotation) if a is not type(None)), None)
    return annotation if annotation in (float, int, bool) else None


def _typed(rows: list[dict[str, str]], model: type[BaseModel], columns: list[str]) -> dict[str, list[Any]]:
    """Our text cells as typed columns: numbers, booleans, text (empty: null)."""
    typed: dict[str, list[Any]] = {}
    for column in columns:
        kind = _kind(model, column)
        cells = [row[column] for row in rows]
        if kind is bool:
            typed[column] = [cell == "true" for cell in cells]
        elif kind is not None:
            typed[column] = [kind(cell) if cell else None for cell in cells]
        else:
            typed[column] = [cell or None for cell in cells]
    return typed


def flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """YAML data as ``(dotted key, JSON value)`` rows; mappings and lists of mappings are opened.

    >>> flatten({"modes": {"rail": {"speed_kmh": 40}}, "transfers": [{"modes": ["rail", "sea"]}]})
    [('modes.rail.speed_kmh', '40'), ('transfers.0.modes', '["rail", "sea"]')]
    """
    if isinstance(data, dict) and data:
        return [row for key, value in data.items() for row in flatten(value, f"{prefix}{key}.")]
    if isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        return [row for i, value in enumerate(data) for row in flatten(value, f"{prefix}{i}.")]
    return [(prefix.rstrip("."), json.dumps(data, ensure_ascii=False))]


def unflatten(rows: Mapping[str, Any]) -> Any:
    """The inverse of :func:`flatten` (values already parsed): mappings whose keys are all
    numbers become lists.

    >>> unflatten({"transfers.0.time_h": 5, "transfers.1.time_h": 6, "name": "x"})
    {'transfers': [{'time_h': 5}, {'time_h': 6}], 'name': 'x'}
    """
    tree: dict[str, Any] = {}
    for key, value in rows.items():
        *parents, last = key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value

    def lists(node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        node = {k: lists(v) for k, v in node.items()}
        if node and all(k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
        return node

    return lists(tree)


def write_geopackage(network: Network, path: str | PathLike[str]) -> Path:
    """Write ``network`` as one GeoPackage (see the module docstring for its layers),
    replacing ``path`` in one step. Returns the path.

    Raises
    ------
    ImportError
        Without the ``geo`` extra.
    InvalidOptionError
        If the network carries a scenario's scale factors, which no file holds.
    """
    geopandas, pandas, pyogrio, shapely = _geo()
    target = Path(path)
    tables = table_cells(network)
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex}.gpkg")
    try:
        for table, layer in LAYERS.items():
            columns = [c for c in COLUMNS[table] if c not in ("lon", "lat")]
            frame = pandas.DataFrame(_typed(tables[table], MODELS[table], columns), columns=columns)
            if table == "nodes.csv":
                points = shapely.points([(n.lon, n.lat) for n in network.nodes])
                frame = geopandas.GeoDataFrame(frame, geometry=points, crs=CRS)
            elif table == "links.csv":
                lines = [shapely.LineString(network.link_geometry(link)) for link in network.links]
                frame = geopandas.GeoDataFrame(frame, geometry=lines, crs=CRS)
            pyogrio.write_dataframe(frame, tmp, layer=layer, driver="GPKG")
        for layer, data in (("atlas", atlas_data(network)), ("parameters", parameters_data(network.parameters))):
            keys, values = zip(*flatten(data))
            pyogrio.write_dataframe(pandas.DataFrame({"key": keys, "value": values}), tmp, layer=layer, driver="GPKG")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _records(frame, pandas) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number from 1, {column: value}) with nulls left out."""
    for number, record in enumerate(frame.to_dict("records"), start=1):
        yield number, {k: v for k, v in record.items() if k != "geometry" and not (v is None or pandas.isna(v))}


def _spec(frame, pandas, model: type[BaseModel], where: str, out: _Collector) -> Any:
    """A key/value layer parsed and validated as ``model``."""
    if frame is None:
        return None
    data = {}
    for number, record in _records(frame, pandas):
        try:
            data[str(record["key"])] = json.loads(record["value"])
        except (KeyError, TypeError, ValueError) as exc:
            out.add(where, number, str(record.get("key", "key")), f"not a key with a JSON value: {exc}")
    return validate_spec(unflatten(data), model, where, out)


def _in_lonlat(frame, where: str, out: _Collector):
    """A layer's features in longitude/latitude: reprojected to EPSG:4326 from the CRS the
    layer declares; as they are if it declares none, reported if they cannot be lon/lat then."""
    crs = getattr(frame, "crs", None)
    if crs is None:
        if "geometry" in frame and len(frame):
            west, south, east, north = frame.total_bounds
            if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
                out.add(where, None, "geometry",
                        f"the layer declares no CRS and its coordinates (x {west:g} to {east:g}, y {south:g} to "
                        f"{north:g}) are not longitude/latitude: declare its CRS, or write it in {CRS}")
        return frame
    if crs.to_epsg() == 4326:
        return frame
    try:
        return frame.to_crs(CRS)
    except Exception as exc:  # pyproj raises its own errors for CRSs it cannot transform
        out.add(where, None, "geometry", f"cannot reproject the layer from {crs.to_string()} to {CRS}: {exc}")
        return frame


def read_geopackage(path: str | PathLike[str]) -> Network:
    """Read and validate a GeoPackage written by :func:`write_geopackage` (or by hand to the
    same layers and columns). Layers in another CRS than EPSG:4326 are reprojected to it; a
    layer that declares no CRS is taken as longitude/latitude, and reported if it cannot be.

    Raises
    ------
    DataError
        With every problem found, naming ``file.gpkg[layer]``, the row and the column.
    ImportError
        Without the ``geo`` extra.
    """
    _, pandas, pyogrio, shapely = _geo()
    source = Path(path)
    if not source.is_file():
        raise DataError([Problem(str(source), None, None, "no such GeoPackage file")])
    out = _Collector(source)
    try:
        present = {str(name) for name, _ in pyogrio.list_layers(source)}
    except Exception as exc:  # pyogrio raises its own DataSourceError for files GDAL cannot open
        raise DataError([Problem(source.name, None, None, f"not a GeoPackage: {exc}")]) from None

    def layer(name: str, required: bool = True):
        if name not in present:
            if required:
                out.add(f"{source.name}[{name}]", None, None, "layer is missing")
            return None
        return pyogrio.read_dataframe(source, layer=name)

    atlas = _spec(layer("atlas"), pandas, AtlasSpec, f"{source.name}[atlas]", out)
    params = _spec(layer("parameters"), pandas, ParametersSpec, f"{source.name}[parameters]", out)
    rows: dict[str, list[tuple[str, int, Any]]] = {t: [] for t in TABLES}
    points: dict[str, tuple[float, float]] = {}
    geometries: Geometries = {}
    for table, name in LAYERS.items():
        frame = layer(name, required=table != "borders.csv")
        if frame is None:
            continue
        where = f"{source.name}[{name}]"
        if table in ("nodes.csv", "links.csv"):
            frame = _in_lonlat(frame, where, out)
        records = list(_records(frame, pandas))
        shapes = list(frame.geometry) if "geometry" in frame else [None] * len(records)
        for (number, record), shape in zip(records, shapes):
            if table == "nodes.csv":
                if shape is None or shape.geom_type != "Point":
                    out.add(where, number, "geometry", "a node is a Point")
                else:
                    record |= {"lon": shape.x, "lat": shape.y}
                    points[str(record.get("id"))] = (shape.x, shape.y)
            elif table == "links.csv":
                if shape is None or shape.geom_type != "LineString":
                    out.add(where, number, "geometry", "a link is a LineString")
                else:
                    coords = tuple((float(x), float(y)) for x, y, *_ in shape.coords)
                    if check_lonlat(coords, where, number, "geometry", out):
                        geometries[str(record.get("id"))] = coords
        rows[table] = [(where, n, r) for n, r in validate_rows(records, MODELS[table], where, out)]
    own = {link.id: geometries[link.id] for _, _, link in rows["links.csv"] if link.id in geometries
           and geometries[link.id] != (points.get(link.from_), points.get(link.to))}  # straight: no line of its own
    return finish(out, atlas, params, rows, own, source.stem)
