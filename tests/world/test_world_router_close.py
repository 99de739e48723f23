"""Closing a world router stops its engine's helper threads; the router still answers after."""

from __future__ import annotations

import threading

import pytest

from corridors.routing.fast.cch import THREAD_NAME
from corridors.world.router import WorldOptions, WorldRouter
from tests.world.test_world_router import world  # noqa: F401 - the tiny world fixture


def helpers() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith(THREAD_NAME)}


def test_close_stops_the_engine_threads_and_the_router_then_starts_them_again(world, tmp_path):  # noqa: F811
    pytest.importorskip("pyroutingkit")
    before = helpers()
    router = WorldRouter(world, engine="cch", cache_dir=tmp_path)
    options = WorldOptions(objective="distance", modes=frozenset({"sea"}), closed_chokepoints=frozenset())
    first = router.route("Pport", "Kport", options)
    two = router._base.sibling(workers=2)  # a customisation with a helper metric starts the shared threads
    two.customize(world.distance_km)
    two.settle()
    started = helpers() - before
    assert started
    router.close()
    assert not started & set(threading.enumerate())
    again = router.route("Pport", "Kport", options)  # still usable after closing
    assert again.distance_km == first.distance_km and again.legs[0].corridors == first.legs[0].corridors
    two.customize(world.distance_km)  # the threads start again, to be closed again
    two.settle()
    assert helpers() - before
    router.close()
    assert helpers() - before == set()
