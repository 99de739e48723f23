"""World routes through the API: refused with a clear message unless the server serves them."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from corridors.api import Settings, create_app


def test_world_routes_need_a_world_server(client):
    response = client.post("/api/route", json={"origin": "Shanghai", "destination": "Rotterdam", "world": True})
    assert response.status_code == 400 and "corridors serve --world" in response.json()["message"]
    assert client.get("/api/health").json()["world"] == "off"


@pytest.fixture(scope="module")
def world_client(tmp_path_factory):
    """A server with the world layers, once they have loaded (or failed to)."""
    settings = Settings(db_path=tmp_path_factory.mktemp("world") / "db.sqlite", world=True)
    with TestClient(create_app(settings)) as client:
        for _ in range(600):
            if client.get("/api/health").json()["world"] != "loading":
                break
            time.sleep(0.5)
        yield client


@pytest.mark.slow
def test_world_routes_with_closed_chokepoints(world_client):
    client = world_client
    assert client.get("/api/health").json()["world"] == "ready"
    body = {"origin": "Shanghai", "destination": "Rotterdam", "world": True, "modes": ["sea"], "objective": "distance"}
    open_sea = client.post("/api/route", json=body).json()["routes"][0]
    closed = client.post("/api/route", json={**body, "close": ["suez", "bab_el_mandeb", "red_sea"]}).json()["routes"][0]
    assert closed["distance_km"] > open_sea["distance_km"] + 3000
    assert "EG" not in {c for leg in closed["legs"] for c in leg["countries"]}
    by_url = client.get("/api/route", params={"origin": "29.56,106.55", "destination": "Istanbul", "world": "true"}).json()
    assert by_url["routes"][0]["distance_km"] > 5000


DEAR_SEA = """name: dear-sea
description: Sea freight costs {factor} times as much.
patches:
  - {{action: scale, element: mode, where: {{mode: sea}}, factor: {{cost: {factor}}}}}
"""


@pytest.mark.slow
def test_replacing_a_user_scenario_changes_its_world_routes(world_client):
    client = world_client
    assert client.post("/api/scenarios", json={"yaml": DEAR_SEA.format(factor=1.0)}).status_code == 201
    body = {"origin": "Shanghai", "destination": "Rotterdam", "world": True, "objective": "cost", "scenario": "dear-sea"}
    [cheap] = client.post("/api/route", json=body).json()["routes"]
    assert client.put("/api/scenarios/dear-sea", json={"yaml": DEAR_SEA.format(factor=50.0)}).status_code == 200
    [dear] = client.post("/api/route", json=body).json()["routes"]
    assert dear["cost_usd"] > cheap["cost_usd"] * 1.5
    assert [leg["mode"] for leg in dear["legs"]] != [leg["mode"] for leg in cheap["legs"]]
