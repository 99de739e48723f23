"""The API's bridge to the public Python API: every endpoint calls one method here.

The routing, the scenarios (built-in and the user scenarios of the store), the world router and
the caches of what they derive live in one :class:`~corridors.session.Session`, the same the
CLI uses; the service keeps the HTTP side: settings and limits, the store, and serialised route
responses (dropped whenever a user scenario changes). Route functions run in a thread pool: every
cache here is a thread-safe :class:`~corridors.caching.BoundedCache`.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from corridors.analysis import Lane, load_access_pairs, load_lanes, tcd_series
from corridors.analysis.cases import NO_SCENARIO
from corridors.api.schemas import CompareRequest, MatrixRequest, RouteOptionsIn, RouteRequest
from corridors.api.settings import Settings
from corridors.api.store import Store
from corridors.caching import BoundedCache
from corridors.errors import NoRouteError, Problem, ScenarioError
from corridors.io import network_to_geojson
from corridors.model import Network
from corridors.routing import Route, RouteOptions, search_places
from corridors.routing.matrix import MATRIX_FIELDS
from corridors.routing.ranked import ranked_geojson
from corridors.scenarios import apply_scenario, builtin_scenarios, load_scenario, parse_scenario
from corridors.scenarios.builtin import builtin_names, builtin_text
from corridors.session import Session

MAX_ROUTE_RESPONSES = 2048
"""Serialised route responses kept, by request."""
MAX_URL_RESPONSES = 4096
"""Serialised GET /api/route responses kept, by raw query string."""


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


def _user_scenario_text(store: Store, name: str) -> str | None:
    """The session's scenario resolver: the YAML of user scenario ``name``, ``None`` for a
    built-in; :class:`NotFound` for neither (the API reads no scenario files)."""
    text = store.get_scenario(name)
    if text is None and builtin_text(name) is None:
        yours = store.scenario_names()
        raise NotFound(f"no scenario named {name!r}; built-ins: {', '.join(builtin_names())}"
                       + (f"; yours: {', '.join(yours)}" if yours else ""))
    return text


def _route_options(request: RouteOptionsIn) -> RouteOptions:
    """The request's route options (before any scenario)."""
    return RouteOptions(
        objective=request.objective, modes=frozenset(request.modes) if request.modes else None,
        avoid_countries=frozenset(request.avoid_countries), avoid=tuple(request.avoid), via=tuple(request.via),
        year=request.year, month=request.month, cargo=request.cargo,
    )


@dataclass
class Service:
    settings: Settings
    session: Session
    store: Store
    _basemap: dict | None = None
    _route_cache: BoundedCache[str, bytes] = field(default_factory=lambda: BoundedCache(MAX_ROUTE_RESPONSES))
    url_cache: BoundedCache[bytes, tuple[bytes, str]] = field(default_factory=lambda: BoundedCache(MAX_URL_RESPONSES))
    """Responses (body, media type) of GET /api/route by raw query string, served by :class:`RouteCache`."""
    _basemap_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def start(cls, settings: Settings) -> "Service":
        store = Store(settings.db_path)
        session = Session(settings.network_path, scenario_text=lambda name: _user_scenario_text(store, name),
                          scenario_files=False)
        if settings.world:
            session.start_world()
        return cls(settings, session, store)

    def close(self) -> None:
        """Close the session (its routers) and the store."""
        self.session.close()
        self.store.close()

    @property
    def network(self) -> Network:
        return self.session.network

    # world -------------------------------------------------------------------------------------
    def world_status(self) -> str:
        return self.session.world_status() if self.settings.world else "off"

    def _check_world(self) -> None:
        """Refuse a world route unless this server serves them and its world layers are ready."""
        if not self.settings.world:
            raise Forbidden("this server does not serve world routes; start it with corridors serve --world")
        status = self.session.wait_for_world(min(5.0, self.settings.query_timeout_s))
        if status == "loading":
            raise NotReady("the world layers are still loading (about a minute the first time); retry shortly")
        if status == "failed":
            raise NotReady(f"the world layers failed to load: {self.session.world_error}")

    # scenarios ---------------------------------------------------------------------------------
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

    def _scenarios_changed(self) -> None:
        """Forget everything that may depend on a user scenario (built-ins never change). A
        response being computed meanwhile is not cached (see :meth:`BoundedCache.get_or_make`)."""
        self._route_cache.clear()
        self.url_cache.clear()
        self.session.forget_user_scenarios()

    # routes ------------------------------------------------------------------------------------
    def route(self, request: RouteRequest) -> dict[str, Any]:
        if request.alternatives > self.settings.max_alternatives:
            raise LimitExceeded(f"at most {self.settings.max_alternatives} alternatives per request; asked for {request.alternatives}")
        if request.world:
            self._check_world()
        scenario = request.scenario or None
        try:
            routes = self.session.route(request.origin, request.destination, _route_options(request), scenario=scenario,
                                        world=request.world, close=request.close, alternatives=request.alternatives)
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

        def body() -> bytes:
            payload = self.route(request)
            if geojson:
                payload = (ranked_geojson([r["geojson"] for r in payload["routes"]]) if payload["routes"] else
                           {"type": "FeatureCollection", "features": [], "properties": {"reasons": payload["reasons"]}})
            return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()

        key = request.model_dump_json() + ("geojson" if geojson else "")
        if query_string is None:
            return self._route_cache.get_or_make(key, body)
        media_type = route_media_type(geojson=geojson)
        return self.url_cache.get_or_make(query_string, lambda: (self._route_cache.get_or_make(key, body), media_type))[0]

    def matrix(self, request: MatrixRequest) -> dict[str, Any]:
        cells = len(request.origins) * len(request.destinations)
        if cells > self.settings.max_matrix_cells:
            raise LimitExceeded(f"a matrix may have at most {self.settings.max_matrix_cells} cells; "
                                f"{len(request.origins)} x {len(request.destinations)} = {cells}")
        scenario = request.scenario or None
        found = self.session.matrix(request.origins, request.destinations, _route_options(request), scenario=scenario)
        grid = {f: [[None if v is None else round(v, 3) for v in row] for row in getattr(found, f)] for f in MATRIX_FIELDS}
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
        result = self.session.compare(request.base, request.scenario, lanes,
                                      load_access_pairs() if request.lanes is None else [],
                                      RouteOptions(objective=request.objective), year=request.year)
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
            from corridors.geo.outlines import outlines_geojson

            self._basemap = outlines_geojson((-180.0, -60.0, 180.0, 85.0), tolerance_deg=0.08)
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
