// The scenario comparison tab: which trade lanes and countries win or lose under a scenario.

import { api, fresh } from "./api.js";
import { $, $$, setStatus } from "./dom.js";
import { elapsed, esc, fmt, signed } from "./format.js";
import { compareLayer, drawRoute, fitTo } from "./map.js";
import { DEFAULT_BASE, lastHash, readHash, toHash } from "./state.js";
import { renderTcd } from "./tcd.js";

let lastCompare = null;
let selectedLane = null;
const STATUS_ORDER = ["cut", "opened", "rerouted", "dearer", "cheaper", "slower", "faster", "unreachable", "unchanged"];

/** Compare scenario and base of state `s` through the API and show the result. */
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

/** Show `html` in place of the comparison summary, hiding its tables. */
function showCompareMessage(html) {
  $("#compare-summary").innerHTML = html;
  $("#compare-details").hidden = true;
}

/** The /api/compare request body of a state. */
const compareBody = (s) => ({ base: s.base || DEFAULT_BASE, scenario: s.scenario, objective: s.objective || "generalized" });
/** Whether a lane's route, time or cost changes. */
const changed = (lane) => lane.changed;  // as the API defines it (LaneChange.changed)

/** The network-year effect (base in its year → base in the scenario's year) in one line, or "". */
function yearEffectLine(y) {
  if (!y) return "";
  const moved = (y.lanes || []).filter(changed);
  const list = moved.map((l) => `${esc(l.origin)} → ${esc(l.destination)} (${esc(l.status)}${l.before?.reachable && l.after?.reachable ? `, ${signed(l.after.cost_usd - l.before.cost_usd)} USD` : ""})`).join("; ");
  return `<p class="notes year-effect" role="note">Network year ${esc(y.base_year)} → ${esc(y.scenario_year)} alone
    (${esc(y.base)} → ${esc(y.scenario)}, not the scenario): ${moved.length ? `${moved.length} lane${moved.length > 1 ? "s" : ""} change: ${list}` : "no lane changes"}.
    The table below is the scenario's own effect in ${esc(y.scenario_year)}.</p>`;
}

/** Fill the summary and the lane, country and access tables, then draw the map. */
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
    ${c.year_note ? `<p class="notes year-note" role="note">${esc(c.year_note)}</p>` : ""}
    ${yearEffectLine(c.year_effect)}
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

/** Show lane `id` alone on the map, with its chart (null: all changed lanes); the URL follows. */
export function selectLane(id) {
  selectedLane = id;
  $$("#winners tr.lane").forEach((tr) => tr.setAttribute("aria-selected", String(tr.dataset.lane === id)));
  const state = { ...readHash(), lane: id || "" };
  history.replaceState(null, "", toHash(state));
  lastHash.compare = location.hash;
  drawComparison();
}

/** Draw the selected lane, or every changed lane, before (grey dashed) and after. */
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

/** Show the comparison of state `s` (running it unless it is already shown); with no scenario, a hint. */
export function openCompare(s) {
  if (s.scenario) {
    if (lastCompare?.key !== JSON.stringify(compareBody(s))) runCompare(s);
    else if ((s.lane || null) !== selectedLane) selectLane(s.lane || null);
  } else if (!lastCompare) {
    showCompareMessage(`<div class="empty">Pick a scenario and press <b>Compare</b> to see which trade lanes win or lose against the base case.
        Example: <a href="#tab=compare&scenario=red-sea-closed">Red Sea closed</a> ·
        <a href="#tab=compare&scenario=zangezur-open">Zangezur corridor open</a></div>`);
  }
}

/** Run the comparison of state `s` again, even if it is shown. */
export function rerunCompare(s) {
  lastCompare = null;
  runCompare(s);
}
