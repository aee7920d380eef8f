from datetime import UTC, datetime

from fastapi import APIRouter, Request

from api.db import load_query
from api.deps import DatabaseDep, SettingsDep, UserIdDep
from api.models import Gap, IngestStatus, Me, SignIn
from etl.state import StateStore

router = APIRouter(tags=["account"])

_ME = load_query("me")
_GAPS = load_query("gaps")
LOGIN_URL = "/auth/login"


@router.get(
    "/me",
    summary="Who is signed in, and the state of their Spotify connection",
    description="Sign-in state (with a warning a month before Spotify ends a sign-in, six "
    "months after it was made), the last ingest, any cool-down Spotify imposed, and "
    "periods whose plays may be missing.",
)
def me(request: Request, user_id: UserIdDep, settings: SettingsDep, database: DatabaseDep) -> Me:
    state_store: StateStore = request.app.state.state_store
    now = datetime.now(UTC)
    user = state_store.user(user_id)
    rows = database.fetch_all(_ME, {"user_id": user_id})
    demo = not settings.spotify_connected
    cool_down = state_store.cool_down("spotify")
    active = cool_down is not None and cool_down.active(now)
    return Me(
        user_id=user_id,
        display_name=rows[0]["display_name"] if rows else None,
        demo=demo,
        sign_in=SignIn(
            state="not_connected" if demo or user.signed_in_at is None else user.sign_in_state,
            signed_in_at=user.signed_in_at,
            expires_at=user.expires_at(),
            expires_soon=user.sign_in_state == "connected" and user.expires_soon(now),
            login_url=LOGIN_URL,
        ),
        ingest=IngestStatus(
            last_run_at=user.last_ingest_at,
            cool_down_until=cool_down.until if cool_down and active else None,
            cool_down_reason=cool_down.reason if cool_down and active else None,
        ),
        gaps=[Gap(**row) for row in database.fetch_all(_GAPS, {"user_id": user_id})],
    )
