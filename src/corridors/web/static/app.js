// corridors web app: a thin face over the REST API under /api (see docs/api.md).
// Plain ES module, no framework, no bundler. Leaflet is loaded before this as a classic script (global L).
// State lives in the URL hash, e.g. #tab=route&from=Mumbai&to=Moscow&objective=cost, so views can be shared.

const MODES = ["rail", "road", "sea", "ferry", "iww"];
const MODE_COLOURS = { rail: "#b03a2e", road: "#d68910", sea: "#1f618d", ferry: "#148f77", iww: "#7d3c98" };
const MODE_NAMES = { rail: "rail", road: "road", sea: "sea", ferry: "ferry", iww: "inland water" };
const STATUS_DASH = { operational: null, under_construction: "8 5", planned: "2 5", disputed: "10 4 2 4", closed: "1 7" };
const STATUS_NAMES = { operational: "operational", under_construction: "under construction", planned: "planned",
  disputed: "disputed", closed: "closed" };
const DEFAULT_ROUTE = { from: "Mumbai", to: "Moscow" };
const DEFAULT_BASE = "baseline-2025";

// ---------- small helpers ----------
const $ = (sel) => document.querySelector(sel);
const $$ = (sel) => [...document.querySelectorAll(sel)];
const nf0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const fmt = (x, digits = 0) => (x == null || Number.isNaN(x) ? "–" : (digits ? nf1 : nf0).format(x));
const signed = (x, digits = 0) => (x == null ? "–" : Math.abs(x) < (digits ? 0.05 : 0.5) ? "0" : (x > 0 ? "+" : "−") + fmt(Math.abs(x), digits));
const days = (h) => (h >= 48 ? `${fmt(h / 24, 1)} days` : `${fmt(h, 1)} h`);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const elapsed = (t0) => { const s = (performance.now() - t0) / 1000; return s < 1 ? `${fmt(s * 1000)} ms` : `${fmt(s, 1)} s`; };
const modeOf = (m) => String(m || "").split(" ")[0];
const colourOf = (m) => MODE_COLOURS[modeOf(m)] || "#555";

function setStatus(text, kind = "") {
  const line = $("#status");
  line.textContent = text;
  line.title = text;
  line.className = kind;
}

class ApiError extends Error {}

/** Fetch JSON from the API; throws ApiError carrying the server's `message` (and `details`). */
async function api(path, { body, signal } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method: body ? "POST" : "GET", signal,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError("The corridors server cannot be reached. Is `corridors serve` running?");
  }
  let data = null;
  try { data = await response.json(); } catch { /* not JSON */ }
  if (!response.ok) {
    let message = data?.message || `${response.status} ${response.statusText}`;
    const details = (data?.details || []).map((d) => (typeof d === "string" ? d : [d.path, d.message].filter(Boolean).join(": ")));
    const extra = details.filter((d) => d && !message.includes(d));
    if (extra.length) message += ` (${extra.join("; ")})`;
    throw new ApiError(message);
  }
  return data;
}

/** One request per kind at a time: starting a new one aborts the previous. */
const inflight = {};
function fresh(kind) {
  inflight[kind]?.abort();
  inflight[kind] = new AbortController();
  return inflight[kind].signal;
}

// ---------- map ----------
let map, routeLayer, compareLayer;

function lineStyle(props, weight = 1.6, opacity = 0.45) {
  const closed = props.status === "closed";
  return { color: closed ? "#888" : colourOf(props.mode), weight, opacity: closed ? 0.5 : opacity,
    dashArray: STATUS_DASH[props.status] ?? null, lineCap: props.status === "operational" ? "round" : "butt" };
}

function popupHtml(title, rows) {
  const items = rows.filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("");
  return `<div class="map-popup"><strong>${esc(title)}</strong><dl>${items}</dl></div>`;
}

function linkPopup(p) {
  return popupHtml(p.id, [["mode", MODE_NAMES[p.mode] || p.mode], ["status", STATUS_NAMES[p.status] || p.status],
    ["opens", p.opens_year], ["length", p.distance_km != null ? `${fmt(p.distance_km)} km` : null],
    ["gauge", p.gauge_mm ? `${p.gauge_mm} mm` : null], ["corridors", (p.corridors || []).join(", ")],
    ["border", p.border ? (typeof p.border === "string" ? p.border : "yes") : null]]);
}

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

