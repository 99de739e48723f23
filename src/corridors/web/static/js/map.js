// The Leaflet map (global L, loaded before the app as a classic script): basemap, atlas network,
// legend, and the layers the route planner and the comparison draw into.

import { api } from "./api.js";
import { setStatus } from "./dom.js";
import { MODES, MODE_COLOURS, MODE_NAMES, STATUS_DASH, STATUS_NAMES, colourOf, esc, fmt, modeOf } from "./format.js";

/** The map and its two result layers; set by initMap(). */
export let map, routeLayer, compareLayer;

/** Style of an atlas link: colour by mode, dashes by status. */
function lineStyle(props, weight = 1.6, opacity = 0.45) {
  const closed = props.status === "closed";
  return { color: closed ? "#888" : colourOf(props.mode), weight, opacity: closed ? 0.5 : opacity,
    dashArray: STATUS_DASH[props.status] ?? null, lineCap: props.status === "operational" ? "round" : "butt" };
}

/** A popup: a title over a list of the rows that have a value. */
function popupHtml(title, rows) {
  const items = rows.filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("");
  return `<div class="map-popup"><strong>${esc(title)}</strong><dl>${items}</dl></div>`;
}

/** Popup of an atlas link. */
function linkPopup(p) {
  return popupHtml(p.id, [["mode", MODE_NAMES[p.mode] || p.mode], ["status", STATUS_NAMES[p.status] || p.status],
    ["opens", p.opens_year], ["length", p.distance_km != null ? `${fmt(p.distance_km)} km` : null],
    ["gauge", p.gauge_mm ? `${p.gauge_mm} mm` : null], ["corridors", (p.corridors || []).join(", ")],
    ["border", p.border ? (typeof p.border === "string" ? p.border : "yes") : null]]);
}

/** The legend in the bottom right corner: modes, route markers, statuses. */
function legendControl() {
  const control = L.control({ position: "bottomright" });
  control.onAdd = () => {
    const box = L.DomUtil.create("details", "map-legend");
    box.open = true;
    box.innerHTML = "<summary>Legend</summary>";
    const div = L.DomUtil.create("div", "legend-grid", box);
    const line = (colour, dash, width = 3) =>
      `<svg width="28" height="8" aria-hidden="true"><line x1="1" y1="4" x2="27" y2="4" stroke="${colour}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ""}/></svg>`;
    div.innerHTML = "<div><b>Mode</b>" + MODES.map((m) => `<div>${line(MODE_COLOURS[m])}${MODE_NAMES[m]}</div>`).join("")
      + `<b>Route</b><div><svg width="28" height="10" aria-hidden="true"><rect x="9" y="0" width="8" height="8" transform="rotate(45 13 4) translate(0 1)" fill="#fff" stroke="#a61b1b" stroke-width="1.5"/></svg>border</div>`
      + `<div><svg width="28" height="10" aria-hidden="true"><circle cx="13" cy="5" r="4" fill="#1d2733" stroke="#fff"/></svg>transfer</div>`
      + "</div><div><b>Status</b>" + Object.entries(STATUS_NAMES).map(([s, name]) => `<div>${line(s === "closed" ? "#888" : "#444", STATUS_DASH[s], 2)}${name}</div>`).join("")
      + `<b>&nbsp;</b><div>${line("#34495e", "1 6", 4)}alternative</div>`
      + `<div>${line("#777", "6 5", 3)}before (comparison)</div></div>`;
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  return control;
}

/** Create the map with its basemap, atlas network, legend and the empty route and comparison layers. */
export async function initMap() {
  map = L.map("map", { preferCanvas: true, zoomSnap: 0.25, worldCopyJump: false, attributionControl: true, keyboard: true })
    .fitBounds([[17, 26], [58, 78]]);
  map.attributionControl.setPrefix("Leaflet").addAttribution("Outlines: Natural Earth; links: corridors atlas");
  map.createPane("basemap").style.zIndex = 200;
  map.createPane("links").style.zIndex = 350;   // atlas links: under routes, faded on the comparison tab
  routeLayer = L.featureGroup().addTo(map);
  compareLayer = L.featureGroup();
  legendControl().addTo(map);
  const overlays = {};
  const layers = L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(map);

  api("/api/basemap").then((geojson) => {
    // with copies east and west of the world, for world routes drawn across the antimeridian
    for (const shift of [0, -360, 360]) {
      L.geoJSON(geojson, { pane: "basemap", interactive: false, coordsToLatLng: ([lon, lat]) => L.latLng(lat, lon + shift),
        style: { color: "#a9a49a", weight: 0.8, fillColor: "#f7f5ef", fillOpacity: 1 } }).addTo(map);
    }
    document.getElementById("map").dataset.basemap = "loaded";
  }).catch((err) => setStatus(`Country outlines not loaded: ${err.message}`, "error"));

  try {
    const network = await api("/api/network");
    const links = L.geoJSON(network, {
      renderer: L.canvas({ pane: "links" }),
      filter: (f) => f.geometry?.type !== "Point",
      style: (f) => lineStyle(f.properties),
      onEachFeature: (f, layer) => layer.bindPopup(linkPopup(f.properties)),
    }).addTo(map);
    const renderer = L.canvas({ padding: 0.5 });
    const nodes = L.geoJSON(network, {
      filter: (f) => f.geometry?.type === "Point",
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { renderer, radius: 2.5, color: "#334", weight: 1, fillColor: "#fff", fillOpacity: 1 }),
      onEachFeature: (f, layer) => layer.bindTooltip(`${f.properties.name}, ${f.properties.country} (${f.properties.kind})`),
    });
    layers.addOverlay(links, "Atlas links");
    layers.addOverlay(nodes, "Places");
    links.bringToBack();
  } catch (err) {
    setStatus(`The atlas network could not be loaded: ${err.message}`, "error");
  }
}

