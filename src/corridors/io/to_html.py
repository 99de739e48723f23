"""A self-contained HTML route report: map (inline SVG), leg table, borders, transfers, sources.

Opens offline: no scripts, fonts or tiles are fetched.
"""

from __future__ import annotations

import calendar
from html import escape

from corridors.io._draw import draw_map, figure_bytes
from corridors.model import Network, SourceKind, Status
from corridors.model import layer_label
from corridors.routing.result import BorderStep, Leg, Route, TransferStep

REPORT_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1180px;color:#1c2833;padding:0 16px}
h1{font-size:1.5em;margin-bottom:4px}h2{font-size:1.15em;margin-top:28px;border-bottom:1px solid #d5d8dc}
.sub{color:#566573;margin-top:0}.kpis{display:flex;gap:28px;margin:14px 0}.kpi b{display:block;font-size:1.4em}
table{border-collapse:collapse;width:100%;font-size:.88em}th,td{padding:4px 8px;border-bottom:1px solid #eaeded;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.border td{background:#fdf2e9}tr.transfer td{background:#eaf2f8}
.tag{font-size:.8em;padding:1px 5px;border-radius:3px;background:#eee}.planned{background:#fcf3cf}.assumption{color:#9a7d0a}
svg{width:100%;height:auto}.src{font-size:.82em}code{font-size:.95em}
"""
"""Style shared by the HTML route report and the scenario comparison report (analysis.report)."""


def _n(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _step_row(step) -> str:
    if isinstance(step, Leg):
        status = step.status.value.replace("_", " ")
        if step.opens_year:
            status += f" (expected {step.opens_year})"
        tag = "tag" if step.status is Status.OPERATIONAL else "tag planned"
        return (
            f"<tr><td>{escape(layer_label(step.mode, step.gauge_mm))}</td><td>{escape(step.from_name)} &rarr; {escape(step.to_name)}</td>"
            f"<td>{escape(', '.join(step.countries))}</td><td class=n>{_n(step.distance_km)}</td>"
            f"<td class=n>{_n(step.time_h, 1)}</td><td class=n>{_n(step.cost_usd)}</td><td class=n>{_n(step.co2e_kg)}</td>"
            f"<td><span class='{tag}'>{escape(status)}</span></td><td class=src>{escape(', '.join(step.source_ids))}</td></tr>"
        )
    if isinstance(step, BorderStep):
        p90 = f" (p90 {_n(step.time_p90_h, 1)} h)" if step.time_p90_h is not None else ""
        return (
            f"<tr class=border><td>border</td><td>{escape(step.name)}{p90}</td><td>{step.from_country} &rarr; {step.to_country}</td>"
            f"<td class=n></td><td class=n>{_n(step.time_h, 1)}</td><td class=n>{_n(step.cost_usd)}</td><td class=n></td>"
            f"<td><span class=tag>{escape(step.status.value)}</span></td><td class=src>{escape(', '.join(step.source_ids))}</td></tr>"
        )
    assert isinstance(step, TransferStep)
    return (
        f"<tr class=transfer><td>{escape(step.kind_label)}</td><td>{escape(step.at_name)}: {escape(step.from_label)} &rarr; {escape(step.to_label)}</td>"
        f"<td></td><td class=n></td><td class=n>{_n(step.time_h, 1)}</td><td class=n>{_n(step.cost_usd)}</td>"
        f"<td class=n>{_n(step.co2e_kg)}</td><td></td><td class=src>{escape(', '.join(step.source_ids))}</td></tr>"
    )


def route_to_html(route: Route, network: Network, *, alternatives: tuple[Route, ...] = ()) -> str:
    """The route report as one HTML document (string)."""
    title = f"{route.origin_name} \u2192 {route.destination_name}"
    shipped = f", shipped in {calendar.month_name[route.month]}" if route.month else ""
    svg = figure_bytes(draw_map(network, route), "svg").decode("utf-8")
    svg = svg[svg.index("<svg"):]
    rows = "\n".join(_step_row(s) for s in route.steps)
    alt_rows = "\n".join(
        f"<tr><td>{i + 1}</td><td>{escape(r.via_summary())}</td>"
        f"<td>{escape(' - '.join(r.countries))}</td>"
        f"<td class=n>{_n(r.distance_km)}</td><td class=n>{_n(r.time_h, 1)}</td><td class=n>{_n(r.cost_usd)}</td>"
        f"<td class=n>{_n(r.co2e_kg)}</td></tr>"
        for i, r in enumerate(alternatives)
    )
    sources = []
    for sid in route.source_ids:
        src = network.source_by_id.get(sid)
        if src is None:
            continue
        cls = " class=assumption" if src.kind is SourceKind.ASSUMPTION else ""
        ref = escape(src.reference)
        sources.append(
            f"<li{cls}><code>{escape(sid)}</code> [{escape(src.kind.value)}] {escape(src.title)}"
            f"{', ' + escape(src.publisher) if src.publisher else ''}{', ' + escape(src.date) if src.date else ''}"
            f"{'. ' + ref if ref else ''}{'. <i>' + escape(src.notes) + '</i>' if src.notes else ''}</li>"
        )
    unbuilt = route.not_yet_built
    warning = (
        f"<p><b>Note:</b> {len(unbuilt)} leg(s) use links not built in {network.as_of_year}; "
        f"the route assumes them open by {route.year}.</p>" if unbuilt else ""
    )
    alternatives_html = (
        "<h2>Alternatives</h2><table><tr><th>#</th><th>via (transfers and borders)</th><th>countries</th><th class=n>km</th>"
        f"<th class=n>hours</th><th class=n>USD</th><th class=n>kg CO2e</th></tr>{alt_rows}</table>"
        if alternatives else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>corridors: {escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{REPORT_CSS}</style></head>
<body>
<h1>{escape(title)}</h1>
<p class=sub>Best route by <b>{escape(route.objective)}</b> for one {escape(route.cargo.name)}
({_n(route.cargo.mass_t, 1)} t, {route.cargo.teu_equivalent:g} TEU-equivalent) on the {escape(network.name)}
{escape(network.version)}, network year {route.year}{shipped}. Figures are per shipment.</p>
<div class=kpis><div class=kpi><b>{_n(route.distance_km)} km</b>distance</div>
<div class=kpi><b>{_n(route.time_h / 24, 1)} days</b>{_n(route.time_h)} h door to door</div>
<div class=kpi><b>${_n(route.cost_usd)}</b>cost</div><div class=kpi><b>{_n(route.co2e_kg)} kg</b>CO2e (well-to-wheel)</div>
<div class=kpi><b>{len(route.border_crossings)}</b>border crossings</div><div class=kpi><b>{len(route.transfers)}</b>transfers</div></div>
{warning}
{svg}
<h2>Legs, borders and transfers</h2>
<table><tr><th>step</th><th>where</th><th>countries</th><th class=n>km</th><th class=n>hours</th><th class=n>USD</th>
<th class=n>kg CO2e</th><th>status</th><th>sources</th></tr>
{rows}
<tr><th colspan=3>total</th><th class=n>{_n(route.distance_km)}</th><th class=n>{_n(route.time_h, 1)}</th>
<th class=n>{_n(route.cost_usd)}</th><th class=n>{_n(route.co2e_kg)}</th><th colspan=2></th></tr></table>
{alternatives_html}
<h2>Sources</h2><ul>{''.join(sources)}</ul>
<p class=src>Map: country outlines from Natural Earth (public domain). Network lengths partly derived from
OpenStreetMap data (&copy; OpenStreetMap contributors, ODbL). Produced by corridors.</p>
</body></html>
"""