async function initMap() {
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
    L.geoJSON(geojson, { pane: "basemap", interactive: false,
      style: { color: "#a9a49a", weight: 0.8, fillColor: "#f7f5ef", fillOpacity: 1 } }).addTo(map);
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

function featureStyle(props, { weight = 5, opacity = 0.95 } = {}) {
  return { color: colourOf(props.mode), weight, opacity, dashArray: STATUS_DASH[props.status] ?? null };
}

/** Draw a route's FeatureCollection into `group`: legs coloured by mode, borders and transfers as markers. */
function drawRoute(group, geojson, { main = true, points = main, label = "" } = {}) {
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

function fitTo(group) {
  const bounds = group.getBounds();
  // keep the route clear of the legend in the bottom right corner
  const legend = document.querySelector(".map-legend")?.offsetWidth || 0;
  if (bounds.isValid()) map.fitBounds(bounds, { paddingTopLeft: [30, 30], paddingBottomRight: [legend + 20, 30], maxZoom: 7 });
}

// ---------- Time/Cost-Distance chart (inline SVG) ----------
function niceStep(max, count = 5) {
  const raw = max / count, p = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) || p * 10;
}

/** One panel: y(field) against cumulative km, one polyline per series; legs coloured by mode when `byMode`. */
function tcdPanel(seriesList, field, title, unit) {
  const W = 480, H = 230, ml = 56, mr = 14, mt = 12, mb = 36;
  const all = seriesList.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map((p) => p.distance_km)), maxY = Math.max(1, ...all.map((p) => p[field]));
  const sx = niceStep(maxX), sy = niceStep(maxY);
  const x1 = maxX * 1.04, y1 = maxY * 1.06;
  const X = (v) => ml + (v / x1) * (W - ml - mr), Y = (v) => H - mb - (v / y1) * (H - mt - mb);
  let svg = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">`;
  for (let v = 0; v <= x1 + 1e-9; v += sx) {
    svg += `<g class="axis"><line x1="${X(v)}" x2="${X(v)}" y1="${mt}" y2="${H - mb}"/><text x="${X(v)}" y="${H - mb + 14}" text-anchor="middle">${fmt(v)}</text></g>`;
  }
  for (let v = 0; v <= y1 + 1e-9; v += sy) {
    svg += `<g class="axis"><line x1="${ml}" x2="${W - mr}" y1="${Y(v)}" y2="${Y(v)}"/><text x="${ml - 5}" y="${Y(v) + 4}" text-anchor="end">${fmt(v)}</text></g>`;
  }
  svg += `<text x="${(ml + W - mr) / 2}" y="${H - 4}" text-anchor="middle" fill="#5b6878">distance, km</text>`;
  svg += `<text transform="translate(12 ${(mt + H - mb) / 2}) rotate(-90)" text-anchor="middle" fill="#5b6878">${esc(unit)}</text>`;
  for (const s of seriesList) {
    const pts = s.points;
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1], b = pts[i];
      const colour = s.colour || (b.kind === "leg" ? colourOf(b.label) : "#1d2733");
      svg += `<line class="series" x1="${X(a.distance_km)}" y1="${Y(a[field])}" x2="${X(b.distance_km)}" y2="${Y(b[field])}" stroke="${colour}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}><title>${esc(b.label)}</title></line>`;
    }
    for (const p of pts) {
      if (p.kind !== "border" && p.kind !== "transfer") continue;
      const tip = `${p.label}: ${fmt(p.distance_km)} km, ${fmt(p.time_h, 1)} h, USD ${fmt(p.cost_usd)}`;
      svg += p.kind === "border"
        ? `<circle class="dot-border" cx="${X(p.distance_km)}" cy="${Y(p[field])}" r="3.5"><title>${esc(tip)}</title></circle>`
        : `<circle class="dot-transfer" cx="${X(p.distance_km)}" cy="${Y(p[field])}" r="2.5"><title>${esc(tip)}</title></circle>`;
    }
  }
  return `<figure><figcaption>${esc(title)}</figcaption>${svg}</svg></figure>`;
}

function renderTcd(container, seriesList) {
  const usable = seriesList.filter((s) => s.points?.length);
  if (!usable.length) { container.innerHTML = ""; return; }
  const legend = usable.length > 1
    ? usable.map((s) => `<span><svg width="24" height="8"><line x1="0" y1="4" x2="24" y2="4" stroke="${s.colour || "#1d2733"}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/></svg> ${esc(s.name)}</span>`).join(" &nbsp; ")
    : "Line colour: mode of the leg; vertical steps: time and cost at borders and transfers.";
  container.innerHTML = tcdPanel(usable, "time_h", "Cumulative time against distance", "hours")
    + tcdPanel(usable, "cost_usd", "Cumulative cost against distance", "USD")
    + `<p class="legend-line">${legend} &nbsp; <svg width="10" height="10"><circle cx="5" cy="5" r="3.5" fill="#fff" stroke="#a61b1b" stroke-width="1.5"/></svg> border &nbsp; <svg width="10" height="10"><circle cx="5" cy="5" r="2.5" fill="#1d2733"/></svg> transfer</p>`;
}

