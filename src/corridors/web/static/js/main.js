// corridors web app: a thin face over the REST API under /api (see docs/api.md).
// Plain ES modules, no framework, no bundler. Leaflet is loaded before this as a classic script (global L).
// State lives in the URL hash, e.g. #tab=route&from=Mumbai&to=Moscow&objective=cost, so views can be shared.
// This module wires the tabs, forms and hash routing together and starts the app.

import { api } from "./api.js";
import { openCompare, rerunCompare, selectLane } from "./compare.js";
import { $, $$, setStatus } from "./dom.js";
import { fmt, OBJECTIVES } from "./format.js";
import { attachAutocomplete, describeScenario, loadScenarios } from "./lookups.js";
import { initMap, showLayersFor } from "./map.js";
import { openRoute, rerunRoute } from "./route.js";
import { initWorldForm, showWorld, wantsWorld } from "./world.js";
import { compareStateFromForm, compareStateToForm, lastHash, readHash, routeStateFromForm, routeStateToForm, toHash } from "./state.js";

/** Show the form, results and map layer of `tab` ("route" or "compare"). */
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
  showLayersFor(tab);
}

/** Show the view the URL hash asks for. */
function applyHash() {
  const s = readHash();
  showTab(s.tab);
  if (s.tab === "route") {
    routeStateToForm(s);
    if (s.from && s.to) lastHash.route = location.hash;
    openRoute(s);
  } else {
    compareStateToForm(s);
    describeScenario();
    if (s.scenario) lastHash.compare = location.hash;
    openCompare(s);
  }
}

/** Put a submitted form's state in the URL, which shows it; the same state again runs it again. */
function submitState(state) {
  const hash = toHash(state);
  if (location.hash === hash) {
    // Same view asked for again: run it again (the data or server may have changed).
    if (state.tab === "route") rerunRoute(state); else rerunCompare(state);
  } else {
    location.hash = hash;
  }
}

/** Start the app: map, form handlers, scenarios, then the view in the URL. */
async function main() {
  if (!window.L) {
    setStatus("The map library is missing: run `npm ci --prefix web && npm run build --prefix web`.", "error");
    return;
  }
  initMap();
  for (const select of [$("#objective"), $("#compare-objective")]) {
    select.replaceChildren(...Object.entries(OBJECTIVES).map(([value, label]) => new Option(label, value)));
  }
  attachAutocomplete($("#origin"), $("#origin-list"));
  attachAutocomplete($("#destination"), $("#destination-list"));
  initWorldForm();

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
    // world layers just loaded: plan again a world route that was refused while they loaded
    showWorld(h, () => { const s = readHash(); if (s.tab === "route" && wantsWorld(s) && s.from && s.to) rerunRoute(s); });
  }).catch(() => {});
  await loadScenarios();
  applyHash();
  document.body.dataset.app = "ready";  // the forms are filled: typing now is never overwritten
}

main();
