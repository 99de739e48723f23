"""The public surface is exactly what ``__all__`` declares, sorted, and importing runs nothing heavy."""

import subprocess
import sys

import corridors


def test_all_is_sorted_and_complete():
    assert corridors.__all__ == sorted(corridors.__all__)
    public = {name for name in dir(corridors) if not name.startswith("_")}
    subpackages = {"analysis", "api", "batch", "caching", "cli", "costs", "data", "errors", "geo", "graph", "io", "model", "routing", "scenarios", "session", "validation", "web", "world"}
    assert public - subpackages == set(corridors.__all__)


def test_import_loads_no_data_and_no_heavy_engines():
    code = (
        "import sys, corridors; "
        "print(sorted(m for m in ('timezonefinder', 'matplotlib', 'shapely', 'typer') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
