"""Read scgraph-data's OpenStreetMap-derived graphs without scgraph.

scgraph-data 2.0 (PyPI; code MIT, data ODbL, "(c) OpenStreetMap contributors") ships each graph
as a Python module: ``graph`` (a list, per node, of ``{neighbour: km}``, undirected, with a 0-km
self-loop per node) and ``nodes`` (a list of ``[lat, lon]`` in degrees, 3 decimals). Its last
line builds ``scgraph.core.GeoGraph(graph=..., nodes=...)``; scgraph 3.x has no ``scgraph.core``,
so a stand-in module is put into ``sys.modules`` for the duration of the import only, and the
imported module is dropped again so its lists are freed once converted to arrays.
"""

from __future__ import annotations

import importlib
import sys
import types
from itertools import chain
from typing import Any

import numpy as np

EXTRA_HINT = "install the world extra: pip install 'corridors[world]' (needs scgraph-data)"


class _GeoGraphStandIn:
    """What scgraph-data's modules build at import: keeps ``graph`` and ``nodes`` as given."""

    def __init__(self, graph: list[dict[int, float]], nodes: list[list[float]], **_: Any) -> None:
        self.graph = graph
        self.nodes = nodes


def _import_without_scgraph(module_name: str) -> types.ModuleType:
    stand_in = types.ModuleType("scgraph.core")
    stand_in.GeoGraph = _GeoGraphStandIn  # type: ignore[attr-defined]
    saved = sys.modules.get("scgraph.core")
    sys.modules["scgraph.core"] = stand_in
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and error.name.startswith("scgraph_data"):
            raise ImportError(f"{module_name} is missing: {EXTRA_HINT}") from error
        raise
    finally:
        if saved is None:
            sys.modules.pop("scgraph.core", None)
        else:
            sys.modules["scgraph.core"] = saved
        sys.modules.pop(module_name, None)
        parent, _, child = module_name.rpartition(".")
        if parent in sys.modules and hasattr(sys.modules[parent], child):
            delattr(sys.modules[parent], child)  # else the package keeps the big lists alive


def graph_arrays(graph: list[dict[int, float]], nodes: list[list[float]]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lon, lat, tail, head, length_km) of an scgraph-style adjacency list, every entry as
    given (self-loops and both directions included).

    >>> lon, lat, t, h, km = graph_arrays([{0: 0.0, 1: 2.5}, {0: 2.5}], [[41.7, 44.8], [42.1, 41.7]])
    >>> lon.tolist(), t.tolist(), h.tolist(), km.tolist()
    ([44.8, 41.7], [0, 0, 1], [0, 1, 0], [0.0, 2.5, 2.5])
    """
    counts = np.fromiter((len(d) for d in graph), dtype=np.int64, count=len(graph))
    total = int(counts.sum())
    tail = np.repeat(np.arange(len(graph), dtype=np.int64), counts)
    head = np.fromiter(chain.from_iterable(graph), dtype=np.int64, count=total)
    length = np.fromiter(chain.from_iterable(d.values() for d in graph), dtype=np.float64, count=total)
    latlon = np.asarray(nodes, dtype=np.float64).reshape(-1, 2)
    return latlon[:, 1].copy(), latlon[:, 0].copy(), tail, head, length


def read_scgraph_data(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lon, lat, tail, head, length_km) of scgraph-data's graph ``name`` (``world_railways``,
    ``world_highways``, ...). Takes 1-3 s and, transiently, 0.5-1 GB for the Python lists."""
    module = _import_without_scgraph(f"scgraph_data.{name}")
    return graph_arrays(module.graph, module.nodes)


def package_version(distribution: str) -> str:
    """Installed version of ``distribution``, or ``"absent"``."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "absent"