// ---------- URL state ----------
function readHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  const state = Object.fromEntries(params.entries());
  state.tab = state.tab === "compare" ? "compare" : "route";
  return state;
}

function toHash(state) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v !== "" && v != null) params.set(k, v);
  return "#" + params.toString();
}

function routeStateFromForm() {
  const modes = $$('input[name="modes"]:checked').map((i) => i.value);
  const cargo = $("#cargo").value === "bulk" ? `t:${$("#bulk-t").value || 1}` : $("#cargo").value;
  return {
    tab: "route", from: $("#origin").value.trim(), to: $("#destination").value.trim(),
    objective: $("#objective").value, modes: modes.length === MODES.length ? "" : modes.join(","),
    avoid: $("#avoid-countries").value.split(/[\s,;]+/).filter(Boolean).map((c) => c.toUpperCase()).join(","),
    year: $("#year").value, cargo: cargo === "teu" ? "" : cargo, scenario: $("#route-scenario").value,
    alt: $("#alternatives").value === "1" ? "" : $("#alternatives").value,
  };
}

function routeStateToForm(s) {
  $("#origin").value = s.from ?? DEFAULT_ROUTE.from;
  $("#destination").value = s.to ?? DEFAULT_ROUTE.to;
  $("#objective").value = s.objective || "generalized";
  const modes = s.modes ? s.modes.split(",") : MODES;
  $$('input[name="modes"]').forEach((i) => { i.checked = modes.includes(i.value); });
  $("#avoid-countries").value = (s.avoid || "").split(",").filter(Boolean).join(", ");
  $("#year").value = s.year || "";
  const cargo = s.cargo || "teu";
  $("#cargo").value = cargo.startsWith("t:") ? "bulk" : cargo;
  if (cargo.startsWith("t:")) $("#bulk-t").value = cargo.slice(2);
  $("#bulk-field").hidden = $("#cargo").value !== "bulk";
  ensureOption($("#route-scenario"), s.scenario || "");
  $("#alternatives").value = s.alt || "1";
}

function compareStateFromForm() {
  return { tab: "compare", scenario: $("#scenario").value, base: $("#base").value === DEFAULT_BASE ? "" : $("#base").value,
    objective: $("#compare-objective").value === "generalized" ? "" : $("#compare-objective").value };
}

function compareStateToForm(s) {
  if (s.scenario) ensureOption($("#scenario"), s.scenario);
  ensureOption($("#base"), s.base || DEFAULT_BASE);
  $("#compare-objective").value = s.objective || "generalized";
  describeScenario();
}

function ensureOption(select, value) {
  if (![...select.options].some((o) => o.value === value)) select.add(new Option(value, value));
  select.value = value;
}

// ---------- scenarios and places ----------
let scenarios = [];

async function loadScenarios() {
  try {
    scenarios = await api("/api/scenarios");
  } catch (err) {
    setStatus(`Scenarios not loaded: ${err.message}`, "error");
    return;
  }
  for (const s of scenarios) {
    const text = s.title ? `${s.title}${s.year ? ` (${s.year})` : ""}` : s.name;
    $("#route-scenario").add(new Option(text, s.name));
    $("#base").add(new Option(text, s.name));
    if (s.name !== DEFAULT_BASE) $("#scenario").add(new Option(text, s.name));
  }
  $("#base").value = scenarios.some((s) => s.name === DEFAULT_BASE) ? DEFAULT_BASE : "atlas";
  describeScenario();
}

function describeScenario() {
  const s = scenarios.find((x) => x.name === $("#scenario").value);
  $("#scenario-description").textContent = s ? `${s.name}${s.builtin === false ? " (user scenario)" : ""}: ${s.description || ""}` : "";
}

function attachAutocomplete(input, list) {
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(async () => {
      try {
        const places = await api(`/api/places?q=${encodeURIComponent(q)}&limit=10`, { signal: fresh(`places-${input.id}`) });
        list.replaceChildren(...places.map((p) => new Option(`${String(p.kind || "").replace(/_/g, " ")}${p.country ? `, ${p.country}` : ""}`, p.label || p.name)));
      } catch (err) {
        if (err.name !== "AbortError") list.replaceChildren();
      }
    }, 180);
  });
}

// ---------- route planner ----------
let lastRoute = null;     // { key: the request as JSON, response }
let selectedRoute = 0;
let selectedLegs = null;  // the Leaflet GeoJSON layer of the selected route

function routeRequest(s) {
  return {
    origin: s.from, destination: s.to, objective: s.objective || "generalized",
    modes: s.modes ? s.modes.split(",") : MODES,
    avoid_countries: (s.avoid || "").split(",").filter(Boolean),
    year: s.year ? Number(s.year) : null, alternatives: Number(s.alt || 1),
    cargo: s.cargo || "teu", scenario: s.scenario || null,
  };
}

