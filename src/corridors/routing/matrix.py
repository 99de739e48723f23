"""Route matrices: the best route's totals between every origin and every destination."""

from __future__ import annotations

from dataclasses import dataclass

from corridors.errors import NoRouteError
from corridors.model import Network
from corridors.routing.options import RouteOptions

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


def route_matrix(network: Network, origins: list[str], destinations: list[str],
                 options: RouteOptions | None = None) -> RouteMatrix:
    """The :class:`RouteMatrix` of ``origins`` x ``destinations`` under ``options``."""
    from corridors.routing.router import route

    options = options or RouteOptions()
    grid = {f: [[None] * len(destinations) for _ in origins] for f in MATRIX_FIELDS}
    for i, o in enumerate(origins):
        for j, d in enumerate(destinations):
            if o == d:
                for f in MATRIX_FIELDS:
                    grid[f][i][j] = 0.0
                continue
            try:
                r = route(network, o, d, options)
            except NoRouteError:
                continue
            for f in MATRIX_FIELDS:
                grid[f][i][j] = float(getattr(r, f))
    return RouteMatrix(tuple(origins), tuple(destinations),
                       **{f: tuple(tuple(row) for row in grid[f]) for f in MATRIX_FIELDS})
