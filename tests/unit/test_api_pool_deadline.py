"""The API pool's deadline, on stand-in connections over a real socket pair: the peer sees
the socket cut exactly when the deadline passes with the connection still handed out."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from typing import cast

import pytest
from psycopg2 import OperationalError

from api.db import ConnectionLost, ConnectionPool, DeadlineExceeded
from etl.warehouse.connection import Connection


class SocketConnection:
    """A connection's socket and what psycopg2 reports of it, the server at the other end."""

    def __init__(self) -> None:
        self.socket, self.server = socket.socketpair()
        self.server.settimeout(5)
        self.closed = 0

    def fileno(self) -> int:
        return self.socket.fileno()

    def close(self) -> None:
        self.closed = 1
        self.socket.close()

    def server_sees_the_socket_cut(self) -> bool:
        """Waits (at most 5 s) for the cut; False while the socket stays open."""
        return self.server.recv(1) == b""


@pytest.fixture
def opened() -> Iterator[list[SocketConnection]]:
    connections: list[SocketConnection] = []
    yield connections
    for conn in connections:
        conn.close()
        conn.server.close()


def _pool(opened: list[SocketConnection], deadline_s: float) -> ConnectionPool:
    def opener() -> Connection:
        opened.append(SocketConnection())
        return cast(Connection, opened[-1])

    return ConnectionPool(opener, deadline_s=deadline_s)


def test_a_read_within_the_deadline_keeps_its_connection(
    opened: list[SocketConnection],
) -> None:
    pool = _pool(opened, deadline_s=60)
    with pool.connection() as first:
        pass
    with pool.connection() as again:
        assert again is first
    opened[0].server.setblocking(False)
    with pytest.raises(BlockingIOError):  # nothing to read, and no end of stream
        opened[0].server.recv(1)


def test_a_read_past_the_deadline_fails_as_such_and_is_not_retried(
    opened: list[SocketConnection],
) -> None:
    pool = _pool(opened, deadline_s=0.01)

    def read_from_a_server_that_never_answers() -> None:
        with pool.connection() as conn:
            stand_in = cast(SocketConnection, conn)
            assert stand_in.server_sees_the_socket_cut()
            stand_in.closed = 2  # what psycopg2 does when libpq's read ends on the cut
            raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(DeadlineExceeded):
        read_from_a_server_that_never_answers()
    assert not issubclass(DeadlineExceeded, ConnectionLost)  # Database retries those
    assert opened[0].closed


def test_an_answer_just_before_the_cut_still_discards_the_connection(
    opened: list[SocketConnection],
) -> None:
    pool = _pool(opened, deadline_s=0.01)
    with pool.connection() as conn:
        assert cast(SocketConnection, conn).server_sees_the_socket_cut()
    assert opened[0].closed
    with pool.connection() as conn:
        assert cast(SocketConnection, conn) is not opened[0]
    assert len(opened) == 2


def _lose_the_server(pool: ConnectionPool, *, reuse_the_number: bool) -> None:
    """A read on which libpq closes its own descriptor (it lost the server) before the pool
    disarms the deadline, which passes meanwhile; with `reuse_the_number`, another socket
    gets that descriptor number first. That socket must not be cut."""
    with pool.connection() as conn:
        lost = cast(SocketConnection, conn)
        number = lost.fileno()
        lost.socket.close()
        lost.closed = 2
        if reuse_the_number:
            bystander, peer = socket.socketpair()  # most often given that number itself
            sockets = [bystander, peer]
            if bystander.fileno() != number:
                os.dup2(bystander.fileno(), number)
                sockets.append(socket.socket(fileno=number))
            try:
                time.sleep(0.2)
                peer.setblocking(False)
                with pytest.raises(BlockingIOError):  # nothing to read, and not cut
                    peer.recv(1)
            finally:
                for sock in sockets:
                    sock.close()
        else:
            time.sleep(0.2)
        raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.parametrize("reuse_the_number", [False, True], ids=["closed", "reused"])
def test_a_socket_libpq_closed_itself_neither_stops_the_watcher_nor_cuts_its_successor(
    opened: list[SocketConnection], reuse_the_number: bool
) -> None:
    pool = _pool(opened, deadline_s=0.05)
    with pytest.raises(DeadlineExceeded):
        _lose_the_server(pool, reuse_the_number=reuse_the_number)
    # The one watcher thread still cuts the next connection kept past its deadline.
    with pool.connection() as conn:
        assert cast(SocketConnection, conn).server_sees_the_socket_cut()
