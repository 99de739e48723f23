"""Degree-two chains: the smaller junction graph a contraction hierarchy is built on.

OpenStreetMap draws a railway or road as a line of shape nodes: three quarters of the nodes of
scgraph-data's world railways (joined at 0.2 km) are such nodes, a fifth of its world highways
(whose lines are already simplified); ``bench/bench_world.py`` reports the junction counts and
the time of the decomposition. A *chain node* has two distinct neighbours, at most one arc
each way to each, and no self-loop; every other node is a *junction*. A *chain* runs from a
junction through chain nodes to a junction. Contracting chains leaves the *junction graph*:
one junction arc per chain and direction the chain can be travelled end to end (the sum of its
arcs), plus every arc between two junctions. A least path between junctions is a least path in
the junction graph with its chains expanded, so a router built on it stays exact while its
preprocessing, customisation and path unpacking shrink with the graph.

A path from or to a chain node leaves or enters its chain at one of the chain's two end
junctions (or stays on the chain): :class:`ChainWeights` gives those offsets for one metric.

Rings of chain nodes with no junction, and chains that leave and return to the same junction,
get one of their nodes promoted to junction until every chain joins two distinct junctions.

>>> c = decompose(4, np.array([0, 1, 2, 1, 2, 3]), np.array([1, 2, 3, 0, 1, 2]))  # 0 - 1 - 2 - 3
>>> c.junctions.tolist(), c.tail.tolist(), c.head.tolist(), c.arc_ids.tolist()
([0, 3], [0, 1], [1, 0], [0, 1, 2, 5, 4, 3])
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components


@dataclass(frozen=True)
class Chains:
    """A graph of ``n_nodes`` nodes split into junctions and chains (arrays, see the module doc).

    Junction arcs ``tail[k] -> head[k]`` (junction indices, sorted by tail) stand for the input arcs
    ``arc_ids[arc_ptr[k]:arc_ptr[k + 1]]`` in path order. Chain ``c`` visits the nodes
    ``chain_nodes[node_ptr[c]:node_ptr[c + 1]]``, a junction at each end; the step from the node
    at global position ``g`` to the next one is step ``g - c``, travelled forward by the input arc
    ``forward[g - c]`` and backward by ``backward[g - c]`` (-1: no such arc).
    """

    n_nodes: int
    junctions: np.ndarray  # (J,) node of each junction
    junction_of: np.ndarray  # (n,) junction index of each node, -1 for chain nodes
    tail: np.ndarray  # (A,) junction arcs
    head: np.ndarray
    arc_ptr: np.ndarray  # (A + 1,)
    arc_ids: np.ndarray
    owner: np.ndarray  # (m,) junction arc of each input arc, -1 if none stands for it
    direct: np.ndarray  # junction arcs that are one input arc between two junctions
    forward_chains: np.ndarray  # (A_f, 3) junction arc, first step, end step: a chain travelled forward
    backward_chains: np.ndarray  # (A_b, 3) the same travelled backward
    node_ptr: np.ndarray  # (C + 1,)
    chain_nodes: np.ndarray
    forward: np.ndarray  # (steps,)
    backward: np.ndarray
    chain_of: np.ndarray  # (n,) chain of each chain node, -1 for junctions
    position_of: np.ndarray  # (n,) global position of each chain node in chain_nodes, -1 for junctions

    @classmethod
    def from_arrays(cls, n_nodes: int, n_arcs: int, arrays: Mapping[str, np.ndarray]) -> Chains:
        """Chains from their arrays by field name (as :func:`decompose` makes them or a saved copy
        holds them), as int32 when every index fits: half the memory and cache traffic of int64."""
        index = np.int32 if n_nodes + 2 * n_arcs < 2**31 else np.int64  # chain_nodes repeats junctions
        return cls(n_nodes=n_nodes, **{f.name: np.ascontiguousarray(arrays[f.name], dtype=index)
                                       for f in fields(cls) if f.name != "n_nodes"})

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays by field name (what :meth:`from_arrays` takes)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "n_nodes"}

    @functools.cached_property
    def direct_arcs(self) -> np.ndarray:
        """The input arc of each junction arc in ``direct``."""
        return self.arc_ids[self.arc_ptr[self.direct]]

    @functools.cached_property
    def tail_starts(self) -> np.ndarray:
        """Where each tail junction's arcs begin in ``tail`` (sorted by tail)."""
        return np.flatnonzero(np.diff(self.tail, prepend=-1) != 0)

    @functools.cached_property
    def missing_steps(self) -> tuple[np.ndarray, np.ndarray]:
        """Steps with no input arc forward, and those with none backward."""
        return np.flatnonzero(self.forward < 0), np.flatnonzero(self.backward < 0)

    def expand(self, junction_arcs: np.ndarray) -> np.ndarray:
        """The input arcs of a path of junction arcs, in order."""
        return concatenate_rows(self.arc_ptr, self.arc_ids, np.asarray(junction_arcs, dtype=np.int64))


