"""Small figure tables for the validation tests, written to a folder as the contract lays them out."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

from corridors.validation.table import FIGURE_COLUMNS

SOURCE_COLUMNS = ("id", "kind", "title", "publisher", "date", "reference", "notes")
PUBLISHED = {"id": "pub", "kind": "report", "title": "A published report", "publisher": "Somebody",
             "date": "2024", "reference": "https://example.org/report"}


def figure(id: str, category: str, measure: str, low: float | str, **cells: object) -> dict[str, object]:
    """A figure row with the contract's defaults (published 2024, source ``pub``)."""
    return {"id": id, "category": category, "measure": measure, "low": low, "published_year": 2024,
            "source_id": "pub", **cells}


def table_writer(folder: Path) -> Callable[..., Path]:
    """``write(figures, sources=[PUBLISHED], name="a")`` writing ``figures-NAME.csv`` and
    ``sources-NAME.csv`` into ``folder`` (call again with another name to add files); it returns
    the folder."""
    folder.mkdir(exist_ok=True)

    def write(figures: Sequence[dict], sources: Sequence[dict] = (PUBLISHED,), name: str = "a",
              columns: Sequence[str] = FIGURE_COLUMNS) -> Path:
        for stem, rows, header in (("figures", figures, columns), ("sources", sources, SOURCE_COLUMNS)):
            with open(folder / f"{stem}-{name}.csv", "w", newline="", encoding="utf-8") as file:
                writer = csv.DictWriter(file, header)
                writer.writeheader()
                writer.writerows(rows)
        return folder

    return write
