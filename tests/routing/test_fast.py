"""The fast routers against an independent all-pairs oracle (Floyd-Warshall on the arc list)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridors.errors import InvalidOptionError
from corridors.routing.fast import CCHRouter, ScipyRouter, build_router, has_cch
from corridors.routing.fast import cch as cch_module

ENGINES = ["scipy", pytest.param("cch", marks=pytest.mark.skipif(not has_cch(), reason="pyroutingkit missing"))]


def floyd_warshall(n: int, tail: np.ndarray, head: np.ndarray, w: np.ndarray) -> np.ndarray:
    d = np.full((n, n), np.inf)
    np.fill_diagonal(d, 0.0)
    np.minimum.at(d, (tail, head), w)
    for k in range(n):
        d = np.minimum(d, d[:, k, None] + d[None, k, :])
    return d


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Random directed multigraphs: parallel arcs, self-loops, zero weights and closed arcs."""
    n = draw(st.integers(1, 12))
    m = draw(st.integers(0, 40))
    node = st.integers(0, n - 1)
    tail = np.array(draw(st.lists(node, min_size=m, max_size=m)), dtype=np.int64)
    head = np.array(draw(st.lists(node, min_size=m, max_size=m)), dtype=np.int64)
    weight = st.one_of(st.integers(0, 1000).map(float), st.just(np.inf))
    w = np.array(draw(st.lists(weight, min_size=m, max_size=m)), dtype=float)
    return n, tail, head, w


def check_path(n_tail: np.ndarray, n_head: np.ndarray, w: np.ndarray, s: int, t: int, d: float, arcs: np.ndarray) -> None:
    """The arcs chain from s to t and their weights add up to d (recomputed independently)."""
    if not np.isfinite(d):
        assert len(arcs) == 0
        return
    nodes = [s, *n_head[arcs].tolist()]
    assert n_tail[arcs].tolist() == nodes[:-1]
    assert nodes[-1] == t
    assert float(w[arcs].sum()) == d


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=150, deadline=None)
@given(g=graphs())
def test_router_matches_oracle(engine: str, g: tuple[int, np.ndarray, np.ndarray, np.ndarray]) -> None:
    n, tail, head, w = g
    router = build_router(n, tail, head, engine=engine, resolution=1.0)  # type: ignore[arg-type]
    router.customize(w)
    oracle = floyd_warshall(n, tail, head, w)
    nodes = np.arange(n)
    assert np.array_equal(router.matrix(nodes, nodes), oracle)
    for s in range(n):
        for t in range(n):
            d, arcs = router.path(s, t)
            assert d == oracle[s, t] == router.distance(s, t)
            check_path(tail, head, w, s, t, d, arcs)


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=60, deadline=None)
@given(g=graphs(), data=st.data())
def test_update_equals_full_customize(engine: str, g: tuple[int, np.ndarray, np.ndarray, np.ndarray], data: st.DataObject) -> None:
    """Closing and re-costing a few arcs answers as if customised from scratch."""
    n, tail, head, w = g
    router = build_router(n, tail, head, engine=engine, resolution=1.0)  # type: ignore[arg-type]
    router.customize(w)
    if len(w):
        arcs = np.array(data.draw(st.lists(st.integers(0, len(w) - 1), min_size=1, max_size=5, unique=True)))
        new = np.array(data.draw(st.lists(st.sampled_from([0.0, 7.0, 500.0, np.inf]), min_size=len(arcs), max_size=len(arcs))))
        router.update(arcs, new)
        w = w.copy()
        w[arcs] = new
    nodes = np.arange(n)
    assert np.array_equal(router.matrix(nodes, nodes), floyd_warshall(n, tail, head, w))


@pytest.mark.parametrize("engine", ENGINES)
def test_resolution_rounds_weights(engine: str) -> None:
    """km weights at 1e-3 resolution: exact sums of whole metres, the same for both engines."""
    router = build_router(3, np.array([0, 1]), np.array([1, 2]), engine=engine)  # type: ignore[arg-type]
    router.customize(np.array([1.2344, 0.0004]))
    assert router.distance(0, 2) == pytest.approx(1.234, abs=1e-12)
    assert router.path(2, 0) == (float("inf"), pytest.approx(np.empty(0)))
    assert len(router.path(2, 0)[1]) == 0
    reference = ScipyRouter.build(3, np.array([0, 1]), np.array([1, 2]))  # the same answer, bit for bit
    reference.customize(np.array([1.2344, 0.0004]))
    assert router.distance(0, 2) == reference.distance(0, 2) and router.distance(0, 1) == reference.distance(0, 1)
    # the hand values, for either engine: 1,234.4 m rounds to 1,234 m and 0.4 m to 0 on the 1 m grid
    assert router.distance(0, 1) == pytest.approx(1.234, abs=1e-12) and router.distance(1, 2) == 0.0


