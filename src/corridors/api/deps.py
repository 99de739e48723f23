"""Dependencies injected into route functions."""

from __future__ import annotations

from fastapi import Request

from corridors.api.service import Service


def get_service(request: Request) -> Service:
    return request.app.state.service
