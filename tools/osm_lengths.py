#!/usr/bin/env python3
"""Route the atlas's rail and road links on OpenStreetMap-derived graphs and report their lengths.

A maintainer's data tool, not part of the installed ``corridors`` package.

What it does
------------
Reads every ``links.csv`` under ``src/corridors/data/atlas/*/`` (or the folder given with
``--atlas``) together with the ``nodes.csv`` files of all regions (node ids are shared across
regions). For each ``rail`` link it routes between the two end nodes on scgraph-data's
``world_railways`` graph, for each ``road`` link on ``world_highways``, and writes a CSV report:

    link_id, region, mode, status, distance_km, length_source, great_circle_km, osm_km,
    snap_from_km, snap_to_km, ratio (osm_km / great_circle_km), max_edge_km, verdict, reason

Before routing, graph nodes closer than 0.2 km to each other are joined by an edge of their true
length (the library's world layers, ``corridors.world.layers``): this repairs the false breaks
of ~0.1 km that split real lines in the source graphs.
Each end node is snapped to the nearest graph nodes (up to 16 candidates near it; the pair that
gives the shortest snap + route + snap is kept, so a station next to a detached fragment of track
still reaches the main network). ``osm_km`` is the length along the graph between the two snapped
graph nodes; the snap distances are reported but not added. The routing itself is scipy.sparse.csgraph.dijkstra on a CSR
matrix of the layer, which the library caches (``--cache`` names another folder).

Verdicts
--------
``usable``              both snaps <= --max-snap km (default 5) and together <= 25 % of the
                        great-circle length; great_circle <= osm_km < --max-ratio x great_circle
                        (default 1.6); no single graph edge longer than --max-chord km (default
                        150: some lines are stored as long straight chords that under-count km);
                        and the link's status is in --statuses (default: operational; a planned
                        line must not take the length of some existing detour).
``not in OSM graph``    an end is farther than --max-snap from the graph, or no route exists
                        within 3 x great circle + 50 km.
``suspicious``          routed, but the length or the path fails one of the tests above.
``not applied``         routed and plausible, but the status or length_source is excluded.
``no node``             an end node id is in no nodes.csv.

With ``--apply`` the ``distance_km`` (one decimal) and ``length_source`` (``osm_rail`` /
``osm_road``) cells of the usable rows are rewritten in place; every other byte of the file
(other cells, quoting, column order, line endings) is left as it was. ``--skip-sources
published`` keeps rows whose length was taken from a publication.

With ``--geometry FILE`` a GeoJSON FeatureCollection of the routed LineStrings is written (one
feature per usable link, property ``link_id`` plus mode/osm_km/verdict; coordinates lon/lat
rounded to 4 decimals, from the end node through the graph path to the other end node, simplified
by shapely (Douglas-Peucker) when longer than 400 points).

Licence note
------------
The graphs are OpenStreetMap-derived data shipped by the scgraph-data package: ODbL 1.0,
(c) OpenStreetMap contributors. Lengths and geometries produced by this tool are derived from
them and must carry that attribution (the atlas's ``osm-scgraph-rail`` / ``osm-scgraph-road``
sources). The tool's code is under the project's licence.

How to run
----------
    make setup        # the project's venv has scgraph-data (the `world` extra); scgraph is not needed
    .venv/bin/python tools/osm_lengths.py --report out/osm_report.csv \
        [--geometry out/osm_routes.geojson] [--apply] [--modes rail,road] [--only ID,ID]

The graphs are the library's world rail and road layers (``corridors.world.layers``: the same
reading of scgraph-data and the same 0.2 km joins as world routes), from its cache after the
first build.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from pathlib import Path

import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from corridors.geo import haversine_km
from corridors.world.graphs import SphereIndex, chord_km, unit_vectors
from corridors.world.layers import JOIN_KM, build_rail, build_road, load_rail, load_road

OSM_SOURCE = {"rail": "osm_rail", "road": "osm_road"}
REPO = Path(__file__).resolve().parents[1]
DEFAULT_ATLAS = REPO / "src" / "corridors" / "data" / "atlas"

REPORT_COLUMNS = [
    "link_id", "region", "mode", "status", "from", "to", "distance_km", "length_source",
    "great_circle_km", "osm_km", "snap_from_km", "snap_to_km", "ratio", "max_edge_km",
    "verdict", "reason",
]


# --------------------------------------------------------------------------- graph loading
class RoutingGraph:
    """corridors' world rail or road layer (scgraph-data, nodes closer than ``join_km`` joined)
    as a CSR matrix of km, with a nearest-node index; cached by the library."""

    def __init__(self, mode, cache_dir=None, join_km=JOIN_KM, verbose=True):
        t0 = time.time()
        if join_km == JOIN_KM:
            layer = (load_rail if mode == "rail" else load_road)(cache_dir=cache_dir)
        else:  # another radius than the library's: built afresh, not cached
            layer = (build_rail if mode == "rail" else build_road)(join_km=join_km)
        self.lat, self.lon = np.asarray(layer.lat), np.asarray(layer.lon)
        self.csr = csr_matrix(layer.to_scipy())
        self.index = SphereIndex(self.lon, self.lat)
        _, self.component = connected_components(self.csr, directed=False)
        if verbose:
            print(f"[{mode}] {layer.n_nodes} nodes, {layer.n_edges} arcs (nodes closer than {join_km:g} km "
                  f"joined) in {time.time() - t0:.1f} s", file=sys.stderr)

    def candidates(self, lat, lon, k=16, spread_km=2.0):
        """Nearest graph nodes: the nearest plus those within nearest + spread_km (max k)."""
        d, idx = self.index.tree.query(unit_vectors(np.array([lon]), np.array([lat]))[0], k=k)
        d = chord_km(d)
        keep = d <= d[0] + spread_km
        return idx[keep], d[keep]

    def route(self, a, b, limit_km):
        """a, b: (lat, lon). Returns dict or None if no route within limit_km."""
        ia, da = self.candidates(*a)
        ib, db = self.candidates(*b)
        dist, pred = dijkstra(self.csr, directed=True, indices=ia, return_predecessors=True,
                              limit=limit_km)
        total = da[:, None] + dist[:, ib] + db[None, :]
        if not np.isfinite(total).any():
            shared = bool(set(self.component[ia].tolist()) & set(self.component[ib].tolist()))
            return {"snap_a": float(da[0]), "snap_b": float(db[0]), "km": None, "path": None,
                    "connected": shared}
        i, j = np.unravel_index(int(np.argmin(total)), total.shape)
        src, dst = int(ia[i]), int(ib[j])
        path = [dst]
        while path[-1] != src:
            path.append(int(pred[i, path[-1]]))
        path.reverse()
        p = np.asarray(path)
        edges = np.asarray(self.csr[p[:-1], p[1:]]).ravel() if len(p) > 1 else np.zeros(0)
        return {
            "snap_a": float(da[i]), "snap_b": float(db[j]), "km": float(dist[i, dst]),
            "path": p, "max_edge": float(edges.max()) if len(edges) else 0.0,
        }


# --------------------------------------------------------------------------- CSV handling
def read_csv_dicts(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def raw_records(text):
    """Split CSV text into records of raw field spans, without changing a byte.

    Returns a list of records; each record is a list of (start, end) spans into text (quotes
    included), and the records' line-ending spans are left out. Handles quoted fields with
    commas, doubled quotes and embedded newlines.
    """
    records, fields = [], []
    i, n = 0, len(text)
    start = 0
    in_quotes = False
    while i < n:
        ch = text[i]
        if in_quotes:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 2
                    continue
                in_quotes = False
            i += 1
            continue
        if ch == '"':
            in_quotes = True
            i += 1
        elif ch == ",":
            fields.append((start, i))
            i += 1
            start = i
        elif ch in "\r\n":
            fields.append((start, i))
            records.append(fields)
            fields = []
            i += 2 if (ch == "\r" and i + 1 < n and text[i + 1] == "\n") else 1
            start = i
        else:
            i += 1
    if start < n or fields:
        fields.append((start, n))
        records.append(fields)
    return records


OSM_SOURCE_IDS = {"osm_rail": "osm-scgraph-rail", "osm_road": "osm-scgraph-road"}


def apply_updates(path, updates):
    """updates: {link_id: (distance_str, length_source)}. Rewrites those two cells and adds the
    OSM source id (osm-scgraph-rail / osm-scgraph-road) to the row's source_ids."""
    raw = Path(path).read_bytes()
    text = raw.decode("utf-8")
    recs = raw_records(text)
    header = [text[s:e].lstrip("\ufeff").strip('"') for s, e in recs[0]]
    ci, cd, cl = header.index("id"), header.index("distance_km"), header.index("length_source")
    cs = header.index("source_ids")
    edits = []  # (start, end, new)
    done = set()
    for rec in recs[1:]:
        if len(rec) <= max(ci, cd, cl, cs):
            continue
        s, e = rec[ci]
        lid = text[s:e].strip('"')
        if lid in updates:
            dist, src = updates[lid]
            edits.append((*rec[cd], dist))
            edits.append((*rec[cl], src))
            s_ids, e_ids = rec[cs]
            ids = [x for x in text[s_ids:e_ids].strip('"').split(";") if x]
            if OSM_SOURCE_IDS[src] not in ids:
                edits.append((s_ids, e_ids, ";".join([OSM_SOURCE_IDS[src], *ids])))
            done.add(lid)
    if not edits:
        return done
    out, pos = [], 0
    for s, e, new in sorted(edits):
        out.append(text[pos:s])
        out.append(new)
        pos = e
    out.append(text[pos:])
    new_text = "".join(out)
    # sanity: same number of records and fields, other cells untouched
    check = list(csv.reader(io.StringIO(new_text, newline="")))
    orig = list(csv.reader(io.StringIO(text, newline="")))
    assert len(check) == len(orig) and all(len(a) == len(b) for a, b in zip(check, orig))
    Path(path).write_bytes(new_text.encode("utf-8"))
    return done


