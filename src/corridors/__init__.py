"""corridors: freight routes, costs and CO2e on the Caspian and South Caucasus corridors.

>>> import corridors
>>> sorted(corridors.__all__)[:3]
['AmbiguousPlaceError', 'BorderCrossing', 'CorridorsError']
"""

from corridors.batch import compare_many, route_many
from corridors.errors import (
    AmbiguousPlaceError,
    CorridorsError,
    DataError,
    InvalidOptionError,
    NoRouteError,
    UnknownPlaceError,
)
from corridors.graph import compile_graph
from corridors.io import load_atlas, read_network
from corridors.model import BorderCrossing, Link, Mode, Network, Node, Status
from corridors.routing import Route, RouteOptions, alternative_routes, resolve_place, route
from corridors.session import Session

__version__ = "0.1.0"

__all__ = [
    "AmbiguousPlaceError",
    "BorderCrossing",
    "CorridorsError",
    "DataError",
    "InvalidOptionError",
    "Link",
    "Mode",
    "Network",
    "NoRouteError",
    "Node",
    "Route",
    "RouteOptions",
    "Session",
    "Status",
    "UnknownPlaceError",
    "alternative_routes",
    "compare_many",
    "compile_graph",
    "load_atlas",
    "read_network",
    "resolve_place",
    "route",
    "route_many",
]
