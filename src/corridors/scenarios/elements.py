"""The kinds of network element a scenario patches, one handler each, and the working copy of a
network that patches change.

Each kind (link, node, border, transfer, mode) is an :class:`ElementKind` registered in
:data:`ELEMENT_KINDS`: it knows the ``where`` keys that select its elements and how they match,
how its elements are keyed, read from and written back to a network, the fields ``set`` may
change, the factors ``scale`` multiplies and into which field, and whether its elements can be
added, removed, opened and closed. A new kind of element (an energy pipeline, say) is one more
handler in the registry; :mod:`corridors.scenarios.apply` dispatches on it and nothing else.

``scale`` writes multipliers (``time_factor``, ``cost_factor``, ``dwell_factor``, ``fee_factor``),
never absolute figures: the costing layer multiplies them in, so a scaled tariff still follows
the figure it scales. Only a link's capacity, which is not a rate, is scaled in place.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel

from corridors.errors import Problem
from corridors.io._assemble import border_from_row, link_from_row, node_from_row
from corridors.io.schema import BorderRow, LinkRow, ModeParametersSpec, NodeRow, TransferSpec
from corridors.model import Change, Mode, Network, Status

from corridors.scenarios.selectors import Where


@dataclass(frozen=True)
class Scaling:
    """What ``scale`` does with one factor ``f``: multiply ``field`` by ``f`` (or divide it by
    ``f`` when ``inverse``: a speed x f is a time / f)."""

    field: str
    inverse: bool = False

    def apply(self, value: float, f: float) -> float:
        """``value`` scaled by ``f``.

        >>> Scaling("time_factor", inverse=True).apply(1.0, 2.0)
        0.5
        """
        return value / f if self.inverse else value * f


class ElementKind:
    """How scenario patches select, read, write and change one kind of network element.

    Subclasses set the class attributes and implement :meth:`matcher` (or override
    :meth:`select`), and :meth:`load` and :meth:`write` unless their elements are a tuple of
    the network (:attr:`network_field`)."""

    name: ClassVar[str]
    network_field: ClassVar[str] = ""
    """The :class:`~corridors.model.Network` field holding the elements as a tuple, if one does."""
    noun: ClassVar[str] = ""
    """What an error message calls one element (default: ``name``)."""
    selectors: ClassVar[tuple[str, ...]]
    """The ``where`` keys that select this kind's elements; any other key is an error."""
    settable: ClassVar[Mapping[str, type]] = {}
    """Fields ``set`` may change, with the type a value is cast to."""
    scales: ClassVar[Mapping[str, Scaling]] = {}
    """Factors ``scale`` takes, each with the field it multiplies."""
    row_model: ClassVar[type[BaseModel] | None] = None
    """The row schema of an element ``add`` creates; None: this kind cannot be added."""
    bounds_model: ClassVar[type[BaseModel] | None] = None
    """The schema whose fields check the values ``set`` gives (default: :attr:`row_model`), so
    a scenario's numbers have the bounds of the network files."""
    removable: ClassVar[bool] = False
    has_status: ClassVar[bool] = False
    """Whether elements have ``status`` and ``opens_year`` (can be opened and closed)."""

    def load(self, network: Network) -> dict[Any, Any]:
        """This kind's elements of ``network``, by key."""
        return {self.key_of(e): e for e in getattr(network, self.network_field)}

    def write(self, network: Network, elements: Mapping[Any, Any]) -> Network:
        """``network`` with this kind's elements replaced by ``elements``."""
        return dataclasses.replace(network, **{self.network_field: tuple(elements.values())})

    def matcher(self, draft: Draft, where: Where) -> Callable[[Any], bool]:
        """Whether an element matches the selector keys of ``where`` other than ``ids``."""
        raise NotImplementedError

    def element_id(self, key: Any) -> str:
        """The id a change log and an error name for the element with ``key``."""
        return key

    def describe(self, key: Any) -> str:
        """The element with ``key`` as an error message names it."""
        return repr(self.element_id(key))

    def select(self, draft: Draft, where: Where, path: str) -> list[Any] | None:
        """Keys of the elements ``where`` picks; an id not in the network is reported. None
        (reported too): ``where`` cannot select this kind at all."""
        elements = draft.elements[self.name]
        known = {self.element_id(key) for key in elements}
        for i, item in enumerate(where.ids):
            if item not in known:
                draft.fail(f"{path}.where.ids[{i}]", f"no {self.noun or self.name} {item!r} in the network")
        matches = self.matcher(draft, where)
        return [key for key, e in elements.items()
                if (not where.ids or self.element_id(key) in where.ids) and matches(e)]

    def from_row(self, row: BaseModel) -> Any:
        """The element an ``add`` row describes (``row`` is valid under :attr:`row_model`)."""
        raise NotImplementedError

    def key_of(self, element: Any) -> Any:
        """The key of an element (as :meth:`load` keys it, and of an added one)."""
        return element.id

    def remove(self, draft: Draft, key: Any, path: str, note: str) -> None:
        """Remove the element with ``key`` (and whatever cannot stand without it)."""
        draft.delete(self.name, key)


