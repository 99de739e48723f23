// Scenarios and places looked up from the API to fill the forms.

import { api, fresh } from "./api.js";
import { $, setStatus } from "./dom.js";
import { DEFAULT_BASE } from "./state.js";

let scenarios = [];

/** Fill the three scenario selects from /api/scenarios. */
export async function loadScenarios() {
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

/** Describe the scenario picked on the comparison form. */
export function describeScenario() {
  const s = scenarios.find((x) => x.name === $("#scenario").value);
  $("#scenario-description").textContent = s ? `${s.name}${s.builtin === false ? " (user scenario)" : ""}: ${s.description || ""}` : "";
}

/** Suggest places in `list` (a datalist) as the user types into `input`. */
export function attachAutocomplete(input, list) {
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
