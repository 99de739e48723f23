"""An API client on the packaged atlas with a fresh database per test module."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from corridors.api import Settings, create_app


@pytest.fixture(scope="session", autouse=True)
def _testserver_is_an_allowed_host():
    """Starlette's test client sends ``Host: testserver``: every app built in these tests also
    answers that name (through the settings' environment variable, the default list unchanged)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CORRIDORS_ALLOWED_HOSTS", "testserver")
        yield


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = Settings(db_path=tmp_path_factory.mktemp("api") / "corridors.sqlite", max_matrix_cells=9)
    with TestClient(create_app(settings)) as test_client:
        yield test_client
