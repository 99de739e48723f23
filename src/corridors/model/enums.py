"""Closed vocabularies of the network model: transport modes, statuses, node kinds."""

from __future__ import annotations

from enum import Enum


class Mode(str, Enum):
    """A transport mode. ``FERRY`` covers rail ferries and ro-ro on the Caspian and Black Sea."""

    ROAD = "road"
    RAIL = "rail"
    SEA = "sea"
    FERRY = "ferry"
    IWW = "iww"

    def __str__(self) -> str:
        return self.value

    @property
    def code(self) -> int:
        """The mode's small integer code in compiled arrays (its index in :data:`MODES`)."""
        return _MODE_CODE[self]


MODES: tuple[Mode, ...] = tuple(Mode)
"""The code table of compiled arrays: ``MODES[code]`` is the mode of an int8 ``mode`` array entry
(-1 for no mode: transfers and connectors)."""
_MODE_CODE = {m: i for i, m in enumerate(MODES)}


def layer_label(mode: Mode, gauge_mm: int | None = None) -> str:
    """A network layer as the faces show it: ``"rail 1520 mm"``, or the mode alone (``"road"``).

    >>> layer_label(Mode.RAIL, 1520), layer_label(Mode.ROAD)
    ('rail 1520 mm', 'road')
    """
    return f"{mode.value} {gauge_mm} mm" if gauge_mm else mode.value


class Status(str, Enum):
    """The state of a link or border crossing in the data's reference year."""

    OPERATIONAL = "operational"
    UNDER_CONSTRUCTION = "under_construction"
    PLANNED = "planned"
    CLOSED = "closed"
    DISPUTED = "disputed"

    def __str__(self) -> str:
        return self.value


class NodeKind(str, Enum):
    """What a node is, for display and for snapping coordinates to suitable nodes."""

    CITY = "city"
    SEAPORT = "seaport"
    RIVER_PORT = "river_port"
    RAIL_TERMINAL = "rail_terminal"
    DRY_PORT = "dry_port"
    BORDER_POST = "border_post"
    JUNCTION = "junction"

    def __str__(self) -> str:
        return self.value


class SourceKind(str, Enum):
    """What kind of evidence a source row is; ``ASSUMPTION`` marks a figure nobody published."""

    REPORT = "report"
    DATASET = "dataset"
    WEB = "web"
    NEWS = "news"
    OFFICIAL = "official"
    ASSUMPTION = "assumption"

    def __str__(self) -> str:
        return self.value


class LengthSource(str, Enum):
    """Where a link's length comes from."""

    OSM_RAIL = "osm_rail"
    OSM_ROAD = "osm_road"
    SEAROUTE = "searoute"
    PUBLISHED = "published"
    ESTIMATE = "estimate"

    def __str__(self) -> str:
        return self.value
