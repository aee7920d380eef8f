"""A bounded store of answers' bodies, least recently used out first."""

from __future__ import annotations

from collections import OrderedDict


class AnswerCache:
    """Bodies by key, holding at most `max_bytes` of them (0: holds nothing).

    Used from the event loop only (the answering route awaits nothing between reading and
    writing it), so it needs no lock.
    """

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0

    def get(self, key: str) -> bytes | None:
        body = self._bodies.get(key)
        if body is not None:
            self._bodies.move_to_end(key)
        return body

    def put(self, key: str, body: bytes) -> None:
        if len(body) > self._max_bytes or key in self._bodies:
            return
        self._bodies[key] = body
        self._bytes += len(body)
        while self._bytes > self._max_bytes:
            _, evicted = self._bodies.popitem(last=False)
            self._bytes -= len(evicted)
