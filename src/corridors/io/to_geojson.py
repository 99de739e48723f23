"""GeoJSON exports of networks (links and nodes with their attributes)."""

from __future__ import annotations

import json
from typing import Any


def network_to_geojson(network: Any) -> dict[str, Any]:
    """A :class:`~corridors.model.Network` as a FeatureCollection: a LineString per link, a Point
    per node. (Duck-typed, no model import: ``Network.explore()`` and ``to_geodataframes()`` call it.)"""
    features = []
    for link in network.links:
        features.append({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [list(p) for p in network.link_geometry(link)]},
            "properties": {
                "feature": "link", "id": link.id, "from": link.from_node, "to": link.to_node,
                "mode": link.mode.value, "gauge_mm": list(link.gauges_mm), "distance_km": link.distance_km,
                "length_source": link.length_source.value, "status": link.status.value,
                "opens_year": link.opens_year, "border": link.border, "corridors": list(link.corridors),
                "source_ids": list(link.source_ids),
            },
        })
    for node in network.nodes:
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [node.lon, node.lat]},
            "properties": {
                "feature": "node", "id": node.id, "name": node.name, "country": node.country,
                "kind": node.kind.value, "handles": sorted(m.value for m in node.handles),
                "gauge_change": list(node.gauge_change), "source_ids": list(node.source_ids),
            },
        })
    return {"type": "FeatureCollection", "features": features}


def to_geojson_text(collection: dict[str, Any]) -> str:
    """Serialise a FeatureCollection compactly but readably (one feature per line)."""
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n'
    return opening + ",\n".join(lines) + "\n]}\n"
