"""Compile a Network into a frozen multimodal state graph.

Each node takes part in one or more *layers*: ``road``, ``sea``, ``ferry``, ``iww`` and one
``rail`` layer per gauge (1520 and 1435 mm are different layers). Each (node, layer) has two
states: *arrival* (where links end) and *departure* (where links start). Edges are of four kinds:

- ``LINK``: departure -> arrival along a link (both directions unless one-way), carrying its
  running time, cost and CO2e and, if it crosses a border, the border's dwell time and fee;
- ``THROUGH``: arrival -> departure in the same layer at no cost (staying on the train or truck);
- ``TRANSFER``: arrival -> departure between two modes at a node that handles both;
- ``GAUGE_CHANGE``: arrival -> departure between the 1520 and 1435 mm rail layers at a
  gauge-change facility.

Because every transfer leaves from an arrival and enters a departure, a unit changes layer at
most once per node: it cannot chain rail -> road -> rail to dodge a gauge-change charge.

Edges are sorted by tail state into forward-star (CSR) arrays with a crosswalk back to link and
border indices. Per-edge figures are stored per TEU-equivalent (cost), per tonne (line-haul CO2e)
and per TEU-equivalent (terminal CO2e), so a query scales them to its cargo without recompiling.
Compilation is pure and cached per Network object.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from types import MappingProxyType
from typing import Mapping

import numpy as np

from corridors.model import Link, Mode, Network, Status

STATUS_CODES = {status: i for i, status in enumerate(Status)}


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
        return f"{self.mode.value} {self.gauge_mm} mm" if self.gauge_mm else self.mode.value


@dataclass(frozen=True, eq=False)
class MultimodalGraph:
    """A compiled network. Arrays are read-only; build one with :func:`compile_graph`.

    Edge arrays (length ``n_edges``, sorted by tail):
    ``tail``/``head`` state indices; ``kind`` (EdgeKind); ``link`` index into ``network.links``
    (-1 if none) and ``forward`` (True when travelled from_node -> to_node); ``border`` index into
    ``network.borders`` (-1); ``distance_km``; ``run_time_h`` and ``run_cost_usd`` (per TEU-eq)
    of the link or transfer; ``border_time_h`` and ``border_cost_usd`` (per TEU-eq);
    ``co2e_kg_per_t`` (line haul, per tonne carried) and ``co2e_kg_per_teu`` (terminals);
    ``status`` (the worse of link and border, as codes of ``Status``) and ``opens_year``, the
    first year the edge can be used (0: always; ``NEVER``: closed, disputed or undated); ``mode`` (index into ``list(Mode)``; -1 for transfers).
    """

    network: Network
    layers: tuple[Layer, ...]
    state_node: np.ndarray
    state_layer: np.ndarray
    indptr: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    kind: np.ndarray
    link: np.ndarray
    forward: np.ndarray
    border: np.ndarray
    distance_km: np.ndarray
    run_time_h: np.ndarray
    run_cost_usd: np.ndarray
    border_time_h: np.ndarray
    border_cost_usd: np.ndarray
    co2e_kg_per_t: np.ndarray
    co2e_kg_per_teu: np.ndarray
    status: np.ndarray
    opens_year: np.ndarray
    mode: np.ndarray
    reverse_order: np.ndarray
    reverse_indptr: np.ndarray
    node_index: Mapping[str, int]
    node_arrivals: tuple[np.ndarray, ...]
    node_departures: tuple[np.ndarray, ...]
    country_edges: Mapping[str, np.ndarray]
    link_edges: tuple[np.ndarray, ...]
    link_index: Mapping[str, int]

    @property
    def n_states(self) -> int:
        return len(self.state_node)

    @property
    def n_edges(self) -> int:
        return len(self.tail)

    def arrivals(self, node_id: str) -> np.ndarray:
        """Arrival states of a node (one per layer): where routes to it end."""
        return self.node_arrivals[self.node_index[node_id]]

    def departures(self, node_id: str) -> np.ndarray:
        """Departure states of a node (one per layer): where routes from it start."""
        return self.node_departures[self.node_index[node_id]]


_CACHE_ATTRIBUTE = "_compiled_graph"


def compile_graph(network: Network) -> MultimodalGraph:
    """Compile ``network`` into a :class:`MultimodalGraph`; cached per network object.

    The cache lives on the network itself (as ``functools.cached_property`` does), so a network
    and its graph are freed together when the caller drops the network.
    """
    graph = network.__dict__.get(_CACHE_ATTRIBUTE)
    if graph is None:
        graph = _compile(network)
        network.__dict__[_CACHE_ATTRIBUTE] = graph
    return graph


def _link_layers(link: Link) -> list[Layer]:
    if link.mode is Mode.RAIL:
        return [Layer(Mode.RAIL, g) for g in link.gauges_mm]
    return [Layer(link.mode)]


NEVER = 9999
"""``opens_year`` of an edge that no year makes available (closed, disputed, or no date)."""


def _available_from(status: Status, opens_year: int | None) -> int:
    """First year an element can be used: operational from its opening (or always), planned
    and under construction from their expected year, closed and disputed never."""
    if status is Status.OPERATIONAL:
        return opens_year or 0
    if status in (Status.PLANNED, Status.UNDER_CONSTRUCTION) and opens_year:
        return opens_year
    return NEVER


def _worse(a: Status, b: Status) -> Status:
    order = [Status.OPERATIONAL, Status.UNDER_CONSTRUCTION, Status.PLANNED, Status.DISPUTED, Status.CLOSED]
    return max(a, b, key=order.index)


def _compile(network: Network) -> MultimodalGraph:
    params = network.parameters
    node_index = {node.id: i for i, node in enumerate(network.nodes)}
    border_index = {(b.id, b.mode): i for i, b in enumerate(network.borders)}
    layers: list[Layer] = []
    layer_index: dict[Layer, int] = {}
    states: dict[tuple[int, int], int] = {}

    def state(node: int, layer: Layer) -> int:
        if layer not in layer_index:
            layer_index[layer] = len(layers)
            layers.append(layer)
        key = (node, layer_index[layer])
        if key not in states:
            states[key] = 2 * len(states)  # arrival; departure is arrival + 1
        return states[key]

    cols: dict[str, list] = {name: [] for name in (
        "tail", "head", "kind", "link", "forward", "border", "distance_km", "run_time_h",
        "run_cost_usd", "border_time_h", "border_cost_usd", "co2e_kg_per_t", "co2e_kg_per_teu",
        "status", "opens_year", "mode",
    )}
    modes = list(Mode)

    def add(**values) -> None:
        for name, column in cols.items():
            column.append(values[name])

    for li, link in enumerate(network.links):
        mp = params.modes[link.mode]
        run_time = link.time_h if link.time_h is not None else link.distance_km / (link.speed_kmh or mp.speed_kmh)
        run_time += link.wait_h
        run_cost = link.cost_usd_per_teu if link.cost_usd_per_teu is not None else link.distance_km * mp.cost_usd_per_teu_km
        status, opens = link.status, _available_from(link.status, link.opens_year)
        b_index, b_time, b_cost = -1, 0.0, 0.0
        if link.border:
            b_index = border_index[(link.border, link.mode)]
            crossing = network.borders[b_index]
            b_time, b_cost = crossing.dwell_h, crossing.fee_usd
            opens = max(opens, _available_from(crossing.status, crossing.opens_year))
            status = _worse(status, crossing.status)
        a, b = node_index[link.from_node], node_index[link.to_node]
        for layer in _link_layers(link):
            sa, sb = state(a, layer), state(b, layer)
            ends = [(sa + 1, sb, True)] if link.oneway else [(sa + 1, sb, True), (sb + 1, sa, False)]
            for tail, head, forward in ends:
                add(tail=tail, head=head, kind=EdgeKind.LINK, link=li, forward=forward, border=b_index,
                    distance_km=link.distance_km, run_time_h=run_time, run_cost_usd=run_cost,
                    border_time_h=b_time, border_cost_usd=b_cost,
                    co2e_kg_per_t=link.distance_km * mp.co2e_g_per_tkm / 1000.0, co2e_kg_per_teu=0.0,
                    status=STATUS_CODES[status], opens_year=opens, mode=modes.index(link.mode))

    by_node: dict[int, list[tuple[Layer, int]]] = {}
    for (node, li), s in states.items():
        by_node.setdefault(node, []).append((layers[li], s))
    for ni, node in enumerate(network.nodes):
        here = by_node.get(ni, [])
        for la, sa in here:
            add(tail=sa, head=sa + 1, kind=EdgeKind.THROUGH, link=-1, forward=True, border=-1, distance_km=0.0,
                run_time_h=0.0, run_cost_usd=0.0, border_time_h=0.0, border_cost_usd=0.0, co2e_kg_per_t=0.0,
                co2e_kg_per_teu=0.0, status=STATUS_CODES[Status.OPERATIONAL], opens_year=0, mode=-1)
            for lb, sb in here:
                if sa == sb:
                    continue
                if la.mode != lb.mode:
                    if la.mode not in node.handles or lb.mode not in node.handles:
                        continue
                    transfer = params.transfer(la.mode, lb.mode)
                    if transfer is None:
                        continue
                    kind, time_h, cost = EdgeKind.TRANSFER, transfer.time_h, transfer.cost_usd_per_teu
                    co2_teu = transfer.co2e_kg_per_teu
                elif node.gauge_change:
                    kind = EdgeKind.GAUGE_CHANGE
                    time_h = node.gauge_change_time_h if node.gauge_change_time_h is not None else params.gauge_change_time_h
                    cost = node.gauge_change_cost_usd if node.gauge_change_cost_usd is not None else params.gauge_change_cost_usd_per_teu
                    co2_teu = 0.0
                else:
                    continue
                add(tail=sa, head=sb + 1, kind=kind, link=-1, forward=True, border=-1, distance_km=0.0,
                    run_time_h=time_h, run_cost_usd=cost, border_time_h=0.0, border_cost_usd=0.0,
                    co2e_kg_per_t=0.0, co2e_kg_per_teu=co2_teu, status=STATUS_CODES[Status.OPERATIONAL],
                    opens_year=0, mode=-1)

    dtypes = {"tail": np.int32, "head": np.int32, "kind": np.int8, "link": np.int32, "forward": bool,
              "border": np.int32, "status": np.int8, "opens_year": np.int16, "mode": np.int8}
    arrays = {name: np.asarray(values, dtype=dtypes.get(name, np.float64)) for name, values in cols.items()}
    n_states = 2 * len(states)
    order = np.argsort(arrays["tail"], kind="stable")
    arrays = {name: a[order] for name, a in arrays.items()}
    indptr = np.zeros(n_states + 1, dtype=np.int32)
    np.cumsum(np.bincount(arrays["tail"], minlength=n_states), out=indptr[1:])
    reverse_order = np.argsort(arrays["head"], kind="stable").astype(np.int32)
    reverse_indptr = np.zeros(n_states + 1, dtype=np.int32)
    np.cumsum(np.bincount(arrays["head"], minlength=n_states), out=reverse_indptr[1:])

    state_node = np.empty(n_states, dtype=np.int32)
    state_layer = np.empty(n_states, dtype=np.int16)
    node_arrivals: list[list[int]] = [[] for _ in network.nodes]
    for (node, li), s in states.items():
        state_node[s] = state_node[s + 1] = node
        state_layer[s] = state_layer[s + 1] = li
        node_arrivals[node].append(s)

    country_sets: dict[str, list[int]] = {}
    node_country = [n.country for n in network.nodes]
    link_countries = [network.link_countries(link) for link in network.links]
    for e in range(len(order)):
        li = arrays["link"][e]
        countries = link_countries[li] if li >= 0 else (node_country[state_node[arrays["tail"][e]]],)
        for c in countries:
            country_sets.setdefault(c, []).append(e)
    link_edge_lists: list[list[int]] = [[] for _ in network.links]
    for e, li in enumerate(arrays["link"]):
        if li >= 0:
            link_edge_lists[li].append(e)

    frozen = {name: _readonly(a) for name, a in arrays.items()}
    return MultimodalGraph(
        network=network,
        layers=tuple(layers),
        state_node=_readonly(state_node),
        state_layer=_readonly(state_layer),
        indptr=_readonly(indptr),
        reverse_order=_readonly(reverse_order),
        reverse_indptr=_readonly(reverse_indptr),
        node_index=MappingProxyType(node_index),
        node_arrivals=tuple(_readonly(np.asarray(s, dtype=np.int32)) for s in node_arrivals),
        node_departures=tuple(_readonly(np.asarray(s, dtype=np.int32) + 1) for s in node_arrivals),
        country_edges=MappingProxyType({c: _readonly(np.asarray(e, dtype=np.int64)) for c, e in country_sets.items()}),
        link_edges=tuple(_readonly(np.asarray(e, dtype=np.int64)) for e in link_edge_lists),
        link_index=MappingProxyType({link.id: i for i, link in enumerate(network.links)}),
        **frozen,
    )


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
