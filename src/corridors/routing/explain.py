"""Say why no route exists: relax each rule in turn and name what the relaxed route breaks."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np


from corridors.graph import MultimodalGraph
from corridors.model import Status
from corridors.model.seasons import describe

if TYPE_CHECKING:
    from corridors.routing.prepare import PreparedRoute
    from corridors.routing.query import PreparedQuery

RULE_NAMES = {
    "year": "links and borders that are closed or not open in the network year",
    "modes": "the allowed modes",
    "countries": "the avoided countries",
    "avoid": "the avoided places, links or borders",
}


def _element_status(graph: MultimodalGraph, edge: int, year: int) -> str | None:
    """Why an edge is unusable in ``year``, naming the link or border responsible."""
    net = graph.network
    link = net.links[graph.link[edge]]
    elements = [(f"link {link.id} ({link.mode})", link.status, link.opens_year)]
    if graph.border[edge] >= 0:
        b = net.borders[graph.border[edge]]
        elements.append((f"border crossing {b.name} ({b.country_a}-{b.country_b} {b.mode})", b.status, b.opens_year))
    parts = []
    kinds = {"link": link.id}
    if graph.border[edge] >= 0:
        kinds["border"] = net.borders[graph.border[edge]].id
    for (what, status, opens), (kind, element_id) in zip(elements, kinds.items()):
        changed = [c for c in net.changes_to(kind, element_id) if c.field in ("status", "opens_year")]
        why = f" by scenario {changed[-1].scenario} ({changed[-1].where})" if changed else ""
        if status in (Status.CLOSED, Status.DISPUTED):
            parts.append(f"{what} is {status.value}{why}")
        elif status in (Status.PLANNED, Status.UNDER_CONSTRUCTION):
            if not opens:
                parts.append(f"{what} is {status.value.replace('_', ' ')} with no opening year{why}")
            elif opens > year:
                parts.append(f"{what} is {status.value.replace('_', ' ')}, expected {opens}{why}")
        elif opens and opens > year:
            parts.append(f"{what} opened only in {opens}{why}")
    return "; ".join(parts) or None


def _violations(query: PreparedRoute, rule: str, edges) -> list[str]:
    """What the relaxed path ``edges`` does that ``rule`` forbids, one phrase per element or group."""
    graph = query.graph
    found: list[str] = []
    groups: dict[str, list[str]] = {}
    for e in edges:
        if query.query.masks[rule][e] or graph.link[e] < 0:
            continue
        link = graph.network.links[graph.link[e]]
        if rule == "year":
            text = _element_status(graph, e, query.year)
            if text and text not in found:
                found.append(text)
        elif rule == "season":
            groups.setdefault(f"links navigable {describe(link.open_months)} only", []).append(link.id)
        elif rule == "modes":
            groups.setdefault(f"{link.mode} links", []).append(link.id)
        elif rule == "countries":
            for country in graph.network.link_countries(link):
                if country in query.options.avoid_countries:
                    groups.setdefault(f"links in {country}", []).append(link.id)
        elif rule.startswith("policy:"):
            groups.setdefault("links it forbids", []).append(link.id)
        else:
            groups.setdefault("avoided links", []).append(link.id)
    for what, ids in groups.items():
        ids = list(dict.fromkeys(ids))
        shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        noun = what if len(ids) > 1 else what.replace("links", "link", 1)
        found.append(f"{len(ids)} {noun} ({shown})")
    return found


def _rule_name(query: PreparedRoute, rule: str) -> str:
    if rule.startswith("policy:"):
        name = rule.split(":", 1)[1]
        source = next((r.source for r in query.options.rules if r.name == name), "")
        return f"the policy {name!r}" + (f" ({source})" if source else "")
    if rule == "season":
        return f"links out of season in {calendar.month_name[query.options.month]}"
    return RULE_NAMES[rule]


def explain_blocked(query: PreparedQuery, rule_name: Callable[[str], str], uses: Callable[[str, np.ndarray], list[str]],
                    *, apart: str) -> list[str]:
    """Reasons, one per blocking rule, that ``query`` has no path: each rule whose relaxation
    alone yields a path, with what that path does against the rule (``uses(rule, edges)``, one
    phrase per element or group); else what the path ignoring every rule needs; else ``apart``
    (the places are not joined at all). Shared by the atlas and world routers."""
    rules = list(query.masks)
    reasons = [
        f"blocked by {rule_name(rule)}; the best path ignoring that uses: " + "; ".join(uses(rule, found[1])[:6])
        for rule, found in query.blocking_rules()
    ]
    if reasons:
        return reasons
    found = query.relax(*rules).path()
    if found is not None:
        parts = [f"{rule_name(rule)}: " + "; ".join(used[:4]) for rule in rules if (used := uses(rule, found[1]))]
        return ["no single rule is to blame; together they block every path. The best path without them needs: "
                + " | ".join(parts)]
    if query.waypoints:
        return ["the places cannot be joined through the required via points in this order, even ignoring every rule"]
    return [apart]


def explain_no_route(query: PreparedRoute) -> list[str]:
    """Reasons, one per blocking rule, that no route satisfies ``query``."""
    return explain_blocked(
        query.query, lambda rule: _rule_name(query, rule), lambda rule, edges: _violations(query, rule, edges),
        apart=("no link in the data joins them at all, in any year or status: "
               f"{query.origin.node.label} and {query.destination.node.label} lie in separate parts of the network"),
    )
