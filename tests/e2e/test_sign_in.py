"""Signing in through the fake Spotify's consent page, in headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from api.app import create_app
from etl.core.settings import Settings
from moodify import local
from moodify.demo.simulation.live import LiveDemo, start_live_demo
from tests.e2e.served import SITE_DIR, free_port, serving

pytestmark = pytest.mark.e2e
START = datetime(2026, 11, 20, 5, tzinfo=UTC)  # a Friday morning in Berlin: plays ahead


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, LiveDemo]]:
    assert (SITE_DIR / "index.html").is_file(), "build the dashboard first: make frontend"
    home: Path = tmp_path_factory.mktemp("live") / ".moodify"
    port = free_port()
    with ExitStack() as stack:
        demo = start_live_demo(Settings(home=home, port=port), stack, start=START)
        app = create_app(
            demo.settings,
            site_dir=SITE_DIR,
            process_raw_keys=lambda keys: local.process_raw_keys(demo.settings, keys),
        )
        yield stack.enter_context(serving(app, port)), demo


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def test_signing_in_through_spotify_lands_on_the_dashboard_as_that_user(
    page: Page, live: tuple[str, LiveDemo]
) -> None:
    url, demo = live
    page.goto(f"{url}/")
    sign_in = page.get_by_test_id("sign-in")
    expect(sign_in).to_be_visible(timeout=15_000)  # no session: the API answered 401
    sign_in.click()
    page.wait_for_url(f"{demo.spotify.url}/authorize?*")
    page.get_by_test_id("authorize-as-alice").click()
    page.wait_for_url(f"{url}/")
    expect(page.get_by_test_id("top-track-row").first).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Alice").first).to_be_visible()
    # The plays shown are Alice's last 50, pulled at sign-in.
    session = {c["name"]: c["value"] for c in page.context.cookies()}
    summary = requests.get(f"{url}/api/v1/summary", cookies=session, timeout=5).json()
    assert summary["plays"] == 50
    # Hour by hour the next plays arrive.
    inserted = sum(demo.tick()[1] for _ in range(6))
    later = requests.get(f"{url}/api/v1/summary", cookies=session, timeout=5).json()
    assert inserted > 0
    assert later["plays"] == 50 + inserted
