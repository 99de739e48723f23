"""Time/Cost-Distance (TCD) series of a route, as in the UNESCAP and ADB CAREC method:
cumulative time and cost against cumulative distance, with borders and transfers as vertical
steps (time and cost accrue while distance stands still)."""

from __future__ import annotations

from dataclasses import dataclass

from corridors.routing.result import BorderStep, Leg, Route


@dataclass(frozen=True)
class TcdPoint:
    """Cumulative km, hours and USD after a step; ``kind`` is leg, border or transfer."""

    distance_km: float
    time_h: float
    cost_usd: float
    kind: str
    label: str


def tcd_series(route: Route) -> list[TcdPoint]:
    """Points from the origin (0, 0, 0) to the destination, one after each step."""
    km = hours = usd = 0.0
    points = [TcdPoint(0.0, 0.0, 0.0, "start", route.origin_name)]
    for step in route.steps:
        hours += step.time_h
        usd += step.cost_usd
        if isinstance(step, Leg):
            km += step.distance_km
            points.append(TcdPoint(km, hours, usd, "leg", f"{step.mode.value} to {step.to_name}"))
        elif isinstance(step, BorderStep):
            points.append(TcdPoint(km, hours, usd, "border", step.name))
        else:
            points.append(TcdPoint(km, hours, usd, "transfer", f"{step.kind_label} at {step.at_name}"))
    return points
