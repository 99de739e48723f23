"""The change log of a scenario: what it changed in a network, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One field of one element changed by a scenario patch.

    ``element`` is ``link``, ``border``, ``node``, ``transfer``, ``mode`` or ``parameters``;
    ``where`` is the patch's key path in the scenario file (e.g. ``patches[2]``). A ``scale``
    patch logs the multiplier it changed (``time_factor`` 1.0 -> 1.5), not a figure.
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
        """One line: ``link a--b: time_factor 1 -> 1.5 (scenario x, patches[2])``."""
        return (f"{self.element} {self.id}: {self.field} {_shown(self.old)} -> {_shown(self.new)} "
                f"(scenario {self.scenario}, {self.where})")


def _shown(value: Any) -> str:
    """A logged value as the change log prints it: numbers short, text quoted.

    >>> _shown(1.0), _shown(1.5), _shown(1 / 3), _shown(2.5e7), _shown("closed"), _shown(None)
    ('1', '1.5', '0.333333', '25000000', "'closed'", 'None')
    """
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.0f}"
    return repr(value)
