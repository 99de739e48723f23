#!/usr/bin/env python3
"""Add sea-lane geometry for the atlas's sea and ferry links to links.geojson.

A maintainer's data tool, not part of the installed package. For every ``sea`` and ``ferry`` link
it asks searoute (Eurostat marnet, Apache-2.0) for the lane between the end nodes
(``append_orig_dest=True``) and stores the LineString, keyed by ``link_id``, in the atlas's
``links.geojson`` beside the OSM-derived rail and road geometry. Lengths are not touched: the
link's ``distance_km`` keeps its own source (marnet is coarse in the Caspian, see ATLAS.md).

    .venv/bin/python tools/sea_geometry.py [--atlas src/corridors/data/atlas]
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import searoute


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atlas", default=str(Path(__file__).parents[1] / "src/corridors/data/atlas"))
    args = parser.parse_args()
    atlas = Path(args.atlas)
    nodes = {}
    for path in atlas.glob("*/nodes.csv"):
        for row in csv.DictReader(path.open(encoding="utf-8")):
            nodes[row["id"]] = (float(row["lon"]), float(row["lat"]))
    geojson_path = atlas / "links.geojson"
    collection = json.loads(geojson_path.read_text(encoding="utf-8"))
    features = {f["properties"]["link_id"]: f for f in collection["features"]}
    added = 0
    for path in sorted(atlas.glob("*/links.csv")):
        for row in csv.DictReader(path.open(encoding="utf-8")):
            if row["mode"] not in ("sea", "ferry"):
                continue
            a, b = nodes[row["from"]], nodes[row["to"]]
            # the Cape alternatives must not take the Red Sea: searoute's own restriction names
            avoid = ["northwest"] + (["suez", "babalmandab", "panama"] if "cape" in row["corridors"].split(";") else [])
            lane = searoute.searoute(list(a), list(b), units="km", append_orig_dest=True, restrictions=avoid)
            coords = [[round(x, 3), round(y, 3)] for x, y in lane["geometry"]["coordinates"]]
            features[row["id"]] = {
                "type": "Feature",
                "properties": {"link_id": row["id"], "mode": row["mode"], "geometry_source": "searoute (marnet)",
                               "searoute_km": round(float(lane["properties"]["length"]), 1)},
                "geometry": {"type": "LineString", "coordinates": coords},
            }
            added += 1
    collection["features"] = sorted(features.values(), key=lambda f: f["properties"]["link_id"])
    collection["attribution"] = (
        "Rail and road routes derived from OpenStreetMap data via scgraph-data (ODbL 1.0, (c) OpenStreetMap "
        "contributors); sea lanes from searoute / Eurostat marnet"
    )
    geojson_path.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"sea and ferry geometry for {added} links in {geojson_path}")


if __name__ == "__main__":
    main()
