"""The whole FastAPI application: the versioned API, sign-in, health, and (locally) the
static dashboard. The auth function serves sign-in alone (`api.signin_app`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from api.errors import SIGNED_IN_ERRORS, declare_error_bodies, session_security
from api.local_guard import LocalGuard, served_names
from api.routers import (
    compare,
    entities,
    erasure,
    exclusions,
    exports,
    genres,
    habits,
    imports,
    listening_clock,
    me,
    mood,
    playback,
    podcasts,
    providers,
    recap,
    recent,
    search,
    settings,
    summary,
    top,
)
from api.signin_app import SIGN_IN_ROUTERS, new_app
from etl.core.clock import Clock, system_clock
from etl.core.settings import Settings

if TYPE_CHECKING:
    from etl.pipeline.steps import ProcessRawKeys  # the steps themselves are not the API's

API_PREFIX = "/api"
HISTORY_ROUTERS = (
    me.router,
    summary.router,
    top.router,
    listening_clock.router,
    recent.router,
    search.router,
    entities.router,
    habits.router,
    recap.router,
    playback.router,
    podcasts.router,
    mood.router,
    compare.router,
    genres.router,
    providers.router,
    exclusions.router,
    imports.router,
    exports.router,
    erasure.router,
    settings.router,
)


def create_app(
    settings: Settings | None = None,
    *,
    site_dir: Path | None = None,
    process_raw_keys: ProcessRawKeys | None = None,
    clock: Clock = system_clock,
    listening_on: str | None = None,
    docs: bool = True,
) -> FastAPI:
    """Build the app; `site_dir` (local `moodify serve`) also serves the exported dashboard.

    `clock` and `process_raw_keys` are as `api.signin_app.new_app` takes them.
    `listening_on` is the address the local server listens on: requests must then name it
    (see `api.local_guard`); on AWS, CloudFront and API Gateway are the doors.
    `docs` serves /docs and /redoc (see `new_app`).
    """
    settings = settings or Settings()
    app = new_app(settings, process_raw_keys=process_raw_keys, clock=clock, docs=docs)
    v1 = APIRouter()
    for router in HISTORY_ROUTERS:
        v1.include_router(router)
    # The prefix given here, not to APIRouter(): included without one, FastAPI builds every
    # route once more to check its path, work the next include throws away (~50 ms of the
    # API function's cold start).
    app.include_router(
        v1,
        prefix=f"{API_PREFIX}/v1",
        dependencies=[session_security(settings)],
        responses=SIGNED_IN_ERRORS,
    )
    for router in SIGN_IN_ROUTERS:
        app.include_router(router)
    app.add_api_route(
        f"{API_PREFIX}/{{path:path}}",
        _api_not_found,
        methods=["GET", "HEAD"],
        include_in_schema=False,
    )
    declare_error_bodies(app)
    if site_dir is not None:
        # Last, so that the API, /healthz and /docs win over the dashboard's files.
        app.mount("/", StaticFiles(directory=site_dir, html=True), name="site")
        # Served whole, the app compresses what it sends, as CloudFront does on AWS.
        app.add_middleware(GZipMiddleware, minimum_size=1024)
    if listening_on is not None:
        # Added last, so that it runs first.
        app.add_middleware(LocalGuard, names=served_names(listening_on, settings.allowed_hosts))
    return app


def _api_not_found(path: str) -> None:
    """Unknown /api paths answer JSON, never the dashboard's HTML."""
    raise HTTPException(status_code=404, detail=f"No API endpoint at /api/{path}")
