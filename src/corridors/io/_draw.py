"""Draw networks and routes over country outlines with matplotlib (no pyplot, no global state)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from corridors.model.enums import Mode, Status  # the enums only: Network's explore() draws with this module

MODE_COLOURS = {
    Mode.RAIL: "#b03a2e", Mode.ROAD: "#d68910", Mode.SEA: "#1f618d",
    Mode.FERRY: "#148f77", Mode.IWW: "#7d3c98",
}
STATUS_DASHES = {
    Status.OPERATIONAL: "solid", Status.UNDER_CONSTRUCTION: (0, (5, 2)), Status.PLANNED: (0, (2, 2)),
    Status.DISPUTED: (0, (5, 2, 1, 2)), Status.CLOSED: (0, (1, 2)),
}


def _extent(points: Sequence[tuple[float, float]], margin: float = 0.08) -> tuple[float, float, float, float]:
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    w, s, e, n = min(lons), min(lats), max(lons), max(lats)
    dx, dy = max(e - w, 1.0) * margin, max(n - s, 1.0) * margin
    return w - dx, s - dy, e + dx, n + dy


def _frame(bbox: tuple[float, float, float, float], *, width_in: float, max_height_in: float, title: str, dpi: int):
    """A Figure and Axes framed on ``bbox`` (equirectangular, corrected for latitude) with the
    country outlines drawn; returns (fig, ax)."""
    from matplotlib.figure import Figure

    from corridors.geo.outlines import country_outlines

    aspect = 1 / math.cos(math.radians((bbox[1] + bbox[3]) / 2))
    height_in = max(4.0, min(max_height_in, width_in * (bbox[3] - bbox[1]) * aspect / (bbox[2] - bbox[0])))
    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.93 if title else 0.98))
    ax.set_facecolor("#dfeaf2")
    span = max(bbox[2] - bbox[0], bbox[3] - bbox[1])
    for outline in country_outlines(bbox, tolerance_deg=span / 800):
        for ring in outline.rings:
            ax.fill(ring[:, 0], ring[:, 1], facecolor="#f4f1ea", edgecolor="#a39e93", linewidth=0.5, zorder=1)
        if outline.iso and bbox[0] < outline.label_lon < bbox[2] and bbox[1] < outline.label_lat < bbox[3]:
            ax.text(outline.label_lon, outline.label_lat, outline.iso, fontsize=7, color="#8c867b",
                    ha="center", va="center", zorder=2)
    ax.set_xlim(bbox[0], bbox[2])
    ax.set_ylim(bbox[1], bbox[3])
    ax.set_aspect(aspect)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        fig.suptitle(title, fontsize=12, x=0.01, ha="left", y=0.985)
    return fig, ax


def draw_map(
    network=None,
    route=None,
    *,
    title: str = "",
    width_in: float = 11.0,
    bbox: tuple[float, float, float, float] | None = None,
):
    """A Figure with the network (faded when a route is drawn) and the route on top, framed on
    the route, on ``bbox`` (min_lon, min_lat, max_lon, max_lat) or on the whole network. With no
    network, the route alone over the country outlines."""
    from matplotlib.lines import Line2D

    if route is not None:
        points = [p for leg in route.legs for p in leg.geometry]
    else:
        points = [(n.lon, n.lat) for n in network.nodes]
    bbox = bbox or _extent(points)
    fig, ax = _frame(bbox, width_in=width_in, max_height_in=10.0, title=title, dpi=110)
    faded = route is not None
    for link in network.links if network is not None else ():
        xs, ys = zip(*network.link_geometry(link))
        ax.plot(xs, ys, color=MODE_COLOURS[link.mode], linestyle=STATUS_DASHES[link.status],
                linewidth=0.8 if faded else 1.4, alpha=0.35 if faded else 0.9, zorder=3)
    if not faded:
        inside = [n for n in network.nodes if bbox[0] < n.lon < bbox[2] and bbox[1] < n.lat < bbox[3]]
        if len(inside) <= 90:  # zoomed in: name the places
            for node in inside:
                if node.kind.value in ("city", "seaport", "dry_port") or node.gauge_change:
                    ax.annotate(node.name, (node.lon, node.lat), xytext=(3, 3), textcoords="offset points",
                                fontsize=6.5, color="#333", zorder=6)
            ax.scatter([n.lon for n in inside], [n.lat for n in inside], s=5, color="#333", zorder=4)
        hubs = [n for n in network.nodes if n.gauge_change]
        ax.scatter([n.lon for n in hubs], [n.lat for n in hubs], marker="s", s=18, color="#222",
                   zorder=5, label="gauge change")
    if route is not None:
        for leg in route.legs:
            xs, ys = zip(*leg.geometry)
            ax.plot(xs, ys, color=MODE_COLOURS[leg.mode], linewidth=3.2, zorder=6,
                    linestyle="solid" if leg.status is Status.OPERATIONAL else (0, (3, 1.5)),
                    solid_capstyle="round")
        borders = route.border_crossings
        ax.scatter([b.lon for b in borders], [b.lat for b in borders], marker="D", s=36,
                   color="#111", zorder=7)
        transfers = route.transfers
        ax.scatter([t.lon for t in transfers], [t.lat for t in transfers], marker="o", s=44,
                   facecolor="white", edgecolor="#111", linewidth=1.2, zorder=8)
        ends = [route.legs[0].geometry[0], route.legs[-1].geometry[-1]] if route.legs else []
        for (x, y), name in zip(ends, (route.origin_name, route.destination_name)):
            ax.annotate(name, (x, y), xytext=(6, 6), textcoords="offset points", fontsize=9,
                        fontweight="bold", zorder=9,
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#555", "lw": 0.5})
    handles = [Line2D([], [], color=c, linewidth=2.5, label=m.value) for m, c in MODE_COLOURS.items()]
    handles += [Line2D([], [], color="#555", linestyle=STATUS_DASHES[s], linewidth=1.5, label=s.value.replace("_", " "))
                for s in Status if s is not Status.OPERATIONAL]
    if route is not None:
        handles += [
            Line2D([], [], marker="D", color="#111", linestyle="none", label="border crossing"),
            Line2D([], [], marker="o", markerfacecolor="white", color="#111", linestyle="none", label="transfer"),
        ]
    ax.legend(handles=handles, loc="lower left", fontsize=7, framealpha=0.9)
    return fig


def figure_bytes(fig, fmt: str) -> bytes:
    """Render a Figure to ``png`` or ``svg`` bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def draw_comparison_map(network, pairs, *, title: str = "", width_in: float = 11.0):
    """Routes before (grey, dashed) and after (by mode) for each (before, after) pair; either
    side may be None (a lane cut or opened)."""
    routes = [r for pair in pairs for r in pair if r is not None]
    points = [p for r in routes for leg in r.legs for p in leg.geometry] or [(n.lon, n.lat) for n in network.nodes]
    fig, ax = _frame(_extent(points), width_in=width_in, max_height_in=9.0, title=title, dpi=100)
    for before, after in pairs:
        if before is not None:
            for leg in before.legs:
                xs, ys = zip(*leg.geometry)
                ax.plot(xs, ys, color="#555", linestyle=(0, (2, 2)), linewidth=1.6, zorder=4)
        if after is not None:
            for leg in after.legs:
                xs, ys = zip(*leg.geometry)
                ax.plot(xs, ys, color=MODE_COLOURS[leg.mode], linewidth=2.6, alpha=0.9, zorder=5)
        for r in (before, after):
            if r is not None and r.legs:
                for (x, y), name in ((r.legs[0].geometry[0], r.origin_name), (r.legs[-1].geometry[-1], r.destination_name)):
                    ax.annotate(name.rsplit(",", 1)[0], (x, y), xytext=(4, 4), textcoords="offset points", fontsize=7, zorder=9)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="#555", linestyle=(0, (2, 2)), label="before")]
    handles += [Line2D([], [], color=c, linewidth=2.5, label=f"after: {m.value}") for m, c in MODE_COLOURS.items()]
    ax.legend(handles=handles, loc="lower left", fontsize=7, framealpha=0.9)
    return fig


def draw_tcd(series_before, series_after, *, title: str = "", width_in: float = 10.0):
    """Time/Cost-Distance chart: cumulative hours and USD against km, before and after."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, 3.2), dpi=100)
    for i, (field, unit) in enumerate((("time_h", "hours"), ("cost_usd", "USD"))):
        ax = fig.add_subplot(1, 2, i + 1)
        for series, style, label in ((series_before, dict(color="#777", linestyle="--"), "before"),
                                     (series_after, dict(color="#b03a2e"), "after")):
            if not series:
                continue
            xs = [p.distance_km for p in series]
            ys = [getattr(p, field) for p in series]
            ax.plot(xs, ys, label=label, linewidth=1.8, **style)
            steps = [p for p in series if p.kind in ("border", "transfer")]
            ax.scatter([p.distance_km for p in steps], [getattr(p, field) for p in steps], s=14,
                       marker="D", color=style["color"], zorder=5)
        ax.set_xlabel("cumulative distance, km")
        ax.set_ylabel(f"cumulative {unit}")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    if title:
        fig.suptitle(title, fontsize=10, x=0.01, ha="left")
    fig.tight_layout()
    return fig
