"""Turn a world path (arc indices in travel order, each arc's tail the previous arc's head) into
a :class:`Route`.

A path is cut into runs: a maximal stretch of atlas arcs, a maximal stretch of base and
connector arcs of one mode, or a single border or port arc. Atlas runs become the atlas's own
steps (:func:`corridors.routing._build.build_route`); every other run becomes a :class:`Leg`,
followed by a :class:`BorderStep` for a border arc or made a :class:`TransferStep` for a port arc.

The figures of all runs are computed at once over the whole path (sums by ``reduceat``, the
ordered countries and chokepoints of every run from the change points of their sequences, names
by lookup); only the steps themselves are made one by one. A :class:`WorldRouteBuilder` keeps
what later routes reuse: every node's nearest named place and the atlas stretches already
assembled (routes through a corridor share them).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from corridors.costs import crossing_rule
from corridors.model import MODES, CargoUnit, Mode, ModeParameters, Status
from corridors.routing._build import build_route
from corridors.routing.options import cargo_unit
from corridors.routing.result import BorderStep, Leg, Route, Step, TransferKind, TransferStep
from corridors.world.graphs import SphereIndex
from corridors.world.multimodal import LAYER_SOURCES, ArcKind, WorldGraph
from corridors.world.options import WorldOptions

LAYER_NAMES = ("rail", "road", "sea", "atlas")
"""Layer names by the world graph's ``layer`` code."""

ATLAS, LINE, BORDER, PORT = 0, 1, 2, 3
"""Classes of runs."""
_CLASS_OF_KIND = np.zeros(max(ArcKind) + 1, dtype=np.int8)
_CLASS_OF_KIND[[ArcKind.BASE, ArcKind.CONNECT]] = LINE
_CLASS_OF_KIND[ArcKind.BORDER] = BORDER
_CLASS_OF_KIND[ArcKind.ATLAS] = ATLAS
_CLASS_OF_KIND[ArcKind.PORT] = PORT
_KEY_STRIDE = 16
"""Run keys are ``class * _KEY_STRIDE`` (+ the mode index for lines)."""
_ATLAS_LAYER = LAYER_NAMES.index("atlas")
_LAYER_BIT = np.left_shift(1, np.arange(len(LAYER_NAMES)))


def named_places(world: WorldGraph) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The places world nodes are named after: the atlas's nodes, then the sea ports ("Poti,
    GE"), as labels, longitudes and latitudes."""
    nodes = world.atlas.nodes
    labels, lons, lats = [n.label for n in nodes], [n.lon for n in nodes], [n.lat for n in nodes]
    if world.ports is not None:
        labels += [f"{name}, {cc}" for name, cc in zip(world.ports.name, world.ports.country)]
        lons, lats = lons + list(world.ports.lon), lats + list(world.ports.lat)
    return labels, np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)


class Namer:
    """Names for world nodes: an atlas node's label; else the nearest atlas place or sea port
    within ``within_km``, by its name under 1 km and "near Poti, GE" beyond; else coordinates
    and country ("41.20, 44.10 (GE)", "at sea" for no country).

    Every node's nearest place is found once, when the namer is made: one KD-tree query over all
    nodes, about 0.1 s per 300k nodes, keeping 5 bytes a node. A route then names its stops by
    lookup, without a KD-tree query of its own.
    """

    def __init__(self, world: WorldGraph, within_km: float = 30.0) -> None:
        self.world = world
        self.labels, lons, lats = named_places(world)
        near, km = SphereIndex(lons, lats).nearest(world.lon, world.lat, within_km)
        self._near = near.astype(np.int32)  # each node's nearest place within reach, -1 for none
        self._close = km < 1  # and whether it is under 1 km away

    def names(self, nodes: np.ndarray) -> list[str]:
        """Names of ``nodes``."""
        w = self.world
        nodes = np.asarray(nodes, dtype=np.int64)
        found = []
        rows = zip(nodes.tolist(), w.layer[nodes].tolist(), self._near[nodes].tolist(), self._close[nodes].tolist())
        for node, layer, near, close in rows:
            if layer == _ATLAS_LAYER:
                found.append(w.atlas.nodes[w.atlas_graph.state_node[w.ref[node]]].label)
            elif near >= 0:
                found.append(self.labels[near] if close else f"near {self.labels[near]}")
            else:
                code = int(w.country[node])
                lon, lat = float(w.lon[node]), float(w.lat[node])
                found.append(f"{lat:.2f}, {lon:.2f} ({w.countries[code] if code >= 0 else 'at sea'})")
        return found