def concatenate_rows(ptr: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``values[ptr[r]:ptr[r + 1]]`` for each ``r`` in ``rows``, concatenated (vectorised).

    >>> concatenate_rows(np.array([0, 2, 3, 6]), np.arange(6), np.array([2, 0]))
    array([3, 4, 5, 0, 1])
    >>> concatenate_rows(np.array([0, 0, 2]), np.arange(2), np.array([0, 1, 0]))
    array([0, 1])
    """
    starts, lengths = ptr[rows], ptr[rows + 1] - ptr[rows]
    if (lengths == 1).all():  # one value per row (or no rows)
        return values[starts]
    total = int(lengths.sum())
    offsets = np.cumsum(lengths) - lengths  # where each row begins in the output
    return values[np.repeat(starts - offsets, lengths) + np.arange(total)]


def decompose(n_nodes: int, tail: np.ndarray, head: np.ndarray) -> Chains:
    """Split the graph of arcs ``tail[i] -> head[i]`` into junctions and chains (vectorised:
    about 0.1 s on world railways and 0.4 s on world highways, by ``bench/bench_world.py``)."""
    tail, head = np.asarray(tail, dtype=np.int64), np.asarray(head, dtype=np.int64)
    loop = tail == head
    low, high = np.minimum(tail, head)[~loop], np.maximum(tail, head)[~loop]
    pairs, pair_of = np.unique(low * n_nodes + high, return_inverse=True)
    up = (tail < head)[~loop]
    crowded = (np.bincount(pair_of, up, len(pairs)) > 1) | (np.bincount(pair_of, ~up, len(pairs)) > 1)
    a, b = pairs // n_nodes, pairs % n_nodes
    degree = np.bincount(a, minlength=n_nodes) + np.bincount(b, minlength=n_nodes)
    junction = degree != 2
    junction[tail[loop]] = True
    junction[a[crowded]] = True
    junction[b[crowded]] = True

    ends, others = np.concatenate([a, b]), np.concatenate([b, a])
    neighbours = others[np.argsort(ends, kind="stable")]
    first = np.cumsum(degree) - degree  # each node's first neighbour in `neighbours`
    one, two = np.full(n_nodes, -1), np.full(n_nodes, -1)
    pairs_of_two = degree == 2
    one[pairs_of_two] = neighbours[first[pairs_of_two]]
    two[pairs_of_two] = neighbours[first[pairs_of_two] + 1]

    while True:
        ptr, nodes, visited = _walk(junction, one, two, ends, others)
        start, end = nodes[ptr[:-1]], nodes[ptr[1:] - 1]
        loops = np.flatnonzero((start == end) & (nodes[ptr[:-1] + 1] < nodes[ptr[1:] - 2]))  # each loop once
        rings = np.flatnonzero(~junction & ~visited)
        if not len(loops) and not len(rings):
            break
        # a chain back to its own junction is cut in the middle
        junction[nodes[(ptr[loops] + ptr[loops + 1]) // 2]] = True
        if len(rings):  # rings with no junction at all: one node of each becomes one
            graph = csr_matrix((np.ones(len(rings)), (rings, one[rings])), shape=(n_nodes, n_nodes))
            label = connected_components(graph, directed=False)[1][rings]
            junction[rings[np.unique(label, return_index=True)[1]]] = True
    kept = np.flatnonzero(start < end)  # each chain once, walked from its smaller end junction
    return _assemble(n_nodes, tail, head, loop, junction, ptr, nodes, kept)


def _walk(
    junction: np.ndarray, one: np.ndarray, two: np.ndarray, ends: np.ndarray, others: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Walk from every junction into each chain that leaves it, all walks a step at a time.
    Returns the walks as CSR (``ptr``, ``nodes``: junction, chain nodes, junction) and the
    chain nodes visited. Every chain is walked twice, once from each end."""
    leaving = junction[ends] & ~junction[others]
    previous, current = ends[leaving], others[leaving]
    ids = np.arange(len(current))
    walk_of, node_of = [ids], [previous]
    visited = np.zeros(len(junction), dtype=bool)
    while len(ids):
        walk_of.append(ids)
        node_of.append(current)
        visited[current] = True
        previous, current = current, np.where(one[current] == previous, two[current], one[current])
        done = junction[current]
        walk_of.append(ids[done])
        node_of.append(current[done])
        ids, previous, current = ids[~done], previous[~done], current[~done]
    walk = np.concatenate(walk_of)
    order = np.argsort(walk, kind="stable")  # each walk's nodes in the order walked
    ptr = np.concatenate([[0], np.cumsum(np.bincount(walk, minlength=int(leaving.sum())))])
    return ptr, np.concatenate(node_of)[order], visited


def _arc_lookup(n_nodes: int, tail: np.ndarray, head: np.ndarray):
    """A function from node pairs to the input arc between them (-1 if none); the pairs asked
    about have at most one arc each way."""
    keys = tail * n_nodes + head
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]

    def arcs(u: np.ndarray, v: np.ndarray) -> np.ndarray:
        if not len(keys):
            return np.full(len(u), -1)
        want = u * n_nodes + v
        i = np.minimum(np.searchsorted(sorted_keys, want), len(keys) - 1)
        return np.where(sorted_keys[i] == want, order[i], -1)

    return arcs


