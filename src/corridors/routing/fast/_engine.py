"""Pick a routing engine in one place: ``"cch"`` (compiled, the `world` extra) or ``"scipy"``."""

from __future__ import annotations

from typing import Literal

import numpy as np

from corridors.errors import InvalidOptionError
from corridors.routing.fast import cch
from corridors.routing.fast._common import Router
from corridors.routing.fast.scipy_engine import ScipyRouter

Engine = Literal["auto", "cch", "scipy"]
ENGINES: tuple[str, ...] = ("auto", "cch", "scipy")


def has_cch() -> bool:
    """Whether the compiled CCH engine (pyroutingkit) is installed."""
    return cch.pyroutingkit is not None


def build_router(
    n_nodes: int,
    tail: np.ndarray,
    head: np.ndarray,
    *,
    engine: Engine = "auto",
    latitude: np.ndarray | None = None,
    longitude: np.ndarray | None = None,
    resolution: float = 1e-3,
    workers: int = 1,
) -> Router:
    """A router over arcs ``tail[i] -> head[i]``, to :meth:`~Router.customize` then query.

    Parameters
    ----------
    engine : ``"auto"`` takes ``"cch"`` when pyroutingkit is installed, else ``"scipy"``.
    latitude, longitude : node coordinates (degrees) that guide the CCH node order.
    resolution : weights are rounded to multiples of this (1e-3 = metres for km weights).
    workers : metrics a CCH router keeps to run a matrix on several cores (1 to 4); each
        costs a copy of the weights, and point-to-point queries use only the first.

    Raises
    ------
    ImportError : ``engine="cch"`` without pyroutingkit (the message names the extra).
    InvalidOptionError : an unknown engine, bad arcs or a non-positive resolution.

    Example
    -------
    >>> r = build_router(3, np.array([0, 1]), np.array([1, 2]), engine="scipy")
    >>> r.customize(np.array([1.5, np.inf]))
    >>> r.distance(0, 1), r.distance(0, 2)
    (1.5, inf)
    """
    if engine not in ENGINES:
        raise InvalidOptionError(f"engine must be one of {ENGINES}, got {engine!r}")
    if not resolution > 0:
        raise InvalidOptionError(f"resolution must be > 0, got {resolution}")
    if engine == "cch" or (engine == "auto" and has_cch()):
        return cch.CCHRouter.build(
            n_nodes, tail, head, latitude=latitude, longitude=longitude, resolution=resolution, workers=workers
        )
    return ScipyRouter.build(n_nodes, tail, head, resolution=resolution)
