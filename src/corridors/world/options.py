"""Options of a world route: an atlas route's options plus the chokepoints closed."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field

from corridors.errors import InvalidOptionError
from corridors.routing.options import RouteOptions
from corridors.world.chokepoints import flagged


def closed_by_default() -> frozenset[str]:
    """Chokepoints closed unless asked (``closed_by_default`` in chokepoints.yaml: the Arctic)."""
    return flagged("closed_by_default")


@dataclass(frozen=True)
class WorldOptions(RouteOptions):
    """:class:`~corridors.routing.RouteOptions` of a world route, and ``closed_chokepoints``: ids of
    ``data/world/chokepoints.yaml`` (by default those it marks ``closed_by_default``: the Arctic).

    Via points, avoided places and flow rules have no world counterpart yet: giving them is an
    :class:`~corridors.errors.InvalidOptionError`.
    """

    closed_chokepoints: frozenset[str] = field(default_factory=closed_by_default)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.via or self.avoid or self.rules:
            raise InvalidOptionError("world routes take avoided countries, modes, year, month, objective, cargo and "
                                     "closed chokepoints; not via points, avoided places or links, or flow rules (yet)")
        object.__setattr__(self, "closed_chokepoints", frozenset(self.closed_chokepoints))

    @classmethod
    def from_route_options(cls, options: RouteOptions, close: Iterable[str] = ()) -> WorldOptions:
        """The world-route options for atlas route ``options`` (already under any scenario: see
        :func:`~corridors.scenarios.scenario_options`), with the chokepoints closed by default
        and ``close`` closed."""
        values = {f.name: getattr(options, f.name) for f in dataclasses.fields(RouteOptions)}
        return cls(**values, closed_chokepoints=closed_by_default() | frozenset(close))
