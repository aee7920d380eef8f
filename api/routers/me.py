from datetime import timedelta

from fastapi import APIRouter

from api.db import load_query
from api.deps import ClockDep, DatabaseDep, ServicesDep, SettingsDep, UserIdDep
from api.models.account import Freshness, Gap, IngestStatus, Me, SignIn
from api.models.settings import UserSettings

router = APIRouter(tags=["account"])

_ME = load_query("me")
_GAPS = load_query("gaps")
_LAST_ETL_REFRESH = load_query("last_etl_refresh")
# The alarm's threshold too: hourly ingests, so three missed in a row.
INGEST_STALE_AFTER = timedelta(hours=3)
LOGIN_URL = "/auth/login"


@router.get(
    "/me",
    summary="Who is signed in, and the state of their Spotify connection",
    description="Sign-in state (with a warning a month before Spotify ends a sign-in, six "
    "months after it was made), the last ingest, any cool-down Spotify imposed, and "
    "periods whose plays may be missing, the time zone that cuts the user's days, and when "
    "the last ingest and the last ETL refresh succeeded.",
)
def me(
    services: ServicesDep,
    user_id: UserIdDep,
    settings: SettingsDep,
    database: DatabaseDep,
    clock: ClockDep,
) -> Me:
    state_store = services.state_store
    now = clock()
    user = state_store.user(user_id)
    rows = database.fetch_all(_ME, {"user_id": user_id})
    preferences = UserSettings.from_row(rows[0] if rows else None, settings.time_zone)
    signed_in = settings.spotify_connected and user.signed_in_at is not None
    cool_down = state_store.cool_down("spotify")
    active = cool_down is not None and cool_down.active(now)
    refreshes = database.fetch_all(_LAST_ETL_REFRESH, {})
    return Me(
        user_id=user_id,
        display_name=rows[0]["display_name"] if rows else None,
        time_zone=preferences.time_zone,
        ranking_measure=preferences.ranking_measure,
        demo=user.generated,
        sign_in=SignIn(
            state=user.sign_in_state if signed_in else "not_connected",
            signed_in_at=user.signed_in_at,
            expires_at=user.expires_at(),
            expires_soon=signed_in and user.sign_in_state == "connected" and user.expires_soon(now),
            login_url=LOGIN_URL,
        ),
        ingest=IngestStatus(
            last_run_at=user.last_ingest_at,
            cool_down_until=cool_down.until if cool_down and active else None,
            cool_down_reason=cool_down.reason if cool_down and active else None,
        ),
        freshness=Freshness(
            last_ingest_at=user.last_ingest_at if settings.spotify_connected else None,
            last_etl_at=refreshes[0]["refreshed_at"] if refreshes else None,
            checked_at=now,
            ingest_stale=signed_in
            and (user.last_ingest_at is None or now - user.last_ingest_at > INGEST_STALE_AFTER),
        ),
        gaps=[Gap(**row) for row in database.fetch_all(_GAPS, {"user_id": user_id})],
    )
