"""One small thread-safe cache, bounded by entry count, least recently used dropped first.

Used wherever corridors keeps derived objects in memory (applied scenarios, world routers,
serialised API responses, metrics): one tested lock discipline instead of hand-written
``OrderedDict`` code in each place.

>>> cache = BoundedCache(2)
>>> cache.put("a", 1); cache.put("b", 2)
>>> cache.get("a")          # "a" is now the most recently used
1
>>> cache.put("c", 3)       # over the bound: "b", the least recently used, is dropped
>>> sorted(cache.keys()), cache.get("b")
(['a', 'c'], None)
>>> cache.get_or_make("d", lambda: 4), cache.keys()   # built once, then cached; "a" dropped
(4, ['c', 'd'])
>>> cache.discard(lambda key: key < "d")
1
>>> cache.keys(), len(cache)
(['d'], 1)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

__all__ = ["BoundedCache", "attached", "is_attached"]

_ATTACHED = "_corridors_derived"
"""The one attribute of a frozen object where :func:`attached` keeps what is derived from it."""


def attached(owner: object, key: Hashable, make: Callable[[], V]) -> V:
    """The value derived from ``owner`` under ``key``, built with ``make()`` on first use and
    kept on ``owner`` itself, so the two are freed together (as ``functools.cached_property``
    does; a weak-keyed table could not free a value that refers back to its owner, as a compiled
    graph refers to its network). Keys name what is derived (``"compiled_graph"``, or a tuple
    such as ``("edge_costs", service, date)``), so one owner can hold several variants.

    Two threads asking at once may both build; the value is deterministic, and one is kept.

    >>> class Owner: pass
    >>> owner = Owner()
    >>> attached(owner, "answer", lambda: 42), is_attached(owner, "answer"), is_attached(owner, "other")
    (42, True, False)
    """
    store = owner.__dict__.setdefault(_ATTACHED, {})
    try:
        return store[key]
    except KeyError:
        return store.setdefault(key, make())


def is_attached(owner: object, key: Hashable) -> bool:
    """Whether :func:`attached` holds a value of ``owner`` under ``key``."""
    return key in owner.__dict__.get(_ATTACHED, {})


class BoundedCache(Generic[K, V]):
    """At most ``maxsize`` entries; reading or writing an entry makes it the most recently used.

    Every method may be called from any thread. :meth:`get_or_make` builds a missing value
    outside the cache's lock, at most once at a time per key: concurrent callers asking for the
    same key wait for the first one's value instead of building their own, while callers of
    other keys go on. A value being built while :meth:`clear` or :meth:`discard` runs is
    returned to its caller but not stored, so an invalidation is never undone by a build that
    started before it.

    Dropped values are only forgotten, never closed: another thread may still be using one.

    Parameters
    ----------
    maxsize
        Most entries kept, at least 1.
    """

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError(f"a bounded cache holds at least 1 entry; maxsize was {maxsize}")
        self._maxsize = maxsize
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[K, list] = {}  # key -> [build lock, callers holding or waiting for it]
        self._generation = 0  # counts invalidations (clear, discard)

    @property
    def maxsize(self) -> int:
        """Most entries kept."""
        return self._maxsize

    def get(self, key: K, default: V | None = None) -> V | None:
        """The value of ``key`` (now the most recently used), or ``default``."""
        with self._lock:
            if key not in self._data:
                return default
            self._data.move_to_end(key)
            return self._data[key]

    def put(self, key: K, value: V) -> None:
        """Store ``value`` under ``key``, dropping the least recently used entries beyond the bound."""
        with self._lock:
            self._store(key, value)

    def _store(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self._maxsize:
            self._data.popitem(last=False)

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value of ``key``, built with ``make()`` and stored if missing.

        ``make`` runs without the cache's lock held, once at a time per key; an exception it
        raises reaches the caller and stores nothing.
        """
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            # one build lock per key, shared by every caller waiting for it and dropped by the last
            entry = self._building.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        build_lock = entry[0]
        try:
            with build_lock:
                with self._lock:  # built by another caller while this one waited?
                    if key in self._data:
                        self._data.move_to_end(key)
                        return self._data[key]
                    generation = self._generation
                value = make()
                with self._lock:
                    if generation == self._generation:
                        self._store(key, value)
                return value
        finally:
            with self._lock:
                entry[1] -= 1
                if entry[1] == 0 and self._building.get(key) is entry:
                    del self._building[key]

    def discard(self, predicate: Callable[[K], bool]) -> int:
        """Drop every entry whose key satisfies ``predicate``; returns how many were dropped."""
        with self._lock:
            self._generation += 1
            doomed = [key for key in self._data if predicate(key)]
            for key in doomed:
                del self._data[key]
            return len(doomed)

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._generation += 1
            self._data.clear()

    def keys(self) -> list[K]:
        """The keys, least recently used first (a snapshot)."""
        with self._lock:
            return list(self._data)

    def values(self) -> list[V]:
        """The values, least recently used first (a snapshot)."""
        with self._lock:
            return list(self._data.values())

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._data

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def __repr__(self) -> str:
        return f"BoundedCache(maxsize={self._maxsize}, entries={len(self)})"