class Links(ElementKind):
    """Links, keyed by id; ``scale`` of time, speed and cost goes into their multipliers."""

    name = "link"
    selectors = ("ids", "country", "mode", "corridor")
    settable = {"distance_km": float, "speed_kmh": float, "time_h": float, "wait_h": float,
                "cost_usd_per_teu": float, "status": Status, "opens_year": int, "capacity_t_per_year": float}
    scales = {"time": Scaling("time_factor"), "cost": Scaling("cost_factor"),
              "speed": Scaling("time_factor", inverse=True), "capacity": Scaling("capacity_t_per_year")}
    row_model = LinkRow
    removable = True
    has_status = True
    network_field = "links"

    def matcher(self, draft: Draft, where: Where) -> Callable[[Any], bool]:
        nodes = draft.elements["node"]

        def countries(link: Any) -> tuple[str, ...]:
            return (nodes[link.from_node].country, *link.via_countries, nodes[link.to_node].country)

        return lambda link: ((not where.country or where.country in countries(link))
                             and (not where.mode or link.mode is where.mode)
                             and (not where.corridor or where.corridor in link.corridors))

    def from_row(self, row: BaseModel) -> Any:
        return link_from_row(row)


class Nodes(ElementKind):
    """Nodes, keyed by id: their own gauge-change figures can be set."""

    name = "node"
    selectors = ("ids", "country")
    settable = {"gauge_change_time_h": float, "gauge_change_cost_usd": float}
    row_model = NodeRow
    removable = True
    network_field = "nodes"

    def matcher(self, draft: Draft, where: Where) -> Callable[[Any], bool]:
        return lambda node: not where.country or node.country == where.country

    def from_row(self, row: BaseModel) -> Any:
        return node_from_row(row)

    def remove(self, draft: Draft, key: Any, path: str, note: str) -> None:
        """Remove the node and every link ending at it."""
        draft.delete("node", key)
        links = draft.elements["link"]
        for link_id in [l.id for l in links.values() if key in (l.from_node, l.to_node)]:
            draft.delete("link", link_id)
            draft.record(path, "link", link_id, "removed", "present", None, note)


class Borders(ElementKind):
    """Border crossings, keyed by ``(border id, mode)``: one crossing has a row per mode."""

    name = "border"
    noun = "border crossing"
    selectors = ("ids", "country", "countries", "mode", "corridor")
    settable = {"dwell_h": float, "dwell_p90_h": float, "fee_usd": float, "status": Status, "opens_year": int}
    scales = {"dwell": Scaling("dwell_factor"), "fee": Scaling("fee_factor")}
    row_model = BorderRow
    removable = True
    has_status = True
    network_field = "borders"

    def matcher(self, draft: Draft, where: Where) -> Callable[[Any], bool]:
        links = draft.elements["link"].values()
        on_corridor = {l.border for l in links if where.corridor in l.corridors} if where.corridor else set()
        return lambda b: ((not where.country or where.country in (b.country_a, b.country_b))
                          and (not where.countries or {b.country_a, b.country_b} == set(where.countries))
                          and (not where.mode or b.mode is where.mode)
                          and (not where.corridor or b.id in on_corridor))

    def element_id(self, key: Any) -> str:
        return key[0]

    def describe(self, key: Any) -> str:
        return f"{key[0]!r} ({key[1].value})"

    def from_row(self, row: BaseModel) -> Any:
        return border_from_row(row)

    def key_of(self, element: Any) -> Any:
        return (element.id, element.mode)


