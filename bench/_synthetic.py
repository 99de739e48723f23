"""A synthetic multimodal corridor network of any size, built in memory and deterministic.

The shape imitates the atlas at continental scale: a jittered grid of places over ~40 x 40
degrees, split into six countries by longitude bands, with

- a road link between grid neighbours (10 % missing), faster on every 20th row and column;
- a rail line along every 4th row and column, 1435 mm in TR and CN and 1520 mm elsewhere;
  where the gauge breaks at a border only lines with a gauge-change facility at the far node
  cross, the others stop at the border;
- a border crossing on every link whose ends lie in different countries (20 % closed);
- seaports on the southern edge joined by sea links;
- rail/road transfer terminals at ~5 % of the places, and 1 % of rail links planned for 2030.

Parameters are the packaged atlas's own (read from its ``parameters.yaml``); nothing else is
read, and nothing is written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from corridors.geo import haversine_km
from corridors.model import BorderCrossing, Link, Mode, Network, Node, Status
from corridors.model.enums import LengthSource, NodeKind, SourceKind
from corridors.model.network import Parameters, Source

COUNTRIES: tuple[tuple[str, int], ...] = (
    ("TR", 1435), ("GE", 1520), ("AZ", 1520), ("KZ", 1520), ("UZ", 1520), ("CN", 1435),
)
"""West-to-east longitude bands: ISO code and rail gauge (mm)."""
SOURCE_ID = "synthetic-benchmark"
SOURCES = (SOURCE_ID,)
AS_OF_YEAR = 2025


@dataclass(frozen=True)
class SyntheticSpec:
    """Size and shape of a synthetic network. Angles in degrees, shares in [0, 1]."""

    nodes: int = 200_000
    seed: int = 20250101
    lon0_deg: float = 40.0
    lat0_deg: float = 30.0
    span_deg: float = 40.0
    rail_every: int = 4
    highway_every: int = 20
    road_missing_share: float = 0.10
    transfer_share: float = 0.05
    closed_border_share: float = 0.20
    planned_rail_share: float = 0.01
    gauge_facility_share: float = 0.5
    ports: int = 12


@dataclass(frozen=True)
class _Grid:
    side: int
    lon: np.ndarray
    lat: np.ndarray
    band: np.ndarray


@dataclass
class _Edges:
    """Undirected candidate links of one mode as arrays of grid indices."""

    a: np.ndarray
    b: np.ndarray


def atlas_parameters() -> Parameters:
    """The atlas's own parameters.yaml (speeds, costs, CO2e, transfers, cargo units), every
    source id pointed at the synthetic network's one source so that it validates."""
    from corridors import load_atlas

    p = load_atlas().parameters

    def resourced(item):
        return dataclasses.replace(item, source_ids=SOURCES)

    return dataclasses.replace(
        p,
        modes=MappingProxyType({mode: resourced(mp) for mode, mp in p.modes.items()}),
        transfers=tuple(resourced(t) for t in p.transfers),
        cargo=MappingProxyType({name: resourced(unit) for name, unit in p.cargo.items()}),
        gauge_change_source_ids=SOURCES, value_of_time_source_ids=SOURCES, carbon_price_source_ids=SOURCES,
    )


def _grid(spec: SyntheticSpec, rng: np.random.Generator) -> _Grid:
    """Jittered grid points (degrees) and the country band of each."""
    side = max(2, round(spec.nodes ** 0.5))
    step = spec.span_deg / (side - 1)
    rows, cols = np.divmod(np.arange(side * side), side)
    lon = spec.lon0_deg + cols * step + rng.uniform(-0.35, 0.35, side * side) * step
    lat = spec.lat0_deg + rows * step + rng.uniform(-0.35, 0.35, side * side) * step
    band = np.clip(((lon - spec.lon0_deg) / spec.span_deg * len(COUNTRIES)).astype(int), 0, len(COUNTRIES) - 1)
    return _Grid(side, lon, lat, band)


