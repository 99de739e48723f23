// Geometry helpers for drawing routes: world routes may cross the antimeridian (180°), where
// longitudes jump from 180 to -180; drawn as they are, such a leg would cross the whole map.

/** Shift `lon` by whole turns so it lies within 180° of `ref`. */
const near = (lon, ref) => lon + 360 * Math.round((ref - lon) / 360);

/** A copy of a route's FeatureCollection with longitudes unwrapped along its legs (each within 180° of
 * the one before, so a Pacific crossing stays continuous), the whole shifted to centre on [-180, 180],
 * and borders and transfers moved to the copy of the world their legs are in. Unchanged when no leg
 * crosses the antimeridian. */
export function unwrapRoute(geojson) {
  const features = geojson?.features;
  if (!features?.length) return geojson;
  const legs = features.filter((f) => f.properties?.feature === "leg" && f.geometry?.type === "LineString");
  let prev = null, crosses = false;
  const lines = new Map();
  for (const f of legs) {
    lines.set(f, f.geometry.coordinates.map(([lon, lat, ...rest]) => {
      const x = prev == null ? lon : near(lon, prev);
      if (x !== lon) crosses = true;
      prev = x;
      return [x, lat, ...rest];
    }));
  }
  if (!crosses) return geojson;
  const all = [...lines.values()].flat();
  const lons = all.map((c) => c[0]);
  const shift = -360 * Math.round((Math.min(...lons) + Math.max(...lons)) / 2 / 360);
  for (const c of all) c[0] += shift;
  /** The copy of a point's longitude nearest to the route's vertices. */
  const place = ([lon, lat, ...rest]) => {
    let best = lon, bestD = Infinity;
    for (const [x, y] of all) {
      const cand = near(lon, x), d = Math.abs(cand - x) + Math.abs(lat - y);
      if (d < bestD) { bestD = d; best = cand; }
    }
    return [best, lat, ...rest];
  };
  return {
    ...geojson,
    features: features.map((f) => {
      if (lines.has(f)) return { ...f, geometry: { ...f.geometry, coordinates: lines.get(f) } };
      if (f.geometry?.type === "Point") return { ...f, geometry: { ...f.geometry, coordinates: place(f.geometry.coordinates) } };
      return f;
    }),
  };
}
