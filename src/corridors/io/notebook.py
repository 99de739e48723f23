"""Offline maps for notebooks: routes, comparisons and networks drawn with Leaflet over country outlines.

Each map is one self-contained HTML document: the Leaflet files the web app ships (inlined from
``corridors/web/static/vendor/leaflet``, put there by ``make setup``), the Natural Earth outlines
the app uses as its base layer (:func:`~corridors.geo.outlines.outlines_geojson`) and the data.
No tile server, no CDN: nothing is fetched. In a notebook it shows in an iframe (``srcdoc``), so
its script and styles stay apart from the page's. Without the Leaflet files (a build that skipped
``make setup``) the map is the static figure its caller draws (with :mod:`corridors.io._draw`, as
the HTML report does) as SVG, and says so.

The maps take GeoJSON (:meth:`Route.to_geojson`, :func:`~corridors.io.network_to_geojson`) and
labels; the results' ``explore()`` methods make them, so this module knows none of their classes.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files
from os import PathLike
from pathlib import Path
from typing import Any

from corridors.io._draw import MODE_COLOURS, figure_bytes

Static = Callable[[], Any] | None
"""Draws the static map shown without Leaflet: a function returning a matplotlib Figure."""

STATUS_DASH = {"operational": None, "under_construction": "8 5", "planned": "2 5", "disputed": "10 4 2 4",
               "closed": "1 7"}
"""SVG dash patterns by link status, as the web app draws them (js/format.js)."""
ATTRIBUTION = "Outlines: Natural Earth; links: corridors atlas (partly &copy; OpenStreetMap contributors, ODbL)"

MAP_CSS = """
html,body{margin:0;height:100%;font:13px system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1c2833}
#map{position:absolute;inset:0;background:#dfeaf2}
.map-legend{background:rgba(255,255,255,.94);padding:.3rem .6rem;border-radius:4px;line-height:1.45;
  box-shadow:0 1px 4px rgba(0,0,0,.25)}
.map-legend svg{vertical-align:middle;margin-right:.35rem}.map-title{font-weight:600}
.map-popup dl{display:grid;grid-template-columns:auto auto;gap:0 .6rem;margin:.3rem 0 0}
.map-popup dt{color:#566573}.map-popup dd{margin:0}
"""

MAP_JS = """
(function () {
  var spec = JSON.parse(document.getElementById("map-data").textContent);
  var map = L.map("map", {zoomSnap: 0.25});
  map.attributionControl.setPrefix("Leaflet").addAttribution(spec.attribution);
  map.createPane("basemap").style.zIndex = 200;
  spec.shifts.forEach(function (shift) {
    L.geoJSON(spec.basemap, {pane: "basemap", interactive: false,
      coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + shift); },
      style: {color: "#a9a49a", weight: 0.8, fillColor: "#f7f5ef", fillOpacity: 1}}).addTo(map);
  });
  var looks = {
    route: {weight: 5, opacity: 0.95}, network: {weight: 1.8, opacity: 0.8},
    faded: {weight: 1.4, opacity: 0.35}, before: {weight: 3, opacity: 0.8, color: "#777", dashArray: "6 5"}
  };
  spec.layers.forEach(function (layer) {
    var look = looks[layer.look];
    L.geoJSON(layer.geojson, {
      filter: function (f) { return layer.look !== "before" || f.geometry.type !== "Point"; },
      style: function (f) {
        var p = f.properties;
        return {color: look.color || spec.colours[p.mode] || "#555", weight: look.weight, opacity: look.opacity,
                dashArray: look.dashArray || spec.dashes[p.status] || null};
      },
      pointToLayer: function (f, latlng) {
        var kind = f.properties.feature, faded = layer.look === "faded" ? 0.4 : 1;
        if (kind === "border") {
          return L.circleMarker(latlng, {radius: 6, color: "#a61b1b", weight: 2, fillColor: "#fff", fillOpacity: 1});
        }
        if (kind === "transfer") {
          return L.circleMarker(latlng, {radius: 4.5, color: "#fff", weight: 1.5, fillColor: "#1d2733",
                                         fillOpacity: 1});
        }
        return L.circleMarker(latlng, {radius: 2.5, color: "#334", weight: 1, fillColor: "#fff", fillOpacity: faded,
                                       opacity: faded});
      },
      onEachFeature: function (f, l) {
        if (f.properties.popup) l.bindPopup(f.properties.popup);
        if (f.properties.tooltip) l.bindTooltip(f.properties.tooltip);
      }
    }).addTo(map);
  });
  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "map-legend");
    box.innerHTML = spec.legend;
    return box;
  };
  legend.addTo(map);
  var bounds = [[spec.bounds[1], spec.bounds[0]], [spec.bounds[3], spec.bounds[2]]], moved = false;
  function fit() { map.invalidateSize(); map.fitBounds(bounds, {padding: [20, 20], maxZoom: 7}); }
  fit();
  // a notebook may lay the frame out after it starts (a hidden or lazily sized output): fit again
  // when the frame gets its size, until the reader moves the map
  map.on("dragstart zoomstart", function (e) { if (e.hard !== false && map._loaded) moved = true; });
  window.addEventListener("resize", function () { if (!moved) fit(); });
  window.addEventListener("load", function () { if (!moved) fit(); });
  document.body.dataset.map = "ready";
})();
"""

VENDOR = ("web", "static", "vendor", "leaflet")
"""Where the Leaflet files are inside the package (``make setup`` copies them from npm)."""


@dataclass(frozen=True)
class InlineMap:
    """A map as one offline HTML document (``html``); shown in a notebook as an iframe of
    ``height_px`` pixels, as geopandas' ``explore()`` maps are."""

    html: str
    height_px: int = 460

    def _repr_html_(self) -> str:
        return inline_html(self.html, height_px=self.height_px)

    def save(self, path: str | PathLike[str]) -> Path:
        """Write the document to ``path`` (opens offline in any browser); returns the path."""
        out = Path(path)
        out.write_text(self.html, encoding="utf-8")
        return out


