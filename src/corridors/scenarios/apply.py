"""Apply a scenario to a network: a pure function, network in, new network and change log out.

Each patch is carried out by the handler of the kind of element it names
(:data:`~corridors.scenarios.elements.ELEMENT_KINDS`). Every patch is checked against the
network first (unknown ids, countries, fields; selectors that select nothing; contradictory
patches) and all problems are raised together, so a scenario is applied whole or not at all.
``scale`` stores multipliers that the costing layer applies, never absolute figures.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from corridors.errors import ScenarioError
from corridors.geo.countries import country_code_problem
from corridors.io.schema import validation_message
from corridors.model import Change, Network, Source, SourceKind, Status
from corridors.routing.policies import FlowRule
from corridors.scenarios.elements import ELEMENT_KINDS, Draft, ElementKind, kinds_that
from corridors.scenarios.load import Scenario
from corridors.scenarios.spec import MAX_STACKED_FACTOR, MIN_STACKED_FACTOR, Patch, Policies, Where


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


def _check_country(draft: Draft, path: str, code: str) -> None:
    if problem := country_code_problem(code):
        draft.fail(path, problem)


def _select(draft: Draft, kind: ElementKind, patch: Patch, path: str) -> list[Any]:
    """Keys of the elements a patch's selector picks (see :meth:`ElementKind.select`). A key
    the element is not selected by is an error."""
    w = patch.where
    refused = [key for key in Where.model_fields if key not in kind.selectors and getattr(w, key)]
    for key in refused:
        draft.fail(f"{path}.where.{key}",
                   f"a {kind.name} is not selected by {key}; use {', '.join(kind.selectors)}")
    if refused:
        return []
    if w.country:
        _check_country(draft, f"{path}.where.country", w.country)
    for i, code in enumerate(w.countries):
        _check_country(draft, f"{path}.where.countries[{i}]", code)
    keys = kind.select(draft, w, path)
    if keys is None:
        return []
    if not keys:
        draft.fail(f"{path}.where", f"selects no {kind.name} in the network")
    return keys


@functools.cache
def _field_check(model: type[BaseModel], field: str) -> TypeAdapter[Any]:
    """A validator of one field of ``model``: its type, constraints and bounds."""
    info = model.model_fields[field]
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation)


def _coerce(draft: Draft, path: str, kind: ElementKind, field: str, value: Any) -> Any:
    """A ``set`` value checked by the field of the kind's schema (the bounds of the network
    files, ``data/number_bounds.yaml``); ``None`` (and a problem noted) if it is refused."""
    if field not in kind.settable:
        draft.fail(f"{path}.set.{field}",
                   f"a {kind.name}'s {field!r} cannot be set; settable: {', '.join(kind.settable)}")
        return None
    if value is None:
        return None
    model = kind.bounds_model or kind.row_model
    try:
        if model is not None and field in model.model_fields:
            return _field_check(model, field).validate_python(value)
        cast = kind.settable[field](value)  # a kind without a schema: its cast, and no negative or endless number
        if isinstance(cast, (int, float)) and not isinstance(cast, bool) and not (math.isfinite(cast) and cast >= 0):
            raise ValueError
        return cast
    except ValidationError as exc:
        draft.fail(f"{path}.set.{field}", f"{value!r} is not a valid {field}: {validation_message(exc.errors()[0])}")
    except (TypeError, ValueError):
        draft.fail(f"{path}.set.{field}", f"{value!r} is not a valid {field}")
    return None


def _status_op(draft: Draft, path: str, kind: ElementKind, key: Any, op: str) -> None:
    """Note that the patch at ``path`` opens, closes or removes the element with key ``key``; a
    different operation on it before is an error."""
    previous = draft.status_ops.get((kind.name, key))
    if previous and previous[0] != op:
        draft.fail(path, f"contradicts {previous[1]}: it {op}s {kind.name} {kind.describe(key)}, "
                         f"which that patch {previous[0]}s")
    draft.status_ops[(kind.name, key)] = (op, path)


def _patch_status(draft: Draft, kind: ElementKind, patch: Patch, path: str, keys: list[Any]) -> None:
    status = Status.OPERATIONAL if patch.action == "open" else Status.CLOSED
    for key in keys:
        old = draft.elements[kind.name][key]
        _status_op(draft, path, kind, key, patch.action)
        opens_year = patch.year if patch.action == "open" else old.opens_year
        new = dataclasses.replace(old, status=status, opens_year=opens_year)
        draft.put(kind.name, key, new)
        draft.record_fields(path, kind.name, kind.element_id(key), old, new, ("status", "opens_year"), patch.note)


def _scaled(draft: Draft, kind: ElementKind, patch: Patch, path: str, key: Any, old: Any) -> dict[str, Any]:
    """The fields a ``scale`` patch changes on element ``old``: multipliers, which the costing
    layer applies (two factors on one multiplier compound)."""
    values: dict[str, Any] = {}
    for factor, f in patch.factor.items():
        scaling = kind.scales.get(factor)
        if scaling is None:
            draft.fail(f"{path}.factor.{factor}", f"a {kind.name} scales by {', '.join(kind.scales) or 'nothing'}")
            continue
        current = values.get(scaling.field, getattr(old, scaling.field))
        if current is None:
            draft.fail(f"{path}.factor.{factor}",
                       f"{kind.name} {kind.element_id(key)!r} has no {factor} to scale; set one")
            continue
        scaled = scaling.apply(current, f)
        if scaling.field.endswith("_factor") and not MIN_STACKED_FACTOR <= scaled <= MAX_STACKED_FACTOR:
            draft.fail(f"{path}.factor.{factor}",
                       f"the factors stacked on {kind.name} {kind.element_id(key)!r} multiply its {scaling.field} "
                       f"to {scaled:g}; the product must be from {MIN_STACKED_FACTOR:g} to {MAX_STACKED_FACTOR:g}")
            continue
        values[scaling.field] = scaled
    return values


def _patch_values(draft: Draft, kind: ElementKind, patch: Patch, path: str, keys: list[Any]) -> None:
    """``set`` and ``scale`` on the selected elements."""
    for key in keys:
        old = draft.elements[kind.name][key]
        values: dict[str, Any] = {}
        if patch.action == "set":
            for field, value in patch.set.items():
                cast = _coerce(draft, path, kind, field, value)
                if cast is not None or value is None:
                    values[field] = cast
        else:
            values = _scaled(draft, kind, patch, path, key, old)
        if not values:
            continue
        if "status" in values:
            _status_op(draft, path, kind, key, "open" if values["status"] is Status.OPERATIONAL else "close")
        new = dataclasses.replace(old, **values)
        draft.record_fields(path, kind.name, kind.element_id(key), old, new, values, patch.note)
        draft.put(kind.name, key, new)


def _patch_add(draft: Draft, kind: ElementKind, patch: Patch, path: str) -> None:
    if kind.row_model is None:
        draft.fail(f"{path}.element", f"only {kinds_that(lambda k: k.row_model is not None)} can be added, "
                                      f"not {kind.name}s")
        return
    store = draft.elements[kind.name]
    for i, row in enumerate(patch.rows):
        cells = {k: (";".join(map(str, v)) if isinstance(v, list) else v) for k, v in row.items()}
        try:
            item = kind.from_row(kind.row_model.model_validate(cells))
        except ValidationError as exc:
            for error in exc.errors():
                column = ".".join(str(p) for p in error["loc"] if p != "from_") or "row"
                draft.fail(f"{path}.rows[{i}].{column}", validation_message(error))
            continue
        key = kind.key_of(item)
        if key in store:
            draft.fail(f"{path}.rows[{i}].id", f"{kind.name} {item.id!r} exists already; use action 'set'")
            continue
        draft.put(kind.name, key, item)
        draft.record(path, kind.name, item.id, "added", None, "added", patch.note)


def _patch_remove(draft: Draft, kind: ElementKind, patch: Patch, path: str, keys: list[Any]) -> None:
    if not kind.removable:
        draft.fail(f"{path}.element", f"{kind.name}s cannot be removed; use action 'set' or 'scale'")
        return
    for key in keys:
        kind.remove(draft, key, path, patch.note)
        _status_op(draft, path, kind, key, "remove")
        draft.record(path, kind.name, kind.element_id(key), "removed", "present", None, patch.note)


def _apply_patch(draft: Draft, patch: Patch, path: str) -> None:
    """Apply one patch to the draft, with the handler of the kind of element it names."""
    kind = ELEMENT_KINDS[patch.element]
    if patch.action == "add":
        _patch_add(draft, kind, patch, path)
        return
    keys = _select(draft, kind, patch, path)
    if patch.action in ("open", "close"):
        _patch_status(draft, kind, patch, path, keys)
    elif patch.action in ("set", "scale"):
        _patch_values(draft, kind, patch, path, keys)
    else:
        _patch_remove(draft, kind, patch, path, keys)


def _check_references(draft: Draft) -> None:
    """Links of the patched network need their nodes and border crossings."""
    nodes, borders = draft.elements["node"], draft.elements["border"]
    for link in draft.elements["link"].values():
        for end in (link.from_node, link.to_node):
            if end not in nodes:
                draft.fail("patches", f"link {link.id!r} needs node {end!r}, which the scenario removed or never added")
        if link.border and (link.border, link.mode) not in borders:
            draft.fail("patches", f"link {link.id!r} crosses border {link.border!r}, which has no {link.mode} row")


def _rules(draft: Draft, policies: Policies, scenario_name: str) -> list[FlowRule]:
    """Check the policies' countries, chokepoints and ids; the flow rules they state."""
    for i, code in enumerate(policies.avoid_countries):
        _check_country(draft, f"policies.avoid_countries[{i}]", code)
    if policies.closed_chokepoints:
        from corridors.world.chokepoints import load_chokepoints

        known = [c.id for c in load_chokepoints()]
        for i, name in enumerate(policies.closed_chokepoints):
            if name not in known:
                draft.fail(f"policies.closed_chokepoints[{i}]", f"unknown chokepoint {name!r}; known: {', '.join(known)}")
    rules = []
    link_or_border = set(draft.elements["link"]) | {b for b, _ in draft.elements["border"]}
    for i, rule in enumerate(policies.rules):
        path = f"policies.rules[{i}]"
        for key, codes in rule.when.items():
            for j, code in enumerate(codes):
                _check_country(draft, f"{path}.when.{key}[{j}]", code)
        for j, code in enumerate(rule.forbid_transit):
            _check_country(draft, f"{path}.forbid_transit[{j}]", code)
        for j, item in enumerate(rule.forbid):
            if item not in link_or_border:
                draft.fail(f"{path}.forbid[{j}]", f"no link or border crossing {item!r} in the network")
        rules.append(FlowRule(
            name=rule.name, origin=frozenset(rule.when.get("origin", ())),
            destination=frozenset(rule.when.get("destination", ())),
            either_end=frozenset(rule.when.get("either_end", ())), between=frozenset(rule.when.get("between", ())),
            forbid_transit=frozenset(rule.forbid_transit), forbid=tuple(rule.forbid),
            source=f"scenario {scenario_name}, {path}",
        ))
    return rules


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
    draft = Draft(network, scenario.name, scenario.problem)
    known_sources = {s.id for s in network.sources} | {s.id for s in spec.new_sources}
    for i, sid in enumerate(spec.sources):
        if sid not in known_sources:
            draft.fail(f"sources[{i}]", f"unknown source {sid!r}; cite an atlas source id or add it under new_sources")
    for i, patch in enumerate(spec.patches):
        _apply_patch(draft, patch, f"patches[{i}]")
    _check_references(draft)
    rules = _rules(draft, spec.policies, spec.name)
    if draft.problems:
        raise ScenarioError(draft.problems)

    new_sources = tuple(Source(s.id, SourceKind(s.kind), s.title, s.publisher, s.date, s.reference, s.notes)
                        for s in spec.new_sources if s.id not in {x.id for x in network.sources})
    patched = draft.patched()
    changed = dataclasses.replace(
        patched,
        name=f"{network.name} + {spec.name}",
        sources=patched.sources + new_sources,
        changes=network.changes + tuple(draft.changes),
        derived_from=network,
    )
    return AppliedScenario(
        name=spec.name,
        network=changed,
        changes=tuple(draft.changes),
        rules=tuple(rules),
        avoid_countries=frozenset(spec.policies.avoid_countries),
        closed_chokepoints=frozenset(spec.policies.closed_chokepoints),
        year=spec.base.year,
        value_of_time_usd_per_teu_h=spec.parameters.value_of_time_usd_per_teu_h,
        carbon_price_usd_per_t=spec.parameters.carbon_price_usd_per_t,
        description=spec.description,
    )
