"""Route matrices: the best route's totals between every origin and every destination.

The request's weights and rules are prepared once; each origin then takes one shortest-path
tree (per set of flow rules that apply to its destinations), and each cell walks that tree back
and sums the figures of the edges on its path, as a route's totals do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from corridors.costs import edge_costs
from corridors.model import Network
from corridors.routing.options import RouteOptions, cargo_unit
from corridors.routing.places import resolve_place
from corridors.routing.prepare import check_end, policy_key, prepare_rules, via_waypoints, with_policies
from corridors.routing.query import PreparedQuery

if TYPE_CHECKING:  # pragma: no cover - types only
    import pandas

MATRIX_FIELDS = ("distance_km", "time_h", "cost_usd", "co2e_kg")


@dataclass(frozen=True)
class RouteMatrix:
    """Totals of the best route from each origin (rows) to each destination (columns); ``None``
    where no route exists, 0 on a place paired with itself."""

    origins: tuple[str, ...]
    destinations: tuple[str, ...]
    distance_km: tuple[tuple[float | None, ...], ...]
    time_h: tuple[tuple[float | None, ...], ...]
    cost_usd: tuple[tuple[float | None, ...], ...]
    co2e_kg: tuple[tuple[float | None, ...], ...]

    def to_frame(self) -> pandas.DataFrame:
        """A pandas DataFrame, one row per (origin, destination) cell, origins in order and,
        within each, destinations: ``origin``, ``destination``, ``distance_km``, ``time_h``,
        ``cost_usd``, ``co2e_kg`` (missing where no route exists). Needs the ``geo`` extra."""
        from corridors.io.frames import rows_to_frame

        rows = [{"origin": o, "destination": d, **{f: getattr(self, f)[i][j] for f in MATRIX_FIELDS}}
                for i, o in enumerate(self.origins) for j, d in enumerate(self.destinations)]
        return rows_to_frame(rows, columns=("origin", "destination", *MATRIX_FIELDS))


def route_matrix(network: Network, origins: list[str], destinations: list[str],
                 options: RouteOptions | None = None) -> RouteMatrix:
    """The :class:`RouteMatrix` of ``origins`` x ``destinations`` under ``options``.

    Raises what :func:`~corridors.routing.route` raises for a place that does not resolve, lies
    in an avoided country or is itself avoided; a pair with no route is a ``None`` cell.

    Examples
    --------
    >>> from corridors import load_atlas
    >>> m = route_matrix(load_atlas(), ["Baku", "Tbilisi"], ["Tbilisi", "Kars"])
    >>> m.distance_km[1][0], m.time_h[0][0] > 0
    (0.0, True)
    """
    options = options or RouteOptions()
    base = prepare_rules(network, options)
    graph = base.engine.graph
    costs = edge_costs(graph)
    cargo = cargo_unit(network.parameters, options.cargo)
    time_h = costs.run_time_h + costs.border_time_h
    cost_usd = (costs.run_cost_usd + costs.border_cost_usd) * cargo.teu_equivalent
    co2e_kg = costs.co2e_kg_per_t * cargo.mass_t + costs.co2e_kg_per_teu * cargo.teu_equivalent
    per_edge = {"distance_km": graph.distance_km, "time_h": time_h, "cost_usd": cost_usd, "co2e_kg": co2e_kg}
    o_match = [resolve_place(network, o, modes=options.modes) for o in origins]
    d_match = [resolve_place(network, d, modes=options.modes) for d in destinations]
    for role, matches in (("origin", o_match), ("destination", d_match)):
        for match in matches:
            check_end(network, graph, options, match, role)
    waypoints = via_waypoints(network, graph, options)
    grid = {f: [[None] * len(destinations) for _ in origins] for f in MATRIX_FIELDS}
    for i, o in enumerate(o_match):
        groups: dict[tuple, list[int]] = {}
        for j, d in enumerate(d_match):
            if o.node.id == d.node.id:
                for f in MATRIX_FIELDS:
                    grid[f][i][j] = 0.0
                continue
            groups.setdefault(policy_key(options.rules, o.node.country, d.node.country), []).append(j)
        for js in groups.values():
            query = with_policies(base, graph, options.rules, o.node.country, d_match[js[0]].node.country)
            query = PreparedQuery(query.engine, query.weights, query.masks, waypoints=waypoints)
            tree = None if waypoints else query.solver.tree(graph.departures(o.node.id))
            for j in js:
                d = graph.arrivals(d_match[j].node.id)
                found = (query.path(graph.departures(o.node.id), d) if waypoints
                         else query.solver.tree_path(tree, d))
                if found is None:
                    continue
                edges = found[1]
                for f in MATRIX_FIELDS:
                    grid[f][i][j] = float(per_edge[f][edges].sum(dtype=np.float64))
    return RouteMatrix(tuple(origins), tuple(destinations),
                       **{f: tuple(tuple(row) for row in grid[f]) for f in MATRIX_FIELDS})
