"""Scenario comparisons over trade lanes, and saved comparisons."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from corridors.api.deps import get_service
from corridors.api.schemas import CompareRequest
from corridors.api.service import NotFound, Service

router = APIRouter(tags=["comparisons"])


@router.post("/compare", summary="Compare a scenario with a base over trade lanes")
def compare(request: CompareRequest, service: Annotated[Service, Depends(get_service)]) -> dict[str, Any]:
    return service.compare(request)


@router.post("/comparisons", status_code=201, summary="Compare and save the result")
def save_comparison(request: CompareRequest, service: Annotated[Service, Depends(get_service)]) -> dict[str, Any]:
    result = service.compare(request)
    comparison_id = service.store.save_comparison(request.base, request.scenario, request.model_dump(), result)
    return {"id": comparison_id, **result}


@router.get("/comparisons/{comparison_id}", summary="A saved comparison")
def get_comparison(
    comparison_id: Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")], service: Annotated[Service, Depends(get_service)]
) -> dict[str, Any]:
    found = service.store.get_comparison(comparison_id)
    if found is None:
        raise NotFound(f"no saved comparison {comparison_id!r}")
    return found
