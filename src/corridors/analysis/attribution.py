"""Attribute a route's tonne-km and revenue to the countries it crosses.

A link inside one country counts there in full; a link touching several countries (a border
link, or one with ``via_countries``) is split evenly among them, an approximation stated in
reports. Revenue is line-haul cost plus border fees (split between the two sides) plus transfers
(to the country of the node where they happen), per shipment, in USD.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from corridors.costs import edge_costs
from corridors.graph import MultimodalGraph
from corridors.routing.result import BorderStep, Route, TransferStep


@dataclass(frozen=True)
class CountryShare:
    """What one route does in one country, per shipment."""

    country: str
    tonne_km: float
    revenue_usd: float
    transit: bool


def country_shares(route: Route, graph: MultimodalGraph) -> dict[str, CountryShare]:
    """Tonne-km and revenue by country for ``route`` on ``graph``'s network."""
    net = graph.network
    tkm: dict[str, float] = defaultdict(float)
    usd: dict[str, float] = defaultdict(float)
    mass, teu = route.cargo.mass_t, route.cargo.teu_equivalent
    run_cost_usd = edge_costs(graph).run_cost_usd
    for leg in route.legs:
        for link_id in leg.link_ids:
            link = net.link_by_id[link_id]
            edge = graph.link_edges(link_id)[0]
            countries = net.link_countries(link)
            for country in countries:
                tkm[country] += link.distance_km * mass / len(countries)
                usd[country] += float(run_cost_usd[edge]) * teu / len(countries)
    for step in route.steps:
        if isinstance(step, BorderStep):
            for country in (step.from_country, step.to_country):
                usd[country] += step.cost_usd / 2
        elif isinstance(step, TransferStep):
            usd[net.node_by_id[step.at_id].country] += step.cost_usd
    ends = {net.node_by_id[route.origin_id].country, net.node_by_id[route.destination_id].country}
    return {c: CountryShare(c, tkm.get(c, 0.0), usd.get(c, 0.0), c not in ends) for c in set(tkm) | set(usd)}
