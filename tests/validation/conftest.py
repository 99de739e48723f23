"""Fixtures of the validation tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.validation.tables import table_writer


@pytest.fixture
def write_table(tmp_path: Path) -> Callable[..., Path]:
    """Writes a figure table into a fresh folder (see :func:`tests.validation.tables.table_writer`)."""
    return table_writer(tmp_path / "figures")
