"""Reading and writing networks and routes: ``read_*`` user files, ``load_*`` packaged data,
``to_*`` exports."""

from corridors.io.geopackage import read_geopackage, write_geopackage
from corridors.io.gmns import read_gmns, write_gmns
from corridors.io.load_atlas import load_atlas
from corridors.io.read_network import read_network
from corridors.io.to_geojson import network_to_geojson, to_geojson_text
from corridors.io.to_html import route_to_html
from corridors.io.write_network import write_network

__all__ = [
    "load_atlas",
    "network_to_geojson",
    "read_geopackage",
    "read_gmns",
    "read_network",
    "route_to_html",
    "to_geojson_text",
    "write_geopackage",
    "write_gmns",
    "write_network",
]
