"""Places (autocomplete), network layers and the basemap."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from corridors.api.deps import get_service
from corridors.api.service import Service

router = APIRouter(tags=["network"])


def _list(text: str | None) -> set[str] | None:
    return {p.strip() for p in text.split(",") if p.strip()} if text else None


@router.get("/places", summary="Search places by name, alias or id (autocomplete)")
def places(
    service: Annotated[Service, Depends(get_service)],
    q: Annotated[str, Query(min_length=1, max_length=100, examples=["ast"])],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[dict[str, Any]]:
    return service.places(q, limit)


@router.get("/network", summary="Network links and nodes as GeoJSON, filtered by bounding box, mode and status")
def network(
    service: Annotated[Service, Depends(get_service)],
    bbox: Annotated[str | None, Query(pattern=r"^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$", examples=["38,35,56,45"])] = None,
    modes: Annotated[str | None, Query(examples=["rail,road"])] = None,
    status: Annotated[str | None, Query(examples=["operational,planned"])] = None,
) -> dict[str, Any]:
    box = tuple(float(v) for v in bbox.split(",")) if bbox else None
    return service.network_layer(box, _list(modes), _list(status))


@router.get("/basemap", summary="Country outlines (Natural Earth, simplified) as GeoJSON")
def basemap(service: Annotated[Service, Depends(get_service)]) -> dict[str, Any]:
    return service.basemap()
