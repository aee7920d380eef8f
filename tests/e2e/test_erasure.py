"""Erasure in the settings page, in headless Chromium, on a dashboard of its own (it deletes
data the shared one's tests read): a range of days counted, erased, and the totals drop;
then everything, once the user id is typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from api.app import create_app
from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from tests.conftest import fresh_database
from tests.e2e.served import SITE_DIR, free_port, serving
from tests.integration.test_erasure import DAYS, _records
from tests.integration.test_import_pipeline import write_history

pytestmark = pytest.mark.e2e
LOADED = 15_000


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, postgres_server: str) -> Iterator[str]:
    """The dashboard over two plays a day from 2024-04-01 to 2024-04-06 (UTC)."""
    assert (SITE_DIR / "index.html").is_file(), "build the dashboard first: make frontend"
    home: Path = tmp_path_factory.mktemp("erasure") / ".moodify"
    settings = Settings(
        home=home,
        database_url=fresh_database(postgres_server, "moodify_e2e_erasure"),
        feature_providers=("sample",),
    )
    folder = write_history(
        home.parent / "export", "Streaming_History_Audio_2024_0.json", _records(DAYS)
    ).parent
    import_export(folder, PipelineContext.from_settings(settings), settings.user_id)
    with serving(create_app(settings, site_dir=SITE_DIR), free_port()) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def _summary(url: str, **params: str) -> Any:
    return requests.get(f"{url}/api/v1/summary", params=params, timeout=10).json()


def _expect_plays(page: Page, url: str, plays: int) -> None:
    page.goto(f"{url}/")
    expect(page.get_by_test_id("summary-plays")).to_contain_text(f"{plays:,}", timeout=LOADED)


def test_a_range_is_counted_then_erased_and_the_totals_drop(page: Page, served: str) -> None:
    before = _summary(served)["plays"]
    in_range = _summary(served, **{"from": "2024-04-02", "to": "2024-04-03"})["plays"]
    assert in_range == 4
    _expect_plays(page, served, before)

    page.goto(f"{served}/settings/")
    panel = page.get_by_test_id("erase-range")
    expect(panel).to_be_visible(timeout=LOADED)
    panel.get_by_test_id("erase-from").fill("2024-04-02")
    panel.get_by_test_id("erase-to").fill("2024-04-03")
    panel.get_by_test_id("erase-count").click()
    status = panel.get_by_test_id("erase-status")
    expect(status).to_contain_text("hold 4 plays", timeout=LOADED)
    assert _summary(served)["plays"] == before  # counting erased nothing
    panel.get_by_test_id("erase-confirm").click()
    expect(status).to_contain_text("Erased 4 plays", timeout=LOADED)

    assert _summary(served)["plays"] == before - in_range
    _expect_plays(page, served, before - in_range)


def test_everything_is_deleted_once_the_user_id_is_typed(page: Page, served: str) -> None:
    assert _summary(served)["plays"] > 0
    page.goto(f"{served}/settings/")
    panel = page.get_by_test_id("delete-my-data")
    expect(panel).to_be_visible(timeout=LOADED)
    panel.get_by_test_id("delete-my-data-open").click()
    dialog = page.get_by_test_id("delete-my-data-dialog")
    expect(dialog).to_be_visible()
    submit = dialog.get_by_test_id("delete-my-data-submit")
    dialog.get_by_test_id("delete-my-data-confirm").fill("not me")
    expect(submit).to_be_disabled()
    assert _summary(served)["plays"] > 0

    dialog.get_by_test_id("delete-my-data-confirm").fill("me")
    submit.click()

    page.wait_for_url(f"{served}/", timeout=LOADED)
    assert _summary(served)["plays"] == 0
    expect(page.get_by_test_id("summary-plays")).to_have_count(0, timeout=LOADED)
