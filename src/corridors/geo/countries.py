"""Which country a coordinate lies in, offline.

Uses ``timezonefinder``'s OpenStreetMap-derived time-zone polygons (ODbL) and the IANA tz
database's ``zone.tab`` (public domain), shipped as ``data/geo/zone_country.csv``, to map a zone
to its ISO 3166-1 alpha-2 country. Zone polygons include territorial waters, so a point just off
a coast reads as the coastal state; ``Etc/*`` zones (open sea) give ``None``.
"""

from __future__ import annotations

import csv
import difflib
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


def closest_countries(text: str, *, limit: int = 4) -> list[str]:
    """ISO codes nearest to ``text``, best first: by name for a name (a name it begins or
    begins with, then by spelling), by code for up to three letters (an alpha-3 code's first two
    letters, then by spelling).

    >>> closest_countries("Iran"), closest_countries("kazakstan"), closest_countries("RUS")[0]
    (['IR', 'IQ'], ['KZ'], 'RU')
    """
    names = country_names()
    wanted = text.strip().casefold()
    if len(wanted) > 3:
        by_name = {name.casefold(): code for code, name in names.items()}
        found = [code for name, code in by_name.items() if name.startswith(wanted) or wanted.startswith(name)]
        found += [by_name[n] for n in difflib.get_close_matches(wanted, by_name, n=limit, cutoff=0.75)]
    else:
        code = wanted.upper()
        found = [code[:2]] if len(code) == 3 and code[:2] in names else []
        found += difflib.get_close_matches(code, names, n=limit, cutoff=0.5)
    return list(dict.fromkeys(found))[:limit]


def country_code_problem(code: str) -> str | None:
    """``None`` if ``code`` is an ISO 3166-1 alpha-2 code (upper case), else the message saying
    so, with the closest codes: the one check of countries in options, policies and rules.

    >>> country_code_problem("AZ") is None
    True
    >>> country_code_problem("IRAN")
    "'IRAN' is not a country code (ISO 3166-1 alpha-2, e.g. 'AZ'); did you mean: IR (Iran), IQ (Iraq)?"
    """
    if code in country_names():
        return None
    message = f"{code!r} is not a country code (ISO 3166-1 alpha-2, e.g. 'AZ')"
    if near := closest_countries(code):
        message += "; did you mean: " + ", ".join(f"{c} ({country_names()[c]})" for c in near) + "?"
    return message
