"""The habits page over the served one-year sample history (it ends 2026-11-01), seen from a
browser in Los Angeles: the sessions, streaks and discoveries it shows are the API's, times
are the user's (Berlin), every discovery links to its page, and the page fits 320 px."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.served import USER_ZONE, api_get

pytestmark = pytest.mark.e2e

LOADED = 15_000  # ms to wait for the first answer of a page
EN_DASH = "\u2013"


@pytest.fixture
def page_1280(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-US")
    yield context.new_page()
    context.close()


def js_round(value: float) -> int:
    """JavaScript's Math.round: halves up."""
    return math.floor(value + 0.5)


def duration(ms: int) -> str:
    """frontend/lib/format.ts formatDuration."""
    minutes = js_round(ms / 60_000)
    if minutes == 0:
        return "< 1 min" if ms > 0 else "0 min"
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest} min"
    if hours >= 100 or rest == 0:
        return f"{hours:,} h"
    return f"{hours} h {rest} min"


def weekday(day: str) -> str:
    """formatWeekday in en-US: "Mon, Jan 15, 2024"."""
    value = date.fromisoformat(day)
    return f"{value:%a}, {value:%b} {value.day}, {value.year}"


def local_time(timestamp: str) -> str:
    """formatTime in en-US, in the user's zone: "09:05 PM"."""
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(
        ZoneInfo(USER_ZONE)
    )
    return f"{moment:%I:%M %p}"


def href(page: str, value: str) -> str:
    return f"/{page}/?id=" + quote(value, safe="!'()*-._~")


def rows(list_: Locator, count: int) -> list[Locator]:
    found = list_.locator(":scope > li")
    expect(found).to_have_count(count)
    return found.all()


def test_the_sessions_are_the_apis_in_the_users_time(
    los_angeles_page: Page, served_url: str
) -> None:
    page = los_angeles_page
    sessions = api_get(served_url, "sessions", limit="10")
    page.goto(f"{served_url}/habits/")

    expect(page.get_by_test_id("card-sessions")).to_contain_text(
        f"{sessions['sessions']:,}", timeout=LOADED
    )
    expect(page.get_by_test_id("card-average-session")).to_contain_text(
        duration(sessions["average_duration_ms"])
    )
    expect(page.get_by_test_id("card-plays-per-session")).to_contain_text(
        f"{sessions['average_plays']:.1f}"
    )
    longest = sessions["longest"]
    expect(page.get_by_test_id("card-longest-session")).to_contain_text(
        duration(longest[0]["duration_ms"])
    )
    for row, session in zip(
        rows(page.get_by_test_id("longest-sessions"), len(longest)), longest, strict=True
    ):
        expect(row.get_by_test_id("session-day")).to_have_text(weekday(session["day"]))
        expect(row.get_by_test_id("session-times")).to_contain_text(
            f"{local_time(session['started_at'])} {EN_DASH} {local_time(session['ended_at'])}"
        )
        expect(row.get_by_test_id("session-duration")).to_have_text(
            duration(session["duration_ms"])
        )
    counts = page.get_by_test_id("session-length-count")
    expect(counts).to_have_text([f"{bucket['sessions']:,}" for bucket in sessions["lengths"]])


def test_the_streaks_are_the_apis(page_1280: Page, served_url: str) -> None:
    page = page_1280
    streaks = api_get(served_url, "streaks")
    page.goto(f"{served_url}/habits/")

    longest = streaks["longest"]
    expect(page.get_by_test_id("card-longest-streak")).to_contain_text(
        f"{longest['days']:,}", timeout=LOADED
    )
    expect(page.get_by_test_id("card-listening-days")).to_contain_text(
        f"{streaks['listening_days']:,}"
    )
    current = streaks["current"]
    expect(page.get_by_test_id("card-current-streak")).to_contain_text(
        f"{current['days']:,}" if current else "None"
    )
    rows(page.get_by_test_id("top-streaks"), len(streaks["top"]))
    strip = page.get_by_test_id("streak-strip").locator("li[data-listened='true']")
    expect(strip).to_have_count(len(streaks["recent_days"]))


def check_discoveries(page: Page, answer: dict[str, Any], kind: str) -> None:
    listed = rows(page.get_by_test_id("discoveries"), len(answer["items"]))
    for row, item in zip(listed, answer["items"], strict=True):
        link = row.get_by_test_id("discovery-name")
        expect(link).to_have_text(item["name"])
        expect(link).to_have_attribute("href", href(kind, item["item_id"]))
        plays = item["plays"]
        expect(row.get_by_test_id("discovery-plays")).to_have_text(
            f"{plays:,} {'play' if plays == 1 else 'plays'}"
        )
        for artist in item["artists"]:
            expect(
                row.get_by_role("link", name=artist["name"], exact=True).first
            ).to_have_attribute("href", href("artist", artist["artist_id"]))


def test_the_discoveries_are_the_apis_with_links_and_pages(
    page_1280: Page, served_url: str
) -> None:
    page = page_1280
    range_ = {"from": "2026-01-01", "to": "2026-06-30"}
    tracks = api_get(served_url, "discoveries", kind="track", limit="20", **range_)
    page.goto(f"{served_url}/habits/?from=2026-01-01&to=2026-06-30")

    expect(page.get_by_test_id("card-new-tracks")).to_contain_text(
        f"{tracks['new_tracks']:,}", timeout=LOADED
    )
    expect(page.get_by_test_id("card-new-artists")).to_contain_text(f"{tracks['new_artists']:,}")
    expect(page.get_by_test_id("discovery-month")).to_have_count(len(tracks["months"]))
    first_month = tracks["months"][0]
    expect(page.get_by_test_id("discovery-month").first).to_have_attribute(
        "aria-label",
        f"January 2026: {first_month['tracks']} new tracks, {first_month['artists']} new artists",
    )
    check_discoveries(page, tracks, "track")

    assert tracks["total"] > 20, "the sample history discovers more than a page"
    older = api_get(served_url, "discoveries", kind="track", limit="20", offset="20", **range_)
    page.get_by_test_id("discoveries-older").click()
    expect(page.get_by_test_id("discoveries-shown")).to_contain_text(f"21{EN_DASH}")
    check_discoveries(page, older, "track")

    artists = api_get(served_url, "discoveries", kind="artist", limit="20", **range_)
    page.get_by_test_id("discover-kind").get_by_role("button", name="Artists").click()
    expect(page.get_by_test_id("discoveries-shown")).to_contain_text(f"1{EN_DASH}")
    check_discoveries(page, artists, "artist")

    first = page.get_by_test_id("discovery-name").first
    first.click()
    expect(page).to_have_url(f"{served_url}{href('artist', artists['items'][0]['item_id'])}")


def test_a_range_without_plays_says_so(page_1280: Page, served_url: str) -> None:
    page_1280.goto(f"{served_url}/habits/?from=2010-01-01&to=2010-12-31")
    expect(page_1280.get_by_test_id("empty-state")).to_contain_text(
        "No listening sessions in this range", timeout=LOADED
    )


def test_the_page_fits_a_320_px_screen(browser: Browser, served_url: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale="en-US")
    try:
        small = context.new_page()
        small.goto(f"{served_url}/habits/")
        expect(
            small.get_by_test_id("panel-discoveries").get_by_test_id("discoveries")
        ).to_be_visible(timeout=LOADED)
        expect(small.get_by_test_id("panel-streaks").get_by_test_id("streak-strip")).to_be_visible()
        overflow = small.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow == 0
    finally:
        context.close()
