"""POST /api/compare: the base in the scenario's year, the year effect apart, ``year`` for both."""

from __future__ import annotations

LANES = [{"id": "baku-nakhchivan", "origin": "Baku", "destination": "Nakhchivan"}]


def test_compare_reports_the_year_effect_apart(client):
    body = client.post("/api/compare", json={"scenario": "zangezur-open", "lanes": LANES}).json()
    assert (body["base"], body["base_year"], body["scenario_year"]) == ("baseline-2029", 2029, 2029)
    assert body["lanes"][0]["status"] == "unchanged"  # the atlas already has the Meghri section by 2029
    effect = body["year_effect"]
    assert (effect["base"], effect["scenario"]) == ("baseline-2025", "baseline-2029")
    assert effect["lanes"][0]["status"] == "rerouted"  # the 2026 Aghband-Kalaleh bridge
    assert effect["lanes"][0]["after"]["cost_usd"] < effect["lanes"][0]["before"]["cost_usd"]


def test_compare_year_is_checked_and_used(client):
    body = client.post("/api/compare", json={"scenario": "red-sea-closed", "year": 2025, "lanes": LANES}).json()
    assert body["year_effect"] is None and body["base"] == "baseline-2025"
    assert client.post("/api/compare", json={"scenario": "red-sea-closed", "year": 1800, "lanes": LANES}).status_code == 422


def test_a_later_compare_year_moves_both_cases(client):
    """year 2029 for a 2025 scenario: the base is baseline-2029 and the years alone are reported apart."""
    body = client.post("/api/compare", json={"scenario": "red-sea-closed", "year": 2029, "lanes": LANES}).json()
    assert (body["base"], body["base_year"], body["scenario_year"]) == ("baseline-2029", 2029, 2029)
    assert (body["year_effect"]["base_year"], body["year_effect"]["scenario_year"]) == (2025, 2029)
