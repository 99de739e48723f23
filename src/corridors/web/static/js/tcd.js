// The Time/Cost-Distance chart: cumulative time and cost against distance, drawn as inline SVG.

import { colourOf, esc, fmt } from "./format.js";

/** A round axis step giving about `count` ticks up to `max`. */
function niceStep(max, count = 5) {
  const raw = max / count, p = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) || p * 10;
}

/** One panel: y(field) against cumulative km, one polyline per series; legs coloured by mode unless the series has a `colour`. */
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

/** Draw the time and cost panels of `seriesList` ({ name, points, colour?, dash? }) into `container`. */
export function renderTcd(container, seriesList) {
  const usable = seriesList.filter((s) => s.points?.length);
  if (!usable.length) { container.innerHTML = ""; return; }
  const legend = usable.length > 1
    ? usable.map((s) => `<span><svg width="24" height="8"><line x1="0" y1="4" x2="24" y2="4" stroke="${s.colour || "#1d2733"}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/></svg> ${esc(s.name)}</span>`).join(" &nbsp; ")
    : "Line colour: mode of the leg; vertical steps: time and cost at borders and transfers.";
  container.innerHTML = tcdPanel(usable, "time_h", "Cumulative time against distance", "hours")
    + tcdPanel(usable, "cost_usd", "Cumulative cost against distance", "USD")
    + `<p class="legend-line">${legend} &nbsp; <svg width="10" height="10"><circle cx="5" cy="5" r="3.5" fill="#fff" stroke="#a61b1b" stroke-width="1.5"/></svg> border &nbsp; <svg width="10" height="10"><circle cx="5" cy="5" r="2.5" fill="#1d2733"/></svg> transfer</p>`;
}
