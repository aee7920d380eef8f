"""The dashboard's header tells when the last ingest and the last ETL refresh succeeded,
with full timestamps on hover, and warns when the ingest is 3 hours old while signed in."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, Route, expect

pytestmark = pytest.mark.e2e


def test_the_demo_header_shows_the_etl_time_and_no_ingest(
    browser_page: Page, served_url: str
) -> None:
    me = requests.get(f"{served_url}/api/v1/me", timeout=5).json()
    assert me["freshness"]["last_etl_at"] is not None  # the sample export's import
    browser_page.goto(f"{served_url}/")
    freshness = browser_page.get_by_test_id("last-updated")
    expect(freshness).to_contain_text("ETL", timeout=15_000)
    expect(freshness).not_to_contain_text("Updated")
    expect(freshness).to_have_attribute("data-stale", "false")
    assert "Last ETL refresh:" in (freshness.get_attribute("title") or "")


def _signed_in_me(me: dict[str, Any], ingest_age: timedelta, stale: bool) -> dict[str, Any]:
    checked = datetime.fromisoformat(me["freshness"]["checked_at"].replace("Z", "+00:00"))
    return {
        **me,
        "demo": False,
        "sign_in": {**me["sign_in"], "state": "connected"},
        "freshness": {
            **me["freshness"],
            "last_ingest_at": (checked - ingest_age).isoformat(),
            "last_etl_at": (checked - ingest_age + timedelta(minutes=3)).isoformat(),
            "ingest_stale": stale,
        },
    }


@pytest.mark.parametrize(
    ("age", "stale", "shown"),
    [
        (timedelta(minutes=12), False, "Updated 12 minutes ago · ETL 9 minutes ago"),
        (timedelta(hours=4), True, "Updated"),
    ],
    ids=["fresh", "stale"],
)
def test_a_signed_in_header_shows_both_times_and_warns_when_stale(
    browser: Browser, served_url: str, age: timedelta, stale: bool, shown: str
) -> None:
    me = _signed_in_me(requests.get(f"{served_url}/api/v1/me", timeout=5).json(), age, stale)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:

        def answer(route: Route) -> None:
            route.fulfill(json=me)

        page.route("**/api/v1/me", answer)
        page.goto(f"{served_url}/")
        freshness = page.get_by_test_id("last-updated")
        expect(freshness).to_contain_text(shown, timeout=15_000)
        expect(freshness).to_have_attribute("data-stale", "true" if stale else "false")
        title = freshness.get_attribute("title") or ""
        assert "Last ingest from Spotify:" in title
        assert "Last ETL refresh:" in title
    finally:
        context.close()
