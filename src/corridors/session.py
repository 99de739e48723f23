"""A session: one network and everything derived from it, kept for reuse and closed together.

Like httpx's ``Client``, a :class:`Session` owns what is costly to build — applied scenarios,
the world router (loaded on first use or in a background thread) and world routers under
scenarios — in bounded caches, and :meth:`Session.close` (or leaving a ``with`` block) lets
them go. The CLI, the REST API and the analysis entry points all route through a session, so
the flow *apply the scenario -> route options under it -> atlas or world router ->
alternatives* is written once, here.

>>> from corridors import RouteOptions, Session
>>> by_road = RouteOptions(objective="time", modes=frozenset({"road"}))
>>> with Session() as session:  # the packaged atlas
...     [today] = session.route("Tbilisi", "Vladikavkaz", by_road)
...     [closed] = session.route("Tbilisi", "Vladikavkaz", by_road, scenario="upper-lars-closed")
>>> today.via_summary(), closed.via_summary()  # GE>RU at Upper Lars, or round through Azerbaijan
('GE>RU', 'GE>AZ, AZ>RU')
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from os import PathLike
from typing import TYPE_CHECKING, Literal, Protocol, Union

from corridors.analysis.cases import NO_SCENARIO, Case, applied_case, base_case
from corridors.caching import BoundedCache
from corridors.errors import InvalidOptionError, Problem, ScenarioError
from corridors.model import Network
from corridors.routing import Route, RouteOptions, alternative_routes
from corridors.routing import route as _route
from corridors.routing.matrix import RouteMatrix, route_matrix
from corridors.scenarios import AppliedScenario, Scenario, apply_scenario, load_scenario, parse_scenario, scenario_options
from corridors.scenarios.builtin import builtin_names, builtin_text, looks_like_path

if TYPE_CHECKING:
    from corridors.analysis import AccessPair, Comparison, Lane
    from corridors.world import WorldRouter

logger = logging.getLogger(__name__)

__all__ = ["ScenarioKey", "ScenarioLike", "Session", "WorldLoader", "WorldStatus"]

ScenarioLike = Union[str, "PathLike[str]", Scenario]
"""A scenario as a session takes it: a built-in or user scenario name, a YAML file, or a Scenario."""
ScenarioKey = tuple[str, str]
"""An applied scenario's cache key: its name (or path) and ``"builtin"`` or a SHA-1 of its text."""
WorldStatus = Literal["off", "loading", "ready", "failed"]
"""Where the world router stands: not asked for yet, loading, ready, or failed to load."""

BUILTIN = "builtin"
"""The second half of a built-in scenario's key: the packaged files never change while running."""
MAX_APPLIED = 32
"""Applied scenarios kept by default (each holds a copy of the network)."""
MAX_SCENARIO_WORLDS = 2
"""World routers under scenarios kept by default (each a full copy of the world graph and its router)."""


class WorldLoader(Protocol):
    """Builds a world router over ``network``: from the world layers of ``layers_from`` (a router
    already loaded) when given, else loading the layers; ``progress(message)`` is told what is
    being done. The default is :func:`load_world_router`."""

    def __call__(self, network: Network, layers_from: WorldRouter | None,
                 progress: Callable[[str], None] | None) -> WorldRouter: ...


def load_world_router(network: Network, layers_from: WorldRouter | None = None,
                      progress: Callable[[str], None] | None = None) -> WorldRouter:
    """The default :class:`WorldLoader`: :func:`corridors.world.load_world`, or the world graph of
    ``network`` stitched over the layers and ports of ``layers_from``. Needs the ``world`` extra."""
    if layers_from is None:
        from corridors.world import load_world

        return load_world(network, progress=progress)
    from corridors.world import WorldRouter, build_world_graph

    if progress is not None:
        progress("stitching the network over the world layers")
    base = layers_from.world
    return WorldRouter(build_world_graph(network, base.layers, base.ports))


