"""Route results: frozen records of legs, border crossings and transfers, with exports."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from typing import TYPE_CHECKING, Any

from corridors.model import CargoUnit, Mode, Network, Status, layer_label

if TYPE_CHECKING:  # pragma: no cover - types only
    import geopandas
    import pandas

    from corridors.io.notebook import InlineMap


class TransferKind(str, Enum):
    """What a :class:`TransferStep` is: a change of mode, or a change of rail gauge."""

    TRANSFER = "transfer"
    GAUGE_CHANGE = "gauge_change"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Leg:
    """A run on one mode between two places, over links of one status.

    Figures are per shipment: ``time_h`` is running time plus scheduled waits (border dwell and
    transfers are separate steps); ``cost_usd`` and ``co2e_kg`` are line haul.
    """

    mode: Mode
    from_id: str
    to_id: str
    from_name: str
    to_name: str
    start_km: float
    distance_km: float
    time_h: float
    cost_usd: float
    co2e_kg: float
    countries: tuple[str, ...]
    link_ids: tuple[str, ...]
    status: Status
    opens_year: int | None
    gauge_mm: int | None
    corridors: tuple[str, ...]
    source_ids: tuple[str, ...]
    geometry: tuple[tuple[float, float], ...] = field(repr=False, compare=False)
    """(lon, lat) vertices in travel order: a tuple of pairs, or an (n, 2) array for long legs."""


@dataclass(frozen=True)
class BorderStep:
    """A border crossing on the route: dwell time (typical and p90, hours) and fee (USD)."""

    border_id: str
    name: str
    mode: Mode
    from_country: str
    to_country: str
    at_km: float
    time_h: float
    time_p90_h: float | None
    cost_usd: float
    status: Status
    link_id: str
    source_ids: tuple[str, ...]
    lon: float
    lat: float


@dataclass(frozen=True)
class TransferStep:
    """A transfer between modes, or a change of rail gauge, at a node. The gauges (mm) are those
    of the rail layers on either side; None off rail or where the layer has no gauge."""

    at_id: str
    at_name: str
    kind: TransferKind
    from_mode: Mode
    to_mode: Mode
    from_gauge_mm: int | None
    to_gauge_mm: int | None
    at_km: float
    time_h: float
    cost_usd: float
    co2e_kg: float
    source_ids: tuple[str, ...]
    lon: float
    lat: float

    @property
    def kind_label(self) -> str:
        """``"transfer"``, or ``"gauge change 1520->1435 mm"``."""
        if self.kind is TransferKind.GAUGE_CHANGE:
            return f"gauge change {self.from_gauge_mm}->{self.to_gauge_mm} mm"
        return "transfer"

    @property
    def from_label(self) -> str:
        """The layer transferred from, e.g. ``"rail 1520 mm"`` (see :func:`layer_label`)."""
        return layer_label(self.from_mode, self.from_gauge_mm)

    @property
    def to_label(self) -> str:
        """The layer transferred to, e.g. ``"road"`` (see :func:`layer_label`)."""
        return layer_label(self.to_mode, self.to_gauge_mm)


Step = Leg | BorderStep | TransferStep


def _coordinates(geometry) -> list[list[float]]:
    tolist = getattr(geometry, "tolist", None)
    return tolist() if tolist is not None else [list(p) for p in geometry]


def _shallow(step: Step, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A step's fields as a JSON-ready dict without copying their values (tuples serialise as
    JSON arrays; ``dataclasses.asdict`` would deep-copy every coordinate). Enums become their
    values, and a transfer's kind and layers their display strings (its gauges are in those)."""
    if isinstance(step, TransferStep):
        d = {f.name: getattr(step, f.name) for f in fields(step)
             if f.name not in skip and f.name not in ("from_gauge_mm", "to_gauge_mm")}
        d.update(kind=step.kind_label, from_mode=step.from_label, to_mode=step.to_label)
        return d
    d = {f.name: getattr(step, f.name) for f in fields(step) if f.name not in skip}
    d.update(mode=step.mode.value, status=step.status.value)
    return d


