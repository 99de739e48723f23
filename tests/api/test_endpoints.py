"""Every endpoint, its error paths and its limits."""

from __future__ import annotations

import pytest

from corridors import RouteOptions, load_atlas, route


def test_health_and_version(client):
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["network"]["links"] == len(load_atlas().links)
    assert client.get("/api/version").json()["version"] == health["version"]
    assert client.get("/openapi.json").json()["info"]["title"] == "corridors"


def test_route_matches_the_python_api(client):
    expected = route(load_atlas(), "Mumbai", "Moscow", RouteOptions(objective="cost"))
    body = client.post("/api/route", json={"origin": "Mumbai", "destination": "Moscow", "objective": "cost"}).json()
    [best] = body["routes"]
    assert best["cost_usd"] == pytest.approx(expected.cost_usd, abs=0.01)
    assert [leg["mode"] for leg in best["legs"]] == [leg.mode for leg in expected.legs]
    assert best["tcd"][-1]["distance_km"] == pytest.approx(expected.distance_km)
    assert body["geojson"]["type"] == "FeatureCollection"
    get = client.get("/api/route", params={"origin": "Mumbai", "destination": "Moscow", "objective": "cost"}).json()
    assert get["routes"][0]["cost_usd"] == best["cost_usd"]


def test_route_options_scenarios_and_alternatives(client):
    body = client.post("/api/route", json={"origin": "Baku", "destination": "Nakhchivan", "modes": ["rail"],
                                           "scenario": "zangezur-open"}).json()
    assert body["scenario"] == "zangezur-open" and body["routes"]
    alternatives = client.post("/api/route", json={"origin": "Mumbai", "destination": "Moscow", "alternatives": 3}).json()
    assert len(alternatives["routes"]) == 3
    assert len({r["via"] for r in alternatives["routes"]}) == 3


def test_a_winter_month_closes_the_volga_don_and_the_answer_says_so(client):
    """Astrakhan to Rostov by inland water only: the Volga-Don links are navigable April to
    November (their open_months in the atlas), so a July shipment goes by river and a January one
    has no route, with the season named."""
    query = {"origin": "Astrakhan", "destination": "Rostov-on-Don", "modes": "iww", "objective": "cost"}
    july = client.get("/api/route", params={**query, "month": 7}).json()
    assert july["routes"][0]["month"] == 7 and {leg["mode"] for leg in july["routes"][0]["legs"]} == {"iww"}
    january = client.get("/api/route", params={**query, "month": 1}).json()
    assert january["routes"] == [] and "out of season in January" in january["reasons"][0]
    assert "navigable April to November only" in january["reasons"][0]


def test_no_route_is_an_answer_with_reasons(client):
    response = client.post("/api/route", json={"origin": "Baku", "destination": "Nakhchivan", "modes": ["rail"]})
    assert response.status_code == 200
    body = response.json()
    assert body["routes"] == [] and "horadiz--aghband--rail" in body["reasons"][0]


@pytest.mark.parametrize(
    ("request_body", "status", "kind", "text"),
    [
        ({"origin": "Mumbaii", "destination": "Moscow"}, 404, "unknown_place", "did you mean: 'Mumbai, IN'"),
        ({"origin": "Astara", "destination": "Moscow"}, 400, "ambiguous_place", "ambiguous"),
        ({"origin": "Mumbai", "destination": "Moscow", "avoid_countries": ["RU"]}, 400, "invalid_option", "must avoid"),
        ({"origin": "Mumbai", "destination": "Moscow", "cargo": "pallet"}, 400, "invalid_option", "teu, feu, truck"),
        ({"origin": "Mumbai", "destination": "Moscow", "objective": "fun"}, 422, "invalid_request", "objective"),
        ({"origin": "Mumbai", "destination": "Moscow", "modes": ["plane"]}, 422, "invalid_request", "modes"),
        ({"origin": "Mumbai", "destination": "Moscow", "scenario": "nope"}, 404, "not_found", "built-ins"),
        ({"origin": "Mumbai", "destination": "Moscow", "alternatives": 7}, 422, "limit_exceeded", "at most 5 alternatives"),
        ({"origin": "Mumbai"}, 422, "invalid_request", "destination"),
        ({"origin": "Mumbai", "destination": "Moscow", "colour": "red"}, 422, "invalid_request", "colour"),
        ({"origin": "Mumbai", "destination": "Moscow", "month": 13}, 422, "invalid_request", "month"),
    ],
)
def test_route_errors_are_json_a_person_can_act_on(client, request_body, status, kind, text):
    response = client.post("/api/route", json=request_body)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == kind and text in body["message"] + str(body["details"])


def test_matrix_and_its_limit(client):
    body = client.post("/api/matrix", json={"origins": ["Baku", "Aktau"], "destinations": ["Tbilisi", "Baku"],
                                            "objective": "time"}).json()
    assert body["time_h"][0][1] == 0.0
    assert body["time_h"][1][0] == pytest.approx(route(load_atlas(), "Aktau", "Tbilisi", RouteOptions(objective="time")).time_h, abs=1e-3)
    too_big = client.post("/api/matrix", json={"origins": ["Baku"] * 4, "destinations": ["Tbilisi"] * 3})
    assert too_big.status_code == 422 and "at most 9 cells" in too_big.json()["message"]


