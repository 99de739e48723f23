"""Per-edge time, money and CO2e of a compiled atlas graph."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corridors.caching import attached
from corridors.costs.elements import border_dwell_h, border_fee_usd, link_cost_usd, link_running_time_h, transfer_costs
from corridors.costs.objectives import CostArrays
from corridors.graph import EdgeKind, MultimodalGraph


@dataclass(frozen=True, eq=False)
class CostParts:
    """Figures of every element of a graph (read-only arrays, one entry per edge or arc):
    ``run_time_h`` and ``run_cost_usd`` (per TEU-equivalent) of running it (a link with its
    scheduled waits, a transfer, a gauge change); ``border_time_h`` and ``border_cost_usd`` (per
    TEU-equivalent) of the border crossed on it; ``co2e_kg_per_t`` (line haul, per tonne
    carried) and ``co2e_kg_per_teu`` (terminals)."""

    run_time_h: np.ndarray
    run_cost_usd: np.ndarray
    border_time_h: np.ndarray
    border_cost_usd: np.ndarray
    co2e_kg_per_t: np.ndarray
    co2e_kg_per_teu: np.ndarray

    @property
    def time_h(self) -> np.ndarray:
        """Hours, border dwell included (computed on each call)."""
        return self.run_time_h + self.border_time_h

    @property
    def cost_usd(self) -> np.ndarray:
        """USD per TEU-equivalent, border fees included (computed on each call)."""
        return self.run_cost_usd + self.border_cost_usd

    def arrays(self, distance_km: np.ndarray) -> CostArrays:
        """What an objective reads."""
        return CostArrays(run_time_h=self.run_time_h, border_time_h=self.border_time_h, run_cost_usd=self.run_cost_usd,
                          border_cost_usd=self.border_cost_usd, co2e_kg_per_t=self.co2e_kg_per_t,
                          co2e_kg_per_teu=self.co2e_kg_per_teu, distance_km=distance_km)


@dataclass(frozen=True, eq=False)
class EdgeCosts(CostParts):
    """The :class:`CostParts` of an atlas :class:`~corridors.graph.MultimodalGraph`'s edges, and
    per border crossing (``network.borders``) ``dwell_p90_h`` (NaN where unpublished)."""

    dwell_p90_h: np.ndarray


def edge_costs(graph: MultimodalGraph) -> EdgeCosts:
    """The :class:`EdgeCosts` of ``graph`` under its network's parameters (computed once per graph).

    Links run at :func:`~corridors.costs.link_running_time_h` plus their scheduled wait and cost
    :func:`~corridors.costs.link_cost_usd`; a link that crosses a border adds the crossing's dwell
    and fee; transfers take their mode pair's parameters, gauge changes their node's figures or
    the network's defaults. CO2e is the mode's intensity x km per tonne on links, the transfer's
    terminal CO2e per TEU on transfers.
    """
    return _cached(graph)[0]


def edge_cost_arrays(graph: MultimodalGraph) -> CostArrays:
    """What objectives read of ``graph``'s :func:`edge_costs` (kept with them, so the sums an
    objective needs are made once per graph)."""
    return _cached(graph)[1]


def _cached(graph: MultimodalGraph) -> tuple[EdgeCosts, CostArrays]:
    """Kept on the graph (:func:`corridors.caching.attached`) under ``"edge_costs"``; costs by
    service class or rate date will be further keys of the same graph."""
    def make() -> tuple[EdgeCosts, CostArrays]:
        costs = _compute(graph)
        return costs, costs.arrays(graph.distance_km)

    return attached(graph, "edge_costs", make)


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _compute(graph: MultimodalGraph) -> EdgeCosts:
    network = graph.network
    params = network.parameters
    links, borders = network.links, network.borders
    n_links, n = len(links), graph.n_edges
    topo = graph.topology

    run_time = np.fromiter((link_running_time_h(params, l) + l.wait_h for l in links), float, n_links)
    run_cost = np.fromiter((link_cost_usd(params, l) for l in links), float, n_links)
    intensity = np.fromiter((params.modes[l.mode].co2e_g_per_tkm for l in links), float, n_links)
    dwell = np.asarray([border_dwell_h(b)[0] for b in borders] + [0.0])
    p90 = np.asarray([np.nan if (d := border_dwell_h(b)[1]) is None else d for b in borders], dtype=float)
    fee = np.asarray([border_fee_usd(b) for b in borders] + [0.0])

    is_link = topo.link >= 0
    li = np.where(is_link, topo.link, 0)

    def gather(per_link: np.ndarray) -> np.ndarray:
        return np.where(is_link, per_link[li], 0.0) if n_links else np.zeros(n)

    e_time, e_cost = gather(run_time), gather(run_cost)
    co2_teu = np.zeros(n)
    is_transfer = topo.kind == EdgeKind.TRANSFER
    if is_transfer.any():
        table = {}
        for t in params.transfers:
            a, b = sorted(m.code for m in t.modes)
            table[(a, b)] = transfer_costs(t)
        pairs = np.sort(topo.transfer_modes[is_transfer], axis=1)
        values = np.asarray([table[(int(a), int(b))] for a, b in pairs])
        e_time[is_transfer], e_cost[is_transfer], co2_teu[is_transfer] = values.T
    is_gauge = topo.kind == EdgeKind.GAUGE_CHANGE
    if is_gauge.any():
        nodes = network.nodes
        node_time = np.asarray([params.gauge_change_time_h if x.gauge_change_time_h is None else x.gauge_change_time_h
                                for x in nodes])
        node_cost = np.asarray([params.gauge_change_cost_usd_per_teu if x.gauge_change_cost_usd is None
                                else x.gauge_change_cost_usd for x in nodes])
        at = topo.state_node[topo.tail[is_gauge]]
        e_time[is_gauge], e_cost[is_gauge] = node_time[at], node_cost[at]
    return EdgeCosts(
        run_time_h=_readonly(e_time),
        run_cost_usd=_readonly(e_cost),
        border_time_h=_readonly(dwell[graph.border]),
        border_cost_usd=_readonly(fee[graph.border]),
        co2e_kg_per_t=_readonly(gather(np.asarray([l.distance_km for l in links], dtype=float) * intensity / 1000.0)),
        co2e_kg_per_teu=_readonly(co2_teu),
        dwell_p90_h=_readonly(p90),
    )
