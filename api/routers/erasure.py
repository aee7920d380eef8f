"""Erasure: delete a range of the signed-in user's plays, or everything of theirs.

`etl.warehouse.erasure` does the work: tombstones, so that deleted plays never come back,
and the order that lets an interrupted deletion complete when asked again.
"""

from __future__ import annotations

from contextlib import closing

from fastapi import APIRouter, Response

from api.db import load_query
from api.deps import ClockDep, DatabaseDep, ServicesDep, SettingsDep, UserIdDep, invalid
from api.models.erasure import (
    EraseEverything,
    ErasePlays,
    EverythingErased,
    PlaysErased,
    RefreshTokenFate,
)
from api.routers.auth import clear_session_cookie
from etl.pipeline import erasure as user_erasure
from etl.spotify.tokens import token_store
from etl.warehouse import erasure
from etl.warehouse.connection import connect

router = APIRouter(prefix="/erasure", tags=["erasure"])

_ME = load_query("me")
_USER_TIME_ZONE = load_query("user_time_zone")


@router.post(
    "/plays",
    summary="Erase the plays of a range of days",
    description="Deletes every play of the signed-in user that started in the local days "
    "`from` to `to` (both included; today at the latest, up to now), and the listening time "
    "they held, from every statistic. A tombstone in the lake keeps them from coming back "
    "when the warehouse is rebuilt or the same export is imported again. With `dry_run`, "
    "only counts them. 422 for a range that ends before it starts or after today.",
)
def erase_plays(
    body: ErasePlays,
    services: ServicesDep,
    database: DatabaseDep,
    user_id: UserIdDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> PlaysErased:
    params = {"user_id": user_id, "default_time_zone": settings.time_zone}
    time_zone: str = database.fetch_one(_USER_TIME_ZONE, params)["time_zone"]
    now = clock()
    try:
        start, end = erasure.past_local_days(body.from_, body.to, time_zone, now)
    except ValueError as error:
        raise invalid("to", str(error), body.to.isoformat(), part="body") from error
    # The API's pool is read-only; an erasure is rare enough to open a connection of its own.
    with closing(connect(settings)) as conn:
        if body.dry_run:
            found = erasure.plays_in_range(conn, user_id, start, end)
        else:
            found = erasure.erase_range(
                conn, services.lake, erasure.ErasedRange(user_id, start, end, now)
            )
    return PlaysErased(
        from_=body.from_,
        to=body.to,
        plays=found.plays,
        listening_ms=found.listening_ms,
        erased=not body.dry_run,
    )


@router.post(
    "/everything",
    summary="Delete everything Moodify keeps of the signed-in user",
    description="Deletes the user's rows from every warehouse table, their objects under "
    "every lake prefix, their Spotify refresh token and their sign-in state, which ends "
    "every session of theirs; this browser's session cookie is cleared. Catalog rows "
    "(tracks, artists, albums, episodes, features, genres) are shared and stay. `confirm` "
    "must be the user's id or display name (422 otherwise). Asked again after a failure, "
    "it completes the deletion.",
)
def erase_everything(
    body: EraseEverything,
    response: Response,
    services: ServicesDep,
    database: DatabaseDep,
    user_id: UserIdDep,
    settings: SettingsDep,
) -> EverythingErased:
    rows = database.fetch_all(_ME, {"user_id": user_id})
    names = {user_id, *(row["display_name"] for row in rows if row["display_name"])}
    if body.confirm.strip() not in names:
        message = "type your user id or display name exactly to confirm the deletion"
        raise invalid("confirm", message, body.confirm, part="body")
    # On AWS this function runs in the VPC, with no route to the token store (SSM): the
    # next ingest forgets the token of a user without a sign-in state, unused.
    tokens = None if settings.lake_bucket else token_store(settings)
    with closing(connect(settings)) as conn:
        erased = user_erasure.erase_user(conn, services.lake, tokens, user_id)
    clear_session_cookie(response)
    fate: RefreshTokenFate = "deleted" if erased.token_deleted else "none"
    return EverythingErased(
        rows=erased.rows,
        lake_objects=erased.lake_objects,
        refresh_token="forgotten_by_next_ingest" if tokens is None else fate,
    )
