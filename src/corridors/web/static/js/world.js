// The "World layers" option of the route planner: shown only when the server has them
// (GET /api/health `world` is not "off"), with the chokepoints to close.

import { api } from "./api.js";
import { $, $$ } from "./dom.js";
import { esc } from "./format.js";

/** Chokepoints that can be closed (ids of data/world/chokepoints.yaml): [id, form label, short name]. */
export const CHOKEPOINTS = [
  ["suez", "Suez Canal", "Suez"], ["bab_el_mandeb", "Bab-el-Mandeb", "Bab-el-Mandeb"],
  ["red_sea", "Red Sea (the basin)", "Red Sea"], ["hormuz", "Strait of Hormuz", "Hormuz"],
  ["turkish_straits", "Turkish Straits", "Turkish Straits"], ["gibraltar", "Strait of Gibraltar", "Gibraltar"],
  ["malacca", "Strait of Malacca", "Malacca"], ["panama", "Panama Canal", "Panama"],
  ["cape_of_good_hope", "Cape of Good Hope", "Cape of Good Hope"], ["danish_straits", "Danish Straits", "Danish Straits"],
  ["volga_don", "Volga-Don waterway", "Volga-Don"],
];
const SHORT = Object.fromEntries([...CHOKEPOINTS.map(([id, , short]) => [id, short]), ["bering_arctic", "Bering Strait (Arctic)"]]);
const STATE_NAMES = { loading: "loading…", ready: "ready", failed: "failed to load" };

/** "via Suez, Bab-el-Mandeb" for a world leg's `corridors`; "" when it passes no chokepoint
 * (atlas legs' corridors, such as "instc-west", are not chokepoints and are left out). */
export function chokepointsText(corridors) {
  const names = (corridors || []).filter((id) => id in SHORT).map((id) => SHORT[id]);
  return names.length ? `via ${names.join(", ")}` : "";
}

/** "Passes Malacca, Hormuz · closed: Suez, Red Sea" for a world route and its request; "" otherwise. */
export function routeChokepointsText(route, request) {
  const passed = chokepointsText((route.legs || []).flatMap((l) => l.corridors || [])).replace(/^via /, "");
  const closed = request?.world ? (request.close || []).map((id) => SHORT[id] || id) : [];
  return [passed && `Passes ${[...new Set(passed.split(", "))].join(", ")}`,
    closed.length && `closed: ${closed.join(", ")}`].filter(Boolean).join(" · ").replace(/^c/, "C");
}

/** Whether state `s` asks for the world layers (`world=1`). */
export const wantsWorld = (s) => Boolean(s.world) && s.world !== "0";

/** The world fields of a /api/route request body of state `s` (none unless it asks for the world layers). */
export function worldRequest(s) {
  return wantsWorld(s) ? { world: true, close: (s.close || "").split(",").filter(Boolean) } : {};
}

/** The world option of the route form as state: `world=1&close=suez,red_sea`, or nothing. */
export function worldStateFromForm() {
  const on = $("#world").checked;
  return { world: on ? "1" : "", close: on ? $$('input[name="close"]:checked').map((i) => i.value).join(",") : "" };
}

/** Fill the world option of the route form from state `s`. */
export function worldStateToForm(s) {
  $("#world").checked = wantsWorld(s);
  const closed = (s.close || "").split(",");
  $$('input[name="close"]').forEach((i) => { i.checked = closed.includes(i.value); });
  syncChokepoints();
}

/** The chokepoint checkboxes apply only with the world layers on. */
function syncChokepoints() {
  const on = $("#world").checked;
  $("#close-list").classList.toggle("off", !on);
  $$('input[name="close"]').forEach((i) => { i.disabled = !on; });
}

/** Show the world option with the server's state of the layers ("loading", "ready", "failed"); hide it when "off". */
function showWorldState(state) {
  const field = $("#world-field");
  field.hidden = !state || state === "off";
  field.dataset.state = state || "off";
  $("#world-state").textContent = STATE_NAMES[state] || state || "";
  $("#world-state").className = `world-state ${state || ""}`;
}

/** Build the chokepoint checkboxes (before the form is first filled from the URL). */
export function initWorldForm() {
  $("#close-list").innerHTML = CHOKEPOINTS.map(([id, label]) =>
    `<label><input type="checkbox" name="close" value="${esc(id)}" data-testid="close-${esc(id)}">${esc(label)}</label>`).join("");
  $("#world").addEventListener("change", syncChokepoints);
  syncChokepoints();
}

/** Show the option as the health answer says; while the layers load, poll health and call `onReady`
 * once they are ready (a world route asked for meanwhile was refused with 503). */
export function showWorld(health, onReady) {
  showWorldState(health?.world);
  if (health?.world !== "loading") return;
  const poll = setInterval(async () => {
    try {
      const h = await api("/api/health");
      showWorldState(h.world);
      if (h.world === "loading") return;
      clearInterval(poll);
      if (h.world === "ready") onReady();
    } catch { /* try again on the next tick */ }
  }, 2000);
}
