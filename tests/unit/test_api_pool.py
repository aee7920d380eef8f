"""The API's connection pool, with stand-in connections."""

from __future__ import annotations

from typing import cast

import pytest
from psycopg2 import InterfaceError, OperationalError

from api.db import ConnectionLost, ConnectionPool
from etl.warehouse.connection import Connection


class FakeConnection:
    def __init__(self, number: int) -> None:
        self.number = number
        self.closed = 0

    def close(self) -> None:
        self.closed = 1


class Opener:
    """Counts how often the pool asks for a new connection (an IAM token each time on AWS)."""

    def __init__(self) -> None:
        self.opened: list[FakeConnection] = []

    def __call__(self) -> Connection:
        conn = FakeConnection(len(self.opened))
        self.opened.append(conn)
        return cast(Connection, conn)


@pytest.fixture
def opener() -> Opener:
    return Opener()


def test_new_connections_come_from_the_opener_and_idle_ones_are_reused(opener: Opener) -> None:
    pool = ConnectionPool(opener, size=2)
    with pool.connection() as first:
        pass
    with pool.connection() as again:
        assert again is first
        with pool.connection() as concurrent:
            assert concurrent is not first
    assert len(opener.opened) == 2


@pytest.mark.parametrize("error", [OperationalError("gone"), InterfaceError("closed")])
def test_a_connection_that_failed_is_closed_and_not_reused(
    opener: Opener, error: Exception
) -> None:
    pool = ConnectionPool(opener)
    with pytest.raises(type(error)), pool.connection():
        raise error
    assert opener.opened[0].closed
    with pool.connection() as conn:
        assert cast(FakeConnection, conn).number == 1


def test_a_connection_whose_server_went_away_is_reported_as_lost(opener: Opener) -> None:
    pool = ConnectionPool(opener)

    def use_a_dying_connection() -> None:
        with pool.connection() as conn:
            cast(FakeConnection, conn).closed = 2  # what psycopg2 does when the socket dies
            raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(ConnectionLost):
        use_a_dying_connection()
    assert opener.opened[0].closed


def test_other_errors_keep_the_connection(opener: Opener) -> None:
    pool = ConnectionPool(opener)
    with pytest.raises(ValueError, match="bad"), pool.connection():
        raise ValueError("bad")
    with pool.connection():
        pass
    assert len(opener.opened) == 1


def test_waiting_beyond_the_pool_size_times_out(opener: Opener) -> None:
    pool = ConnectionPool(opener, size=1, timeout=0.01)
    with (
        pool.connection(),
        pytest.raises(OperationalError, match="no database connection"),
        pool.connection(),
    ):
        pass
    with pool.connection():  # the slot was given back
        pass


def test_close_closes_the_idle_connections(opener: Opener) -> None:
    pool = ConnectionPool(opener)
    with pool.connection():
        pass
    pool.close()
    assert opener.opened[0].closed
