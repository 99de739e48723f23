"""Route anywhere on the world graph: places of the atlas, sea ports or coordinates.

The metric-independent preprocessing (a customizable contraction hierarchy when pyroutingkit is
installed, else scipy Dijkstra) is built once per world graph and cached on disk; each
objective, year and set of closures is a *customisation* of it (tens to hundreds of ms), kept
for reuse, so answering again after a scenario change costs a re-customisation, not a rebuild.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corridors.errors import InvalidOptionError, NoRouteError, UnknownPlaceError
from corridors.geo import haversine_km
from corridors.io.disk_cache import cache_key, cache_root, prune, read_folder, write_folder
from corridors.caching import BoundedCache
from corridors.costs import Prices, objective_weights
from corridors.model import MODES, Mode
from corridors.model.seasons import open_in
from corridors.routing import _kernel
from corridors.routing._kernel import mode_mask
from corridors.routing.fast import build_router
from corridors.routing.fast.cch import TOPOLOGY_FORMAT
from corridors.routing.alternatives import check_k, penalty_alternatives
from corridors.routing.explain import RULE_NAMES, explain_blocked
from corridors.routing.options import cargo_unit
from corridors.routing.places import resolve_place
from corridors.routing.result import Route
from corridors.routing.query import Path as QueryPath
from corridors.routing.query import PreparedQuery
from corridors.world._build import WorldRouteBuilder
from corridors.world.chokepoints import flagged
from corridors.world.graphs import SphereIndex
from corridors.world.multimodal import WorldGraph, load_crossing_rules
from corridors.world.options import WorldOptions, closed_by_default


_COORDS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
KEPT_METRICS = 8
"""Customised metrics (prepared queries) a world router keeps, one per set of options."""


@dataclass(frozen=True)
class _Endpoint:
    """Where a route may start or end: candidate world nodes and each one's snap distance (km)."""

    label: str
    nodes: np.ndarray
    snaps_km: np.ndarray

    def snap_at(self, node: int) -> float:
        """The snap distance of the candidate node a route actually used."""
        return float(self.snaps_km[self.nodes.tolist().index(node)])


@dataclass(frozen=True)
class _Point:
    """A place given by, or found at, a point still to be snapped to the layers (degrees)."""

    query: str
    label: str
    lon: float
    lat: float


class WorldEngine:
    """Answers a :class:`PreparedQuery` on the world graph: each weight vector is a
    customisation of the router's metric-independent preprocessing (a CCH, or scipy)."""

    def __init__(self, base, world: WorldGraph) -> None:
        self.base = base
        self.n_edges = world.n_arcs

    def solver(self, weights: np.ndarray) -> WorldSolver:
        metric = self.base.sibling()
        metric.customize(weights)
        return WorldSolver(metric)


class WorldSolver:
    """Paths and matrices on one customised world metric."""

    def __init__(self, metric) -> None:
        self.metric = metric

    def path(self, origins: np.ndarray, destinations: np.ndarray, waypoints=()) -> QueryPath | None:
        """The least path from any origin node to any destination node, or None. One query when
        both ends are single nodes, else a small matrix picks the pair first."""
        if waypoints:
            raise InvalidOptionError("world routes take no via points (yet)")
        if len(origins) == 1 and len(destinations) == 1:
            value, arcs = self.metric.path(int(origins[0]), int(destinations[0]))
        else:
            distances = self.metric.matrix(origins, destinations)
            i, j = np.unravel_index(np.argmin(distances), distances.shape)
            if not np.isfinite(distances[i, j]):
                return None
            value, arcs = self.metric.path(int(origins[i]), int(destinations[j]))
        return (float(value), np.asarray(arcs, dtype=np.int64)) if np.isfinite(value) else None

    def matrix(self, origins, destinations) -> np.ndarray:
        """Least value from each origin node set to each destination node set."""
        flat_o = np.concatenate([np.asarray(o, dtype=np.int64) for o in origins])
        flat_d = np.concatenate([np.asarray(d, dtype=np.int64) for d in destinations])
        full = self.metric.matrix(flat_o, flat_d)
        rows = np.minimum.reduceat(full, np.cumsum([0, *map(len, origins[:-1])]), axis=0)
        return np.minimum.reduceat(rows, np.cumsum([0, *map(len, destinations[:-1])]), axis=1)


