"""The API's bridge to the public Python API: every endpoint calls one method here.

Holds the network (loaded once), the store and small caches: applied scenarios and their world
graphs, keyed by scenario name and a digest of its text (so a changed user scenario is never served
stale), and serialised route responses (cleared whenever a user scenario changes). Route functions
run in a thread pool: the caches are read and written under ``_cache_lock``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from corridors.analysis import Lane, compare, load_access_pairs, load_lanes, tcd_series
from corridors.analysis.cases import NO_SCENARIO, Case, base_case
from corridors.api.schemas import CompareRequest, MatrixRequest, RouteOptionsIn, RouteRequest
from corridors.api.settings import Settings
from corridors.api.store import Store
from corridors.errors import NoRouteError, Problem, ScenarioError
from corridors.io import load_atlas, network_to_geojson, read_network
from corridors.model import Network
from corridors.routing import Route, RouteOptions, alternative_routes, route, search_places
from corridors.scenarios import (
    AppliedScenario,
    apply_scenario,
    builtin_scenarios,
    load_scenario,
    parse_scenario,
    scenario_options,
)
from corridors.scenarios.builtin import builtin_names, builtin_text

if TYPE_CHECKING:
    from corridors.world import WorldRouter

ScenarioKey = tuple[str, str]
"""A scenario's cache key: its name and ``"builtin"`` or the SHA-1 of a user scenario's text."""

MAX_APPLIED = 32
"""Applied scenarios kept (each holds a copy of the network)."""
MAX_SCENARIO_WORLDS = 2
"""World graphs under scenarios kept (each a full copy of the world graph and its router)."""


class NotFound(LookupError):
    """A named resource does not exist (answered 404)."""


class Forbidden(ValueError):
    """The request would change something read-only (answered 400)."""


def route_json(r: Route) -> dict[str, Any]:
    """A route as the API returns it: the CLI's JSON plus via, TCD series and GeoJSON."""
    data = r.to_dict()
    for leg, step in zip(data["legs"], r.legs):
        leg["from_id"], leg["to_id"] = step.from_id, step.to_id
    data["via"] = r.via_summary()
    data["tcd"] = [dataclasses.asdict(p) for p in tcd_series(r)]
    data["geojson"] = r.to_geojson()
    return data


