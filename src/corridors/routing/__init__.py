"""Routing on a compiled multimodal graph: places, options, the router and its results."""

from corridors.routing.options import OBJECTIVES, Objective, RouteOptions, cargo_unit
from corridors.routing.places import PlaceMatch, resolve_place, search_places
from corridors.routing.result import BorderStep, Leg, Route, TransferKind, TransferStep, layer_label
from corridors.routing.router import alternative_routes, route

__all__ = [
    "OBJECTIVES",
    "BorderStep",
    "Leg",
    "Objective",
    "PlaceMatch",
    "Route",
    "RouteOptions",
    "TransferKind",
    "TransferStep",
    "alternative_routes",
    "cargo_unit",
    "layer_label",
    "resolve_place",
    "route",
    "search_places",
]
