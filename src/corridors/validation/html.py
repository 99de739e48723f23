"""A validation report as one self-contained HTML page: the headline table, a model-vs-published
plot per category (matplotlib SVG), and every figure with the model value beside the published
one, its tolerance band drawn as a small bar, and its source linked. Opens offline."""

from __future__ import annotations

import math
from html import escape

from corridors.io._draw import figure_bytes
from corridors.io.to_html import REPORT_CSS
from corridors.validation.circular import first_url
from corridors.validation.report import headline_table, model, published
from corridors.validation.run import FigureResult, ValidationReport

__all__ = ["to_html"]

BAR_SPAN = 4.0
"""The row bars show ratios from 1/BAR_SPAN to BAR_SPAN of the published value, on a log scale."""
CSS = REPORT_CSS + """
.hit{color:#1e8449;font-weight:600}.miss{color:#b03a2e;font-weight:600}.circ td{color:#7f8c8d}
.plots{display:flex;flex-wrap:wrap;gap:12px}.plots figure{margin:0;width:280px}figcaption{font-size:.85em;color:#566573}
svg.bar{width:160px;height:14px}pre{background:#f4f6f6;padding:8px;font-size:.85em}
"""


def _x(ratio: float, width: float = 160.0) -> float:
    """Where a ratio to the published value falls on a row bar (log scale, clipped)."""
    clipped = min(max(ratio, 1 / BAR_SPAN), BAR_SPAN)
    return width * (math.log(clipped) / math.log(BAR_SPAN) + 1) / 2


def _bar(result: FigureResult) -> str:
    """The tolerance band (light), the published range (dark) and the model (dot), relative to the
    published midpoint."""
    f = result.figure
    mid = (f.low + f.high) / 2 or 1.0
    band_low, band_high = f.band
    parts = [f"<rect x={_x(band_low / mid):.1f} y=4 width={_x(band_high / mid) - _x(band_low / mid):.1f} height=6 fill='#d6eaf8'/>",
             f"<rect x={_x(f.low / mid):.1f} y=3 width={max(_x(f.high / mid) - _x(f.low / mid), 1.5):.1f} height=8 fill='#2e86c1'/>"]
    if result.model_value is not None:
        colour = "#1e8449" if result.hit else "#b03a2e"
        parts.append(f"<circle cx={_x(result.model_value / mid):.1f} cy=7 r=4 fill='{colour}'/>")
    return f"<svg class=bar viewBox='0 0 160 14'>{''.join(parts)}</svg>"


