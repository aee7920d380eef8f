"""The FastAPI application: the versioned API, health, and (locally) the static dashboard."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from psycopg2 import OperationalError

from api.answer_cache import AnswerCache
from api.db import Database
from api.routers import (
    auth,
    entities,
    habits,
    health,
    imports,
    listening_clock,
    me,
    mood,
    playback,
    podcasts,
    recap,
    recent,
    search,
    summary,
    top,
)
from api.services import Services
from etl.core.clock import Clock, system_clock
from etl.core.lake import Lake, LocalLake, S3Lake
from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.imports.presign import LocalPut, Presigner, S3PresignedPost
from etl.imports.receipt import LocalReceipt
from etl.spotify.ingest import Spotify

if TYPE_CHECKING:
    from etl.pipeline.steps import ProcessRawKeys  # the steps themselves are not the API's

API_PREFIX = "/api"


def create_app(
    settings: Settings | None = None,
    *,
    site_dir: Path | None = None,
    process_raw_keys: ProcessRawKeys | None = None,
    clock: Clock = system_clock,
) -> FastAPI:
    """Build the app; `site_dir` (local `moodify serve`) also serves the exported dashboard.

    `clock` is the app's only source of "now" (a test passes a simulated one).

    `process_raw_keys` runs the pipeline on raw objects that sign-in (and, locally, an
    upload) writes; on AWS it is left out, because the lake's object events start the
    pipeline.
    """
    settings = settings or Settings()
    database = Database(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        database.close()

    app = FastAPI(
        title="Moodify API",
        description="Listening analytics over your Spotify history. Days are cut in the "
        "user's time zone; listening time always comes from ms_played.",
        version="1",
        docs_url="/docs",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    process = process_raw_keys or _leave_to_lake_events
    lake: Lake
    presigner: Presigner
    receipt = None
    if settings.lake_bucket:
        lake = S3Lake(settings.lake_bucket)
        presigner = S3PresignedPost.for_bucket(settings.lake_bucket, settings.aws_region)
    else:
        # No bucket to upload to: the browser sends the file to this app, which imports it.
        lake = receiving = LocalLake(settings.lake_dir)
        presigner = LocalPut(
            lambda import_id: str(app.url_path_for("upload_import_file", import_id=import_id))
        )
        receipt = LocalReceipt(receiving, settings.home / "tmp", process, clock)
    app.state.services = Services(
        settings=settings,
        clock=clock,
        database=database,
        answers=AnswerCache(settings.api_cache_mb * 1024 * 1024),
        lake=lake,
        state_store=StateStore(lake),
        spotify=partial(Spotify.from_settings, clock=clock),
        process_raw_keys=process,
        presigner=presigner,
        receipt=receipt,
    )
    app.add_exception_handler(OperationalError, _database_unavailable)

    v1 = APIRouter()
    for router in (
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
        imports.router,
    ):
        v1.include_router(router)
    # The prefix given here, not to APIRouter(): included without one, FastAPI builds every
    # route once more to check its path, work the next include throws away (~50 ms of the
    # API function's cold start).
    app.include_router(v1, prefix=f"{API_PREFIX}/v1")
    app.include_router(auth.router)
    app.include_router(health.router)
    app.add_api_route(
        f"{API_PREFIX}/{{path:path}}",
        _api_not_found,
        methods=["GET", "HEAD"],
        include_in_schema=False,
    )
    if site_dir is not None:
        # Last, so that the API, /healthz and /docs win over the dashboard's files.
        app.mount("/", StaticFiles(directory=site_dir, html=True), name="site")
        # Served whole, the app compresses what it sends, as CloudFront does on AWS.
        app.add_middleware(GZipMiddleware, minimum_size=1024)
    return app


def _leave_to_lake_events(raw_keys: list[str]) -> None:
    """On AWS, a new raw object starts the pipeline through its S3 event."""


def _api_not_found(path: str) -> None:
    """Unknown /api paths answer JSON, never the dashboard's HTML."""
    raise HTTPException(status_code=404, detail=f"No API endpoint at /api/{path}")


async def _database_unavailable(_: Request, __: Exception) -> JSONResponse:
    return JSONResponse({"detail": "The database is unavailable."}, status_code=503)