def _assemble(
    n_nodes: int, tail: np.ndarray, head: np.ndarray, loop: np.ndarray, junction: np.ndarray,
    walk_ptr: np.ndarray, walk_nodes: np.ndarray, kept: np.ndarray,
) -> Chains:
    """The :class:`Chains` arrays from the kept walks (one per chain)."""
    chain_nodes = concatenate_rows(walk_ptr, walk_nodes, kept)
    counts = walk_ptr[kept + 1] - walk_ptr[kept]
    node_ptr = np.concatenate([[0], np.cumsum(counts)])
    n_chains = len(kept)
    chain_of_position = np.repeat(np.arange(n_chains), counts)
    is_step = np.ones(len(chain_nodes), dtype=bool)
    is_step[node_ptr[1:] - 1] = False  # the last node of a chain starts no step
    u, v = chain_nodes[is_step], chain_nodes[np.flatnonzero(is_step) + 1]
    arc = _arc_lookup(n_nodes, tail, head)
    forward, backward = arc(u, v), arc(v, u)

    junctions = np.flatnonzero(junction)
    junction_of = np.full(n_nodes, -1)
    junction_of[junctions] = np.arange(len(junctions))
    interior = ~junction[chain_nodes]
    chain_of, position_of = np.full(n_nodes, -1), np.full(n_nodes, -1)
    chain_of[chain_nodes[interior]] = chain_of_position[interior]
    position_of[chain_nodes[interior]] = np.flatnonzero(interior)

    # junction arcs: chains travelled end to end each way, then arcs between two junctions
    step_ptr = node_ptr - np.arange(n_chains + 1)
    steps_per_chain = counts - 1
    step_chain = np.repeat(np.arange(n_chains), steps_per_chain)
    whole_forward = np.bincount(step_chain, forward < 0, n_chains) == 0
    whole_backward = np.bincount(step_chain, backward < 0, n_chains) == 0
    first_node, last_node = chain_nodes[node_ptr[:-1]], chain_nodes[node_ptr[1:] - 1]
    fw, bw = np.flatnonzero(whole_forward), np.flatnonzero(whole_backward)
    fw_arcs = concatenate_rows(step_ptr, forward, fw)
    bw_steps = concatenate_rows(step_ptr, np.arange(len(backward)), bw)
    bw_rows = np.repeat(np.arange(len(bw)), steps_per_chain[bw])
    lo, hi = step_ptr[bw][bw_rows], step_ptr[bw + 1][bw_rows]
    bw_arcs = backward[lo + hi - 1 - bw_steps]  # each chain's steps in reverse
    direct = np.flatnonzero(junction[tail] & junction[head] & ~loop)

    jt = np.concatenate([first_node[fw], last_node[bw], tail[direct]])
    jh = np.concatenate([last_node[fw], first_node[bw], head[direct]])
    lengths = np.concatenate([steps_per_chain[fw], steps_per_chain[bw], np.ones(len(direct), dtype=np.int64)])
    arc_ids = np.concatenate([fw_arcs, bw_arcs, direct]).astype(np.int64)
    by_tail = np.argsort(jt, kind="stable")  # junction arcs grouped by tail junction
    arc_ids = concatenate_rows(np.concatenate([[0], np.cumsum(lengths)]), arc_ids, by_tail)
    jt, jh, lengths = jt[by_tail], jh[by_tail], lengths[by_tail]
    arc_ptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    owner = np.full(len(tail), -1)
    owner[arc_ids] = np.repeat(np.arange(len(jt)), lengths)
    row_of = np.empty(len(by_tail), dtype=np.int64)
    row_of[by_tail] = np.arange(len(by_tail))  # each junction arc's row once sorted by tail
    forward_chains = np.column_stack([row_of[:len(fw)], step_ptr[fw], step_ptr[fw + 1]])
    backward_chains = np.column_stack([row_of[len(fw):len(fw) + len(bw)], step_ptr[bw], step_ptr[bw + 1]])
    arrays = {
        "junctions": junctions, "junction_of": junction_of, "tail": junction_of[jt], "head": junction_of[jh],
        "arc_ptr": arc_ptr, "arc_ids": arc_ids, "owner": owner, "direct": row_of[len(fw) + len(bw):],
        "forward_chains": forward_chains, "backward_chains": backward_chains, "node_ptr": node_ptr,
        "chain_nodes": chain_nodes, "forward": forward, "backward": backward, "chain_of": chain_of,
        "position_of": position_of,
    }
    return Chains.from_arrays(n_nodes, len(tail), arrays)


