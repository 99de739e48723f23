"""The real world rail layer (scgraph-data world_railways): size and a Tbilisi-Poti route."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra


def nearest(layer, lon: float, lat: float) -> int:
    from corridors.geo import haversine_km

    return int(np.argmin(haversine_km(layer.lon, layer.lat, lon, lat)))


@pytest.mark.slow
def test_world_rail_tbilisi_poti(tmp_path) -> None:
    pytest.importorskip("scgraph_data")
    from corridors.world import load_rail

    layer = load_rail(cache_dir=tmp_path)  # built (about 3 s), then cached
    assert 270_000 < layer.n_nodes < 280_000
    assert layer.build_info["join_edges_added"] > 0
    assert layer.build_info["nodes_with_country"] > 0.95 * layer.n_nodes
    tbilisi, poti = nearest(layer, 44.799, 41.721), nearest(layer, 41.672, 42.150)
    assert layer.countries[layer.country[tbilisi]] == "GE" and layer.countries[layer.country[poti]] == "GE"
    km = dijkstra(layer.to_scipy(), indices=tbilisi)[poti]
    assert 270 < km < 340, km  # the Georgian Railway main line, about 300 km by rail

    again = load_rail(cache_dir=tmp_path)  # from the cache: same arrays, memory-mapped
    assert isinstance(again.head, np.memmap)
    assert np.array_equal(again.indptr, layer.indptr) and again.countries == layer.countries
