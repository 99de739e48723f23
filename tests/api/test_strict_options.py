"""Strict options in the API: an unknown country or an option without effect is a 4xx naming the
problem and what is accepted."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("send", "status", "kind", "message"),
    [
        (lambda c: c.post("/api/route", json={"origin": "Baku", "destination": "Tbilisi", "avoid_countries": ["Iran"]}),
         400, "invalid_option", "'IRAN' is not a country code (ISO 3166-1 alpha-2, e.g. 'AZ'); did you mean: IR (Iran)"),
        (lambda c: c.get("/api/route", params={"origin": "Baku", "destination": "Tbilisi", "avoid_countries": "XX"}),
         400, "invalid_option", "'XX' is not a country code"),
        (lambda c: c.post("/api/matrix", json={"origins": ["Baku"], "destinations": ["Tbilisi"], "avoid_countries": ["RUS"]}),
         400, "invalid_option", "did you mean: RU (Russia)"),
        (lambda c: c.post("/api/route", json={"origin": "Baku", "destination": "Tbilisi", "close": ["suez"]}),
         422, "invalid_request", "close closes chokepoints of the world sea layer: set world to true, or drop close"),
        (lambda c: c.get("/api/route", params={"origin": "Baku", "destination": "Tbilisi", "close": "suez"}),
         422, "invalid_request", "set world to true, or drop close"),
    ],
)
def test_bad_options_answer_4xx_with_one_message(client, send, status, kind, message):
    response = send(client)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == kind
    assert message in body["message"]
