"""Export from the settings page, in headless Chromium over the served sample history: a
range of days downloads as CSV, and its rows are the warehouse's plays of those days."""

from __future__ import annotations

import csv
import io
from datetime import date

import psycopg2
import pytest
from playwright.sync_api import Page, expect
from psycopg2.extensions import make_dsn

from etl.core.settings import Settings
from tests.e2e.served import USER_ZONE

pytestmark = pytest.mark.e2e

LOADED = 15_000  # ms to wait for the page's first answer
FROM, TO = "2026-10-01", "2026-10-07"


def stored_plays(dsn: str) -> list[tuple[str, str | None, str | None, int]]:
    """The served user's plays of the week (other users, such as a friend to compare
    with, may share the database), as the warehouse stores them."""
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
            "track_id, episode_id, ms_played FROM fact_plays "
            "WHERE user_id = %s AND (started_at AT TIME ZONE %s)::date BETWEEN %s AND %s "
            "ORDER BY started_at, source, track_id, episode_id",
            (Settings().user_id, USER_ZONE, FROM, TO),
        )
        return cur.fetchall()


def test_a_range_of_days_downloads_as_csv_with_the_warehouse_plays(
    browser_page: Page, served_url: str, postgres_server: str
) -> None:
    page = browser_page
    page.goto(f"{served_url}/settings/")
    panel = page.get_by_test_id("export-data")
    expect(panel).to_be_visible(timeout=LOADED)
    panel.get_by_label("A range of days").check()
    panel.get_by_label("From (first day)").fill(FROM)
    panel.get_by_label("To (last day)").fill(TO)
    link = panel.get_by_test_id("export-plays")
    expect(link).to_have_attribute("href", f"/api/v1/exports/plays.csv?from={FROM}&to={TO}")
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.suggested_filename == f"moodify_me_plays_{FROM}_to_{TO}.csv"
    body = download.path().read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    expected = stored_plays(make_dsn(postgres_server, dbname="moodify_e2e"))
    assert len(rows) > 20  # a week of the sample's listening
    assert [
        (
            row["started_at"],
            row["track_id"] or None,
            row["episode_id"] or None,
            int(row["ms_played"]),
        )
        for row in rows
    ] == expected
    days = {date.fromisoformat(row["local_day"]) for row in rows}
    assert min(days) >= date.fromisoformat(FROM)
    assert max(days) <= date.fromisoformat(TO)
    # A last day before the first is no link at all.
    panel.get_by_label("To (last day)").fill("2026-09-01")
    expect(panel.get_by_role("status")).to_have_text("The last day is before the first.")
    assert link.get_attribute("href") is None
