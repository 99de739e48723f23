"""Rows as pandas DataFrames and geopandas GeoDataFrames, with the JSON's column names.

pandas and geopandas are the optional ``geo`` extra (``pip install 'corridors[geo]'``); they are
imported here, inside the functions, and nowhere else, so the core never needs them. The results
build their own rows (:meth:`Route.to_frame`, :meth:`RouteMatrix.to_frame`,
:meth:`Comparison.to_frames`, :meth:`Network.to_geodataframes`) and hand them to
:func:`rows_to_frame`; this module knows none of their classes. Lists in the JSON
(``source_ids``, ``countries``, ``link_ids``...) stay lists in their cells; nested objects become
dotted columns (``before.cost_usd``). Geometries are GeoJSON geometry objects in, shapely
geometries out, lon/lat in EPSG:4326.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - types only
    import geopandas
    import pandas

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


def _flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys, cells made JSON-like:
    ``{"before": {"cost_usd": 1}}`` -> ``{"before.cost_usd": 1}``."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = _cell(value)
    return flat


def rows_to_frame(rows: Iterable[Mapping[str, Any]], *, columns: Sequence[str] = (),
                  geometry: Sequence[Mapping[str, Any] | None] | None = None
                  ) -> pandas.DataFrame | geopandas.GeoDataFrame:
    """A DataFrame with a row per mapping in ``rows``: nested mappings become dotted columns,
    tuples and sets lists, enums their values; columns in first-seen order, or ``columns`` when
    there are no rows. With ``geometry`` (a GeoJSON geometry object or None per row), a
    GeoDataFrame in EPSG:4326: ``{"before": {"cost_usd": 1}}`` gives a column ``before.cost_usd``."""
    flat = [_flatten(row) for row in rows]
    order = list(dict.fromkeys(k for row in flat for k in row)) or list(columns)
    frame = _pandas().DataFrame(flat, columns=order)
    if geometry is None:
        return frame
    gpd = _geopandas()
    from shapely.geometry import shape

    shapes = [None if g is None else shape(g) for g in geometry]
    return gpd.GeoDataFrame(frame, geometry=shapes, crs=CRS)


def records(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Dataclass instances as dicts of their fields (shallow: values are not copied)."""
    return [{f.name: getattr(item, f.name) for f in dataclasses.fields(item)} for item in items]


# records of the analysis, the sweep store and the checks --------------------------------------------
def criticality_to_frame(ranked: Sequence[Any]) -> pandas.DataFrame:
    """One row per element, in the given (ranked) order, with the fields of each
    :class:`~corridors.analysis.Criticality` (the CLI's ``critical --format json``)."""
    return rows_to_frame(records(ranked), columns=("element", "kind", "name"))


def sweep_to_frame(rows: Iterable[Any]) -> pandas.DataFrame:
    """Sweep results (the :class:`~corridors.io.sweep_store.ResultRow` of
    :meth:`SweepStore.results`) as a DataFrame, a row per (scenario, lane, objective), with the
    store's column names."""
    from corridors.io.sweep_store import ResultRow

    return rows_to_frame(records(rows), columns=tuple(f.name for f in dataclasses.fields(ResultRow)))


def problems_to_frame(problems: Iterable[Any]) -> pandas.DataFrame:
    """Validation problems (the :class:`~corridors.errors.Problem` of ``DataError.problems``,
    ``CheckReport.problems``): ``file``, ``line``, ``column``, ``message``, ``severity``."""
    from corridors.errors import Problem

    return rows_to_frame(records(problems), columns=tuple(f.name for f in dataclasses.fields(Problem)))