class WorldRouter:
    """Routes on a :class:`WorldGraph`; see the module docstring."""

    def __init__(self, world: WorldGraph, *, engine: str = "auto", cache_dir: str | Path | None = None) -> None:
        self.world = world
        self._queries: BoundedCache[WorldOptions, PreparedQuery] = BoundedCache(KEPT_METRICS)
        self._builder: WorldRouteBuilder | None = None
        self._coordinate_snap_km: Mapping[str, float] = world.crossing_rules["coordinate_snap_km"]
        self._trees: dict = {}
        self._base = self._preprocess(engine, cache_dir)

    def _preprocess(self, engine: str, cache_dir):
        """The metric-independent preprocessing: loaded from the disk cache when a complete,
        checksummed copy for exactly these arcs is there, else built and saved atomically."""
        w = self.world
        digest = hashlib.sha256(w.tail.tobytes() + w.head.tobytes()).hexdigest()[:24]
        folder, name = cache_root(cache_dir) / "world", f"cch-{TOPOLOGY_FORMAT}-{w.n_nodes}-{digest}"
        key = cache_key({"topology": TOPOLOGY_FORMAT})
        saved = read_folder(folder, name, key) if engine in ("auto", "cch") else None
        if isinstance(saved, Path):
            try:
                from corridors.routing.fast.cch import CCHRouter

                return CCHRouter.from_saved(w.n_nodes, w.tail, w.head, str(saved) + "/")
            except (ImportError, InvalidOptionError, RuntimeError, OSError):
                pass  # rebuilt below
        router = build_router(w.n_nodes, w.tail, w.head, engine=engine, latitude=w.lat, longitude=w.lon)
        if hasattr(router, "save_topology"):
            try:  # RoutingKit's files, renamed into place when complete, then checksummed
                write_folder(folder, name, lambda tmp: router.save_topology(str(tmp) + "/"), key)
                prune_topologies(folder)
            except (OSError, RuntimeError):
                pass  # the router works; the next one builds again
        return router

    # prepared queries ---------------------------------------------------------------------------
    def query(self, options: WorldOptions) -> PreparedQuery:
        """The prepared query of ``options`` (objective weights and named rules over the world's
        arcs), customised on first use and kept for the :data:`KEPT_METRICS` options used last."""
        def make() -> PreparedQuery:  # customised here, once per options even under concurrent requests
            return PreparedQuery(WorldEngine(self._base, self.world), self._objective(options),
                                 self.rules(options)).compact()

        return self._queries.get_or_make(options, make)

    def weights(self, options: WorldOptions) -> np.ndarray:
        """Weight of every arc for ``options``; ``inf`` where a rule forbids the arc (computed
        on each call: the cached query does not keep it)."""
        query = self.query(options)
        return _kernel.masked(query.weights, query.masks)

    def _objective(self, options: WorldOptions) -> np.ndarray:
        """The objective's weight of every arc (:func:`corridors.costs.objective_weights`).

        The engines round weights to ``resolution`` (1 m, 3.6 s, 0.001 USD or 1 g), far above
        the objectives' tie-break by time; so a step that takes time but would round to nothing
        (a border, transfer or gauge change under the distance or CO2e objective) weighs one
        unit: of two routes equal on the objective, the one with fewer such steps wins, and the
        objective value counts that unit per step.
        """
        w = self.world
        params = w.atlas.parameters
        vot, carbon = options.value_of_time_usd_per_teu_h, options.carbon_price_usd_per_t
        prices = Prices(params.value_of_time_usd_per_teu_h if vot is None else vot,
                        params.carbon_price_usd_per_t if carbon is None else carbon)
        costs = w.cost_arrays
        weight = objective_weights(options.objective, costs, cargo_unit(params, options.cargo), prices)
        unit = self._base.resolution
        return np.where((weight < unit / 2) & (costs.time_h > 0), unit, weight)

    def rules(self, options: WorldOptions) -> dict[str, np.ndarray]:
        """One boolean array per rule of ``options``, True where an arc obeys it: ``year``,
        ``season`` (with a month), ``chokepoints`` (closed ones), ``modes`` and ``countries`` (an
        arc touches no avoided country: at its ends, on an atlas link's ``via_countries``, or in
        a passage through the country's territory)."""
        w = self.world
        unknown = sorted(set(options.closed_chokepoints) - set(w.chokepoints) - closed_by_default())
        if unknown and w.chokepoints:
            raise InvalidOptionError(f"unknown chokepoint(s) {', '.join(unknown)}; known: {', '.join(w.chokepoints)}")
        masks = {"year": w.opens_year <= (options.year or w.atlas.as_of_year)}
        if options.month is not None:
            masks["season"] = open_in(w.open_months, options.month)
        closed = sum(1 << w.chokepoints.index(name) for name in options.closed_chokepoints if name in w.chokepoints)
        if closed:
            masks["chokepoints"] = (w.chokepoint_bits & closed) == 0
        if options.modes is not None:
            masks["modes"] = mode_mask(w.mode, options.modes)
        if options.avoid_countries:
            ok = np.ones(w.n_arcs, dtype=bool)
            for code in options.avoid_countries:
                ok &= ~self.country_arcs(code)
            masks["countries"] = ok
        return masks

    def country_arcs(self, code: str) -> np.ndarray:
        """True for arcs that touch country ``code``: an end node there, an atlas edge that
        touches it (``via_countries`` included), or a passage through its territory."""
        w = self.world
        touches = np.zeros(w.n_arcs, dtype=bool)
        if code in w.countries:
            c = w.countries.index(code)
            touches |= (w.country[w.tail] == c) | (w.country[w.head] == c)
        atlas = np.flatnonzero(w.atlas_edge >= 0)
        touches[atlas] |= w.atlas_graph.country_edge_mask(code)[w.atlas_edge[atlas]]
        bits = sum(1 << k for k, countries in enumerate(w.chokepoint_countries) if code in countries)
        if bits:
            touches |= (w.chokepoint_bits & bits) != 0
        return touches

    # places -------------------------------------------------------------------------------------
    def _index(self, layer: str) -> SphereIndex:
        """The nearest-node index of a layer (built on first use)."""
        index = self._trees.get(layer)
        if index is None:
            base = self.world.layers[layer]
            index = self._trees[layer] = SphereIndex(base.lon, base.lat)
        return index

    def endpoint(self, query: str, role: str) -> _Endpoint:
        """Nodes a route may start (``role="origin"``) or end at for a place query."""
        return self._resolve([(query, role)])[0]

    def endpoints(self, origin: str, destination: str) -> tuple[_Endpoint, _Endpoint]:
        """The :meth:`endpoint` of both ends of a route; coordinates are snapped together."""
        o, d = self._resolve([(origin, "origin"), (destination, "destination")])
        return o, d

    def _resolve(self, queries: list[tuple[str, str]]) -> list[_Endpoint]:
        """Endpoints of ``(query, role)`` pairs: places by name, points snapped all at once (one
        nearest-node search per layer)."""
        found = [self._place(query, role) for query, role in queries]
        points = [(k, p) for k, p in enumerate(found) if isinstance(p, _Point)]
        if points:
            for (k, _), snapped in zip(points, self._snap([p for _, p in points])):
                found[k] = snapped
        return found

    def _place(self, query: str, role: str) -> _Endpoint | _Point:
        """A place query as its atlas states or sea node, or as a point still to snap."""
        w = self.world
        coords = _COORDS.match(query)
        if coords:
            lat, lon = float(coords.group(1)), float(coords.group(2))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise UnknownPlaceError(query, what="place ('lat,lon' needs -90..90 and -180..180)")
            return _Point(query, f"{lat:.3f}, {lon:.3f}", lon, lat)
        try:
            node = resolve_place(w.atlas, query).node
        except UnknownPlaceError:
            found = w.ports.find(query) if w.ports is not None else []
            if not found or "sea" not in w.offsets:
                raise
            port = found[0]
            label = f"{w.ports.name[port]}, {w.ports.country[port]}"
            lon, lat = float(w.ports.lon[port]), float(w.ports.lat[port])
            sea = int(w.ports.node[port])
            if sea < 0:  # an inland port, with no sea lane near: start or end on land by its place
                return _Point(query, label, lon, lat)
            sea_layer = w.layers["sea"]
            snap = float(haversine_km(lon, lat, sea_layer.lon[sea], sea_layer.lat[sea]))
            return _Endpoint(label, np.asarray([w.offsets["sea"] + sea]), np.asarray([snap]))
        g = w.atlas_graph
        states = g.departures(node.id) if role == "origin" else g.arrivals(node.id)
        return _Endpoint(node.label, states.astype(np.int64) + w.offsets["atlas"], np.zeros(len(states)))

    def _snap(self, points: list[_Point]) -> list[_Endpoint]:
        """Each point's nearest node on every layer within that layer's coordinate snap radius."""
        w = self.world
        lon, lat = np.array([p.lon for p in points]), np.array([p.lat for p in points])
        nodes: list[list[int]] = [[] for _ in points]
        snaps: list[list[float]] = [[] for _ in points]
        for name in ("road", "rail", "sea"):
            if name not in w.offsets or name not in w.layers:
                continue
            near, km = self._index(name).nearest(lon, lat, self._coordinate_snap_km[name])
            for k, (i, d) in enumerate(zip(near.tolist(), km.tolist())):
                if i >= 0:
                    nodes[k].append(w.offsets[name] + i)
                    snaps[k].append(d)
        for p, found in zip(points, nodes):
            if not found:
                radii = ", ".join(f"{name} {km:g} km" for name, km in self._coordinate_snap_km.items())
                raise UnknownPlaceError(p.query, what=f"place (no world layer node near enough: {radii} of)")
        return [_Endpoint(p.label, np.asarray(n), np.asarray(d)) for p, n, d in zip(points, nodes, snaps)]

    # routing ------------------------------------------------------------------------------------
    def _endpoint_query(self, origin: str, destination: str, options: WorldOptions | None
                        ) -> tuple[PreparedQuery, _Endpoint, _Endpoint]:
        options = options or WorldOptions()
        o, d = self.endpoints(origin, destination)
        w = self.world
        for role, end in (("origin", o), ("destination", d)):
            codes = {w.countries[c] for c in w.country[end.nodes].tolist() if c >= 0}
            if codes and codes <= options.avoid_countries:
                raise InvalidOptionError(f"the {role} {end.label} lies in {', '.join(sorted(codes))}, "
                                         "which the route must avoid")
        return self.query(options).between(o.nodes, d.nodes), o, d

    def route(self, origin: str, destination: str, options: WorldOptions | None = None) -> Route:
        """The best route between two places anywhere the layers reach."""
        options = options or WorldOptions()
        query, o, d = self._endpoint_query(origin, destination, options)
        found = query.path()
        if found is None:
            raise NoRouteError(o.label, d.label, self._explain(query, options))
        return self._build(found[1], options, o, d, found[0])

    def _explain(self, query: PreparedQuery, options: WorldOptions) -> list[str]:
        """Which rule blocks every path (:func:`~corridors.routing.explain.explain_blocked`), and
        what the relaxed path does against it. Relaxed customisations are not kept: they would
        evict useful ones."""
        names = {**RULE_NAMES,
                 "chokepoints": "the closed chokepoints (" + ", ".join(sorted(options.closed_chokepoints)) + ")",
                 "season": f"the navigation seasons (in {calendar.month_name[options.month or 1]})"}
        return explain_blocked(query, names.__getitem__,
                               lambda rule, arcs: self._breaks(rule, arcs[~query.masks[rule][arcs]], options),
                               apart="the world layers do not join these places at all "
                                     "(no path in any mode, year or closure)")

    def _breaks(self, rule: str, bad: np.ndarray, options: WorldOptions) -> list[str]:
        """What the arcs of a path that break ``rule`` of ``options`` are, one phrase per kind."""
        w = self.world
        if rule == "modes":
            return [f"{MODES[m].value} arcs" for m in np.unique(w.mode[bad]).tolist() if m >= 0]
        if rule in ("chokepoints", "season"):
            bits = int(np.bitwise_or.reduce(w.chokepoint_bits[bad])) if len(bad) else 0
            found = [f"the {c} passage" for k, c in enumerate(w.chokepoints) if bits >> k & 1]
            return found or _atlas_links(w, bad)
        if rule == "countries":
            return [f"arcs in {code}" for code in sorted(options.avoid_countries) if self.country_arcs(code)[bad].any()]
        return _atlas_links(w, bad) or [f"{len(bad)} arcs not open in {options.year or w.atlas.as_of_year}"]

    def _build(self, arcs, options: WorldOptions, o: _Endpoint, d: _Endpoint, value: float) -> Route:
        if self._builder is None:
            self._builder = WorldRouteBuilder(self.world)
        w = self.world
        if len(arcs):
            start, end = int(w.tail[arcs[0]]), int(w.head[arcs[-1]])
        else:  # origin and destination meet at a node they share
            start = end = int(np.intersect1d(o.nodes, d.nodes)[0])
        snaps = (o.snap_at(start), d.snap_at(end))
        return self._builder.build(arcs, options, o.label, d.label, value, snaps)

    def _signature(self, arcs: np.ndarray) -> frozenset:
        """What makes a corridor: the chokepoints it passes and the countries it crosses on land."""
        w = self.world
        bits = int(np.bitwise_or.reduce(w.chokepoint_bits[arcs])) if len(arcs) else 0
        for basin in flagged("basin") & set(w.chokepoints):  # implied by its passages: not a corridor
            bits &= ~(1 << w.chokepoints.index(basin))
        land = arcs[(w.mode[arcs] == Mode.RAIL.code) | (w.mode[arcs] == Mode.ROAD.code)]
        countries = {w.countries[c] for c in np.unique(w.country[w.head[land]]).tolist() if c >= 0}
        return frozenset({f"chokepoints:{bits}", *countries})

    def alternative_routes(self, origin: str, destination: str, k: int = 3, options: WorldOptions | None = None) -> list[Route]:
        """Up to ``k`` materially different routes, best first (:func:`~corridors.routing.alternatives.penalty_alternatives`):
        each route found makes its arcs dearer in a fresh customisation, and a candidate is kept
        only if it passes another set of chokepoints or land countries than every route kept
        (else the passages it shares are made dearer too) and shares at most
        :data:`~corridors.routing.alternatives.OVERLAP_LIMIT` of its km with each. Figures are
        unpenalised."""
        check_k(k)
        options = options or WorldOptions()
        query, o, d = self._endpoint_query(origin, destination, options)
        found = query.path()
        if found is None:
            raise NoRouteError(o.label, d.label, self._explain(query, options))
        value, first = found
        if not len(first):  # origin and destination meet: nothing to vary
            return [self._build(first, options, o, d, value)]
        w = self.world
        # the rounds run between the first route's own two ends
        query = query.between(w.tail[first[:1]].astype(np.int64), w.head[first[-1:]].astype(np.int64))
        km = w.distance_km.astype(np.float64)

        def distinct(arcs: np.ndarray, kept: list[np.ndarray]) -> np.ndarray | None:
            if self._signature(arcs) in {self._signature(other) for other in kept}:
                # the same corridor again: push away from its passages
                bits = int(np.bitwise_or.reduce(w.chokepoint_bits[arcs]))
                return np.flatnonzero((w.chokepoint_bits & bits) != 0) if bits else np.empty(0, np.int64)
            return None

        kept = penalty_alternatives(
            query, first, k, penalised_edges=lambda arcs: arcs,
            overlap=lambda arcs, other: km[np.intersect1d(arcs, other)].sum() / (km[arcs].sum() or 1.0),
            distinct=distinct,
        )
        weights = query.weights
        routes = [self._build(first, options, o, d, value)]
        routes += [self._build(arcs, options, o, d, float(np.where(np.isfinite(weights[arcs]), weights[arcs], 0).sum()))
                   for arcs in kept[1:]]
        return sorted(routes, key=lambda r: r.objective_value)

    def close(self) -> None:
        """Stop the engine's helper threads (shared by its customisations). The router stays
        usable: a later call that needs them starts them again, so close it again when done."""
        self._base.close()



