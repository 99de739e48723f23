"""Array kernels shared by the world layers: symmetric CSR from edge lists, joining close nodes.

Everything here is arrays in, arrays out; nothing reads files. Coordinates are WGS84 degrees,
lengths km.
"""

from __future__ import annotations

import math

import numpy as np

from corridors.geo import EARTH_RADIUS_KM, haversine_km
from corridors.routing.fast._common import cheapest_arcs


def unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """(n, 3) points on the unit sphere for WGS84 degrees: chord distance ~ great-circle / R.

    >>> unit_vectors(np.array([0.0]), np.array([90.0])).round(6).tolist()
    [[0.0, 0.0, 1.0]]
    """
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def chord_km(chord: np.ndarray) -> np.ndarray:
    """Great-circle km of chord lengths between :func:`unit_vectors` points.

    >>> chord_km(np.array([0.0, 2.0])).round(1).tolist()
    [0.0, 20015.1]
    """
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.asarray(chord) / 2, 0, 1))


class SphereIndex:
    """Nearest of a fixed set of WGS84 points to query points, with great-circle km: a KD-tree
    on unit vectors (right at the poles and across the antimeridian), built once.

    >>> index = SphereIndex(np.array([0.0, 10.0]), np.array([0.0, 0.0]))
    >>> i, km = index.nearest(np.array([9.0, 50.0]), np.array([0.0, 0.0]))
    >>> i.tolist(), km.round(1).tolist()
    ([1, 1], [111.2, 4447.8])
    >>> i, km = index.nearest(np.array([9.0, 50.0]), np.array([0.0, 0.0]), radius_km=500)
    >>> i.tolist(), km.round(1).tolist()
    ([1, -1], [111.2, inf])
    """

    def __init__(self, lon: np.ndarray, lat: np.ndarray) -> None:
        from scipy.spatial import cKDTree

        self.size = len(lon)
        self.tree = cKDTree(unit_vectors(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)))

    def nearest(self, lon: np.ndarray, lat: np.ndarray, radius_km: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
        """Index of the nearest point to each query and its great-circle distance in km. With
        ``radius_km`` the search stops there (faster), and a query with no point that near gets
        index -1 and ``inf`` km, as every query does when the set is empty."""
        lon, lat = np.atleast_1d(np.asarray(lon, dtype=np.float64)), np.atleast_1d(np.asarray(lat, dtype=np.float64))
        if self.size == 0 or len(lon) == 0:
            return np.full(len(lon), -1, dtype=np.int64), np.full(len(lon), np.inf)
        bound = np.inf
        if np.isfinite(radius_km):  # the chord of that arc, a hair longer: the radius itself is inside
            bound = 2 * math.sin(min(max(radius_km, 0.0) / EARTH_RADIUS_KM, math.pi) / 2) * (1 + 1e-9) + 1e-12
        if len(lon) <= _FEW:  # a route's two ends: Python floats beat numpy's cost per call
            points = [_unit_vector(x, y) for x, y in zip(lon.tolist(), lat.tolist())]
            chord, idx = self.tree.query(points, distance_upper_bound=bound)
            km = [2 * EARTH_RADIUS_KM * math.asin(min(c / 2, 1.0)) for c in chord.tolist()]
            found = [d <= radius_km for d in km]
            return (np.asarray([i if f else -1 for i, f in zip(idx.tolist(), found)], dtype=np.int64),
                    np.asarray([d if f else np.inf for d, f in zip(km, found)]))
        chord, idx = self.tree.query(unit_vectors(lon, lat), distance_upper_bound=bound)
        km = chord_km(np.minimum(chord, 2.0))  # beyond the bound the tree answers inf
        found = km <= radius_km
        return np.where(found, idx, -1).astype(np.int64), np.where(found, km, np.inf)


_FEW = 8
"""Queries of up to this many points take :meth:`SphereIndex.nearest`'s scalar path."""


def _unit_vector(lon: float, lat: float) -> tuple[float, float, float]:
    """:func:`unit_vectors` of one point, on Python floats."""
    lo, la = math.radians(lon), math.radians(lat)
    return math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)


def fill_from_neighbours(codes: np.ndarray, tail: np.ndarray, head: np.ndarray) -> np.ndarray:
    """``codes`` with every -1 that edges join to a coded node replaced by the code of the coded
    node fewest edges away (ties to the lower code); -1 where none is joined. For land layers: a
    node the country polygons miss would otherwise let a line cross a border without a border edge.

    >>> fill_from_neighbours(np.array([0, -1, -1, 1, -1]), np.array([0, 1, 2]), np.array([1, 2, 3])).tolist()
    [0, 0, 1, 1, -1]
    """
    codes = np.array(codes, copy=True)
    tail, head = np.asarray(tail), np.asarray(head)
    ends, others = np.concatenate([tail, head]), np.concatenate([head, tail])
    while True:
        missing = codes[ends] < 0
        reach = missing & (codes[others] >= 0)
        if not reach.any():
            return codes
        nodes, values = ends[reach], codes[others[reach]]
        order = np.lexsort((values, nodes))  # per node, its lowest neighbouring code first
        nodes, values = nodes[order], values[order]
        first = np.ones(len(nodes), dtype=bool)
        first[1:] = nodes[1:] != nodes[:-1]
        codes[nodes[first]] = values[first]


