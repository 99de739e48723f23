"""`corridors compare` in one network year: the scenario effect, and the year effect apart."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from corridors.cli import app

runner = CliRunner()


def _lanes(tmp_path):
    od = tmp_path / "lanes.csv"
    od.write_text("id,origin,destination\nbaku-nakhchivan,Baku,Nakhchivan\naktau-baku,Aktau,Port of Baku (Alat)\n")
    return str(od)


def test_compare_shows_no_zangezur_effect_and_the_year_effect_apart(tmp_path):
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["compare", "zangezur-open", "--od", _lanes(tmp_path), "--html", str(html)])
    assert result.exit_code == 0, result.output
    # the atlas dates the Aghband-Kalaleh bridge to 2026: Baku -> Nakhchivan changes with the year alone
    assert "network-year effect 2025 -> 2029 (baseline-2025 -> baseline-2029): 1 of 2 lanes change" in result.stdout
    assert "scenario effect in 2029 (baseline-2029 -> zangezur-open): 0 of 2 lanes change" in result.stdout
    assert "Network-year effect, not the scenario's" in result.stdout
    page = html.read_text()
    assert "zangezur-open compared with baseline-2029" in page and "Network-year effect, not the scenario" in page


def test_compare_year_routes_both_cases_in_that_year(tmp_path):
    result = runner.invoke(app, ["compare", "red-sea-closed", "--year", "2029", "--od", _lanes(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["base"], data["base_year"], data["scenario_year"]) == ("baseline-2029", 2029, 2029)
    assert data["year_effect"]["base"] == "baseline-2025"
    assert [lane["status"] for lane in data["year_effect"]["lanes"]] == ["rerouted", "unchanged"]
    assert not any(lane["changed"] for lane in data["lanes"])  # the Red Sea is on neither lane
