"""Reading and writing networks and routes: ``read_*`` user files, ``load_*`` packaged data,
``to_*`` exports."""

from corridors.io.load_atlas import load_atlas
from corridors.io.read_network import read_network
from corridors.io.to_geojson import network_to_geojson, to_geojson_text
from corridors.io.to_html import route_to_html

__all__ = ["load_atlas", "network_to_geojson", "read_network", "route_to_html", "to_geojson_text"]
