"""Reading the figure table: defaults filled in, and every problem named by file, line and column."""

from __future__ import annotations

import pytest

from corridors.errors import DataError, FigureTableError
from corridors.model import Mode
from corridors.validation import read_figures
from corridors.validation.table import FIGURE_COLUMNS
from tests.validation.tables import PUBLISHED, figure

ROAD_PT = {"origin": "p", "destination": "t", "modes": "road"}


def problems(write_table, tiny, figures, sources=(PUBLISHED,)) -> list[str]:
    folder = write_table(figures, sources)
    with pytest.raises(FigureTableError) as caught:
        read_figures(folder, tiny)
    return [str(p) for p in caught.value.problems]


def test_a_valid_table_fills_in_the_contracts_defaults(write_table, tiny):
    folder = write_table([
        figure("len-pt", "length", "distance_km", "400", **ROAD_PT),
        figure("time-pt", "time", "time_h", "20", high="30", origin="p", destination="t", via="r--s;s", cargo="feu"),
        figure("cost-pt", "cost", "cost_usd", "900", origin="p", destination="t", objective="cost"),
        figure("dwell-rs", "dwell", "dwell_h", "8", high="9", border="r--s", direction="IR>AZ", tolerance="0.30"),
    ], columns=[*FIGURE_COLUMNS, "objective"])
    table = read_figures(folder, tiny)
    length, time, cost, dwell = table.figures
    assert (length.high, length.tolerance, length.year, length.cargo, length.objective) == (400, 0.10, 2025, "teu", "distance")
    assert length.modes == frozenset({Mode.ROAD}) and time.modes is None
    assert (time.low, time.high, time.tolerance, time.via, time.cargo, time.objective) == (20, 30, 0.30, ("r--s", "s"), "feu", "time")
    assert cost.objective == "cost"  # the optional column overrides the default (generalized)
    assert dwell.of_crossing and not length.of_crossing and dwell.direction == "IR>AZ"
    assert (length.file, length.line) == ("figures/figures-a.csv", 2)
    assert table.sources["pub"].title == "A published report"


def test_bad_numbers_low_above_high_and_wrong_tolerances_are_named(write_table, tiny):
    found = problems(write_table, tiny, [
        figure("a", "length", "distance_km", "1,200", **ROAD_PT),
        figure("b", "length", "distance_km", "500", high="400", **ROAD_PT),
        figure("c", "time", "time_h", "10", tolerance="0.10", origin="p", destination="t"),
        figure("d", "length", "distance_km", "-5", **ROAD_PT),
        figure("e", "length", "distance_km", "nan", **ROAD_PT),
        figure("f", "length", "distance_km", "400", published_year="last year", **ROAD_PT),
    ])
    assert any(p.startswith("figures/figures-a.csv:2 [low]") and "'1,200'" in p for p in found)
    assert any(p.startswith("figures/figures-a.csv:3") and "low 500 is greater than high 400" in p for p in found)
    assert any(p.startswith("figures/figures-a.csv:4") and "not the time tolerance 0.3" in p for p in found)
    assert any(p.startswith("figures/figures-a.csv:5 [low]") for p in found)
    assert any(p.startswith("figures/figures-a.csv:6 [low]") for p in found)
    assert any(p.startswith("figures/figures-a.csv:7 [published_year]") for p in found)
    assert len(found) == 6


def test_unknown_sources_assumptions_borders_and_cargo_are_named(write_table, tiny):
    found = problems(write_table, tiny, [
        figure("a", "length", "distance_km", "400", source_id="nobody", **ROAD_PT),
        figure("b", "length", "distance_km", "400", source_id="test-data", **ROAD_PT),  # the tiny atlas's assumption
        figure("c", "dwell", "dwell_h", "8", border="x--y"),
        figure("d", "dwell", "dwell_h", "8", border="r--s", modes="road"),
        figure("e", "dwell", "dwell_h", "8", border="r--s", direction="AZ>AM"),
        figure("f", "cost", "cost_usd", "900", cargo="pallet", origin="p", destination="t"),
    ])
    assert found == [
        "figures/figures-a.csv:2 [source_id]: unknown source 'nobody'; add it to a sources-*.csv "
        "(or reuse the id of the atlas's row for the same document)",
        "figures/figures-a.csv:3 [source_id]: source 'test-data' is an assumption; a validation figure must be published",
        "figures/figures-a.csv:4 [border]: unknown border crossing 'x--y'",
        "figures/figures-a.csv:5 [border]: border crossing 'r--s' has no road crossing (it has rail)",
        "figures/figures-a.csv:6 [direction]: AZ>AM is not a direction of r--s (AZ>IR or IR>AZ)",
        found[5],
    ]
    assert found[5].startswith("figures/figures-a.csv:7 [cargo]: the network defines no cargo unit 'pallet'")


def test_duplicate_ids_across_files_and_rows_without_a_query_are_named(write_table, tiny):
    write_table([figure("same", "length", "distance_km", "400", **ROAD_PT)], name="lengths")
    found = problems(write_table, tiny, [
        figure("same", "time", "time_h", "20", origin="p", destination="t"),
        figure("no-place", "time", "time_h", "20", origin="p"),
        figure("no-border", "dwell", "dwell_h", "8"),
        figure("mixed", "length", "time_h", "8", **ROAD_PT),
        figure("Not A Slug", "length", "distance_km", "8", **ROAD_PT),
    ])
    assert "figures/figures-lengths.csv:2 [id]: duplicate figure id 'same' (first at figures/figures-a.csv:2)" in found
    assert "figures/figures-a.csv:3 [(row)]: a time_h figure needs both origin and destination" in found
    assert "figures/figures-a.csv:4 [(row)]: a dwell_h figure needs the border crossing id in border" in found
    assert "figures/figures-a.csv:5 [(row)]: a length figure measures distance_km, not time_h" in found
    assert any(p.startswith("figures/figures-a.csv:6 [id]") for p in found)


def test_missing_and_unknown_columns_and_an_empty_folder(write_table, tiny, tmp_path):
    columns = [c for c in FIGURE_COLUMNS if c != "tolerance"] + ["confidence"]
    folder = write_table([{**figure("a", "length", "distance_km", "400", **ROAD_PT), "confidence": "high"}],
                         columns=columns)
    with pytest.raises(FigureTableError) as caught:
        read_figures(folder, tiny)
    found = [str(p) for p in caught.value.problems]
    assert any(p.startswith("figures/figures-a.csv:1 [confidence]: unknown column") for p in found)
    assert any(p.startswith("figures/figures-a.csv:1: missing column(s) tolerance") for p in found)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no figures-"):  # a FigureTableError is a DataError
        read_figures(tmp_path / "empty", tiny)


def test_the_error_message_heads_with_the_count_and_lists_the_problems(write_table, tiny):
    folder = write_table([figure("a", "length", "distance_km", "x", **ROAD_PT)])
    with pytest.raises(FigureTableError, match=r"1 error\(s\) in the validation figures\n.*figures-a.csv:2 \[low\]"):
        read_figures(folder, tiny)
