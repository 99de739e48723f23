"""Results as pandas DataFrames and geopandas GeoDataFrames, with the JSON's column names.

pandas and geopandas are the optional ``geo`` extra (``pip install 'corridors[geo]'``); they are
imported here, inside the functions, and nowhere else, so the core never needs them. Lists in the
JSON (``source_ids``, ``countries``, ``link_ids``...) stay lists in their cells; nested objects
become dotted columns (``before.cost_usd``); a ``[before, after]`` pair becomes two columns
(``lanes_in_transit.before``, ``lanes_in_transit.after``). Geometries are lon/lat in EPSG:4326.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - types only
    import geopandas
    import pandas

    from corridors.analysis.compare import Comparison
    from corridors.analysis.criticality import Criticality
    from corridors.errors import Problem
    from corridors.io.sweep_store import ResultRow
    from corridors.model import Network
    from corridors.routing.matrix import RouteMatrix
    from corridors.routing.result import Route

CRS = "EPSG:4326"
"""Coordinate reference system of every GeoDataFrame here: lon/lat on WGS 84."""


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need the 'geo' extra: pip install 'corridors[geo]'") from None
    return pandas


def _geopandas():
    try:
        import geopandas
    except ImportError:
        raise ImportError("GeoDataFrames need the 'geo' extra: pip install 'corridors[geo]'") from None
    return geopandas


def _cell(value: Any) -> Any:
    """A JSON value for a frame cell: tuples and sets as lists, enums as their values."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (tuple, list, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [_cell(v) for v in items]
    return value


def _frame(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] = ()) -> pandas.DataFrame:
    """A DataFrame of ``rows`` with their cells made JSON-like; columns in first-seen order, or
    ``columns`` when there are no rows."""
    rows = [{k: _cell(v) for k, v in row.items()} for row in rows]
    order = list(dict.fromkeys(k for row in rows for k in row)) or list(columns)
    return _pandas().DataFrame(rows, columns=order)


