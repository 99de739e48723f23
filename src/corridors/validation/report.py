"""A validation report as plain text or JSON (the HTML view is :mod:`corridors.validation.html`)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from corridors.validation.run import CategoryRate, FigureResult, ValidationReport

__all__ = ["format_value", "headline_table", "to_json", "to_text"]

UNIT = {"distance_km": "km", "time_h": "h", "running_time_h": "h", "dwell_h": "h", "cost_usd": "USD"}


def format_value(value: float, measure: str) -> str:
    """A value with its unit, to a sensible precision.

    >>> format_value(826.4, "distance_km"), format_value(7.25, "time_h"), format_value(1380, "cost_usd")
    ('826 km', '7.2 h', '1,380 USD')
    """
    digits = 1 if UNIT[measure] == "h" and abs(value) < 100 else 0
    return f"{value:,.{digits}f} {UNIT[measure]}"


def published(result: FigureResult) -> str:
    """The published value or range, with its unit."""
    f = result.figure
    if f.low == f.high:
        return format_value(f.low, f.measure)
    return f"{format_value(f.low, f.measure).split()[0]}-{format_value(f.high, f.measure)}"


def model(result: FigureResult) -> str:
    return "-" if result.model_value is None else format_value(result.model_value, result.figure.measure)


def _columns(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    fit = lambda cells: "  ".join(  # noqa: E731
        str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return [fit(header).rstrip(), fit(["-" * w for w in widths]), *(fit(r).rstrip() for r in rows)]


def _rate_row(rate: CategoryRate) -> list[str]:
    share = "-" if rate.rate is None else f"{100 * rate.rate:.0f} %"
    return [rate.category, f"{rate.hits} / {rate.counted}", share, f"{rate.circular_hits} / {rate.circular}"]


def headline_table(report: ValidationReport) -> list[str]:
    """Hit rate per category and overall (non-circular figures), circular figures apart."""
    rows = [_rate_row(c) for c in report.categories] + [_rate_row(report.overall)]
    return _columns(["category", "hits / figures", "hit rate", "circular: hits / figures (not counted)"], rows, (1, 2))


def _source(report: ValidationReport, result: FigureResult) -> str:
    source = report.sources.get(result.figure.source_id)
    if source is None:
        return result.figure.source_id
    return f"{source.publisher + ': ' if source.publisher else ''}{source.title} ({source.date or 'n.d.'})"


def _misses(report: ValidationReport, results: Sequence[FigureResult]) -> list[str]:
    rows = [[r.figure.id, model(r), published(r), f"{r.ratio:.2f}", _source(report, r)[:90]] for r in results]
    return _columns(["figure", "model", "published", "ratio", "source"], rows, (1, 2, 3))


def to_text(report: ValidationReport, *, worst: int = 10) -> str:
    """The report as plain text: the headline table, the worst misses with their sources, the
    figures without a model value, and the circular figures."""
    overall = report.overall
    lines = [f"Validation of {report.network or 'the network'} against {len(report.results)} published figures "
             f"({overall.circular} circular and {len(report.excluded)} excluded, reported apart).", "",
             *headline_table(report)]
    if misses := report.worst_misses(worst):
        lines += ["", f"Worst misses (ratio = model / nearest end of the published range), {len(misses)} shown:",
                  *_misses(report, misses)]
    if unresolved := report.unresolved:
        lines += ["", "No model value (counted as misses):",
                  *_columns(["figure", "why"], [[r.figure.id, r.detail[:140]] for r in unresolved])]
    if circular := report.circular:
        rows = [[r.figure.id, model(r), published(r), "hit" if r.hit else "miss", r.circular[:100]] for r in circular]
        lines += ["", "Circular figures (the atlas cites their source; not counted):",
                  *_columns(["figure", "model", "published", "", "why circular"], rows, (1, 2))]
    if excluded := report.excluded:
        rows = [[r.figure.id, model(r), published(r), "hit" if r.hit else "miss", r.figure.excluded[:100]]
                for r in excluded]
        lines += ["", "Excluded figures (published, but not what their query measures; not counted):",
                  *_columns(["figure", "model", "published", "", "why excluded"], rows, (1, 2))]
    return "\n".join(lines) + "\n"


def to_json(report: ValidationReport, *, worst: int = 10) -> str:
    """The report as JSON: headline, rates per category, worst misses and every figure's result."""
    return json.dumps(report.to_dict(worst), indent=2, ensure_ascii=False) + "\n"
