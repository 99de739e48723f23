"""The embedded store of user scenarios and saved comparisons (SQLite).

Every save is one transaction in WAL mode: a crash or kill during a save leaves the previous
version intact, and a reader never sees half a save.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS scenarios (
    name TEXT PRIMARY KEY, yaml TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS comparisons (
    id TEXT PRIMARY KEY, base TEXT NOT NULL, scenario TEXT NOT NULL, request TEXT NOT NULL,
    result TEXT NOT NULL, created TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """User scenarios (YAML text by name) and saved comparisons (JSON by id)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def _write(self, sql: str, params: tuple) -> int:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                count = self._db.execute(sql, params).rowcount
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return count

    def scenario_names(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT name FROM scenarios ORDER BY name")]

    def get_scenario(self, name: str) -> str | None:
        row = self._db.execute("SELECT yaml FROM scenarios WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def put_scenario(self, name: str, yaml_text: str) -> None:
        """Insert or replace a scenario, atomically."""
        now = _now()
        self._write(
            "INSERT INTO scenarios (name, yaml, created, updated) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET yaml = excluded.yaml, updated = excluded.updated",
            (name, yaml_text, now, now),
        )

    def delete_scenario(self, name: str) -> bool:
        return self._write("DELETE FROM scenarios WHERE name = ?", (name,)) > 0

    def save_comparison(self, base: str, scenario: str, request: dict[str, Any], result: dict[str, Any]) -> str:
        comparison_id = uuid.uuid4().hex[:12]
        self._write(
            "INSERT INTO comparisons VALUES (?, ?, ?, ?, ?, ?)",
            (comparison_id, base, scenario, json.dumps(request), json.dumps(result), _now()),
        )
        return comparison_id

    def get_comparison(self, comparison_id: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT result, created FROM comparisons WHERE id = ?", (comparison_id,)).fetchone()
        if row is None:
            return None
        return {"id": comparison_id, "created": row[1], **json.loads(row[0])}