def _atlas_links(world: WorldGraph, arcs: np.ndarray) -> list[str]:
    """The atlas links ``arcs`` run on, as "link ID" phrases."""
    edges = world.atlas_edge[arcs]
    links = world.atlas_graph.link[edges[edges >= 0]]
    return [f"link {world.atlas.links[i].id}" for i in dict.fromkeys(links[links >= 0].tolist())]


KEPT_TOPOLOGIES = 4
"""Preprocessing caches kept on disk (the most recently written; ~26 MB each for the full world):
enough for a few layer sets side by side, while graphs replaced by new data do not pile up."""


def prune_topologies(folder: Path, keep: int = KEPT_TOPOLOGIES) -> None:
    """Delete all but the ``keep`` newest preprocessing caches in ``folder`` with their sidecars
    (one being written, ``*.tmp``, is left alone)."""
    prune(folder, "cch-*", keep)




def load_world(
    atlas=None,
    *,
    layers: tuple[str, ...] = ("rail", "road", "sea"),
    cache_dir: str | Path | None = None,
    engine: str = "auto",
    progress=None,
) -> WorldRouter:
    """A :class:`WorldRouter` over the world layers and ``atlas`` (the packaged one by default).

    The first call builds the layers and the preprocessing (about a minute on two cores) and
    caches them on disk; later calls load them in seconds. ``progress(message)`` is told what
    is being done.
    """
    from corridors.io import load_atlas
    from corridors.world.layers import load_rail, load_road, load_sea
    from corridors.world.marnet import read_ports
    from corridors.world.multimodal import build_world_graph

    say = progress or (lambda message: None)
    atlas = atlas or load_atlas()
    loaders = {"rail": load_rail, "road": load_road, "sea": load_sea}
    built = {}
    for name in layers:
        say(f"loading the world {name} layer")
        built[name] = loaders[name](cache_dir=cache_dir)
    radius = load_crossing_rules()["port_sea_km"]  # the rules build_world_graph applies below
    ports = read_ports(lon=built["sea"].lon, lat=built["sea"].lat, radius_km=radius) if "sea" in built else None
    say("stitching the atlas over the world layers")
    world = build_world_graph(atlas, built, ports)
    say("preparing the fast router (cached after the first time)")
    return WorldRouter(world, engine=engine, cache_dir=cache_dir)
