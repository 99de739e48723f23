"""Materially different routes by the penalty method, for any prepared query.

Each path found has its elements' weights raised by :data:`PENALTY` and the query is answered
again; a candidate is kept only if it shares at most :data:`OVERLAP_LIMIT` of its km with every
path already kept (and passes the caller's own test of distinctness), so alternatives are other
corridors rather than detours of the same one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from corridors.errors import InvalidOptionError
from corridors.routing.query import PreparedQuery

OVERLAP_LIMIT = 0.6
"""An alternative may share at most this fraction of its km with any better route. A tuning
choice of this project (the usual penalty-method range is 0.5-0.8), not a published figure."""
PENALTY = 1.6
"""Weight multiplier on the elements of each route found, to push the search elsewhere (a tuning
choice: lower finds near-copies, higher jumps to implausible detours)."""
ROUNDS_PER_ALTERNATIVE = 6
"""Penalised searches allowed per alternative asked for, before giving up on finding more."""


def check_k(k: int) -> None:
    """Raise a clear error unless ``k`` is a count of routes (1 or more)."""
    if k < 1:
        raise InvalidOptionError(f"alternatives must be 1 or more, got {k}")


def penalty_alternatives(
    query: PreparedQuery,
    first: np.ndarray,
    k: int,
    *,
    penalised_edges: Callable[[np.ndarray], np.ndarray],
    overlap: Callable[[np.ndarray, np.ndarray], float],
    distinct: Callable[[np.ndarray, list[np.ndarray]], np.ndarray | None] = lambda edges, kept: None,
) -> list[np.ndarray]:
    """Up to ``k`` paths (edge arrays), ``first`` (the best) first, then in the order found.

    ``penalised_edges(path)`` names the edges to make dearer after ``path`` is found (its links'
    edges, or its arcs); ``overlap(path, other)`` is the share of ``path``'s km also on ``other``;
    ``distinct(path, kept)`` returns None when ``path`` is distinct enough to keep, else the
    edges to penalise further before the next round (it is then not kept).
    """
    kept = [first]
    last = first
    for _ in range(ROUNDS_PER_ALTERNATIVE * k):
        if len(kept) >= k:
            break
        query = query.penalise(penalised_edges(last), PENALTY)
        found = query.path()
        if found is None or not len(found[1]):
            break
        last = found[1]
        push = distinct(last, kept)
        if push is not None:
            if len(push):
                query = query.penalise(push, PENALTY)
            continue
        if all(overlap(last, other) <= OVERLAP_LIMIT for other in kept):
            kept.append(last)
    return kept
