"""A versioned, checksummed disk cache of anything slow to build, written atomically.

An entry is named ``NAME`` inside a cache folder and holds either

- arrays: one uncompressed ``NAME.npz`` of named numpy arrays, with JSON metadata in its
  ``__meta__`` member, read back as read-only memory maps (loading costs the checksum pass;
  nothing is paged in until an array is used); or
- a folder ``NAME/`` of files that some engine writes and reads itself (a routing
  preprocessing, say): the cache only checks and places it.

Beside each entry a sidecar ``NAME.json`` records its key, its sha256 (of the npz; of a
folder's file names and contents), its size and when it was written. The key joins the
corridors version, ``FORMAT_VERSION`` and the caller's parts (source package versions, build
parameters, data file hashes). An entry is used only if its sidecar's key equals the wanted key
and its checksum equals the sidecar's; anything else (missing, stale, corrupt, unreadable) is
rebuilt, never trusted.

Writes never expose half an entry: an npz goes to a temporary file renamed over the old one, a
folder is filled under a temporary ``NAME.<random>.tmp/`` of its own and renamed into place,
and the sidecar is written last, atomically, so a reader finds a complete entry with its
checksum or one that fails the check.
:func:`prune` keeps the newest few entries of a kind. The cache knows nothing of what it holds:
callers encode their objects to arrays and metadata, or write their folders, themselves.

The root folder is ``cache_dir`` if given, else ``$CORRIDORS_CACHE``, else ``~/.cache/corridors``.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
import zipfile
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from corridors.io._atomic import write_atomic

log = logging.getLogger(__name__)

T = TypeVar("T")
Arrays = Mapping[str, np.ndarray]
Meta = Mapping[str, Any]

FORMAT_VERSION = 1
"""Bump when the npz layout or the sidecar's meaning changes."""
_META = "__meta__"
_TMP = ".tmp"
STALE_TMP_S = 3600.0
"""A temporary folder untouched this long (s) was left by a writer that crashed: prune deletes it."""


