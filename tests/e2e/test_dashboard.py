"""The built dashboard, served by `moodify serve`, in headless Chromium."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect, sync_playwright

from etl.context import PipelineContext
from etl.features import SAMPLE_CATALOG_KEY
from etl.importer import import_export
from etl.sample import generate_sample_export
from etl.settings import Settings
from tests.conftest import fresh_database

pytestmark = pytest.mark.e2e

SITE_DIR = Path(__file__).resolve().parents[2] / "frontend" / "out"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served_url(tmp_path_factory: pytest.TempPathFactory, postgres_server: str) -> Iterator[str]:
    assert (SITE_DIR / "index.html").is_file(), "build the dashboard first: make frontend"
    home = tmp_path_factory.mktemp("e2e") / ".moodify"
    dsn = fresh_database(postgres_server, "moodify_e2e")
    settings = Settings(
        home=home, database_url=dsn, time_zone="Europe/Berlin", feature_providers=("sample",)
    )
    sample = generate_sample_export(home / "sample", years=1.0)
    ctx = PipelineContext.from_settings(settings)
    ctx.lake.put(SAMPLE_CATALOG_KEY, sample.features_path.read_bytes())
    import_export(sample.files[0].parent, ctx, settings.user_id)

    port = _free_port()
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
        _wait_until_healthy(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "moodify serve exited early"
        try:
            if requests.get(f"{url}/healthz", timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not become healthy")


@pytest.fixture(scope="module")
def browser_page(served_url: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield page
        browser.close()


def test_overview_shows_top_tracks_and_a_chart(browser_page: Page, served_url: str) -> None:
    browser_page.goto(f"{served_url}/")
    rows = browser_page.get_by_test_id("top-track-row")
    expect(rows.first).to_be_visible(timeout=15_000)
    assert rows.count() >= 5
    api_top = requests.get(f"{served_url}/api/v1/top_tracks", params={"limit": 1}, timeout=5).json()
    expect(rows.first).to_contain_text(api_top["items"][0]["name"])
    expect(browser_page.locator("[data-testid^='chart-'] svg").first).to_be_visible()


def test_mood_page_renders_calendar_and_trends(browser_page: Page, served_url: str) -> None:
    browser_page.goto(f"{served_url}/mood/")
    days = browser_page.get_by_test_id("mood-day")
    expect(days.first).to_be_attached(timeout=15_000)
    assert days.count() > 100
    expect(browser_page.get_by_test_id("chart-mood-trends").locator("svg").first).to_be_visible()
    summary = json.loads(browser_page.evaluate("fetch('/api/v1/summary').then(r => r.text())"))
    assert summary["plays"] > 1000
