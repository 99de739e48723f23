// The route planner tab: plan a route through the API, draw it, fill the summary, leg table and chart.

import { api, fresh } from "./api.js";
import { $, $$, setStatus } from "./dom.js";
import { MODES, MODE_NAMES, MONTHS, OBJECTIVES, STATUS_NAMES, days, elapsed, esc, fmt, modeOf } from "./format.js";
import { drawRoute, fitTo, map, routeLayer } from "./map.js";
import { unwrapRoute } from "./geo.js";
import { renderTcd } from "./tcd.js";
import { chokepointsText, routeChokepointsText, worldRequest } from "./world.js";

let lastRoute = null;     // { key: the request as JSON, response }
let selectedRoute = 0;
let selectedLegs = null;  // the Leaflet GeoJSON layer of the selected route

/** The /api/route request body of a state. */
export function routeRequest(s) {
  return {
    origin: s.from, destination: s.to, objective: s.objective || "generalized",
    modes: s.modes ? s.modes.split(",") : MODES,
    avoid_countries: (s.avoid || "").split(",").filter(Boolean),
    year: s.year ? Number(s.year) : null, month: s.month ? Number(s.month) : null, alternatives: Number(s.alt || 1),
    cargo: s.cargo || "teu", scenario: s.scenario || null, ...worldRequest(s),
  };
}

/** Plan the route of state `s` and show it. */
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
    // world routes may cross the antimeridian: draw them continuous
    for (const r of response.routes || []) r.geojson = unwrapRoute(r.geojson);
    response.geojson = unwrapRoute(response.geojson);
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

/** Show `html` in place of the route summary, hiding the leg table and chart. */
function showRouteMessage(html) {
  $("#route-summary").innerHTML = html;
  $("#route-details").hidden = true;
}

/** Draw the selected route (alternatives dashed) and fill the summary, leg table and chart. */
function renderRoute() {
  const { response } = lastRoute;
  const routes = response.routes || [];
  routeLayer.clearLayers();
  if (!routes.length) {
    const reasons = (response.reasons || []).map((r) => `<li>${esc(typeof r === "string" ? r : r.message || JSON.stringify(r))}</li>`).join("");
    showRouteMessage(`<div class="reasons" role="alert"><b>No route exists with these settings.</b>${reasons ? `<ul>${reasons}</ul>` : ""}
      <p class="hint">Try allowing more modes, removing avoided countries, a later network year, another month, or another scenario.</p></div>`);
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
      // on a route spanning much of the world, a label at the map's edge points inwards
      const lons = ends.flatMap((f) => f.geometry.coordinates.map((c) => c[0]));
      const west = Math.min(...lons), east = Math.max(...lons), wide = east - west > 90;
      const side = (lon, outward) => (wide && (outward === "left" ? lon - west : east - lon) < (east - west) / 10
        ? (outward === "left" ? "right" : "left") : outward);
      const label = (p, dir, text) => L.tooltip({ permanent: true, direction: dir, className: "point-label", offset: [dir === "left" ? -6 : 6, 0] })
        .setLatLng([p[1], p[0]]).setContent(esc(text)).addTo(routeLayer);
      label(a, side(a[0], "left"), first.from);
      label(b, side(b[0], "right"), last.to);
    }
  }
  fitTo(routeLayer);
  renderSummary(routes, response);
  renderLegTable(route);
  renderTcd($("#tcd"), [{ name: "route", points: route.tcd || [] }]);
  $("#route-details").hidden = false;
}

