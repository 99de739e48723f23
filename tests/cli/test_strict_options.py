"""Strict options: every bad option or combination exits 2 with one message naming the problem
and what is accepted; formats a command does not produce are not offered."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridors.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def flat(text: str) -> str:
    """The output on one line, without the frame click draws round usage errors."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", text).split())


@pytest.fixture()
def tiny_args(tiny_path: Path) -> list[str]:
    return ["--network", str(tiny_path)]


@pytest.mark.parametrize(
    ("given", "suggested"),
    [
        ("Iran", "did you mean: IR (Iran)"),  # a country's name: its code
        ("XX", "'XX' is not a country code (ISO 3166-1 alpha-2, e.g. 'AZ')"),  # the right shape, no such country
        ("AZE", "did you mean: AZ (Azerbaijan)"),  # an alpha-3 code: its alpha-2 code first
        ("kazakstan", "did you mean: KZ (Kazakhstan)"),  # misspelt
    ],
)
def test_an_unknown_country_exits_2_with_the_closest_codes(tiny_args, given, suggested):
    result = run("route", "p", "t", "--avoid-country", given, *tiny_args)
    assert result.exit_code == 2
    assert suggested in flat(result.output)
    assert "Traceback" not in result.output


def test_a_known_country_in_any_case_is_accepted(tiny_args):
    # p -> t runs AZ -> IR; avoiding Georgia changes nothing, whatever the case
    result = run("route", "p", "t", "--avoid-country", "ge,Am", "--format", "json", *tiny_args)
    assert result.exit_code == 0, result.output


def test_a_scenario_policy_with_an_unknown_country_names_the_key_and_the_closest_code(tiny_args, tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: s\ndescription: d\npolicies: {avoid_countries: [Iran]}\n")
    result = run("route", "p", "t", "--scenario", str(scenario), *tiny_args)
    assert result.exit_code == 2
    assert "s.yaml:3 [policies.avoid_countries[0]]: 'Iran' is not a country code" in flat(result.output)
    assert "did you mean: IR (Iran)" in flat(result.output)


def test_close_without_world_exits_2_and_says_to_add_world(tiny_args):
    result = run("route", "p", "t", "--close", "suez", *tiny_args)
    assert result.exit_code == 2
    assert "--close closes chokepoints of the world sea layer: add --world, or drop --close" in flat(result.output)


@pytest.mark.parametrize("command", ["compare", "critical"])
def test_compare_and_critical_offer_only_the_formats_they_produce(command):
    help_text = flat(run(command, "--help").output)
    assert "table|json" in help_text and "geojson" not in help_text
    args = [command, "red-sea-closed"] if command == "compare" else [command]
    result = run(*args, "--format", "geojson")
    assert result.exit_code == 2
    assert "'geojson' is not one of 'table', 'json'" in flat(result.output)


def test_route_offers_geojson(tiny_args):
    assert "table|json|geojson" in flat(run("route", "--help").output)


def test_alternatives_as_geojson_hold_every_route_with_its_rank(tiny_args, tmp_path):
    # p -> t by time: 24.05 h over rail, then 26.67 h (test_cli's hand-checked alternatives)
    file = tmp_path / "alternatives.geojson"
    result = run("route", "p", "t", "--objective", "time", "--alternatives", "2", "--format", "geojson",
                 "--geojson", str(file), *tiny_args)
    assert result.exit_code == 0, result.output
    collection = json.loads(result.stdout)
    assert json.loads(file.read_text()) == collection
    assert collection["type"] == "FeatureCollection"
    assert [(r["rank"], round(r["time_h"], 2)) for r in collection["properties"]["routes"]] == [(1, 24.05), (2, 26.67)]
    assert {f["properties"]["rank"] for f in collection["features"]} == {1, 2}
    best = json.loads(run("route", "p", "t", "--objective", "time", "--format", "geojson", *tiny_args).stdout)
    ranked_first = [f for f in collection["features"] if f["properties"].pop("rank") == 1]
    assert ranked_first == best["features"]  # rank 1 is the best route, feature for feature


@pytest.mark.parametrize("bbox", ["0,0,1000,1000", "-200,0,10,10", "0,-95,10,10", "nan,0,10,10", "0,0,inf,10",
                                  "10,0,0,10", "0,0,10"])
def test_a_map_area_outside_the_globe_exits_2_naming_the_ranges(tiny_args, tmp_path, bbox):
    # 0,0,1000,1000 used to reach matplotlib and end in a traceback
    result = run("data", "map", "--bbox", bbox, "--out", str(tmp_path / "map.png"), *tiny_args)
    assert result.exit_code == 2, result.output
    assert "longitudes from -180 to 180 and latitudes from -90 to 90, with min < max" in flat(result.output)
    assert not (tmp_path / "map.png").exists()


def test_bulk_cargo_in_exponent_notation_names_the_accepted_range(tiny_args):
    result = run("route", "p", "t", "--cargo", "t:1e-300", *tiny_args)
    assert result.exit_code == 2, result.output
    assert "give t:N with N more than 0 and at most 1,000,000 tonnes" in flat(result.output)


def test_serve_help_says_other_machines_also_need_an_allowed_host():
    assert "0.0.0.0 opens the app to other machines, with --allowed-host NAME" in flat(run("serve", "--help").output)
