"""What every fake server shares: a uvicorn thread on loopback, fault injection, recording.

A fake is an ASGI app served on 127.0.0.1 by uvicorn in a background thread, so a test
(or the live demo) talks to it over real HTTP with any client. In front of the app sits a
layer that injects the failures a test asks for (statuses, `Retry-After`, odd bodies, slow
answers), consumed in the order they were asked for, and records every exchange so a test
can assert what a client sent, and how often.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl

import uvicorn
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from moodify.demo.simulation.clock import Clock, system_clock

_STARTUP_TIMEOUT_S = 10.0
_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One exchange with a fake, as the fake saw it."""

    method: str
    path: str
    query: Mapping[str, str]  # a repeated parameter keeps its last value
    headers: Mapping[str, str]  # lower-case names
    form: Mapping[str, str]  # a form-encoded body; empty otherwise
    at: datetime  # by the fake's clock
    status: int
    response: bytes  # the response body
    injected: bool  # the answer was an injected fault, not the fake's own

    def json(self) -> Any:
        return json.loads(self.response)


@dataclass(slots=True)
class _Fault:
    pattern: str
    method: str | None
    status: int | None  # None: answer normally, after `delay`
    remaining: int
    retry_after: int | None
    body: object
    delay: float


class FakeServer(ABC):
    """Base of the fakes: serve `self.app()` and wrap it in fault injection and recording."""

    def __init__(self, *, clock: Clock | None = None, port: int = 0) -> None:
        self.clock: Clock = clock or system_clock
        self._requested_port = port
        self._lock = threading.Lock()
        self._faults: list[_Fault] = []
        self._recorded: list[RecordedRequest] = []
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    # To be provided by each fake ---------------------------------------------------------

    @abstractmethod
    def app(self) -> ASGIApp:
        """The fake's own answers."""

    @abstractmethod
    def fault_body(self, status: int, path: str) -> object:
        """The body of an injected `status` at `path` when the test gives none."""

    # Lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError(f"{type(self).__name__} is already running at {self.url}")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit it: without, uvicorn's separate writes of a response's
        # head and body wait out the client's delayed ACK (40 ms per exchange on Linux).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(("127.0.0.1", self._requested_port))  # port 0: the OS picks a free one
        config = uvicorn.Config(
            self._asgi(self.app()),
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,  # a slow answer in flight must not hold up stop()
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=type(self).__name__, daemon=True
        )
        thread.start()
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                raise RuntimeError(f"{type(self).__name__} did not start")
            time.sleep(0.005)
        self._server, self._thread, self._socket = server, thread, sock
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None or self._socket is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=_STARTUP_TIMEOUT_S)
        self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`, without a trailing slash."""
        if self._socket is None:
            raise RuntimeError(f"{type(self).__name__} is not running: start() it first")
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    # Fault injection ---------------------------------------------------------------------

    def fail(
        self,
        path: str,
        status: int | None = None,
        *,
        times: int = 1,
        retry_after: int | None = None,
        body: object = None,
        delay: float = 0.0,
        method: str | None = None,
    ) -> None:
        """Answer the next `times` requests whose path matches `path` with a failure.

        `path` is a glob (`/v1/artists/*`); `body` is JSON-encoded unless it is a string,
        which is sent as an HTML page (as a gateway's 502 is); without one the fake's own
        error body for `status` is sent. `delay` seconds pass before the answer; with no
        `status` the request is then answered normally (a slow answer). Faults are consumed
        in the order they were added, the first matching one per request.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        if status is None and delay <= 0:
            raise ValueError("give a status, a delay or both")
        with self._lock:
            self._faults.append(_Fault(path, method, status, times, retry_after, body, delay))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fnmatchcase(path, fault.pattern) and fault.method in (None, method):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _fault_response(self, fault: _Fault, status: int, path: str) -> Response:
        headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
        if isinstance(fault.body, str):
            return Response(fault.body, status, headers, media_type="text/html")
        body = self.fault_body(status, path) if fault.body is None else fault.body
        return JSONResponse(body, status, headers)

    # Recording ---------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request so far, oldest first (a copy)."""
        with self._lock:
            return list(self._recorded)

    def calls(self, path_prefix: str = "/", *, method: str | None = None) -> int:
        """How many requests had a path starting with `path_prefix` (and `method`)."""
        return sum(
            1
            for r in self.requests
            if r.path.startswith(path_prefix) and method in (None, r.method)
        )

    def clear_requests(self) -> None:
        with self._lock:
            self._recorded.clear()

    # The layer in front of the app ---------------------------------------------------------

    def _asgi(self, app: ASGIApp) -> ASGIApp:
        async def serve(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            body = await _read_body(receive)
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if replayed:  # the app waits for a disconnect: let it wait like uvicorn's
                    return await receive()
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}

            method, path = scope["method"], scope["path"]
            fault = self._take_fault(method, path)
            injected = fault is not None and fault.status is not None
            status = 500
            chunks: list[bytes] = []

            async def capture(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                elif message["type"] == "http.response.body":
                    chunks.append(message.get("body", b""))
                    if not message.get("more_body", False):
                        # Recorded before the last byte leaves: a client that has its answer
                        # finds the exchange in `requests`.
                        self._record(scope, body, status, b"".join(chunks), injected)
                await send(message)

            if fault is not None and fault.delay > 0:
                await asyncio.sleep(fault.delay)
            if fault is not None and fault.status is not None:
                response = self._fault_response(fault, fault.status, path)
                await response(scope, replay, capture)
            else:
                await app(scope, replay, capture)

        return serve

    def _record(
        self, scope: Scope, body: bytes, status: int, response: bytes, injected: bool
    ) -> None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        form = form_body(body) if headers.get("content-type", "").startswith(_FORM) else {}
        query = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
        recorded = RecordedRequest(
            method=scope["method"],
            path=scope["path"],
            query=query,
            headers=headers,
            form=form,
            at=self.clock(),
            status=status,
            response=response,
            injected=injected,
        )
        with self._lock:
            self._recorded.append(recorded)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def form_body(body: bytes) -> dict[str, str]:
    """A form-encoded request body as a dict (a repeated field keeps its last value)."""
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