async function runRoute(s) {
  if (!s.from || !s.to) {
    showRouteMessage(`<div class="empty">Enter where the freight starts and where it goes, then press <b>Plan route</b> (or Enter).</div>`);
    return;
  }
  const button = $("#plan");
  button.setAttribute("aria-busy", "true");
  setStatus(`Planning ${s.from} → ${s.to}…`, "loading");
  const started = performance.now();
  try {
    const response = await api("/api/route", { body: routeRequest(s), signal: fresh("route") });
    lastRoute = { key: JSON.stringify(routeRequest(s)), response };
    selectedRoute = 0;
    renderRoute();
    const n = response.routes.length;
    setStatus(n ? `${n} route${n > 1 ? "s" : ""} in ${elapsed(started)}` : "No route", "");
  } catch (err) {
    if (err.name === "AbortError") return;
    lastRoute = null;
    routeLayer.clearLayers();
    showRouteMessage(`<div class="error-box" role="alert"><b>The route could not be planned.</b> ${esc(err.message)}</div>`);
    setStatus(err.message, "error");
  } finally {
    button.removeAttribute("aria-busy");
  }
}

function showRouteMessage(html) {
  $("#route-summary").innerHTML = html;
  $("#route-details").hidden = true;
}

function renderRoute() {
  const { response } = lastRoute;
  const routes = response.routes || [];
  routeLayer.clearLayers();
  if (!routes.length) {
    const reasons = (response.reasons || []).map((r) => `<li>${esc(typeof r === "string" ? r : r.message || JSON.stringify(r))}</li>`).join("");
    showRouteMessage(`<div class="reasons" role="alert"><b>No route exists with these settings.</b>${reasons ? `<ul>${reasons}</ul>` : ""}
      <p class="hint">Try allowing more modes, removing avoided countries, a later network year, or another scenario.</p></div>`);
    return;
  }
  routes.forEach((r, i) => {
    if (i === selectedRoute || !r.geojson) return;
    L.geoJSON(r.geojson, { filter: (f) => f.properties.feature === "leg", style: { color: "#34495e", weight: 4, opacity: 0.55, dashArray: "1 6", lineCap: "round" } })
      .bindTooltip(`Route ${i + 1}: ${fmt(r.distance_km)} km, ${days(r.time_h)}, USD ${fmt(r.cost_usd)}. Click to show it.`, { sticky: true })
      .on("click", () => { selectedRoute = i; renderRoute(); })
      .addTo(routeLayer);
  });
  const route = routes[selectedRoute];
  selectedLegs = drawRoute(routeLayer, route.geojson || response.geojson, { main: true })?.layer;
  // what the map shows, for tests and assistive tools: the number of legs drawn
  document.getElementById("map").dataset.routeLegs = String(
    ((route.geojson || response.geojson)?.features || []).filter((f) => f.properties.feature === "leg").length);
  const legs = route.legs || [];
  if (legs.length) {
    const first = legs[0], last = legs[legs.length - 1];
    const ends = (route.geojson || response.geojson)?.features?.filter((f) => f.properties.feature === "leg") || [];
    if (ends.length) {
      const a = ends[0].geometry.coordinates[0], b = ends.at(-1).geometry.coordinates.at(-1);
      L.tooltip({ permanent: true, direction: "left", className: "point-label", offset: [-6, 0] }).setLatLng([a[1], a[0]]).setContent(esc(first.from)).addTo(routeLayer);
      L.tooltip({ permanent: true, direction: "right", className: "point-label", offset: [6, 0] }).setLatLng([b[1], b[0]]).setContent(esc(last.to)).addTo(routeLayer);
    }
  }
  fitTo(routeLayer);
  renderSummary(routes, response);
  renderLegTable(route);
  renderTcd($("#tcd"), [{ name: "route", points: route.tcd || [] }]);
  $("#route-details").hidden = false;
}

