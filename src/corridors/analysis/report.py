"""A self-contained HTML report of a scenario comparison: map of changed routes, winners and
losers, access pairs, Time/Cost-Distance charts and the scenario's change log. Opens offline."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from corridors.analysis.compare import Comparison, LaneChange
from corridors.analysis.tcd import tcd_series
from corridors.io._draw import draw_comparison_map, draw_tcd, figure_bytes
from corridors.io.to_html import REPORT_CSS


def _svg(fig) -> str:
    text = figure_bytes(fig, "svg").decode("utf-8")
    return text[text.index("<svg"):]


def _n(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _signed(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:+,.{digits}f}"


_LANE_HEADER = ("<table><tr><th>lane</th><th>status</th><th class=n>h before</th><th class=n>h after</th><th class=n>USD before</th>"
                "<th class=n>USD after</th><th class=n>&Delta; USD</th><th class=n>&Delta; kg CO2e</th><th>via before</th><th>via after</th></tr>")


def _lane_table(changes: Iterable[LaneChange]) -> str:
    """An HTML table of lane changes, a row per lane: hours, USD and CO2e before and after."""
    rows = []
    for c in changes:
        b, a = c.before.route, c.after.route
        rows.append(
            f"<tr><td>{escape(c.lane.id)}</td><td>{escape(c.status)}</td>"
            f"<td class=n>{_n(b.time_h if b else None, 1)}</td><td class=n>{_n(a.time_h if a else None, 1)}</td>"
            f"<td class=n>{_n(b.cost_usd if b else None)}</td><td class=n>{_n(a.cost_usd if a else None)}</td>"
            f"<td class=n>{_signed(c.delta('cost_usd'))}</td><td class=n>{_signed(c.delta('co2e_kg'))}</td>"
            f"<td>{escape(b.via_summary() if b else 'no route')}</td><td>{escape(a.via_summary() if a else 'no route: ' + c.after.reason.splitlines()[0])}</td></tr>"
        )
    return _LANE_HEADER + "".join(rows) + "</table>"


def _year_effect_html(comparison: Comparison) -> str:
    """The network-year effect section (base in its year -> base in the scenario's), or ``""``."""
    effect = comparison.year_effect
    if effect is None:
        return ""
    changed = [c for c in effect.lanes if c.changed]
    return (f"<h2>Network-year effect, not the scenario's</h2>\n<p class=sub>{escape(effect.base.name)} (year {effect.base.year}) "
            f"&rarr; {escape(effect.scenario.name)} (year {effect.scenario.year}): what the links due in between change on "
            f"their own, before the scenario acts. {len(changed)} of {len(effect.lanes)} lanes change.</p>\n"
            + (_lane_table(changed) if changed else ""))


def comparison_to_html(comparison: Comparison) -> str:
    """The comparison as one HTML document (string)."""
    base, scenario = comparison.base, comparison.scenario
    changed = [lane for lane in comparison.lanes if lane.changed]
    title = f"{scenario.name} compared with {base.name}"
    map_svg = _svg(draw_comparison_map(scenario.network, [(c.before.route, c.after.route) for c in changed])) if changed else ""
    country_rows = "".join(
        f"<tr><td>{escape(x.country)}</td><td class=n>{_n(x.transit_tkm_per_unit[0])}</td><td class=n>{_n(x.transit_tkm_per_unit[1])}</td>"
        f"<td class=n>{_n(x.transit_revenue_usd_per_unit[0])}</td><td class=n>{_n(x.transit_revenue_usd_per_unit[1])}</td>"
        f"<td class=n>{_signed(x.revenue_change_usd_per_unit)}</td>"
        f"<td class=n>{_signed(x.transit_revenue_usd_per_year[1] - x.transit_revenue_usd_per_year[0])}</td>"
        f"<td class=n>{x.lanes_in_transit[0]} &rarr; {x.lanes_in_transit[1]}</td></tr>"
        for x in comparison.countries
    )
    access_rows = "".join(
        f"<tr><td>{escape(a.pair.name)}</td><td><b>{escape(a.status)}</b></td>"
        f"<td class=n>{_n(a.before.route.cost_usd if a.before.route else None)}</td>"
        f"<td class=n>{_n(a.after.route.cost_usd if a.after.route else None)}</td>"
        f"<td>{escape(a.after.route.via_summary() if a.after.route else a.after.reason.splitlines()[-1].strip(' -'))}</td></tr>"
        for a in comparison.access
    )
    charts = "".join(
        f"<h3>{escape(c.lane.id)}: {escape(c.lane.origin)} &rarr; {escape(c.lane.destination)}</h3>"
        + _svg(draw_tcd(tcd_series(c.before.route) if c.before.route else [], tcd_series(c.after.route) if c.after.route else []))
        for c in changed if c.before.route or c.after.route
    )
    changes = "".join(f"<li>{escape(str(ch))}</li>" for ch in scenario.changes if ch not in base.changes)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>corridors: {escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{REPORT_CSS}</style></head><body>
<h1>{escape(title)}</h1>
<p class=sub>{escape(scenario.description)}</p>
<div class=kpis><div class=kpi><b>{len(comparison.lanes)}</b>lanes</div><div class=kpi><b>{len(changed)}</b>changed</div>
<div class=kpi><b>{sum(c.status == 'cut' for c in comparison.lanes)}</b>cut</div>
<div class=kpi><b>{sum(c.status == 'opened' for c in comparison.lanes)}</b>opened</div></div>
{map_svg}
{_year_effect_html(comparison)}
<h2>Lanes: winners and losers (the scenario effect)</h2>
<p class=sub>Per shipment, by {escape(scenario.options.objective)}; routes before ({escape(base.name)}, year {base.year}) and after
({escape(scenario.name)}, year {scenario.year}).</p>
{_lane_table(comparison.lanes)}
<h2>Countries: transit gained and lost</h2>
<p class=sub>Transit = neither origin nor destination country. Per unit: one shipment on every lane. Per year: lanes
with a sourced annual volume only. Links touching several countries are split evenly among them.</p>
<table><tr><th>country</th><th class=n>t-km before</th><th class=n>t-km after</th><th class=n>USD before</th>
<th class=n>USD after</th><th class=n>&Delta; USD per unit</th><th class=n>&Delta; USD per year</th><th class=n>lanes</th></tr>{country_rows}</table>
<h2>Access and isolation</h2>
<table><tr><th>access</th><th>status</th><th class=n>USD before</th><th class=n>USD after</th><th>after</th></tr>{access_rows}</table>
<h2>Time/Cost-Distance charts of the changed lanes</h2>
<p class=sub>Cumulative hours and USD against km (UNESCAP / ADB CAREC method); diamonds are borders and transfers.</p>
{charts}
<h2>What the scenario changes</h2><ul>{changes or '<li>policies and parameters only</li>'}</ul>
<p class=src>Produced by corridors. Map outlines: Natural Earth (public domain). Lengths partly derived from OpenStreetMap
(&copy; OpenStreetMap contributors, ODbL).</p>
</body></html>
"""
