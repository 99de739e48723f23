"""Apply a scenario to a network: a pure function, network in, new network and change log out.

Every patch is checked against the network first (unknown ids, countries, fields; selectors
that select nothing; contradictory patches) and all problems are raised together, so a
scenario is applied whole or not at all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from corridors.errors import Problem, ScenarioError
from corridors.geo import country_names
from corridors.io._assemble import border_from_row, link_from_row, node_from_row
from corridors.io.schema import BorderRow, LinkRow, NodeRow, validation_message
from corridors.model import (
    BorderCrossing,
    Change,
    Link,
    Mode,
    Network,
    Source,
    SourceKind,
    Status,
)
from corridors.routing.policies import FlowRule
from corridors.scenarios.load import Scenario
from corridors.scenarios.spec import Patch, Where

SETTABLE = {
    "link": {"distance_km": float, "speed_kmh": float, "time_h": float, "wait_h": float, "cost_usd_per_teu": float,
             "status": Status, "opens_year": int, "capacity_t_per_year": float},
    "border": {"dwell_h": float, "dwell_p90_h": float, "fee_usd": float, "status": Status, "opens_year": int},
    "node": {"gauge_change_time_h": float, "gauge_change_cost_usd": float},
    "transfer": {"time_h": float, "cost_usd_per_teu": float, "co2e_kg_per_teu": float},
    "mode": {"speed_kmh": float, "cost_usd_per_teu_km": float, "co2e_g_per_tkm": float},
}
SELECTORS = {
    "link": ("ids", "country", "mode", "corridor"),
    "border": ("ids", "country", "countries", "mode", "corridor"),
    "node": ("ids", "country"),
    "transfer": ("modes",),
    "mode": ("mode",),
}
"""The ``where`` keys that select each element (those :func:`_select` matches on)."""


@dataclass(frozen=True)
class AppliedScenario:
    """The outcome of :func:`apply_scenario`: the new network, its change log and the rules and
    settings a route under the scenario must use."""

    name: str
    network: Network
    changes: tuple[Change, ...]
    rules: tuple[FlowRule, ...]
    avoid_countries: frozenset[str]
    closed_chokepoints: frozenset[str]
    year: int | None
    value_of_time_usd_per_teu_h: float | None
    carbon_price_usd_per_t: float | None
    description: str = ""


class _Builder:
    """Mutable working copy of a network while a scenario's patches are applied."""

    def __init__(self, network: Network, scenario: Scenario) -> None:
        self.scenario = scenario
        self.links = {l.id: l for l in network.links}
        self.borders = {(b.id, b.mode): b for b in network.borders}
        self.nodes = {n.id: n for n in network.nodes}
        self.params = network.parameters
        self.problems: list[Problem] = []
        self.changes: list[Change] = []
        self.status_ops: dict[tuple[str, Any], tuple[str, str]] = {}

    def fail(self, path: str, message: str) -> None:
        self.problems.append(self.scenario.problem(path, message))

    def record(self, where: str, element: str, element_id: str, field: str, old: Any, new: Any, note: str) -> None:
        if old != new:
            self.changes.append(Change(self.scenario.name, where, element, element_id, field,
                                       _plain(old), _plain(new), note))


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, (Status, Mode)) else value


def _check_country(builder: _Builder, path: str, code: str) -> None:
    if code not in country_names():
        builder.fail(path, f"{code!r} is not a country code (ISO 3166-1 alpha-2, e.g. 'AZ')")


