"""Request dependencies: the app's services, whose data, and the shared date-range checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BeforeValidator

from api.db import Database, load_query
from api.services import Services
from etl.core.clock import Clock, local_today
from etl.core.settings import Settings
from etl.spotify.sessions import session_cookie_name

CALENDAR_MAX_DAYS = 366
CALENDAR_DEFAULT_DAYS = 365

_USER_TIME_ZONE = load_query("user_time_zone")
_LAST_LISTENING_DAY = load_query("last_listening_day")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def invalid(
    name: str, message: str, value: object, *, part: Literal["query", "body"] = "query"
) -> RequestValidationError:
    """A 422 answer shaped like FastAPI's own validation errors, for the request's `name`
    (a query parameter, or a field of the body)."""
    return RequestValidationError(
        [{"type": "value_error", "loc": (part, name), "msg": message, "input": value}]
    )


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services  # set by `create_app`, and only there
    return services


# The dependencies that only read what `create_app` built are async: FastAPI runs them in
# the event loop, where a plain function would cost a trip through its thread pool.
async def get_services(request: Request) -> Services:
    return services_of(request)


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_settings(services: ServicesDep) -> Settings:
    return services.settings


async def get_clock(services: ServicesDep) -> Clock:
    return services.clock


async def get_database(services: ServicesDep) -> Database:
    return services.database


SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
DatabaseDep = Annotated[Database, Depends(get_database)]


def current_user_id(request: Request, services: ServicesDep) -> str:
    """Whose data a request reads.

    On AWS the Lambda authorizer has checked the session cookie before the request reached
    this function (which cannot reach the secret store) and passes the user id on. Locally
    the cookie is checked here. Either way, a user taken off the allowlist is signed out,
    and so is a session that "sign out everywhere" or a deletion of the user voided.
    Without a Spotify app configured (the local demo) there is no sign-in, and the
    configured user is served.
    """
    authorizer = request.scope.get("aws.event", {}).get("requestContext", {}).get("authorizer")
    if authorizer:
        return str(authorizer["lambda"]["user_id"])
    settings = services.settings
    if not settings.spotify_connected:
        return settings.user_id
    cookie = request.cookies.get(session_cookie_name(settings))
    user_id = services.sessions.signed_in_user_id(cookie, settings, services.state_store)
    if user_id is None:
        raise HTTPException(status_code=401, detail="Sign in with Spotify at /auth/login")
    return user_id


UserIdDep = Annotated[str, Depends(current_user_id)]


@dataclass(frozen=True)
class DateRange:
    """Inclusive local dates; None leaves that side open."""

    start: date | None
    end: date | None

    def params(self) -> dict[str, object]:
        return {"from": self.start, "to": self.end}


FromDate = Annotated[
    IsoDate | None, Query(alias="from", description="First local day (YYYY-MM-DD), inclusive.")
]
ToDate = Annotated[
    IsoDate | None, Query(alias="to", description="Last local day (YYYY-MM-DD), inclusive.")
]


async def date_range(start: FromDate = None, end: ToDate = None) -> DateRange:
    if start is not None and end is not None and end < start:
        raise invalid("to", f"`to` ({end}) is before `from` ({start})", end.isoformat())
    return DateRange(start, end)


DateRangeDep = Annotated[DateRange, Depends(date_range)]


@dataclass(frozen=True)
class Scope:
    """Whose plays, cut into days in which time zone, between which local days."""

    user_id: str
    time_zone: str
    period: DateRange

    def params(self, **extra: object) -> dict[str, object]:
        return {"user_id": self.user_id, "tz": self.time_zone, **self.period.params(), **extra}


def listening_scope(
    period: DateRangeDep, user_id: UserIdDep, settings: SettingsDep, database: DatabaseDep
) -> Scope:
    params = {"user_id": user_id, "default_time_zone": settings.time_zone}
    time_zone: str = database.fetch_one(_USER_TIME_ZONE, params)["time_zone"]
    return Scope(user_id, time_zone, period)


ScopeDep = Annotated[Scope, Depends(listening_scope)]


@dataclass(frozen=True)
class Days(DateRange):
    """A closed range of local days: both ends known."""

    start: date
    end: date


def calendar_range(
    scope: ScopeDep,
    database: DatabaseDep,
    clock: ClockDep,
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="A calendar year; not with from/to.")
    ] = None,
) -> Days:
    """A closed range of at most 366 days: `year`, `from`/`to`, or the 365 days up to the
    last local day with a play (today when there is none)."""
    start, end = scope.period.start, scope.period.end
    if year is not None:
        if start is not None or end is not None:
            raise invalid("year", "give either `year` or `from`/`to`, not both", year)
        start, end = date(year, 1, 1), date(year, 12, 31)
    window = timedelta(days=CALENDAR_DEFAULT_DAYS - 1)
    if end is None:
        if start is not None:
            end = start + window
        else:
            today = local_today(clock, scope.time_zone)
            end = database.fetch_one(_LAST_LISTENING_DAY, scope.params(today=today))["day"]
    if start is None:
        start = end - window
    if (end - start).days + 1 > CALENDAR_MAX_DAYS:
        raise invalid(
            "to",
            f"the range {start} to {end} spans {(end - start).days + 1} days; "
            f"at most {CALENDAR_MAX_DAYS} are allowed",
            end.isoformat(),
        )
    return Days(start, end)


CalendarDaysDep = Annotated[Days, Depends(calendar_range)]