class _Spans:
    """Sums of a per-step weight over step ranges ``[lo, hi)``, ``inf`` if a step is closed."""

    def __init__(self, step_weights: np.ndarray) -> None:
        closed = np.isinf(step_weights)
        self.open_sum = np.zeros(len(step_weights) + 1, dtype=np.int64)  # prefix sums of the open steps, exact
        np.cumsum(np.where(closed, 0.0, step_weights), dtype=np.int64, out=self.open_sum[1:])
        self._closed = np.zeros(len(step_weights) + 1, dtype=np.int32)  # prefix counts of closed steps
        np.cumsum(closed, out=self._closed[1:])

    def __call__(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        return np.where(self._closed[hi] > self._closed[lo], np.inf, self.open_sum[hi] - self.open_sum[lo])

    def one(self, lo: int, hi: int) -> float:
        """The same for one range (no array overhead: point-to-point queries call it)."""
        return np.inf if self._closed[hi] > self._closed[lo] else float(self.open_sum[hi] - self.open_sum[lo])


class ChainWeights:
    """One metric on a :class:`Chains`: junction-arc weights and the offsets along chains.

    ``weights`` are the input arcs' weights (``inf`` closed), kept, not copied: the caller must
    not change them afterwards. Offsets come in two columns, one per
    end of a node's chain: column 0 is the chain's first junction, column 1 its last. A junction
    node has itself in column 0 at offset 0 and nothing (-1, ``inf``) in column 1.
    """

    def __init__(self, chains: Chains, weights: np.ndarray) -> None:
        self.chains = chains
        self._weights = weights
        spans = []
        for steps, missing in zip((chains.forward, chains.backward), chains.missing_steps):
            step_weights = weights[steps]
            step_weights[missing] = np.inf  # no arc that way: closed
            spans.append(_Spans(step_weights))
        self._forward, self._backward = spans

    def junction_weights(self) -> np.ndarray:
        """Weight of each junction arc: the sum of its input arcs (a chain's from its spans)."""
        c = self.chains
        units = np.empty(len(c.tail))
        units[c.direct] = self._weights[c.direct_arcs]
        for spans, rows in ((self._forward, c.forward_chains), (self._backward, c.backward_chains)):
            units[rows[:, 0]] = spans(rows[:, 1], rows[:, 2])
        return units

    def longest_chain(self) -> float:
        """The largest sum, over one chain, of its open arcs both ways (0 with no chain): no path
        runs longer than that inside a chain."""
        c = self.chains
        if len(c.node_ptr) < 2:
            return 0.0
        steps = c.node_ptr - np.arange(len(c.node_ptr))
        return float(np.max(np.diff(self._forward.open_sum[steps]) + np.diff(self._backward.open_sum[steps])))

    def _ends(self, nodes: np.ndarray) -> tuple[np.ndarray, ...]:
        """For each node: its chain's two end junctions (as junction indices; for a junction node
        itself and -1), whether it is a chain node, its step and its chain's first and end steps."""
        c = self.chains
        chain = c.chain_of[nodes]
        inside = chain >= 0
        junction = np.stack([c.junction_of[nodes], np.full(len(nodes), -1)], axis=1)
        step, first, last = np.zeros((3, len(nodes)), dtype=np.int64)
        if inside.any():
            ci = chain[inside]
            begin, end = c.node_ptr[ci], c.node_ptr[ci + 1] - 1
            junction[inside, 0] = c.junction_of[c.chain_nodes[begin]]
            junction[inside, 1] = c.junction_of[c.chain_nodes[end]]
            step[inside], first[inside], last[inside] = c.position_of[nodes[inside]] - ci, begin - ci, end - ci
        return junction, inside, step, first, last

    def exits(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Junctions each node can leave its chain by, and the distance to each: ``(k, 2)`` each."""
        return self._offsets(nodes, leaving=True)

    def entries(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Junctions each node can be reached from along its chain, and the distance from each."""
        return self._offsets(nodes, leaving=False)

    def _offsets(self, nodes: np.ndarray, *, leaving: bool) -> tuple[np.ndarray, np.ndarray]:
        junction, inside, step, first, last = self._ends(nodes)
        to_first, to_last = (self._backward, self._forward) if leaving else (self._forward, self._backward)
        units = np.stack([
            np.where(inside, to_first(first, step), 0.0),
            np.where(inside, to_last(step, last), np.inf),
        ], axis=1)
        return junction, units

    def along(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Distance along a shared chain from each source to its target (both chain nodes of one chain)."""
        c = self.chains
        chain = c.chain_of[sources]
        s, t = c.position_of[sources] - chain, c.position_of[targets] - chain
        return np.where(s <= t, self._forward(np.minimum(s, t), t), self._backward(t, np.maximum(s, t)))

    def _end(self, node: int) -> tuple[int, int, int, int, int]:
        """One chain node's step, its chain's first and end steps, and its two end junctions."""
        c = self.chains
        chain = int(c.chain_of[node])
        begin, end = int(c.node_ptr[chain]), int(c.node_ptr[chain + 1]) - 1
        step = int(c.position_of[node]) - chain
        first, last = int(c.junction_of[c.chain_nodes[begin]]), int(c.junction_of[c.chain_nodes[end]])
        return step, begin - chain, end - chain, first, last

    def leave(self, node: int) -> list[tuple[int, float]]:
        """:meth:`exits` of one node as ``(junction, units)`` per column (scalar, for speed)."""
        if self.chains.chain_of[node] < 0:
            return [(int(self.chains.junction_of[node]), 0.0)]
        step, first, last, j_first, j_last = self._end(node)
        return [(j_first, self._backward.one(first, step)), (j_last, self._forward.one(step, last))]

    def reach(self, node: int) -> list[tuple[int, float]]:
        """:meth:`entries` of one node as ``(junction, units)`` per column (scalar, for speed)."""
        if self.chains.chain_of[node] < 0:
            return [(int(self.chains.junction_of[node]), 0.0)]
        step, first, last, j_first, j_last = self._end(node)
        return [(j_first, self._forward.one(first, step)), (j_last, self._backward.one(step, last))]

    def along_one(self, source: int, target: int) -> float:
        """:meth:`along` for one pair of nodes on a shared chain (scalar, for speed)."""
        c = self.chains
        chain = int(c.chain_of[source])
        s, t = int(c.position_of[source]) - chain, int(c.position_of[target]) - chain
        return self._forward.one(s, t) if s <= t else self._backward.one(t, s)

    def exit_arcs(self, node: int, column: int) -> np.ndarray:
        """Input arcs from a node to the junction in ``column`` of :meth:`exits`."""
        if self.chains.chain_of[node] < 0:
            return np.empty(0, dtype=np.int64)
        step, first, last, _, _ = self._end(node)
        return self.chains.backward[first:step][::-1] if column == 0 else self.chains.forward[step:last]

    def entry_arcs(self, node: int, column: int) -> np.ndarray:
        """Input arcs to a node from the junction in ``column`` of :meth:`entries`."""
        if self.chains.chain_of[node] < 0:
            return np.empty(0, dtype=np.int64)
        step, first, last, _, _ = self._end(node)
        return self.chains.forward[first:step] if column == 0 else self.chains.backward[step:last][::-1]

    def along_arcs(self, source: int, target: int) -> np.ndarray:
        """Input arcs along a shared chain from ``source`` to ``target``."""
        c = self.chains
        chain = int(c.chain_of[source])
        s, t = int(c.position_of[source]) - chain, int(c.position_of[target]) - chain
        return c.forward[s:t] if s <= t else c.backward[t:s][::-1]
