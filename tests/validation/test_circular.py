"""Circular figures: the atlas cites their source, so a match is the model reading its own input.

A copy of the tiny network cites a published report on border p--t. Figures citing that report
(by its atlas id, or by a validation source with the same URL spelt differently, or the same
publisher and title) are circular; a figure from another document is not.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from corridors import Session, read_network
from corridors.model import Source, SourceKind
from corridors.validation import Circularity, read_figures, run_validation
from corridors.validation.circular import atlas_citations
from corridors.validation.report import to_text
from tests.validation.tables import PUBLISHED, SOURCE_COLUMNS, figure

BORDER_REPORT = {"id": "border-report", "kind": "report", "title": "Border waiting times 2024",
                 "publisher": "Customs Agency", "date": "2024", "reference": "https://www.customs.example/waits/"}


@pytest.fixture(scope="module")
def cited(tiny_path: Path, tmp_path_factory) -> Path:
    """The tiny network whose border p--t also cites ``border-report``."""
    folder = tmp_path_factory.mktemp("cited") / "tiny"
    shutil.copytree(tiny_path, folder)
    with open(folder / "sources.csv", "a", newline="") as file:
        csv.DictWriter(file, SOURCE_COLUMNS).writerow(BORDER_REPORT)
    with open(folder / "borders.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        if row["id"] == "p--t":
            row["source_ids"] = "test-data;border-report"
    with open(folder / "borders.csv", "w", newline="") as file:
        writer = csv.DictWriter(file, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_atlas_citations_name_what_cites_each_source(cited):
    citations = atlas_citations(read_network(cited))
    assert citations["border-report"] == ("border p--t (road)",)
    assert "parameters: road mode" in citations["test-params"]


def test_figures_citing_an_atlas_document_are_circular_by_id_url_or_title(write_table, cited):
    network = read_network(cited)
    same_url = {**PUBLISHED, "id": "waits-again", "reference": "see http://customs.example/waits"}
    same_title = {**PUBLISHED, "id": "waits-copy", "title": "Border Waiting Times, 2024", "publisher": "customs agency",
                  "reference": ""}
    folder = write_table([
        figure("fee-by-id", "cost", "cost_usd", "150", border="p--t", source_id="border-report"),
        figure("fee-by-url", "cost", "cost_usd", "150", border="p--t", source_id="waits-again"),
        figure("fee-by-title", "cost", "cost_usd", "150", border="p--t", source_id="waits-copy"),
        figure("dwell-independent", "dwell", "dwell_h", "30", border="r--s"),  # 10 h: a miss
        figure("len-independent", "length", "distance_km", "400", origin="p", destination="t", modes="road"),  # a hit
    ], sources=[PUBLISHED, same_url, same_title])
    with Session(network) as session:
        report = run_validation(read_figures(folder, network), session)
    circular = {r.figure.id: r.circular for r in report.circular}
    assert set(circular) == {"fee-by-id", "fee-by-url", "fee-by-title"}
    assert circular["fee-by-id"] == "atlas source border-report; cited by border p--t (road)"
    assert circular["fee-by-url"].startswith("same URL as atlas source border-report")
    assert circular["fee-by-title"].startswith("same publisher and title as atlas source border-report")
    # the three circular fees hit (150 = 150) but count apart: the headline is 1 of the 2 others
    assert (report.overall.hits, report.overall.counted) == (1, 2)
    assert (report.overall.circular_hits, report.overall.circular) == (3, 3)
    assert {c.category: c.counted for c in report.categories} == {"length": 1, "dwell": 1, "cost": 0}
    assert next(c for c in report.categories if c.category == "cost").rate is None
    assert "Circular figures" in to_text(report)


def test_an_unrelated_source_is_not_circular(cited):
    circularity = Circularity.of(read_network(cited))
    other = Source("other", SourceKind.REPORT, "Border waiting times 2023", "Customs Agency",
                   reference="https://customs.example/waits/2023")
    assert circularity.reason("other", other) is None
    assert circularity.reason("test-data", None) is not None  # an atlas row, even uncited
