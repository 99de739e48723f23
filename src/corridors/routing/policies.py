"""Flow rules: policies that depend on where the cargo comes from and goes to.

A rule applies to a shipment when its ``when`` condition matches the origin's and destination's
countries, and then forbids transit through countries or the use of links and border crossings.
This is how sanctions ("cargo to or from RU may not transit these countries") and
extraterritorial corridors ("traffic between IR and AM may not use this link") are expressed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FlowRule:
    """A policy on flows.

    Attributes
    ----------
    name
        Short identifier, used in explanations.
    origin, destination
        ISO codes: the rule applies when the origin (destination) lies in one of them.
    either_end
        Applies when the origin or the destination lies in one of them.
    between
        Applies to flows from one of these countries to another of them (either direction).
    forbid_transit
        Countries the flow may not pass through (its own origin and destination countries are
        exempt: a rule never forbids a shipment to start or end at home).
    forbid
        Link ids and border crossing ids the flow may not use.
    source
        Where the rule comes from (e.g. ``scenario avoid-russia, policies.rules[0]``).
    """

    name: str
    origin: frozenset[str] = frozenset()
    destination: frozenset[str] = frozenset()
    either_end: frozenset[str] = frozenset()
    between: frozenset[str] = frozenset()
    forbid_transit: frozenset[str] = frozenset()
    forbid: tuple[str, ...] = ()
    source: str = ""

    def applies(self, origin_country: str, destination_country: str) -> bool:
        """True when the rule covers a flow from ``origin_country`` to ``destination_country``."""
        if self.origin and origin_country not in self.origin:
            return False
        if self.destination and destination_country not in self.destination:
            return False
        if self.either_end and not {origin_country, destination_country} & self.either_end:
            return False
        if self.between and not (
            origin_country in self.between and destination_country in self.between and origin_country != destination_country
        ):
            return False
        return True

    def transit_countries(self, origin_country: str, destination_country: str) -> frozenset[str]:
        """Countries this rule forbids for a flow, less its own end countries."""
        return self.forbid_transit - {origin_country, destination_country}
