"""Read a network into a validated Network: our folder format (CSV + YAML, see
docs/data-format.md), a GMNS folder (:mod:`corridors.io.gmns`) or a GeoPackage
(:mod:`corridors.io.geopackage`), whichever ``path`` is.

All problems are collected and raised together in one :class:`~corridors.errors.DataError`, each
naming the file, line, column, what was found and what is allowed.
"""

from __future__ import annotations

import json
from os import PathLike
from pathlib import Path
from typing import Any

from corridors.errors import DataError, Problem
from corridors.io._tables import TABLES, Geometries, _Collector, _read_csv, check_lonlat, finish, read_specs
from corridors.io.schema import BorderRow, LinkRow, NodeRow, SourceRow
from corridors.model import Network

__all__ = ["is_gmns_folder", "read_folder", "read_network"]


def _region_dirs(root: Path) -> list[Path]:
    dirs = [root] if (root / "nodes.csv").exists() else []
    dirs += sorted(p for p in root.iterdir() if p.is_dir() and (p / "nodes.csv").exists())
    return dirs


def _read_geometries(path: Path, out: _Collector) -> Geometries:
    """Link id -> line of a ``links.geojson``; a feature whose vertices are not lon/lat in range
    is reported (column ``features[k]``, k from 0) and left out."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        result = {}
        for k, feature in enumerate(data["features"]):
            link_id = feature["properties"]["link_id"]
            coords = tuple((float(x), float(y)) for x, y in feature["geometry"]["coordinates"])
            if check_lonlat(coords, path, None, f"features[{k}] (link {link_id})", out):
                result[link_id] = coords
        return result
    except (ValueError, KeyError, TypeError) as exc:  # UnicodeDecodeError is a ValueError
        out.add(path, None, None, f"not a FeatureCollection of LineStrings with link_id: {exc}")
    except OSError as exc:
        out.add(path, None, None, f"cannot read the file: {exc.strerror or exc}")
    return {}


def is_gmns_folder(path: str | PathLike[str]) -> bool:
    """Whether ``path`` is a folder of GMNS tables (``node.csv`` and ``link.csv``, no ``nodes.csv``)."""
    root = Path(path)
    return root.is_dir() and (root / "node.csv").exists() and (root / "link.csv").exists() \
        and not (root / "nodes.csv").exists()


def read_network(path: str | PathLike[str]) -> Network:
    """Read and validate a network: a folder of our format, a GMNS folder, or a GeoPackage.

    Parameters
    ----------
    path
        A folder holding ``atlas.yaml``, ``parameters.yaml``, ``sources.csv`` and either
        ``nodes.csv``/``links.csv``/``borders.csv`` or region sub-folders holding them
        (:func:`read_folder`); a folder holding GMNS ``node.csv`` and ``link.csv``
        (:func:`corridors.io.gmns.read_gmns`); or a ``.gpkg`` file
        (:func:`corridors.io.geopackage.read_geopackage`, needs the ``geo`` extra).

    Returns
    -------
    Network

    Raises
    ------
    DataError
        With every problem found, if any file breaks the schema or a reference dangles.
    """
    root = Path(path)
    if root.is_file() and root.suffix.lower() == ".gpkg":
        from corridors.io.geopackage import read_geopackage

        return read_geopackage(root)
    if is_gmns_folder(root):
        from corridors.io.gmns import read_gmns

        return read_gmns(root)
    return read_folder(root)


def read_folder(path: str | PathLike[str]) -> Network:
    """Read and validate a folder of our own format (see :func:`read_network`)."""
    root = Path(path)
    if not root.is_dir():
        raise DataError([Problem(str(root), None, None,
                                 "not a folder holding a network (nor a GMNS folder, nor a .gpkg file)")])
    out = _Collector(root)
    atlas, params = read_specs(root, out)

    rows: dict[str, list[tuple[str, int, Any]]] = {t: [] for t in TABLES}
    geometries: Geometries = {}
    source_files = [root / "sources.csv"] if (root / "sources.csv").exists() else []
    regions = _region_dirs(root)
    geometry_files = []
    for region in regions:
        if region != root and (region / "sources.csv").exists():
            source_files.append(region / "sources.csv")
        for table, model in (("nodes.csv", NodeRow), ("links.csv", LinkRow), ("borders.csv", BorderRow)):
            file = region / table
            if file.exists():
                rows[table] += [(out.rel(file), line, r) for line, r in _read_csv(file, model, out)]
        geometry_files.append(region / "links.geojson")
    if root not in regions:  # a root file beside region folders is read last and wins
        geometry_files.append(root / "links.geojson")
    link_ids = {r.id for _, _, r in rows["links.csv"]}
    for file in (f for f in geometry_files if f.exists()):
        found = _read_geometries(file, out)
        unknown = sorted(set(found) - link_ids)
        if unknown:
            out.add(file, None, "link_id", f"geometry for unknown link(s): {', '.join(unknown[:5])}")
        geometries.update(found)
    for file in source_files:
        rows["sources.csv"] += [(out.rel(file), line, r) for line, r in _read_csv(file, SourceRow, out)]
    if not rows["nodes.csv"] and not any(p.column for p in out.problems):
        out.add(root, None, None, "no nodes.csv found in the folder or its region sub-folders")
    return finish(out, atlas, params, rows, geometries, root.name)