def symmetric_csr(
    n_nodes: int, tail: np.ndarray, head: np.ndarray, length_km: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indptr int64, head int32, length_km float32) of an undirected graph stored both ways.

    Self-loops are dropped; of parallel edges between the same two nodes the shortest is kept.
    Rows are sorted by tail, then head.

    >>> ptr, h, km = symmetric_csr(3, np.array([0, 1, 2, 1]), np.array([1, 0, 2, 2]),
    ...                            np.array([5.0, 4.0, 0.0, 1.5]))
    >>> ptr.tolist(), h.tolist(), km.tolist()
    ([0, 1, 3, 4], [1, 0, 2, 1], [4.0, 4.0, 1.5, 1.5])
    """
    tail = np.asarray(tail, dtype=np.int64)
    head = np.asarray(head, dtype=np.int64)
    length = np.asarray(length_km, dtype=np.float64)
    keep = tail != head
    t = np.concatenate([tail[keep], head[keep]])
    h = np.concatenate([head[keep], tail[keep]])
    w = np.concatenate([length[keep], length[keep]])
    indptr, kept = cheapest_arcs(n_nodes, t, h, w)
    return indptr, h[kept].astype(np.int32), w[kept].astype(np.float32)


def close_pairs(lon: np.ndarray, lat: np.ndarray, radius_km: float) -> np.ndarray:
    """(k, 2) int64 index pairs ``i < j`` of nodes at most ``radius_km`` apart (great circle).

    Uses a KD-tree (scipy.spatial.cKDTree) on 3-D unit vectors, so it is correct at the poles
    and across the antimeridian.

    >>> close_pairs(np.array([179.9995, -179.9995, 10.0]), np.array([0.0, 0.0, 0.0]), 0.2).tolist()
    [[0, 1]]
    """
    from scipy.spatial import cKDTree

    chord = 2.0 * np.sin(radius_km / (2.0 * EARTH_RADIUS_KM))
    tree = cKDTree(unit_vectors(lon, lat))
    pairs = tree.query_pairs(chord, output_type="ndarray").astype(np.int64)
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    pairs.sort(axis=1)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


def join_close_nodes(
    lon: np.ndarray, lat: np.ndarray, tail: np.ndarray, head: np.ndarray, length_km: np.ndarray,
    *, radius_km: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Add an edge of the true (haversine) length between every two nodes within ``radius_km``
    that no edge joins yet; return the extended (tail, head, length_km) and how many were added.

    Nodes are kept, not merged: this repairs false breaks (line ends a few metres apart) without
    moving geometry, and a pair already joined keeps its own length.

    >>> t, h, km, n = join_close_nodes(np.array([0.0, 0.001, 1.0]), np.zeros(3), np.array([1]),
    ...                                np.array([2]), np.array([111.0]), radius_km=0.2)
    >>> n, t.tolist(), h.tolist(), km.round(3).tolist()
    (1, [1, 0], [2, 1], [111.0, 0.111])
    """
    pairs = close_pairs(lon, lat, radius_km)
    if len(pairs):
        n = len(lon)
        a, b = np.minimum(tail, head).astype(np.int64), np.maximum(tail, head).astype(np.int64)
        existing = np.unique(a * n + b)
        code = pairs[:, 0] * n + pairs[:, 1]
        pairs = pairs[~np.isin(code, existing)]
    i, j = pairs[:, 0], pairs[:, 1]
    extra_km = haversine_km(lon[i], lat[i], lon[j], lat[j])
    return (
        np.concatenate([np.asarray(tail, dtype=np.int64), i]),
        np.concatenate([np.asarray(head, dtype=np.int64), j]),
        np.concatenate([np.asarray(length_km, dtype=np.float64), extra_km]),
        len(pairs),
    )


def edge_midpoints(lon: np.ndarray, lat: np.ndarray, indptr: np.ndarray, head: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Great-circle midpoints (lon, lat in degrees) of every CSR edge; right across the
    antimeridian (the mean of the two unit vectors, not of the degrees).

    >>> lo, la = edge_midpoints(np.array([179.0, -179.0]), np.zeros(2), np.array([0, 1, 2]),
    ...                         np.array([1, 0]))
    >>> np.abs(lo).round(6).tolist(), la.round(6).tolist()
    ([180.0, 180.0], [0.0, 0.0])
    """
    tail = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    v = unit_vectors(lon, lat)
    m = v[tail] + v[head]
    return np.degrees(np.arctan2(m[:, 1], m[:, 0])), np.degrees(np.arctan2(m[:, 2], np.hypot(m[:, 0], m[:, 1])))


def country_codes(lon: np.ndarray, lat: np.ndarray, locator: object | None = None
                  ) -> tuple[np.ndarray, tuple[str, ...]]:
    """(int16 code per point, sorted ISO 3166-1 alpha-2 codes) with -1 at sea or unknown.

    ``locator`` has ``country_at(lon, lat) -> str | None``; by default
    :class:`corridors.geo.CountryLocator` (timezonefinder polygons, territorial waters included).
    """
    if locator is None:
        from corridors.geo import CountryLocator

        locator = CountryLocator()
    found = [locator.country_at(float(x), float(y)) for x, y in zip(lon, lat)]  # type: ignore[attr-defined]
    countries = tuple(sorted({c for c in found if c}))
    index = {c: i for i, c in enumerate(countries)}
    codes = np.fromiter((index[c] if c else -1 for c in found), dtype=np.int16, count=len(found))
    return codes, countries