function renderSummary(routes, response) {
  const r = routes[selectedRoute];
  const unit = r.cargo?.unit ? (r.cargo.unit.startsWith("t") && r.cargo.mass_t && r.cargo.unit !== "truck" && r.cargo.unit !== "teu" ? `${fmt(r.cargo.mass_t)} t` : r.cargo.unit.toUpperCase()) : "TEU";
  const via = Array.isArray(r.via) ? r.via.join(", ") : r.via;
  const notBuilt = (r.legs || []).filter((l) => l.status && l.status !== "operational");
  const alts = routes.length > 1
    ? `<div class="alternatives" role="group" aria-label="Alternative routes">${routes.map((x, i) =>
      `<button type="button" data-route="${i}" aria-pressed="${i === selectedRoute}"><b>Route ${i + 1}</b><br>${fmt(x.distance_km)} km · ${days(x.time_h)} · USD ${fmt(x.cost_usd)}</button>`).join("")}</div>`
    : "";
  $("#route-summary").innerHTML = `
    <p class="summary-line"><strong>${esc(r.origin)} → ${esc(r.destination)}</strong>
      <span class="muted">· minimising ${esc(r.objective === "generalized" ? "generalised cost" : r.objective)} · network year ${esc(r.year ?? "")}${response.scenario ? ` · scenario <b>${esc(typeof response.scenario === "string" ? response.scenario : response.scenario.name)}</b>` : ""}</span></p>
    <div class="figures">
      <div class="figure"><b>${fmt(r.distance_km)} km</b><span>distance</span></div>
      <div class="figure"><b>${days(r.time_h)}</b><span>${fmt(r.time_h)} hours door to door</span></div>
      <div class="figure"><b>USD ${fmt(r.cost_usd)}</b><span>per ${esc(unit)}</span></div>
      <div class="figure"><b>${fmt(r.co2e_kg)} kg</b><span>CO2e per ${esc(unit)}</span></div>
      <div class="figure"><b>${(r.border_crossings || []).length}</b><span>border crossings</span></div>
    </div>
    ${via ? `<p class="via">Via ${esc(via)}</p>` : ""}
    ${notBuilt.length ? `<p class="notes">Uses ${notBuilt.length} leg${notBuilt.length > 1 ? "s" : ""} not yet in operation (${[...new Set(notBuilt.map((l) => STATUS_NAMES[l.status] || l.status))].join(", ")}).</p>` : ""}
    ${alts}`;
  $$("#route-summary .alternatives button").forEach((b) => b.addEventListener("click", () => {
    selectedRoute = Number(b.dataset.route);
    renderRoute();
    $(`#route-summary button[data-route="${selectedRoute}"]`)?.focus();
  }));
}

/** Legs, border crossings and transfers in order along the route. */
function routeSteps(route) {
  const key = (km) => Math.round(km * 100) / 100;
  const steps = [
    ...(route.legs || []).map((x) => ({ type: "leg", km: key(x.start_km ?? 0), order: 2, x })),
    ...(route.border_crossings || []).map((x) => ({ type: "border", km: key(x.at_km ?? 0), order: 0, x })),
    ...(route.transfers || []).map((x) => ({ type: "transfer", km: key(x.at_km ?? 0), order: 1, x })),
  ];
  return steps.sort((a, b) => a.km - b.km || a.order - b.order);
}

function sourcesCell(ids) {
  if (!ids?.length) return "<td></td>";
  return `<td><details><summary>${ids.length} source${ids.length > 1 ? "s" : ""}</summary><ul>${ids.map((i) => `<li>${esc(i)}</li>`).join("")}</ul></details></td>`;
}

function renderLegTable(route) {
  const rows = [];
  let legIndex = 0;
  for (const { type, x } of routeSteps(route)) {
    if (type === "leg") {
      const mode = modeOf(x.mode);
      rows.push(`<tr class="leg" tabindex="0" data-leg="${legIndex++}">
        <td class="mode" data-mode="${esc(mode)}"><i class="swatch"></i>${esc(MODE_NAMES[mode] || x.mode)}${x.gauge_mm ? ` <span class="muted">${x.gauge_mm} mm</span>` : ""}</td>
        <td>${esc(x.from)} → ${esc(x.to)}</td><td class="num">${fmt(x.distance_km)}</td><td class="num">${fmt(x.time_h, 1)}</td>
        <td class="num">${fmt(x.cost_usd)}</td><td class="num">${fmt(x.co2e_kg)}</td><td>${esc((x.countries || []).join(", "))}</td>
        <td><span class="status-tag ${esc(x.status)}">${esc(STATUS_NAMES[x.status] || x.status)}${x.opens_year ? ` ${x.opens_year}` : ""}</span></td>
        ${sourcesCell(x.source_ids)}</tr>`);
    } else if (type === "border") {
      rows.push(`<tr class="border"><td>border</td><td>${esc(x.name)}</td><td class="num"></td><td class="num">${fmt(x.time_h, 1)}</td>
        <td class="num">${fmt(x.cost_usd)}</td><td class="num"></td><td>${esc(x.from_country)} → ${esc(x.to_country)}</td>
        <td><span class="status-tag ${esc(x.status)}">${esc(STATUS_NAMES[x.status] || x.status || "")}</span></td>${sourcesCell(x.source_ids)}</tr>`);
    } else {
      rows.push(`<tr class="transfer"><td>transfer</td><td>${esc(x.at)} <span class="muted">(${esc(x.from_mode)} → ${esc(x.to_mode)})</span></td>
        <td class="num"></td><td class="num">${fmt(x.time_h, 1)}</td><td class="num">${fmt(x.cost_usd)}</td><td class="num">${x.co2e_kg ? fmt(x.co2e_kg) : ""}</td>
        <td></td><td></td>${sourcesCell(x.source_ids)}</tr>`);
    }
  }
  $("#leg-table tbody").innerHTML = rows.join("");
  $("#leg-table tfoot").innerHTML = `<tr><td>Total</td><td>${esc(route.origin)} → ${esc(route.destination)}</td><td class="num">${fmt(route.distance_km)}</td>
    <td class="num">${fmt(route.time_h, 1)}</td><td class="num">${fmt(route.cost_usd)}</td><td class="num">${fmt(route.co2e_kg)}</td>
    <td colspan="3">${(route.source_ids || []).length} sources in all</td></tr>`;
  const legLayers = selectedLegs ? selectedLegs.getLayers().filter((l) => l.feature.properties.feature === "leg") : [];
  $$("#leg-table tr.leg").forEach((tr) => {
    const open = (event) => {
      if (event.target.closest("details")) return;
      const layer = legLayers.find((l) => l.feature.properties.index === Number(tr.dataset.leg)) || legLayers[Number(tr.dataset.leg)];
      if (!layer) return;
      map.fitBounds(layer.getBounds(), { padding: [40, 40], maxZoom: 8 });
      layer.openPopup(layer.getCenter());
    };
    tr.addEventListener("click", open);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(e); } });
  });
}

