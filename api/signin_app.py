"""The app of the sign-in function (/auth/* and /healthz), and the FastAPI application with
its services that every Moodify app starts from.

The history's routers are not imported here: on AWS the auth function serves sign-in alone,
and every module its handler loads is a cold start's wait (bench/cold_starts.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from psycopg2 import OperationalError

from api.answer_cache import AnswerCache
from api.db import Database
from api.routers import auth, health
from api.services import Services
from etl.core.clock import Clock, system_clock
from etl.core.lake import Lake, LocalLake, S3Lake
from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.spotify.ingest import Spotify

if TYPE_CHECKING:
    from etl.pipeline.steps import ProcessRawKeys  # the steps themselves are not the API's

SIGN_IN_ROUTERS = (auth.router, health.router)


def create_signin_app(
    settings: Settings | None = None,
    *,
    process_raw_keys: ProcessRawKeys | None = None,
    clock: Clock = system_clock,
) -> FastAPI:
    """Sign-in with Spotify and the health check, as the auth function serves them."""
    app = new_app(
        settings or Settings(), process_raw_keys=process_raw_keys, clock=clock, docs=False
    )
    for router in SIGN_IN_ROUTERS:
        app.include_router(router)
    return app


def new_app(
    settings: Settings, *, process_raw_keys: ProcessRawKeys | None, clock: Clock, docs: bool
) -> FastAPI:
    """The application with its services and no routes yet.

    `clock` is the app's only source of "now" (a test passes a simulated one).

    `process_raw_keys` runs the pipeline on raw objects that sign-in (and, locally, an
    upload) writes; on AWS it is left out, because the lake's object events start the
    pipeline.

    With `docs`, /docs and /redoc serve Swagger UI and ReDoc from assets that
    fastapi-offline ships, not from a CDN, so that they work without internet. CloudFront
    sends neither path to a function, so the functions' bundles leave those assets out.
    """
    database = Database(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        database.close()

    app = _fastapi(docs=docs)(
        title="Moodify API",
        description="Listening analytics over your Spotify history. Days are cut in the "
        "user's time zone; listening time always comes from ms_played.",
        version="1",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    lake: Lake = (
        S3Lake(settings.lake_bucket) if settings.lake_bucket else LocalLake(settings.lake_dir)
    )
    app.state.services = Services(
        settings=settings,
        clock=clock,
        database=database,
        answers=AnswerCache(settings.api_cache_mb * 1024 * 1024),
        lake=lake,
        state_store=StateStore(lake),
        spotify=partial(Spotify.from_settings, clock=clock),
        process_raw_keys=process_raw_keys or _leave_to_lake_events,
        url_path_for=app.url_path_for,
    )
    app.add_exception_handler(OperationalError, _database_unavailable)
    return app


def _fastapi(*, docs: bool) -> Callable[..., FastAPI]:
    """FastAPI with /docs and /redoc served from fastapi-offline's assets, or without docs."""
    if not docs:
        return partial(FastAPI, docs_url=None, redoc_url=None)
    from fastapi_offline import FastAPIOffline  # here: the functions' bundles don't ship it

    return FastAPIOffline


def _leave_to_lake_events(raw_keys: list[str]) -> None:
    """On AWS, a new raw object starts the pipeline through its S3 event."""


async def _database_unavailable(_: Request, __: Exception) -> JSONResponse:
    return JSONResponse({"detail": "The database is unavailable."}, status_code=503)