def _select(builder: _Builder, patch: Patch, path: str) -> list[Any]:
    """Keys of the elements a patch's selector picks: link ids, (border id, mode), node ids,
    transfer mode pairs, or modes. A key the element is not selected by is an error."""
    w = patch.where
    element = patch.element
    accepted = SELECTORS[element]
    refused = [key for key in Where.model_fields if key not in accepted and getattr(w, key)]
    for key in refused:
        builder.fail(f"{path}.where.{key}", f"a {element} is not selected by {key}; use {', '.join(accepted)}")
    if refused:
        return []
    if w.country:
        _check_country(builder, f"{path}.where.country", w.country)
    for i, code in enumerate(w.countries):
        _check_country(builder, f"{path}.where.countries[{i}]", code)
    if element == "link":
        for i, item in enumerate(w.ids):
            if item not in builder.links:
                builder.fail(f"{path}.where.ids[{i}]", f"no link {item!r} in the network")
        chosen = [
            l for l in builder.links.values()
            if (not w.ids or l.id in w.ids)
            and (not w.country or w.country in _link_countries(builder, l))
            and (not w.mode or l.mode is w.mode)
            and (not w.corridor or w.corridor in l.corridors)
        ]
        keys = [l.id for l in chosen]
    elif element == "border":
        border_ids = {b for b, _ in builder.borders}
        for i, item in enumerate(w.ids):
            if item not in border_ids:
                builder.fail(f"{path}.where.ids[{i}]", f"no border crossing {item!r} in the network")
        corridor_borders = {l.border for l in builder.links.values() if w.corridor in l.corridors} if w.corridor else set()
        keys = [
            key for key, b in builder.borders.items()
            if (not w.ids or b.id in w.ids)
            and (not w.country or w.country in (b.country_a, b.country_b))
            and (not w.countries or {b.country_a, b.country_b} == set(w.countries))
            and (not w.mode or b.mode is w.mode)
            and (not w.corridor or b.id in corridor_borders)
        ]
    elif element == "node":
        for i, item in enumerate(w.ids):
            if item not in builder.nodes:
                builder.fail(f"{path}.where.ids[{i}]", f"no node {item!r} in the network")
        keys = [n.id for n in builder.nodes.values() if (not w.ids or n.id in w.ids) and (not w.country or n.country == w.country)]
    elif element == "transfer":
        if len(w.modes) != 2:
            builder.fail(f"{path}.where.modes", "a transfer is chosen by its two modes, e.g. [rail, road]")
            return []
        keys = [t.modes for t in builder.params.transfers if t.modes == frozenset(w.modes)]
    else:
        keys = [w.mode] if w.mode else []
    if not keys and patch.action != "add":
        builder.fail(f"{path}.where", f"selects no {element} in the network")
    return keys


def _link_countries(builder: _Builder, link: Link) -> tuple[str, ...]:
    ends = (builder.nodes[link.from_node].country, *link.via_countries, builder.nodes[link.to_node].country)
    return tuple(dict.fromkeys(ends))


def _coerce(builder: _Builder, path: str, element: str, field: str, value: Any) -> Any:
    kinds = SETTABLE[element]
    if field not in kinds:
        builder.fail(f"{path}.set.{field}", f"a {element}'s {field!r} cannot be set; settable: {', '.join(kinds)}")
        return None
    try:
        if value is None:
            return None
        cast = kinds[field](value)
        if isinstance(cast, (int, float)) and not isinstance(cast, bool) and cast < 0:
            raise ValueError
        return cast
    except (TypeError, ValueError):
        builder.fail(f"{path}.set.{field}", f"{value!r} is not a valid {field}")
        return None


def _status_op(builder: _Builder, path: str, element: str, key: Any, op: str) -> None:
    """Note that the patch at ``path`` opens, closes or removes the element with builder key
    ``key`` (a link or node id, a border's (id, mode)); a different operation on it before is an
    error."""
    previous = builder.status_ops.get((element, key))
    if previous and previous[0] != op:
        name = f"{key[0]!r} ({key[1].value})" if isinstance(key, tuple) else repr(key)
        builder.fail(path, f"contradicts {previous[1]}: it {op}s {element} {name}, which that patch {previous[0]}s")
    builder.status_ops[(element, key)] = (op, path)


def _patch_status(builder: _Builder, patch: Patch, path: str, keys: list[Any]) -> None:
    status = Status.OPERATIONAL if patch.action == "open" else Status.CLOSED
    for key in keys:
        if patch.element == "link":
            old = builder.links[key]
            _status_op(builder, path, "link", key, patch.action)
            new = dataclasses.replace(old, status=status, opens_year=patch.year if patch.action == "open" else old.opens_year)
            builder.links[key] = new
            element_id = key
        else:
            old = builder.borders[key]
            _status_op(builder, path, "border", key, patch.action)
            new = dataclasses.replace(old, status=status, opens_year=patch.year if patch.action == "open" else old.opens_year)
            builder.borders[key] = new
            element_id = key[0]
        builder.record(path, patch.element, element_id, "status", old.status, new.status, patch.note)
        builder.record(path, patch.element, element_id, "opens_year", old.opens_year, new.opens_year, patch.note)


def _element_id(key: Any) -> str:
    """The id a change log names: a link or node id, a border id (from its (id, mode) key), a
    transfer's mode pair ("rail-road") or a mode."""
    if isinstance(key, str):
        return key
    if isinstance(key, tuple):
        return key[0]
    if isinstance(key, frozenset):
        return "-".join(sorted(m.value for m in key))
    return key.value


