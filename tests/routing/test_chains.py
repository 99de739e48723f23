"""Chain contraction under the CCH router: the decomposition's invariants, checked from the raw
arcs, and routes on chain-heavy graphs (rings, loops back to a junction, one-way and broken
chains, parallel arcs) against Floyd-Warshall."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridors.errors import InvalidOptionError
from corridors.routing.fast import CCHRouter, has_cch
from corridors.routing.fast.chains import decompose
from tests.routing.test_fast import check_path, floyd_warshall

needs_cch = pytest.mark.skipif(not has_cch(), reason="pyroutingkit missing")


@st.composite
def chained_graphs(draw: st.DrawFn) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """A few core nodes joined by lines of 0-5 shape nodes, as OSM draws them: lines two-way,
    one-way or broken (a step one way only), some doubled, plus rings with no junction, lines
    that come back to the node they left, and self-loops. Weights include 0 and closed."""
    core = draw(st.integers(1, 5))
    n = core
    arcs: list[tuple[int, int]] = []

    def line(ends: list[int], shape: int, kind: str) -> None:
        nonlocal n
        nodes = [ends[0], *range(n, n + shape), ends[1]]
        n += shape
        broken = draw(st.integers(0, len(nodes) - 2))
        for i, (x, y) in enumerate(itertools.pairwise(nodes)):
            arcs.append((x, y))
            if kind == "two-way" or (kind == "broken" and i != broken):
                arcs.append((y, x))
            if kind == "doubled" and i == broken:
                arcs.append((x, y))
                arcs.append((y, x))

    kinds = st.sampled_from(["two-way", "two-way", "one-way", "broken", "doubled"])
    for _ in range(draw(st.integers(0, 7))):
        a, b = draw(st.integers(0, core - 1)), draw(st.integers(0, core - 1))
        shape = draw(st.integers(0 if a != b else 2, 5))
        line([a, b], shape, draw(kinds))
    for _ in range(draw(st.integers(0, 2))):  # a ring of shape nodes only
        size = draw(st.integers(3, 5))
        ring = list(range(n, n + size))
        n += size
        for x, y in zip(ring, ring[1:] + ring[:1]):
            arcs += [(x, y), (y, x)]
    if arcs and draw(st.booleans()):
        x = draw(st.integers(0, n - 1))
        arcs.append((x, x))
    tail = np.array([a for a, _ in arcs], dtype=np.int64)
    head = np.array([b for _, b in arcs], dtype=np.int64)
    weight = st.one_of(st.integers(0, 50).map(float), st.just(np.inf))
    w = np.array(draw(st.lists(weight, min_size=len(arcs), max_size=len(arcs))), dtype=float)
    return n, tail, head, w


@settings(max_examples=200, deadline=None)
@given(g=chained_graphs())
def test_decomposition_covers_the_graph_with_proper_chains(g: tuple[int, np.ndarray, np.ndarray, np.ndarray]) -> None:
    n, tail, head, _ = g
    c = decompose(n, tail, head)
    neighbours = [set() for _ in range(n)]
    for a, b in zip(tail.tolist(), head.tolist()):
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    is_junction = c.junction_of >= 0
    assert c.junctions.tolist() == np.flatnonzero(is_junction).tolist()
    for x in np.flatnonzero(~is_junction).tolist():
        assert len(neighbours[x]) == 2  # only nodes with two neighbours are contracted
    # every chain joins two distinct junctions through chain nodes, step by step along arcs
    interior_seen: list[int] = []
    for k in range(len(c.node_ptr) - 1):
        nodes = c.chain_nodes[c.node_ptr[k]:c.node_ptr[k + 1]].tolist()
        assert is_junction[nodes[0]] and is_junction[nodes[-1]] and nodes[0] != nodes[-1]
        assert len(nodes) >= 3 and not is_junction[nodes[1:-1]].any()
        interior_seen += nodes[1:-1]
        for i, (x, y) in enumerate(itertools.pairwise(nodes)):
            step = c.node_ptr[k] - k + i
            for arc, (u, v) in ((c.forward[step], (x, y)), (c.backward[step], (y, x))):
                has = [j for j in range(len(tail)) if (tail[j], head[j]) == (u, v)]
                assert (arc == -1) == (not has) and (arc == -1 or arc in has)
    assert sorted(interior_seen) == np.flatnonzero(~is_junction).tolist()  # each chain node in one chain
    # every junction arc is a walk of input arcs between its two junctions
    for k in range(len(c.tail)):
        ids = c.arc_ids[c.arc_ptr[k]:c.arc_ptr[k + 1]]
        assert tail[ids[0]] == c.junctions[c.tail[k]] and head[ids[-1]] == c.junctions[c.head[k]]
        assert (tail[ids[1:]] == head[ids[:-1]]).all()
        assert (c.owner[ids] == k).all()


def test_a_ring_with_no_junction_is_cut_into_two_chains() -> None:
    ring = np.arange(5)
    c = decompose(5, np.concatenate([ring, (ring + 1) % 5]), np.concatenate([(ring + 1) % 5, ring]))
    assert len(c.junctions) == 2 and len(c.node_ptr) - 1 == 2
    assert len(c.tail) == 4  # both chains, both ways


@needs_cch
@settings(max_examples=200, deadline=None)
@given(g=chained_graphs(), data=st.data())
def test_router_on_chained_graphs_matches_oracle(g: tuple[int, np.ndarray, np.ndarray, np.ndarray], data: st.DataObject) -> None:
    n, tail, head, w = g
    router = CCHRouter.build(n, tail, head, resolution=1.0)
    router.customize(w)
    nodes = np.arange(n)
    oracle = floyd_warshall(n, tail, head, w)
    assert np.array_equal(router.matrix(nodes, nodes), oracle)
    for s in range(n):
        for t in range(n):
            d, arcs = router.path(s, t)
            assert d == oracle[s, t]
            check_path(tail, head, w, s, t, d, arcs)
    if len(w):  # a few arcs closed or re-costed, inside chains or not
        arcs = np.array(data.draw(st.lists(st.integers(0, len(w) - 1), min_size=1, max_size=4, unique=True)))
        new = np.array(data.draw(st.lists(st.sampled_from([0.0, 3.0, 80.0, np.inf]), min_size=len(arcs), max_size=len(arcs))))
        router.update(arcs, new)
        w = w.copy()
        w[arcs] = new
        assert np.array_equal(router.matrix(nodes, nodes), floyd_warshall(n, tail, head, w))
        for s, t in data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=6)):
            d, path = router.path(s, t)
            check_path(tail, head, w, s, t, d, path)


@needs_cch
def test_a_saved_topology_is_read_back_only_onto_its_own_arcs(tmp_path) -> None:
    """0 -> 1 -> 2 and 2 -> 1 -> 0 both contract to one junction arc between two junctions: the
    same counts, so only the checksum of the arcs tells the saved topologies apart."""
    forward = (3, np.array([0, 1]), np.array([1, 2]))
    folder = str(tmp_path) + "/"
    router = CCHRouter.build(*forward, resolution=1.0)
    router.save_topology(folder)
    loaded = CCHRouter.from_saved(*forward, folder, resolution=1.0)
    loaded.customize(np.array([2.0, 3.0]))
    assert loaded.path(0, 2)[0] == 5.0 and loaded.distance(2, 0) == np.inf
    with pytest.raises(InvalidOptionError, match=r"^saved topology .* was built on other arcs$"):
        CCHRouter.from_saved(3, np.array([2, 1]), np.array([1, 0]), folder)
    saved = (tmp_path / "chains.npz").read_bytes()
    for damaged in (b"not a zip", saved[: len(saved) // 2]):  # foreign, or cut short
        (tmp_path / "chains.npz").write_bytes(damaged)
        with pytest.raises(InvalidOptionError, match="no readable chains.npz"):
            CCHRouter.from_saved(*forward, folder)
