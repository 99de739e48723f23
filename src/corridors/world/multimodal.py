"""The world multimodal graph: the world base layers with the curated atlas stitched over them.

Nodes are the rail, road and sea layers' nodes followed by the atlas's compiled states. Arcs:

- ``BASE``: a layer's own edges (km from the layer; time, cost and CO2e from the atlas's mode
  parameters);
- ``BORDER``: a rail or road base edge joining two countries. Where the atlas has any crossing of
  that mode between the two countries the edge is dropped: the atlas's crossings, with their
  status, dwell and fee, are the only way across (so a border the atlas or a scenario closes is
  never crossed). Pairs listed as closed in ``data/world/crossings.yaml`` (e.g. UA-RU since
  2022) are dropped too. Elsewhere it is a default crossing, with a gauge change on rail where
  the countries' gauges differ;
- ``ATLAS``: the atlas's compiled edges (links with their borders, transfers, gauge changes);
- ``CONNECT``: an atlas node's layer states joined to the nearest base node of the same mode;
- ``PORT``: transfers between a terminal port's lane node and the nearest road and rail nodes
  (searoute's terminal ports; elsewhere only at the atlas's seaports).

Where the atlas and a base layer describe the same corridor, both are in the graph; the atlas
adds what the base layers lack (status, gauge, borders, transfers), and its crossings are the
only ones between the countries it covers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from importlib.resources import files

import numpy as np
import yaml

from corridors.costs import CostArrays, CostParts, crossing_rule, edge_costs, line_haul, transfer_costs
from corridors.errors import DataError, Problem
from corridors.graph import compile_graph
from corridors.graph.compile import MultimodalGraph
from corridors.model import Mode, ModeParameters, Network
from corridors.model.seasons import ALL_YEAR, months_mask
from corridors.world.chokepoints import Chokepoint, packaged_chokepoints
from corridors.world.graphs import SphereIndex, fill_from_neighbours
from corridors.world.layers import BaseLayer
from corridors.world.marnet import Ports

LAYER_MODE = {"rail": Mode.RAIL, "road": Mode.ROAD, "sea": Mode.SEA}
LAYER_SOURCES = {"rail": "osm-scgraph-rail", "road": "osm-scgraph-road", "sea": "searoute-marnet"}
"""Source id of each base layer (rows of the atlas's sources.csv), cited by legs that run on it."""


class ArcKind(IntEnum):
    BASE = 0
    BORDER = 1
    ATLAS = 2
    CONNECT = 3
    PORT = 4


@dataclass(frozen=True, eq=False)
class WorldGraph:
    """Arrays of the world graph (see the module docstring). Per arc: ``tail``, ``head``, ``kind``,
    ``mode`` (code of :data:`corridors.model.MODES`, -1 for transfers), ``distance_km``,
    ``costs`` (:class:`~corridors.costs.CostParts`: running time and cost of the arc or its
    transfer, the border time and cost on it, an atlas crossing's or a default crossing's with its
    gauge change, and CO2e), ``opens_year``
    (first year usable), ``open_months`` (12-bit mask of the months usable: an atlas link's or a
    chokepoint's navigation season), ``chokepoint`` (index into ``chokepoints``, -1), ``atlas_edge`` (index
    into ``atlas_graph``'s edges, -1), ``border_from``/``border_to`` (country codes of a base
    border arc, -1). Per node: ``lon``, ``lat``, ``country`` (index into ``countries``, -1),
    ``layer`` (0 rail, 1 road, 2 sea, 3 atlas) and ``ref`` (index in its layer or atlas state).
    ``chokepoint_bits`` (int64 bitmask per arc, bit i = ``chokepoints[i]``) marks every
    chokepoint an arc passes, atlas sea and ferry links included, so that closing one closes
    both the base lanes and the atlas's links through it."""

    atlas_graph: MultimodalGraph
    layers: Mapping[str, BaseLayer]
    ports: Ports | None
    offsets: Mapping[str, int]
    countries: tuple[str, ...]
    chokepoints: tuple[str, ...]
    lon: np.ndarray
    lat: np.ndarray
    country: np.ndarray
    layer: np.ndarray
    ref: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    kind: np.ndarray
    mode: np.ndarray
    distance_km: np.ndarray
    costs: CostParts
    opens_year: np.ndarray
    open_months: np.ndarray
    chokepoint: np.ndarray
    atlas_edge: np.ndarray
    border_from: np.ndarray
    border_to: np.ndarray
    chokepoint_bits: np.ndarray
    chokepoint_countries: tuple[tuple[str, ...], ...]
    """Per chokepoint, the countries whose territory it runs through (avoiding one closes it)."""
    country_gauge_mm: np.ndarray
    """Main-line rail gauge of each of ``countries`` (``crossing_rules["rail_gauge_mm"]``)."""
    crossing_rules: Mapping
    """``data/world/crossings.yaml`` as built with: default crossings, gauges, snap radii."""
    line_figures: np.ndarray
    """(n_arcs, 4) float32: ``distance_km`` and the costs' ``run_time_h``, ``run_cost_usd`` and
    ``co2e_kg_per_t`` of each arc side by side (those arrays are views of its columns), so that a
    route gathers and sums its arcs' figures in one pass."""

    @property
    def atlas(self) -> Network:
        return self.atlas_graph.network

    @property
    def n_nodes(self) -> int:
        return len(self.lon)

    @property
    def cost_arrays(self) -> CostArrays:
        """The arcs' figures as objectives read them."""
        return self.costs.arrays(self.distance_km)

    @property
    def n_arcs(self) -> int:
        return len(self.tail)

    @property
    def nbytes(self) -> int:
        arrays = [getattr(self, f) for f in self.__dataclass_fields__]
        arrays += [getattr(self.costs, f) for f in self.costs.__dataclass_fields__]
        return sum(a.nbytes for a in arrays if isinstance(a, np.ndarray) and a.base is None)  # views: once, as their base


def _line_values(mode: Mode, mp: ModeParameters, km: np.ndarray) -> dict[str, np.ndarray | int]:
    """Arc fields of running ``km`` in ``mode`` at its default speed, cost and CO2e."""
    time_h, cost_usd, co2e_kg_per_t = line_haul(mp, km)
    return dict(mode=mode.code, distance_km=km, run_time_h=time_h, run_cost_usd=cost_usd, co2e_kg_per_t=co2e_kg_per_t)


def load_crossing_rules() -> dict:
    """``data/world/crossings.yaml``: default crossings, gauges by country, snap radii."""
    text = files("corridors.data").joinpath("world", "crossings.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def rule_source_ids() -> frozenset[str]:
    """Source ids cited by ``data/world/crossings.yaml`` and used by world routes (they live in
    the atlas's sources.csv)."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if str(key).endswith("source_ids"):
                    found.update(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(load_crossing_rules())
    return frozenset(found | set(LAYER_SOURCES.values()))


class _Arcs:
    """Accumulates arc arrays chunk by chunk."""

    FIELDS = ("tail", "head", "kind", "mode", "distance_km", "run_time_h", "run_cost_usd", "border_time_h", "border_cost_usd",
              "co2e_kg_per_t",
              "co2e_kg_per_teu", "opens_year", "open_months", "chokepoint", "atlas_edge", "border_from", "border_to")
    DTYPES = {"tail": np.int32, "head": np.int32, "kind": np.int8, "mode": np.int8, "opens_year": np.int16,
              "open_months": np.int16, "chokepoint": np.int16, "atlas_edge": np.int32, "border_from": np.int16,
              "border_to": np.int16, "border_time_h": np.float64, "border_cost_usd": np.float64}
    """Float32 unless named: border figures are float64, so that a border step shows its rule's
    figure exactly (9.9 h, not 9.8999996)."""

    def __init__(self) -> None:
        self.chunks: dict[str, list[np.ndarray]] = {f: [] for f in self.FIELDS}

    def add(self, tail, head, kind, **values) -> None:
        n = len(tail)
        defaults = {"mode": -1, "distance_km": 0.0, "run_time_h": 0.0, "run_cost_usd": 0.0, "border_time_h": 0.0,
                    "border_cost_usd": 0.0, "co2e_kg_per_t": 0.0,
                    "co2e_kg_per_teu": 0.0, "opens_year": 0, "open_months": ALL_YEAR, "chokepoint": -1, "atlas_edge": -1,
                    "border_from": -1, "border_to": -1}
        self.chunks["tail"].append(np.asarray(tail))
        self.chunks["head"].append(np.asarray(head))
        self.chunks["kind"].append(np.full(n, int(kind)))
        for name, default in defaults.items():
            value = values.get(name, default)
            self.chunks[name].append(np.broadcast_to(np.asarray(value), (n,)))

    LINE = ("distance_km", "run_time_h", "run_cost_usd", "co2e_kg_per_t")
    """The fields kept side by side in ``line_figures``."""
    COSTS = ("run_time_h", "run_cost_usd", "border_time_h", "border_cost_usd", "co2e_kg_per_t", "co2e_kg_per_teu")
    """The fields that make the world's :class:`~corridors.costs.CostParts`."""

    def arrays(self) -> dict[str, np.ndarray]:
        out = {}
        for name in self.FIELDS:
            dtype = self.DTYPES.get(name, np.float32)
            joined = np.concatenate(self.chunks[name]) if self.chunks[name] else np.empty(0)
            out[name] = joined.astype(dtype)
        line = np.column_stack([out[name] for name in self.LINE]).astype(np.float32)
        line.flags.writeable = False
        out["line_figures"] = line
        for k, name in enumerate(self.LINE):
            out[name] = line[:, k]
        for array in out.values():
            array.flags.writeable = False
        return out


def atlas_link_chokepoints(atlas: Network, chokepoints) -> np.ndarray:
    """Bitmask (bit i = ``chokepoints[i]``; ``None`` entries tag nothing but keep their bit) of
    the chokepoints each atlas sea or ferry link's geometry passes through (a link without its
    own geometry is a straight line)."""
    from corridors.world.chokepoints import tag_edges

    masks = np.zeros(len(atlas.links), dtype=np.int64)
    known = [(bit, c) for bit, c in enumerate(chokepoints) if c is not None]
    if not known:
        return masks
    for i, link in enumerate(atlas.links):
        if link.mode not in (Mode.SEA, Mode.FERRY):
            continue
        points = np.asarray(atlas.link_geometry(link), dtype=float)
        if len(points) < 2:
            continue
        n = len(points)
        indptr = np.concatenate([np.arange(n), [n - 1]])  # vertex k -> k + 1
        tags = tag_edges(points[:, 0], points[:, 1], indptr, np.arange(1, n), [c for _, c in known])
        for code in set(tags[tags >= 0].tolist()):
            masks[i] |= 1 << known[code][0]
    return masks


def _layer_chokepoints(ids: Sequence[str], chokepoints: Sequence[Chokepoint] | None) -> list[Chokepoint | None]:
    """The chokepoint described by each of a sea layer's chokepoint ids, in the layer's order
    (``chokepoints``, by default the packaged ones; ``None`` for an id they do not describe:
    no polygon to tag atlas links with, no flags)."""
    if len(ids) > 63:
        raise ValueError(f"{len(ids)} chokepoints on the sea layer; an int64 bit mask holds 63")
    by_id = {c.id: c for c in (packaged_chokepoints() if chokepoints is None else chokepoints)}
    return [by_id.get(c) for c in ids]


def _check_layer_modes(atlas: Network, layers: Mapping[str, BaseLayer]) -> None:
    needed = {LAYER_MODE[name] for name in layers} | ({Mode.IWW} if "sea" in layers else set())
    missing = sorted(m.value for m in needed - set(atlas.parameters.modes))
    if missing:
        raise DataError([Problem("parameters.yaml", None, f"modes.{m}",
                                 f"no defaults for mode {m!r}, which the world layers run on "
                                 "(give its speed_kmh, cost_usd_per_teu_km and co2e_g_per_tkm)") for m in missing])


def build_world_graph(atlas: Network, layers: Mapping[str, BaseLayer], ports: Ports | None = None,
                      chokepoints: Sequence[Chokepoint] | None = None) -> WorldGraph:
    """Stitch ``atlas`` over the base ``layers`` (any of ``rail``, ``road``, ``sea``); the sea
    layer's chokepoints are described by ``chokepoints`` (by default the packaged ones: their
    polygons tag atlas links, their flags and seasons apply to the sea lanes).

    Raises :class:`~corridors.errors.DataError` if the atlas's parameters have no defaults for
    a mode the layers run on (the sea layer's river lanes are inland waterway)."""
    rules = load_crossing_rules()
    params = atlas.parameters
    _check_layer_modes(atlas, layers)
    graph = compile_graph(atlas)
    countries = sorted({c for layer in layers.values() for c in layer.countries} | {n.country for n in atlas.nodes})
    code = {c: i for i, c in enumerate(countries)}
    chokepoint_ids = layers["sea"].chokepoints if "sea" in layers else ()
    sea_chokepoints = _layer_chokepoints(chokepoint_ids, chokepoints)
    gauge_of = np.full(len(countries), 1435, dtype=np.int32)
    for gauge, members in rules["rail_gauge_mm"].items():
        for c in members:
            if c in code:
                gauge_of[code[c]] = int(gauge)

    offsets, lon, lat, country, layer_id, ref = {}, [], [], [], [], []
    total = 0
    for i, name in enumerate(("rail", "road", "sea")):
        if name not in layers:
            continue
        layer = layers[name]
        remap = np.asarray([code[c] for c in layer.countries] + [-1], dtype=np.int16)
        offsets[name] = total
        lon.append(np.asarray(layer.lon))
        lat.append(np.asarray(layer.lat))
        codes = np.asarray(layer.country)
        if name != "sea":  # a land node the country polygons miss takes its neighbours' country
            codes = fill_from_neighbours(codes, layer.tail(), layer.head)
        country.append(remap[np.where(codes >= 0, codes, len(layer.countries))])
        layer_id.append(np.full(layer.n_nodes, i, dtype=np.int8))
        ref.append(np.arange(layer.n_nodes, dtype=np.int32))
        total += layer.n_nodes
    offsets["atlas"] = total
    nodes = atlas.nodes
    state_node = graph.state_node
    lon.append(np.asarray([nodes[i].lon for i in state_node]))
    lat.append(np.asarray([nodes[i].lat for i in state_node]))
    country.append(np.asarray([code[nodes[i].country] for i in state_node], dtype=np.int16))
    layer_id.append(np.full(graph.n_states, 3, dtype=np.int8))
    ref.append(np.arange(graph.n_states, dtype=np.int32))
    lon, lat, country = np.concatenate(lon), np.concatenate(lat), np.concatenate(country)

    arcs = _Arcs()
    atlas_pairs = {(frozenset((b.country_a, b.country_b)), b.mode) for b in atlas.borders}
    closed_pairs = {frozenset(p["countries"]) for p in rules.get("closed_pairs", [])}
    for name, layer in layers.items():
        mode = LAYER_MODE[name]
        mp = params.modes[mode]
        o = offsets[name]
        tail, head = layer.tail().astype(np.int64) + o, np.asarray(layer.head).astype(np.int64) + o
        km = np.asarray(layer.length_km, dtype=np.float64)
        values = _line_values(mode, mp, km)
        if name == "sea":
            choke = np.asarray(layer.chokepoint)
            rivers = [i for i, c in enumerate(sea_chokepoints) if c is not None and c.inland_waterway]
            if rivers:  # marnet's river lanes (the Volga-Don) are inland waterway, not sea
                river = np.isin(choke, rivers)
                as_river = _line_values(Mode.IWW, params.modes[Mode.IWW], km)
                values = {k: np.where(river, as_river[k], v) for k, v in values.items()}
            season = np.asarray([months_mask(c.open_months if c is not None else ()) for c in sea_chokepoints] + [ALL_YEAR],
                                dtype=np.int16)
            arcs.add(tail, head, ArcKind.BASE, chokepoint=choke, open_months=season[choke], **values)
            continue
        ct, ch = country[tail], country[head]
        crossing = (ct != ch) & (ct >= 0) & (ch >= 0)
        covered = np.zeros(len(tail), dtype=bool)
        for pair_a, pair_b in set(zip(ct[crossing].tolist(), ch[crossing].tolist())):
            pair = frozenset((countries[pair_a], countries[pair_b]))
            if (pair, mode) in atlas_pairs or pair in closed_pairs:
                covered |= (ct == pair_a) & (ch == pair_b)
        inland = ~crossing
        arcs.add(tail[inland], head[inland], ArcKind.BASE, **{k: (v[inland] if isinstance(v, np.ndarray) else v) for k, v in values.items()})
        default = crossing & ~covered
        dwell, fee = np.zeros(len(tail)), np.zeros(len(tail))
        for pair_a, pair_b in set(zip(ct[default].tolist(), ch[default].tolist())):
            rule = crossing_rule(rules, name, countries[pair_a], countries[pair_b])
            pair = default & (ct == pair_a) & (ch == pair_b)
            dwell[pair], fee[pair] = rule.dwell_h, rule.fee_usd
        border_time, border_cost = dwell[default], fee[default]
        if mode is Mode.RAIL:
            change = gauge_of[ct[default]] != gauge_of[ch[default]]
            border_time = border_time + change * params.gauge_change_time_h
            border_cost = border_cost + change * params.gauge_change_cost_usd_per_teu
        arcs.add(tail[default], head[default], ArcKind.BORDER, mode=values["mode"], distance_km=km[default],
                 run_time_h=values["run_time_h"][default], run_cost_usd=values["run_cost_usd"][default],
                 border_time_h=border_time, border_cost_usd=border_cost, co2e_kg_per_t=values["co2e_kg_per_t"][default],
                 border_from=ct[default], border_to=ch[default])

    oa = offsets["atlas"]
    costs = edge_costs(graph)
    arcs.add(graph.tail.astype(np.int64) + oa, graph.head.astype(np.int64) + oa, ArcKind.ATLAS,
             mode=graph.mode, distance_km=graph.distance_km, run_time_h=costs.run_time_h,
             run_cost_usd=costs.run_cost_usd, border_time_h=costs.border_time_h,
             border_cost_usd=costs.border_cost_usd, co2e_kg_per_t=costs.co2e_kg_per_t,
             co2e_kg_per_teu=costs.co2e_kg_per_teu, opens_year=graph.opens_year, open_months=graph.open_months,
             atlas_edge=np.arange(graph.n_edges))

    snap = rules["snap_km"]
    layer_of_state = np.asarray([graph.layers[i].mode.value for i in graph.state_layer])
    for name, layer in layers.items():
        mode = LAYER_MODE[name]
        arrivals = np.flatnonzero((layer_of_state == name) & (np.arange(graph.n_states) % 2 == 0))
        if not len(arrivals):
            continue
        near, km = SphereIndex(layer.lon, layer.lat).nearest(lon[oa + arrivals], lat[oa + arrivals], snap[name])
        ok = near >= 0
        base = near[ok] + offsets[name]
        states = arrivals[ok] + oa
        values = _line_values(mode, params.modes[mode], km[ok])
        arcs.add(base, states, ArcKind.CONNECT, **values)  # base node -> atlas arrival
        arcs.add(states + 1, base, ArcKind.CONNECT, **values)  # atlas departure -> base node

    if ports is not None and "sea" in layers:
        sea_nodes = np.asarray(ports.node, dtype=np.int64)
        valid = sea_nodes >= 0
        if ports.terminal is not None:
            valid &= ports.terminal  # cargo changes between sea and land at terminals only
        for name in ("road", "rail"):
            if name not in layers:
                continue
            transfer = params.transfer(Mode.SEA, LAYER_MODE[name])
            if transfer is None:
                continue
            layer = layers[name]
            near, km = SphereIndex(layer.lon, layer.lat).nearest(ports.lon, ports.lat, rules["port_land_km"])
            ok = valid & (near >= 0)
            sea, land = sea_nodes[ok] + offsets["sea"], near[ok] + offsets[name]
            time_h, cost_usd, co2e_kg_per_teu = transfer_costs(transfer)
            values = dict(run_time_h=time_h, run_cost_usd=cost_usd, co2e_kg_per_teu=co2e_kg_per_teu)
            arcs.add(sea, land, ArcKind.PORT, **values)
            arcs.add(land, sea, ArcKind.PORT, **values)

    data = arcs.arrays()
    bits = np.where(data["chokepoint"] >= 0, np.left_shift(1, np.maximum(data["chokepoint"], 0).astype(np.int64)), 0)
    link_bits = atlas_link_chokepoints(atlas, sea_chokepoints)  # bits in the sea layer's own chokepoint order
    on_link = data["atlas_edge"] >= 0
    atlas_links = graph.link[np.maximum(data["atlas_edge"], 0)]
    bits = np.where(on_link & (atlas_links >= 0), link_bits[np.maximum(atlas_links, 0)], bits).astype(np.int64)
    bits.flags.writeable = False
    for array in (lon, lat, country):
        array.flags.writeable = False
    return WorldGraph(
        atlas_graph=graph, layers=dict(layers), ports=ports, offsets=offsets, countries=tuple(countries),
        chokepoints=tuple(chokepoint_ids), lon=lon, lat=lat, country=country,
        layer=np.concatenate(layer_id), ref=np.concatenate(ref), chokepoint_bits=bits,
        chokepoint_countries=tuple(c.countries if c is not None else () for c in sea_chokepoints),
        country_gauge_mm=gauge_of, crossing_rules=rules,
        costs=CostParts(**{name: data.pop(name) for name in _Arcs.COSTS}), **data,
    )