@pytest.mark.skipif(not has_cch(), reason="pyroutingkit missing")
def test_cch_raises_rather_than_answer_inf_past_its_integer_range() -> None:
    """Both ways along 0-1-2-3; 2-3 closed. 0->2 is 4e9 units, past INF_WEIGHT (2**31 - 1)."""
    router = CCHRouter.build(4, np.array([0, 1, 1, 2, 2, 3]), np.array([1, 0, 2, 1, 3, 2]), resolution=1.0)
    with pytest.raises(InvalidOptionError, match="coarser"):
        router.customize(np.array([3.0e9, 1.0, 1.0, 1.0, 1.0, 1.0]))
    router.customize(np.array([2.0e9, 2.0e9, 2.0e9, 2.0e9, np.inf, np.inf]))
    assert router.distance(0, 1) == 2.0e9
    assert router.distance(2, 3) == np.inf  # closed: truly unreachable
    with pytest.raises(InvalidOptionError, match="coarser resolution"):
        router.distance(0, 2)
    with pytest.raises(InvalidOptionError, match="coarser resolution"):
        router.matrix(np.array([0]), np.array([1, 2]))
    router.customize(np.array([1.0, 1.0, np.inf, np.inf, np.inf, np.inf]))  # small again; 1-2 closed
    assert router.distance(0, 1) == 1.0 and router.distance(0, 2) == np.inf  # unreachable, not "past the range"


def test_cch_missing_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cch_module, "pyroutingkit", None)
    with pytest.raises(ImportError, match=r"corridors\[world\]"):
        build_router(2, np.array([0]), np.array([1]), engine="cch")
    assert isinstance(build_router(2, np.array([0]), np.array([1])), ScipyRouter)


def test_bad_input_is_rejected() -> None:
    with pytest.raises(InvalidOptionError, match="engine"):
        build_router(2, np.array([0]), np.array([1]), engine="fast")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="outside"):
        ScipyRouter.build(2, np.array([0]), np.array([2]))
    router = ScipyRouter.build(2, np.array([0]), np.array([1]))
    with pytest.raises(InvalidOptionError, match="customize"):
        router.distance(0, 1)
    with pytest.raises(InvalidOptionError, match=">= 0"):
        router.customize(np.array([-1.0]))


