"""Built-in and user scenarios (user scenarios live in the embedded database)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response

from corridors.api.deps import get_service
from corridors.api.schemas import ScenarioBody
from corridors.api.service import Service

router = APIRouter(tags=["scenarios"])
Name = Annotated[str, Path(max_length=200, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


@router.get("/scenarios", summary="Built-in and user scenarios")
def list_scenarios(service: Annotated[Service, Depends(get_service)]) -> list[dict[str, Any]]:
    return service.list_scenarios()


@router.get("/scenarios/{name}", summary="One scenario with its YAML")
def get_scenario(name: Name, service: Annotated[Service, Depends(get_service)]) -> dict[str, Any]:
    return service.get_scenario(name)


@router.post("/scenarios", status_code=201, summary="Create a user scenario (validated like a scenario file)")
def create_scenario(body: ScenarioBody, service: Annotated[Service, Depends(get_service)]) -> dict[str, Any]:
    return service.save_scenario(body.yaml, create=True)


@router.put("/scenarios/{name}", summary="Replace a user scenario")
def replace_scenario(name: Name, body: ScenarioBody, service: Annotated[Service, Depends(get_service)]) -> dict[str, Any]:
    return service.save_scenario(body.yaml, name=name, create=False)


@router.delete("/scenarios/{name}", status_code=204, summary="Delete a user scenario")
def delete_scenario(name: Name, service: Annotated[Service, Depends(get_service)]) -> Response:
    service.delete_scenario(name)
    return Response(status_code=204)