/** The headline figures of the selected route, and buttons to pick an alternative. */
function renderSummary(routes, response) {
  const r = routes[selectedRoute];
  const unit = r.cargo?.unit ? (r.cargo.unit.startsWith("t") && r.cargo.mass_t && r.cargo.unit !== "truck" && r.cargo.unit !== "teu" ? `${fmt(r.cargo.mass_t)} t` : r.cargo.unit.toUpperCase()) : "TEU";
  const via = Array.isArray(r.via) ? r.via.join(", ") : r.via === "-" ? "" : r.via;
  const chokepoints = routeChokepointsText(r, JSON.parse(lastRoute.key));
  const notBuilt = (r.legs || []).filter((l) => l.status && l.status !== "operational");
  const alts = routes.length > 1
    ? `<div class="alternatives" role="group" aria-label="Alternative routes">${routes.map((x, i) =>
      `<button type="button" data-route="${i}" aria-pressed="${i === selectedRoute}"><b>Route ${i + 1}</b><br>${fmt(x.distance_km)} km · ${days(x.time_h)} · USD ${fmt(x.cost_usd)}</button>`).join("")}</div>`
    : "";
  $("#route-summary").innerHTML = `
    <p class="summary-line"><strong>${esc(r.origin)} → ${esc(r.destination)}</strong>
      <span class="muted">· minimising ${esc(OBJECTIVES[r.objective] || r.objective)} · network year ${esc(r.year ?? "")}${r.month ? ` · shipped in ${esc(MONTHS[r.month - 1])}` : ""}${response.scenario ? ` · scenario <b>${esc(typeof response.scenario === "string" ? response.scenario : response.scenario.name)}</b>` : ""}</span></p>
    <div class="figures">
      <div class="figure"><b>${fmt(r.distance_km)} km</b><span>distance</span></div>
      <div class="figure"><b>${days(r.time_h)}</b><span>${fmt(r.time_h)} hours door to door</span></div>
      <div class="figure"><b>USD ${fmt(r.cost_usd)}</b><span>per ${esc(unit)}</span></div>
      <div class="figure"><b>${fmt(r.co2e_kg)} kg</b><span>CO2e per ${esc(unit)}</span></div>
      <div class="figure"><b>${(r.border_crossings || []).length}</b><span>border crossings</span></div>
    </div>
    ${via ? `<p class="via">Via ${esc(via)}</p>` : ""}
    ${chokepoints ? `<p class="via chokepoints" data-testid="route-chokepoints">${esc(chokepoints)}</p>` : ""}
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

/** A table cell listing source ids in a collapsed <details>. */
function sourcesCell(ids) {
  if (!ids?.length) return "<td></td>";
  return `<td><details><summary>${ids.length} source${ids.length > 1 ? "s" : ""}</summary><ul>${ids.map((i) => `<li>${esc(i)}</li>`).join("")}</ul></details></td>`;
}

/** Fill #leg-table; clicking a leg zooms the map to it and opens its popup. */
function renderLegTable(route) {
  const rows = [];
  let legIndex = 0;
  for (const { type, x } of routeSteps(route)) {
    if (type === "leg") {
      const mode = modeOf(x.mode);
      const via = chokepointsText(x.corridors);
      rows.push(`<tr class="leg" tabindex="0" data-leg="${legIndex++}">
        <td class="mode" data-mode="${esc(mode)}"><i class="swatch"></i>${esc(MODE_NAMES[mode] || x.mode)}${x.gauge_mm ? ` <span class="muted">${x.gauge_mm} mm</span>` : ""}</td>
        <td>${esc(x.from)} → ${esc(x.to)}${via ? `<div class="chokepoints">${esc(via)}</div>` : ""}</td><td class="num">${fmt(x.distance_km)}</td><td class="num">${fmt(x.time_h, 1)}</td>
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

/** Show the route of state `s` (planning it unless it is already shown); with no route asked for, a hint. */
export function openRoute(s) {
  if (s.from && s.to) {
    if (lastRoute?.key !== JSON.stringify(routeRequest(s))) runRoute(s);
  } else if (!lastRoute) {
    showRouteMessage(`<div class="empty">Plan a route: enter where the freight starts and where it goes, then press <b>Plan route</b> (or Enter).
        Examples: <a href="#from=Mumbai&to=Moscow&objective=cost">Mumbai → Moscow, cheapest</a> ·
        <a href="#from=Xi'an&to=Istanbul&avoid=RU,IR">Xi'an → Istanbul avoiding Russia and Iran</a> ·
        <a href="#from=Baku&to=Poti&modes=rail">Baku → Poti by rail</a></div>`);
  }
}

/** Plan the route of state `s` again, even if it is shown (the data or server may have changed). */
export function rerunRoute(s) {
  lastRoute = null;
  runRoute(s);
}
