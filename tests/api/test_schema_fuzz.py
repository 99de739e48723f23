"""Property-based run against the OpenAPI schema (schemathesis): no input yields a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from corridors.api import Settings, create_app

app = create_app(Settings(db_path=Path(tempfile.mkdtemp()) / "fuzz.sqlite", max_matrix_cells=16, max_lanes=5))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.path} -> {response.status_code}: {response.text[:500]}"
    if response.status_code >= 400:
        body = response.json()
        assert body["error"] and body["message"], body  # every error is JSON a person can act on
