"""The REST API and web app (FastAPI): ``create_app(settings)``; needs the ``web`` extra."""

from corridors.api.settings import Settings

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings | None = None):
    """Build the ASGI application (imports FastAPI only when called)."""
    from corridors.api.app import create_app as _create

    return _create(settings)
