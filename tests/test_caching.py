"""The bounded cache: least recently used dropped first, one build per key under concurrent
callers, and no invalidation undone by a build that started before it."""

from __future__ import annotations

import doctest
import threading
import time

import pytest

import corridors.caching
from corridors.caching import BoundedCache


def test_doctests():
    assert doctest.testmod(corridors.caching).failed == 0


def test_least_recently_used_is_dropped_first():
    cache = BoundedCache(3)
    for key in "abc":
        cache.put(key, key.upper())
    assert cache.get("a") == "A"  # order of use now b, c, a
    cache.put("d", "D")
    assert cache.keys() == ["c", "a", "d"] and "b" not in cache
    cache.get_or_make("c", lambda: pytest.fail("c is cached"))  # a hit counts as a use: a, d, c
    cache.put("e", "E")
    assert cache.keys() == ["d", "c", "e"] and len(cache) == 3
    assert cache.get("missing", "default") == "default"


def test_it_stays_bounded_under_many_keys():
    cache = BoundedCache(5)
    for i in range(1000):
        cache.get_or_make(i, lambda i=i: i * i)
    assert len(cache) == 5 and cache.keys() == [995, 996, 997, 998, 999] and cache.values()[-1] == 999 * 999


def test_a_bound_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        BoundedCache(0)


def test_discard_and_clear():
    cache = BoundedCache(10)
    for i in range(6):
        cache.put(i, str(i))
    assert cache.discard(lambda key: key % 2 == 0) == 3
    assert cache.keys() == [1, 3, 5]
    cache.clear()
    assert len(cache) == 0 and cache.get(1) is None


def test_a_failed_build_stores_nothing_and_the_next_caller_builds_again():
    cache = BoundedCache(2)
    with pytest.raises(RuntimeError, match="boom"):
        cache.get_or_make("k", lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    assert "k" not in cache
    assert cache.get_or_make("k", lambda: 7) == 7


def test_concurrent_callers_of_one_key_build_it_once():
    cache: BoundedCache[str, object] = BoundedCache(4)
    builds = []
    start = threading.Barrier(8)

    def make():
        builds.append(threading.get_ident())
        time.sleep(0.05)  # long enough for every other caller to arrive while this one builds
        return object()

    results = []

    def worker():
        start.wait()
        results.append(cache.get_or_make("shared", make))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1
    assert len(results) == 8 and all(r is results[0] for r in results)


def test_a_slow_build_of_one_key_does_not_block_other_keys():
    cache = BoundedCache(4)
    release = threading.Event()
    slow = threading.Thread(target=cache.get_or_make, args=("slow", lambda: release.wait(5) and "slow"))
    slow.start()
    try:
        time.sleep(0.02)
        assert cache.get_or_make("fast", lambda: "fast") == "fast"  # returns while "slow" is still building
        assert "slow" not in cache
    finally:
        release.set()
        slow.join()
    assert cache.get("slow") == "slow"


def test_a_build_that_straddles_an_invalidation_is_not_stored():
    cache = BoundedCache(4)
    building, go_on = threading.Event(), threading.Event()

    def make():
        building.set()
        go_on.wait(5)
        return "stale"

    got = []
    worker = threading.Thread(target=lambda: got.append(cache.get_or_make("k", make)))
    worker.start()
    building.wait(5)
    cache.discard(lambda key: True)
    go_on.set()
    worker.join()
    assert got == ["stale"] and "k" not in cache


def test_many_threads_many_keys_stay_consistent():
    cache = BoundedCache(16)
    counts: dict[int, int] = {}
    lock = threading.Lock()

    def make(key):
        with lock:
            counts[key] = counts.get(key, 0) + 1
        return key * 10

    wrong = []

    def worker(seed):
        for i in range(300):
            key = (i * 7 + seed) % 24
            value = cache.get_or_make(key, lambda key=key: make(key))
            if value != key * 10:
                wrong.append((key, value))

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []
    assert len(cache) <= 16 and all(cache.get(k) == k * 10 for k in cache.keys())


def test_a_failed_build_is_retried_by_one_waiter_at_a_time():
    """After the first build of a key fails, the callers that were waiting for it and a newcomer
    share one build lock: they never build the key at the same time."""
    cache = BoundedCache(4)
    started, release = threading.Event(), threading.Event()
    running, overlaps, calls = [0], [0], [0]
    guard = threading.Lock()

    def make():
        with guard:
            calls[0] += 1
            first = calls[0] == 1
            running[0] += 1
            overlaps[0] = max(overlaps[0], running[0])
        try:
            if first:
                started.set()
                release.wait(5)
                raise RuntimeError("first build fails")
            time.sleep(0.05)
            return "value"
        finally:
            with guard:
                running[0] -= 1

    def call():
        try:
            return cache.get_or_make("k", make)
        except RuntimeError:
            return None

    first = threading.Thread(target=call)
    first.start()
    started.wait(5)
    waiters = [threading.Thread(target=call) for _ in range(3)]
    for t in waiters:
        t.start()
    time.sleep(0.05)
    release.set()
    late = threading.Thread(target=call)
    late.start()
    for t in [first, *waiters, late]:
        t.join(5)
    assert overlaps[0] == 1
    assert cache.get("k") == "value" and calls[0] == 2  # one failure, then one build for everyone
