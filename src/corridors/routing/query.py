"""A prepared query: one objective's weights and the named rules of a route request, built once
over a graph's edges and answered on an engine.

Everything that routes goes through a :class:`PreparedQuery`: the best route, its alternatives
(:meth:`~PreparedQuery.penalise`), the explanation of a missing route (:meth:`~PreparedQuery.relax`
one rule at a time), criticality (:meth:`~PreparedQuery.restrict` one element), matrices
(:meth:`~PreparedQuery.matrix`) and re-costing (:meth:`~PreparedQuery.recost`, for scenarios and
assignment iterations). A query never recompiles its graph: a variant shares the graph and the
engine and differs in a weight vector.

An *engine* answers shortest-path questions for one weight vector: :class:`AtlasEngine` runs
scipy's Dijkstra on a compiled atlas graph; the world router's engine runs a customizable
contraction hierarchy (:mod:`corridors.routing.fast`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Protocol

import numpy as np

from corridors.errors import InvalidOptionError
from corridors.graph import MultimodalGraph
from corridors.routing import _kernel

Path = tuple[float, np.ndarray]
"""A path's objective value and its edges in travel order."""


class Solver(Protocol):
    """Shortest paths under one fixed weight vector (``inf`` on forbidden edges)."""

    def path(self, origins: np.ndarray, destinations: np.ndarray,
             waypoints: Sequence[_kernel.Waypoint] = ()) -> Path | None:
        """The least path from any origin to any destination through ``waypoints`` in order."""

    def matrix(self, origins: Sequence[np.ndarray], destinations: Sequence[np.ndarray]) -> np.ndarray:
        """Least value from each origin set (rows) to each destination set (columns); ``inf`` if none."""


class Engine(Protocol):
    """Makes a :class:`Solver` for a weight vector over a graph's edges."""

    n_edges: int

    def solver(self, weights: np.ndarray) -> Solver:
        """A solver for ``weights``."""


class PreparedQuery:
    """Weights and named rule masks over an engine's edges.

    ``weights`` are the objective's, unmasked; ``masks`` map a rule's name to a boolean array,
    True where an edge obeys it. :attr:`effective` is the weights with every edge that breaks a
    rule at ``inf``; its solver is made once, on first use.

    Examples
    --------
    >>> from corridors import load_atlas
    >>> from corridors.routing.prepare import prepare
    >>> q = prepare(load_atlas(), "Baku", "Tbilisi").query
    >>> value, edges = q.path()
    >>> q.relax("year").path()[0] <= value  # fewer rules: never worse
    True
    """

    def __init__(self, engine: Engine, weights: np.ndarray, masks: Mapping[str, np.ndarray] | None = None, *,
                 origins: np.ndarray | None = None, destinations: np.ndarray | None = None,
                 waypoints: Sequence[_kernel.Waypoint] = ()) -> None:
        if len(weights) != engine.n_edges:
            raise ValueError(f"{len(weights)} weights for {engine.n_edges} edges")
        self.engine = engine
        self.weights = weights
        self.masks: Mapping[str, np.ndarray] = MappingProxyType(dict(masks or {}))
        self.origins = origins
        """Where routes of this query start (engine nodes or states), when it is for one pair."""
        self.destinations = destinations
        self.waypoints = tuple(waypoints)
        """Places, links or borders the query's routes must pass, in order."""
        self._effective: np.ndarray | None = None
        self._solver: Solver | None = None
        self._lock = threading.Lock()

    # variants -----------------------------------------------------------------------------------
    def _variant(self, weights: np.ndarray, masks: Mapping[str, np.ndarray],
                 effective: np.ndarray | None = None) -> PreparedQuery:
        variant = PreparedQuery(self.engine, weights, masks, origins=self.origins, destinations=self.destinations,
                                waypoints=self.waypoints)
        if effective is not None:
            effective.flags.writeable = False
            variant._effective = effective
        return variant

    def between(self, origins: np.ndarray, destinations: np.ndarray) -> PreparedQuery:
        """The same weights, rules and solver (made now, if not yet, and kept by this query) for
        another pair of ends."""
        variant = PreparedQuery(self.engine, self.weights, self.masks, origins=origins, destinations=destinations,
                                waypoints=self.waypoints)
        variant._solver = self.solver
        return variant

    def relax(self, *rules: str) -> PreparedQuery:
        """The query without ``rules`` (to see what they block)."""
        unknown = set(rules) - set(self.masks)
        if unknown:
            raise KeyError(f"no rule {', '.join(sorted(unknown))}; rules: {', '.join(self.masks)}")
        return self._variant(self.weights, {k: v for k, v in self.masks.items() if k not in rules})

    def restrict(self, rule: str, mask: np.ndarray) -> PreparedQuery:
        """The query with one more rule: edges where ``mask`` is False are forbidden (a rule of
        that name already there keeps forbidding its edges too)."""
        masks = {**self.masks, rule: mask & self.masks[rule] if rule in self.masks else mask}
        return self._variant(self.weights, masks, np.where(mask, self.effective, np.inf))

    def penalise(self, edges: Iterable[int] | np.ndarray, factor: float) -> PreparedQuery:
        """The query with ``edges``' weights multiplied by ``factor`` (each edge once)."""
        edges = np.unique(np.fromiter(edges, dtype=np.int64))
        weights, effective = self.weights.copy(), self.effective.copy()
        weights[edges] *= factor
        effective[edges] *= factor  # inf stays inf: the rules are unchanged
        return self._variant(weights, self.masks, effective)

    def recost(self, weights: np.ndarray) -> PreparedQuery:
        """The same rules over new ``weights`` (a scenario's costs, an assignment iteration's)."""
        return self._variant(np.asarray(weights, dtype=np.float64), self.masks)

    # answers ------------------------------------------------------------------------------------
    @property
    def effective(self) -> np.ndarray:
        """Weights with every edge that breaks a rule set to ``inf`` (read-only; kept until
        :meth:`compact`)."""
        effective = self._effective
        if effective is None:
            effective = _kernel.masked(self.weights, self.masks)
            effective.flags.writeable = False
            self._effective = effective
        return effective

    @property
    def solver(self) -> Solver:
        """The engine's solver for :attr:`effective`, made once even when several threads ask
        at the same time."""
        if self._solver is None:
            with self._lock:
                if self._solver is None:
                    self._solver = self.engine.solver(self.effective)
        return self._solver

    def compact(self) -> PreparedQuery:
        """Make the solver now and stop keeping :attr:`effective` beside it (for an engine that
        holds its own copy of the weights, as the world's does); it is recomputed if asked for."""
        self.solver  # noqa: B018 - made here, once
        self._effective = None
        return self

    def path(self, origins: np.ndarray | None = None, destinations: np.ndarray | None = None) -> Path | None:
        """The least path from any origin to any destination (the query's own by default)
        through the query's waypoints in order, or None."""
        origins = self.origins if origins is None else origins
        destinations = self.destinations if destinations is None else destinations
        if origins is None or destinations is None:
            raise InvalidOptionError("a path needs origins and destinations")
        return self.solver.path(origins, destinations, self.waypoints)

    def blocking_rules(self) -> list[tuple[str, Path]]:
        """The rules that block the query's path on their own: each rule whose relaxation alone
        yields a path, with that path (in the order of :attr:`masks`)."""
        found = []
        for rule in self.masks:
            path = self.relax(rule).path()
            if path is not None:
                found.append((rule, path))
        return found

    def matrix(self, origins: Sequence[np.ndarray], destinations: Sequence[np.ndarray]) -> np.ndarray:
        """Least value from each origin set to each destination set (``inf`` where none): one
        shortest-path tree per origin on the atlas, a CCH many-to-many on the world. Values only;
        :func:`corridors.routing.matrix.route_matrix` gives the routes' totals."""
        if self.waypoints:
            raise InvalidOptionError("a matrix passes no via points; route each pair instead")
        if not all(len(ends) for ends in (*origins, *destinations)):
            raise InvalidOptionError("every origin and destination of a matrix needs at least one node")
        return self.solver.matrix(origins, destinations)


