"""Exceptions raised by corridors.

Every exception derives from :class:`CorridorsError`, and where a built-in fits it also derives
from that built-in, so callers can catch either::

    CorridorsError
    ├── DataError (ValueError)            a network file breaks the schema; carries every problem
    │   └── FigureTableError              the validation figures or their sources break the contract
    ├── ScenarioError (ValueError)        a scenario file is invalid; carries every problem
    ├── UnknownPlaceError (KeyError)      a place name matched nothing; carries suggestions
    ├── AmbiguousPlaceError (ValueError)  a place name matched several nodes; carries candidates
    ├── InvalidOptionError (ValueError)   a routing option is out of range or contradicts another
    └── NoRouteError (LookupError)        no path satisfies the rules; explains what blocks it
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class CorridorsError(Exception):
    """Base class of every error corridors raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file: where it is, and what is wrong."""

    file: str
    line: int | None
    column: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f" [{self.column}]"
        return f"{where}: {self.message}"


class DataError(CorridorsError, ValueError):
    """A data file (a network, a lane table, an OMX matrix) does not validate. ``problems`` lists
    every problem found; ``what`` names what was read, for the message's head line."""

    def __init__(self, problems: Sequence[Problem], what: str = "the network data") -> None:
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = f"{len(errors)} error(s) in {what}"
        lines = [str(p) for p in errors[:20]]
        more = [f"... and {len(errors) - 20} more"] if len(errors) > 20 else []
        super().__init__("\n".join([head, *lines, *more]))


class FigureTableError(DataError):
    """The published figures to validate against (``data/validation``) break their contract
    (docs/validation.md). ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems, what="the validation figures")


class ScenarioError(CorridorsError, ValueError):
    """A scenario is invalid or does not fit the network. ``problems`` name key paths and lines."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        head = f"{len(self.problems)} problem(s) in the scenario"
        super().__init__("\n".join([head, *(str(p) for p in self.problems[:20])]))


class UnknownPlaceError(CorridorsError, KeyError):
    """A place matched no node. ``suggestions`` holds close names ("did you mean")."""

    def __init__(self, query: str, suggestions: Sequence[str] = (), *, what: str = "place") -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        message = f"unknown {what} {query!r}"
        if self.suggestions:
            message += "; did you mean: " + ", ".join(repr(x) for x in self.suggestions) + "?"
        else:
            message += "; try `corridors places QUERY`, a node id, or 'lat,lon'"
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class AmbiguousPlaceError(CorridorsError, ValueError):
    """A place name matched several nodes. ``candidates`` are unambiguous spellings."""

    def __init__(self, query: str, candidates: Sequence[str]) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        super().__init__(
            f"place {query!r} is ambiguous; say one of: " + ", ".join(repr(c) for c in candidates)
        )


class InvalidOptionError(CorridorsError, ValueError):
    """A routing option is invalid: the message says what was given and what is accepted."""


class NoRouteError(CorridorsError, LookupError):
    """No route satisfies the rules. ``reasons`` say which rules or gaps block it."""

    def __init__(self, origin: str, destination: str, reasons: Sequence[str]) -> None:
        self.origin = origin
        self.destination = destination
        self.reasons = tuple(reasons)
        message = f"no route from {origin} to {destination} under these rules"
        if self.reasons:
            message += ":\n" + "\n".join(f"  - {r}" for r in self.reasons)
        super().__init__(message)
