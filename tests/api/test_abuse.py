"""The server holds under abuse: hostile YAML, hostile numbers, foreign Host headers, bodies
streamed past the limit, wrong methods; each answered with a clear 4xx, fast."""

from __future__ import annotations

import json
import time

import pytest

from corridors.scenarios.builtin import builtin_text


def _alias_bomb(levels: int = 8, width: int = 9) -> str:
    """A few hundred bytes that stand for width**levels (43 million) copies of one list."""
    lines = ["name: bomb", "description: nested aliases", "a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_fast(client):
    text = _alias_bomb()
    assert len(text) < 600
    started = time.perf_counter()
    response = client.post("/api/scenarios", json={"yaml": text})
    elapsed_s = time.perf_counter() - started
    assert response.status_code == 422, response.text
    assert "aliases (*name) are not allowed" in response.json()["message"]
    assert response.json()["details"][0]["line"] == 4  # the first alias, on the a1 line
    assert elapsed_s < 1.0


def test_a_file_named_like_a_built_in_does_not_replace_it(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "red-sea-closed").write_text("name: red-sea-closed\ndescription: an impostor\n")
    body = client.get("/api/scenarios/red-sea-closed").json()
    assert body["builtin"] is True and body["yaml"] == builtin_text("red-sea-closed")
    assert body["description"] != "an impostor"


@pytest.mark.parametrize("volume", ["Infinity", "-Infinity", "NaN", "1e999", "1e308"])
def test_lane_volumes_that_are_not_finite_or_plausible_are_refused(client, volume):
    raw = ('{"scenario": "red-sea-closed", "lanes": [{"id": "sr", "origin": "Shanghai", "destination": "Rotterdam", '
           f'"volume_teu_per_year": {volume}, "volume_source": "my bookings"}}]}}')
    response = client.post("/api/compare", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["details"][0]["path"] == "lanes.0.volume_teu_per_year"


def test_a_foreign_host_header_is_refused(client):
    response = client.post("/api/route", json={"origin": "Baku", "destination": "Tbilisi"},
                           headers={"host": "attacker.example"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_host" and "'attacker.example' is not served here" in body["message"]
    assert "127.0.0.1, [::1], localhost" in body["message"] and "--allowed-host" in body["message"]


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]:8000", "LOCALHOST"])
def test_the_loopback_names_are_served_by_default(client, host):
    assert client.get("/api/version", headers={"host": host}).status_code == 200


def test_the_default_settings_allow_loopback_names_only(monkeypatch):
    from corridors.api import Settings

    monkeypatch.delenv("CORRIDORS_ALLOWED_HOSTS", raising=False)
    assert Settings().allowed_hosts == ("127.0.0.1", "localhost", "[::1]")


def test_a_body_streamed_past_the_limit_without_content_length_is_413(client):
    def chunks():
        for _ in range(12):
            yield b" " * 100_000  # 1.2 MB of JSON whitespace, over the 1 MB limit

    response = client.post("/api/scenarios", content=chunks(), headers={"content-type": "application/json"})
    assert response.request.headers.get("content-length") is None  # streamed, chunked
    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large" and "1,000,000 bytes" in response.json()["message"]


def test_a_streamed_body_under_the_limit_is_read_whole(client):
    text = json.dumps({"origin": "Baku", "destination": "Tbilisi", "objective": "cost"}).encode()
    response = client.post("/api/route", content=iter([text[:10], text[10:]]), headers={"content-type": "application/json"})
    assert response.status_code == 200 and response.json()["routes"]


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("POST", "/api/health", "GET"),
    ("DELETE", "/api/route", "GET, POST"),
    ("PATCH", "/api/scenarios/red-sea-closed", "DELETE, GET, PUT"),
    ("POST", "/index.html", "GET, HEAD"),
])
def test_a_wrong_method_is_405_with_allow(client, method, path, allow):
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["message"] == f"{method} is not allowed on {path}; allowed: {allow}"


def test_a_path_the_api_does_not_have_is_404_whatever_the_method(client):
    assert client.post("/api/nothing").status_code == 404
