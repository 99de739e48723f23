"""The service's caches: built-in scenarios read once and safe to share, user scenarios never
served stale, cached responses as their first answer was."""

from __future__ import annotations

import pytest

from corridors.scenarios import builtin, builtin_scenarios, load_scenario, parse_scenario


def test_a_scenario_request_reads_no_scenario_file(client, monkeypatch):
    builtin_scenarios()  # the first use anywhere reads the files, once
    import corridors.api.service as service
    import corridors.session as session

    parsed, parse = [], builtin.parse_scenario
    spy = lambda text, file="": parsed.append(file) or parse(text, file)  # noqa: E731
    for module in (builtin, service, session):  # wherever a request could parse a scenario
        monkeypatch.setattr(module, "parse_scenario", spy)
    routed = client.post("/api/route", json={"origin": "Baku", "destination": "Gyumri", "scenario": "zangezur-open"})
    assert routed.status_code == 200
    assert client.post("/api/matrix", json={"origins": ["Baku"], "destinations": ["Kars"], "scenario": "red-sea-closed"}).status_code == 200
    assert client.get("/api/scenarios/red-sea-closed").json()["yaml"].startswith("name: red-sea-closed")
    assert "zangezur-open" in [s["name"] for s in client.get("/api/scenarios").json()]
    assert client.delete("/api/scenarios/zangezur-open").status_code == 400
    assert client.post("/api/route", json={"origin": "Baku", "destination": "Gyumri", "scenario": "nope"}).status_code == 404
    assert parsed == []


def test_builtin_scenarios_handed_out_are_copies():
    first = load_scenario("red-sea-closed")
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        first.spec.name = "changed"  # type: ignore[misc]
    first.spec.patches.clear()
    first.lines.clear()
    for scenario in builtin_scenarios():
        scenario.spec.patches.clear()
    fresh = {name: parse_scenario(builtin.builtin_text(name), f"scenarios/{name}.yaml") for name in builtin.builtin_names()}
    again = load_scenario("red-sea-closed")
    assert again == fresh["red-sea-closed"] and again.spec.patches and again.lines == fresh["red-sea-closed"].lines
    assert builtin_scenarios() == list(fresh.values())


LARS = """name: lars-put
description: Upper Lars, {state}.
patches:
  - {{action: {action}, element: border, where: {{ids: [dariali--verkhny-lars]}}}}
"""


def test_replacing_a_patch_changes_the_routes(client):
    body = {"origin": "Tbilisi", "destination": "Vladikavkaz", "modes": ["road"], "objective": "time", "scenario": "lars-put"}
    assert client.post("/api/scenarios", json={"yaml": LARS.format(state="closed", action="close")}).status_code == 201
    [closed] = client.post("/api/route", json=body).json()["routes"]
    assert all("Lars" not in b["name"] for b in closed["border_crossings"])
    assert client.put("/api/scenarios/lars-put", json={"yaml": LARS.format(state="open", action="open")}).status_code == 200
    [opened] = client.post("/api/route", json=body).json()["routes"]
    assert any("Lars" in b["name"] for b in opened["border_crossings"]) and opened["time_h"] < closed["time_h"]
    assert client.delete("/api/scenarios/lars-put").status_code == 204


def test_a_cached_geojson_route_keeps_its_media_type(client):
    params = {"origin": "Baku", "destination": "Poti", "format": "geojson"}
    first, again = client.get("/api/route", params=params), client.get("/api/route", params=params)
    assert first.headers["content-type"] == again.headers["content-type"] == "application/geo+json"
    assert first.content == again.content
    as_json = client.get("/api/route", params={**params, "format": "json"})
    assert as_json.headers["content-type"] == client.get("/api/route", params={**params, "format": "json"}).headers["content-type"]
    assert as_json.headers["content-type"].startswith("application/json")


def test_a_cached_route_is_compressed_like_a_fresh_one(client):
    params = {"origin": "Mumbai", "destination": "Moscow"}
    headers = {"Accept-Encoding": "gzip"}
    first = client.get("/api/route", params=params, headers=headers)
    again = client.get("/api/route", params=params, headers=headers)
    assert first.headers.get("content-encoding") == again.headers.get("content-encoding") == "gzip"
    assert first.json() == again.json()
