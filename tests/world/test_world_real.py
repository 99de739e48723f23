"""The full world graph (OSM rail and road, marnet sea, the atlas): real queries, and the fast
router against plain Dijkstra on sampled world queries. Slow: builds or loads the cached layers
and preprocessing (about a minute the first time on a machine, seconds afterwards)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from corridors.world import WorldOptions, load_world
from tests.world.oracle import min_csr

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def router():
    return load_world()


def test_asia_europe_by_sea_and_when_the_red_sea_closes(router):
    sea = frozenset({"sea"})
    suez = router.route("Shanghai", "Rotterdam", WorldOptions(objective="distance", modes=sea))
    assert {"suez", "bab_el_mandeb"} & {c for leg in suez.legs for c in leg.corridors} or "EG" in {
        c for leg in suez.legs for c in leg.countries}
    assert 18_000 < suez.distance_km < 21_000  # about 10,600 nautical miles via Suez
    closed = router.route("Shanghai", "Rotterdam", WorldOptions(
        objective="distance", modes=sea, closed_chokepoints=frozenset({"suez", "bab_el_mandeb", "red_sea", "bering_arctic"})))
    assert "EG" not in {c for leg in closed.legs for c in leg.countries}
    assert closed.distance_km > suez.distance_km + 3_000  # round the Cape or through Panama


def test_any_pair_of_coordinates(router):
    chongqing_istanbul = router.route("29.56,106.55", "Istanbul", WorldOptions(objective="time"))
    assert chongqing_istanbul.snaps_km[0] < 10
    assert 6_000 < chongqing_istanbul.distance_km < 20_000
    modes = router.world.atlas.parameters.modes  # a world leg runs at its mode's speed (parameters.yaml)
    for leg in chongqing_istanbul.legs:
        if not leg.link_ids:
            assert leg.time_h == pytest.approx(leg.distance_km / modes[leg.mode].speed_kmh, rel=1e-5)
    # the route's hours, rebuilt leg by leg from the data, against the router's least time
    assert chongqing_istanbul.time_h == pytest.approx(chongqing_istanbul.objective_value, rel=1e-6, abs=0.05)


def test_sampled_world_queries_agree_with_plain_dijkstra(router):
    world = router.world
    options = WorldOptions(objective="time")
    weights = np.round(router.weights(options) / 1e-3) * 1e-3  # the router's stated resolution
    ok = np.isfinite(weights)
    graph = min_csr(world.tail[ok], world.head[ok], weights[ok], world.n_nodes)
    rng = np.random.default_rng(3)
    sources = rng.choice(world.n_nodes, 3, replace=False)
    targets = rng.choice(world.n_nodes, 40, replace=False)
    expected = dijkstra(graph, directed=True, indices=sources)[:, targets]
    got = router.query(options).solver.metric.matrix(sources, targets)
    reachable = np.isfinite(expected)
    assert reachable.any()
    assert np.array_equal(np.isfinite(got), reachable)
    assert np.allclose(got[reachable], expected[reachable], rtol=0, atol=1e-6)