def test_body_size_limit(client):
    response = client.post("/api/route", content=b"{" + b" " * 1_200_000 + b"}", headers={"content-type": "application/json"})
    assert response.status_code == 413 and "1,000,000 bytes" in response.json()["message"]


SCENARIO = """name: my-lars
title: Upper Lars shut
description: The Upper Lars crossing is closed for a season.
patches:
  - {action: close, element: border, where: {ids: [dariali--verkhny-lars]}}
"""


def test_user_scenario_crud(client):
    created = client.post("/api/scenarios", json={"yaml": SCENARIO})
    assert created.status_code == 201 and created.json()["builtin"] is False
    assert "my-lars" in [s["name"] for s in client.get("/api/scenarios").json()]
    assert client.post("/api/scenarios", json={"yaml": SCENARIO}).status_code == 400  # exists
    used = client.post("/api/route", json={"origin": "Tbilisi", "destination": "Vladikavkaz", "modes": ["road"],
                                           "scenario": "my-lars"}).json()
    assert used["routes"] and all("Lars" not in b["name"] for b in used["routes"][0]["border_crossings"])
    replaced = client.put("/api/scenarios/my-lars", json={"yaml": SCENARIO.replace("for a season", "for good")})
    assert replaced.status_code == 200 and "for good" in client.get("/api/scenarios/my-lars").json()["yaml"]
    assert client.put("/api/scenarios/other", json={"yaml": SCENARIO}).status_code == 422  # name mismatch
    assert client.delete("/api/scenarios/my-lars").status_code == 204
    assert client.get("/api/scenarios/my-lars").status_code == 404
    assert client.delete("/api/scenarios/red-sea-closed").status_code == 400  # built-ins are read-only


def test_invalid_user_scenario_names_key_path_and_line(client):
    bad = SCENARIO.replace("ids: [dariali--verkhny-lars]", "country: XX")
    response = client.post("/api/scenarios", json={"yaml": bad})
    assert response.status_code == 422
    assert {"path": "patches[0].where.country", "line": 5} == {k: response.json()["details"][0][k] for k in ("path", "line")}


def test_compare_and_saved_comparisons(client):
    lanes = [{"id": "sr", "origin": "Shanghai", "destination": "Rotterdam"}]
    body = client.post("/api/compare", json={"scenario": "red-sea-closed", "lanes": lanes, "objective": "cost"}).json()
    [lane] = body["lanes"]
    assert lane["status"] in ("rerouted", "dearer") and lane["after"]["distance_km"] > lane["before"]["distance_km"]
    assert lane["after_geojson"]["type"] == "FeatureCollection" and lane["after_tcd"]
    saved = client.post("/api/comparisons", json={"scenario": "red-sea-closed", "lanes": lanes})
    assert saved.status_code == 201
    again = client.get(f"/api/comparisons/{saved.json()['id']}").json()
    assert again["lanes"][0]["lane"] == "sr"
    assert client.get("/api/comparisons/000000000000").status_code == 404


def test_a_lane_volume_in_a_comparison_needs_its_source(client):
    lane = {"id": "sr", "origin": "Shanghai", "destination": "Rotterdam", "volume_teu_per_year": 1000}
    unsourced = client.post("/api/compare", json={"scenario": "red-sea-closed", "lanes": [lane]})
    assert unsourced.status_code == 422 and "volume_source" in unsourced.json()["message"]
    sourced = client.post("/api/compare", json={"scenario": "red-sea-closed", "objective": "cost",
                                                "lanes": [{**lane, "volume_source": "my 2025 bookings"}]}).json()
    assert sourced["lanes"][0]["volume_teu_per_year"] == 1000


def test_network_layers_and_places(client):
    everything = client.get("/api/network").json()["features"]
    rail_caucasus = client.get("/api/network", params={"bbox": "38,35,56,45", "modes": "rail", "status": "planned"}).json()["features"]
    links = [f for f in rail_caucasus if f["properties"]["feature"] == "link"]
    assert links and all(f["properties"]["mode"] == "rail" and f["properties"]["status"] == "planned" for f in links)
    assert len(rail_caucasus) < len(everything)
    assert client.get("/api/network", params={"bbox": "1,2,3"}).status_code == 422
    places = client.get("/api/places", params={"q": "astara"}).json()
    assert {p["country"] for p in places} >= {"AZ", "IR"}
    assert client.get("/api/basemap").json()["features"]


def test_unknown_paths_are_json(client):
    response = client.get("/api/nothing")
    assert response.status_code == 404 and "the API is under /api" in response.json()["message"]


def test_route_as_geojson(client):
    response = client.get("/api/route", params={"origin": "Baku", "destination": "Tbilisi", "format": "geojson"})
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["features"][0]["geometry"]["type"] == "LineString"


def test_query_time_limit(tmp_path):
    from fastapi.testclient import TestClient

    from corridors.api import Settings, create_app

    slow = Settings(db_path=tmp_path / "db.sqlite", query_timeout_s=0.000001)
    with TestClient(create_app(slow)) as client:
        response = client.post("/api/compare", json={"scenario": "red-sea-closed"})
    assert response.status_code == 408 and "limit of 1e-06 s" in response.json()["message"]