def _records(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Dataclass instances as dicts of their fields (shallow: values are not copied)."""
    return [{f.name: getattr(item, f.name) for f in dataclasses.fields(item)} for item in items]


def _geoframe(frame: pandas.DataFrame, geometry: list) -> geopandas.GeoDataFrame:
    return _geopandas().GeoDataFrame(frame, geometry=geometry, crs=CRS)


# routes ------------------------------------------------------------------------------------------
def route_to_frame(route: Route) -> pandas.DataFrame:
    """One row per step in travel order: ``feature`` (``leg``, ``border`` or ``transfer``), then
    the step's fields as in :meth:`Route.to_dict` (``distance_km``, ``time_h``, ``cost_usd``,
    ``co2e_kg``, ``from``/``to`` of a leg, ``at`` of a transfer...). Cells a kind of step lacks
    are missing (NaN/None)."""
    from corridors.routing.result import BorderStep, Leg, step_to_dict

    def kind(step) -> str:
        return "leg" if isinstance(step, Leg) else "border" if isinstance(step, BorderStep) else "transfer"

    return _frame({"feature": kind(step), **step_to_dict(step)} for step in route.steps)


def route_to_geodataframe(route: Route) -> geopandas.GeoDataFrame:
    """:func:`route_to_frame` with a geometry: a LineString of each leg's vertices, a Point at
    each border crossing and transfer (EPSG:4326)."""
    from shapely.geometry import LineString, Point

    from corridors.routing.result import Leg

    geometry = [LineString(step.geometry) if isinstance(step, Leg) else Point(step.lon, step.lat)
                for step in route.steps]
    return _geoframe(route_to_frame(route), geometry)


def matrix_to_frame(matrix: RouteMatrix) -> pandas.DataFrame:
    """One row per (origin, destination) cell, origins in order and, within each, destinations:
    ``origin``, ``destination``, ``distance_km``, ``time_h``, ``cost_usd``, ``co2e_kg`` (missing
    where no route exists)."""
    from corridors.routing.matrix import MATRIX_FIELDS

    rows = [{"origin": o, "destination": d, **{f: getattr(matrix, f)[i][j] for f in MATRIX_FIELDS}}
            for i, o in enumerate(matrix.origins) for j, d in enumerate(matrix.destinations)]
    return _frame(rows, ("origin", "destination", *MATRIX_FIELDS))


# the network -------------------------------------------------------------------------------------
def network_to_geodataframes(network: Network) -> dict[str, geopandas.GeoDataFrame]:
    """The network as three GeoDataFrames (EPSG:4326):

    ``nodes``
        a Point per node, with the properties of :func:`~corridors.io.network_to_geojson`;
    ``links``
        a LineString per link (:meth:`Network.link_geometry`), likewise;
    ``borders``
        a row per border crossing (id and mode), with its fields, the ids of the links that carry it
        (``link_ids``) and a Point at its post: the border-post end of its first link, else that
        link's first node; None for a crossing no link carries.
    """
    from shapely.geometry import shape

    from corridors.io.to_geojson import network_to_geojson

    features = network_to_geojson(network)["features"]
    frames = {}
    for kind, name in (("node", "nodes"), ("link", "links")):
        chosen = [f for f in features if f["properties"]["feature"] == kind]
        frames[name] = _geoframe(_frame((f["properties"] for f in chosen), ("feature", "id")),
                                 [shape(f["geometry"]) for f in chosen])
    frames["borders"] = _borders_frame(network)
    return frames


def _borders_frame(network: Network) -> geopandas.GeoDataFrame:
    from shapely.geometry import Point

    rows, geometry = [], []
    for crossing, row in zip(network.borders, _records(network.borders)):
        links = [l for l in network.links if l.border == crossing.id and l.mode is crossing.mode]
        row["link_ids"] = [l.id for l in links]
        rows.append(row)
        if not links:
            geometry.append(None)
            continue
        ends = (network.node_by_id[links[0].from_node], network.node_by_id[links[0].to_node])
        post = next((n for n in ends if n.kind.value == "border_post"), ends[0])
        geometry.append(Point(post.lon, post.lat))
    return _geoframe(_frame(rows, ("id", "mode", "link_ids")), geometry)


# analysis ----------------------------------------------------------------------------------------
def comparison_to_frames(comparison: Comparison) -> dict[str, pandas.DataFrame]:
    """The ``lanes``, ``countries`` and ``access`` of :meth:`Comparison.to_dict` as three
    DataFrames, a row per lane, country and access pair. A lane's ``before`` and ``after`` become
    dotted columns (``before.cost_usd``, ``after.via``...); a country's ``[before, after]`` pairs
    become ``<field>.before`` and ``<field>.after``."""
    data = comparison.to_dict()
    lanes = [_flatten(lane) for lane in data["lanes"]]
    countries = []
    for country in data["countries"]:
        row = {}
        for key, value in country.items():
            if isinstance(value, (tuple, list)) and len(value) == 2:
                row[f"{key}.before"], row[f"{key}.after"] = value
            else:
                row[key] = value
        countries.append(row)
    return {"lanes": _frame(lanes, ("lane", "status")), "countries": _frame(countries, ("country",)),
            "access": _frame(data["access"], ("id", "status"))}


def _flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts as dotted keys: ``{"before": {"cost_usd": 1}}`` -> ``{"before.cost_usd": 1}``."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def criticality_to_frame(ranked: Sequence[Criticality]) -> pandas.DataFrame:
    """One row per element, in the given (ranked) order, with the fields of
    :class:`~corridors.analysis.Criticality` (the CLI's ``critical --format json``)."""
    return _frame(_records(ranked), ("element", "kind", "name"))


def sweep_to_frame(rows: Iterable[ResultRow]) -> pandas.DataFrame:
    """Sweep results (:meth:`SweepStore.results`) as a DataFrame, a row per (scenario, lane,
    objective), with the store's column names."""
    from corridors.io.sweep_store import ResultRow

    return _frame(_records(rows), tuple(f.name for f in dataclasses.fields(ResultRow)))


def problems_to_frame(problems: Iterable[Problem]) -> pandas.DataFrame:
    """Validation problems (``DataError.problems``, ``CheckReport.problems``): ``file``, ``line``,
    ``column``, ``message``, ``severity``."""
    from corridors.errors import Problem

    return _frame(_records(problems), tuple(f.name for f in dataclasses.fields(Problem)))