def inline_html(document: str, *, height_px: int = 460) -> str:
    """``document`` as an HTML fragment for a notebook cell: an iframe holding it in ``srcdoc``."""
    return (f'<iframe srcdoc="{escape(document, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{int(height_px)}px;border:1px solid #d5d8dc"></iframe>')


@cache
def leaflet_assets() -> tuple[str, str] | None:
    """Leaflet's script and style sheet from the package, the sheet's images inlined as data
    URIs and its comments dropped; None when the files are missing."""
    folder = files("corridors").joinpath(*VENDOR)
    script, sheet = folder.joinpath("leaflet.js"), folder.joinpath("leaflet.css")
    if not (script.is_file() and sheet.is_file()):
        return None

    def inline(match: re.Match) -> str:
        image = folder.joinpath("images", match.group(1))
        if not image.is_file():
            return "none"
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode('ascii')})"

    css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
    css = re.sub(r"url\(images/([\w.-]+)\)", inline, css)
    return script.read_text(encoding="utf-8"), css


# the maps -----------------------------------------------------------------------------------------
def route_map(route: dict[str, Any], *, title: str, subtitle: str, network: dict[str, Any] | None = None,
              static: Static = None, height_px: int = 460) -> InlineMap:
    """A route's legs (by mode, dashed where not yet built), border crossings and transfers, with
    their figures in popups, from its GeoJSON (:meth:`Route.to_geojson`); over ``network`` (a
    :func:`~corridors.io.network_to_geojson` collection), faded, when given."""
    layers = [{"look": "route", "geojson": _with_popups(route, "")}]
    if network is not None:
        layers.insert(0, {"look": "faded", "geojson": _network_layer(network)})
    return _map(layers, title=title, subtitle=subtitle, height_px=height_px, static=static)


def comparison_map(lanes: Sequence[tuple[str, dict[str, Any] | None, dict[str, Any] | None]], *, title: str,
                   subtitle: str, static: Static = None, height_px: int = 460) -> InlineMap:
    """Lanes before (grey, dashed) and after (by mode): a (label, route GeoJSON before, after)
    triple per lane, either route None where there is none; the label prefixes the popups."""
    layers = []
    for label, *routes in lanes:
        for look, route in zip(("before", "route"), routes):
            if route is not None:
                layers.append({"look": look, "geojson": _with_popups(route, label)})
    return _map(layers, title=title, subtitle=subtitle, height_px=height_px, before=True, static=static)


def network_map(network: dict[str, Any], *, title: str, subtitle: str, static: Static = None,
                height_px: int = 460) -> InlineMap:
    """Every link (by mode, dashed by status) and node of a network, from its GeoJSON
    (:func:`~corridors.io.network_to_geojson`), with popups and tooltips."""
    return _map([{"look": "network", "geojson": _network_layer(network)}], title=title, subtitle=subtitle,
                height_px=height_px, static=static)


# pieces -------------------------------------------------------------------------------------------
def _svg(figure) -> str:
    """The figure as an inline SVG element, without matplotlib's RDF metadata (its URLs)."""
    svg = figure_bytes(figure, "svg").decode("utf-8")
    return re.sub(r"<metadata>.*?</metadata>", "", svg[svg.index("<svg"):], flags=re.S)


