"""Read one matrix of an OMX (Open Matrix) file: HDF5 with square matrices under ``/data`` and
zone numbers under ``/lookup`` (needs h5py: the ``omx`` extra).

Only reading: the matrix's values and the zone of each row and column. What the values mean
(trips, TEU a year) is the caller's business (:func:`corridors.analysis.read_lanes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np

from corridors.errors import DataError, Problem

MAX_ZONES = 5_000
"""Largest matrix read, in zones a side (5,000 x 5,000 floats is 200 MB): a freight model of the
Caspian region has a few hundred zones, so a larger matrix is refused before it is read."""
WHAT = "the OMX file"
"""What an OMX DataError says it found errors in."""


@dataclass(frozen=True)
class OmxMatrix:
    """One OMX matrix: ``values[i, j]`` from zone ``zones[i]`` to zone ``zones[j]``."""

    name: str
    zones: tuple[str, ...]
    values: np.ndarray


def _h5py():
    try:
        import h5py
    except ImportError:
        raise ImportError("OMX files need the 'omx' extra: pip install 'corridors[omx]' (h5py)") from None
    return h5py


def _zone(value) -> str:
    """A zone number as text: ``7``, not ``7.0`` or ``b'7'``."""
    if isinstance(value, bytes):
        return value.decode("utf-8").strip()
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value.item() if isinstance(value, np.generic) else value).strip()


_PLURAL = {"matrix": "matrices", "lookup": "lookups"}


def _problem(label: str, column: str | None, message: str) -> DataError:
    return DataError([Problem(label, None, column, message)], what=WHAT)


def _pick(kind: str, wanted: str | None, available: list[str], label: str) -> str:
    """The one named, or the only one there is; else a DataError listing what there is."""
    if wanted in available or (wanted is None and len(available) == 1):
        return wanted or available[0]
    listed = ", ".join(available) or "none"
    if wanted is not None:
        message = f"no {kind} {wanted!r}; the file has: {listed}"
    elif not available:
        message = f"the file has no {kind}"
    else:
        message = f"the file has several {_PLURAL[kind]} ({listed}): name one"
    raise _problem(label, kind, message)


def read_omx(path: str | PathLike[str], matrix: str | None = None, *, lookup: str | None = None) -> OmxMatrix:
    """Matrix ``matrix`` of the OMX file (the only one if None) with its zones from lookup
    ``lookup`` (the only one if None; 1 to n, the OMX default order, if the file has none).

    Raises
    ------
    DataError
        If the file is not OMX (or /data or /lookup is not a group of datasets), the matrix or
        lookup is not there (naming those that are), the matrix is not square, not numbers or
        over :data:`MAX_ZONES` zones a side, or the lookup's length differs from the matrix's.
    ImportError
        Without h5py.
    """
    h5py = _h5py()
    label = str(path)
    if not Path(path).is_file():
        raise _problem(label, None, "no such OMX file")
    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        raise _problem(label, None, f"not an OMX (HDF5) file: {exc}") from None
    with f:
        if not isinstance(f.get("data"), h5py.Group):
            raise _problem(label, None, "not an OMX file: no /data group")
        name = _pick("matrix", matrix, sorted(f["data"]), label)
        dataset = f["data"][name]
        if not isinstance(dataset, h5py.Dataset):
            raise _problem(label, "matrix", f"/data/{name} is a group, not a matrix")
        shape = dataset.shape
        if len(shape) != 2 or shape[0] != shape[1]:
            raise _problem(label, "matrix", f"matrix {name!r} is {shape}, not square")
        if shape[0] > MAX_ZONES:
            raise _problem(label, "matrix", f"matrix {name!r} has {shape[0]:,} zones; at most {MAX_ZONES:,} "
                                            "are read (aggregate the zones first)")
        if dataset.dtype.kind not in "biuf":
            raise _problem(label, "matrix", f"matrix {name!r} holds {dataset.dtype}, not numbers")
        values = np.asarray(dataset[()], dtype=float)
        group = f.get("lookup")
        if group is not None and not isinstance(group, h5py.Group):
            raise _problem(label, "lookup", "/lookup is a dataset, not a group of lookups")
        lookups = sorted(group) if group is not None else []
        if lookup is None and not lookups:
            zones = tuple(str(i) for i in range(1, len(values) + 1))
        else:
            table = _pick("lookup", lookup, lookups, label)
            found = group[table]
            if not isinstance(found, h5py.Dataset) or found.ndim != 1:
                raise _problem(label, "lookup", f"lookup {table!r} is not a list of zones")
            zones = tuple(_zone(z) for z in found[()])
            if len(zones) != len(values):
                raise _problem(label, "lookup", f"lookup {table!r} has {len(zones)} zones, "
                                                f"matrix {name!r} {len(values)} rows")
    return OmxMatrix(name, zones, values)
