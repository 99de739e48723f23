"""An independent shortest-path oracle for the world tests: scipy Dijkstra on an adjacency
that keeps the cheapest of parallel arcs (a plain csr_matrix would sum them)."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix


def min_csr(tail: np.ndarray, head: np.ndarray, weights: np.ndarray, n: int) -> csr_matrix:
    order = np.lexsort((weights, head, tail))
    tail, head, weights = tail[order], head[order], weights[order]
    first = np.ones(len(tail), dtype=bool)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    return csr_matrix((weights[first], (tail[first], head[first])), shape=(n, n))
