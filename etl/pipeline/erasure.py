"""Deleting everything Moodify keeps of a user: their refresh token, their warehouse rows
(etl.warehouse.erasure), their lake objects and, with their sign-in state, their sessions.

The steps run so that a deletion interrupted at any point completes when run again: the
refresh token first (no ingest pulls their plays again), then the warehouse in one
transaction, then the lake, their sign-in state last (until it goes, their session still
works, so they can ask again).
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.core.keys import PREFIXES, belongs_to_user, user_state_key, validate_user_id
from etl.core.lake import Lake
from etl.spotify.tokens import TokenStore
from etl.warehouse.connection import Connection
from etl.warehouse.erasure import delete_user_rows


@dataclass(frozen=True)
class ErasedUser:
    token_deleted: bool
    rows: dict[str, int]  # per table, the user's rows deleted
    lake_objects: int


def purge_user_objects(lake: Lake, user_id: str) -> int:
    """Delete every lake object of `user_id` but their sign-in state; how many went."""
    state_key = user_state_key(user_id)
    return sum(
        lake.purge(prefix, lambda key: belongs_to_user(key, user_id) and key != state_key)
        for prefix in PREFIXES
    )


def erase_user(conn: Connection, lake: Lake, tokens: TokenStore | None, user_id: str) -> ErasedUser:
    """Delete everything Moodify keeps of `user_id` (see the module's docstring for the
    order). `tokens` is None where the token store is out of reach (the API function in
    the VPC on AWS): the ingest then forgets the token of a user without a sign-in state."""
    validate_user_id(user_id)
    token_deleted = False
    if tokens is not None:
        token_deleted = tokens.get(user_id) is not None
        tokens.delete(user_id)
    rows = delete_user_rows(conn, user_id)
    objects = purge_user_objects(lake, user_id)
    state_key = user_state_key(user_id)
    objects += lake.purge(state_key, lambda key: key == state_key)
    return ErasedUser(token_deleted, rows, objects)
