"""Present routes, places and checks as rich tables."""

from __future__ import annotations

import calendar

from rich.console import Console
from rich.table import Table

from corridors.model import Mode, Status
from corridors.routing.result import BorderStep, Leg, Route, TransferStep

MODE_STYLE = {
    Mode.RAIL: "red3", Mode.ROAD: "dark_orange3", Mode.SEA: "blue", Mode.FERRY: "dark_cyan", Mode.IWW: "magenta",
}


def _f(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def route_table(route: Route, *, title: str | None = None) -> Table:
    """The route's steps in travel order with totals."""
    table = Table(
        title=title or f"{route.origin_name} -> {route.destination_name}",
        caption=(
            f"best by {route.objective}; one {route.cargo.name} ({route.cargo.mass_t:g} t); network year {route.year}; "
            + (f"shipped in {calendar.month_name[route.month]}; " if route.month else "") + "per shipment"
        ),
        title_justify="left", caption_justify="left",
    )
    for name, justify in (("step", "left"), ("from -> to / where", "left"), ("countries", "left"),
                          ("km", "right"), ("hours", "right"), ("USD", "right"), ("kg CO2e", "right"),
                          ("status", "left")):
        table.add_column(name, justify=justify)
    for step in route.steps:
        if isinstance(step, Leg):
            status = step.status.value.replace("_", " ") + (f" ({step.opens_year})" if step.opens_year else "")
            gauge = f" {step.gauge_mm}" if step.gauge_mm else ""
            table.add_row(
                f"[{MODE_STYLE.get(step.mode, '')}]{step.mode.value}{gauge}[/]", f"{step.from_name} -> {step.to_name}",
                "-".join(step.countries), _f(step.distance_km), _f(step.time_h, 1), _f(step.cost_usd),
                _f(step.co2e_kg), status if step.status is Status.OPERATIONAL else f"[yellow]{status}[/]",
            )
        elif isinstance(step, BorderStep):
            table.add_row(
                "[bold]border[/]", step.name, f"{step.from_country}->{step.to_country}", "",
                _f(step.time_h, 1), _f(step.cost_usd), "", step.status.value,
            )
        else:
            assert isinstance(step, TransferStep)
            table.add_row(
                f"[italic]{step.kind_label}[/]", f"{step.at_name}: {step.from_label} -> {step.to_label}", "", "",
                _f(step.time_h, 1), _f(step.cost_usd), _f(step.co2e_kg), "",
            )
    table.add_section()
    table.add_row(
        "[bold]total[/]", "", "", _f(route.distance_km), _f(route.time_h, 1), _f(route.cost_usd),
        _f(route.co2e_kg), f"{route.time_h / 24:.1f} days",
    )
    return table


def alternatives_table(routes: list[Route]) -> Table:
    """One row per alternative route."""
    table = Table(title="Alternatives", title_justify="left")
    for name, justify in (("#", "right"), ("via (transfers and borders)", "left"), ("countries", "left"), ("km", "right"),
                          ("hours", "right"), ("USD", "right"), ("kg CO2e", "right")):
        table.add_column(name, justify=justify)
    for i, r in enumerate(routes, 1):
        table.add_row(str(i), r.via_summary(), "-".join(r.countries), _f(r.distance_km), _f(r.time_h, 1),
                      _f(r.cost_usd), _f(r.co2e_kg))
    return table


def print_tables(console: Console, *tables: Table) -> None:
    for table in tables:
        console.print(table)