// ---------- scenario comparison ----------
let lastCompare = null;
let selectedLane = null;
const STATUS_ORDER = ["cut", "opened", "rerouted", "dearer", "cheaper", "unreachable", "unchanged"];

async function runCompare(s) {
  if (!s.scenario) {
    showCompareMessage(`<div class="empty">Pick a scenario and press <b>Compare</b> to see which trade lanes win or lose against the base case.</div>`);
    return;
  }
  const button = $("#compare");
  button.setAttribute("aria-busy", "true");
  setStatus(`Comparing ${s.scenario} with ${s.base || DEFAULT_BASE}: routing every lane twice…`, "loading");
  const started = performance.now();
  try {
    const body = compareBody(s);
    const response = await api("/api/compare", { body, signal: fresh("compare") });
    lastCompare = { key: JSON.stringify(body), response };
    selectedLane = s.lane || null;
    renderCompare();
    setStatus(`Compared ${response.lanes?.length ?? 0} lanes in ${elapsed(started)}`, "");
  } catch (err) {
    if (err.name === "AbortError") return;
    lastCompare = null;
    compareLayer.clearLayers();
    showCompareMessage(`<div class="error-box" role="alert"><b>The comparison could not be run.</b> ${esc(err.message)}</div>`);
    setStatus(err.message, "error");
  } finally {
    button.removeAttribute("aria-busy");
  }
}

function showCompareMessage(html) {
  $("#compare-summary").innerHTML = html;
  $("#compare-details").hidden = true;
}

const compareBody = (s) => ({ base: s.base || DEFAULT_BASE, scenario: s.scenario, objective: s.objective || "generalized" });
const changed = (lane) => lane.status !== "unchanged" && lane.status !== "unreachable";

