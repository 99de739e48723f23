"""Several routes as one GeoJSON FeatureCollection, each feature marked with its route's rank
(the CLI's and the API's ``geojson`` format for alternatives)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def ranked_geojson(collections: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One route's FeatureCollection (``collections[0]``) as it is; for several, one collection
    of every route's features, each with the ``rank`` of its route (1 = best), and the routes'
    summaries (their collections' ``properties``) in ``properties.routes``.

    >>> one = {"type": "FeatureCollection", "properties": {"time_h": 2.0}, "features": [{"properties": {}}]}
    >>> ranked_geojson([one, one])["features"][1]["properties"]
    {'rank': 2}
    """
    if len(collections) == 1:
        return collections[0]
    features = [{**f, "properties": {**f["properties"], "rank": rank}}
                for rank, collection in enumerate(collections, 1) for f in collection["features"]]
    summaries = [{"rank": rank, **c["properties"]} for rank, c in enumerate(collections, 1)]
    return {"type": "FeatureCollection", "properties": {"routes": summaries}, "features": features}
