"""The embedded store: saves survive restarts, and a kill during a save keeps the last version."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from fastapi.testclient import TestClient

from corridors.api import Settings, create_app
from corridors.api.store import Store

V1 = "name: keep\ndescription: version one\npatches:\n  - {action: close, element: border, where: {ids: [dariali--verkhny-lars]}}\n"


def test_user_scenarios_survive_a_restart(tmp_path):
    settings = Settings(db_path=tmp_path / "db.sqlite")
    with TestClient(create_app(settings)) as first:
        assert first.post("/api/scenarios", json={"yaml": V1}).status_code == 201
    with TestClient(create_app(settings)) as second:
        assert second.get("/api/scenarios/keep").json()["yaml"] == V1


def test_a_kill_during_a_save_leaves_the_previous_version_intact(tmp_path):
    db = tmp_path / "db.sqlite"
    store = Store(db)
    store.put_scenario("keep", V1)
    store.close()
    child = textwrap.dedent(f"""
        import os, signal
        from corridors.api.store import Store

        class KillBeforeCommit:
            def __init__(self, db):
                self.db = db
            def execute(self, sql, *args):
                if sql == "COMMIT":
                    os.kill(os.getpid(), signal.SIGKILL)  # the process dies mid-save
                return self.db.execute(sql, *args)

        store = Store({str(db)!r})
        store._db = KillBeforeCommit(store._db)
        store.put_scenario("keep", "name: keep\\ndescription: version two, never committed\\n")
    """)
    result = subprocess.run([sys.executable, "-c", child], capture_output=True)
    assert result.returncode == -9  # SIGKILL, as intended
    reopened = Store(db)
    assert reopened.get_scenario("keep") == V1
    reopened.put_scenario("keep", V1.replace("one", "three"))  # and the database still takes writes
    assert "three" in reopened.get_scenario("keep")
