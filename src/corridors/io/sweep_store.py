"""SQLite store of sweep results: one row per (scenario, lane, objective), written a scenario at
a time in one transaction, so an interrupted sweep never leaves half a scenario behind and a
resumed one skips what is done."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from os import PathLike
from pathlib import Path

from corridors.errors import InvalidOptionError

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    scenario TEXT NOT NULL, lane TEXT NOT NULL, objective TEXT NOT NULL,
    origin TEXT NOT NULL, destination TEXT NOT NULL, reachable INTEGER NOT NULL,
    distance_km REAL, time_h REAL, cost_usd REAL, co2e_kg REAL,
    via TEXT, corridors TEXT, countries TEXT, reason TEXT,
    PRIMARY KEY (scenario, lane, objective)
);
CREATE TABLE IF NOT EXISTS scenarios (
    scenario TEXT NOT NULL, objective TEXT NOT NULL, description TEXT, changes INTEGER,
    lanes INTEGER, PRIMARY KEY (scenario, objective)
);
CREATE TABLE IF NOT EXISTS inputs (
    key TEXT PRIMARY KEY, value TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class ResultRow:
    """One lane under one scenario (per shipment). ``corridors`` and ``countries`` are ``;``-joined."""

    scenario: str
    lane: str
    objective: str
    origin: str
    destination: str
    reachable: bool
    distance_km: float | None
    time_h: float | None
    cost_usd: float | None
    co2e_kg: float | None
    via: str
    corridors: str
    countries: str
    reason: str


class SweepStore:
    """A sweep database (SQLite file). Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.executescript(SCHEMA)

    def __enter__(self) -> "SweepStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def claim(self, inputs: str) -> None:
        """Tie the file to one sweep's inputs (network and lanes, as a digest): a file holding
        results of other inputs raises instead of being resumed with a mix of both."""
        row = self._db.execute("SELECT value FROM inputs WHERE key = 'inputs'").fetchone()
        if row is None:
            with self._db:
                self._db.execute("INSERT INTO inputs VALUES ('inputs', ?)", (inputs,))
        elif row[0] != inputs:
            raise InvalidOptionError(f"{self.path} holds a sweep over another network or other lanes; "
                                     "resume it with the same ones, or give a new file")

    def done(self, objective: str) -> set[str]:
        """Scenarios already complete for ``objective``."""
        rows = self._db.execute("SELECT scenario FROM scenarios WHERE objective = ?", (objective,))
        return {r[0] for r in rows}

    def write_scenario(self, scenario: str, objective: str, description: str, changes: int,
                       rows: Iterable[ResultRow]) -> None:
        """Write a scenario's rows and mark it complete, all in one transaction."""
        rows = list(rows)
        columns = ", ".join(f.name for f in fields(ResultRow))
        marks = ", ".join("?" for _ in fields(ResultRow))
        with self._db:  # commits on success, rolls back on any error
            self._db.execute("DELETE FROM results WHERE scenario = ? AND objective = ?", (scenario, objective))
            self._db.executemany(f"INSERT INTO results ({columns}) VALUES ({marks})", [astuple(r) for r in rows])
            self._db.execute("INSERT OR REPLACE INTO scenarios VALUES (?, ?, ?, ?, ?)",
                             (scenario, objective, description, changes, len(rows)))

    def results(self, objective: str | None = None) -> list[ResultRow]:
        """Every stored row, sorted by scenario and lane."""
        query = "SELECT * FROM results" + (" WHERE objective = ?" if objective else "") + " ORDER BY scenario, lane"
        return [ResultRow(*r[:5], bool(r[5]), *r[6:]) for r in self._db.execute(query, (objective,) if objective else ())]
