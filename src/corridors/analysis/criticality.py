"""Which links and border crossings matter most: close each in turn and measure the damage.

Only elements on some lane's best route can hurt that lane when closed (a shortest path that
does not use an element cannot get worse without it), so only those are tried, and only the
lanes that use them are re-routed. Each lane is prepared once (places, weights, rules); closing
an element adds one rule to its prepared query.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from corridors.analysis.cases import Case, LaneResult, route_lanes
from corridors.analysis.lanes import Lane, shipments_per_year
from corridors.errors import CorridorsError
from corridors.routing.prepare import PreparedRoute, element_edges, prepare
from corridors.routing.result import Route


@dataclass(frozen=True)
class Criticality:
    """The damage done to the lane set by closing one element.

    ``extra_cost_usd``/``extra_time_h``: summed over the lanes that still have a route, one
    shipment each; ``extra_cost_usd_per_year``: weighted by the lanes' sourced annual volumes.
    ``lanes_cut``: lanes left with no route at all.
    """

    element: str
    kind: str
    name: str
    lanes_using: tuple[str, ...]
    lanes_cut: tuple[str, ...]
    extra_cost_usd: float
    extra_time_h: float
    extra_cost_usd_per_year: float


def criticality(case: Case, lanes: list[Lane], *, progress=None) -> list[Criticality]:
    """Rank the links and border crossings used by the lanes' best routes, worst closure first
    (lanes cut, then extra cost). ``progress(done, total)`` is called after each element."""
    base = {r.lane.id: r for r in route_lanes(case, lanes)}
    users: dict[tuple[str, str], list[LaneResult]] = defaultdict(list)
    net = case.network
    for result in base.values():
        if result.route is None:
            continue
        for link_id in dict.fromkeys(result.route.link_ids):
            users[("link", link_id)].append(result)
        for step in result.route.border_crossings:
            if step.border_id:
                users[("border", step.border_id)].append(result)
    prepared: dict[str, PreparedRoute] = {}
    ranked = []
    for done, ((kind, element), results) in enumerate(sorted(users.items()), 1):
        cut, extra_cost, extra_time, per_year = [], 0.0, 0.0, 0.0
        for result in results:
            lane = result.lane
            if lane.id not in prepared:
                prepared[lane.id] = prepare(net, lane.origin, lane.destination,
                                            dataclasses.replace(case.options, cargo=lane.cargo))
            after = _without(prepared[lane.id], element)
            if after is None:
                cut.append(lane.id)
                continue
            extra_cost += after.cost_usd - result.route.cost_usd
            extra_time += after.time_h - result.route.time_h
            per_year += (after.cost_usd - result.route.cost_usd) * shipments_per_year(lane, result.route)
        if kind == "link":
            name = element
        else:
            name = next(b.name for b in net.borders if b.id == element)
        ranked.append(Criticality(element, kind, name, tuple(r.lane.id for r in results), tuple(cut),
                                  extra_cost, extra_time, per_year))
        if progress:
            progress(done, len(users))
    ranked.sort(key=lambda c: (-len(c.lanes_cut), -c.extra_cost_usd))
    return ranked


def _without(lane: PreparedRoute, element: str) -> Route | None:
    """The lane's best route with a link or border crossing closed, or None if none is left."""
    found = element_edges(lane.graph, element)
    if found is None:
        raise CorridorsError(f"no link or border crossing {element!r}")
    ok = np.ones(lane.graph.n_edges, dtype=bool)
    ok[found[1]] = False
    path = lane.query.restrict("closed", ok).path()
    return None if path is None else lane.build(path[1])
