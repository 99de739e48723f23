"""Resolve what a user types into a node: an id, a name or alias, "Name, CC" or "lat,lon"."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from corridors.caching import attached
from corridors.errors import AmbiguousPlaceError, UnknownPlaceError
from corridors.geo import haversine_km
from corridors.model import Mode, Network, Node

_COORDS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class PlaceMatch:
    """A resolved place: the node, and how far a coordinate was snapped to it (km, 0 for names)."""

    node: Node
    query: str
    snap_km: float = 0.0


def normalize(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: ``"Bandar-e Abbās"`` -> ``"bandar e abbas"``."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _names(node: Node) -> Iterable[str]:
    yield node.id
    yield node.name
    yield from node.aliases
    bare = re.sub(r"\s*\([^)]*\)", "", node.name).strip()  # "Astara (IR)" is also "Astara"
    if bare and bare != node.name:
        yield bare


@dataclass(frozen=True)
class _PlaceIndex:
    """Normalised names -> nodes, and per mode set the nodes a route can start or end at."""

    by_name: dict[str, list[Node]]
    keys: dict[str, list[str]]
    served: dict[frozenset[Mode] | None, tuple[list[Node], np.ndarray, np.ndarray]]


def _index(network: Network) -> _PlaceIndex:
    def make() -> _PlaceIndex:
        by_name: dict[str, list[Node]] = {}
        keys: dict[str, list[str]] = {}
        for node in network.nodes:
            keys[node.id] = list(dict.fromkeys(normalize(n) for n in _names(node)))
            for key in keys[node.id]:
                by_name.setdefault(key, []).append(node)
        return _PlaceIndex(by_name, keys, {})

    return attached(network, "place_index", make)


def _served(network: Network, modes: frozenset[Mode] | None) -> tuple[list[Node], np.ndarray, np.ndarray]:
    served = _index(network).served
    if modes not in served:
        ids = {
            end for link in network.links if modes is None or link.mode in modes
            for end in (link.from_node, link.to_node)
        }
        nodes = [n for n in network.nodes if n.id in ids]
        served[modes] = (nodes, np.array([n.lon for n in nodes]), np.array([n.lat for n in nodes]))
    return served[modes]


def search_places(network: Network, query: str, *, limit: int = 10) -> list[Node]:
    """Nodes whose id, name or alias matches ``query``: exact first, then prefix, then fuzzy."""
    key = normalize(query)
    index = _index(network)
    exact, prefix, contains = [], [], []
    for node in network.nodes:
        keys = index.keys[node.id]
        if key in keys:
            exact.append(node)
        elif any(k.startswith(key) for k in keys):
            prefix.append(node)
        elif key and any(key in k for k in keys):
            contains.append(node)
    found = exact + prefix + contains
    if len(found) < limit:
        for close in difflib.get_close_matches(key, list(index.by_name), n=limit, cutoff=0.6):
            found += [node for node in index.by_name[close] if node not in found]
    return found[:limit]


def resolve_place(network: Network, query: str, *, modes: frozenset[Mode] | None = None) -> PlaceMatch:
    """Resolve a place query to one node.

    Accepts a node id, a name or alias (case and accents ignored), ``"Name, CC"`` to pick among
    namesakes (Astara is in AZ and IR), or ``"lat,lon"`` in degrees, which snaps to the nearest
    node with a link of an allowed mode.

    Raises
    ------
    UnknownPlaceError
        Nothing matches; carries "did you mean" suggestions.
    AmbiguousPlaceError
        Several nodes match; carries their unambiguous spellings.
    """
    coords = _COORDS.match(query)
    if coords:
        return _snap(network, query, float(coords.group(1)), float(coords.group(2)), modes)
    if query in network.node_by_id:
        return PlaceMatch(network.node_by_id[query], query)
    name, _, country = query.rpartition(",")
    if not name:
        name, country = query, ""
    key, country = normalize(name), country.strip().upper()
    matches = list(_index(network).by_name.get(key, []))
    if country:
        matches = [n for n in matches if n.country == country]
    if len(matches) == 1:
        return PlaceMatch(matches[0], query)
    if len(matches) > 1:
        raise AmbiguousPlaceError(query, [n.label for n in matches])
    suggestions = [n.label for n in search_places(network, name if country else query, limit=5)]
    raise UnknownPlaceError(query, suggestions)


def _snap(network: Network, query: str, lat: float, lon: float, modes: frozenset[Mode] | None) -> PlaceMatch:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise UnknownPlaceError(f"{query} (give 'lat,lon' with -90 <= lat <= 90 and -180 <= lon <= 180)")
    candidates, lons, lats = _served(network, modes)
    if not candidates:
        raise UnknownPlaceError(query)
    distances = haversine_km(lon, lat, lons, lats)
    best = int(np.argmin(distances))
    return PlaceMatch(candidates[best], query, float(distances[best]))
