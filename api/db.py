"""Database plumbing for the API: named SQL files and a small pool of read-only connections."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, NewType

from psycopg2 import InterfaceError, OperationalError
from psycopg2.extras import RealDictCursor

from etl.core.settings import Settings
from etl.warehouse.connection import Connection, connect

__all__ = ["ConnectionLost", "ConnectionPool", "Database", "Query", "Row", "load_query"]

Query = NewType("Query", str)
Row = dict[str, Any]

_QUERIES_DIR = Path(__file__).with_name("queries")


@cache
def load_query(name: str) -> Query:
    """The SQL of `api/queries/<name>.sql`; load at import time so a missing file fails early."""
    return Query((_QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8"))


class ConnectionLost(OperationalError):
    """The server side of a pooled connection went away (restart, failover, idle cut-off)."""


class ConnectionPool:
    """At most `size` connections, each opened by `opener` when first needed.

    `opener` runs for every new connection: with IAM authentication a token only admits new
    connections for 15 minutes, so none is cached here. A connection that fails with
    OperationalError or InterfaceError is closed and never handed out again.
    """

    def __init__(
        self, opener: Callable[[], Connection], *, size: int = 4, timeout: float = 10.0
    ) -> None:
        self._opener = opener
        self._idle: list[Connection] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self._timeout = timeout

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        if not self._slots.acquire(timeout=self._timeout):
            raise OperationalError(f"no database connection free within {self._timeout} s")
        try:
            conn = self._take()
            try:
                yield conn
            except (OperationalError, InterfaceError) as error:
                lost = conn.closed != 0  # psycopg2 marks a connection whose server went away
                conn.close()
                if lost and not isinstance(error, ConnectionLost):
                    raise ConnectionLost(str(error)) from error
                raise
            finally:
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
    # OperationalError), which the app answers with 503: a frozen database fails fast.
    conn = connect(settings, statement_timeout_ms=settings.db_statement_timeout_ms)
    conn.set_session(readonly=True, autocommit=True)
    return conn


class Database:
    """Read-only access to the warehouse through a lazily filled pool."""

    def __init__(self, settings: Settings, *, pool_size: int = 8) -> None:
        self.pool = ConnectionPool(lambda: _open_read_only(settings), size=pool_size)
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