function renderCompare() {
  const c = lastCompare.response;
  const lanes = [...(c.lanes || [])].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status)
    || Math.abs((b.after?.cost_usd ?? 0) - (b.before?.cost_usd ?? 0)) - Math.abs((a.after?.cost_usd ?? 0) - (a.before?.cost_usd ?? 0)));
  const counts = {};
  lanes.forEach((l) => { counts[l.status] = (counts[l.status] || 0) + 1; });
  const changes = c.changes || [];
  $("#compare-summary").innerHTML = `
    <p class="summary-line"><strong>${esc(c.scenario)}</strong> <span class="muted">compared with</span> <strong>${esc(c.base)}</strong></p>
    ${c.description ? `<p class="notes">${esc(c.description)}</p>` : ""}
    <div class="figures">${STATUS_ORDER.filter((s) => counts[s]).map((s) => `<div class="figure"><b>${counts[s]}</b><span>${s}</span></div>`).join("")}</div>
    ${changes.length ? `<details><summary>${changes.length} change${changes.length > 1 ? "s" : ""} to the network</summary><ul class="changes">${changes.map((x) => `<li>${esc(x)}</li>`).join("")}</ul></details>` : ""}
    ${lanes.some(changed) ? "" : `<p class="empty">No lane changes its route, time or cost under this scenario.</p>`}`;

  $("#winners tbody").innerHTML = lanes.map((l) => {
    const b = l.before || {}, a = l.after || {};
    const du = b.reachable && a.reachable ? a.cost_usd - b.cost_usd : null;
    const dh = b.reachable && a.reachable ? a.time_h - b.time_h : null;
    const cls = (x) => (x > 0.5 ? "pos" : x < -0.5 ? "neg" : "");
    return `<tr class="lane st-${esc(l.status)}" tabindex="0" data-lane="${esc(l.lane)}" aria-selected="${l.lane === selectedLane}">
      <td><b>${esc(l.origin)} → ${esc(l.destination)}</b><br><span class="muted">${esc(l.lane)}</span></td>
      <td><span class="status-tag ${esc(l.status)}">${esc(l.status)}</span></td>
      <td class="num ${cls(du)}">${signed(du)}</td><td class="num ${cls(dh)}">${signed(dh, 1)}</td>
      <td>${b.reachable ? esc(b.via) : `<span class="muted">${esc(b.reason || "no route")}</span>`}</td>
      <td>${a.reachable ? esc(a.via) : `<span class="muted">${esc(a.reason || "no route")}</span>`}</td></tr>`;
  }).join("");
  $$("#winners tr.lane").forEach((tr) => {
    const pick = () => selectLane(selectedLane === tr.dataset.lane ? null : tr.dataset.lane);
    tr.addEventListener("click", pick);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } });
  });

  const countries = (c.countries || []).map((x) => {
    const [rb, ra] = x.transit_revenue_usd_per_unit || [0, 0];
    const [nb, na] = x.lanes_in_transit || [0, 0];
    const [yb, ya] = x.transit_revenue_usd_per_year || [0, 0];
    return { country: x.country, rb, ra, d: ra - rb, nb, na, dy: ya - yb };
  });
  const moved = countries.filter((x) => Math.abs(x.d) >= 0.5 || x.nb !== x.na).sort((p, q) => q.d - p.d);
  const still = countries.length - moved.length;
  $("#countries tbody").innerHTML = moved.map((x) => `<tr><td>${esc(x.country)}</td><td class="num">${fmt(x.rb)}</td><td class="num">${fmt(x.ra)}</td>
      <td class="num ${x.d > 0 ? "neg" : x.d < 0 ? "pos" : ""}">${signed(x.d)}</td><td class="num">${x.dy ? signed(x.dy) : "–"}</td><td class="num">${x.nb} → ${x.na}</td></tr>`).join("")
    + (still ? `<tr><td colspan="6" class="muted">${moved.length ? "" : "No country's transit revenue changes. "}${still} other ${still > 1 ? "countries" : "country"} unchanged.</td></tr>` : "")
    + (!countries.length ? `<tr><td colspan="6" class="muted">No transit countries on these lanes.</td></tr>` : "");

  const access = c.access || [];
  $("#access-block").hidden = !access.length;
  $("#access tbody").innerHTML = access.map((x) => `<tr class="st-${esc(String(x.status).replace(/\s+/g, "-"))}"><td>${esc(x.name || x.id)}</td>
    <td><span class="status-tag">${esc(x.status)}</span></td><td class="num">${fmt(x.before)}</td><td class="num">${fmt(x.after)}</td>
    <td class="muted">${esc(x.reason_after || "")}</td></tr>`).join("");
  $("#compare-details").hidden = false;
  drawComparison();
}

function selectLane(id) {
  selectedLane = id;
  $$("#winners tr.lane").forEach((tr) => tr.setAttribute("aria-selected", String(tr.dataset.lane === id)));
  const state = { ...readHash(), lane: id || "" };
  history.replaceState(null, "", toHash(state));
  lastHash.compare = location.hash;
  drawComparison();
}

function drawComparison() {
  compareLayer.clearLayers();
  const lanes = (lastCompare?.response.lanes || []).filter((l) => (selectedLane ? l.lane === selectedLane : changed(l)));
  for (const l of lanes) {
    const label = `${l.origin} → ${l.destination} (${l.status}): `;
    if (l.before_geojson) {
      L.geoJSON(l.before_geojson, { filter: (f) => f.properties.feature === "leg",
        style: { color: "#6f6f6f", weight: 3.5, opacity: 0.85, dashArray: "6 5" } })
        .bindTooltip(`before: ${esc(l.origin)} → ${esc(l.destination)}, via ${esc(l.before?.via || "")}`, { sticky: true }).addTo(compareLayer);
    }
    drawRoute(compareLayer, l.after_geojson, { main: true, points: !!selectedLane, label });
  }
  if (lanes.length) fitTo(compareLayer);
  const lane = selectedLane && lastCompare?.response.lanes.find((l) => l.lane === selectedLane);
  $("#lane-detail").hidden = !lane;
  if (lane) $("#lane-title").textContent = `${lane.origin} → ${lane.destination} (${lane.status})`;
  renderTcd($("#lane-tcd"), lane ? [
    { name: `before (${lastCompare.response.base})`, points: lane.before_tcd || [], colour: "#777", dash: "6 5" },
    { name: `after (${lastCompare.response.scenario})`, points: lane.after_tcd || [], colour: "#1f4e79" },
  ] : []);
}

