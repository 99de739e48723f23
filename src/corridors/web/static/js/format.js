// Labels, colours and number formatting shared by the map, the tables and the charts.

export const MODES = ["rail", "road", "sea", "ferry", "iww"];
export const MODE_COLOURS = { rail: "#b03a2e", road: "#d68910", sea: "#1f618d", ferry: "#148f77", iww: "#7d3c98" };
/** What routes can minimise (the API's objectives), with their labels; the first is the default. */
export const OBJECTIVES = { generalized: "generalised cost", time: "time", cost: "cost (USD)", co2: "CO2e", distance: "distance" };
export const MODE_NAMES = { rail: "rail", road: "road", sea: "sea", ferry: "ferry", iww: "inland water" };
export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];
export const STATUS_DASH = { operational: null, under_construction: "8 5", planned: "2 5", disputed: "10 4 2 4", closed: "1 7" };
export const STATUS_NAMES = { operational: "operational", under_construction: "under construction", planned: "planned",
  disputed: "disputed", closed: "closed" };

const nf0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
/** A number with thousands separators and 0 (or, with `digits`, 1) decimals; "–" when missing. */
export const fmt = (x, digits = 0) => (x == null || Number.isNaN(x) ? "–" : (digits ? nf1 : nf0).format(x));
/** A change with its sign ("+", "−"), "0" when it rounds to nothing. */
export const signed = (x, digits = 0) => (x == null ? "–" : Math.abs(x) < (digits ? 0.05 : 0.5) ? "0" : (x > 0 ? "+" : "−") + fmt(Math.abs(x), digits));
/** Hours as "12.5 h", or as days from 48 h on. */
export const days = (h) => (h >= 48 ? `${fmt(h / 24, 1)} days` : `${fmt(h, 1)} h`);
/** Escape text for use inside HTML. */
export const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
/** Time since `t0` (from performance.now()) as "12 ms" or "1.3 s". */
export const elapsed = (t0) => { const s = (performance.now() - t0) / 1000; return s < 1 ? `${fmt(s * 1000)} ms` : `${fmt(s, 1)} s`; };
/** The mode of a leg label such as "rail (1520 mm)": its first word. */
export const modeOf = (m) => String(m || "").split(" ")[0];
/** The line colour of a mode. */
export const colourOf = (m) => MODE_COLOURS[modeOf(m)] || "#555";