# --------------------------------------------------------------------------- main
def fmt(x, nd=1):
    return "" if x is None else f"{x:.{nd}f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--atlas", default=str(DEFAULT_ATLAS), help="atlas folder (regions inside)")
    ap.add_argument("--report", required=True, help="CSV report to write")
    ap.add_argument("--apply", action="store_true", help="rewrite usable rows' lengths in place")
    ap.add_argument("--geometry", help="write routed LineStrings as GeoJSON to this file")
    ap.add_argument("--modes", default="rail,road", help="comma list of rail,road")
    ap.add_argument("--only", help="comma list of link ids to route (default: all)")
    ap.add_argument("--statuses", default="operational",
                    help="statuses whose rows may be applied (comma list)")
    ap.add_argument("--skip-sources", default="",
                    help="length_source values never overwritten, e.g. published")
    ap.add_argument("--max-snap", type=float, default=5.0, help="km, per end")
    ap.add_argument("--max-ratio", type=float, default=1.6, help="osm_km / great circle")
    ap.add_argument("--max-chord", type=float, default=150.0, help="km, longest graph edge")
    ap.add_argument("--join-km", type=float, default=JOIN_KM, help="join graph nodes closer than (km)")
    ap.add_argument("--cache", default=None, help="cache folder for the world layers (default: the library's)")
    args = ap.parse_args(argv)

    atlas = Path(args.atlas)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    only = set(args.only.split(",")) if args.only else None
    statuses = {s.strip() for s in args.statuses.split(",") if s.strip()}
    skip_sources = {s.strip() for s in args.skip_sources.split(",") if s.strip()}

    nodes = {}
    for nf in sorted(atlas.glob("*/nodes.csv")):
        for row in read_csv_dicts(nf):
            nid = (row.get("id") or "").strip()
            if nid in nodes:
                print(f"warning: node {nid} defined in {nf} and {nodes[nid]['_file']}",
                      file=sys.stderr)
            try:
                nodes[nid] = {"lat": float(row["lat"]), "lon": float(row["lon"]), "_file": nf}
            except (KeyError, ValueError):
                print(f"warning: node {nid} in {nf} has no usable lon/lat", file=sys.stderr)

    work = []  # (links_file, region, row)
    for lf in sorted(atlas.glob("*/links.csv")):
        for row in read_csv_dicts(lf):
            if row.get("mode") in modes and (only is None or row.get("id") in only):
                work.append((lf, lf.parent.name, row))

    graphs = {}
    report, features = [], []
    updates = {}  # links_file -> {id: (dist, src)}
    for lf, region, row in work:
        mode = row["mode"]
        out = {c: "" for c in REPORT_COLUMNS}
        out.update(link_id=row.get("id", ""), region=region, mode=mode,
                   status=row.get("status", ""), distance_km=row.get("distance_km", ""),
                   length_source=row.get("length_source", ""), **{"from": row.get("from", "")},
                   to=row.get("to", ""))
        fa, fb = nodes.get(row.get("from")), nodes.get(row.get("to"))
        if fa is None or fb is None:
            missing = [x for x, v in ((row.get("from"), fa), (row.get("to"), fb)) if v is None]
            out.update(verdict="no node", reason="node(s) not found: " + ";".join(missing))
            report.append(out)
            continue
        gc = float(haversine_km(fa["lon"], fa["lat"], fb["lon"], fb["lat"]))
        out["great_circle_km"] = fmt(gc)
        if mode not in graphs:
            graphs[mode] = RoutingGraph(mode, args.cache, args.join_km)
        g = graphs[mode]
        r = g.route((fa["lat"], fa["lon"]), (fb["lat"], fb["lon"]), limit_km=3 * gc + 50)
        out["snap_from_km"], out["snap_to_km"] = fmt(r["snap_a"], 2), fmt(r["snap_b"], 2)
        if r["km"] is None:
            far = max(r["snap_a"], r["snap_b"]) > args.max_snap
            if far:
                why = "end(s) far from the graph"
            elif not r["connected"]:
                why = ("ends lie in disconnected parts of the graph (a break wider than "
                       f"{args.join_km:g} km or a missing line)")
            else:
                why = "no route within 3 x great circle + 50 km"
            out.update(verdict="not in OSM graph", reason=why)
            report.append(out)
            continue
        km = r["km"]
        out["osm_km"] = fmt(km)
        out["ratio"] = fmt(km / gc, 3) if gc > 0 else ""
        out["max_edge_km"] = fmt(r["max_edge"])
        reasons = []
        far = max(r["snap_a"], r["snap_b"]) > args.max_snap
        if far:
            reasons.append(f"snap > {args.max_snap:g} km")
        if r["snap_a"] + r["snap_b"] > 0.25 * gc:
            reasons.append("snaps > 25% of great circle")
        if km < gc:
            reasons.append("shorter than great circle")
        if gc > 0 and km >= args.max_ratio * gc:
            reasons.append(f"ratio >= {args.max_ratio:g}")
        if r["max_edge"] > args.max_chord:
            reasons.append(f"chord edge {r['max_edge']:.0f} km")
        if reasons:
            out.update(verdict="not in OSM graph" if far else "suspicious",
                       reason="; ".join(reasons))
        elif row.get("status") not in statuses:
            out.update(verdict="not applied", reason=f"status {row.get('status')}")
        elif row.get("length_source") in skip_sources:
            out.update(verdict="not applied", reason=f"length_source {row.get('length_source')}")
        else:
            out.update(verdict="usable")
            updates.setdefault(lf, {})[row["id"]] = (fmt(km), OSM_SOURCE[mode])
        report.append(out)
        if args.geometry and out["verdict"] == "usable":
            coords = np.column_stack([g.lon[r["path"]], g.lat[r["path"]]])
            coords = np.vstack([[fa["lon"], fa["lat"]], coords, [fb["lon"], fb["lat"]]])
            if len(coords) > 400:
                coords = shapely.get_coordinates(shapely.simplify(shapely.LineString(coords), 0.002))
            features.append({
                "type": "Feature",
                "properties": {"link_id": row["id"], "mode": mode, "osm_km": round(km, 1),
                               "verdict": out["verdict"]},
                "geometry": {"type": "LineString",
                             "coordinates": [[round(float(x), 4), round(float(y), 4)]
                                             for x, y in coords]},
            })

    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    with open(args.report, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=REPORT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(report)
    if args.geometry:
        with open(args.geometry, "w", encoding="utf-8") as f:
            json.dump({"type": "FeatureCollection",
                       "attribution": "Routes derived from OpenStreetMap data via scgraph-data; "
                                      "ODbL 1.0, (c) OpenStreetMap contributors",
                       "features": features}, f, separators=(",", ":"))
            f.write("\n")
    counts = {}
    for o in report:
        counts[o["verdict"]] = counts.get(o["verdict"], 0) + 1
    print(f"{len(report)} links routed: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())),
          file=sys.stderr)
    if args.apply:
        n = 0
        for lf, ups in updates.items():
            n += len(apply_updates(lf, ups))
        print(f"applied {n} lengths", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
