"""Database plumbing for the API: named SQL files and a small pool of read-only connections."""

from __future__ import annotations

import heapq
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NewType

from psycopg2 import InterfaceError, OperationalError
from psycopg2.extras import RealDictCursor

from etl.core.settings import Settings
from etl.warehouse.connection import Connection, connect

__all__ = [
    "ConnectionLost",
    "ConnectionPool",
    "Database",
    "DeadlineExceeded",
    "Query",
    "Row",
    "load_query",
]

Query = NewType("Query", str)
Row = dict[str, Any]

_QUERIES_DIR = Path(__file__).with_name("queries")


@cache
def load_query(name: str) -> Query:
    """The SQL of `api/queries/<name>.sql`; load at import time so a missing file fails early."""
    return Query((_QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8"))


class ConnectionLost(OperationalError):
    """The server side of a pooled connection went away (restart, failover, idle cut-off)."""


class DeadlineExceeded(OperationalError):
    """The server did not answer on a pooled connection within the pool's deadline."""


@dataclass(eq=False)
class _Deadline:
    """When a handed-out connection's socket gets cut, unless the connection is back first."""

    due: float
    socket: int
    # The socket's identity: libpq closes its descriptor itself when it loses the server,
    # and the number may then name another socket by the time the deadline passes.
    identity: tuple[int, int]
    ended: bool = False
    passed: bool = False

    def __lt__(self, other: _Deadline) -> bool:
        return self.due < other.due


class _Deadlines:
    """Cuts the socket of each connection still handed out when its deadline passes.

    The server enforces a statement timeout, which a stopped server process, or a connection
    a failover left half-open, never does: libpq then waits for ever on a socket the kernel
    keeps alive. Shutting the socket down ends that wait with an OperationalError. (A
    psycopg2 wait callback could give up too, but it is process-wide and forbids COPY on
    every connection of the process, the ETL's loads and the exports included.) One thread
    watches every deadline of the process: a timer thread per read, tried first, made a read
    about 0.5 ms slower; this costs it a few microseconds (`bench/read_deadline.py`).
    """

    def __init__(self) -> None:
        self._due: list[_Deadline] = []  # a heap; ended deadlines leave it when due
        self._changed = threading.Condition()
        self._watcher: threading.Thread | None = None

    def arm(self, conn: Connection, seconds: float) -> _Deadline:
        descriptor = conn.fileno()
        deadline = _Deadline(time.monotonic() + seconds, descriptor, _identity(descriptor))
        with self._changed:
            heapq.heappush(self._due, deadline)
            if self._watcher is None or not self._watcher.is_alive():
                self._watcher = threading.Thread(
                    target=self._watch, name="database-deadlines", daemon=True
                )
                self._watcher.start()
            elif self._due[0] is deadline:
                self._changed.notify()
        return deadline

    def end(self, deadline: _Deadline) -> bool:
        """Disarm; whether the deadline had passed (and the socket was cut) first."""
        with self._changed:
            deadline.ended = True
        return deadline.passed

    def _watch(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                while self._due and self._due[0].due <= now:
                    self._cut(heapq.heappop(self._due))
                self._changed.wait(self._due[0].due - now if self._due else None)

    @staticmethod
    def _cut(deadline: _Deadline) -> None:
        if deadline.ended:  # the connection may be closed already, its descriptor reused
            return
        deadline.passed = True
        # Never an error here, which would end the one watcher: a descriptor closed (libpq
        # lost the server) or now naming another socket is left alone.
        with suppress(OSError):
            if _identity(deadline.socket) != deadline.identity:
                return
            # Shutting down a duplicate of libpq's descriptor cuts the socket both name;
            # closing the duplicate leaves libpq's own to libpq.
            with socket.socket(fileno=os.dup(deadline.socket)) as sock:
                sock.shutdown(socket.SHUT_RDWR)


def _identity(descriptor: int) -> tuple[int, int]:
    status = os.fstat(descriptor)
    return status.st_dev, status.st_ino


_DEADLINES = _Deadlines()


def _new_deadlines() -> None:
    # A forked child has none of its parent's threads: no watcher, maybe a lock held.
    global _DEADLINES
    _DEADLINES = _Deadlines()


os.register_at_fork(after_in_child=_new_deadlines)


class ConnectionPool:
    """At most `size` connections, each opened by `opener` when first needed.

    `opener` runs for every new connection: with IAM authentication a token only admits new
    connections for 15 minutes, so none is cached here. A connection that fails with
    OperationalError or InterfaceError is closed and never handed out again. With
    `deadline_s`, a connection still handed out after that long has its socket cut: what
    waits on it fails with DeadlineExceeded, and it is closed.
    """

    def __init__(
        self,
        opener: Callable[[], Connection],
        *,
        size: int = 4,
        timeout: float = 10.0,
        deadline_s: float | None = None,
    ) -> None:
        self._opener = opener
        self._idle: list[Connection] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self._timeout = timeout
        self._deadline_s = deadline_s

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        if not self._slots.acquire(timeout=self._timeout):
            raise OperationalError(f"no database connection free within {self._timeout} s")
        try:
            conn = self._take()
            deadline = None if self._deadline_s is None else _DEADLINES.arm(conn, self._deadline_s)
            try:
                yield conn
            except (OperationalError, InterfaceError) as error:
                lost = conn.closed != 0  # psycopg2 marks a connection whose server went away
                # Disarmed before closing: a cut after it could hit a reused descriptor.
                passed = deadline is not None and _DEADLINES.end(deadline)
                conn.close()
                if passed:
                    # Not ConnectionLost: a retry would wait as long again, past the answer's
                    # time; the next request opens a new connection.
                    raise DeadlineExceeded(
                        f"no answer from the database within {self._deadline_s} s"
                    ) from error
                if lost and not isinstance(error, ConnectionLost):
                    raise ConnectionLost(str(error)) from error
                raise
            finally:
                if deadline is not None and _DEADLINES.end(deadline):
                    conn.close()  # its socket is cut, even if the answer came just in time
                if not conn.closed:
                    with self._lock:
                        self._idle.append(conn)
        finally:
            self._slots.release()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def _take(self) -> Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._opener()


def _open_read_only(settings: Settings) -> Connection:
    # A read that outlives the statement timeout is cancelled (QueryCanceledError, an
    # OperationalError), which the app answers with 503; the pool's deadline covers a server
    # too frozen to cancel anything.
    conn = connect(settings, statement_timeout_ms=settings.db_statement_timeout_ms)
    conn.set_session(readonly=True, autocommit=True)
    return conn


class Database:
    """Read-only access to the warehouse through a lazily filled pool."""

    def __init__(self, settings: Settings) -> None:
        self.pool = ConnectionPool(
            lambda: _open_read_only(settings),
            size=settings.db_pool_size,
            deadline_s=settings.db_read_deadline_s,
        )
        # One answer's independent reads run side by side on up to this many connections,
        # leaving the rest of the pool to other requests.
        self._side_by_side = min(settings.db_reads_side_by_side, settings.db_pool_size)

    def fetch_all(self, query: Query, params: Mapping[str, object]) -> list[Row]:
        """Rows as dicts; a pooled connection found dead is replaced once (reads are safe)."""
        try:
            return self._fetch_all(query, params)
        except ConnectionLost:
            return self._fetch_all(query, params)

    def fetch_one(self, query: Query, params: Mapping[str, object]) -> Row:
        """The single row of a query that always answers one (an aggregate, a lookup)."""
        rows = self.fetch_all(query, params)
        if len(rows) != 1:
            raise LookupError(f"expected one row, got {len(rows)}")
        return rows[0]

    def fetch_each(self, reads: Sequence[tuple[Query, Mapping[str, object]]]) -> list[list[Row]]:
        """Each read's rows, in order, the reads run side by side: for an answer made of
        independent queries, which then takes about as long as its slowest one."""
        with ThreadPoolExecutor(max_workers=min(len(reads), self._side_by_side)) as workers:
            return list(workers.map(lambda read: self.fetch_all(*read), reads))

    def close(self) -> None:
        self.pool.close()

    def _fetch_all(self, query: Query, params: Mapping[str, object]) -> list[Row]:
        with self.pool.connection() as conn, conn.cursor(cursor_factory=RealDictCursor) as cur:
            cur.execute(query, params)
            return [dict(row) for row in cur.fetchall()]
