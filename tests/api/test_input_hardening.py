"""Input the API used to mishandle: scenario YAML a safe constructor refuses (was a 500),
unknown GET query parameters (were ignored), alternatives as GeoJSON (only the best came back)
and a Host header with text after an IPv6 address (was accepted)."""

from __future__ import annotations

import pytest

ROUTE = {"origin": "Baku", "destination": "Tbilisi"}


def test_yaml_a_safe_constructor_refuses_is_a_422_with_its_line_not_a_500(client):
    text = "name: digits\ndescription: d\nnotes: " + "9" * 5000 + "\n"  # past Python's 4,300 digits
    response = client.post("/api/scenarios", json={"yaml": text})
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_scenario" and response.json()["details"][0]["line"] == 3


def test_a_date_shaped_description_that_is_no_date_is_text(client):
    response = client.post("/api/scenarios", json={"yaml": "name: not-a-date\ndescription: 2020-13-45\n"})
    assert response.status_code == 201, response.text
    assert client.get("/api/scenarios/not-a-date").json()["description"] == "2020-13-45"


def test_an_unknown_query_parameter_is_named_with_the_accepted_ones(client):
    response = client.get("/api/route", params={**ROUTE, "avoid_country": "GE"})  # a typo of avoid_countries
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_request"
    assert "unknown query parameter 'avoid_country'" in body["message"]
    assert "accepted: origin, destination, objective, modes, avoid_countries," in body["message"]
    assert body["details"][0]["path"] == "query.avoid_country"
    assert client.get("/api/route", params={**ROUTE, "avoid_countries": "AM"}).status_code == 200


def test_alternatives_as_geojson_hold_every_route_with_its_rank(client):
    params = {**ROUTE, "alternatives": "3", "objective": "time"}
    routes = client.get("/api/route", params=params).json()["routes"]
    assert len(routes) >= 2  # Baku to Tbilisi has road and rail at least
    collection = client.get("/api/route", params={**params, "format": "geojson"}).json()
    assert collection["type"] == "FeatureCollection"
    assert [r["rank"] for r in collection["properties"]["routes"]] == list(range(1, len(routes) + 1))
    for rank, route in enumerate(routes, 1):  # each route's features, in order, marked with its rank
        ranked = [f for f in collection["features"] if f["properties"].get("rank") == rank]
        for feature in ranked:
            del feature["properties"]["rank"]
        assert ranked == route["geojson"]["features"]
    best = client.get("/api/route", params={**ROUTE, "objective": "time", "format": "geojson"}).json()
    assert best == routes[0]["geojson"]  # one route: its own collection, as before


@pytest.mark.parametrize("host", ["[::1]evil", "[::1]evil.example", "[::1]:80x", "[::1].attacker.example:8000",
                                  "localhost:8000x", "localhost.attacker.example"])
def test_text_after_an_allowed_name_is_no_port_and_is_refused(client, host):
    response = client.get("/api/version", headers={"host": host})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_host"
