"""Database plumbing for the API: named SQL files and a small pool of read-only connections."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
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


class _Deadline:
    """Cuts a connection's socket once `seconds` have passed, unless ended first.

    The server enforces a statement timeout, which a stopped server process, or a connection
    a failover left half-open, never does: libpq then waits for ever on a socket the kernel
    keeps alive. Shutting the socket down ends that wait with an OperationalError. (A
    psycopg2 wait callback could give up too, but it is process-wide and forbids COPY on
    every connection of the process, the ETL's loads and the exports included.)
    """

    def __init__(self, conn: Connection, seconds: float) -> None:
        self._socket = conn.fileno()
        self._lock = threading.Lock()
        self._ended = False
        self._passed = False
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True
        self._timer.start()

    def end(self) -> bool:
        """Disarm; whether the deadline had passed (and the socket was cut) first."""
        with self._lock:
            self._ended = True
        self._timer.cancel()
        return self._passed

    def _cut(self) -> None:
        with self._lock:
            if self._ended:  # the connection may be closed already, its descriptor reused
                return
            self._passed = True
            # Shutting down a duplicate of libpq's descriptor cuts the socket both name;
            # closing the duplicate leaves libpq's own to libpq.
            with socket.socket(fileno=os.dup(self._socket)) as sock, suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


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
            deadline = None if self._deadline_s is None else _Deadline(conn, self._deadline_s)
            try:
                yield conn
            except (OperationalError, InterfaceError) as error:
                lost = conn.closed != 0  # psycopg2 marks a connection whose server went away
                # Disarmed before closing: a cut after it could hit a reused descriptor.
                passed = deadline is not None and deadline.end()
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
                if deadline is not None and deadline.end():
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

    def __init__(self, settings: Settings, *, pool_size: int = 8) -> None:
        self.pool = ConnectionPool(
            lambda: _open_read_only(settings),
            size=pool_size,
            deadline_s=settings.db_read_deadline_s,
        )
        # One answer's independent reads run side by side on up to this many connections,
        # leaving the rest of the pool to other requests.
        self._side_by_side = max(1, pool_size // 2)

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