/** Style of a leg of a drawn route. */
function featureStyle(props, { weight = 5, opacity = 0.95 } = {}) {
  return { color: colourOf(props.mode), weight, opacity, dashArray: STATUS_DASH[props.status] ?? null };
}

/** Draw a route's FeatureCollection into `group`: legs coloured by mode, borders and transfers as markers. */
export function drawRoute(group, geojson, { main = true, points = main, label = "" } = {}) {
  if (!geojson) return null;
  const casing = main ? L.geoJSON(geojson, { filter: (f) => f.properties.feature === "leg", interactive: false,
    style: { color: "#fff", weight: 9, opacity: 0.9 } }).addTo(group) : null;
  const layer = L.geoJSON(geojson, {
    filter: (f) => points || f.properties.feature === "leg",
    style: (f) => featureStyle(f.properties, main ? {} : { weight: 3, opacity: 0.55 }),
    pointToLayer: (f, latlng) => (f.properties.feature === "border"
      ? L.circleMarker(latlng, { radius: 6, color: "#a61b1b", weight: 2, fillColor: "#fff", fillOpacity: 1 })
      : L.circleMarker(latlng, { radius: 4.5, color: "#fff", weight: 1.5, fillColor: "#1d2733", fillOpacity: 1 })),
    onEachFeature: (f, l) => l.bindPopup(stepPopup(f.properties, label)),
  }).addTo(group);
  return { casing, layer };
}

/** Popup of a leg, border crossing or transfer of a drawn route; `label` prefixes a leg's title. */
function stepPopup(p, label) {
  if (p.feature === "leg") {
    return popupHtml(`${label}${MODE_NAMES[modeOf(p.mode)] || p.mode}: ${p.from_name} → ${p.to_name}`, [
      ["distance", `${fmt(p.distance_km)} km`], ["time", `${fmt(p.time_h, 1)} h`], ["cost", `USD ${fmt(p.cost_usd)}`],
      ["CO2e", `${fmt(p.co2e_kg)} kg`], ["status", STATUS_NAMES[p.status] || p.status], ["opens", p.opens_year],
      ["gauge", p.gauge_mm ? `${p.gauge_mm} mm` : null], ["countries", (p.countries || []).join(", ")]]);
  }
  if (p.feature === "border") {
    return popupHtml(`Border: ${p.name}`, [["crossing", `${p.from_country} → ${p.to_country}`], ["mode", p.mode],
      ["dwell", `${fmt(p.time_h, 1)} h`], ["dwell, 90th pct", p.time_p90_h != null ? `${fmt(p.time_p90_h, 1)} h` : null],
      ["fees", `USD ${fmt(p.cost_usd)}`], ["status", STATUS_NAMES[p.status] || p.status], ["at km", fmt(p.at_km)]]);
  }
  return popupHtml(`Transfer at ${p.at_name}`, [["from → to", `${p.from_mode} → ${p.to_mode}`], ["time", `${fmt(p.time_h, 1)} h`],
    ["cost", `USD ${fmt(p.cost_usd)}`], ["at km", fmt(p.at_km)]]);
}

/** Zoom the map to `group`. */
export function fitTo(group) {
  const bounds = group.getBounds();
  // keep the route clear of the legend in the bottom right corner
  const legend = document.querySelector(".map-legend")?.offsetWidth || 0;
  if (bounds.isValid()) map.fitBounds(bounds, { paddingTopLeft: [30, 30], paddingBottomRight: [legend + 20, 30], maxZoom: 7 });
}

/** Show the layer of `tab` ("route" or "compare"); the atlas links fade on the comparison tab. */
export function showLayersFor(tab) {
  map.getPane("links").style.opacity = tab === "compare" ? "0.45" : "1";
  if (tab === "route") { compareLayer.remove(); routeLayer.addTo(map); } else { routeLayer.remove(); compareLayer.addTo(map); }
}