def _neighbours(side: int, rows: np.ndarray, cols: np.ndarray) -> _Edges:
    """East and north neighbour pairs of a grid, restricted to the given rows / columns."""
    r, c = np.divmod(np.arange(side * side), side)
    east = np.isin(r, rows) & (c < side - 1)
    north = np.isin(c, cols) & (r < side - 1)
    a = np.concatenate([np.flatnonzero(east), np.flatnonzero(north)])
    b = np.concatenate([np.flatnonzero(east) + 1, np.flatnonzero(north) + side])
    return _Edges(a, b)


def _length_km(grid: _Grid, edges: _Edges, rng: np.random.Generator, detour: tuple[float, float]) -> np.ndarray:
    """Great-circle length times a random detour factor (km)."""
    gc = haversine_km(grid.lon[edges.a], grid.lat[edges.a], grid.lon[edges.b], grid.lat[edges.b])
    return np.round(gc * rng.uniform(*detour, len(gc)), 1)


class _Builder:
    """Accumulates links and border crossings; one instance per synthetic network."""

    def __init__(self, spec: SyntheticSpec, grid: _Grid, rng: np.random.Generator) -> None:
        self.spec, self.grid, self.rng = spec, grid, rng
        self.links: list[Link] = []
        self.borders: list[BorderCrossing] = []
        self.gauge_nodes: set[int] = set()
        self.rail_nodes: set[int] = set()

    def border(self, a: int, b: int, mode: Mode) -> str | None:
        """Id of a new border crossing if ``a`` and ``b`` lie in different countries."""
        ca, cb = COUNTRIES[self.grid.band[a]][0], COUNTRIES[self.grid.band[b]][0]
        if ca == cb:
            return None
        closed = self.rng.random() < self.spec.closed_border_share
        dwell_h = float(self.rng.uniform(4, 24) if mode is Mode.ROAD else self.rng.uniform(6, 40))
        crossing = BorderCrossing(
            id=f"bx-{len(self.borders)}", name=f"{ca}-{cb} {mode.value} {len(self.borders)}",
            country_a=ca, country_b=cb, mode=mode, status=Status.CLOSED if closed else Status.OPERATIONAL,
            dwell_h=round(dwell_h, 1), fee_usd=round(float(self.rng.uniform(50, 250))),
            dwell_p90_h=round(3 * dwell_h, 1), source_ids=SOURCES,
        )
        self.borders.append(crossing)
        return crossing.id

    def road(self) -> None:
        """Road links between grid neighbours; some missing, highways faster (km/h)."""
        side, every = self.grid.side, self.spec.highway_every
        edges = _neighbours(side, np.arange(side), np.arange(side))
        keep = self.rng.random(len(edges.a)) >= self.spec.road_missing_share
        edges = _Edges(edges.a[keep], edges.b[keep])
        km = _length_km(self.grid, edges, self.rng, (1.1, 1.4))
        on_row = ((edges.a // side) % every == 0) & ((edges.b // side) % every == 0)
        on_col = ((edges.a % side) % every == 0) & ((edges.b % side) % every == 0)
        highway = on_row | on_col
        for i, (a, b) in enumerate(zip(edges.a.tolist(), edges.b.tolist())):
            self.links.append(Link(
                id=f"road-{i}", from_node=f"n{a}", to_node=f"n{b}", mode=Mode.ROAD,
                distance_km=float(km[i]), status=Status.OPERATIONAL, length_source=LengthSource.ESTIMATE,
                speed_kmh=60.0 if highway[i] else None, border=self.border(a, b, Mode.ROAD), source_ids=SOURCES,
            ))

    def rail(self) -> None:
        """Rail lines on every ``rail_every``-th row and column, with gauges by country."""
        side = self.grid.side
        lines = np.arange(0, side, self.spec.rail_every)
        edges = _neighbours(side, lines, lines)
        km = _length_km(self.grid, edges, self.rng, (1.15, 1.3))
        planned = self.rng.random(len(km)) < self.spec.planned_rail_share
        for i, (a, b) in enumerate(zip(edges.a.tolist(), edges.b.tolist())):
            gauge_a, gauge_b = COUNTRIES[self.grid.band[a]][1], COUNTRIES[self.grid.band[b]][1]
            if gauge_a != gauge_b:
                if self.rng.random() >= self.spec.gauge_facility_share:
                    continue  # the line stops at the border
                self.gauge_nodes.add(b)
            self.rail_nodes.update((a, b))
            self.links.append(Link(
                id=f"rail-{i}", from_node=f"n{a}", to_node=f"n{b}", mode=Mode.RAIL,
                distance_km=float(km[i]), status=Status.PLANNED if planned[i] else Status.OPERATIONAL,
                length_source=LengthSource.ESTIMATE, gauges_mm=(gauge_a,),
                opens_year=2030 if planned[i] else None, border=self.border(a, b, Mode.RAIL), source_ids=SOURCES,
            ))

    def sea(self, ports: list[int]) -> None:
        """Sea links along the southern coast: each port to the next and the one after (km)."""
        pairs = [(p, q) for k, p in enumerate(ports) for q in ports[k + 1:k + 3]]
        edges = _Edges(np.array([p for p, _ in pairs]), np.array([q for _, q in pairs]))
        km = _length_km(self.grid, edges, self.rng, (1.3, 1.6))
        for i, (a, b) in enumerate(pairs):
            self.links.append(Link(
                id=f"sea-{i}", from_node=f"n{a}", to_node=f"n{b}", mode=Mode.SEA, distance_km=float(km[i]),
                status=Status.OPERATIONAL, length_source=LengthSource.ESTIMATE, source_ids=SOURCES,
            ))


def _ports(spec: SyntheticSpec, grid: _Grid) -> list[int]:
    """Grid indices of seaports: evenly spaced rail-served places on the southern edge."""
    step = spec.rail_every
    cols = np.unique(np.linspace(0, (grid.side - 1) // step, spec.ports).round().astype(int) * step)
    return [int(c) for c in cols]


def _nodes(grid: _Grid, builder: _Builder, ports: list[int], rng: np.random.Generator, share: float) -> list[Node]:
    """Node records: ports, gauge-change border posts, rail/road terminals and junctions."""
    rail = np.array(sorted(builder.rail_nodes), dtype=np.int64)
    count = min(len(rail), round(share * len(grid.lon)))
    terminals = set(rng.choice(rail, size=count, replace=False).tolist()) if count else set()
    port_set, both = set(ports), frozenset((Mode.RAIL, Mode.ROAD))
    nodes = []
    for i, (lon, lat, band) in enumerate(zip(grid.lon.tolist(), grid.lat.tolist(), grid.band.tolist())):
        kind, handles, gauge = NodeKind.JUNCTION, frozenset(), ()
        if i in port_set:
            kind, handles = NodeKind.SEAPORT, frozenset((Mode.SEA, Mode.RAIL, Mode.ROAD))
        elif i in builder.gauge_nodes:
            kind, handles, gauge = NodeKind.BORDER_POST, both, ("transshipment",)
        elif i in terminals:
            kind, handles = NodeKind.RAIL_TERMINAL, both
        nodes.append(Node(
            id=f"n{i}", name=f"Place {i}", lon=round(lon, 4), lat=round(lat, 4), country=COUNTRIES[band][0],
            kind=kind, handles=handles, gauge_change=gauge, source_ids=SOURCES,
        ))
    return nodes


def synthetic_network(spec: SyntheticSpec) -> Network:
    """A deterministic synthetic network of about ``spec.nodes`` places (see module docstring)."""
    rng = np.random.default_rng(spec.seed)
    grid = _grid(spec, rng)
    builder = _Builder(spec, grid, rng)
    builder.road()
    builder.rail()
    ports = _ports(spec, grid)
    builder.sea(ports)
    nodes = _nodes(grid, builder, ports, rng, spec.transfer_share)
    source = Source(SOURCE_ID, SourceKind.ASSUMPTION, "Synthetic benchmark network (bench/_synthetic.py)")
    return Network(
        name=f"synthetic {len(nodes)} nodes", as_of_year=AS_OF_YEAR, nodes=tuple(nodes),
        links=tuple(builder.links), borders=tuple(builder.borders), sources=(source,),
        parameters=atlas_parameters(), version=f"seed {spec.seed}",
    )