@dataclass
class Service:
    settings: Settings
    network: Network
    store: Store
    _applied: OrderedDict[ScenarioKey, AppliedScenario] = field(default_factory=OrderedDict)
    _basemap: dict | None = None
    _route_cache: OrderedDict = field(default_factory=OrderedDict)
    _generation: int = 0
    """Counts scenario changes: a response computed across a change is not cached."""
    _world_base: WorldRouter | None = None
    _world_scenarios: OrderedDict[ScenarioKey, WorldRouter] = field(default_factory=OrderedDict)
    _world_ready: threading.Event = field(default_factory=threading.Event)
    _world_error: list = field(default_factory=list)
    url_cache: dict[bytes, tuple[bytes, str]] = field(default_factory=dict)
    """Responses (body, media type) of GET /api/route by raw query string, served by :class:`RouteCache`."""
    _cache_lock: threading.Lock = field(default_factory=threading.Lock)
    _world_build_lock: threading.Lock = field(default_factory=threading.Lock)
    _basemap_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def start(cls, settings: Settings) -> "Service":
        network = read_network(settings.network_path) if settings.network_path else load_atlas()
        service = cls(settings, network, Store(settings.db_path))
        if settings.world:
            threading.Thread(target=service._load_world, daemon=True, name="world").start()
        return service

    # world -------------------------------------------------------------------------------------
    def _load_world(self) -> None:
        try:
            from corridors.world import load_world

            self._world_base = load_world(self.network)
        except Exception as exc:  # noqa: BLE001 - reported to every world request
            self._world_error.append(f"{type(exc).__name__}: {exc}")
        finally:
            self._world_ready.set()

    def world_status(self) -> str:
        if not self.settings.world:
            return "off"
        if not self._world_ready.is_set():
            return "loading"
        return "failed" if self._world_error else "ready"

    def _world_router(self, key: ScenarioKey | None, scenario: AppliedScenario | None) -> WorldRouter:
        """The world router, of the base world or of the world under ``scenario`` (cache key ``key``;
        built on first use, one at a time, the least recently used dropped beyond
        :data:`MAX_SCENARIO_WORLDS`)."""
        if not self.settings.world:
            raise Forbidden("this server does not serve world routes; start it with corridors serve --world")
        if not self._world_ready.wait(timeout=min(5.0, self.settings.query_timeout_s)):
            raise NotReady("the world layers are still loading (about a minute the first time); retry shortly")
        if self._world_error:
            raise NotReady(f"the world layers failed to load: {self._world_error[0]}")
        if scenario is None or key is None:
            return self._world_base  # set before _world_ready
        with self._cache_lock:
            router = self._world_scenarios.get(key)
            if router is not None:
                self._world_scenarios.move_to_end(key)
                return router
        with self._world_build_lock:
            with self._cache_lock:  # built by another request while this one waited?
                router = self._world_scenarios.get(key)
            if router is None:
                from corridors.world import WorldRouter, build_world_graph

                base = self._world_base.world
                router = WorldRouter(build_world_graph(scenario.network, base.layers, base.ports))
            with self._cache_lock:
                self._world_scenarios[key] = router
                self._world_scenarios.move_to_end(key)
                while len(self._world_scenarios) > MAX_SCENARIO_WORLDS:
                    self._world_scenarios.popitem(last=False)
        return router

    def _world_route(self, request: RouteRequest) -> list[Route]:
        if request.via or request.avoid:
            raise Forbidden("world routes take avoid_countries, modes, year, month, objective, cargo, close and scenario; "
                            "not via or avoid (yet)")
        options, key, applied = self._route_options(request)
        if applied is not None and applied.rules:
            raise Forbidden(f"scenario {applied.name!r} has flow rules, which world routes do not apply yet")
        from corridors.world import WorldOptions  # the world extra is optional: imported when asked for

        closed = [*request.close, *(applied.closed_chokepoints if applied is not None else ())]
        router, world = self._world_router(key, applied), WorldOptions.from_route_options(options, closed)
        if request.alternatives > 1:
            return router.alternative_routes(request.origin, request.destination, request.alternatives, world)
        return [router.route(request.origin, request.destination, world)]

    # scenarios ---------------------------------------------------------------------------------
    def _scenario_source(self, name: str) -> tuple[ScenarioKey, str | None]:
        """The cache key of scenario ``name`` and, for a user scenario, its YAML text."""
        text = self.store.get_scenario(name)
        if text is not None:
            return (name, hashlib.sha1(text.encode()).hexdigest()), text
        if builtin_text(name) is not None:
            return (name, "builtin"), None
        yours = self.store.scenario_names()
        raise NotFound(f"no scenario named {name!r}; built-ins: {', '.join(builtin_names())}"
                       + (f"; yours: {', '.join(yours)}" if yours else ""))

    def _applied_entry(self, name: str) -> tuple[ScenarioKey, AppliedScenario]:
        key, text = self._scenario_source(name)
        with self._cache_lock:
            applied = self._applied.get(key)
            if applied is not None:
                self._applied.move_to_end(key)
                return key, applied
        scenario = parse_scenario(text, f"user scenario {name}") if text is not None else load_scenario(name)
        applied = apply_scenario(self.network, scenario)  # outside the lock: it takes a while
        with self._cache_lock:
            self._applied[key] = applied
            self._applied.move_to_end(key)
            while len(self._applied) > MAX_APPLIED:
                self._applied.popitem(last=False)
        return key, applied

    def applied(self, name: str) -> AppliedScenario:
        """A scenario (user scenarios shadow no built-in: names are unique) applied to the network."""
        return self._applied_entry(name)[1]

    def case(self, name: str, options: RouteOptions) -> Case:
        if name == NO_SCENARIO:
            return base_case(self.network, options)
        applied = self.applied(name)
        return Case(applied.name, applied.network, scenario_options(applied, options), applied.description)

    def list_scenarios(self) -> list[dict[str, Any]]:
        items = [{"name": s.name, "title": s.spec.title, "description": " ".join(s.spec.description.split()),
                  "year": s.spec.base.year, "builtin": True} for s in builtin_scenarios()]
        for name in self.store.scenario_names():
            spec = parse_scenario(self.store.get_scenario(name), name).spec
            items.append({"name": name, "title": spec.title, "description": " ".join(spec.description.split()),
                          "year": spec.base.year, "builtin": False})
        return items

    def get_scenario(self, name: str) -> dict[str, Any]:
        text = self.store.get_scenario(name)
        builtin = text is None
        if builtin:
            text = builtin_text(name)
            if text is None:
                raise NotFound(f"no scenario named {name!r}")
        spec = (load_scenario(name) if builtin else parse_scenario(text, name)).spec  # a built-in is parsed once
        return {"name": name, "title": spec.title, "description": " ".join(spec.description.split()),
                "year": spec.base.year, "builtin": builtin, "yaml": text}

    def save_scenario(self, yaml_text: str, *, name: str | None = None, create: bool) -> dict[str, Any]:
        """Validate exactly as a file (applied to the network) and store it."""
        scenario = parse_scenario(yaml_text, "request body")
        if name is not None and scenario.name != name:
            raise ScenarioError([Problem("request body", scenario.line("name"), "name",
                                         f"the file's name {scenario.name!r} differs from the URL's {name!r}")])
        if scenario.name in builtin_names() or scenario.name == NO_SCENARIO:
            raise Forbidden(f"{scenario.name!r} is a built-in scenario and read-only; choose another name")
        exists = self.store.get_scenario(scenario.name) is not None
        if create and exists:
            raise Forbidden(f"a scenario named {scenario.name!r} exists; PUT /api/scenarios/{scenario.name} replaces it")
        if not create and not exists:
            raise NotFound(f"no user scenario named {scenario.name!r}; POST /api/scenarios creates one")
        apply_scenario(self.network, scenario)  # raises ScenarioError with key paths and lines
        self.store.put_scenario(scenario.name, yaml_text)
        self._scenarios_changed()
        return self.get_scenario(scenario.name)

    def delete_scenario(self, name: str) -> None:
        if name in builtin_names():
            raise Forbidden(f"{name!r} is a built-in scenario and read-only")
        if not self.store.delete_scenario(name):
            raise NotFound(f"no user scenario named {name!r}")
        self._scenarios_changed()

    # routes ------------------------------------------------------------------------------------
    def _route_options(self, request: RouteOptionsIn) -> tuple[RouteOptions, ScenarioKey | None, AppliedScenario | None]:
        """The request's route options, under its scenario if it names one (with that scenario's
        cache key and the applied scenario)."""
        options = RouteOptions(
            objective=request.objective, modes=frozenset(request.modes) if request.modes else None,
            avoid_countries=frozenset(request.avoid_countries), avoid=tuple(request.avoid), via=tuple(request.via),
            year=request.year, month=request.month, cargo=request.cargo,
        )
        if not request.scenario:
            return options, None, None
        key, applied = self._applied_entry(request.scenario)
        return scenario_options(applied, options), key, applied

    def _options(self, request: RouteOptionsIn) -> tuple[Network, RouteOptions, str | None]:
        options, _, applied = self._route_options(request)
        if applied is None:
            return self.network, options, None
        return applied.network, options, applied.name

    def route(self, request: RouteRequest) -> dict[str, Any]:
        if request.alternatives > self.settings.max_alternatives:
            raise LimitExceeded(f"at most {self.settings.max_alternatives} alternatives per request; asked for {request.alternatives}")
        scenario = request.scenario
        try:
            if request.world:
                routes = self._world_route(request)
            else:
                network, options, scenario = self._options(request)
                if request.alternatives > 1:
                    routes = alternative_routes(network, request.origin, request.destination, request.alternatives, options)
                else:
                    routes = [route(network, request.origin, request.destination, options)]
        except NoRouteError as exc:
            return {"routes": [], "reasons": list(exc.reasons), "scenario": scenario, "geojson": None,
                    "message": str(exc).splitlines()[0]}
        payload = [route_json(r) for r in routes]
        return {"routes": payload, "reasons": [], "scenario": scenario, "geojson": payload[0]["geojson"]}

    def route_bytes(self, request: RouteRequest, *, geojson: bool = False, query_string: bytes | None = None) -> bytes:
        """The route response serialised, from a cache of recent requests (results depend only on
        the request, the network and the stored scenarios; saving a scenario clears the cache).

        With ``query_string`` (the raw query of a GET), the body is also remembered with its media
        type (:func:`route_media_type`) in :attr:`url_cache`, for :class:`~corridors.api.app.RouteCache`.
        """
        key = request.model_dump_json() + ("geojson" if geojson else "")
        with self._cache_lock:
            generation = self._generation
            body = self._route_cache.get(key)
            if body is not None:
                self._route_cache.move_to_end(key)
        if body is None:
            payload = self.route(request)
            if geojson:
                payload = payload["geojson"] or {"type": "FeatureCollection", "features": [], "properties": {"reasons": payload["reasons"]}}
            body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        with self._cache_lock:
            if generation != self._generation:  # a scenario changed while this was computed
                return body
            self._route_cache[key] = body
            while len(self._route_cache) > 2048:
                self._route_cache.popitem(last=False)
            if query_string is not None:
                if len(self.url_cache) >= 4096:
                    self.url_cache.clear()
                self.url_cache[query_string] = (body, route_media_type(geojson=geojson))
        return body

    def _scenarios_changed(self) -> None:
        """Forget everything that may depend on a user scenario (built-ins never change)."""
        with self._cache_lock:
            self._generation += 1
            self._route_cache.clear()
            self.url_cache.clear()
            for cache in (self._applied, self._world_scenarios):
                for key in [key for key in cache if key[1] != "builtin"]:
                    del cache[key]

    def matrix(self, request: MatrixRequest) -> dict[str, Any]:
        cells = len(request.origins) * len(request.destinations)
        if cells > self.settings.max_matrix_cells:
            raise LimitExceeded(f"a matrix may have at most {self.settings.max_matrix_cells} cells; "
                                f"{len(request.origins)} x {len(request.destinations)} = {cells}")
        network, options, scenario = self._options(request)
        fields = ("distance_km", "time_h", "cost_usd", "co2e_kg")
        grid = {f: [[None] * len(request.destinations) for _ in request.origins] for f in fields}
        for i, o in enumerate(request.origins):
            for j, d in enumerate(request.destinations):
                if o == d:
                    for f in fields:
                        grid[f][i][j] = 0.0
                    continue
                try:
                    r = route(network, o, d, options)
                except NoRouteError:
                    continue
                for f in fields:
                    grid[f][i][j] = round(getattr(r, f), 3)
        return {"origins": request.origins, "destinations": request.destinations, "scenario": scenario, **grid}

    # comparison --------------------------------------------------------------------------------
    def compare(self, request: CompareRequest) -> dict[str, Any]:
        lanes = (
            [Lane(l.id, l.origin, l.destination, l.cargo, l.volume_teu_per_year,
                  (l.volume_source,) if l.volume_source else ()) for l in request.lanes]
            if request.lanes is not None else load_lanes()
        )
        if len(lanes) > self.settings.max_lanes:
            raise LimitExceeded(f"at most {self.settings.max_lanes} lanes per comparison; got {len(lanes)}")
        options = RouteOptions(objective=request.objective)
        result = compare(self.case(request.base, options), self.case(request.scenario, options), lanes,
                         load_access_pairs() if request.lanes is None else [])
        data = result.to_dict()
        data["description"] = result.scenario.description
        for lane, change in zip(data["lanes"], result.lanes):
            for side, res in (("before", change.before), ("after", change.after)):
                lane[f"{side}_geojson"] = res.route.to_geojson() if res.route else None
                lane[f"{side}_tcd"] = [dataclasses.asdict(p) for p in tcd_series(res.route)] if res.route else None
        return data

    # network layers ----------------------------------------------------------------------------
    def places(self, query: str, limit: int) -> list[dict[str, Any]]:
        return [{"id": n.id, "name": n.name, "label": n.label, "country": n.country, "kind": n.kind.value,
                 "lon": n.lon, "lat": n.lat} for n in search_places(self.network, query, limit=limit)]

    def network_layer(self, bbox: tuple[float, float, float, float] | None, modes: set[str] | None,
                      statuses: set[str] | None) -> dict[str, Any]:
        collection = network_to_geojson(self.network)
        features = []
        for f in collection["features"]:
            p = f["properties"]
            if p["feature"] == "link":
                if modes and p["mode"] not in modes or statuses and p["status"] not in statuses:
                    continue
                coords = f["geometry"]["coordinates"]
            else:
                coords = [f["geometry"]["coordinates"]]
            if bbox and not any(bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3] for x, y in coords):
                continue
            features.append(f)
        return {"type": "FeatureCollection", "features": features}

    def basemap(self) -> dict[str, Any]:
        with self._basemap_lock:
            return self._basemap_locked()

    def _basemap_locked(self) -> dict[str, Any]:
        if self._basemap is None:
            from corridors.geo.outlines import country_outlines

            features = []
            for outline in country_outlines((-180.0, -60.0, 180.0, 85.0), tolerance_deg=0.08):
                features.append({"type": "Feature", "properties": {"iso": outline.iso, "name": outline.name},
                                 "geometry": {"type": "MultiPolygon", "coordinates": [
                                     [[[round(float(x), 3), round(float(y), 3)] for x, y in ring]] for ring in outline.rings]}})
            self._basemap = {"type": "FeatureCollection", "features": features}
        return self._basemap

    def health(self) -> dict[str, Any]:
        from corridors import __version__

        return {"status": "ok", "version": __version__, "world": self.world_status(),
                "network": {"name": self.network.name, "nodes": len(self.network.nodes),
                            "links": len(self.network.links), "as_of_year": self.network.as_of_year}}


def route_media_type(*, geojson: bool) -> str:
    """The media type of a route response: GeoJSON or the API's JSON."""
    return "application/geo+json" if geojson else "application/json"


class NotReady(RuntimeError):
    """A part of the service is still starting (answered 503 with a retry hint)."""


class LimitExceeded(ValueError):
    """A request exceeds a configured limit (answered 422 naming the limit)."""
