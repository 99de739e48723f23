"""Which country a coordinate lies in, offline.

Uses ``timezonefinder``'s OpenStreetMap-derived time-zone polygons (ODbL) and the IANA tz
database's ``zone.tab`` (public domain), shipped as ``data/geo/zone_country.csv``, to map a zone
to its ISO 3166-1 alpha-2 country. Zone polygons include territorial waters, so a point just off
a coast reads as the coastal state; ``Etc/*`` zones (open sea) give ``None``.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files


@cache
def _zone_to_country() -> dict[str, str]:
    path = files("corridors.data").joinpath("geo/zone_country.csv")
    with path.open(encoding="utf-8") as f:
        return {row["zone"]: row["country"] for row in csv.DictReader(f)}


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English short name (IANA ``iso3166.tab``)."""
    path = files("corridors.data").joinpath("geo/countries.csv")
    with path.open(encoding="utf-8") as f:
        return {row["country"]: row["name"] for row in csv.DictReader(f)}


class CountryLocator:
    """Look up the country of WGS84 points. Loading the polygons takes about 0.3 s, once."""

    def __init__(self) -> None:
        from timezonefinder import TimezoneFinder  # heavy: only when a lookup is wanted

        self._finder = TimezoneFinder()
        self._zones = _zone_to_country()

    def country_at(self, lon: float, lat: float) -> str | None:
        """ISO code of the country at (lon, lat), or None at sea or where unknown."""
        zone = self._finder.timezone_at(lng=lon, lat=lat)
        return self._zones.get(zone) if zone else None
