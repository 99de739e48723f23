"""Which links and border crossings matter most: close each in turn and measure the damage.

Only elements on some lane's best route can hurt that lane when closed (a shortest path that
does not use an element cannot get worse without it), so only those are tried, and only the
lanes that use them are re-routed.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from corridors.analysis.cases import Case, LaneResult, route_lane, route_lanes
from corridors.analysis.lanes import Lane, shipments_per_year


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
    ranked = []
    for done, ((kind, element), results) in enumerate(sorted(users.items()), 1):
        closed = dataclasses.replace(case, options=dataclasses.replace(case.options, avoid=case.options.avoid + (element,)))
        cut, extra_cost, extra_time, per_year = [], 0.0, 0.0, 0.0
        for result in results:
            after = route_lane(closed, result.lane)
            if after.route is None:
                cut.append(result.lane.id)
                continue
            extra_cost += after.route.cost_usd - result.route.cost_usd
            extra_time += after.route.time_h - result.route.time_h
            per_year += (after.route.cost_usd - result.route.cost_usd) * shipments_per_year(result.lane, result.route)
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
