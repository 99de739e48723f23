"""Semantic checks of a network beyond its schema: geography, lengths, sources, connectivity.

:func:`check_network` reports every problem at once; ``corridors data check`` prints them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from corridors.errors import Problem
from corridors.geo import haversine_km
from corridors.model.enums import MODES, Mode, SourceKind, Status
from corridors.model.network import Network

MAX_DETOUR = {Mode.ROAD: 3.0, Mode.RAIL: 3.0, Mode.IWW: 4.0, Mode.FERRY: 3.0, Mode.SEA: 6.0}
"""Length / great-circle ratio above which a link is an error (sea routes round continents).
A data-check threshold chosen for this project (an assumption, not a published figure): the
OSM-routed land links of the atlas run 1.0-1.6x their great circle, so 3x means a typo or a
wrong end, while its searoute sea lanes run up to 2.5x via Suez and 2.8-4.0x via the Cape
(Nhava Sheva - St Petersburg, the longest way round, 3.95x)."""
WARN_DETOUR = {Mode.ROAD: 2.0, Mode.RAIL: 2.0, Mode.IWW: 3.0, Mode.FERRY: 2.0, Mode.SEA: 4.0}
"""Ratio above which a link is only a warning, to look at (an assumption like MAX_DETOUR); the
sea warning sits just above the atlas's longest Cape lane."""
TOLERANCE_KM = 1.0
"""Slack for rounded coordinates when comparing a length with the great circle."""
MIN_CHECKED_KM = 5.0
"""Links whose ends are closer than this are not ratio-checked: a port's road to its terminal
may wind several times its 1-2 km great circle without being wrong."""


@dataclass(frozen=True)
class ModeConnectivity:
    """Connected components of one mode's operational links (undirected)."""

    mode: str
    nodes: int
    links: int
    components: int
    largest: int


@dataclass(frozen=True)
class CheckReport:
    """The outcome of :func:`check_network`."""

    problems: tuple[Problem, ...]
    connectivity: tuple[ModeConnectivity, ...]
    counts: dict[str, int]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors


def _components(edges: list[tuple[str, str]]) -> list[int]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    return sorted(Counter(find(x) for x in parent).values(), reverse=True)


def check_network(
    network: Network, *, locate_countries: bool = True, cited_elsewhere: frozenset[str] = frozenset()
) -> CheckReport:
    """Check coordinates against declared countries, lengths against the great circle, that
    every source is used and every assumption labelled, and summarise connectivity per mode.
    ``cited_elsewhere``: source ids that other data files (e.g. the world layers' rules) cite."""
    problems: list[Problem] = []
    nodes = network.node_by_id

    if locate_countries:
        from corridors.geo import CountryLocator

        locator = CountryLocator()
        for node in network.nodes:
            found = locator.country_at(node.lon, node.lat)
            if found is not None and found != node.country:
                problems.append(Problem(
                    "nodes.csv", None, f"{node.id}.country",
                    f"({node.lat:.4f}, {node.lon:.4f}) lies in {found}, not {node.country}",
                ))

    for link in network.links:
        a, b = nodes[link.from_node], nodes[link.to_node]
        great_circle = float(haversine_km(a.lon, a.lat, b.lon, b.lat))
        where = f"{link.id}.distance_km"
        if link.distance_km + TOLERANCE_KM < great_circle:
            problems.append(Problem("links.csv", None, where,
                                    f"{link.distance_km:g} km is shorter than the great circle ({great_circle:.1f} km)"))
        elif great_circle > MIN_CHECKED_KM and link.distance_km > MAX_DETOUR[link.mode] * great_circle:
            problems.append(Problem("links.csv", None, where,
                                    f"{link.distance_km:g} km is over {MAX_DETOUR[link.mode]:g}x the great circle ({great_circle:.1f} km)"))
        elif great_circle > MIN_CHECKED_KM and link.distance_km > WARN_DETOUR[link.mode] * great_circle:
            problems.append(Problem("links.csv", None, where,
                                    f"{link.distance_km:g} km is {link.distance_km / great_circle:.1f}x the great circle ({great_circle:.1f} km)",
                                    severity="warning"))
        if link.status in (Status.PLANNED, Status.UNDER_CONSTRUCTION) and link.opens_year is None:
            problems.append(Problem("links.csv", None, f"{link.id}.opens_year",
                                    f"{link.status.value} link has no expected opening year: no network year will include it",
                                    severity="warning"))

    used = {sid for row in (*network.nodes, *network.links, *network.borders) for sid in row.source_ids}
    params = network.parameters
    used |= {sid for m in params.modes.values() for sid in m.source_ids}
    used |= {sid for t in params.transfers for sid in t.source_ids}
    used |= {sid for c in params.cargo.values() for sid in c.source_ids}
    used |= set(params.gauge_change_source_ids) | set(params.value_of_time_source_ids)
    used |= set(params.carbon_price_source_ids)
    used |= set(cited_elsewhere)
    for source in network.sources:
        if source.id not in used:
            problems.append(Problem("sources.csv", None, source.id, "source is not referenced by any row", severity="warning"))
        if source.kind is SourceKind.ASSUMPTION and not source.notes:
            problems.append(Problem("sources.csv", None, source.id, "an assumption needs its reasoning in notes"))
        if source.kind is not SourceKind.ASSUMPTION and not source.reference:
            problems.append(Problem("sources.csv", None, source.id, "a published source needs a reference (URL or document)",
                                    severity="warning"))

    for node in network.nodes:
        if node.gauge_change and Mode.RAIL not in {l.mode for l in network.links if node.id in (l.from_node, l.to_node)}:
            problems.append(Problem("nodes.csv", None, f"{node.id}.gauge_change", "gauge change at a node with no rail link"))

    pairs = {frozenset(t.modes) for t in params.transfers}
    for node in network.nodes:
        handled = sorted(node.handles, key=lambda m: m.value)
        for i, m1 in enumerate(handled):
            for m2 in handled[i + 1:]:
                if frozenset((m1, m2)) not in pairs:
                    problems.append(Problem("nodes.csv", None, f"{node.id}.handles",
                                            f"no transfer parameters for {m1.value}-{m2.value}", severity="warning"))

    connectivity = []
    by_mode: dict[Mode, list[tuple[str, str]]] = defaultdict(list)
    for link in network.links:
        if link.status is Status.OPERATIONAL:
            by_mode[link.mode].append((link.from_node, link.to_node))
    for mode in MODES:
        sizes = _components(by_mode[mode])
        connectivity.append(ModeConnectivity(mode.value, sum(sizes), len(by_mode[mode]), len(sizes), sizes[0] if sizes else 0))

    counts = {
        "nodes": len(network.nodes), "links": len(network.links), "border crossings": len({b.id for b in network.borders}),
        "sources": len(network.sources),
        "assumptions": sum(s.kind is SourceKind.ASSUMPTION for s in network.sources),
    }
    return CheckReport(tuple(problems), tuple(connectivity), counts)
