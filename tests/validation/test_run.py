"""Running the validation on the tiny network, against values computed by hand from its CSVs.

Tiny network (tests/fixtures/tiny): P-T by road is one 400 km link crossing border p--t (dwell
20 h, fee 150 USD per TEU-equivalent); road runs at 60 km/h and costs 2 USD per TEU-km; a truck
is 2 TEU-equivalents. The shortest P-T path of any mode is the rail line P-Q-R-S-T,
120 + 120 + 12 + 110 = 362 km. Border r--s (rail) has a dwell of 10 h.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from corridors import RouteOptions, Session
from corridors.cli import app
from corridors.validation import read_figures, run_validation
from corridors.validation.html import to_html
from corridors.validation.report import to_text
from tests.validation.tables import figure

ROAD_PT = {"origin": "p", "destination": "t", "modes": "road"}
TIME_PT_ROAD_H = 400 / 60 + 20
COST_PT_ROAD_USD = 400 * 2.0 + 150

FIGURES = [
    figure("len-pt-road", "length", "distance_km", "400", **ROAD_PT),          # hit: exactly 400 km
    figure("len-pt-road-500", "length", "distance_km", "500", **ROAD_PT),      # miss: 400 < 500 x 0.9 = 450
    figure("len-pt-any", "length", "distance_km", "330", origin="p", destination="t"),  # hit: 362 <= 330 x 1.1 = 363
    figure("len-nowhere", "length", "distance_km", "100", origin="Nowhere", destination="t"),  # miss: no such place
    figure("len-pt-sea", "length", "distance_km", "100", origin="p", destination="t", modes="sea"),  # miss: no route
    figure("time-pt-road", "time", "time_h", "20", high="24", **ROAD_PT),     # hit: 26.67 <= 24 x 1.3 = 31.2
    figure("cost-pt-road", "cost", "cost_usd", "1300", **ROAD_PT),            # hit: 950 >= 1300 x 0.7 = 910
    figure("cost-pt-truck", "cost", "cost_usd", "1400", cargo="truck", **ROAD_PT),  # miss: 1900 > 1400 x 1.3 = 1820
    figure("fee-pt", "cost", "cost_usd", "150", border="p--t"),                # hit: the crossing's fee, 150
    figure("dwell-rs", "dwell", "dwell_h", "8", high="9", border="r--s", direction="IR>AZ"),  # hit: 10 <= 11.7
    figure("dwell-rs-20", "dwell", "dwell_h", "20", border="r--s"),            # miss: 10 < 14
]


@pytest.fixture
def report(write_table, tiny):
    with Session(tiny) as session:
        return run_validation(read_figures(write_table(FIGURES), tiny), session)


def test_model_values_are_the_hand_computed_ones(report):
    values = {r.figure.id: r.model_value for r in report.results}
    assert values["len-pt-road"] == pytest.approx(400)
    assert values["len-pt-any"] == pytest.approx(362)
    assert values["time-pt-road"] == pytest.approx(TIME_PT_ROAD_H)
    assert values["cost-pt-road"] == pytest.approx(COST_PT_ROAD_USD)
    assert values["cost-pt-truck"] == pytest.approx(2 * COST_PT_ROAD_USD)
    assert values["fee-pt"] == pytest.approx(150)
    assert values["dwell-rs"] == values["dwell-rs-20"] == pytest.approx(10)
    assert values["len-nowhere"] is None and values["len-pt-sea"] is None


def test_hits_and_misses_follow_the_tolerance_band(report):
    hits = {r.figure.id for r in report.results if r.hit}
    assert hits == {"len-pt-road", "len-pt-any", "time-pt-road", "cost-pt-road", "fee-pt", "dwell-rs"}
    rates = {c.category: (c.hits, c.counted) for c in report.categories}
    assert rates == {"length": (2, 5), "time": (1, 1), "dwell": (1, 2), "cost": (2, 3)}
    assert (report.overall.hits, report.overall.counted, report.overall.rate) == (6, 11, pytest.approx(6 / 11))


def test_unresolved_queries_are_misses_with_their_reason(report):
    reasons = {r.figure.id: r.detail for r in report.unresolved}
    assert set(reasons) == {"len-nowhere", "len-pt-sea"}
    assert "unknown place 'Nowhere'" in reasons["len-nowhere"]
    assert reasons["len-pt-sea"].startswith("no route")


def test_worst_misses_are_ordered_by_distance_from_the_published_range(report):
    # dwell 10 vs 20: ratio 0.5; truck 1900 vs 1400: 1.357; road 400 vs 500: 0.8
    worst = report.worst_misses(10)
    assert [r.figure.id for r in worst] == ["dwell-rs-20", "cost-pt-truck", "len-pt-road-500"]
    assert [r.ratio for r in worst] == pytest.approx([0.5, 1900 / 1400, 0.8])


def test_one_session_routes_each_distinct_query_once(write_table, tiny, monkeypatch):
    calls = []
    with Session(tiny) as session:
        route = session.route
        monkeypatch.setattr(session, "route", lambda *a, **k: calls.append(a[:2]) or route(*a, **k))
        table = read_figures(write_table(FIGURES), tiny)
        run_validation(table, session)
    # len-pt-road and len-pt-road-500 share one query; fee and dwell figures route nothing
    assert len(calls) == 7


def test_reports_show_model_beside_published(report):
    text = to_text(report)
    assert "overall           6 / 11" in text
    assert "dwell-rs-20" in text and "10.0 h" in text and "20.0 h" in text and "A published report" in text
    html = to_html(report)
    assert html.count("<svg") >= 4 + len(FIGURES)  # a plot per category, a bar per figure
    assert "<a href='https://example.org/report'>A published report</a>" in html


def test_cli_validate_formats_and_exit_codes(write_table, tiny_path, tmp_path):
    folder = write_table(FIGURES)
    runner = CliRunner()
    args = ["validate", "--figures", str(folder), "--network", str(tiny_path)]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["headline"]["hits"], data["headline"]["figures"]) == (6, 11)
    assert data["worst_misses"][0] == "dwell-rs-20"
    result = runner.invoke(app, [*args, "--category", "dwell,cost", "--format", "html", "--out", str(tmp_path / "v.html")])
    assert result.exit_code == 0, result.output
    assert "fee-pt" in (tmp_path / "v.html").read_text() and "len-pt-road" not in (tmp_path / "v.html").read_text()
    result = runner.invoke(app, [*args, "--category", "speed"])
    assert result.exit_code == 2 and "unknown category speed" in result.output
    write_table([figure("bad", "length", "distance_km", "far", origin="p", destination="t")], name="b")
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "figures-b.csv:2 [low]" in result.output


def test_a_running_time_figure_leaves_out_border_dwell_and_waits(write_table, tiny, tmp_path):
    """P -> T by road: 400 km at 60 km/h is 6.67 h of driving; the 20 h border dwell is not
    running. On a copy of the network where the road has a 5 h scheduled wait, it is left out too."""
    import dataclasses

    running = [figure("run-pt-road", "time", "running_time_h", "6.5", high="7", **ROAD_PT)]
    with Session(tiny) as session:
        [result] = run_validation(read_figures(write_table(running), tiny), session).results
    assert result.model_value == pytest.approx(400 / 60) and result.hit
    links = tuple(dataclasses.replace(l, wait_h=5.0) if l.id == "p--t--road" else l for l in tiny.links)
    waiting = dataclasses.replace(tiny, links=links)
    with Session(waiting) as session:
        [result] = run_validation(read_figures(write_table(running), waiting), session).results
        [route] = session.route("p", "t", RouteOptions(objective="time", modes=frozenset({"road"})))
    assert result.model_value == pytest.approx(400 / 60)
    assert route.time_h == pytest.approx(400 / 60 + 5 + 20)  # what time_h would have compared


def test_a_report_as_a_frame_has_one_row_per_figure(report):
    frame = report.to_frame()
    assert list(frame["id"]) == [r.figure.id for r in report.results]
    row = frame.set_index("id").loc["len-pt-road"]
    assert row["model"] == pytest.approx(400) and bool(row["hit"]) is True


def test_an_excluded_figure_is_listed_apart_and_never_counted(write_table, tiny):
    """A published figure that measures something else than its query (here 500 km for the 400 km
    road) stays in the table with its reason: shown, not counted."""
    from tests.validation.tables import FIGURE_COLUMNS

    rows = [figure("len-pt-road", "length", "distance_km", "400", **ROAD_PT),
            figure("len-pt-other", "length", "distance_km", "500", excluded="measures another road", **ROAD_PT)]
    with Session(tiny) as session:
        report = run_validation(read_figures(write_table(rows, columns=(*FIGURE_COLUMNS, "excluded")), tiny), session)
    assert (report.overall.hits, report.overall.counted) == (1, 1)
    assert [r.figure.id for r in report.excluded] == ["len-pt-other"]
    assert report.worst_misses() == ()
    assert "measures another road" in to_text(report) and "1 excluded" in to_text(report)
