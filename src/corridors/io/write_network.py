"""Write a Network as a folder of our own format (docs/data-format.md), readable by
:func:`corridors.io.read_network`."""

from __future__ import annotations

import json
from os import PathLike
from pathlib import Path

from corridors.io._atomic import write_atomic
from corridors.io._cells import COLUMNS, atlas_data, csv_text, parameters_data, table_cells, yaml_text
from corridors.model import Network


def geometry_collection(network: Network) -> dict:
    """The links' own geometries (not the straight lines drawn where none is given) as the
    FeatureCollection ``links.geojson`` holds."""
    features = [
        {"type": "Feature", "properties": {"link_id": link_id},
         "geometry": {"type": "LineString", "coordinates": [list(p) for p in coords]}}
        for link_id, coords in network.geometries.items()
    ]
    return {"type": "FeatureCollection", "features": features}


def write_network(network: Network, folder: str | PathLike[str]) -> Path:
    """Write ``network`` into ``folder`` (created if need be) as one region: ``atlas.yaml``,
    ``parameters.yaml``, ``sources.csv``, ``nodes.csv``, ``links.csv``, ``borders.csv`` and,
    if any link has its own geometry, ``links.geojson``. Returns the folder.

    Not written, because the network does not keep them: the regions the data came in, the
    free-text ``description`` of ``atlas.yaml`` and the ``notes`` of ``parameters.yaml``.

    Raises
    ------
    InvalidOptionError
        If the network carries a scenario's scale factors, which no file holds.
    """
    root = Path(folder)
    tables = table_cells(network)
    for name, rows in tables.items():
        write_atomic(root / name, csv_text(COLUMNS[name], rows))
    write_atomic(root / "atlas.yaml", yaml_text(atlas_data(network)))
    write_atomic(root / "parameters.yaml", yaml_text(parameters_data(network.parameters)))
    if network.geometries:
        write_atomic(root / "links.geojson", json.dumps(geometry_collection(network), ensure_ascii=False) + "\n")
    return root
