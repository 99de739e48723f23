"""Health and version."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from corridors.api.deps import get_service
from corridors.api.service import Service

router = APIRouter(tags=["meta"])


@router.get("/health", summary="Is the service up, and on which network")
def health(service: Annotated[Service, Depends(get_service)]) -> dict[str, Any]:
    return service.health()


@router.get("/version", summary="Version of corridors")
def version() -> dict[str, str]:
    from corridors import __version__

    return {"version": __version__}
