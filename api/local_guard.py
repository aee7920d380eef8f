"""The local server's doors: requests must name this server, and writes must come from it.

A web page elsewhere can make a browser send requests to `127.0.0.1:8000` with a name it
controls that resolves there (DNS rebinding), and post forms to it from its own origin. The
first carries the page's name in `Host`, the second its origin in `Origin`; the guard
refuses both. On AWS, CloudFront and API Gateway stand in front of the API and the guard is
not installed (`api.app.create_app` adds it only when told the address it serves).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["LOOPBACK_NAMES", "LocalGuard", "is_loopback", "served_names"]

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_WILDCARDS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 (names, not a bind)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_loopback(host: str) -> bool:
    """Whether listening on `host` reaches this machine alone."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def served_names(host: str, also: Iterable[str] = ()) -> frozenset[str]:
    """The names a request may give in `Host` for a server listening on `host`.

    Loopback answers to every loopback name; a wildcard bind answers to those and to
    `also` (the names the owner reaches it by on the network: `MOODIFY_ALLOWED_HOSTS`),
    never to any name, which is what DNS rebinding needs.
    """
    bound = host.strip("[]").lower()
    names = {name.strip("[]").lower() for name in also}
    if bound in _WILDCARDS or is_loopback(bound):
        names |= LOOPBACK_NAMES
    if bound not in _WILDCARDS:
        names.add(bound)
    return frozenset(names)


def _name_of(netloc: str) -> str | None:
    """The host name of `host[:port]` (IPv6 in brackets), lower-cased; None if malformed."""
    try:
        return urlsplit(f"//{netloc}").hostname
    except ValueError:  # an unclosed IPv6 bracket
        return None


class LocalGuard:
    """ASGI middleware: 400 for a foreign `Host`, 403 for a write from a foreign origin.

    `Host` is checked by name alone: a rebinding page cannot choose the name, whatever the
    port, and `ssh -L 9000:localhost:8000` must keep working. A write's `Origin` (or else
    `Referer`) must name exactly what `Host` does, port included: another program on this
    machine (a dev server on :3000, any local app's pages) is another origin. Browsers
    write both the same way, leaving out a default port. A write with neither `Origin` nor
    `Referer` passes: browsers send `Origin` with every cross-origin POST, PUT, PATCH and
    DELETE, and the tools that send neither (curl, scripts) are the owner's own.
    """

    def __init__(self, app: ASGIApp, *, names: frozenset[str]) -> None:
        self.app = app
        self.names = names

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan; the app serves no websockets
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if _name_of(host) not in self.names:
            await _refuse(send, 400, "This server does not answer to that Host name.")
            return
        if scope["method"] not in _SAFE_METHODS:
            source = headers.get("origin") or headers.get("referer")
            if source is not None and not _same_origin(source, host):
                await _refuse(send, 403, "Writes are accepted from this server's pages only.")
                return
        await self.app(scope, receive, send)


def _same_origin(url: str, host: str) -> bool:
    """Whether a page at `url` is on the server the request names in `Host`, port included.
    "null" (a sandboxed frame, a file:// page) has no host and is foreign."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