def _step_kind(step: Step) -> str:
    """``"leg"``, ``"border"`` or ``"transfer"``: the ``feature`` of a step in the GeoJSON and frames."""
    return "leg" if isinstance(step, Leg) else "border" if isinstance(step, BorderStep) else "transfer"


def _step_geometry(step: Step) -> dict[str, Any]:
    """A step's GeoJSON geometry: a leg's vertices as a LineString, a border's or transfer's Point."""
    if isinstance(step, Leg):
        return {"type": "LineString", "coordinates": _coordinates(step.geometry)}
    return {"type": "Point", "coordinates": [step.lon, step.lat]}


def step_to_dict(step: Step) -> dict[str, Any]:
    """A step as it appears in :meth:`Route.to_dict`: a leg's places as ``from``/``to``, a
    transfer's as ``at``; no geometry (a leg's vertices, a border's or transfer's lon/lat)."""
    if isinstance(step, Leg):
        d = _shallow(step, ("geometry",))
        d["from"], d["to"] = d.pop("from_name"), d.pop("to_name")
        return d
    d = _shallow(step, ("lon", "lat"))
    if isinstance(step, TransferStep):
        d["at"] = d.pop("at_name")
    return d


@dataclass(frozen=True)
class Route:
    """A route and its figures per shipment of ``cargo``. ``steps`` are in travel order.

    Totals equal the sum over legs, border crossings and transfers.
    """

    origin_id: str
    destination_id: str
    origin_name: str
    destination_name: str
    objective: str
    objective_value: float
    year: int
    cargo: CargoUnit
    steps: tuple[Step, ...]
    snaps_km: tuple[float, float] = (0.0, 0.0)
    month: int | None = None
    """The month of the shipment the route was found for (seasonal links), if one was given."""

    @property
    def legs(self) -> tuple[Leg, ...]:
        return tuple(s for s in self.steps if isinstance(s, Leg))

    @property
    def border_crossings(self) -> tuple[BorderStep, ...]:
        return tuple(s for s in self.steps if isinstance(s, BorderStep))

    @property
    def transfers(self) -> tuple[TransferStep, ...]:
        return tuple(s for s in self.steps if isinstance(s, TransferStep))

    @property
    def distance_km(self) -> float:
        return sum(leg.distance_km for leg in self.legs)

    @property
    def time_h(self) -> float:
        return sum(s.time_h for s in self.steps)

    @property
    def cost_usd(self) -> float:
        return sum(s.cost_usd for s in self.steps)

    @property
    def co2e_kg(self) -> float:
        return sum(s.co2e_kg for s in self.legs) + sum(t.co2e_kg for t in self.transfers)

    @property
    def link_ids(self) -> tuple[str, ...]:
        return tuple(link for leg in self.legs for link in leg.link_ids)

    @property
    def countries(self) -> tuple[str, ...]:
        """Countries the legs run through, each once, in travel order (ISO codes)."""
        return tuple(dict.fromkeys(c for leg in self.legs for c in leg.countries))

    @property
    def corridors(self) -> tuple[str, ...]:
        """Corridor ids of the links used, each once, in travel order."""
        return tuple(dict.fromkeys(c for leg in self.legs for c in leg.corridors))

    @property
    def source_ids(self) -> tuple[str, ...]:
        ids = [sid for s in self.steps for sid in s.source_ids]
        return tuple(dict.fromkeys(ids))

    @property
    def not_yet_built(self) -> tuple[Leg, ...]:
        """Legs over links that are planned or under construction in the data's reference year."""
        return tuple(leg for leg in self.legs if leg.status is not Status.OPERATIONAL)

    def via_summary(self) -> str:
        """Where the route changes mode, gauge or country, in order: tells corridors apart."""
        names = []
        for step in self.steps:
            if isinstance(step, TransferStep):
                names.append(step.at_name.rsplit(",", 1)[0])
            elif isinstance(step, BorderStep):
                names.append(f"{step.from_country}>{step.to_country}")
        return ", ".join(dict.fromkeys(names)) or "-"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the CLI's ``--format json``)."""
        legs = [step_to_dict(leg) for leg in self.legs]
        borders = [step_to_dict(b) for b in self.border_crossings]
        transfers = [step_to_dict(t) for t in self.transfers]
        return {
            "origin": self.origin_name,
            "destination": self.destination_name,
            "objective": self.objective,
            "year": self.year,
            "month": self.month,
            "cargo": {"unit": self.cargo.name, "teu_equivalent": self.cargo.teu_equivalent, "mass_t": self.cargo.mass_t},
            "distance_km": round(self.distance_km, 3),
            "time_h": round(self.time_h, 3),
            "cost_usd": round(self.cost_usd, 2),
            "co2e_kg": round(self.co2e_kg, 3),
            "snap_km": {"origin": round(self.snaps_km[0], 3), "destination": round(self.snaps_km[1], 3)},
            "legs": legs,
            "border_crossings": borders,
            "transfers": transfers,
            "source_ids": list(self.source_ids),
        }

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection: one LineString per leg, one Point per border or transfer."""
        features = []
        for i, leg in enumerate(self.legs):
            props = _shallow(leg, ("geometry",))
            props.update(feature="leg", index=i)
            features.append({"type": "Feature", "geometry": _step_geometry(leg), "properties": props})
        for step in (*self.border_crossings, *self.transfers):
            props = _shallow(step, ("lon", "lat"))
            props["feature"] = _step_kind(step)
            features.append({"type": "Feature", "geometry": _step_geometry(step), "properties": props})
        summary = {k: v for k, v in self.to_dict().items() if k not in ("legs", "border_crossings", "transfers")}
        return {"type": "FeatureCollection", "properties": summary, "features": features}

    def to_frame(self) -> pandas.DataFrame:
        """A pandas DataFrame, one row per step in travel order: ``feature`` (``leg``, ``border``
        or ``transfer``), then the step's fields as in :meth:`to_dict` (``distance_km``,
        ``time_h``, ``cost_usd``, ``co2e_kg``, ``from``/``to`` of a leg, ``at`` of a transfer...);
        cells a kind of step lacks are missing (NaN/None). Needs the ``geo`` extra."""
        from corridors.io.frames import rows_to_frame

        return rows_to_frame(self._step_rows())

    def to_geodataframe(self) -> geopandas.GeoDataFrame:
        """:meth:`to_frame` as a geopandas GeoDataFrame: a LineString of each leg's vertices, a
        Point at each border crossing and transfer, EPSG:4326 (needs the ``geo`` extra)."""
        from corridors.io.frames import rows_to_frame

        return rows_to_frame(self._step_rows(), geometry=[_step_geometry(step) for step in self.steps])

    def _step_rows(self) -> list[dict[str, Any]]:
        return [{"feature": _step_kind(step), **step_to_dict(step)} for step in self.steps]

    def explore(self, *, network: Network | None = None, height_px: int = 460) -> InlineMap:
        """An offline map of the route (Leaflet over country outlines, nothing fetched), over
        ``network`` faded when given; shows itself in a notebook, ``.save(path)`` writes it."""
        from corridors.io._draw import draw_map
        from corridors.io.notebook import route_map
        from corridors.io.to_geojson import network_to_geojson

        summary = (f"{self.distance_km:,.0f} km, {self.time_h:,.0f} h, USD {self.cost_usd:,.0f}, "
                   f"{self.co2e_kg:,.0f} kg CO2e by {self.objective}")
        return route_map(self.to_geojson(), title=f"{self.origin_name} \u2192 {self.destination_name}",
                         subtitle=summary, network=None if network is None else network_to_geojson(network),
                         static=lambda: draw_map(network, self), height_px=height_px)

    def _repr_html_(self) -> str:
        return self.explore()._repr_html_()
