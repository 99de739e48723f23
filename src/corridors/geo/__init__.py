"""Geodesy and geography helpers: great-circle distances and which country a point lies in."""

from corridors.geo.countries import CountryLocator, country_names
from corridors.geo.distance import EARTH_RADIUS_KM, haversine_km

__all__ = ["EARTH_RADIUS_KM", "CountryLocator", "country_names", "haversine_km"]