@dataclass(frozen=True)
class _Runs:
    """A path cut into runs: run ``i`` is ``arcs[start[i]:stop[i]]``, of class ``cls[i]``. The
    path's nodes are ``nodes`` (the first arc's tail, then every arc's head), so run ``i`` goes
    through ``nodes[start[i]:stop[i] + 1]``."""

    arcs: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    cls: np.ndarray
    nodes: np.ndarray


def run_keys(world: WorldGraph) -> np.ndarray:
    """Each arc's run key (int8): arcs of one run share it; border and port arcs are runs of
    their own (see :func:`_cut_runs`)."""
    cls = _CLASS_OF_KIND[world.kind]
    return (cls * _KEY_STRIDE + np.where(cls == LINE, world.mode, 0)).astype(np.int8)


def _cut_runs(world: WorldGraph, keys: np.ndarray, arcs: np.ndarray) -> _Runs:
    """Runs of a non-empty path, ``keys`` from :func:`run_keys`: a run ends where the class or
    a line's mode changes, and border and port arcs are runs of their own."""
    key = keys[arcs]
    single = key >= BORDER * _KEY_STRIDE
    cut = np.flatnonzero((key[1:] != key[:-1]) | single[1:] | single[:-1]) + 1
    start, stop = np.concatenate(([0], cut)), np.concatenate((cut, [len(arcs)]))
    nodes = np.concatenate((world.tail[arcs[:1]], world.head[arcs]))
    return _Runs(arcs=arcs, start=start, stop=stop, cls=key[start] // _KEY_STRIDE, nodes=nodes)


def _run_sums(values: np.ndarray, starts: np.ndarray) -> list[list[float]]:
    """Float64 sums of each run of the float32 rows of ``values`` (one row per arc; run ``i``
    from ``starts[i]`` to the next start), one list per column.

    >>> _run_sums(np.array([[1, 10], [2, 20], [3, 30], [4, 40]], dtype=np.float32), np.array([0, 1]))
    [[1.0, 9.0], [10.0, 90.0]]
    """
    return np.add.reduceat(values.astype(np.float64), starts, axis=0).T.tolist()


def _ordered_distinct(values: np.ndarray, starts: np.ndarray, *, shared_ends: bool = False) -> list[list[int]]:
    """The distinct non-negative values of each group, in order of first appearance. Group
    ``i`` is ``values[starts[i]:starts[i + 1]]`` (the last one to the end), or with
    ``shared_ends`` one longer, to ``starts[i + 1]`` included: the nodes of consecutive runs of
    arcs. Only each group's first value and the points where ``values`` change are visited.

    >>> _ordered_distinct(np.array([3, 3, -1, 1, 3, 2, 2]), np.array([0, 5]))
    [[3, 1], [2]]
    >>> _ordered_distinct(np.array([1, 2, 2, 3]), np.array([0, 2]), shared_ends=True)
    [[1, 2], [2, 3]]
    """
    distinct = [[first] if first >= 0 else [] for first in values[starts].tolist()]
    if values.max(initial=-1) < 0:
        return distinct
    change = np.flatnonzero(values[1:] != values[:-1]) + 1
    group = np.searchsorted(starts, change, side="left" if shared_ends else "right") - 1
    for g, value in zip(group.tolist(), values[change].tolist()):
        if value >= 0 and value not in distinct[g]:
            distinct[g].append(value)
    return distinct


@dataclass(frozen=True)
class _RunFigures:
    """What the legs of all runs need, per run, as plain Python values (names are "" for atlas
    runs: their steps are named by the atlas)."""

    mode: list[int]
    """Code of :data:`corridors.model.MODES`."""
    distance_km: list[float]
    time_h: list[float]
    """Running time of the run's arcs, border dwell excluded (it is the border step's)."""
    cost_usd: list[float]
    """Per TEU-equivalent, border fees excluded."""
    co2e_kg_per_t: list[float]
    first: list[int]
    """World node a run starts at; ``last`` the one it ends at."""
    last: list[int]
    first_name: list[str]
    last_name: list[str]
    layers: list[int]
    """Bit ``k`` set if a node of the run is on layer ``LAYER_NAMES[k]``."""
    countries: list[tuple[str, ...]]
    corridors: list[tuple[str, ...]]
    geometry: list[np.ndarray]
    """(lon, lat) of the run's nodes: views into one array for the whole path."""


def _run_figures(world: WorldGraph, runs: _Runs, namer: Namer, lonlat_table: np.ndarray) -> _RunFigures:
    """The figures of every run of a path, by array operations over the whole path."""
    arcs, nodes, start, stop = runs.arcs, runs.nodes, runs.start, runs.stop
    first, last = nodes[start], nodes[stop]
    first_name, last_name = _end_names(namer, first, last, runs.cls != ATLAS)
    lonlat = np.take(lonlat_table, nodes, axis=0)
    sums = _run_sums(np.take(world.line_figures, arcs, axis=0), start)
    return _RunFigures(
        mode=world.mode[arcs[start]].tolist(),
        distance_km=sums[0],
        time_h=sums[1],
        cost_usd=sums[2],
        co2e_kg_per_t=sums[3],
        first=first.tolist(),
        last=last.tolist(),
        first_name=first_name,
        last_name=last_name,
        layers=_run_layers(world, runs),
        countries=_run_countries(world, runs),
        corridors=_run_corridors(world, runs),
        geometry=[lonlat[a:b + 1] for a, b in zip(start.tolist(), stop.tolist())],
    )


def _run_layers(world: WorldGraph, runs: _Runs) -> list[int]:
    """Bit mask of the layers of each run's nodes."""
    bits = _LAYER_BIT[world.layer[runs.nodes]]
    return (np.bitwise_or.reduceat(bits, runs.start) | bits[runs.stop]).tolist()


def _run_countries(world: WorldGraph, runs: _Runs) -> list[tuple[str, ...]]:
    """The countries of each run's nodes, in order."""
    codes = _ordered_distinct(world.country[runs.nodes], runs.start, shared_ends=True)
    return [tuple(world.countries[c] for c in run) for run in codes]


def _run_corridors(world: WorldGraph, runs: _Runs) -> list[tuple[str, ...]]:
    """The chokepoints each run's arcs pass, in order."""
    if not world.chokepoints:  # no sea layer: no arc is tagged
        return [()] * len(runs.start)
    codes = _ordered_distinct(world.chokepoint[runs.arcs], runs.start)
    return [tuple(world.chokepoints[c] for c in run) for run in codes]


def _end_names(namer: Namer, first: np.ndarray, last: np.ndarray, need: np.ndarray) -> tuple[list[str], list[str]]:
    """Names of the ``first`` and ``last`` nodes of the runs where ``need`` is set ("" for the
    others)."""
    at = np.flatnonzero(need)
    first_name, last_name = [""] * len(need), [""] * len(need)
    for r, a, b in zip(at.tolist(), namer.names(first[at]), namer.names(last[at])):
        first_name[r], last_name[r] = a, b
    return first_name, last_name


class WorldRouteBuilder:
    """Builds the :class:`Route` of world paths (see the module docstring) and keeps what later
    routes reuse: the :class:`Namer`, each mode's figures, legs' source ids, and the steps of
    the ``atlas_cache`` atlas stretches and 16 times as many default crossings used most
    recently."""

    def __init__(self, world: WorldGraph, *, atlas_cache: int = 256) -> None:
        self.world = world
        self.namer = Namer(world)
        self._run_keys = run_keys(world)
        self._lonlat = np.column_stack([world.lon, world.lat])
        modes = world.atlas.parameters.modes
        self._modes: list[tuple[str, ModeParameters | None]] = [(m.value, modes.get(m)) for m in MODES]
        self._sources: dict[tuple[int, int], tuple[str, ...]] = {}
        self._atlas_steps = functools.lru_cache(maxsize=atlas_cache)(self._assemble_atlas_steps)
        self._border_steps = functools.lru_cache(maxsize=16 * atlas_cache)(self._border)

    def build(self, arcs: np.ndarray, options: WorldOptions, origin: str, destination: str, value: float,
              snaps_km: tuple[float, float]) -> Route:
        """The route over ``arcs``, named ``origin`` to ``destination``, of objective ``value``."""
        world = self.world
        cargo = cargo_unit(world.atlas.parameters, options.cargo)
        arcs = np.asarray(arcs, dtype=np.int64)
        steps: list[Step] = []
        if len(arcs):
            runs = _cut_runs(world, self._run_keys, arcs)
            figures = _run_figures(world, runs, self.namer, self._lonlat)
            km = 0.0
            for r, (cls, start, stop) in enumerate(zip(runs.cls.tolist(), runs.start.tolist(), runs.stop.tolist())):
                if cls == ATLAS:
                    part, part_km = self._atlas_steps(tuple(world.atlas_edge[arcs[start:stop]].tolist()), cargo)
                    steps += [_shifted(step, km) for step in part]
                    km += part_km
                elif cls == PORT:
                    steps.append(_transfer(world, int(arcs[start]), km, cargo, figures.last_name[r]))
                else:
                    steps.append(self._leg(figures, r, km, cargo))
                    km += figures.distance_km[r]
                    if cls == BORDER:
                        steps.append(_shifted(self._border_steps(int(arcs[start]), cargo), km))
        return Route(
            origin_id="", destination_id="", origin_name=origin, destination_name=destination,
            objective=options.objective, objective_value=value, year=options.year or world.atlas.as_of_year,
            cargo=cargo, steps=tuple(steps), snaps_km=snaps_km, month=options.month,
        )

    def _leg_sources(self, layers: int, mode: int) -> tuple[str, ...]:
        """Source ids of a leg of mode index ``mode`` on the base layers in the ``layers`` bits."""
        found = self._sources.get((layers, mode))
        if found is None:
            names = sorted(LAYER_NAMES[k] for k in range(len(LAYER_NAMES)) if layers >> k & 1 and k != _ATLAS_LAYER)
            found = tuple(dict.fromkeys([*(LAYER_SOURCES[x] for x in names), *self._modes[mode][1].source_ids]))
            self._sources[(layers, mode)] = found
        return found

    def _leg(self, figures: _RunFigures, r: int, km: float, cargo: CargoUnit) -> Leg:
        """The leg of run ``r``, starting at ``km``: the sums of the arcs it runs on."""
        mode = figures.mode[r]
        dist = figures.distance_km[r]
        time_h, cost_usd, co2e_kg_per_t = figures.time_h[r], figures.cost_usd[r], figures.co2e_kg_per_t[r]
        return Leg(
            mode=MODES[mode], from_id=f"world:{figures.first[r]}", to_id=f"world:{figures.last[r]}",
            from_name=figures.first_name[r], to_name=figures.last_name[r], start_km=km, distance_km=dist,
            time_h=time_h, cost_usd=cost_usd * cargo.teu_equivalent, co2e_kg=co2e_kg_per_t * cargo.mass_t, countries=figures.countries[r], link_ids=(),
            status=Status.OPERATIONAL, opens_year=None, gauge_mm=None, corridors=figures.corridors[r],
            source_ids=self._leg_sources(figures.layers[r], mode), geometry=figures.geometry[r],
        )

    def _border(self, arc: int, cargo: CargoUnit) -> BorderStep:
        """A default crossing on a base border arc, at km 0: the arc's border time and cost (its
        rule's dwell and fee, and a gauge change where the two countries' rail gauges differ)."""
        w = self.world
        mode = self._modes[int(w.mode[arc])][0]
        a, b = int(w.border_from[arc]), int(w.border_to[arc])
        rule = crossing_rule(w.crossing_rules, mode, w.countries[a], w.countries[b])
        params = w.atlas.parameters
        gauge_change = mode == "rail" and w.country_gauge_mm[a] != w.country_gauge_mm[b]
        ids = [*rule.source_ids, *((*w.crossing_rules["gauge_source_ids"], *params.gauge_change_source_ids) if gauge_change else ())]
        node = int(w.head[arc])
        return BorderStep(
            border_id="", name=f"{w.countries[a]}-{w.countries[b]} {mode} crossing ({rule.label})", mode=Mode(mode),
            from_country=w.countries[a], to_country=w.countries[b], at_km=0.0,
            time_h=float(w.costs.border_time_h[arc]), time_p90_h=None,
            cost_usd=float(w.costs.border_cost_usd[arc]) * cargo.teu_equivalent,
            status=Status.OPERATIONAL, link_id="", source_ids=tuple(dict.fromkeys(ids)),
            lon=float(w.lon[node]), lat=float(w.lat[node]),
        )

    def _assemble_atlas_steps(self, edges: tuple[int, ...], cargo: CargoUnit) -> tuple[tuple[Step, ...], float]:
        """The atlas's steps over ``edges`` (their km from 0) and their length in km. Only the
        steps are kept: the objective and year of the route around them are placeholders."""
        g = self.world.atlas_graph
        nodes = self.world.atlas.nodes
        part = build_route(g, list(edges), cargo, origin=nodes[g.state_node[g.tail[edges[0]]]],
                           destination=nodes[g.state_node[g.head[edges[-1]]]], objective="", objective_value=0.0,
                           year=0)
        return part.steps, part.distance_km


def _shifted(step: Step, km: float) -> Step:
    """A copy of an atlas step moved ``km`` further along the route: a shallow copy, as
    ``copy.copy`` makes, with the one field set as a frozen dataclass's ``__init__`` sets it."""
    field = "start_km" if isinstance(step, Leg) else "at_km"
    moved = object.__new__(type(step))
    moved.__dict__.update(step.__dict__)
    object.__setattr__(moved, field, getattr(step, field) + km)
    return moved


def _transfer(world: WorldGraph, arc: int, km: float, cargo: CargoUnit, at_name: str) -> TransferStep:
    """A transfer between a port's sea lane and a land layer."""
    t, h = int(world.tail[arc]), int(world.head[arc])
    modes = [LAYER_NAMES[world.layer[t]], LAYER_NAMES[world.layer[h]]]
    transfer = world.atlas.parameters.transfer(Mode(modes[0]), Mode(modes[1]))
    return TransferStep(
        at_id=f"world:{h}", at_name=at_name, kind=TransferKind.TRANSFER, from_mode=Mode(modes[0]), to_mode=Mode(modes[1]),
        from_gauge_mm=None, to_gauge_mm=None,
        at_km=km, time_h=float(world.costs.run_time_h[arc]), cost_usd=float(world.costs.run_cost_usd[arc]) * cargo.teu_equivalent,
        co2e_kg=float(world.costs.co2e_kg_per_teu[arc]) * cargo.teu_equivalent,
        source_ids=(transfer.source_ids if transfer else ()), lon=float(world.lon[h]), lat=float(world.lat[h]),
    )

