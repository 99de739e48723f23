"""World-scale base layers: rail and road from OpenStreetMap (scgraph-data), sea from Eurostat
marnet (searoute), as compact CSR arrays with a versioned, checksummed disk cache.

Needs the ``world`` extra (``pip install 'corridors[world]'``) for the rail and road sources.
Nothing is loaded at import.
"""

from corridors.world.cache import cache_root, cached_layer
from corridors.world.chokepoints import Chokepoint, load_chokepoints, tag_edges
from corridors.world.layers import (
    JOIN_KM,
    BaseLayer,
    build_rail,
    build_road,
    build_sea,
    load_rail,
    load_road,
    load_sea,
)
from corridors.world.marnet import Ports, read_ports

__all__ = [
    "JOIN_KM",
    "BaseLayer",
    "Chokepoint",
    "Ports",
    "build_rail",
    "build_road",
    "build_sea",
    "cache_root",
    "cached_layer",
    "load_chokepoints",
    "load_rail",
    "load_road",
    "load_sea",
    "read_ports",
    "tag_edges",
]