class Transfers(ElementKind):
    """Transfer parameters between two modes, keyed by the frozenset of the two."""

    name = "transfer"
    selectors = ("modes",)
    settable = {"time_h": float, "cost_usd_per_teu": float, "co2e_kg_per_teu": float}
    scales = {"time": Scaling("time_factor"), "cost": Scaling("cost_factor")}
    bounds_model = TransferSpec

    def load(self, network: Network) -> dict[Any, Any]:
        found: dict[Any, Any] = {}
        for transfer in network.parameters.transfers:
            found.setdefault(transfer.modes, transfer)
        return found

    def write(self, network: Network, elements: Mapping[Any, Any]) -> Network:
        params = network.parameters
        transfers = tuple(elements.get(t.modes, t) for t in params.transfers)
        return dataclasses.replace(network, parameters=dataclasses.replace(params, transfers=transfers))

    def select(self, draft: Draft, where: Where, path: str) -> list[Any] | None:
        if len(where.modes) != 2:
            draft.fail(f"{path}.where.modes", "a transfer is chosen by its two modes, e.g. [rail, road]")
            return None
        pair = frozenset(where.modes)
        return [pair] if pair in draft.elements[self.name] else []

    def element_id(self, key: Any) -> str:
        return "-".join(sorted(m.value for m in key))


class ModeDefaults(ElementKind):
    """A mode's default speed, cost and CO2e (the network's ``parameters.modes``)."""

    name = "mode"
    selectors = ("mode",)
    settable = {"speed_kmh": float, "cost_usd_per_teu_km": float, "co2e_g_per_tkm": float}
    scales = {"time": Scaling("time_factor"), "cost": Scaling("cost_factor"),
              "speed": Scaling("time_factor", inverse=True)}
    bounds_model = ModeParametersSpec

    def load(self, network: Network) -> dict[Any, Any]:
        return dict(network.parameters.modes)

    def write(self, network: Network, elements: Mapping[Any, Any]) -> Network:
        return dataclasses.replace(network, parameters=dataclasses.replace(network.parameters, modes=dict(elements)))

    def select(self, draft: Draft, where: Where, path: str) -> list[Any] | None:
        return [where.mode] if where.mode in draft.elements[self.name] else []

    def element_id(self, key: Any) -> str:
        return key.value


ELEMENT_KINDS: Mapping[str, ElementKind] = {
    kind.name: kind for kind in (Links(), Nodes(), Borders(), Transfers(), ModeDefaults())
}
"""Every kind of element a scenario patch can name, by its ``element`` value."""


def kinds_that(can: Callable[[ElementKind], bool]) -> str:
    """The kinds for which ``can`` holds, for messages: "links, nodes and borders"."""
    names = [f"{k.name}s" for k in ELEMENT_KINDS.values() if can(k)]
    return " and ".join(filter(None, (", ".join(names[:-1]), names[-1]))) if names else "none"


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, (Status, Mode)) else value


class Draft:
    """The mutable working copy of a network while a scenario's patches are applied: its
    elements by kind and key, the problems found and the change log."""

    def __init__(self, network: Network, scenario: str, problem: Callable[[str, str], Problem]) -> None:
        self.network = network
        self.scenario = scenario
        """The scenario's name, for the change log."""
        self._problem = problem
        self.elements = {name: kind.load(network) for name, kind in ELEMENT_KINDS.items()}
        self.touched: set[str] = set()
        self.problems: list[Problem] = []
        self.changes: list[Change] = []
        self.status_ops: dict[tuple[str, Any], tuple[str, str]] = {}

    def fail(self, path: str, message: str) -> None:
        self.problems.append(self._problem(path, message))

    def record(self, where: str, element: str, element_id: str, field: str, old: Any, new: Any, note: str) -> None:
        """Log a field of an element changed by the patch at ``where`` (nothing if unchanged)."""
        if old != new:
            self.changes.append(Change(self.scenario, where, element, element_id, field,
                                       _plain(old), _plain(new), note))

    def record_fields(self, where: str, element: str, element_id: str, old: Any, new: Any,
                      fields: Iterable[str], note: str) -> None:
        """Log each of ``fields`` that differs between the element's ``old`` and ``new`` versions."""
        for field in fields:
            self.record(where, element, element_id, field, getattr(old, field), getattr(new, field), note)

    def put(self, kind: str, key: Any, element: Any) -> None:
        self.elements[kind][key] = element
        self.touched.add(kind)

    def delete(self, kind: str, key: Any) -> None:
        del self.elements[kind][key]
        self.touched.add(kind)

    def patched(self) -> Network:
        """The network with every changed kind of element written back (nothing else changed)."""
        network = self.network
        for name in (n for n in ELEMENT_KINDS if n in self.touched):
            network = ELEMENT_KINDS[name].write(network, self.elements[name])
        return network
