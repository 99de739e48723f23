"""Settings of the API server, passed in explicitly (CLI flag -> environment -> default)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"CORRIDORS_{name}", default)


DEFAULT_ALLOWED_HOSTS = ("127.0.0.1", "localhost", "[::1]")
"""The host names a server answers to unless told more: the loopback names."""


def allowed_hosts(*extra: str) -> tuple[str, ...]:
    """The default host names, those of ``CORRIDORS_ALLOWED_HOSTS`` (comma-separated), then ``extra``."""
    listed = (_env("ALLOWED_HOSTS") or "").split(",")
    return tuple(dict.fromkeys((*DEFAULT_ALLOWED_HOSTS, *(h.strip() for h in listed if h.strip()), *extra)))


@dataclass(frozen=True)
class Settings:
    """Where data live and the limits every request obeys.

    Attributes
    ----------
    db_path
        SQLite file for user scenarios and saved comparisons (survives restarts).
    network_path
        Network folder to serve instead of the built-in atlas.
    max_body_bytes
        Largest request body accepted (413 above).
    max_matrix_cells
        Largest origins x destinations matrix (422 above).
    max_alternatives
        Most alternatives a route request may ask for.
    query_timeout_s
        Longest a request may compute before it is answered with 408.
    world
        Whether to load the world layers and answer ``world: true`` route requests.
    allowed_hosts
        Host names (the Host header, port aside) the server answers; others get 400, so a page
        on another site cannot reach it by DNS rebinding. ``"*"`` allows any.
    """

    db_path: Path = field(default_factory=lambda: Path(_env("DB", "out/corridors.sqlite")))
    network_path: Path | None = field(default_factory=lambda: Path(p) if (p := _env("NETWORK")) else None)
    max_body_bytes: int = 1_000_000
    max_matrix_cells: int = 400
    max_alternatives: int = 5
    max_lanes: int = 100
    query_timeout_s: float = 20.0
    world: bool = field(default_factory=lambda: _env("WORLD", "") in ("1", "true", "yes"))
    """Serve world routes too (the OSM rail/road and marnet sea layers; loaded in the background
    at start, about a minute the first time on a machine, seconds from the cache)."""
    allowed_hosts: tuple[str, ...] = field(default_factory=allowed_hosts)
