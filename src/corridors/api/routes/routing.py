"""Routes and matrices."""

import inspect
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError

from corridors.api.deps import get_service
from corridors.api.schemas import MatrixRequest, ObjectiveName, RouteRequest
from corridors.api.service import Service, route_media_type
from corridors.model import FIRST_YEAR, LAST_YEAR

router = APIRouter(tags=["routing"])


JSON_BODY = {200: {"description": "Routes (best first) or, if none, the reasons", "content": {"application/json": {}}}}


@router.post("/route", summary="Best route (and alternatives) between two places", responses=JSON_BODY)
def route_post(request: RouteRequest, service: Annotated[Service, Depends(get_service)]) -> Response:
    return Response(service.route_bytes(request), media_type=route_media_type(geojson=False))


@router.get("/route", summary="Best route, options as query parameters (lists comma-separated)", responses=JSON_BODY)
def route_get(
    raw: Request,
    service: Annotated[Service, Depends(get_service)],
    origin: Annotated[str, Query(min_length=1, max_length=200, examples=["Mumbai"])],
    destination: Annotated[str, Query(min_length=1, max_length=200, examples=["Moscow"])],
    objective: ObjectiveName = "generalized",
    modes: Annotated[str | None, Query(examples=["rail,sea"])] = None,
    avoid_countries: Annotated[str | None, Query(examples=["RU"])] = None,
    via: str | None = None,
    avoid: str | None = None,
    year: Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)] = None,
    month: Annotated[int | None, Query(ge=1, le=12, description="Month of the shipment: seasonal links closed outside their season")] = None,
    alternatives: Annotated[int, Query(ge=1, le=10)] = 1,
    cargo: Annotated[str, Query(max_length=20)] = "teu",
    scenario: Annotated[str | None, Query(max_length=200)] = None,
    world: Annotated[bool, Query(description="Route on the world layers too (server started with --world)")] = False,
    close: Annotated[str | None, Query(description="With world: chokepoints to close, comma-separated", examples=["suez,red_sea"])] = None,
    format: Annotated[Literal["json", "geojson"], Query(description="json: routes and reasons; geojson: one FeatureCollection "
                                                        "of every route, each feature with its route's rank (1 = best)")] = "json",
) -> Response:
    _refuse_unknown(raw, ROUTE_QUERY)
    split = lambda text: [p.strip() for p in text.split(",") if p.strip()] if text else []  # noqa: E731
    request = RouteRequest(
        origin=origin, destination=destination, objective=objective,
        modes=split(modes) or None, avoid_countries=split(avoid_countries),
        via=split(via), avoid=split(avoid), year=year, month=month, alternatives=alternatives, cargo=cargo, scenario=scenario,
        world=world, close=split(close),
    )
    geojson = format == "geojson"
    body = service.route_bytes(request, geojson=geojson, query_string=raw.scope["query_string"])
    return Response(body, media_type=route_media_type(geojson=geojson))


ROUTE_QUERY = tuple(name for name in inspect.signature(route_get).parameters if name not in ("raw", "service"))
"""The query parameters GET /api/route takes."""


def _refuse_unknown(request: Request, accepted: tuple[str, ...]) -> None:
    """A 422 naming each query parameter not in ``accepted`` (a typo such as ``avoid_country``
    would otherwise be ignored, and the route would go where it was to avoid)."""
    unknown = sorted({key for key in request.query_params if key not in accepted})
    if unknown:
        raise RequestValidationError([
            {"loc": ("query", key[:50]), "type": "extra_forbidden",
             "msg": f"unknown query parameter {key[:50]!r}; accepted: {', '.join(accepted)}"} for key in unknown])


@router.post("/matrix", summary="Distance, time, cost and CO2e between every origin and destination")
def matrix(request: MatrixRequest, service: Annotated[Service, Depends(get_service)]) -> dict[str, Any]:
    return service.matrix(request)
