"""Load the curated corridor atlas that ships with corridors."""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files

from corridors.io.read_network import read_network
from corridors.model import Network


@cache
def load_atlas() -> Network:
    """The packaged corridor atlas (see ATLAS.md for coverage and sources), read once."""
    with as_file(files("corridors.data").joinpath("atlas")) as path:
        return read_network(path)
