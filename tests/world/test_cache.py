"""The world layer disk cache: hit, miss, stale and corrupt files rebuilt, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from corridors.io.disk_cache import cache_key, cache_root
from corridors.world.layers import BaseLayer, cached_layer, layer_from_marnet


class NoCountry:
    def country_at(self, lon: float, lat: float) -> None:
        return None


def make_layer() -> BaseLayer:
    fc = {"features": [{"geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 0], [1, 1]]}}]}
    return layer_from_marnet(fc, locator=NoCountry(), source="tiny")


class Builder:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> BaseLayer:
        self.calls += 1
        return make_layer()


def same(a: BaseLayer, b: BaseLayer) -> bool:
    arrays_a, arrays_b = a.arrays(), b.arrays()
    return arrays_a.keys() == arrays_b.keys() and all(np.array_equal(arrays_a[k], arrays_b[k]) for k in arrays_a) \
        and a.meta() == b.meta()


def test_miss_then_hit(tmp_path: Path) -> None:
    build = Builder()
    first = cached_layer("sea", build, key={"v": 1}, cache_dir=tmp_path)
    second = cached_layer("sea", build, key={"v": 1}, cache_dir=tmp_path)
    assert build.calls == 1
    assert same(first, second)
    assert isinstance(second.head, np.memmap) and not second.head.flags.writeable
    assert sorted(p.name for p in (tmp_path / "world").iterdir()) == ["sea.json", "sea.npz"]  # no temp left
    side = json.loads((tmp_path / "world" / "sea.json").read_text())
    assert side["key"] == cache_key({"v": 1}) and len(side["sha256"]) == 64
    assert side["key"].split(";")[1:] == ["format=1", "v=1"]  # the format and the caller's parts, spelled out


def test_stale_key_rebuilds(tmp_path: Path) -> None:
    build = Builder()
    cached_layer("sea", build, key={"join_km": 0.2}, cache_dir=tmp_path)
    cached_layer("sea", build, key={"join_km": 0.3}, cache_dir=tmp_path)
    cached_layer("sea", build, key={"join_km": 0.3}, cache_dir=tmp_path)
    assert build.calls == 2


@pytest.mark.parametrize("damage", ["flip_byte", "truncate", "garbage", "delete_npz", "bad_sidecar", "delete_sidecar"])
def test_corrupt_files_are_rebuilt_not_trusted(tmp_path: Path, damage: str) -> None:
    build = Builder()
    cached_layer("sea", build, cache_dir=tmp_path)
    npz, sidecar = tmp_path / "world" / "sea.npz", tmp_path / "world" / "sea.json"
    data = bytearray(npz.read_bytes())
    if damage == "flip_byte":
        data[-200] ^= 0xFF  # inside the last array, structure intact
        npz.write_bytes(bytes(data))
    elif damage == "truncate":
        npz.write_bytes(bytes(data[: len(data) // 2]))
    elif damage == "garbage":
        npz.write_bytes(b"not a zip file")
    elif damage == "delete_npz":
        npz.unlink()
    elif damage == "bad_sidecar":
        sidecar.write_text("{")
    else:
        sidecar.unlink()
    layer = cached_layer("sea", build, cache_dir=tmp_path)
    assert build.calls == 2
    assert same(layer, make_layer())
    again = cached_layer("sea", build, cache_dir=tmp_path)  # the rebuilt file is good again
    assert build.calls == 2 and same(again, layer)


def test_checksum_matching_but_unreadable_file_is_rebuilt(tmp_path: Path) -> None:
    """A file whose sidecar was rewritten to match (so only parsing can catch it)."""
    build = Builder()
    cached_layer("sea", build, cache_dir=tmp_path)
    npz, sidecar = tmp_path / "world" / "sea.npz", tmp_path / "world" / "sea.json"
    npz.write_bytes(b"PK\x03\x04 broken")
    import hashlib

    side = json.loads(sidecar.read_text())
    side["sha256"] = hashlib.sha256(npz.read_bytes()).hexdigest()
    sidecar.write_text(json.dumps(side))
    cached_layer("sea", build, cache_dir=tmp_path)
    assert build.calls == 2


def test_cache_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE", str(tmp_path / "env"))
    assert cache_root() == tmp_path / "env"
    cached_layer("sea", Builder())
    assert (tmp_path / "env" / "world" / "sea.npz").exists()
    monkeypatch.delenv("CORRIDORS_CACHE")
    assert cache_root() == Path.home() / ".cache" / "corridors"
    assert cache_root(tmp_path) == tmp_path


def test_unwritable_cache_path_still_returns_the_layer(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    layer = cached_layer("sea", Builder(), cache_dir=blocker)
    assert layer.n_nodes == 3


def test_loaders_use_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("searoute")
    from corridors.world import layers

    calls = []
    monkeypatch.setattr(layers, "build_sea", lambda: calls.append(1) or make_layer())
    first = layers.load_sea(cache_dir=tmp_path)
    second = layers.load_sea(cache_dir=tmp_path)
    assert len(calls) == 1 and same(first, second)
    key = json.loads((tmp_path / "world" / "sea.json").read_text())["key"]
    assert "searoute=" in key and "chokepoints=" in key and "format=" in key