def _patch_values(builder: _Builder, patch: Patch, path: str, keys: list[Any]) -> None:
    """``set`` and ``scale`` on links, borders, nodes, transfers and mode defaults."""
    element = patch.element
    for key in keys:
        if element == "link":
            old = builder.links[key]
        elif element == "border":
            old = builder.borders[key]
        elif element == "node":
            old = builder.nodes[key]
        elif element == "transfer":
            old = next(t for t in builder.params.transfers if t.modes == key)
        else:
            old = builder.params.modes[key]
        values: dict[str, Any] = {}
        if patch.action == "set":
            for field, value in patch.set.items():
                cast = _coerce(builder, path, element, field, value)
                if cast is not None or value is None:
                    values[field] = cast
        else:
            allowed = {"link": ("time", "cost", "speed", "capacity"), "border": ("dwell", "fee"), "node": (),
                       "transfer": ("time", "cost"), "mode": ("time", "cost", "speed")}[element]
            for factor, f in patch.factor.items():
                if factor not in allowed:
                    builder.fail(f"{path}.factor.{factor}", f"a {element} scales by {', '.join(allowed) or 'nothing'}")
                    continue
                if element == "link":
                    if factor == "time":
                        values["time_h"] = builder.params.running_time_h(old) * f
                    elif factor == "speed":
                        values["speed_kmh"] = (old.speed_kmh or builder.params.modes[old.mode].speed_kmh) * f
                    elif factor == "capacity":
                        if old.capacity_t_per_year is None:
                            builder.fail(f"{path}.factor.capacity", f"link {old.id!r} has no capacity to scale; set one")
                            continue
                        values["capacity_t_per_year"] = old.capacity_t_per_year * f
                    else:
                        values["cost_usd_per_teu"] = builder.params.line_haul_cost_usd(old) * f
                elif element == "border":
                    field = "dwell_h" if factor == "dwell" else "fee_usd"
                    values[field] = getattr(old, field) * f
                    if factor == "dwell" and old.dwell_p90_h is not None:
                        values["dwell_p90_h"] = old.dwell_p90_h * f
                elif element == "transfer":
                    field = "time_h" if factor == "time" else "cost_usd_per_teu"
                    values[field] = getattr(old, field) * f
                else:
                    field = {"time": "speed_kmh", "speed": "speed_kmh", "cost": "cost_usd_per_teu_km"}[factor]
                    values[field] = old.speed_kmh / f if factor == "time" else getattr(old, field) * f
        if not values:
            continue
        if "status" in values:
            _status_op(builder, path, element, key, "open" if values["status"] is Status.OPERATIONAL else "close")
        new = dataclasses.replace(old, **values)
        element_id = _element_id(key)
        for field in values:
            builder.record(path, element, element_id, field, getattr(old, field), getattr(new, field), patch.note)
        if element == "link":
            builder.links[key] = new
        elif element == "border":
            builder.borders[key] = new
        elif element == "node":
            builder.nodes[key] = new
        elif element == "transfer":
            builder.params = dataclasses.replace(
                builder.params, transfers=tuple(new if t.modes == key else t for t in builder.params.transfers)
            )
        else:
            builder.params = dataclasses.replace(builder.params, modes={**builder.params.modes, key: new})


def _patch_add(builder: _Builder, patch: Patch, path: str) -> None:
    model, convert, store = {
        "link": (LinkRow, link_from_row, builder.links),
        "node": (NodeRow, node_from_row, builder.nodes),
        "border": (BorderRow, border_from_row, builder.borders),
    }.get(patch.element, (None, None, None))
    if model is None:
        builder.fail(f"{path}.element", f"only links, nodes and borders can be added, not {patch.element}s")
        return
    for i, row in enumerate(patch.rows):
        cells = {k: (";".join(map(str, v)) if isinstance(v, list) else v) for k, v in row.items()}
        try:
            item = convert(model.model_validate(cells))
        except ValidationError as exc:
            for error in exc.errors():
                column = ".".join(str(p) for p in error["loc"] if p != "from_") or "row"
                builder.fail(f"{path}.rows[{i}].{column}", validation_message(error))
            continue
        key = (item.id, item.mode) if isinstance(item, BorderCrossing) else item.id
        if key in store:
            builder.fail(f"{path}.rows[{i}].id", f"{patch.element} {item.id!r} exists already; use action 'set'")
            continue
        store[key] = item
        builder.record(path, patch.element, item.id, "added", None, "added", patch.note)


def _patch_remove(builder: _Builder, patch: Patch, path: str, keys: list[Any]) -> None:
    for key in keys:
        if patch.element == "link":
            del builder.links[key]
            element_id = key
        elif patch.element == "border":
            del builder.borders[key]
            element_id = key[0]
        elif patch.element == "node":
            del builder.nodes[key]
            for link_id in [l.id for l in builder.links.values() if key in (l.from_node, l.to_node)]:
                del builder.links[link_id]
                builder.record(path, "link", link_id, "removed", "present", None, patch.note)
            element_id = key
        else:
            builder.fail(f"{path}.element", f"{patch.element}s cannot be removed; use action 'set' or 'scale'")
            return
        _status_op(builder, path, patch.element, key, "remove")
        builder.record(path, patch.element, element_id, "removed", "present", None, patch.note)


