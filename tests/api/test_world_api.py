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


@pytest.mark.slow
def test_world_routes_with_closed_chokepoints(tmp_path):
    with TestClient(create_app(Settings(db_path=tmp_path / "db.sqlite", world=True))) as client:
        for _ in range(600):
            if client.get("/api/health").json()["world"] != "loading":
                break
            time.sleep(0.5)
        assert client.get("/api/health").json()["world"] == "ready"
        body = {"origin": "Shanghai", "destination": "Rotterdam", "world": True, "modes": ["sea"], "objective": "distance"}
        open_sea = client.post("/api/route", json=body).json()["routes"][0]
        closed = client.post("/api/route", json={**body, "close": ["suez", "bab_el_mandeb", "red_sea"]}).json()["routes"][0]
        assert closed["distance_km"] > open_sea["distance_km"] + 3000
        assert "EG" not in {c for leg in closed["legs"] for c in leg["countries"]}
        by_url = client.get("/api/route", params={"origin": "29.56,106.55", "destination": "Istanbul", "world": "true"}).json()
        assert by_url["routes"][0]["distance_km"] > 5000
