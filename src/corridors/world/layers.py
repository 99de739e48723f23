"""World base layers (rail, road, sea) as compact CSR arrays, built from packaged open data.

- rail, road: scgraph-data's OpenStreetMap-derived ``world_railways`` / ``world_highways``
  (ODbL, "(c) OpenStreetMap contributors"). Node pairs closer than ``JOIN_KM`` are joined by an
  edge of their true length, which repairs the ~0.1 km false breaks of those graphs.
- sea: Eurostat's marnet as shipped by searoute, a graph of its LineString vertices, with edges
  tagged by the chokepoints of ``data/world/chokepoints.yaml``.

Every node gets its country from :class:`corridors.geo.CountryLocator` (OSM time-zone polygons,
territorial waters included; -1 at sea or unknown). The ``load_*`` functions go through
:func:`cached_layer`, a layer's entry in the disk cache of :mod:`corridors.io.disk_cache`; the
``build_*`` functions always build.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import numpy as np

from corridors.io.disk_cache import cache_root, cached
from corridors.world.chokepoints import Chokepoint, load_chokepoints, tag_edges
from corridors.world.graphs import country_codes, join_close_nodes, symmetric_csr
from corridors.world.marnet import MARNET_FILE, marnet_arrays, searoute_data_path
from corridors.world.scgraph_source import graph_arrays, package_version, read_scgraph_data

log = logging.getLogger(__name__)

LayerMode = Literal["rail", "road", "sea"]
JOIN_KM = 0.2
"""Node pairs of the rail and road graphs closer than this (km) are joined by an edge."""
OSM_LICENCE = "ODbL-1.0 (c) OpenStreetMap contributors, via scgraph-data (code MIT)"
MARNET_LICENCE = ("Eurostat marnet (GISCO), reuse with acknowledgement of the source per Eurostat's copyright "
                  "notice; shipped by searoute (Apache-2.0)")
_ARRAYS = ("lon", "lat", "country", "indptr", "head", "length_km", "chokepoint")


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class BaseLayer:
    """One world layer as arrays (read-only, possibly memory-mapped from the cache).

    Nodes: ``lon``, ``lat`` (float64, WGS84 degrees) and ``country`` (int16 index into
    ``countries``, ISO 3166-1 alpha-2 codes; -1 at sea or unknown). Edges, as CSR sorted by tail
    then head: ``indptr`` (int64, n_nodes + 1), ``head`` (int32) and ``length_km`` (float32);
    undirected graphs are stored both ways, self-loops dropped. ``chokepoint`` (sea only, int16
    index into ``chokepoints``; -1 for none) tags edges. ``build_info`` holds the counts measured
    while building (nodes, edges before and after joining, ...).
    """

    mode: LayerMode
    lon: np.ndarray
    lat: np.ndarray
    country: np.ndarray
    countries: tuple[str, ...]
    indptr: np.ndarray
    head: np.ndarray
    length_km: np.ndarray
    source: str
    licence: str
    chokepoint: np.ndarray | None = None
    chokepoints: tuple[str, ...] = ()
    build_info: Mapping[str, Any] = field(default_factory=dict)

    @property
    def n_nodes(self) -> int:
        return len(self.lon)

    @property
    def n_edges(self) -> int:
        """Directed edges (twice the undirected count)."""
        return len(self.head)

    def tail(self) -> np.ndarray:
        """int32 tail node of every edge (expanded from ``indptr``)."""
        return np.repeat(np.arange(self.n_nodes, dtype=np.int32), np.diff(self.indptr))

    def to_scipy(self, *, min_km: float = 1e-6) -> Any:
        """A ``scipy.sparse.csr_array`` of lengths (km), for ``scipy.sparse.csgraph``; 0-km edges
        get ``min_km`` so that csgraph does not read them as missing."""
        from scipy.sparse import csr_array

        data = np.maximum(np.asarray(self.length_km, dtype=np.float64), min_km)
        return csr_array((data, np.asarray(self.head), np.asarray(self.indptr)), shape=(self.n_nodes, self.n_nodes))

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays by name (``chokepoint`` only where present)."""
        out = {name: getattr(self, name) for name in _ARRAYS}
        return {k: v for k, v in out.items() if v is not None}

    def meta(self) -> dict[str, Any]:
        """Everything but the arrays, JSON-serialisable."""
        return {"mode": self.mode, "countries": list(self.countries), "chokepoints": list(self.chokepoints),
                "source": self.source, "licence": self.licence, "build_info": dict(self.build_info)}

    @classmethod
    def from_parts(cls, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> BaseLayer:
        """Inverse of :meth:`arrays` and :meth:`meta`."""
        return cls(
            mode=meta["mode"], countries=tuple(meta["countries"]), chokepoints=tuple(meta["chokepoints"]),
            source=meta["source"], licence=meta["licence"], build_info=dict(meta.get("build_info", {})),
            chokepoint=arrays.get("chokepoint"), **{k: arrays[k] for k in _ARRAYS if k != "chokepoint"},
        )


def layer_from_edges(
    mode: LayerMode, lon: np.ndarray, lat: np.ndarray, tail: np.ndarray, head: np.ndarray,
    length_km: np.ndarray, *, join_km: float | None, source: str, licence: str,
    locator: object | None = None, chokepoints: Sequence[Chokepoint] = (),
) -> BaseLayer:
    """Build a :class:`BaseLayer` from an edge list (either or both directions, self-loops
    allowed): join nodes closer than ``join_km`` (None: no joining), store the symmetric CSR,
    look up countries with ``locator`` and tag edges by ``chokepoints``."""
    info: dict[str, Any] = {"nodes": int(len(lon)), "input_edge_entries": int(len(tail)),
                            "self_loops_dropped": int(np.count_nonzero(tail == head))}
    indptr0, _, _ = symmetric_csr(len(lon), tail, head, length_km)
    info["edges_before_join"] = int(indptr0[-1] // 2)
    if join_km:
        tail, head, length_km, added = join_close_nodes(lon, lat, tail, head, length_km, radius_km=join_km)
        info["join_km"], info["join_edges_added"] = join_km, int(added)
    indptr, head32, length32 = symmetric_csr(len(lon), tail, head, length_km)
    info["edges"] = int(indptr[-1] // 2)
    country, countries = country_codes(lon, lat, locator)
    info["nodes_with_country"] = int(np.count_nonzero(country >= 0))
    tags = None
    if chokepoints:
        tags = tag_edges(lon, lat, indptr, head32, chokepoints)
        counts = np.bincount(tags[tags >= 0], minlength=len(chokepoints))
        info["chokepoint_edges"] = {c.id: int(n // 2) for c, n in zip(chokepoints, counts)}
    return BaseLayer(
        mode=mode, lon=_readonly(np.ascontiguousarray(lon, dtype=np.float64)),
        lat=_readonly(np.ascontiguousarray(lat, dtype=np.float64)), country=_readonly(country),
        countries=countries, indptr=_readonly(indptr), head=_readonly(head32), length_km=_readonly(length32),
        source=source, licence=licence, chokepoint=None if tags is None else _readonly(tags),
        chokepoints=tuple(c.id for c in chokepoints), build_info=info,
    )


def layer_from_scgraph(mode: LayerMode, graph: list[dict[int, float]], nodes: list[list[float]], *,
                       join_km: float | None = JOIN_KM, source: str, locator: object | None = None) -> BaseLayer:
    """A rail or road layer from an scgraph-style ``graph`` (per node ``{neighbour: km}``) and
    ``nodes`` (``[lat, lon]``)."""
    lon, lat, tail, head, length = graph_arrays(graph, nodes)
    return layer_from_edges(mode, lon, lat, tail, head, length, join_km=join_km, source=source,
                            licence=OSM_LICENCE, locator=locator)


def layer_from_marnet(collection: dict[str, Any], *, chokepoints: Sequence[Chokepoint] = (),
                      locator: object | None = None, source: str = "marnet") -> BaseLayer:
    """A sea layer from a marnet-like GeoJSON FeatureCollection of (Multi)LineStrings."""
    lon, lat, tail, head, length = marnet_arrays(collection)
    return layer_from_edges("sea", lon, lat, tail, head, length, join_km=None, source=source,
                            licence=MARNET_LICENCE, locator=locator, chokepoints=chokepoints)


def _build_osm(mode: LayerMode, name: str, join_km: float) -> BaseLayer:
    lon, lat, tail, head, length = read_scgraph_data(name)
    source = f"scgraph-data {package_version('scgraph-data')} {name} (OpenStreetMap)"
    return layer_from_edges(mode, lon, lat, tail, head, length, join_km=join_km, source=source, licence=OSM_LICENCE)


def build_rail(*, join_km: float = JOIN_KM) -> BaseLayer:
    """The world rail layer from scgraph-data ``world_railways`` (about 275k nodes; 3-5 s)."""
    return _build_osm("rail", "world_railways", join_km)


def build_road(*, join_km: float = JOIN_KM) -> BaseLayer:
    """The world road layer from scgraph-data ``world_highways`` (about 560k nodes; 6-10 s)."""
    return _build_osm("road", "world_highways", join_km)


def build_sea(*, chokepoints_path: Path | None = None) -> BaseLayer:
    """The world sea layer from searoute's marnet, tagged with the chokepoints (about 0.5 s)."""
    with open(searoute_data_path(MARNET_FILE), encoding="utf-8") as f:
        collection = json.load(f)
    return layer_from_marnet(collection, chokepoints=load_chokepoints(chokepoints_path),
                             source=f"searoute {package_version('searoute')} marnet_searoute.geojson (Eurostat marnet)")


def _data_sha(resource: str) -> str:
    return hashlib.sha256(files("corridors.data").joinpath(resource).read_bytes()).hexdigest()[:16]


def _key(**parts: object) -> dict[str, str]:
    base = {"timezonefinder-data": package_version("timezonefinder-data"),
            "zone_country.csv": _data_sha("geo/zone_country.csv")}
    return {**base, **{k: str(v) for k, v in parts.items()}}


def _encode(layer: BaseLayer) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    return layer.arrays(), layer.meta()


def cached_layer(name: str, build: Callable[[], BaseLayer], *, key: Mapping[str, object] | None = None,
                 cache_dir: Path | str | None = None) -> BaseLayer:
    """The layer ``name`` from the disk cache if present, current and intact; else ``build()``, cached.

    Parameters
    ----------
    name
        File stem in the cache's ``world/`` folder, e.g. ``"rail"`` (``rail.npz`` and ``rail.json``).
    build
        Builds the layer when the cache cannot be used.
    key
        What the layer depends on besides the corridors version and cache format (source package
        versions, build parameters, data file hashes); any change rebuilds.
    cache_dir
        The cache folder (else ``$CORRIDORS_CACHE``, else ``~/.cache/corridors``).

    Returns
    -------
    BaseLayer
        With memory-mapped read-only arrays when read from the cache. If the cache cannot be
        written (read-only folder, full disk) the freshly built layer is returned and a warning
        logged.
    """
    return cached(cache_root(cache_dir) / "world", name, build, key=key, encode=_encode, decode=BaseLayer.from_parts)


def _load(name: str, build: Callable[[], BaseLayer], key: dict[str, str], cache_dir: Path | str | None,
          use_cache: bool) -> BaseLayer:
    return cached_layer(name, build, key=key, cache_dir=cache_dir) if use_cache else build()


def load_rail(*, cache_dir: Path | str | None = None, use_cache: bool = True) -> BaseLayer:
    """The world rail layer, from the disk cache when it is there and valid, else built
    (:func:`build_rail`) and cached."""
    key = _key(**{"scgraph-data": package_version("scgraph-data"), "join_km": JOIN_KM})
    return _load("rail", build_rail, key, cache_dir, use_cache)


def load_road(*, cache_dir: Path | str | None = None, use_cache: bool = True) -> BaseLayer:
    """The world road layer, from the disk cache when valid, else built (:func:`build_road`)."""
    key = _key(**{"scgraph-data": package_version("scgraph-data"), "join_km": JOIN_KM})
    return _load("road", build_road, key, cache_dir, use_cache)


def load_sea(*, cache_dir: Path | str | None = None, use_cache: bool = True) -> BaseLayer:
    """The world sea layer, from the disk cache when valid, else built (:func:`build_sea`)."""
    key = _key(searoute=package_version("searoute"), chokepoints=_data_sha("world/chokepoints.yaml"))
    return _load("sea", build_sea, key, cache_dir, use_cache)