class AtlasEngine:
    """Dijkstra (scipy, compiled) on the CSR arrays of an atlas :class:`MultimodalGraph`."""

    def __init__(self, graph: MultimodalGraph) -> None:
        self.graph = graph
        self.n_edges = graph.n_edges

    def solver(self, weights: np.ndarray) -> AtlasSolver:
        return AtlasSolver(self.graph, weights)


class AtlasSolver:
    """Paths, trees and matrices on an atlas graph under one weight vector."""

    def __init__(self, graph: MultimodalGraph, weights: np.ndarray) -> None:
        self.graph = graph
        self.weights = weights

    def path(self, origins: np.ndarray, destinations: np.ndarray,
             waypoints: Sequence[_kernel.Waypoint] = ()) -> Path | None:
        found = _kernel.staged_path(self.graph, self.weights, origins, destinations, waypoints)
        return None if found is None else (found[0], np.asarray(found[1], dtype=np.int64))

    def tree(self, origins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Least value from any of ``origins`` to every state, and each state's predecessor."""
        return _kernel.tree(self.graph, self.weights, origins)

    def tree_path(self, tree: tuple[np.ndarray, np.ndarray], destinations: np.ndarray) -> Path | None:
        """The least path in ``tree`` (from :meth:`tree`) to any of ``destinations``, or None."""
        dist, pred = tree
        at = destinations[np.argmin(dist[destinations])] if len(destinations) else None
        if at is None or not np.isfinite(dist[at]):
            return None
        return float(dist[at]), np.asarray(_kernel.walk_back(self.graph, self.weights, pred, int(at)), dtype=np.int64)

    def matrix(self, origins: Sequence[np.ndarray], destinations: Sequence[np.ndarray]) -> np.ndarray:
        out = np.full((len(origins), len(destinations)), np.inf)
        for i, o in enumerate(origins):
            dist = self.tree(o)[0]
            for j, d in enumerate(destinations):
                if len(d):
                    out[i, j] = dist[d].min()
        return out
