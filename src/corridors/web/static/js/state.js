// The view's state in the URL hash (e.g. #tab=route&from=Mumbai&to=Moscow&objective=cost),
// and its copy in the two forms.

import { $, $$, ensureOption } from "./dom.js";
import { MODES } from "./format.js";
import { worldStateFromForm, worldStateToForm } from "./world.js";

export const DEFAULT_ROUTE = { from: "Mumbai", to: "Moscow" };
export const DEFAULT_BASE = "baseline-2025";

/** The last hash shown on each tab, so switching tabs comes back to the same view. */
export const lastHash = { route: null, compare: null };

/** The state in the URL hash; `tab` is always "route" or "compare". */
export function readHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  const state = Object.fromEntries(params.entries());
  state.tab = state.tab === "compare" ? "compare" : "route";
  return state;
}

/** A state as a URL hash, leaving out empty values. */
export function toHash(state) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v !== "" && v != null) params.set(k, v);
  return "#" + params.toString().replace(/%2C/gi, ",");  // commas kept readable: close=suez,red_sea
}

/** The route form as a state; defaults are left out to keep the URL short. */
export function routeStateFromForm() {
  const modes = $$('input[name="modes"]:checked').map((i) => i.value);
  const cargo = $("#cargo").value === "bulk" ? `t:${$("#bulk-t").value || 1}` : $("#cargo").value;
  return {
    tab: "route", from: $("#origin").value.trim(), to: $("#destination").value.trim(),
    objective: $("#objective").value, modes: modes.length === MODES.length ? "" : modes.join(","),
    avoid: $("#avoid-countries").value.split(/[\s,;]+/).filter(Boolean).map((c) => c.toUpperCase()).join(","),
    year: $("#year").value, month: $("#month").value, cargo: cargo === "teu" ? "" : cargo, scenario: $("#route-scenario").value,
    alt: $("#alternatives").value === "1" ? "" : $("#alternatives").value, ...worldStateFromForm(),
  };
}

/** Fill the route form from a state; a place the state leaves out keeps what the user typed, else the default. */
export function routeStateToForm(s) {
  $("#origin").value = s.from ?? ($("#origin").value || DEFAULT_ROUTE.from);
  $("#destination").value = s.to ?? ($("#destination").value || DEFAULT_ROUTE.to);
  $("#objective").value = s.objective || "generalized";
  const modes = s.modes ? s.modes.split(",") : MODES;
  $$('input[name="modes"]').forEach((i) => { i.checked = modes.includes(i.value); });
  $("#avoid-countries").value = (s.avoid || "").split(",").filter(Boolean).join(", ");
  $("#year").value = s.year || "";
  $("#month").value = s.month || "";
  const cargo = s.cargo || "teu";
  $("#cargo").value = cargo.startsWith("t:") ? "bulk" : cargo;
  if (cargo.startsWith("t:")) $("#bulk-t").value = cargo.slice(2);
  $("#bulk-field").hidden = $("#cargo").value !== "bulk";
  ensureOption($("#route-scenario"), s.scenario || "");
  $("#alternatives").value = s.alt || "1";
  worldStateToForm(s);
}

/** The comparison form as a state. */
export function compareStateFromForm() {
  return { tab: "compare", scenario: $("#scenario").value, base: $("#base").value === DEFAULT_BASE ? "" : $("#base").value,
    objective: $("#compare-objective").value === "generalized" ? "" : $("#compare-objective").value };
}

/** Fill the comparison form from a state (the caller then describes the scenario). */
export function compareStateToForm(s) {
  if (s.scenario) ensureOption($("#scenario"), s.scenario);
  ensureOption($("#base"), s.base || DEFAULT_BASE);
  $("#compare-objective").value = s.objective || "generalized";
}
