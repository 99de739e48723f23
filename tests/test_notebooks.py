"""The example notebooks under docs/notebooks run top to bottom, offline, within their time budget
(they are stored without outputs; this executes them in a fresh kernel of this environment)."""

import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("pandas")

NOTEBOOKS = sorted((Path(__file__).parent.parent / "docs" / "notebooks").glob("*.ipynb"))
BUDGET_S = 30.0
"""Wall time one notebook may take, kernel start included (each takes a few seconds)."""


def test_the_three_examples_are_there():
    assert [p.stem for p in NOTEBOOKS] == ["instc-vs-suez", "red-sea-closure-sweep", "zangezur-aghband-decomposed"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        f"{path.name} is stored with outputs: clear them"
    start = time.perf_counter()
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - start
    assert elapsed < BUDGET_S, f"{path.name} took {elapsed:.1f} s (budget {BUDGET_S:g} s)"