def apply_scenario(network: Network, scenario: Scenario) -> AppliedScenario:
    """Apply ``scenario`` to ``network`` (which is not modified).

    Returns
    -------
    AppliedScenario
        With the new network (``changes`` holds the change log, ``derived_from`` the input),
        the flow rules and avoided countries its routes obey, and its year and parameters.

    Raises
    ------
    ScenarioError
        Every problem found, each with the key path and line in the scenario file.
    """
    spec = scenario.spec
    builder = _Builder(network, scenario)
    known_sources = {s.id for s in network.sources} | {s.id for s in spec.new_sources}
    for i, sid in enumerate(spec.sources):
        if sid not in known_sources:
            builder.fail(f"sources[{i}]", f"unknown source {sid!r}; cite an atlas source id or add it under new_sources")
    for i, patch in enumerate(spec.patches):
        path = f"patches[{i}]"
        if patch.action == "add":
            _patch_add(builder, patch, path)
            continue
        keys = _select(builder, patch, path)
        if patch.action in ("open", "close"):
            _patch_status(builder, patch, path, keys)
        elif patch.action in ("set", "scale"):
            _patch_values(builder, patch, path, keys)
        else:
            _patch_remove(builder, patch, path, keys)

    # references of the patched network: links need their nodes and borders
    for link in builder.links.values():
        for end in (link.from_node, link.to_node):
            if end not in builder.nodes:
                builder.fail("patches", f"link {link.id!r} needs node {end!r}, which the scenario removed or never added")
        if link.border and (link.border, link.mode) not in builder.borders:
            builder.fail("patches", f"link {link.id!r} crosses border {link.border!r}, which has no {link.mode} row")

    policies = spec.policies
    for i, code in enumerate(policies.avoid_countries):
        _check_country(builder, f"policies.avoid_countries[{i}]", code)
    if policies.closed_chokepoints:
        from corridors.world.chokepoints import load_chokepoints

        known = [c.id for c in load_chokepoints()]
        for i, name in enumerate(policies.closed_chokepoints):
            if name not in known:
                builder.fail(f"policies.closed_chokepoints[{i}]", f"unknown chokepoint {name!r}; known: {', '.join(known)}")
    rules = []
    link_or_border = set(builder.links) | {b for b, _ in builder.borders}
    for i, rule in enumerate(policies.rules):
        path = f"policies.rules[{i}]"
        for key, codes in rule.when.items():
            for j, code in enumerate(codes):
                _check_country(builder, f"{path}.when.{key}[{j}]", code)
        for j, code in enumerate(rule.forbid_transit):
            _check_country(builder, f"{path}.forbid_transit[{j}]", code)
        for j, item in enumerate(rule.forbid):
            if item not in link_or_border:
                builder.fail(f"{path}.forbid[{j}]", f"no link or border crossing {item!r} in the network")
        rules.append(FlowRule(
            name=rule.name, origin=frozenset(rule.when.get("origin", ())),
            destination=frozenset(rule.when.get("destination", ())),
            either_end=frozenset(rule.when.get("either_end", ())), between=frozenset(rule.when.get("between", ())),
            forbid_transit=frozenset(rule.forbid_transit), forbid=tuple(rule.forbid),
            source=f"scenario {spec.name}, {path}",
        ))

    if builder.problems:
        raise ScenarioError(builder.problems)

    new_sources = tuple(Source(s.id, SourceKind(s.kind), s.title, s.publisher, s.date, s.reference, s.notes)
                        for s in spec.new_sources if s.id not in {x.id for x in network.sources})
    changed = dataclasses.replace(
        network,
        name=f"{network.name} + {spec.name}",
        nodes=tuple(builder.nodes.values()),
        links=tuple(builder.links.values()),
        borders=tuple(builder.borders.values()),
        sources=network.sources + new_sources,
        parameters=builder.params,
        changes=network.changes + tuple(builder.changes),
        derived_from=network,
    )
    return AppliedScenario(
        name=spec.name,
        network=changed,
        changes=tuple(builder.changes),
        rules=tuple(rules),
        avoid_countries=frozenset(policies.avoid_countries),
        closed_chokepoints=frozenset(policies.closed_chokepoints),
        year=spec.base.year,
        value_of_time_usd_per_teu_h=spec.parameters.value_of_time_usd_per_teu_h,
        carbon_price_usd_per_t=spec.parameters.carbon_price_usd_per_t,
        description=spec.description,
    )