def _close(resource: object) -> None:
    """Call ``resource.close()`` if it has one (world routers and engines may)."""
    close = getattr(resource, "close", None)
    if callable(close):
        close()


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Session:
    """One network and the scenarios, routers and caches derived from it.

    Parameters
    ----------
    network
        A :class:`~corridors.model.Network`, a network folder, or ``None`` for the packaged atlas.
    scenario_text
        Resolves a scenario name to the YAML text of a user scenario, or ``None`` if it is not
        one (the REST API plugs its database in here). It is asked first, on every use, and may
        raise to refuse a name. A user scenario is cached under a digest of its text, so a
        changed text is never served stale; :meth:`forget_user_scenarios` drops them all.
    scenario_files
        Whether a scenario may also be a YAML file path (``False`` for servers: a request must
        not name files on the server).
    max_applied, max_scenario_worlds
        How many applied scenarios, and world routers under scenarios, are kept (least
        recently used dropped first).
    world_loader
        Builds world routers (default :func:`load_world_router`); tests pass a fake.
    progress
        Told what is being done while something slow loads (the world layers), as
        ``progress(message)``.

    Notes
    -----
    A session may be used from several threads at once. Use it as a context manager, or call
    :meth:`close`, to let go of what it holds.
    """

    def __init__(
        self,
        network: Network | str | PathLike[str] | None = None,
        *,
        scenario_text: Callable[[str], str | None] | None = None,
        scenario_files: bool = True,
        max_applied: int = MAX_APPLIED,
        max_scenario_worlds: int = MAX_SCENARIO_WORLDS,
        world_loader: WorldLoader | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        if not isinstance(network, Network):
            from corridors.io import load_atlas, read_network

            network = load_atlas() if network is None else read_network(network)
        self._network = network
        self._scenario_text = scenario_text
        self._scenario_files = scenario_files
        self._applied: BoundedCache[ScenarioKey, AppliedScenario] = BoundedCache(max_applied)
        self._scenario_worlds: BoundedCache[ScenarioKey, WorldRouter] = BoundedCache(max_scenario_worlds)
        self._world_loader: WorldLoader = world_loader or load_world_router
        self._progress = progress
        self._lock = threading.Lock()
        self._world_build_lock = threading.Lock()  # world graphs are large: build one at a time
        self._world_done: threading.Event | None = None  # None until the world router is first asked for
        self._world_thread: threading.Thread | None = None
        self._world_base: WorldRouter | None = None
        self._world_error: BaseException | None = None
        self._closed = False

    @property
    def network(self) -> Network:
        """The network routed on when no scenario is named."""
        return self._network

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._closed

    # lifetime ----------------------------------------------------------------------------------
    def close(self) -> None:
        """Let go of the cached scenarios and routers, closing every router that has ``close()``.

        A world load still running in the background is abandoned, not waited for: its thread
        is a daemon, and closes what it built when it finishes. Closing twice does nothing.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            routers = [*self._scenario_worlds.values(), *([self._world_base] if self._world_base is not None else [])]
            self._world_base = None
        self._scenario_worlds.clear()
        self._applied.clear()
        for router in routers:
            _close(router)

    def __enter__(self) -> Session:
        self._check_open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("this session is closed; open a new Session")

    # scenarios ---------------------------------------------------------------------------------
    def applied(self, scenario: ScenarioLike) -> AppliedScenario:
        """``scenario`` applied to the network (a name, a YAML path or a Scenario), from the cache
        when it was applied before.

        Raises
        ------
        ScenarioError
            The scenario does not exist, is invalid, or does not fit the network.
        """
        return self._applied_entry(scenario)[1]

    def _applied_entry(self, scenario: ScenarioLike) -> tuple[ScenarioKey, AppliedScenario]:
        self._check_open()
        key, load = self._source(scenario)
        return key, self._applied.get_or_make(key, lambda: apply_scenario(self._network, load()))

    def _source(self, scenario: ScenarioLike) -> tuple[ScenarioKey, Callable[[], Scenario]]:
        """The cache key of ``scenario`` and how to load it (user scenarios, then built-ins by
        name, then files by a path that looks like one: a file never stands in for a built-in)."""
        if isinstance(scenario, Scenario):
            return (scenario.name, _digest(scenario.spec.model_dump_json())), lambda: scenario
        name = os.fspath(scenario)
        text = self._scenario_text(name) if self._scenario_text is not None else None
        if text is not None:
            return (name, _digest(text)), lambda: parse_scenario(text, f"user scenario {name}")
        if isinstance(scenario, str) and builtin_text(name) is not None:
            return (name, BUILTIN), lambda: load_scenario(name)
        if self._scenario_files and (not isinstance(scenario, str) or looks_like_path(name)):
            loaded = load_scenario(scenario)  # a file, read now: its key is a digest of what it says
            return (name, _digest(loaded.spec.model_dump_json())), lambda: loaded
        if self._scenario_files:
            load_scenario(name)  # raises the error naming the built-ins
        raise ScenarioError([Problem(name, None, None, f"no scenario of that name; built-ins: {', '.join(builtin_names())}")])

    def forget_user_scenarios(self) -> None:
        """Drop every cached scenario but the built-ins (call it when user scenarios change)."""
        is_user = lambda key: key[1] != BUILTIN  # noqa: E731
        self._applied.discard(is_user)
        self._scenario_worlds.discard(is_user)

    def case(self, scenario: ScenarioLike, options: RouteOptions = RouteOptions()) -> Case:
        """The :class:`~corridors.analysis.Case` of ``scenario`` (``"atlas"`` for the network as it
        is) with ``options`` under it, for the analysis functions."""
        if scenario == NO_SCENARIO:
            return base_case(self._network, options)
        return applied_case(self.applied(scenario), options)

    def _under(self, scenario: ScenarioLike | None, options: RouteOptions
               ) -> tuple[Network, RouteOptions, ScenarioKey | None, AppliedScenario | None]:
        """The network and options under ``scenario`` (if any), with its key and the applied scenario."""
        if scenario is None:
            self._check_open()
            return self._network, options, None, None
        key, applied = self._applied_entry(scenario)
        return applied.network, scenario_options(applied, options), key, applied

    # routes ------------------------------------------------------------------------------------
    def route(
        self,
        origin: str,
        destination: str,
        options: RouteOptions = RouteOptions(),
        *,
        scenario: ScenarioLike | None = None,
        world: bool = False,
        close: Iterable[str] = (),
        alternatives: int = 1,
    ) -> list[Route]:
        """The best route from ``origin`` to ``destination``, then up to ``alternatives - 1``
        materially different ones, best first.

        Parameters
        ----------
        options
            Route options; a scenario adds its rules, avoided countries, year, value of time and
            carbon price (see :func:`~corridors.scenarios.scenario_options`).
        scenario
            Route on the network under this scenario.
        world
            Route on the world rail, road and sea layers with the network (needs the ``world``
            extra); places, ports or ``lat,lon`` anywhere. Takes no via, avoid or flow rules.
        close
            With ``world``: chokepoints to close, besides those the scenario closes.

        Raises
        ------
        NoRouteError, UnknownPlaceError, AmbiguousPlaceError, InvalidOptionError, ScenarioError
        """
        close = tuple(close)
        if close and not world:
            raise InvalidOptionError(f"closing chokepoints ({', '.join(close)}) needs world routes: "
                                     "give world=True, or no close")
        network, options, key, applied = self._under(scenario, options)
        if world:
            return self._world_routes(origin, destination, options, key, applied, close, alternatives)
        if alternatives > 1:
            return alternative_routes(network, origin, destination, alternatives, options)
        return [_route(network, origin, destination, options)]

    def matrix(self, origins: Sequence[str], destinations: Sequence[str], options: RouteOptions = RouteOptions(), *,
               scenario: ScenarioLike | None = None) -> RouteMatrix:
        """Totals of the best route between every origin and destination (see
        :func:`~corridors.routing.matrix.route_matrix`), under ``scenario`` if given."""
        network, options, _, _ = self._under(scenario, options)
        return route_matrix(network, list(origins), list(destinations), options)

    def compare(self, base: ScenarioLike, scenario: ScenarioLike, lanes: Sequence[Lane],
                access: Sequence[AccessPair] = (), options: RouteOptions = RouteOptions(), *,
                year: int | None = None) -> Comparison:
        """Route ``lanes`` and ``access`` pairs in the case of ``base`` and of ``scenario`` (either
        may be ``"atlas"``) and summarise what changed (:func:`corridors.analysis.compare.decompose`):
        the scenario against the base in one network year (``year`` if given, else the later year
        the two name: :func:`~corridors.analysis.compare.comparison_year`), and, when the base's
        year differs, the network-year effect apart."""
        from corridors.analysis.compare import decompose

        return decompose(self.case(base, options), self.case(scenario, options), list(lanes), list(access), year=year)

    # world -------------------------------------------------------------------------------------
    def start_world(self) -> None:
        """Start loading the world router in a background thread, if it is not loaded or loading
        already; :meth:`world_status` tells how it goes."""
        self._check_open()
        with self._lock:
            if self._world_done is not None:
                return
            self._world_done = threading.Event()
            self._world_thread = threading.Thread(target=self._load_world, daemon=True, name="corridors-world")
        self._world_thread.start()

    def world_status(self) -> WorldStatus:
        """``"off"`` until the world router is first asked for, then loading, ready or failed."""
        done = self._world_done
        if done is None:
            return "off"
        if not done.is_set():
            return "loading"
        return "failed" if self._world_error is not None else "ready"

    def wait_for_world(self, timeout_s: float | None = None) -> WorldStatus:
        """Wait up to ``timeout_s`` seconds (``None``: as long as it takes) for a world load under
        way to end; returns :meth:`world_status`. Starts nothing."""
        done = self._world_done
        if done is not None:
            done.wait(timeout_s)
        return self.world_status()

    @property
    def world_error(self) -> str | None:
        """Why the world router failed to load (``"Type: message"``), or ``None``."""
        error = self._world_error
        return None if error is None else f"{type(error).__name__}: {error}"

    def world_router(self, *, timeout_s: float | None = None) -> WorldRouter:
        """The world router over the network: loaded now if never asked for, else the one loading
        or loaded (waited for up to ``timeout_s`` seconds).

        Raises
        ------
        TimeoutError
            Still loading after ``timeout_s``.
        RuntimeError
            The load failed (the message says why), or the session is closed.
        """
        self._check_open()
        with self._lock:
            load_here = self._world_done is None
            if load_here:
                self._world_done = threading.Event()
        if load_here:
            self._load_world()
        if not self._world_done.wait(timeout_s):
            raise TimeoutError(f"the world layers are still loading after {timeout_s:g} s")
        if self._world_error is not None:
            raise RuntimeError(f"the world layers failed to load: {self.world_error}") from self._world_error
        self._check_open()
        return self._world_base

    def _load_world(self) -> None:
        """Load the world router (in whichever thread asked first) and tell the waiters."""
        try:
            router = self._world_loader(self._network, None, self._progress)
        except BaseException as exc:  # noqa: BLE001 - reported to every world request
            logger.warning("the world layers failed to load: %s: %s", type(exc).__name__, exc)
            self._world_error = exc
            if not isinstance(exc, Exception):
                raise
        else:
            with self._lock:
                abandoned = self._closed
                if not abandoned:
                    self._world_base = router
            if abandoned:
                _close(router)
        finally:
            self._world_done.set()

    def _scenario_world(self, key: ScenarioKey, applied: AppliedScenario) -> WorldRouter:
        """The world router under an applied scenario: built on first use over the layers of a
        router already loaded (or loading the layers if none is), one at a time."""

        def make() -> WorldRouter:
            with self._world_build_lock:
                donor = None
                if self._world_done is not None:
                    donor = self.world_router()
                else:
                    donor = next(iter(self._scenario_worlds.values()), None)
                return self._world_loader(applied.network, donor, self._progress)

        return self._scenario_worlds.get_or_make(key, make)

    def _world_routes(self, origin: str, destination: str, options: RouteOptions, key: ScenarioKey | None,
                      applied: AppliedScenario | None, close: Iterable[str], alternatives: int) -> list[Route]:
        if options.via or options.avoid:
            raise InvalidOptionError("world routes take avoid_countries, modes, year, month, objective, cargo, "
                                     "closed chokepoints and a scenario; not via or avoid (yet)")
        if options.rules:
            raise InvalidOptionError(f"scenario {applied.name!r} has flow rules, which world routes do not apply yet"
                                     if applied is not None and applied.rules else "world routes do not apply flow rules yet")
        from corridors.world import WorldOptions  # the world extra is optional: imported when asked for

        closed = [*close, *(sorted(applied.closed_chokepoints) if applied is not None else ())]
        world = WorldOptions.from_route_options(options, closed)
        router = self.world_router() if applied is None or key is None else self._scenario_world(key, applied)
        if alternatives > 1:
            return router.alternative_routes(origin, destination, alternatives, world)
        return [router.route(origin, destination, world)]
