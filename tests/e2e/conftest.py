"""The built dashboard, served by `moodify serve` over the one-year sample history, and a
headless Chromium: shared by every browser test of the session (the sample history is fixed:
it ends 2026-11-01, whatever the day the tests run)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from etl.core.keys import SAMPLE_CATALOG_KEY
from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from moodify.demo.sample import generate_sample_export
from tests.conftest import fresh_database
from tests.e2e.served import (
    BROWSER_ZONE,
    CHROMIUM,
    CHROMIUM_FLAGS,
    SITE_DIR,
    USER_ZONE,
    free_port,
    wait_until_healthy,
)


@pytest.fixture(scope="session")
def served_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MOODIFY_HOME of the served dashboard; its sample export is under `sample/`."""
    return tmp_path_factory.mktemp("e2e") / ".moodify"


@pytest.fixture(scope="session")
def served_url(served_home: Path, postgres_server: str) -> Iterator[str]:
    assert (SITE_DIR / "index.html").is_file(), "build the dashboard first: make frontend"
    home = served_home
    dsn = fresh_database(postgres_server, "moodify_e2e")
    settings = Settings(
        home=home, database_url=dsn, time_zone=USER_ZONE, feature_providers=("sample",)
    )
    sample = generate_sample_export(home / "sample", years=1.0)
    ctx = PipelineContext.from_settings(settings)
    ctx.lake.put(SAMPLE_CATALOG_KEY, sample.features_path.read_bytes())
    import_export(sample.files[0].parent, ctx, settings.user_id)

    port = free_port()
    env = {
        **os.environ,
        "MOODIFY_HOME": str(home),
        "DATABASE_URL": dsn,
        "MOODIFY_SITE_DIR": str(SITE_DIR),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "moodify", "serve", "--port", str(port)], env=env
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


# Per module, not per session: Playwright's sync API keeps an event loop running in this
# thread while it is open, and the tests after the browser tests need the thread's own.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def browser_page(browser: Browser) -> Page:
    return browser.new_page(viewport={"width": 1400, "height": 1000})


@pytest.fixture
def los_angeles_page(browser: Browser) -> Iterator[Page]:
    """A browser in Los Angeles (UTC-8 in winter), nine hours behind the user's Berlin."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="en-US", timezone_id=BROWSER_ZONE
    )
    yield context.new_page()
    context.close()
