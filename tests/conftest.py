"""Shared fixtures: the hand-checked tiny network (tests/fixtures/tiny)."""

from __future__ import annotations

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