def _map(layers: list[dict[str, Any]], *, title: str, subtitle: str, height_px: int, static: Static,
         before: bool = False) -> InlineMap:
    assets = leaflet_assets()
    head = f"<title>corridors: {escape(title)}</title>"
    if assets is None:
        note = ("Leaflet is not installed with this copy of corridors (corridors/web/static/vendor/leaflet; "
                "<code>make setup</code> puts it there), so this is the static map.")
        figure = f"<div style='max-width:100%'>{_svg(static())}</div>" if static is not None else ""
        body = f"<p><b>{escape(title)}</b>: {escape(subtitle)}</p><p class=note>{note}</p>{figure}"
        return InlineMap(_document(head, "svg{width:100%;height:auto}body{margin:8px}", body), height_px)
    script, sheet = assets
    bounds = _bounds([layer for layer in layers if layer["look"] != "faded"] or layers)  # what the map opens on
    extent = _bounds(layers)  # what it draws: the outlines reach past it, for panning
    span = max(bounds[2] - bounds[0], bounds[3] - bounds[1], 1.0)
    pad_lat = max(10.0, span / 2)
    pad_lon = max(20.0, span * 1.5)  # a notebook frame is wide: the view reaches further east and west
    world = extent[0] < -180 or extent[2] > 180
    outline_box = (-180.0, -60.0, 180.0, 85.0) if world else (
        max(-180.0, extent[0] - pad_lon), max(-60.0, extent[1] - pad_lat),
        min(180.0, extent[2] + pad_lon), min(85.0, extent[3] + pad_lat))
    from corridors.geo.outlines import outlines_geojson

    spec = {
        "layers": layers, "bounds": bounds, "shifts": [0, -360, 360] if world else [0],
        "basemap": outlines_geojson(outline_box, tolerance_deg=max(0.02, span / 600)),
        "colours": {m.value: c for m, c in MODE_COLOURS.items()}, "dashes": STATUS_DASH,
        "attribution": ATTRIBUTION,
        "legend": _legend(title, subtitle, steps=any(layer["look"] == "route" for layer in layers), before=before),
    }
    data = json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    body = (f'<div id="map"></div><script id="map-data" type="application/json">{data}</script>'
            f"<script>{script}</script><script>{MAP_JS}</script>")
    return InlineMap(_document(head, sheet + MAP_CSS, body), height_px)


def _document(head: str, css: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}<style>{css}</style></head>'
            f"<body>{body}</body></html>")


def _bounds(layers: list[dict[str, Any]]) -> list[float]:
    """(min_lon, min_lat, max_lon, max_lat) of every coordinate in ``layers``."""
    lons, lats = [], []

    def walk(coords) -> None:
        if coords and isinstance(coords[0], (int, float)):
            lons.append(coords[0])
            lats.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for layer in layers:
        for feature in layer["geojson"]["features"]:
            walk(feature["geometry"]["coordinates"])
    if not lons:
        return [26.0, 17.0, 78.0, 58.0]  # the atlas's region, as the web app opens
    return [min(lons), min(lats), max(lons), max(lats)]


def _line(colour: str, dash: str | None = None, width: int = 3) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<svg width="28" height="8" aria-hidden="true"><line x1="1" y1="4" x2="27" y2="4" '
            f'stroke="{colour}" stroke-width="{width}"{dashes}/></svg>')


def _legend(title: str, subtitle: str, *, steps: bool, before: bool) -> str:
    rows = [f'<div class="map-title">{escape(title)}</div><div>{escape(subtitle)}</div>']
    rows += [f"<div>{_line(colour)}{mode.value}</div>" for mode, colour in MODE_COLOURS.items()]
    rows.append(f"<div>{_line('#444', STATUS_DASH['planned'], 2)}not yet built</div>")
    if steps:
        rows.append('<div><svg width="28" height="12" aria-hidden="true"><circle cx="14" cy="6" r="5" fill="#fff" '
                    'stroke="#a61b1b" stroke-width="2"/></svg>border crossing</div>')
        rows.append('<div><svg width="28" height="12" aria-hidden="true"><circle cx="14" cy="6" r="4" fill="#1d2733" '
                    'stroke="#fff"/></svg>transfer</div>')
    if before:
        rows.append(f"<div>{_line('#777', '6 5')}before</div>")
    return "".join(rows)


def _popup(title: str, rows: list[tuple[str, Any]]) -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows if v not in (None, "", []))
    return f'<div class="map-popup"><strong>{escape(title)}</strong><dl>{items}</dl></div>'


