"""World layers built from tiny hand-made scgraph-like graphs (no big data loaded)."""

from __future__ import annotations

import sys
import textwrap

import numpy as np
import pytest

from corridors.geo import haversine_km
from corridors.world.graphs import SphereIndex, close_pairs, symmetric_csr
from corridors.world.layers import BaseLayer, layer_from_scgraph
from corridors.world.scgraph_source import _import_without_scgraph


class HalfLocator:
    """Fake country lookup: 'GE' east of 42 E, 'TR' west of it, None (sea) below 0 N."""

    def country_at(self, lon: float, lat: float) -> str | None:
        if lat < 0:
            return None
        return "GE" if lon >= 42 else "TR"


# [lat, lon]: 0-1 a line, 2 starts 0.11 km east of 1 (a false break), 3 is 0.33 km from 2
# (too far to join), 4 is far south (sea for the fake locator)
NODES = [[41.70, 41.90], [41.70, 42.00], [41.70, 42.0013], [41.70, 42.0053], [-10.0, 42.5]]
GRAPH = [
    {0: 0.0, 1: 8.3},
    {1: 0.0, 0: 8.3},
    {2: 0.0, 3: 0.5},
    {2: 0.5},
    {4: 0.0},
]


def edges(layer: BaseLayer) -> dict[tuple[int, int], float]:
    tail = layer.tail()
    return {(int(u), int(v)): float(w) for u, v, w in zip(tail, layer.head, layer.length_km)}


@pytest.fixture(scope="module")
def layer() -> BaseLayer:
    return layer_from_scgraph("rail", GRAPH, NODES, join_km=0.2, source="test", locator=HalfLocator())


def test_nodes_keep_order_and_coordinates(layer: BaseLayer) -> None:
    assert layer.n_nodes == 5
    assert layer.lon.dtype == np.float64 and layer.lat.dtype == np.float64
    np.testing.assert_array_equal(layer.lon, [41.90, 42.00, 42.0013, 42.0053, 42.5])
    np.testing.assert_array_equal(layer.lat, [41.70, 41.70, 41.70, 41.70, -10.0])


def test_close_nodes_joined_with_true_length_and_far_ones_not(layer: BaseLayer) -> None:
    e = edges(layer)
    gap_km = float(haversine_km(42.00, 41.70, 42.0013, 41.70))
    assert 0.1 < gap_km < 0.2
    assert e[(1, 2)] == pytest.approx(gap_km, rel=1e-6)
    assert (2, 3) in e and e[(2, 3)] == pytest.approx(0.5)  # an original edge keeps its length
    assert float(haversine_km(42.0013, 41.70, 42.0053, 41.70)) > 0.2
    assert (1, 3) not in e
    assert layer.build_info["join_edges_added"] == 1
    assert layer.build_info["edges_before_join"] == 2
    assert layer.build_info["edges"] == 3


def test_self_loops_dropped(layer: BaseLayer) -> None:
    assert not np.any(layer.tail() == layer.head)
    assert layer.build_info["self_loops_dropped"] == 4
    assert np.diff(layer.indptr)[4] == 0  # node 4 only had its self-loop


def test_csr_is_symmetric_sorted_and_typed(layer: BaseLayer) -> None:
    assert layer.indptr.dtype == np.int64 and layer.head.dtype == np.int32
    assert layer.length_km.dtype == np.float32
    e = edges(layer)
    assert all(e[(v, u)] == w for (u, v), w in e.items())
    assert layer.n_edges == 2 * layer.build_info["edges"]
    for u in range(layer.n_nodes):
        row = layer.head[layer.indptr[u]:layer.indptr[u + 1]]
        assert np.all(np.diff(row) > 0)


def test_country_codes(layer: BaseLayer) -> None:
    assert layer.countries == ("GE", "TR")
    assert [layer.countries[c] if c >= 0 else None for c in layer.country] == ["TR", "GE", "GE", "GE", None]
    assert layer.country.dtype == np.int16
    assert layer.build_info["nodes_with_country"] == 4