def cache_root(cache_dir: Path | str | None = None) -> Path:
    """The cache folder: ``cache_dir``, else ``$CORRIDORS_CACHE``, else ``~/.cache/corridors``."""
    if cache_dir is not None:
        return Path(cache_dir)
    env = os.environ.get("CORRIDORS_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "corridors"


def cache_key(parts: Mapping[str, object] | None = None) -> str:
    """The version string a cached entry must carry: corridors version, format, then ``parts``
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


def _sidecar(folder: Path, name: str) -> Path:
    return folder / f"{name}.json"


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _folder_sha256(path: Path) -> str:
    """sha256 over the relative name and bytes of every file under ``path``, in name order."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode())
        with open(file, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _write_sidecar(folder: Path, name: str, key: str, sha256: str, size_bytes: int) -> None:
    record = {"key": key, "sha256": sha256, "bytes": size_bytes, "format": FORMAT_VERSION,
              "written_utc": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    write_atomic(_sidecar(folder, name), json.dumps(record, indent=1))


def _check(payload: Path, folder: Path, name: str, key: str, sha256: Callable[[Path], str]) -> str | None:
    """Why the entry at ``payload`` cannot be used, or None when its key and checksum match."""
    sidecar = _sidecar(folder, name)
    if not sidecar.exists() or not payload.exists():
        return "missing"
    try:
        side = json.loads(sidecar.read_text(encoding="utf-8"))
        wanted_key, wanted_sha = side["key"], side["sha256"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return f"unreadable sidecar ({error})"
    if wanted_key != key:
        return f"stale (cached key {wanted_key!r})"
    try:
        if sha256(payload) != wanted_sha:
            return "corrupt (checksum mismatch)"
    except OSError as error:
        return f"unreadable ({error})"
    return None


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


def read_arrays(folder: Path, name: str, key: str) -> tuple[dict[str, np.ndarray], dict[str, Any]] | str:
    """The arrays (read-only memory maps) and metadata of entry ``name`` if current and intact,
    else the reason it cannot be used."""
    npz = folder / f"{name}.npz"
    reason = _check(npz, folder, name, key, _file_sha256)
    if reason is not None:
        return reason
    try:
        arrays = _memmap_npz(npz)
        meta = json.loads(bytes(np.asarray(arrays.pop(_META))).decode("utf-8"))
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        return f"unreadable ({error})"
    return arrays, meta


def write_arrays(folder: Path, name: str, arrays: Arrays, meta: Meta, key: str) -> None:
    """Write ``arrays`` and the JSON-serialisable ``meta`` as entry ``name``, then its sidecar,
    each atomically."""
    if _META in arrays:
        raise ValueError(f"an array may not be named {_META!r}")
    npz = folder / f"{name}.npz"
    encoded = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    contiguous = {k: np.ascontiguousarray(a) for k, a in arrays.items()}
    write_atomic(npz, lambda f: np.savez(f, **contiguous, **{_META: encoded}))
    _write_sidecar(folder, name, key, _file_sha256(npz), npz.stat().st_size)


def cached(
    folder: Path, name: str, build: Callable[[], T], *, key: Mapping[str, object] | None = None,
    encode: Callable[[T], tuple[Arrays, Meta]], decode: Callable[[dict[str, np.ndarray], dict[str, Any]], T],
) -> T:
    """``decode`` of entry ``name`` in ``folder`` if present, current and intact; else ``build()``,
    stored through ``encode``.

    Parameters
    ----------
    folder
        The folder of the entry, e.g. ``cache_root(cache_dir) / "world"``.
    name
        File stem of the entry, e.g. ``"rail"``.
    build
        Builds the value when the cache cannot be used.
    key
        What the value depends on besides the corridors version and format; any change rebuilds.
    encode, decode
        The value to ``(arrays, JSON-serialisable metadata)`` and back. ``decode`` gets read-only
        memory maps; a ``KeyError``, ``TypeError`` or ``ValueError`` it raises counts as an
        unreadable entry.

    Returns
    -------
    The decoded entry, or the freshly built value. If the cache cannot be written (read-only
    folder, full disk) the built value is returned and a warning logged.
    """
    wanted = cache_key(key)
    found = read_arrays(folder, name, wanted)
    if not isinstance(found, str):
        try:
            value = decode(*found)
        except (KeyError, TypeError, ValueError) as error:
            found = f"undecodable ({error!r})"
        else:
            log.debug("cache entry %s: hit in %s", name, folder)
            return value
    log.info("cache entry %s: %s; building", name, found)
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_arrays(folder, name, *encode(value), wanted)
    except OSError as error:
        log.warning("cache entry %s: cannot write the cache at %s (%s)", name, folder, error)
    return value


def read_folder(folder: Path, name: str, key: str) -> Path | str:
    """The folder entry ``name`` if current and intact, else the reason it cannot be used."""
    path = folder / name
    reason = _check(path, folder, name, key, _folder_sha256)
    return path if reason is None else reason


def write_folder(folder: Path, name: str, fill: Callable[[Path], object], key: str) -> Path:
    """Entry ``name`` as the folder that ``fill(path)`` writes its files into: filled under a
    temporary folder of this writer's own (two processes building the same entry never share
    one), renamed into place when complete, then checksummed in its sidecar. On any error the
    temporary folder is removed and the error raised. Returns the entry's path."""
    path, tmp = folder / name, folder / f"{name}.{uuid.uuid4().hex}{_TMP}"
    try:
        tmp.mkdir(parents=True)
        fill(tmp)
        _sidecar(folder, name).unlink(missing_ok=True)
        shutil.rmtree(path, ignore_errors=True)
        tmp.rename(path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    size_bytes = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    _write_sidecar(folder, name, key, _folder_sha256(path), size_bytes)
    return path


def _mtime(path: Path) -> float:
    """When ``path`` was last written; ``inf`` (newest: left alone) if another process removed it."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")


def prune(folder: Path, pattern: str, keep: int) -> list[str]:
    """Delete all but the ``keep`` most recently written entries whose names match the glob
    ``pattern`` (``"cch-*"``), each with every ``NAME.*`` file beside it (its sidecar); entries
    being written (``*.tmp``) are left alone unless older than :data:`STALE_TMP_S`. Returns the
    names deleted, newest first."""
    for tmp in folder.glob(f"{pattern}{_TMP}"):
        if tmp.is_dir() and time.time() - _mtime(tmp) > STALE_TMP_S:
            shutil.rmtree(tmp, ignore_errors=True)
    entries = [p for p in folder.glob(pattern)
               if not p.name.endswith(_TMP) and (p.is_dir() or p.suffix == ".npz")]
    entries.sort(key=_mtime, reverse=True)
    deleted = []
    for old in entries[keep:]:
        name = old.name if old.is_dir() else old.stem
        for file in folder.glob(f"{glob.escape(name)}.*"):
            if not file.name.endswith(_TMP) and file.is_file():
                file.unlink(missing_ok=True)
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        deleted.append(name)
    return deleted
