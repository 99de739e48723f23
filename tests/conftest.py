"""Shared fixtures: the hand-checked tiny network (tests/fixtures/tiny)."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from corridors import Network, read_network

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def tiny_path() -> Path:
    return FIXTURES / "tiny"


@pytest.fixture(scope="session")
def tiny(tiny_path: Path) -> Network:
    return read_network(tiny_path)


@pytest.fixture
def tiny_with_season(tiny_path: Path, tmp_path: Path) -> Callable[[str, str], Path]:
    """A function making a copy of the tiny network whose links.csv has an ``open_months``
    column, set to ``season`` on ``link_id`` only; it returns the copy's folder."""

    def make(link_id: str, season: str) -> Path:
        folder = tmp_path / f"tiny-{link_id}-{season}"
        shutil.copytree(tiny_path, folder)
        with open(folder / "links.csv", newline="") as file:
            rows = list(csv.DictReader(file))
        with open(folder / "links.csv", "w", newline="") as file:
            writer = csv.DictWriter(file, [*rows[0], "open_months"])
            writer.writeheader()
            writer.writerows({**r, "open_months": season if r["id"] == link_id else ""} for r in rows)
        return folder

    return make
