"""World scale: base layers (rail and road from OpenStreetMap via scgraph-data, sea from
Eurostat marnet via searoute) as compact CSR arrays with a versioned, checksummed disk cache;
the atlas stitched over them; a fast router for any pair of places, ports or coordinates.

Needs the ``world`` extra (``pip install 'corridors[world]'``) for the rail and road sources.
Nothing is loaded at import.
"""

from corridors.io.disk_cache import cache_root
from corridors.world.chokepoints import Chokepoint, load_chokepoints, tag_edges
from corridors.world.layers import (
    JOIN_KM,
    BaseLayer,
    build_rail,
    build_road,
    build_sea,
    cached_layer,
    load_rail,
    load_road,
    load_sea,
)
from corridors.world.marnet import Ports, read_ports
from corridors.world.multimodal import WorldGraph, build_world_graph
from corridors.world.router import WorldOptions, WorldRouter, load_world

__all__ = [
    "JOIN_KM",
    "BaseLayer",
    "Chokepoint",
    "Ports",
    "WorldGraph",
    "WorldOptions",
    "WorldRouter",
    "build_rail",
    "build_road",
    "build_sea",
    "build_world_graph",
    "cache_root",
    "cached_layer",
    "load_chokepoints",
    "load_rail",
    "load_road",
    "load_sea",
    "load_world",
    "read_ports",
    "tag_edges",
]
