"""The built dashboard, served by `moodify serve`, in headless Chromium."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import Browser, Locator, Page, expect

from moodify.demo.sample import EXPORT_DIR_NAME
from tests.e2e.served import BROWSER_ZONE, USER_ZONE, api_get

pytestmark = pytest.mark.e2e


def test_overview_shows_top_tracks_and_a_chart(browser_page: Page, served_url: str) -> None:
    browser_page.goto(f"{served_url}/")
    rows = browser_page.get_by_test_id("top-track-row")
    expect(rows.first).to_be_visible(timeout=15_000)
    assert rows.count() >= 5
    api_top = requests.get(f"{served_url}/api/v1/top_tracks", params={"limit": 1}, timeout=5).json()
    expect(rows.first).to_contain_text(api_top["items"][0]["name"])
    expect(
        browser_page.get_by_test_id("chart-top-artists").get_by_role("listitem").first
    ).to_be_visible()


def test_mood_page_renders_calendar_and_trends(browser_page: Page, served_url: str) -> None:
    browser_page.goto(f"{served_url}/mood/")
    days = browser_page.get_by_test_id("mood-day")
    expect(days.first).to_be_attached(timeout=15_000)
    assert days.count() > 100
    expect(browser_page.get_by_test_id("chart-mood-trends").locator("svg").first).to_be_visible()
    summary = json.loads(browser_page.evaluate("fetch('/api/v1/summary').then(r => r.text())"))
    assert summary["plays"] > 1000


# The sample history is fixed (it ends 2026-11-01, whatever the day the tests run), so the
# tests below name their ranges.


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def _names(served_url: str, path: str, **params: str) -> list[str]:
    return [item["name"] for item in api_get(served_url, path, **params)["items"]]


def _shown_list(panel: Locator) -> tuple[list[str], list[float]]:
    """The names a top list shows, and the length of each bar as a share of the longest."""
    names = panel.get_by_test_id("top-name").all_inner_texts()
    shares = [float(s) for s in panel.get_by_test_id("top-meter").evaluate_all(
        "meters => meters.map(m => m.dataset.share)"
    )]  # fmt: skip
    return names, shares


def test_top_lists_rank_by_the_measure_they_show(browser_page: Page, served_url: str) -> None:
    quarter = {"from": "2026-01-01", "to": "2026-03-31"}
    by_time = _names(served_url, "top_tracks", **quarter, by="listening_time")
    by_plays = _names(served_url, "top_tracks", **quarter, by="plays")
    assert by_time != by_plays  # the data tells the measures apart

    browser_page.goto(f"{served_url}/?from={quarter['from']}&to={quarter['to']}")
    panel = browser_page.get_by_test_id("panel-top-tracks")
    expect(panel.get_by_test_id("top-track-row").first).to_be_visible(timeout=15_000)
    expect(panel.get_by_test_id("panel-subtitle")).to_have_text("By listening time in this range")
    names, shares = _shown_list(panel)
    assert names == by_time
    assert shares == sorted(shares, reverse=True)
    assert shares[0] == 1

    panel.get_by_test_id("tracks-by").get_by_role("button", name="Plays").click()
    expect(panel.get_by_test_id("top-tracks")).to_have_attribute("data-by", "plays")
    expect(panel.get_by_test_id("panel-subtitle")).to_have_text("By plays in this range")
    names, shares = _shown_list(panel)
    assert names == by_plays
    assert shares == sorted(shares, reverse=True)
    assert shares[0] == 1
    assert _query(browser_page.url) == {**quarter, "tracks_by": "plays"}

    artists = browser_page.get_by_test_id("panel-top-artists")
    expect(artists.get_by_test_id("panel-subtitle")).to_have_text("By listening time in this range")
    artists.get_by_test_id("artists-by").get_by_role("button", name="Plays").click()
    expect(artists.get_by_test_id("top-artists")).to_have_attribute("data-by", "plays")
    expect(artists.get_by_test_id("panel-subtitle")).to_have_text("By plays in this range")
    assert _shown_list(artists)[0] == _names(served_url, "top_artists", **quarter, by="plays")


def test_times_and_days_show_in_the_users_time_zone(
    los_angeles_page: Page, served_url: str
) -> None:
    # A day whose first play, early in Berlin, falls on the day before in Los Angeles.
    zone = ZoneInfo(USER_ZONE)
    for day in (date(2026, 1, 1) + timedelta(days=n) for n in range(31)):
        first = api_get(served_url, "summary", **{"from": str(day), "to": str(day)})[
            "first_played_at"
        ]
        played = datetime.fromisoformat(first).astimezone(zone) if first else None
        if played and played.hour < 9:
            break
    else:
        pytest.fail("no January day starts before 09:00 in Berlin")
    assert played.astimezone(ZoneInfo(BROWSER_ZONE)).date() < day

    los_angeles_page.goto(f"{served_url}/?from={day}&to={day}")
    card = los_angeles_page.get_by_test_id("summary-first")
    expect(card).to_contain_text(f"{played:%b} {played.day}, {played.year}", timeout=15_000)
    expect(card).to_contain_text(f"{played:%I:%M %p}")
    expect(los_angeles_page.get_by_test_id("time-zone")).to_have_text(
        f"Times and days in {USER_ZONE}"
    )


def test_range_presets_end_today_in_the_users_time_zone(
    los_angeles_page: Page, served_url: str
) -> None:
    # 00:30 on 11 March in Berlin, still the afternoon of 10 March in Los Angeles.
    los_angeles_page.clock.set_fixed_time(datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    los_angeles_page.goto(f"{served_url}/")
    presets = los_angeles_page.get_by_test_id("range-presets")
    presets.get_by_role("button", name="4 weeks").click(timeout=15_000)
    los_angeles_page.wait_for_url(lambda url: "from" in _query(url))
    assert _query(los_angeles_page.url) == {"from": "2026-02-12", "to": "2026-03-11"}
    expect(presets.get_by_role("button", name="4 weeks")).to_have_attribute("aria-pressed", "true")


def test_the_range_picker_never_runs_backwards(browser_page: Page, served_url: str) -> None:
    browser_page.goto(f"{served_url}/?from=2026-02-01&to=2026-02-28")
    start, end = browser_page.get_by_test_id("range-from"), browser_page.get_by_test_id("range-to")
    expect(start).to_have_value("2026-02-01", timeout=15_000)

    start.fill("2026-03-15")  # after the end: the end moves along
    browser_page.wait_for_url(lambda url: _query(url).get("from") == "2026-03-15")
    assert _query(browser_page.url) == {"from": "2026-03-15", "to": "2026-03-15"}
    expect(end).to_have_value("2026-03-15")

    end.fill("2026-01-10")  # before the start: the start moves along
    browser_page.wait_for_url(lambda url: _query(url).get("to") == "2026-01-10")
    assert _query(browser_page.url) == {"from": "2026-01-10", "to": "2026-01-10"}
    expect(start).to_have_value("2026-01-10")
    expect(browser_page.get_by_test_id("summary")).to_be_visible()
    expect(browser_page.get_by_test_id("error-state")).to_have_count(0)


def test_a_reversed_range_in_the_address_is_explained(browser_page: Page, served_url: str) -> None:
    browser_page.goto(f"{served_url}/?from=2026-03-01&to=2026-02-01")
    expect(browser_page.get_by_test_id("range-problem")).to_have_text(
        "The range ends before it starts.", timeout=15_000
    )
    assert "detail" not in browser_page.locator("main").inner_text()
    browser_page.get_by_role("button", name="Swap the dates").click()
    browser_page.wait_for_url(lambda url: _query(url).get("from") == "2026-02-01")
    assert _query(browser_page.url) == {"from": "2026-02-01", "to": "2026-03-01"}
    expect(browser_page.get_by_test_id("summary")).to_be_visible()


def test_an_api_refusal_reads_as_a_sentence(browser: Browser, served_url: str) -> None:
    refusal = {
        "detail": [
            {
                "type": "value_error",
                "loc": ["query", "to"],
                "msg": "`to` (2026-01-01) is before `from` (2026-02-01)",
                "input": "2026-01-01",
            }
        ]
    }
    page = browser.new_page()
    try:
        page.route("**/api/v1/summary?*", lambda route: route.fulfill(status=422, json=refusal))
        page.goto(f"{served_url}/?from=2026-01-01&to=2026-01-31")
        message = page.get_by_test_id("error-state")
        expect(message).to_contain_text(
            "The end date (2026-01-01) is before the start date (2026-02-01).", timeout=15_000
        )
        assert "{" not in message.inner_text()
    finally:
        page.close()


def test_the_import_page_accounts_for_every_record(
    browser_page: Page, served_url: str, served_home: Path, tmp_path: Path
) -> None:
    # Two plays the warehouse holds already (from the sample export), and an app load.
    history = sorted((served_home / "sample" / EXPORT_DIR_NAME).glob("*.json"))[0]
    stored = json.loads(history.read_bytes())[:2]
    app_load = {key: None for key in stored[0]} | {"ts": stored[0]["ts"], "ms_played": 0}
    upload = tmp_path / "Streaming_History_Audio_2026.json"
    upload.write_text(json.dumps([*stored, app_load]))

    browser_page.goto(f"{served_url}/import/")
    browser_page.get_by_test_id("import-file").set_input_files(upload, timeout=15_000)
    browser_page.get_by_role("button", name="Upload and import").click()
    expect(browser_page.get_by_test_id("import-status")).to_have_attribute(
        "data-status", "done", timeout=60_000
    )
    row = browser_page.get_by_test_id("import-file-row")
    expect(row.get_by_test_id("import-taken-as")).to_have_text("Extended history, audio")
    counts = row.get_by_test_id("import-file-records").locator("[data-count]")
    expect(counts).to_have_count(6)
    shown = dict(zip(counts.evaluate_all("items => items.map(i => i.dataset.count)"),
                     counts.locator("dd").all_inner_texts(), strict=True))  # fmt: skip
    assert shown == {
        "read": "3",
        "new": "0",
        "already_stored": "2",
        "superseded": "0",
        "not_plays": "1",
        "rejected": "0",
    }