def _plot(category: str, results: list[FigureResult]) -> str:
    """Model against published midpoint on log axes, with y = x and the tolerance band; circular
    figures hollow."""
    from matplotlib.figure import Figure

    points = [r for r in results if r.model_value is not None and r.model_value > 0]
    fig = Figure(figsize=(3.6, 3.4))
    ax = fig.add_subplot()
    if points:
        mids = [(r.figure.low + r.figure.high) / 2 for r in points]
        lo, hi = min(mids + [r.model_value for r in points]) / 1.5, max(mids + [r.model_value for r in points]) * 1.5
        tol = points[0].figure.tolerance
        ax.fill_between([lo, hi], [lo * (1 - tol), hi * (1 - tol)], [lo * (1 + tol), hi * (1 + tol)], color="#d6eaf8")
        ax.plot([lo, hi], [lo, hi], color="#5d6d7e", linewidth=0.8)
        for r, mid in zip(points, mids):
            colour = "#1e8449" if r.hit else "#b03a2e"
            ax.scatter([mid], [r.model_value], s=16, edgecolors=colour,
                       facecolors="none" if r.circular else colour, linewidths=1)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
    unit = {"length": "km", "time": "h", "dwell": "h", "cost": "USD"}.get(category, "")
    ax.set_xlabel(f"published ({unit})", fontsize=8)
    ax.set_ylabel(f"model ({unit})", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.set_title(category, fontsize=9)
    fig.tight_layout()
    svg = figure_bytes(fig, "svg").decode("utf-8")
    return svg[svg.index("<svg"):]


def _source_cell(report: ValidationReport, result: FigureResult) -> str:
    source = report.sources.get(result.figure.source_id)
    if source is None:
        return escape(result.figure.source_id)
    title = escape(source.title)
    url = first_url(source.reference)
    linked = f"<a href='{escape(url)}'>{title}</a>" if url else title
    return f"{linked}<br><span class=sub>{escape(source.publisher)}, {escape(source.date or 'n.d.')}</span>"


def _row(report: ValidationReport, r: FigureResult) -> str:
    f = r.figure
    verdict = f"<span class={'hit' if r.hit else 'miss'}>{'hit' if r.hit else 'miss'}</span>"
    ratio = "" if r.ratio is None else f"{r.ratio:.2f}"
    query = f.border + (f" {f.direction}" if f.direction else "") if f.of_crossing else f"{f.origin} &rarr; {f.destination}"
    pins = ", ".join(x for x in ((f"via {';'.join(f.via)}" if f.via else ""),
                                  ("/".join(sorted(m.value for m in f.modes)) if f.modes else ""),
                                  (f.cargo if f.cargo != "teu" else ""), str(f.year)) if x)
    why = f"<br><span class=sub>{escape(r.circular)}</span>" if r.circular else ""
    return (f"<tr class='{'circ' if r.circular else ''}'><td><code>{escape(f.id)}</code><br>"
            f"<span class=sub>{query} ({escape(pins)})</span></td>"
            f"<td class=n>{escape(published(r))}<br><span class=sub>{f.published_year}, &plusmn;{100 * f.tolerance:.0f} %</span></td>"
            f"<td class=n>{escape(model(r))}</td><td>{_bar(r)}</td><td class=n>{ratio}</td><td>{verdict}{why}</td>"
            f"<td class=src>{escape(r.detail)}</td><td class=src>{_source_cell(report, r)}</td></tr>")


def to_html(report: ValidationReport, *, worst: int = 10) -> str:
    """The report as one HTML document (string)."""
    overall = report.overall
    headline = "-" if overall.rate is None else f"{100 * overall.rate:.0f} %"
    plots = "".join(
        f"<figure>{_plot(c.category, [r for r in report.results if r.figure.category == c.category])}"
        f"<figcaption>{c.category}: filled = counted, hollow = circular; band = tolerance</figcaption></figure>"
        for c in report.categories)
    misses = "".join(_row(report, r) for r in report.worst_misses(worst))
    sections = []
    for c in report.categories:
        rows = "".join(_row(report, r) for r in report.results if r.figure.category == c.category)
        sections.append(f"<h2>{escape(c.category)}: {c.hits} / {c.counted} hit</h2><table>{_HEAD}{rows}</table>")
    return f"""<!doctype html><html lang=en><head><meta charset=utf-8>
<title>corridors: validation against published figures</title><style>{CSS}</style></head><body>
<h1>How well the model matches published figures</h1>
<p class=sub>{escape(report.network)}: {len(report.results)} figures; headline hit rate {headline}
({overall.hits} / {overall.counted} non-circular figures); {overall.circular} circular figures (the atlas cites
their source) shown greyed and not counted. A figure hits when the model lies within the published value or
range widened by its tolerance (lengths &plusmn;10 %, times, dwell and costs &plusmn;30 %).</p>
<pre>{escape(chr(10).join(headline_table(report)))}</pre>
<div class=plots>{plots}</div>
<h2>Worst misses</h2><table>{_HEAD}{misses}</table>
{''.join(sections)}
</body></html>
"""


_HEAD = ("<tr><th>figure and query</th><th class=n>published</th><th class=n>model</th>"
         f"<th>band, range, model (x1/{BAR_SPAN:g} to x{BAR_SPAN:g})</th><th class=n>ratio</th><th>verdict</th>"
         "<th>model route</th><th>source</th></tr>")
