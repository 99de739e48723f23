"""The network model: nodes, links, border crossings, sources and parameters.

Pure, frozen data. Nothing here reads files (see :mod:`corridors.io`) or builds graphs (see
:mod:`corridors.graph`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from corridors.model.changes import Change
from corridors.model.enums import LengthSource, Mode, NodeKind, SourceKind, Status

if TYPE_CHECKING:  # pragma: no cover - types only (the model imports no io at run time)
    import geopandas

    from corridors.io.notebook import InlineMap

FIRST_YEAR, LAST_YEAR = 1900, 2100
"""The network years the data, scenarios and routes may name; every dated element opens by the last."""


@dataclass(frozen=True)
class Source:
    """A document, dataset or stated assumption that data rows point to."""

    id: str
    kind: SourceKind
    title: str
    publisher: str = ""
    date: str = ""
    reference: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Node:
    """A place where links meet: a city, port, terminal, border post or junction."""

    id: str
    name: str
    lon: float
    lat: float
    country: str
    kind: NodeKind
    aliases: tuple[str, ...] = ()
    handles: frozenset[Mode] = frozenset()
    gauge_change: tuple[str, ...] = ()
    gauge_change_time_h: float | None = None
    gauge_change_cost_usd: float | None = None
    source_ids: tuple[str, ...] = ()
    notes: str = ""

    @property
    def label(self) -> str:
        """``"Name, CC"``: unambiguous for display."""
        return f"{self.name}, {self.country}"


@dataclass(frozen=True)
class Link:
    """A stretch of line between two nodes by one mode (both directions unless ``oneway``)."""

    id: str
    from_node: str
    to_node: str
    mode: Mode
    distance_km: float
    status: Status
    length_source: LengthSource
    gauges_mm: tuple[int, ...] = ()
    speed_kmh: float | None = None
    time_h: float | None = None
    wait_h: float = 0.0
    cost_usd_per_teu: float | None = None
    oneway: bool = False
    opens_year: int | None = None
    border: str | None = None
    via_countries: tuple[str, ...] = ()
    corridors: tuple[str, ...] = ()
    capacity_t_per_year: float | None = None
    open_months: tuple[int, ...] = ()
    """Months of the year the link can be used (a navigation season); empty: all year."""
    source_ids: tuple[str, ...] = ()
    notes: str = ""
    time_factor: float = 1.0
    """Multiplier on the running time, applied at costing time (a scenario's ``scale``)."""
    cost_factor: float = 1.0
    """Multiplier on the line-haul cost, applied at costing time (a scenario's ``scale``)."""


@dataclass(frozen=True)
class BorderCrossing:
    """A border crossing point for one mode: where, between whom, how long and how dear."""

    id: str
    name: str
    country_a: str
    country_b: str
    mode: Mode
    status: Status
    dwell_h: float
    fee_usd: float
    dwell_p90_h: float | None = None
    opens_year: int | None = None
    source_ids: tuple[str, ...] = ()
    notes: str = ""
    dwell_factor: float = 1.0
    """Multiplier on ``dwell_h`` and ``dwell_p90_h``, applied at costing time (a scenario's ``scale``)."""
    fee_factor: float = 1.0
    """Multiplier on ``fee_usd``, applied at costing time (a scenario's ``scale``)."""


@dataclass(frozen=True)
class ModeParameters:
    """Defaults for one mode: commercial speed (km/h), cost (USD per TEU-km), CO2e (g per t-km).
    What they make of a link is the costing layer's (:func:`corridors.costs.line_haul`)."""

    speed_kmh: float
    cost_usd_per_teu_km: float
    co2e_g_per_tkm: float
    source_ids: tuple[str, ...] = ()
    time_factor: float = 1.0
    """Multiplier on running times of the mode, applied at costing time (a scenario's ``scale``)."""
    cost_factor: float = 1.0
    """Multiplier on line-haul costs of the mode, applied at costing time (a scenario's ``scale``)."""


@dataclass(frozen=True)
class TransferParameters:
    """Time (h) and cost (USD per TEU) to move a unit between two modes at a terminal."""

    modes: frozenset[Mode]
    time_h: float
    cost_usd_per_teu: float
    co2e_kg_per_teu: float = 0.0
    source_ids: tuple[str, ...] = ()
    time_factor: float = 1.0
    """Multiplier on ``time_h``, applied at costing time (a scenario's ``scale``)."""
    cost_factor: float = 1.0
    """Multiplier on ``cost_usd_per_teu``, applied at costing time (a scenario's ``scale``)."""


@dataclass(frozen=True)
class CargoUnit:
    """What one shipment is: its cost weight in TEU equivalents and its mass in tonnes."""

    name: str
    teu_equivalent: float
    mass_t: float
    description: str = ""
    source_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Parameters:
    """Network-wide parameters with their sources."""

    modes: Mapping[Mode, ModeParameters]
    transfers: tuple[TransferParameters, ...]
    gauge_change_time_h: float
    gauge_change_cost_usd_per_teu: float
    value_of_time_usd_per_teu_h: float
    carbon_price_usd_per_t: float
    cargo: Mapping[str, CargoUnit]
    gauge_change_source_ids: tuple[str, ...] = ()
    value_of_time_source_ids: tuple[str, ...] = ()
    carbon_price_source_ids: tuple[str, ...] = ()

    def transfer(self, a: Mode, b: Mode) -> TransferParameters | None:
        """The transfer parameters between modes ``a`` and ``b``, or None if none is defined."""
        key = frozenset((a, b))
        for transfer in self.transfers:
            if transfer.modes == key:
                return transfer
        return None


def _index(items: Iterable, key: str = "id") -> Mapping:
    return MappingProxyType({getattr(item, key): item for item in items})


@dataclass(frozen=True, eq=False)
class Network:
    """A validated multimodal network. Build one with :func:`corridors.io.read_network`.

    Compared and hashed by identity, so compiled graphs can be cached per network.
    """

    name: str
    as_of_year: int
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    borders: tuple[BorderCrossing, ...]
    sources: tuple[Source, ...]
    parameters: Parameters
    version: str = ""
    geometries: Mapping[str, tuple[tuple[float, float], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    changes: tuple[Change, ...] = ()
    """What scenarios changed to make this network from the data (empty for data as read)."""
    derived_from: Network | None = field(default=None, repr=False)
    """The network a scenario was applied to, if any (lets compilation reuse its topology)."""

    def changes_to(self, element: str, element_id: str) -> tuple[Change, ...]:
        """The scenario changes made to one element, oldest first."""
        return tuple(c for c in self.changes if c.element == element and c.id == element_id)

    @cached_property
    def node_by_id(self) -> Mapping[str, Node]:
        return _index(self.nodes)

    @cached_property
    def link_by_id(self) -> Mapping[str, Link]:
        return _index(self.links)

    @cached_property
    def source_by_id(self) -> Mapping[str, Source]:
        return _index(self.sources)

    @cached_property
    def border_by_key(self) -> Mapping[tuple[str, Mode], BorderCrossing]:
        """Border crossings keyed by ``(border id, mode)``."""
        return MappingProxyType({(b.id, b.mode): b for b in self.borders})

    def link_countries(self, link: Link) -> tuple[str, ...]:
        """ISO codes of every country a link touches: its end nodes' and ``via_countries``."""
        nodes = self.node_by_id
        seen = dict.fromkeys(
            (nodes[link.from_node].country, *link.via_countries, nodes[link.to_node].country)
        )
        return tuple(seen)

    def link_geometry(self, link: Link) -> tuple[tuple[float, float], ...]:
        """(lon, lat) vertices from ``from_node`` to ``to_node``; a straight line if none given."""
        coords = self.geometries.get(link.id)
        a, b = self.node_by_id[link.from_node], self.node_by_id[link.to_node]
        if not coords:
            return ((a.lon, a.lat), (b.lon, b.lat))
        return tuple(coords)

    def to_geodataframes(self) -> dict[str, geopandas.GeoDataFrame]:
        """The network as three geopandas GeoDataFrames (EPSG:4326; needs the ``geo`` extra):

        ``nodes``
            a Point per node, with the properties of :func:`~corridors.io.network_to_geojson`;
        ``links``
            a LineString per link (:meth:`link_geometry`), likewise;
        ``borders``
            a row per border crossing (id and mode), with its fields, the ids of the links that
            carry it (``link_ids``) and a Point at its post: the border-post end of its first link,
            else that link's first node; None for a crossing no link carries.
        """
        from corridors.io.frames import records, rows_to_frame
        from corridors.io.to_geojson import network_to_geojson

        features = network_to_geojson(self)["features"]
        frames = {}
        for kind, name in (("node", "nodes"), ("link", "links")):
            chosen = [f for f in features if f["properties"]["feature"] == kind]
            frames[name] = rows_to_frame([f["properties"] for f in chosen], columns=("feature", "id"),
                                         geometry=[f["geometry"] for f in chosen])
        rows, posts = records(self.borders), []
        for crossing, row in zip(self.borders, rows):
            links = [link for link in self.links if link.border == crossing.id and link.mode is crossing.mode]
            row["link_ids"] = [link.id for link in links]
            ends = [self.node_by_id[links[0].from_node], self.node_by_id[links[0].to_node]] if links else []
            post = next((n for n in ends if n.kind is NodeKind.BORDER_POST), ends[0] if ends else None)
            posts.append(None if post is None else {"type": "Point", "coordinates": [post.lon, post.lat]})
        frames["borders"] = rows_to_frame(rows, columns=("id", "mode", "link_ids"), geometry=posts)
        return frames

    def explore(self, *, height_px: int = 460) -> InlineMap:
        """An offline map of every link and node (Leaflet over country outlines, nothing fetched)."""
        from corridors.io._draw import draw_map
        from corridors.io.notebook import network_map
        from corridors.io.to_geojson import network_to_geojson

        return network_map(network_to_geojson(self), title=f"{self.name} {self.version}".strip(),
                           subtitle=f"{len(self.nodes)} places, {len(self.links)} links, year {self.as_of_year}",
                           static=lambda: draw_map(self), height_px=height_px)

    def _repr_html_(self) -> str:
        return self.explore()._repr_html_()
