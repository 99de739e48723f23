"""A network back into the cells and YAML data of our folder format (docs/data-format.md), the
inverse of :mod:`corridors.io._tables` + :mod:`corridors.io._assemble`, for every writer
(our folder, GMNS, GeoPackage) to start from.

Cells are text as our CSV holds it: lists joined with ``;``, floats in their shortest exact
form (``repr``), booleans ``true``/``false``, "not given" empty. Reading them back gives the
same values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

import yaml

from corridors.errors import InvalidOptionError
from corridors.io._tables import columns_of
from corridors.io.schema import BorderRow, LinkRow, NodeRow, SourceRow
from corridors.model import BorderCrossing, Link, Network, Node, Parameters, Source

Cells = dict[str, str]

COLUMNS = {
    "sources.csv": columns_of(SourceRow),
    "nodes.csv": columns_of(NodeRow),
    "links.csv": columns_of(LinkRow),
    "borders.csv": columns_of(BorderRow),
}
"""Each table's columns, in the order our files have them."""

_ATTRIBUTE = {"from": "from_node", "to": "to_node", "gauge_mm": "gauges_mm"}  # column -> model attribute


def cell(value: Any) -> str:
    """One value as a cell of our CSV.

    >>> cell(None), cell(True), cell(0.1), cell(("a", "b")), cell(2030)
    ('', 'true', '0.1', 'a;b', '2030')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, frozenset | set):
        return ";".join(sorted(cell(v) for v in value))
    if isinstance(value, tuple | list):
        return ";".join(cell(v) for v in value)
    return str(value)


def season(months: tuple[int, ...]) -> str:
    """A season's months as ``first-last`` (over the new year if need be); ``""`` all year.

    >>> season((4, 5, 6)), season((1, 2, 11, 12)), season((8,)), season(())
    ('4-6', '11-2', '8', '')
    """
    if not months:
        return ""
    first = next(m for m in months if (m - 2) % 12 + 1 not in months)
    last = next(m for m in months if m % 12 + 1 not in months)
    return str(first) if first == last else f"{first}-{last}"


def _cells(item: Node | Link | BorderCrossing | Source, table: str) -> Cells:
    row = {column: cell(getattr(item, _ATTRIBUTE.get(column, column))) for column in COLUMNS[table]}
    if isinstance(item, Link):
        row["open_months"] = season(item.open_months)
        row["wait_h"] = cell(item.wait_h or None)  # 0 is the default: left empty, as in the data
    return row


def _check_unscaled(network: Network) -> None:
    """No file holds a scenario's scale factors: refuse to write them away silently."""
    items = [*network.links, *network.borders, *network.parameters.modes.values(), *network.parameters.transfers]
    for item in items:
        for factor in ("time_factor", "cost_factor", "dwell_factor", "fee_factor"):
            if getattr(item, factor, 1.0) != 1.0:
                name = getattr(item, "id", None) or getattr(item, "modes", "a mode")
                raise InvalidOptionError(
                    f"{name}: {factor} is {getattr(item, factor)}; scenario scale factors have no column in any "
                    "network file: write the network the scenario was applied to, and keep the scenario")


def table_cells(network: Network) -> dict[str, list[Cells]]:
    """Every table's rows as cells under our column names, keyed by our file names
    (``nodes.csv``, ``links.csv``, ``borders.csv``, ``sources.csv``).

    Raises
    ------
    InvalidOptionError
        If the network carries scenario scale factors, which no file holds.
    """
    _check_unscaled(network)
    items = {"sources.csv": network.sources, "nodes.csv": network.nodes, "links.csv": network.links,
             "borders.csv": network.borders}
    return {table: [_cells(item, table) for item in rows] for table, rows in items.items()}


def atlas_data(network: Network) -> dict[str, Any]:
    """What ``atlas.yaml`` holds of the network."""
    return {"name": network.name, "as_of_year": network.as_of_year, "version": network.version}


def parameters_data(parameters: Parameters) -> dict[str, Any]:
    """What ``parameters.yaml`` holds, as plain YAML data (the inverse of reading it)."""
    data: dict[str, Any] = {
        "modes": {
            mode.value: {"speed_kmh": p.speed_kmh, "cost_usd_per_teu_km": p.cost_usd_per_teu_km,
                         "co2e_g_per_tkm": p.co2e_g_per_tkm, "source_ids": list(p.source_ids)}
            for mode, p in parameters.modes.items()
        },
        "transfers": [
            {"modes": sorted(m.value for m in t.modes), "time_h": t.time_h, "cost_usd_per_teu": t.cost_usd_per_teu,
             "co2e_kg_per_teu": t.co2e_kg_per_teu, "source_ids": list(t.source_ids)}
            for t in parameters.transfers
        ],
    }
    if parameters.gauge_change_source_ids:  # absent in the file: zeros without sources
        data["gauge_change"] = {"time_h": parameters.gauge_change_time_h,
                                "cost_usd_per_teu": parameters.gauge_change_cost_usd_per_teu,
                                "source_ids": list(parameters.gauge_change_source_ids)}
    data |= {
        "value_of_time_usd_per_teu_h": parameters.value_of_time_usd_per_teu_h,
        "value_of_time_source_ids": list(parameters.value_of_time_source_ids),
        "carbon_price_usd_per_t": parameters.carbon_price_usd_per_t,
        "carbon_price_source_ids": list(parameters.carbon_price_source_ids),
        "cargo": {
            name: {"teu_equivalent": c.teu_equivalent, "mass_t": c.mass_t, "description": c.description,
                   "source_ids": list(c.source_ids)}
            for name, c in parameters.cargo.items()
        },
    }
    return data


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> str:
    """Rows as CSV text with a header, ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def yaml_text(data: dict[str, Any]) -> str:
    """YAML data as text, keys in their given order (floats keep their exact ``repr``)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