def subdivided_grid(side: int, seed: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A side x side grid whose edges are drawn as chains of 0-6 shape nodes, like OSM lines;
    some chains one-way, some arcs closed. Integer weights: (n, tail, head, w, lat, lon)."""
    rng = np.random.default_rng(seed)
    lat, lon = [float(i // side) for i in range(side * side)], [float(i % side) for i in range(side * side)]
    tail: list[int] = []
    head: list[int] = []
    for a in range(side * side):
        for b in (a + 1, a + side):
            if (b == a + 1 and b % side == 0) or b >= side * side:
                continue
            nodes = [a]
            for k in range(int(rng.integers(0, 7))):
                nodes.append(len(lat))
                lat.append(lat[a] + (lat[b] - lat[a]) * (k + 1) / 8)
                lon.append(lon[a] + (lon[b] - lon[a]) * (k + 1) / 8)
            nodes.append(b)
            one_way = rng.random() < 0.1
            for x, y in zip(nodes[:-1], nodes[1:]):
                tail.append(x)
                head.append(y)
                if not one_way:
                    tail.append(y)
                    head.append(x)
    w = rng.integers(1, 50, len(tail)).astype(float)
    w[rng.random(len(w)) < 0.02] = np.inf
    return len(lat), np.array(tail), np.array(head), w, np.array(lat), np.array(lon)


@pytest.mark.skipif(not has_cch(), reason="pyroutingkit missing")
@pytest.mark.parametrize("workers", [1, 3])
def test_cch_on_chained_grid_equals_dijkstra(workers: int) -> None:
    """Paths and matrices on a graph made mostly of chains, one metric or several, against
    scipy Dijkstra on the cheapest open arc per node pair."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    n, tail, head, w, lat, lon = subdivided_grid(20, seed=2)
    router = CCHRouter.build(n, tail, head, latitude=lat, longitude=lon, resolution=1.0, workers=workers)
    router.customize(w)
    router.settle()  # the matrix is then split across all the metrics
    ok = np.isfinite(w)
    order = np.lexsort((-w[ok], head[ok], tail[ok]))  # the last write per pair is the cheapest
    dense = np.full((n, n), 0.0)
    dense[tail[ok][order], head[ok][order]] = w[ok][order]
    graph = csr_matrix(dense)
    rng = np.random.default_rng(3)
    sources, targets = rng.choice(n, 40, replace=False), rng.choice(n, 30, replace=False)
    want = dijkstra(graph, indices=sources)[:, targets]
    assert np.array_equal(router.matrix(sources, targets), want)
    for s, t in zip(sources[:20].tolist(), targets[:20].tolist()):
        d, arcs = router.path(s, t)
        assert d == want[sources.tolist().index(s), targets.tolist().index(t)]
        check_path(tail, head, w, s, t, d, arcs)


@pytest.mark.skipif(not has_cch(), reason="pyroutingkit missing")
def test_a_helper_metric_that_fails_is_left_out_then_customised_in_full() -> None:
    """A background metric whose customisation raised must not answer matrices on stale weights:
    it is left out, its error comes out of settle(), and the next update customises it in full."""
    n, tail, head, w, lat, lon = subdivided_grid(6, seed=4)
    router = CCHRouter.build(n, tail, head, latitude=lat, longitude=lon, resolution=1.0, workers=2)

    class FailsOnce:
        def __init__(self, metric):
            self.metric, self.failed = metric, False

        def customize(self, weights, threads):
            if not self.failed:
                self.failed = True
                raise RuntimeError("out of memory")
            return self.metric.customize(weights, threads)

        def __getattr__(self, name):
            return getattr(self.metric, name)

    router._metrics[1] = FailsOnce(router._metrics[1])
    router.customize(w)
    with pytest.raises(RuntimeError, match="out of memory"):
        router.settle()
    nodes = np.arange(n)
    assert np.array_equal(router.matrix(nodes, nodes), floyd_warshall(n, tail, head, w))
    w2 = w.copy()
    w2[:5] = 1000.0
    router.update(np.arange(5), w2[:5])
    router.settle()  # the helper was customised afresh this time
    assert len(router._ready()) == 2
    assert np.array_equal(router.matrix(nodes, nodes), floyd_warshall(n, tail, head, w2))


@pytest.mark.parametrize("engine", ENGINES)
def test_path_rejects_nodes_outside_the_graph(engine: str) -> None:
    router = build_router(3, np.array([0, 1]), np.array([1, 2]), engine=engine)  # type: ignore[arg-type]
    router.customize(np.array([1.0, 1.0]))
    for source, target in ((0, 3), (-1, 2)):
        with pytest.raises(InvalidOptionError, match="outside"):
            router.path(source, target)
    assert router.path(0, 2)[0] == 2.0


@pytest.mark.skipif(not has_cch(), reason="pyroutingkit missing")
def test_close_stops_the_helper_threads_and_a_closed_router_starts_them_again() -> None:
    """A router family (a router and its siblings) owns its helper threads: close() on any of
    them stops them all; a router used after closing answers as before on fresh threads."""
    n, tail, head, w, lat, lon = subdivided_grid(6, seed=5)

    def helpers() -> set[threading.Thread]:
        return {t for t in threading.enumerate() if t.name.startswith(cch_module.THREAD_NAME)}

    before = helpers()  # other tests' routers, if not yet collected
    router = CCHRouter.build(n, tail, head, latitude=lat, longitude=lon, resolution=1.0, workers=3)
    assert helpers() - before == set()  # none started until needed
    sibling = router.sibling()
    sibling.customize(w)
    sibling.settle()
    started = helpers() - before
    assert started
    router.close()  # the sibling's threads are the family's
    assert not started & set(threading.enumerate())
    nodes = np.arange(n)
    oracle = floyd_warshall(n, tail, head, w)
    with router:
        router.customize(w)
        router.settle()
        assert np.array_equal(router.matrix(nodes, nodes), oracle)
        again = helpers() - before
        assert again and not again & started
    assert not again & set(threading.enumerate())
    assert np.array_equal(sibling.matrix(nodes, nodes), oracle)  # still answers, on fresh threads
    sibling.close()
    assert helpers() - before == set()
