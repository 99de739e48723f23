"""The API and web app in one ASGI application: ``create_app(settings)``.

Run it with ``corridors serve`` (or ``uvicorn --factory corridors.api.app:create_app``).
"""

from __future__ import annotations

import asyncio
import json
import threading
from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from corridors.api.guards import BodyLimit, HostCheck
from corridors.api.guards import error_response as _error
from corridors.api.routes import comparisons, meta, network, routing, scenarios
from corridors.api.service import Forbidden, LimitExceeded, NotFound, NotReady, Service
from corridors.api.settings import Settings
from corridors.errors import (
    AmbiguousPlaceError,
    CorridorsError,
    DataError,
    InvalidOptionError,
    ScenarioError,
    UnknownPlaceError,
)
from corridors.io.schema import validation_message

DESCRIPTION = """Freight routes, times, costs and CO2e on the Caspian and South Caucasus corridors
(INSTC, Middle Corridor), scenarios (a corridor opens, a border closes) and their impact.
Figures are per shipment (one TEU unless `cargo` says otherwise): hours, USD, kg CO2e, km.
Errors are JSON: `{"error", "message", "details"}`; a missing route is a 200 with `routes: []`
and `reasons` saying which rule or gap blocks it."""


_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> list[str]:
    """The methods the API answers at the request's path (none for a path it does not have);
    GET and HEAD for the web app's files (the mount at ``/``)."""
    allowed = []
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        route = next((r for r in request.app.router.routes if r.matches(scope)[0] is Match.FULL), None)
        if route is not None and not isinstance(route, Mount):
            allowed.append(method)
    if allowed or request.url.path.startswith("/api/"):
        return allowed
    return ["GET", "HEAD"]


class TimeLimit:
    """Answers 408 when a request has not started its response within ``seconds`` (pure ASGI: no
    per-request overhead beyond one timer).

    It bounds the response time, not the CPU spent: a synchronous route function runs in a
    worker thread, which cannot be interrupted, so it computes on to the end after the 408 is
    sent (its result is dropped, though the service may still cache it)."""

    def __init__(self, app, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracked(message):
            nonlocal started
            started = True
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, receive, tracked), timeout=self.seconds)
        except asyncio.TimeoutError:
            if not started:
                await _error(408, "query_timeout", f"the request took longer than the limit of {self.seconds:g} s")(scope, receive, send)


class RouteCache:
    """Serves a GET /api/route whose exact query string was answered before straight from the
    service's cache, before any routing or validation: the hot path of a busy planner."""

    def __init__(self, app, service: Service) -> None:
        self.app, self.service = app, service

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/api/route":
            cached = self.service.url_cache.get(scope["query_string"])
            if cached is not None:
                body, media_type = cached
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-type", media_type.encode()), (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application: API under ``/api``, OpenAPI at ``/openapi.json``, web app at ``/``."""
    from corridors import __version__

    settings = settings or Settings()
    app = FastAPI(title="corridors", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.settings = settings
    app.state.service = Service.start(settings)

    for module in (meta, network, routing, scenarios, comparisons):
        app.include_router(module.router, prefix="/api")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        details = [{"path": ".".join(str(p) for p in e["loc"] if p != "body"), "message": validation_message(e)} for e in exc.errors()]
        first = details[0] if details else {"path": "", "message": "invalid request"}
        return _error(422, "invalid_request", f"{first['path']}: {first['message']}".lstrip(": "), details)

    @app.exception_handler(ValidationError)
    async def invalid_fields(request: Request, exc: ValidationError):
        details = [{"path": ".".join(str(p) for p in e["loc"]), "message": validation_message(e)} for e in exc.errors()]
        first = details[0] if details else {"path": "", "message": "invalid request"}
        return _error(422, "invalid_request", f"{first['path']}: {first['message']}".lstrip(": "), details)

    @app.exception_handler(ScenarioError)
    async def invalid_scenario(request: Request, exc: ScenarioError):
        details = [{"path": p.column, "line": p.line, "message": p.message} for p in exc.problems]
        return _error(422, "invalid_scenario", str(exc.problems[0]) if exc.problems else str(exc), details)

    @app.exception_handler(CorridorsError)
    async def corridors_error(request: Request, exc: CorridorsError):
        if isinstance(exc, UnknownPlaceError):
            return _error(404, "unknown_place", str(exc), list(exc.suggestions))
        if isinstance(exc, AmbiguousPlaceError):
            return _error(400, "ambiguous_place", str(exc), list(exc.candidates))
        if isinstance(exc, DataError):
            return _error(422, "invalid_data", str(exc), [str(p) for p in exc.problems])
        kind = "invalid_option" if isinstance(exc, InvalidOptionError) else "bad_request"
        return _error(400, kind, str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return _error(404, "not_found", str(exc))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden):
        return _error(400, "read_only", str(exc))

    @app.exception_handler(NotReady)
    async def not_ready(request: Request, exc: NotReady):
        response = _error(503, "not_ready", str(exc))
        response.headers["Retry-After"] = "10"
        return response

    @app.exception_handler(LimitExceeded)
    async def limit(request: Request, exc: LimitExceeded):
        return _error(422, "limit_exceeded", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        status, headers = exc.status_code, dict(exc.headers or {})
        if status == 405:  # from a route, or from the web app's files for any path it does not know
            allowed = _allowed_methods(request)
            if allowed:
                headers["Allow"] = ", ".join(allowed)
                message = f"{request.method} is not allowed on {request.url.path}; allowed: {headers['Allow']}"
            else:
                status = 404
        if status == 404:
            message = f"no such path: {request.url.path}; the API is under /api (see /openapi.json)"
        response = _error(status, "http_error", message)
        response.headers.update(headers if status == 405 else {})
        return response

    static = files("corridors").joinpath("web", "static")
    if static.is_dir():
        app.mount("/", StaticFiles(directory=str(static), html=True), name="web")
    # the last added runs first: the host check, size and time limits, then compression, then the route cache,
    # so that a cached answer is compressed like a fresh one
    app.add_middleware(RouteCache, service=app.state.service)
    app.add_middleware(GZipMiddleware, minimum_size=2000)
    app.add_middleware(TimeLimit, seconds=settings.query_timeout_s)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(HostCheck, allowed=settings.allowed_hosts)
    # draw the basemap outlines once, in the background, so the first page load finds them ready
    threading.Thread(target=app.state.service.basemap, daemon=True, name="basemap").start()
    return app