def test_arrays_are_read_only(layer: BaseLayer) -> None:
    with pytest.raises(ValueError):
        layer.head[0] = 3


def test_real_country_locator_on_a_few_points() -> None:
    # Tbilisi, Poti (GE), Baku (AZ), the middle of the Black Sea (none)
    nodes = [[41.716, 44.783], [42.146, 41.672], [40.409, 49.867], [43.0, 34.0]]
    layer = layer_from_scgraph("road", [{}, {}, {}, {}], nodes, source="test")
    assert [layer.countries[c] if c >= 0 else None for c in layer.country] == ["GE", "GE", "AZ", None]


def test_parallel_edges_keep_the_shortest() -> None:
    indptr, head, km = symmetric_csr(2, np.array([0, 1, 0]), np.array([1, 0, 1]), np.array([3.0, 2.0, 5.0]))
    assert indptr.tolist() == [0, 1, 2] and head.tolist() == [1, 0] and km.tolist() == [2.0, 2.0]


def test_close_pairs_across_the_antimeridian_and_at_the_radius() -> None:
    lon = np.array([179.9999, -179.9999, 0.0, 0.0017])
    lat = np.array([10.0, 10.0, 0.0, 0.0])  # 2-3 are 0.189 km apart
    assert close_pairs(lon, lat, 0.2).tolist() == [[0, 1], [2, 3]]
    assert close_pairs(lon, lat, 0.15).tolist() == [[0, 1]]


def test_scgraph_stand_in_imports_data_module_and_cleans_up(tmp_path, monkeypatch) -> None:
    package = tmp_path / "fake_scgraph_data"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tiny.py").write_text(textwrap.dedent("""
        from scgraph.core import GeoGraph
        graph=[{0: 0.0, 1: 1.5}, {0: 1.5}]
        nodes=[[41.0, 44.0], [41.0, 44.02]]
        tiny_geograph = GeoGraph(graph=graph, nodes=nodes)
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    before = sys.modules.get("scgraph.core")
    module = _import_without_scgraph("fake_scgraph_data.tiny")
    assert module.tiny_geograph.graph == [{0: 0.0, 1: 1.5}, {0: 1.5}]
    assert sys.modules.get("scgraph.core") is before
    assert "fake_scgraph_data.tiny" not in sys.modules
    assert not hasattr(sys.modules["fake_scgraph_data"], "tiny")


@pytest.mark.parametrize("radius_km", [np.inf, 300.0, 0.0])
def test_nearest_is_the_brute_force_nearest_for_few_points_and_many(radius_km: float) -> None:
    """A few query points (the scalar path) and many (the array path) both give the point of least
    haversine distance, with that distance, and -1 beyond the radius; poles and the antimeridian
    included."""
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(-180, 180, 500), rng.uniform(-90, 90, 500)
    lon[:2], lat[:2] = [179.9, 0.0], [0.0, 90.0]
    index = SphereIndex(lon, lat)
    q_lon = np.concatenate([[-179.95, 10.0, lon[7]], rng.uniform(-180, 180, 40)])
    q_lat = np.concatenate([[0.0, 89.9, lat[7]], rng.uniform(-90, 90, 40)])
    km = haversine_km(q_lon[:, None], q_lat[:, None], lon[None, :], lat[None, :])
    want = np.where(km.min(axis=1) <= radius_km, km.argmin(axis=1), -1)
    for n in (3, len(q_lon)):  # the first three alone take the scalar path
        got, got_km = index.nearest(q_lon[:n], q_lat[:n], radius_km)
        assert got.tolist() == want[:n].tolist()
        found = got >= 0
        assert np.allclose(got_km[found], km.min(axis=1)[:n][found], rtol=1e-6, atol=1e-6)
        assert np.all(np.isinf(got_km[~found]))
