"""A versioned, checksummed disk cache of built world layers.

Each layer is one uncompressed ``NAME.npz`` (its arrays, plus its metadata as JSON in the
``__meta__`` member) and a sidecar ``NAME.json`` holding the cache key and the npz's sha256.
The key joins the corridors version, ``FORMAT_VERSION`` and the caller's parts (source package
versions, build parameters such as the 0.2 km join, data file hashes).

On load the file is used only if the sidecar's key equals the wanted key and the file's sha256
equals the sidecar's; anything else (missing, stale, corrupt, unreadable) is rebuilt, never
trusted. Writes go to a temporary file in the same folder, then ``os.replace``: readers see the
old file or the new one, never half of one. Arrays are memory-mapped read-only, so loading costs
the checksum pass and nothing is paged in until an array is used.

The folder is ``cache_dir`` if given, else ``$CORRIDORS_CACHE``, else ``~/.cache/corridors``;
layers live in its ``world/`` subfolder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zipfile
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from corridors.io._atomic import write_atomic
from corridors.world.layers import BaseLayer

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
"""Bump when the npz layout or the meaning of an array changes."""
_META = "__meta__"


def cache_root(cache_dir: Path | str | None = None) -> Path:
    """The cache folder: ``cache_dir``, else ``$CORRIDORS_CACHE``, else ``~/.cache/corridors``."""
    if cache_dir is not None:
        return Path(cache_dir)
    env = os.environ.get("CORRIDORS_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "corridors"


def cache_key(parts: Mapping[str, object] | None = None) -> str:
    """The version string a cached file must carry: corridors version, format, then ``parts``
    sorted by name.

    >>> cache_key({"join_km": 0.2}).split(";")[1:]
    ['format=1', 'join_km=0.2']
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        own = version("corridors")
    except PackageNotFoundError:  # running from a source tree that is not installed
        own = "unknown"
    items = [f"corridors={own}", f"format={FORMAT_VERSION}"]
    items += [f"{k}={v}" for k, v in sorted((parts or {}).items())]
    return ";".join(items)


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _memmap_npz(path: Path) -> dict[str, np.ndarray]:
    """The members of an uncompressed npz as read-only memory maps (no data read yet)."""
    out: dict[str, np.ndarray] = {}
    with zipfile.ZipFile(path) as archive, open(path, "rb") as f:
        for info in archive.infolist():
            if info.compress_type != zipfile.ZIP_STORED or not info.filename.endswith(".npy"):
                raise ValueError(f"{path}: member {info.filename} is compressed or not .npy")
            f.seek(info.header_offset)
            local = f.read(30)
            if local[:4] != b"PK\x03\x04":
                raise ValueError(f"{path}: bad local header for {info.filename}")
            name_len, extra_len = int.from_bytes(local[26:28], "little"), int.from_bytes(local[28:30], "little")
            f.seek(info.header_offset + 30 + name_len + extra_len)
            major, _ = np.lib.format.read_magic(f)
            read_header = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read_header(f)
            offset = f.tell()
            name = info.filename[:-4]
            if dtype.hasobject:
                raise ValueError(f"{path}: member {name} holds Python objects")
            count = int(np.prod(shape))
            if offset + count * dtype.itemsize > info.header_offset + 30 + name_len + extra_len + info.file_size:
                raise ValueError(f"{path}: member {name} is truncated")
            if count == 0:
                out[name] = np.empty(shape, dtype=dtype)
            else:
                out[name] = np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape,
                                      order="F" if fortran else "C")
    return out


def _read(npz: Path, sidecar: Path, key: str) -> BaseLayer | str:
    """The cached layer, or the reason it cannot be used."""
    if not sidecar.exists() or not npz.exists():
        return "missing"
    try:
        side = json.loads(sidecar.read_text(encoding="utf-8"))
        wanted_key, wanted_sha = side["key"], side["sha256"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return f"unreadable sidecar ({error})"
    if wanted_key != key:
        return f"stale (cached key {wanted_key!r})"
    try:
        if _sha256(npz) != wanted_sha:
            return "corrupt (checksum mismatch)"
        arrays = _memmap_npz(npz)
        meta = json.loads(bytes(np.asarray(arrays.pop(_META))).decode("utf-8"))
        return BaseLayer.from_parts(arrays, meta)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        return f"unreadable ({error})"


def write_layer(layer: BaseLayer, npz: Path, sidecar: Path, key: str) -> None:
    """Write ``layer`` to ``npz`` and its key and checksum to ``sidecar``, each atomically."""
    meta = np.frombuffer(json.dumps(layer.meta(), sort_keys=True).encode("utf-8"), dtype=np.uint8)
    arrays = {name: np.ascontiguousarray(a) for name, a in layer.arrays().items()}
    write_atomic(npz, lambda f: np.savez(f, **arrays, **{_META: meta}))
    record = {"key": key, "sha256": _sha256(npz), "bytes": npz.stat().st_size, "format": FORMAT_VERSION,
              "written_utc": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    write_atomic(sidecar, json.dumps(record, indent=1))


def cached_layer(name: str, build: Callable[[], BaseLayer], *, key: Mapping[str, object] | None = None,
                 cache_dir: Path | str | None = None) -> BaseLayer:
    """The layer ``name`` from the cache if present, current and intact; else ``build()``, cached.

    Parameters
    ----------
    name
        File stem in the cache folder, e.g. ``"rail"``.
    build
        Builds the layer when the cache cannot be used.
    key
        What the layer depends on besides the corridors version and format (source package
        versions, build parameters, data file hashes); any change rebuilds.
    cache_dir
        The cache folder (else ``$CORRIDORS_CACHE``, else ``~/.cache/corridors``).

    Returns
    -------
    BaseLayer
        With memory-mapped read-only arrays when read from the cache. If the cache cannot be
        written (read-only folder, full disk) the freshly built layer is returned and a warning
        logged.
    """
    folder = cache_root(cache_dir) / "world"
    npz, sidecar = folder / f"{name}.npz", folder / f"{name}.json"
    wanted = cache_key(key)
    found = _read(npz, sidecar, wanted)
    if isinstance(found, BaseLayer):
        log.debug("world layer %s: cache hit %s", name, npz)
        return found
    log.info("world layer %s: %s; building", name, found)
    layer = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_layer(layer, npz, sidecar, wanted)
    except OSError as error:
        log.warning("world layer %s: cannot write the cache at %s (%s)", name, folder, error)
    return layer
