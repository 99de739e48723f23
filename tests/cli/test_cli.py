"""The command line: output formats, files written, and one clear message for every user error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridors.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture()
def tiny_args(tiny_path: Path) -> list[str]:
    return ["--network", str(tiny_path)]


def test_route_json_has_the_documented_keys(tiny_args):
    result = run("route", "p", "u", "--objective", "cost", "--format", "json", *tiny_args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["cost_usd"] == pytest.approx(912)
    assert {"distance_km", "time_h", "cost_usd", "co2e_kg", "legs", "border_crossings", "transfers"} <= set(data)
    leg = data["legs"][0]
    assert {"mode", "from", "to", "distance_km", "time_h", "cost_usd", "co2e_kg", "countries", "status"} <= set(leg)
    assert {"name", "from_country", "to_country", "time_h", "cost_usd"} <= set(data["border_crossings"][0])
    assert {"at", "from_mode", "to_mode", "time_h", "cost_usd"} <= set(data["transfers"][0])


def test_route_alternatives_json_is_a_list(tiny_args):
    result = run("route", "p", "t", "--objective", "time", "--alternatives", "2", "--format", "json", *tiny_args)
    assert result.exit_code == 0, result.output
    routes = json.loads(result.stdout)
    assert [round(r["time_h"], 2) for r in routes] == [24.05, 26.67]


def test_route_table_and_files(tiny_args, tmp_path):
    geojson, html = tmp_path / "r.geojson", tmp_path / "sub" / "r.html"
    result = run("route", "Port P", "Town U", "--geojson", str(geojson), "--html", str(html), *tiny_args)
    assert result.exit_code == 0, result.output
    assert "Port P, AZ -> Town U, AM" in result.stdout and "total" in result.stdout
    collection = json.loads(geojson.read_text())
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["feature"] for f in collection["features"]} >= {"leg", "border"}
    page = html.read_text()
    assert "<svg" in page and "Port P, AZ" in page
    for remote in ('src="http', "src='http", "<link ", "<script"):
        assert remote not in page  # self-contained: nothing fetched when opened
    assert not list(tmp_path.glob("**/*.tmp"))


def test_route_geojson_on_stdout(tiny_args):
    result = run("route", "p", "t", "--format", "geojson", *tiny_args)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["features"][0]["geometry"]["type"] == "LineString"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["route", "Prt P", "t"], "did you mean: 'Port P, AZ'"),
        (["route", "p", "Astara"], "ambiguous; say one of: 'Astara, AZ', 'Astara, IR'"),
        (["route", "p", "t", "--avoid-country", "IR"], "Town T, IR lies in IR, which the route must avoid"),
        (["route", "p", "u", "--avoid-country", "IR"], "border crossing Q-U road (AZ-AM road) is closed"),
        (["route", "p", "u", "--modes", "rail"], "allowed modes"),
        (["route", "p", "t", "--modes", "rail,plane"], "unknown mode"),
        (["route", "p", "t", "--cargo", "pallet"], "defines no cargo unit 'pallet'; give one of teu, feu, truck"),
        (["route", "p", "t", "--year", "3000"], "give a year from 1900 to 2100"),
        (["route", "p", "t", "--month", "13"], "month 13 is out of range; give 1 (January) to 12 (December)"),
        (["route", "p", "p"], "same place"),
        (["route", "p", "t", "--via", "nowhere"], "unknown place, link id or border id 'nowhere'"),
        (["route", "p", "t", "--avoid", "t"], "it is the origin or destination"),
        (["route", "p", "t", "--avoid-country", "Iran"], "'IRAN' is not a country code (ISO 3166-1 alpha-2, e.g. 'AZ'); did you mean: IR (Iran)"),
        (["route", "p", "t", "--objective", "fun"], "'fun' is not one of"),
        (["route", "p", "t", "--alternatives", "0"], "Invalid value for '--alternatives'"),
    ],
)
def test_user_errors_exit_2_with_one_clear_message(tiny_args, args, message):
    result = run(*args, *tiny_args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_bad_network_folder_is_a_clear_error(tmp_path):
    result = run("route", "p", "t", "--network", str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert "not a folder holding a network" in result.output


def test_places(tiny_args):
    result = run("places", "astara", *tiny_args)
    assert result.exit_code == 0
    assert result.stdout.count("Astara") == 2
    assert run("places", "zzzz", *tiny_args).exit_code == 1


def test_data_check_reports_every_problem_with_file_line_and_column(tiny_path, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_path, broken)
    links = broken / "links.csv"
    text = links.read_text().replace("p--q--rail,p,q,rail,1520,120", "p--q--rail,p,nowhere,rail,1520,-5")
    links.write_text(text.replace("s--t--rail,s,t,rail,1435", "s--t--rail,s,t,rail,"))
    result = run("data", "check", str(broken))
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "broken/links.csv:2 [distance_km]: Input should be greater than 0 (found '-5')" in out
    assert "broken/links.csv:5 [gauge_mm]: a rail link needs its gauge" in out


def test_data_check_flags_coordinates_outside_the_declared_country(tiny_path, tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(tiny_path, folder)
    nodes = folder / "nodes.csv"
    nodes.write_text(nodes.read_text().replace("p,Port P,Pee,0.0,0.0,AZ", "p,Port P,Pee,44.79,41.72,AZ"))  # Tbilisi
    result = run("data", "check", str(folder))
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "(41.7200, 44.7900) lies in GE, not AZ" in out
    assert "error" in result.output


def test_data_check_flags_links_shorter_than_the_great_circle(tiny_path):
    result = run("data", "check", str(tiny_path))
    assert result.exit_code == 1  # the tiny network's schematic coordinates make U 157 km from Q and T
    assert "[q--u--road.distance_km]: 150 km is shorter than the great circle (157.2 km)" in " ".join(result.output.split())


def test_compare_writes_a_self_contained_html_report(tmp_path):
    od = tmp_path / "lanes.csv"
    od.write_text("id,origin,destination\nmumbai-moscow,Mumbai,Moscow\n")
    html = tmp_path / "report.html"
    result = run("compare", "hormuz-closed", "--od", str(od), "--html", str(html))
    assert result.exit_code == 0, result.output
    page = html.read_text()
    assert "hormuz-closed compared with baseline-2025" in page
    assert "mumbai-moscow" in page and "rerouted" in page  # Hormuz closed moves it off Bandar Abbas
    assert page.count("<svg") >= 2  # the map of changed routes and a Time/Cost-Distance chart
    for remote in ('src="http', "src='http", "<link ", "<script"):
        assert remote not in page


def test_a_shipment_month_closes_a_link_out_of_season_and_the_table_says_the_month(tiny_with_season):
    args = ["--network", str(tiny_with_season("s--t--rail", "4-10"))]
    january = run("route", "p", "t", "--objective", "time", "--month", "1", *args)
    assert january.exit_code == 0, january.output
    assert "shipped in January" in " ".join(january.stdout.split())
    data = json.loads(run("route", "p", "t", "--objective", "time", "--month", "1", "--format", "json", *args).stdout)
    assert data["month"] == 1 and round(data["time_h"], 2) == 26.67  # by road: the rail link is out of season
    july = json.loads(run("route", "p", "t", "--objective", "time", "--month", "7", "--format", "json", *args).stdout)
    assert round(july["time_h"], 2) == 24.05
    no_month = " ".join(run("route", "p", "t", "--objective", "time", *args).stdout.split())
    assert "uses s--t--rail (April to October), navigable only part of the year; give --month" in no_month
    assert "navigable only part of the year" not in " ".join(run("route", "p", "t", "--objective", "time", "--month", "7", *args).stdout.split())