def _step_popup(p: dict[str, Any], label: str) -> str:
    """The popup of a feature of :meth:`Route.to_geojson` (a leg, border crossing or transfer)."""
    money, hours = f"USD {p['cost_usd']:,.0f}", f"{p['time_h']:,.1f} h"
    if p["feature"] == "leg":
        return _popup(f"{label}{p['mode']}: {p['from_name']} \u2192 {p['to_name']}", [
            ("distance", f"{p['distance_km']:,.0f} km"), ("time", hours), ("cost", money),
            ("CO2e", f"{p['co2e_kg']:,.0f} kg"), ("status", p["status"].replace("_", " ")), ("opens", p["opens_year"]),
            ("gauge", f"{p['gauge_mm']} mm" if p["gauge_mm"] else None), ("countries", ", ".join(p["countries"])),
            ("sources", ", ".join(p["source_ids"]))])
    if p["feature"] == "border":
        p90 = p["time_p90_h"]
        return _popup(f"{label}border: {p['name']}", [
            ("crossing", f"{p['from_country']} \u2192 {p['to_country']}"), ("dwell", hours),
            ("dwell, 90th pct", f"{p90:,.1f} h" if p90 is not None else None), ("fees", money),
            ("status", p["status"].replace("_", " ")), ("at", f"{p['at_km']:,.0f} km"),
            ("sources", ", ".join(p["source_ids"]))])
    return _popup(f"{label}{p['kind']} at {p['at_name']}", [
        ("from \u2192 to", f"{p['from_mode']} \u2192 {p['to_mode']}"), ("time", hours), ("cost", money),
        ("at", f"{p['at_km']:,.0f} km"), ("sources", ", ".join(p["source_ids"]))])


def _with_popups(collection: dict[str, Any], label: str) -> dict[str, Any]:
    """A route's FeatureCollection reduced to what the map draws (mode, status, kind of step and
    the popup), longitudes unwrapped across the antimeridian."""
    features = []
    for f in collection["features"]:
        p = f["properties"]
        props = {"feature": p["feature"], "mode": p.get("mode"), "status": p.get("status"),
                 "popup": _step_popup(p, label)}
        features.append({"type": "Feature", "geometry": f["geometry"], "properties": props})
    _unwrap(features)
    return {"type": "FeatureCollection", "features": features}


def _near(lon: float, ref: float) -> float:
    """``lon`` shifted by whole turns to lie within 180 degrees of ``ref``."""
    return lon + 360.0 * round((ref - lon) / 360.0)


def _unwrap(features: list[dict[str, Any]]) -> None:
    """Make each leg's longitudes continuous (a Pacific crossing stays one line, beyond 180
    degrees if need be) and move points to the copy of the world their nearest vertex is in."""
    vertices: list[tuple[float, float, float]] = []  # (lon as given, lon drawn, lat)
    prev = None
    for f in features:
        if f["geometry"]["type"] != "LineString":
            continue
        coords = []
        for lon, lat, *rest in f["geometry"]["coordinates"]:
            x = lon if prev is None else _near(lon, prev)
            vertices.append((lon, x, lat))
            coords.append([x, lat, *rest])
            prev = x
        f["geometry"] = {"type": "LineString", "coordinates": coords}
    if not vertices or all(a == b for a, b, _ in vertices):
        return
    for f in features:
        if f["geometry"]["type"] == "Point":
            lon, lat = f["geometry"]["coordinates"][:2]
            given, drawn, _ = min(vertices, key=lambda v: abs(_near(lon, v[0]) - v[0]) + abs(lat - v[2]))
            f["geometry"] = {"type": "Point", "coordinates": [_near(lon, given) + drawn - given, lat]}


def _network_layer(collection: dict[str, Any]) -> dict[str, Any]:
    """A network's GeoJSON (:func:`~corridors.io.network_to_geojson`) reduced to what the map
    draws, with popups and tooltips, coordinates rounded to 4 decimals (about 10 m)."""
    features = []
    for f in collection["features"]:
        p, geometry = f["properties"], f["geometry"]
        if geometry["type"] == "Point":
            props = {"feature": "node", "tooltip": escape(f"{p['name']}, {p['country']} ({p['kind'].replace('_', ' ')})")}
            coords: Any = [round(c, 4) for c in geometry["coordinates"]]
        else:
            props = {"feature": "link", "mode": p["mode"], "status": p["status"], "popup": _popup(p["id"], [
                ("mode", p["mode"]), ("status", p["status"].replace("_", " ")), ("opens", p["opens_year"]),
                ("length", f"{p['distance_km']:,.0f} km"), ("gauge", ", ".join(f"{g} mm" for g in p["gauge_mm"])),
                ("corridors", ", ".join(p["corridors"])), ("border", p["border"])])}
            coords = [[round(x, 4), round(y, 4)] for x, y, *_ in geometry["coordinates"]]
        features.append({"type": "Feature", "geometry": {"type": geometry["type"], "coordinates": coords},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}
