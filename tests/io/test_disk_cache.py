"""The generic disk cache: folder entries, checksums by hand, pruning, any value through a codec.
(The array entries are also tested through the world layers in tests/world/test_cache.py.)"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from corridors.io.disk_cache import cache_key, cached, prune, read_folder, write_arrays, write_folder


def fill_two(path: Path) -> None:
    (path / "b.bin").write_bytes(b"yz")
    (path / "a.txt").write_bytes(b"x")


def test_a_folder_entry_is_placed_whole_and_checksummed(tmp_path: Path) -> None:
    key = cache_key({"topology": "j1"})
    path = write_folder(tmp_path, "cch-1", fill_two, key)
    assert path == tmp_path / "cch-1" and sorted(p.name for p in tmp_path.iterdir()) == ["cch-1", "cch-1.json"]
    side = json.loads((tmp_path / "cch-1.json").read_text())
    # by hand: each file's name then its bytes, in name order
    assert side["sha256"] == hashlib.sha256(b"a.txt" + b"x" + b"b.bin" + b"yz").hexdigest()
    assert side["key"] == key and side["bytes"] == 3
    assert read_folder(tmp_path, "cch-1", key) == path
    assert read_folder(tmp_path, "cch-1", cache_key({"topology": "j2"})).startswith("stale")
    assert read_folder(tmp_path, "cch-2", key) == "missing"


@pytest.mark.parametrize("damage", ["edit", "add", "remove", "sidecar"])
def test_a_damaged_folder_entry_is_not_trusted(tmp_path: Path, damage: str) -> None:
    key = cache_key()
    path = write_folder(tmp_path, "e", fill_two, key)
    if damage == "edit":
        (path / "a.txt").write_bytes(b"X")
    elif damage == "add":
        (path / "c").write_bytes(b"")
    elif damage == "remove":
        (path / "b.bin").unlink()
    else:
        (tmp_path / "e.json").write_text("{")
    reason = read_folder(tmp_path, "e", key)
    assert isinstance(reason, str) and reason.startswith("unreadable sidecar" if damage == "sidecar" else "corrupt")


def test_a_failed_folder_write_leaves_the_old_entry_and_no_temporary(tmp_path: Path) -> None:
    key = cache_key()
    write_folder(tmp_path, "e", fill_two, key)

    def fails(path: Path) -> None:
        (path / "half").write_bytes(b"1")
        raise RuntimeError("engine failed")

    with pytest.raises(RuntimeError, match="engine failed"):
        write_folder(tmp_path, "e", fails, key)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e", "e.json"]
    assert read_folder(tmp_path, "e", key) == tmp_path / "e"


def test_two_writers_of_one_entry_never_share_a_temporary_folder(tmp_path: Path) -> None:
    """Another process writes the same entry while this one fills it: both complete, and the
    entry left is whole and checks."""
    key = cache_key()

    def fill_while_another_writes(path: Path) -> None:
        write_folder(tmp_path, "e", fill_two, key)
        fill_two(path)

    write_folder(tmp_path, "e", fill_while_another_writes, key)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e", "e.json"]
    assert read_folder(tmp_path, "e", key) == tmp_path / "e"


def test_prune_keeps_the_newest_entries_with_their_sidecars(tmp_path: Path) -> None:
    for age in range(4):  # cch-0 the newest; two folder entries, two array entries
        if age % 2:
            write_arrays(tmp_path, f"cch-{age}", {"x": np.arange(3)}, {}, "k")
            payload = tmp_path / f"cch-{age}.npz"
        else:
            payload = write_folder(tmp_path, f"cch-{age}", fill_two, "k")
        (tmp_path / f"cch-{age}.sha256").write_text("a sidecar of an older layout")
        os.utime(payload, (1e9 - age, 1e9 - age))
    (tmp_path / "cch-3.tmp").mkdir()  # being written by another process
    crashed = tmp_path / "cch-0.5f3a.tmp"  # left by a writer that crashed two hours ago
    crashed.mkdir()
    os.utime(crashed, (time.time() - 7200, time.time() - 7200))
    (tmp_path / "other.json").write_text("{}")  # not of this kind
    assert prune(tmp_path, "cch-*", keep=2) == ["cch-2", "cch-3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cch-0", "cch-0.json", "cch-0.sha256", "cch-1.json", "cch-1.npz", "cch-1.sha256", "cch-3.tmp", "other.json"]


def test_cached_stores_any_value_through_its_codec(tmp_path: Path) -> None:
    calls = []

    def build() -> tuple[np.ndarray, str]:
        calls.append(1)
        return np.array([1.5, 2.5]), "km"

    def encode(value: tuple[np.ndarray, str]):
        return {"values": value[0]}, {"unit": value[1]}

    def decode(arrays, meta) -> tuple[np.ndarray, str]:
        return arrays["values"], meta["unit"]

    def strict_decode(arrays, meta) -> tuple[np.ndarray, str]:
        return arrays["values"], meta["units"]  # a key this entry lacks: undecodable, rebuilt

    first = cached(tmp_path, "v", build, key={"a": 1}, encode=encode, decode=decode)
    second = cached(tmp_path, "v", build, key={"a": 1}, encode=encode, decode=decode)
    assert len(calls) == 1 and second[1] == "km" and second[0].tolist() == [1.5, 2.5] == first[0].tolist()
    assert not second[0].flags.writeable
    cached(tmp_path, "v", build, key={"a": 1}, encode=encode, decode=strict_decode)
    assert len(calls) == 2
    with pytest.raises(ValueError, match="__meta__"):
        write_arrays(tmp_path, "w", {"__meta__": np.zeros(1)}, {}, "k")
