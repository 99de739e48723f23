"""The change log of a scenario: what it changed in a network, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One field of one element changed by a scenario patch.

    ``element`` is ``link``, ``border``, ``node``, ``transfer``, ``mode`` or ``parameters``;
    ``where`` is the patch's key path in the scenario file (e.g. ``patches[2]``).
    """

    scenario: str
    where: str
    element: str
    id: str
    field: str
    old: Any
    new: Any
    note: str = ""

    def __str__(self) -> str:
        return f"{self.element} {self.id}: {self.field} {self.old!r} -> {self.new!r} (scenario {self.scenario}, {self.where})"
