"""Present benchmark results: a compact plain-text summary table and a JSON file."""

from __future__ import annotations

import json
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from _timing import TIE_RATIO


def environment() -> dict[str, Any]:
    """Interpreter, machine and library versions, so results can be compared across runs."""
    import os

    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "missing"

    return {
        "python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
        **{name: ver(name) for name in ("corridors", "numpy", "scipy", "networkx")},
    }


def _rows(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(what, median, p90, note) rows of the summary."""
    rows: list[tuple[str, str, str, str]] = []
    atlas = results.get("builtin")
    if atlas and atlas.get("network"):
        rows.append((f"built-in: {atlas['source']}", "", "", atlas["network"]))
        rows.append(("  compile_graph (cold)", f"{atlas['compile_ms']:.1f} ms", "", ""))
        for objective, s in atlas["route"].items():
            rows.append((f"  route() {objective}", f"{s['median_ms']:.2f} ms", f"{s['p90_ms']:.2f} ms",
                         f"{atlas['pairs']} pairs x {atlas['rounds']} rounds"))
    elif atlas:
        rows.append(("built-in", "", "", atlas["source"]))
    syn = results.get("synthetic")
    if syn:
        rows.append((f"synthetic: {syn['network']}", "", "", f"{syn['states']:,} states, {syn['edges']:,} edges"))
        rows.append(("  generate network", f"{syn['generate_s']:.1f} s", "", ""))
        rows.append(("  compile_graph (cold)", f"{syn['compile_s']:.1f} s", "", f"arrays {syn['arrays_mb']:.0f} MB"))
        rows.append(("  networkx DiGraph build", f"{syn['networkx_build_s']:.1f} s", "", ""))
        for name, s in syn["query"].items():
            note = "reference" if name == "scipy dijkstra" else syn["ratio_label"][name]
            rows.append((f"  {name}", f"{s['median_ms']:.1f} ms", f"{s['p90_ms']:.1f} ms", note))
        rows.append(("  optimum check", "", "", "OK" if not syn["mismatches"] else f"{len(syn['mismatches'])} MISMATCH"))
    return rows


def summary_table(results: dict[str, Any]) -> str:
    """The summary as plain text (rich's layout when rich is installed)."""
    rows = _rows(results)
    title = f"corridors routing benchmark (ratios vs scipy; under {TIE_RATIO}x is a tie)"
    try:
        from rich import box
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = [title] + ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        return "\n".join(lines)
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for name, justify in (("what", "left"), ("median", "right"), ("p90", "right"), ("note", "left")):
        table.add_column(name, justify=justify)
    for row in rows:
        table.add_row(*row)
    console = Console(width=120, color_system=None, force_terminal=False)
    with console.capture() as capture:
        console.print(table)
    return capture.get()


def write_json(results: dict[str, Any], path: Path) -> None:
    """Write ``results`` as indented JSON (the parent folder is created if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
