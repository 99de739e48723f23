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


class _Recorder:
    """Stands in for a world router: records the options of each route, then finds none."""

    def __init__(self) -> None:
        self.options = []

    def route(self, origin, destination, options):
        from corridors.errors import NoRouteError

        self.options.append(options)
        raise NoRouteError(origin, destination, ["recorded"])


WORLD_SCENARIO = """name: world-options
description: Parameters and policies a world route must take from its scenario.
base: {year: 2030}
parameters: {value_of_time_usd_per_teu_h: 77, carbon_price_usd_per_t: 150}
policies: {avoid_countries: [IR], closed_chokepoints: [hormuz]}
"""


def test_a_world_route_under_a_user_scenario_takes_its_options(tmp_path, monkeypatch):
    import corridors.session

    built = []
    monkeypatch.setattr(corridors.session, "load_world_router",
                        lambda network, layers_from, progress: built.append(_Recorder()) or built[-1])
    with TestClient(create_app(Settings(db_path=tmp_path / "db.sqlite", world=True))) as client:
        assert client.post("/api/scenarios", json={"yaml": WORLD_SCENARIO}).status_code == 201
        body = {"origin": "Shanghai", "destination": "Rotterdam", "world": True, "objective": "cost", "cargo": "feu",
                "avoid_countries": ["RU"], "close": ["suez"], "scenario": "world-options"}
        answer = client.post("/api/route", json=body).json()
        assert client.get("/api/health").json()["world"] == "ready"
    assert answer["reasons"] == ["recorded"] and answer["scenario"] == "world-options"
    [options] = built[-1].options  # the world under the scenario, built after the base world
    assert len(built) == 2 and not built[0].options
    assert (options.value_of_time_usd_per_teu_h, options.carbon_price_usd_per_t, options.year, options.cargo) == (77, 150, 2030, "feu")
    assert options.avoid_countries == {"IR", "RU"} and {"suez", "hormuz"} <= options.closed_chokepoints