// ---------- tabs, hash routing, start-up ----------
function showTab(tab) {
  if ($("#status").className !== "loading" && $(`#tab-${tab}`).getAttribute("aria-selected") !== "true") setStatus("");
  $$(".tabs button").forEach((b) => {
    const on = b.dataset.tab === tab;
    b.setAttribute("aria-selected", String(on));
    b.tabIndex = on ? 0 : -1;
  });
  $("#route-form").hidden = tab !== "route";
  $("#compare-form").hidden = tab !== "compare";
  $("#route-results").hidden = tab !== "route";
  $("#compare-results").hidden = tab !== "compare";
  map.getPane("links").style.opacity = tab === "compare" ? "0.45" : "1";
  if (tab === "route") { compareLayer.remove(); routeLayer.addTo(map); } else { routeLayer.remove(); compareLayer.addTo(map); }
}

const lastHash = { route: null, compare: null };

function applyHash() {
  const s = readHash();
  showTab(s.tab);
  if (s.tab === "route") {
    routeStateToForm(s);
    if (s.from && s.to) {
      lastHash.route = location.hash;
      if (lastRoute?.key !== JSON.stringify(routeRequest(s))) runRoute(s);
    } else if (!lastRoute) {
      showRouteMessage(`<div class="empty">Plan a route: enter where the freight starts and where it goes, then press <b>Plan route</b> (or Enter).
        Examples: <a href="#from=Mumbai&to=Moscow&objective=cost">Mumbai → Moscow, cheapest</a> ·
        <a href="#from=Xi'an&to=Istanbul&avoid=RU,IR">Xi'an → Istanbul avoiding Russia and Iran</a> ·
        <a href="#from=Baku&to=Poti&modes=rail">Baku → Poti by rail</a></div>`);
    }
  } else {
    compareStateToForm(s);
    if (s.scenario) {
      lastHash.compare = location.hash;
      if (lastCompare?.key !== JSON.stringify(compareBody(s))) runCompare(s);
      else if ((s.lane || null) !== selectedLane) selectLane(s.lane || null);
    } else if (!lastCompare) {
      showCompareMessage(`<div class="empty">Pick a scenario and press <b>Compare</b> to see which trade lanes win or lose against the base case.
        Example: <a href="#tab=compare&scenario=red-sea-closed">Red Sea closed</a> ·
        <a href="#tab=compare&scenario=zangezur-open">Zangezur corridor open</a></div>`);
    }
  }
}

function submitState(state) {
  const hash = toHash(state);
  if (location.hash === hash) {
    // Same view asked for again: run it again (the data or server may have changed).
    if (state.tab === "route") { lastRoute = null; runRoute(state); } else { lastCompare = null; runCompare(state); }
  } else {
    location.hash = hash;
  }
}

async function main() {
  if (!window.L) {
    setStatus("The map library is missing: run `npm ci --prefix web && npm run build --prefix web`.", "error");
    return;
  }
  initMap();
  attachAutocomplete($("#origin"), $("#origin-list"));
  attachAutocomplete($("#destination"), $("#destination-list"));

  $("#route-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!$$('input[name="modes"]:checked').length) { setStatus("Choose at least one mode.", "error"); return; }
    submitState(routeStateFromForm());
  });
  $("#compare-form").addEventListener("submit", (e) => { e.preventDefault(); submitState(compareStateFromForm()); });
  $("#scenario").addEventListener("change", describeScenario);
  $("#lane-clear").addEventListener("click", () => selectLane(null));
  $("#scenario").addEventListener("change", () => { $("#scenario").title = $("#scenario").selectedOptions[0]?.text || ""; });
  $("#cargo").addEventListener("change", () => { $("#bulk-field").hidden = $("#cargo").value !== "bulk"; });
  $("#swap").addEventListener("click", () => {
    [$("#origin").value, $("#destination").value] = [$("#destination").value, $("#origin").value];
  });
  $$(".tabs button").forEach((b) => {
    b.addEventListener("click", () => { location.hash = lastHash[b.dataset.tab] || `#tab=${b.dataset.tab}`; });
    b.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
      const other = $(`.tabs button:not([data-tab="${b.dataset.tab}"])`);
      other.focus();
      other.click();
    });
  });
  window.addEventListener("hashchange", applyHash);

  api("/api/health").then((h) => {
    const n = h.network || {};
    if (n.as_of_year) $("#year").placeholder = String(n.as_of_year);
    $("#network-info").textContent = `v${h.version} · ${n.name || "atlas"} · ${fmt(n.nodes)} places, ${fmt(n.links)} links · as of ${n.as_of_year ?? "?"}`;
  }).catch(() => {});
  await loadScenarios();
  applyHash();
}

main();
