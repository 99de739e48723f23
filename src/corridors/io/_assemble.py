"""Turn validated rows into a Network, checking what no single row can: uniqueness and references."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corridors.errors import Problem
from corridors.io.schema import AtlasSpec, BorderRow, LinkRow, NodeRow, ParametersSpec
from corridors.model import (
    BorderCrossing,
    CargoUnit,
    Link,
    Mode,
    ModeParameters,
    Network,
    Node,
    Parameters,
    Source,
    TransferParameters,
)

Rows = Mapping[str, list[tuple[str, int, Any]]]
LAND_MODES = (Mode.ROAD, Mode.RAIL)


def _parameters(spec: ParametersSpec) -> Parameters:
    """The model's parameters; a network without rail links may leave the gauge change out (no
    gauge change is ever costed then, so its figures are zero)."""
    gauge = spec.gauge_change
    return Parameters(
        modes={
            mode: ModeParameters(m.speed_kmh, m.cost_usd_per_teu_km, m.co2e_g_per_tkm, tuple(m.source_ids))
            for mode, m in spec.modes.items()
        },
        transfers=tuple(
            TransferParameters(frozenset(t.modes), t.time_h, t.cost_usd_per_teu, t.co2e_kg_per_teu, tuple(t.source_ids))
            for t in spec.transfers
        ),
        gauge_change_time_h=gauge.time_h if gauge else 0.0,
        gauge_change_cost_usd_per_teu=gauge.cost_usd_per_teu if gauge else 0.0,
        gauge_change_source_ids=tuple(gauge.source_ids) if gauge else (),
        value_of_time_usd_per_teu_h=spec.value_of_time_usd_per_teu_h,
        value_of_time_source_ids=tuple(spec.value_of_time_source_ids),
        carbon_price_source_ids=tuple(spec.carbon_price_source_ids),
        carbon_price_usd_per_t=spec.carbon_price_usd_per_t,
        cargo={
            name: CargoUnit(name, c.teu_equivalent, c.mass_t, c.description, tuple(c.source_ids))
            for name, c in spec.cargo.items()
        },
    )


def node_from_row(r: NodeRow) -> Node:
    """A Node from a validated nodes.csv row."""
    return Node(
        id=r.id, name=r.name, lon=r.lon, lat=r.lat, country=r.country, kind=r.kind,
        aliases=r.aliases, handles=frozenset(r.handles), gauge_change=r.gauge_change,
        gauge_change_time_h=r.gauge_change_time_h, gauge_change_cost_usd=r.gauge_change_cost_usd,
        source_ids=r.source_ids, notes=r.notes,
    )


def link_from_row(r: LinkRow) -> Link:
    """A Link from a validated links.csv row."""
    return Link(
        id=r.id, from_node=r.from_, to_node=r.to, mode=r.mode, distance_km=r.distance_km,
        status=r.status, length_source=r.length_source, gauges_mm=r.gauge_mm,
        speed_kmh=r.speed_kmh, time_h=r.time_h, wait_h=r.wait_h or 0.0,
        cost_usd_per_teu=r.cost_usd_per_teu, oneway=r.oneway, opens_year=r.opens_year,
        border=r.border, via_countries=r.via_countries, corridors=r.corridors,
        capacity_t_per_year=r.capacity_t_per_year, open_months=r.open_months, source_ids=r.source_ids, notes=r.notes,
    )


def border_from_row(r: BorderRow) -> BorderCrossing:
    """A BorderCrossing from a validated borders.csv row."""
    return BorderCrossing(
        id=r.id, name=r.name, country_a=r.country_a, country_b=r.country_b, mode=r.mode,
        status=r.status, dwell_h=r.dwell_h, fee_usd=r.fee_usd, dwell_p90_h=r.dwell_p90_h,
        opens_year=r.opens_year, source_ids=r.source_ids, notes=r.notes,
    )


def _parameter_source_ids(spec: ParametersSpec) -> list[tuple[str, list[str]]]:
    refs = [(f"modes.{m.value}.source_ids", p.source_ids) for m, p in spec.modes.items()]
    refs += [(f"transfers[{i}].source_ids", t.source_ids) for i, t in enumerate(spec.transfers)]
    refs += [("gauge_change.source_ids", spec.gauge_change.source_ids)] if spec.gauge_change else []
    refs += [("value_of_time_source_ids", spec.value_of_time_source_ids)]
    refs += [("carbon_price_source_ids", spec.carbon_price_source_ids)]
    refs += [(f"cargo.{name}.source_ids", c.source_ids) for name, c in spec.cargo.items()]
    return refs


def _missing_parameters(params: ParametersSpec, links: Mapping[str, tuple[str, int, LinkRow]]) -> list[Problem]:
    """Defaults the links need that parameters.yaml lacks: those of every mode they use (and
    only those), and the gauge change if any is rail."""
    first_use: dict[Mode, tuple[str, int]] = {}
    for file, line, row in links.values():
        first_use.setdefault(row.mode, (file, line))
    problems = [
        Problem("parameters.yaml", None, f"modes.{mode.value}",
                f"no defaults for mode {mode.value!r}, which links use (first at {file}:{line}); "
                "give its speed_kmh, cost_usd_per_teu_km, co2e_g_per_tkm and source_ids")
        for mode, (file, line) in first_use.items() if mode not in params.modes
    ]
    if Mode.RAIL in first_use and params.gauge_change is None:
        file, line = first_use[Mode.RAIL]
        problems.append(Problem("parameters.yaml", None, "gauge_change",
                                f"the network has rail links (first at {file}:{line}): give the default gauge "
                                "change's time_h, cost_usd_per_teu and source_ids"))
    return problems


def build_network(
    atlas: AtlasSpec | None,
    params: ParametersSpec | None,
    rows: Rows,
    geometries: Mapping[str, tuple[tuple[float, float], ...]],
    default_name: str,
    *,
    invalid_ids: set[str] = frozenset(),
) -> tuple[Network | None, list[Problem]]:
    """Assemble rows into a Network; returns it (None if unusable) and the problems found.

    ``invalid_ids`` are ids of rows already reported as broken: references to them are not
    reported again as unknown."""
    problems: list[Problem] = []

    def unique(table: str, key) -> dict:
        seen: dict = {}
        for file, line, row in rows[table]:
            k = key(row)
            if k in seen:
                first = seen[k]
                problems.append(Problem(file, line, "id", f"duplicate id {k!r} (first at {first[0]}:{first[1]})"))
            else:
                seen[k] = (file, line, row)
        return seen

    sources = unique("sources.csv", lambda r: r.id)
    nodes = unique("nodes.csv", lambda r: r.id)
    links = unique("links.csv", lambda r: r.id)
    borders = unique("borders.csv", lambda r: (r.id, r.mode))

    def check_sources(file: str, line: int | None, ids) -> None:
        for sid in ids:
            if sid not in sources:
                problems.append(Problem(file, line, "source_ids", f"unknown source {sid!r}; add it to a sources.csv"))

    border_countries: dict[str, tuple[str, frozenset[str]]] = {}
    for (bid, _mode), (file, line, row) in borders.items():
        check_sources(file, line, row.source_ids)
        pair = frozenset((row.country_a, row.country_b))
        if row.country_a == row.country_b:
            problems.append(Problem(file, line, "country_b", f"a border needs two countries (both are {row.country_a})"))
        if bid in border_countries and border_countries[bid][1] != pair:
            problems.append(Problem(file, line, "country_a", f"rows of border {bid!r} disagree on its countries"))
        border_countries.setdefault(bid, (row.name, pair))

    for file, line, row in nodes.values():
        check_sources(file, line, row.source_ids)

    for file, line, row in links.values():
        check_sources(file, line, row.source_ids)
        ends = []
        for column, ref in (("from", row.from_), ("to", row.to)):
            if ref in invalid_ids:
                continue
            if ref not in nodes:
                problems.append(Problem(file, line, column, f"unknown node {ref!r}"))
            else:
                ends.append(nodes[ref][2].country)
        if row.from_ == row.to:
            problems.append(Problem(file, line, "to", "a link must join two different nodes"))
        if row.mode is Mode.RAIL and not row.gauge_mm:
            problems.append(Problem(file, line, "gauge_mm", "a rail link needs its gauge (1520, 1435, or 1435;1520)"))
        if row.mode is not Mode.RAIL and row.gauge_mm:
            problems.append(Problem(file, line, "gauge_mm", f"only rail links have a gauge (mode is {row.mode})"))
        crosses = len(ends) == 2 and ends[0] != ends[1]
        if row.border:
            if row.border in invalid_ids:
                pass
            elif (row.border, row.mode) not in borders:
                problems.append(Problem(file, line, "border", f"no {row.mode} row for border {row.border!r} in any borders.csv"))
            elif len(ends) == 2 and crosses and frozenset(ends) != border_countries[row.border][1]:
                problems.append(Problem(
                    file, line, "border",
                    f"border {row.border!r} is between {'-'.join(sorted(border_countries[row.border][1]))} "
                    f"but the link joins {ends[0]}-{ends[1]}",
                ))
        elif crosses and row.mode in LAND_MODES:
            problems.append(Problem(
                file, line, "border",
                f"the {row.mode} link joins {ends[0]} and {ends[1]}: name its border crossing",
            ))

    if params is not None:
        problems += _missing_parameters(params, links)
        for where, ids in _parameter_source_ids(params):
            if not ids:
                problems.append(Problem("parameters.yaml", None, where, "no source given"))
            check_sources("parameters.yaml", None, ids)

    if atlas is None or params is None or problems:
        return None, problems

    network = Network(
        name=atlas.name or default_name,
        as_of_year=atlas.as_of_year,
        version=atlas.version,
        nodes=tuple(node_from_row(r) for _, _, r in nodes.values()),
        links=tuple(link_from_row(r) for _, _, r in links.values()),
        borders=tuple(border_from_row(r) for _, _, r in borders.values()),
        sources=tuple(
            Source(r.id, r.kind, r.title, r.publisher, r.date, r.reference, r.notes)
            for _, _, r in sources.values()
        ),
        parameters=_parameters(params),
        geometries=geometries,
    )
    return network, problems
