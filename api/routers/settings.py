from contextlib import closing

from fastapi import APIRouter

from api.db import Database, load_query
from api.deps import ClockDep, DatabaseDep, ServicesDep, SettingsDep, UserIdDep, invalid
from api.models.settings import SettingsChange, UserSettings
from etl.core.settings import Settings
from etl.warehouse.connection import connect
from etl.warehouse.user_settings import change_time_zone, set_ranking_measure

router = APIRouter(tags=["settings"])

_ME = load_query("me")


def user_settings(database: Database, user_id: str, settings: Settings) -> UserSettings:
    rows = database.fetch_all(_ME, {"user_id": user_id})
    return UserSettings.from_row(rows[0] if rows else None, settings.time_zone)


@router.get(
    "/settings",
    summary="The signed-in user's settings",
    description="The time zone that cuts the user's days, and the measure the dashboard's "
    "top lists rank by unless told otherwise.",
)
def get_settings(database: DatabaseDep, user_id: UserIdDep, settings: SettingsDep) -> UserSettings:
    return user_settings(database, user_id, settings)


@router.put(
    "/settings",
    summary="Change some of the signed-in user's settings",
    description="Changes the settings the body names and leaves the others. A new time zone "
    "cuts every past day again (as `moodify time-zone` does) before the answer, which takes "
    "a moment for a long history; answers computed in the old zone are not served again. "
    "422 for a time zone that is not an IANA name, or an unknown measure.",
)
def put_settings(
    change: SettingsChange,
    services: ServicesDep,
    database: DatabaseDep,
    user_id: UserIdDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> UserSettings:
    current = user_settings(database, user_id, settings)
    # The API's pool is read-only; a change is rare enough to open a connection of its own.
    with closing(connect(settings)) as conn:
        if change.time_zone is not None and change.time_zone != current.time_zone:
            try:
                change_time_zone(conn, services.state_store, user_id, change.time_zone, clock())
            except ValueError as error:
                raise invalid("time_zone", str(error), change.time_zone, part="body") from error
        if change.ranking_measure is not None:
            set_ranking_measure(
                conn,
                user_id,
                change.ranking_measure.value,
                clock(),
                time_zone=change.time_zone or current.time_zone,
            )
    return user_settings(database, user_id, settings)
