"""Compile a Network into a frozen multimodal state graph.

Each node takes part in one or more *layers*: ``road``, ``sea``, ``ferry``, ``iww`` and one
``rail`` layer per gauge (1520 and 1435 mm are different layers). Each (node, layer) has two
states: *arrival* (where links end) and *departure* (where links start). Edges are of four kinds:

- ``LINK``: departure -> arrival along a link (both directions unless one-way), and across
  the link's border crossing if it has one;
- ``THROUGH``: arrival -> departure in the same layer at no cost (staying on the train or truck);
- ``TRANSFER``: arrival -> departure between two modes at a node that handles both;
- ``GAUGE_CHANGE``: arrival -> departure between the 1520 and 1435 mm rail layers at a
  gauge-change facility.

Because every transfer leaves from an arrival and enters a departure, a unit changes layer at
most once per node: it cannot chain rail -> road -> rail to dodge a gauge-change charge.

Compilation has two steps. The *topology* (states and edges, sorted by tail into forward-star
arrays, with crosswalks back to links and nodes) depends only on which links join which nodes by
which mode and gauge. The *attributes* (km, border, status, opening year, season, mode per
edge) are gathered from the links and borders with numpy. A network that differs from another
only in attributes (a scenario that closes a border or re-costs a mode) reuses the other's
topology: ``compile_graph(changed, reuse=base_graph)``. Time, money and CO2e per edge are the
costing layer's (:func:`corridors.costs.edge_costs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from types import MappingProxyType
from typing import Mapping

import numpy as np

from corridors.caching import attached, is_attached
from corridors.model import Mode, Network, Status, layer_label
from corridors.model.seasons import ALL_YEAR, months_mask

STATUSES = list(Status)
NEVER = 9999
"""``opens_year`` of an edge that no year makes available (closed, disputed, or no date)."""
_WORSE = [Status.OPERATIONAL, Status.UNDER_CONSTRUCTION, Status.PLANNED, Status.DISPUTED, Status.CLOSED]


class EdgeKind(IntEnum):
    LINK = 0
    TRANSFER = 1
    GAUGE_CHANGE = 2
    THROUGH = 3


@dataclass(frozen=True)
class Layer:
    """A network layer at a node: a mode, and for rail its gauge in mm (0 otherwise)."""

    mode: Mode
    gauge_mm: int = 0

    def __str__(self) -> str:
        return layer_label(self.mode, self.gauge_mm)


@dataclass(frozen=True, eq=False)
class Topology:
    """States and edges of a compiled network, independent of times, costs and statuses."""

    layers: tuple[Layer, ...]
    state_node: np.ndarray
    state_layer: np.ndarray
    indptr: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    kind: np.ndarray
    link: np.ndarray
    forward: np.ndarray
    transfer_modes: np.ndarray
    node_state_ptr: np.ndarray
    node_state: np.ndarray
    link_edge_ptr: np.ndarray
    link_edge: np.ndarray
    signature: tuple


@dataclass(frozen=True, eq=False)
class MultimodalGraph:
    """A compiled network. Arrays are read-only; build one with :func:`compile_graph`.

    Edge arrays (length ``n_edges``, sorted by tail) come from the topology (``tail``, ``head``,
    ``kind``, ``link`` index into ``network.links`` or -1, ``forward``) and from the attributes:
    ``border`` index into ``network.borders`` (-1); ``distance_km``; ``status`` (the worse of
    link and border, as indices into
    ``list(Status)``) and ``opens_year``, the first year the edge can be used (0: always;
    ``NEVER``: closed, disputed or undated); ``open_months``, the 12-bit mask of the months the
    edge can be used in (bit ``m - 1`` for month ``m``; a link's navigation season, else all
    year); ``mode`` (the code of :data:`corridors.model.MODES`; -1 otherwise).
    """

    network: Network
    topology: Topology
    border: np.ndarray
    distance_km: np.ndarray
    status: np.ndarray
    opens_year: np.ndarray
    open_months: np.ndarray
    mode: np.ndarray
    node_index: Mapping[str, int]
    link_index: Mapping[str, int]
    node_country: np.ndarray
    link_country_ptr: np.ndarray
    link_country: np.ndarray
    countries: tuple[str, ...]

    # the topology's arrays, read as the graph's own
    @property
    def layers(self):
        return self.topology.layers

    @property
    def state_node(self):
        return self.topology.state_node

    @property
    def state_layer(self):
        return self.topology.state_layer

    @property
    def indptr(self):
        return self.topology.indptr

    @property
    def tail(self):
        return self.topology.tail

    @property
    def head(self):
        return self.topology.head

    @property
    def kind(self):
        return self.topology.kind

    @property
    def link(self):
        return self.topology.link

    @property
    def forward(self):
        return self.topology.forward

    @property
    def n_states(self) -> int:
        return len(self.topology.state_node)

    @property
    def n_edges(self) -> int:
        return len(self.topology.tail)

    def _node(self, node: str | int) -> int:
        return self.node_index[node] if isinstance(node, str) else node

    def arrivals(self, node: str | int) -> np.ndarray:
        """Arrival states of a node (id or index), one per layer: where routes to it end."""
        i = self._node(node)
        return self.topology.node_state[self.topology.node_state_ptr[i]:self.topology.node_state_ptr[i + 1]]

    def departures(self, node: str | int) -> np.ndarray:
        """Departure states of a node (id or index), one per layer: where routes from it start."""
        return self.arrivals(node) + 1

    def link_edges(self, link: str | int) -> np.ndarray:
        """Edge indices of a link (id or index): one per direction and gauge."""
        i = self.link_index[link] if isinstance(link, str) else link
        return self.topology.link_edge[self.topology.link_edge_ptr[i]:self.topology.link_edge_ptr[i + 1]]

    def country_edge_mask(self, country: str) -> np.ndarray:
        """True for edges that touch ``country``: links with an end or ``via_countries`` there,
        and transfers, gauge changes and through edges at its nodes."""
        n = self.n_edges
        if country not in self.countries:
            return np.zeros(n, dtype=bool)
        code = self.countries.index(country)
        per_link = np.zeros(len(self.network.links), dtype=bool)
        counts = np.diff(self.link_country_ptr)
        owners = np.repeat(np.arange(len(counts)), counts)
        per_link[owners[self.link_country == code]] = True
        topo = self.topology
        at_node = self.node_country[topo.state_node[topo.tail]] == code
        return np.where(topo.link >= 0, per_link[np.maximum(topo.link, 0)], at_node)


def compile_graph(network: Network, *, reuse: MultimodalGraph | None = None) -> MultimodalGraph:
    """Compile ``network`` into a :class:`MultimodalGraph`; cached per network object.

    With ``reuse`` (by default the graph of ``network.derived_from``, the network a scenario was
    applied to), the topology of that graph is reused when ``network`` has the same nodes and the
    same links (ends, modes, gauges, directions) as ``reuse.network``, so only the per-edge
    attributes are recomputed. The graph is kept on the network
    (:func:`corridors.caching.attached`): a network and its graph are freed together.
    """
    def make() -> MultimodalGraph:
        lender = reuse
        signature = _signature(network)
        base = network.derived_from
        # the base is compiled only to lend its topology: not when it is uncompiled and differs
        if lender is None and base is not None and (is_attached(base, "compiled_graph") or _signature(base) == signature):
            lender = compile_graph(base)
        topology = lender.topology if lender is not None and lender.topology.signature == signature else None
        return _attributes(network, topology or _topology(network, signature))

    return attached(network, "compiled_graph", make)


def _signature(network: Network) -> tuple:
    """What the topology depends on: per node its id, the modes it handles and whether it can
    change gauge (they decide its transfer and gauge-change edges); per link its ends, mode,
    gauges and direction; and the mode pairs that have transfer parameters."""
    return (
        tuple((n.id, n.handles, bool(n.gauge_change)) for n in network.nodes),
        tuple((l.from_node, l.to_node, l.mode, l.gauges_mm, l.oneway) for l in network.links),
        frozenset(t.modes for t in network.parameters.transfers),
    )


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _csr_groups(keys: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """(ptr, order): the positions of ``keys`` grouped by key value, as CSR arrays."""
    order = np.argsort(keys, kind="stable").astype(np.int64)
    ptr = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n_groups), out=ptr[1:])
    return ptr, order


def _topology(network: Network, signature: tuple) -> Topology:
    node_index = {node.id: i for i, node in enumerate(network.nodes)}
    layers: list[Layer] = []
    layer_index: dict[tuple[Mode, int], int] = {}
    row_link: list[int] = []
    row_layer: list[int] = []
    for li, link in enumerate(network.links):
        for gauge in link.gauges_mm if link.mode is Mode.RAIL else (0,):
            key = (link.mode, gauge)
            if key not in layer_index:
                layer_index[key] = len(layers)
                layers.append(Layer(link.mode, gauge))
            row_link.append(li)
            row_layer.append(layer_index[key])
    n_layers = max(len(layers), 1)
    r_link = np.asarray(row_link, dtype=np.int64)
    r_layer = np.asarray(row_layer, dtype=np.int64)
    link_from = np.fromiter((node_index[l.from_node] for l in network.links), dtype=np.int64, count=len(network.links))
    link_to = np.fromiter((node_index[l.to_node] for l in network.links), dtype=np.int64, count=len(network.links))
    oneway = np.fromiter((l.oneway for l in network.links), dtype=bool, count=len(network.links))

    key_a = link_from[r_link] * n_layers + r_layer
    key_b = link_to[r_link] * n_layers + r_layer
    keys = np.unique(np.concatenate([key_a, key_b]))
    arrival_a = 2 * np.searchsorted(keys, key_a)
    arrival_b = 2 * np.searchsorted(keys, key_b)
    n_states = 2 * len(keys)
    key_node = keys // n_layers
    key_layer = keys % n_layers
    arrivals = 2 * np.arange(len(keys))

    back = ~oneway[r_link]
    parts = {
        "tail": [arrival_a + 1, arrival_b[back] + 1, arrivals],
        "head": [arrival_b, arrival_a[back], arrivals + 1],
        "kind": [np.full(len(r_link), EdgeKind.LINK), np.full(back.sum(), EdgeKind.LINK), np.full(len(keys), EdgeKind.THROUGH)],
        "link": [r_link, r_link[back], np.full(len(keys), -1)],
        "forward": [np.ones(len(r_link), bool), np.zeros(back.sum(), bool), np.ones(len(keys), bool)],
    }
    # transfers and gauge changes between the layers present at each node
    t_tail, t_head, t_kind = [], [], []
    node_ptr, node_order = _csr_groups(key_node, len(network.nodes))
    multi = np.flatnonzero(np.diff(node_ptr) > 1)
    for ni in multi:
        node = network.nodes[ni]
        here = node_order[node_ptr[ni]:node_ptr[ni + 1]]
        for a in here:
            la = layers[key_layer[a]]
            for b in here:
                if a == b:
                    continue
                lb = layers[key_layer[b]]
                if la.mode != lb.mode:
                    if la.mode in node.handles and lb.mode in node.handles and network.parameters.transfer(la.mode, lb.mode):
                        kind = EdgeKind.TRANSFER
                    else:
                        continue
                elif node.gauge_change:
                    kind = EdgeKind.GAUGE_CHANGE
                else:
                    continue
                t_tail.append(2 * a)
                t_head.append(2 * b + 1)
                t_kind.append(kind)
    n_t = len(t_tail)
    parts["tail"].append(np.asarray(t_tail, dtype=np.int64))
    parts["head"].append(np.asarray(t_head, dtype=np.int64))
    parts["kind"].append(np.asarray(t_kind, dtype=np.int64))
    parts["link"].append(np.full(n_t, -1))
    parts["forward"].append(np.ones(n_t, bool))
    arrays = {name: np.concatenate(chunks) for name, chunks in parts.items()}

    order = np.argsort(arrays["tail"], kind="stable")
    tail = arrays["tail"][order].astype(np.int32)
    head = arrays["head"][order].astype(np.int32)
    kind = arrays["kind"][order].astype(np.int8)
    link = arrays["link"][order].astype(np.int32)
    forward = arrays["forward"][order]
    indptr = np.zeros(n_states + 1, dtype=np.int32)
    np.cumsum(np.bincount(tail, minlength=n_states), out=indptr[1:])
    state_node = np.repeat(key_node, 2).astype(np.int32)
    state_layer = np.repeat(key_layer, 2).astype(np.int16)
    transfer_modes = np.full((len(tail), 2), -1, dtype=np.int8)
    is_transfer = kind == EdgeKind.TRANSFER
    layer_modes = np.asarray([l.mode.code for l in layers] or [0], dtype=np.int8)
    transfer_modes[is_transfer, 0] = layer_modes[state_layer[tail[is_transfer]]]
    transfer_modes[is_transfer, 1] = layer_modes[state_layer[head[is_transfer]]]
    link_edge_ptr, link_edge = _csr_groups(np.where(link >= 0, link, len(network.links)), len(network.links) + 1)
    node_state = (2 * node_order).astype(np.int32)
    return Topology(
        layers=tuple(layers),
        state_node=_readonly(state_node), state_layer=_readonly(state_layer),
        indptr=_readonly(indptr), tail=_readonly(tail), head=_readonly(head), kind=_readonly(kind),
        link=_readonly(link), forward=_readonly(forward), transfer_modes=_readonly(transfer_modes),
        node_state_ptr=_readonly(node_ptr), node_state=_readonly(node_state),
        link_edge_ptr=_readonly(link_edge_ptr[:-1]), link_edge=_readonly(link_edge),
        signature=signature,
    )


def _available_from(status: Status, opens_year: int | None) -> int:
    """First year an element can be used: operational from its opening (or always), planned
    and under construction from their expected year, closed and disputed never."""
    if status is Status.OPERATIONAL:
        return opens_year or 0
    if status in (Status.PLANNED, Status.UNDER_CONSTRUCTION) and opens_year:
        return opens_year
    return NEVER


def _attributes(network: Network, topo: Topology) -> MultimodalGraph:
    links = network.links
    n_links = len(links)
    border_index = {(b.id, b.mode): i for i, b in enumerate(network.borders)}

    # per link (vectorisable data gathered once)
    distance = np.fromiter((l.distance_km for l in links), float, n_links)
    mode_code = np.fromiter((l.mode.code for l in links), np.int8, n_links)
    link_border = np.fromiter((border_index[(l.border, l.mode)] if l.border else -1 for l in links), np.int32, n_links)
    statuses, opens = [], []
    for link, b in zip(links, link_border):
        status, year = link.status, _available_from(link.status, link.opens_year)
        if b >= 0:
            crossing = network.borders[b]
            year = max(year, _available_from(crossing.status, crossing.opens_year))
            status = max(status, crossing.status, key=_WORSE.index)
        statuses.append(STATUSES.index(status))
        opens.append(year)
    seasons = np.fromiter((months_mask(l.open_months) for l in links), np.int16, n_links)

    # gather to edges
    is_link = topo.link >= 0
    li = np.where(is_link, topo.link, 0)

    def gather(per_link: np.ndarray, other, dtype=float) -> np.ndarray:
        values = per_link[li] if n_links else np.zeros(len(li), dtype=dtype)
        return np.where(is_link, values, other).astype(dtype)

    operational = STATUSES.index(Status.OPERATIONAL)
    node_index = {node.id: i for i, node in enumerate(network.nodes)}
    countries = sorted({n.country for n in network.nodes} | {c for l in links for c in l.via_countries})
    code = {c: i for i, c in enumerate(countries)}
    node_country = np.asarray([code[n.country] for n in network.nodes], dtype=np.int16)
    per_link_countries = [network.link_countries(l) for l in links]
    link_country_ptr = np.zeros(n_links + 1, dtype=np.int64)
    np.cumsum([len(c) for c in per_link_countries], out=link_country_ptr[1:])
    link_country = np.asarray([code[c] for cs in per_link_countries for c in cs], dtype=np.int16)
    return MultimodalGraph(
        network=network,
        topology=topo,
        border=_readonly(gather(link_border, -1, np.int32)),
        distance_km=_readonly(gather(distance, 0.0)),
        status=_readonly(gather(np.asarray(statuses, dtype=np.int8), operational, np.int8)),
        opens_year=_readonly(gather(np.asarray(opens, dtype=np.int16), 0, np.int16)),
        open_months=_readonly(gather(seasons, ALL_YEAR, np.int16)),
        mode=_readonly(gather(mode_code, -1, np.int8)),
        node_index=MappingProxyType(node_index),
        link_index=MappingProxyType({l.id: i for i, l in enumerate(links)}),
        node_country=_readonly(node_country),
        link_country_ptr=_readonly(link_country_ptr),
        link_country=_readonly(link_country),
        countries=tuple(countries),
    )
