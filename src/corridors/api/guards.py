"""ASGI guards run before any route: the Host header (against DNS rebinding) and the size of the
request body. Each answers in the API's JSON error shape without reaching the application."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.responses import JSONResponse


def error_response(status: int, kind: str, message: str, details: list[Any] | None = None) -> JSONResponse:
    """The API's error shape: ``{"error", "message", "details"}``."""
    return JSONResponse({"error": kind, "message": message, "details": details or []}, status_code=status)


def host_name(host: str) -> str:
    """The name part of a Host header or a bound address, lower-case and without the port;
    an IPv6 address in brackets. What follows the name must be nothing or ``:digits``, else the
    whole text is returned, to match no allowed name.

    >>> host_name("LocalHost:8000"), host_name("[::1]:8000"), host_name("::1"), host_name("127.0.0.1")
    ('localhost', '[::1]', '[::1]', '127.0.0.1')
    >>> host_name("[::1]evil"), host_name("localhost:80x")
    ('[::1]evil', 'localhost:80x')
    """
    host = host.strip().lower()
    if host.startswith("[") and "]" in host:
        name, rest = host[: host.find("]") + 1], host[host.find("]") + 1:]
    elif host.count(":") > 1:  # a bare IPv6 address (as given to --host)
        return f"[{host}]"
    else:
        name, colon, port = host.partition(":")
        rest = colon + port
    return name if rest == "" or (rest[0] == ":" and rest[1:].isdigit() and rest[1:].isascii()) else host


class HostCheck:
    """Answers 400 to a request whose Host header is none of ``allowed`` (the names the server
    is bound to): a web page on another site cannot then reach the API by pointing its own
    host name at this machine (DNS rebinding). ``"*"`` among ``allowed`` turns the check off."""

    def __init__(self, app, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(host_name(h) for h in allowed)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or "*" in self.allowed:
            return await self.app(scope, receive, send)
        header = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if host_name(header) in self.allowed:
            return await self.app(scope, receive, send)
        shown = header[:100] if header else "(none)"
        message = (f"host {shown!r} is not served here: this server answers to {', '.join(sorted(self.allowed))}; "
                   "start it with --allowed-host NAME to add the name clients use")
        await error_response(400, "invalid_host", message)(scope, receive, send)


class BodyLimit:
    """Answers 413 to a request whose body exceeds ``limit`` bytes, whether its Content-Length
    says so or it is streamed (chunked) past the limit. The body is read here, at most
    ``limit`` bytes of it, before the application sees the request."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = error_response(413, "body_too_large", f"request body too large: the limit is {self.limit:,} bytes")
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await too_large(scope, receive, send)
        chunks: list[bytes] = []
        received = 0
        while True:
            event = await receive()
            if event["type"] != "http.request":  # the client left
                return
            chunks.append(event.get("body", b""))
            received += len(chunks[-1])
            if received > self.limit:
                return await too_large(scope, receive, send)
            if not event.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
