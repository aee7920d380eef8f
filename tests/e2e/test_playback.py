"""The playback and podcast pages over the served one-year sample history (it ends
2026-11-01): the numbers they show are the API's, every row links to its page, and both
pages fit a 320 px screen."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.served import api_get

pytestmark = pytest.mark.e2e

LOADED = 15_000  # ms to wait for the first answer of a page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-US")
    yield context.new_page()
    context.close()


def percent(ratio: float) -> str:
    """The page's formatPercent: JavaScript's Math.round, halves up."""
    return f"{math.floor(ratio * 100 + 0.5)}%"


def href(page: str, value: str) -> str:
    """frontend/lib/links.ts: the key in the query string, as encodeURIComponent writes it."""
    key = "name" if page == "show" else "id"
    return f"/{page}/?{key}=" + quote(value, safe="!'()*-._~")


def rows(list_: Locator, count: int) -> list[Locator]:
    found = list_.locator(":scope > li")
    expect(found).to_have_count(count)
    return found.all()


def check_skipped(page: Page, skips: dict[str, Any]) -> None:
    listed = rows(page.get_by_test_id("skipped"), len(skips["items"]))
    for row, item in zip(listed, skips["items"], strict=True):
        link = row.get_by_test_id("bar-label").get_by_role("link")
        expect(link).to_have_text(item["name"])
        expect(link).to_have_attribute("href", href(skips["by"], item["id"]))
        expect(row.get_by_test_id("bar-value")).to_have_text(percent(item["skip_rate"]))
        expect(row.get_by_test_id("skip-counts")).to_have_text(
            f"{item['skips']:,} of {item['skip_known']:,} plays skipped"
        )
        for artist in item["artists"]:
            expect(
                row.get_by_role("link", name=artist["name"], exact=True).first
            ).to_have_attribute("href", href("artist", artist["artist_id"]))


def test_the_playback_page_shows_the_apis_skips_devices_shuffle_and_offline(
    page: Page, served_url: str
) -> None:
    devices = api_get(served_url, "devices")
    skips = api_get(served_url, "skips", by="track", min_plays="5", limit="10")
    page.goto(f"{served_url}/playback/")

    overall = skips["overall"]
    expect(page.get_by_test_id("card-skip-rate")).to_contain_text(
        percent(overall["skip_rate"]), timeout=LOADED
    )
    expect(page.get_by_test_id("card-skip-rate")).to_contain_text(f"{overall['skips']:,} plays")
    expect(page.get_by_test_id("card-shuffle")).to_contain_text(
        percent(devices["shuffle"]["share"])
    )
    expect(page.get_by_test_id("card-offline")).to_contain_text(
        percent(devices["offline"]["share"])
    )
    expect(page.get_by_test_id("card-platform")).to_contain_text(devices["families"][0]["family"])

    families = rows(page.get_by_test_id("families"), len(devices["families"]))
    for row, family in zip(families, devices["families"], strict=True):
        expect(row.get_by_test_id("bar-label")).to_have_text(family["family"])
        expect(row.get_by_test_id("bar-value")).to_have_text(percent(family["share"]))
    shown = devices["devices"][:8]
    for row, device in zip(rows(page.get_by_test_id("devices"), len(shown)), shown, strict=True):
        expect(row.get_by_test_id("bar-label")).to_have_text(device["device"])
        expect(row.get_by_test_id("bar-value")).to_have_text(percent(device["share"]))
    # The sample is an extended history: every play's skip status is known.
    expect(page.get_by_test_id("unknown-skips")).to_have_count(0)
    check_skipped(page, skips)

    page.get_by_test_id("skips-by").get_by_role("button", name="Artists").click()
    page.get_by_test_id("skips-min-plays").get_by_role("button", name="20+ plays").click()
    expect(page).to_have_url(f"{served_url}/playback/?skips_by=artist&min_plays=20")
    by_artist = api_get(served_url, "skips", by="artist", min_plays="20", limit="10")
    check_skipped(page, by_artist)

    # A row leads to its page, and back.
    first = by_artist["items"][0]
    page.get_by_test_id("skipped").get_by_role("link", name=first["name"], exact=True).first.click()
    expect(page).to_have_url(served_url + href("artist", first["id"]))
    page.go_back()
    expect(page.get_by_test_id("skipped")).to_be_visible()


def test_the_playback_page_of_a_range(page: Page, served_url: str) -> None:
    period = {"from": "2026-01-01", "to": "2026-03-31"}
    devices = api_get(served_url, "devices", **period)
    skips = api_get(served_url, "skips", min_plays="5", limit="10", **period)
    assert devices["plays"] < api_get(served_url, "devices")["plays"]
    page.goto(f"{served_url}/playback/?from=2026-01-01&to=2026-03-31")
    expect(page.get_by_test_id("card-skip-rate")).to_contain_text(
        percent(skips["overall"]["skip_rate"]), timeout=LOADED
    )
    expect(page.get_by_test_id("card-shuffle")).to_contain_text(
        percent(devices["shuffle"]["share"])
    )
    families = rows(page.get_by_test_id("families"), len(devices["families"]))
    expect(families[0].get_by_test_id("bar-value")).to_have_text(
        percent(devices["families"][0]["share"])
    )
    check_skipped(page, skips)


def check_shows(page: Page, group: dict[str, Any], test_id: str, unit: str) -> None:
    for row, show in zip(
        rows(page.get_by_test_id(test_id), len(group["items"])), group["items"], strict=True
    ):
        link = row.get_by_test_id("bar-label").get_by_role("link")
        expect(link).to_have_text(show["name"])
        expect(link).to_have_attribute("href", href("show", show["name"]))
        expect(row.get_by_test_id("show-finished")).to_have_text(
            f"{show['finished']:,} of {show['started']:,} {unit} finished · {show['plays']:,} plays"
        )


def test_the_podcasts_page_shows_the_apis_shows_audiobooks_and_hours(
    page: Page, served_url: str
) -> None:
    podcasts = api_get(served_url, "podcasts", limit="10")
    shows, audiobooks = podcasts["shows"], podcasts["audiobooks"]
    # The sample has both.
    assert shows["items"]
    assert audiobooks["items"]
    page.goto(f"{served_url}/podcasts/")

    expect(page.get_by_test_id("card-episodes-finished")).to_contain_text(
        f"{shows['totals']['finished']:,}", timeout=LOADED
    )
    expect(page.get_by_test_id("card-episodes-finished")).to_contain_text(
        f"of {shows['totals']['started']:,} started"
    )
    expect(page.get_by_test_id("card-chapters-finished")).to_contain_text(
        f"of {audiobooks['totals']['started']:,} started"
    )
    expect(page.get_by_test_id("card-podcast-time")).to_contain_text(
        f"{math.floor(shows['totals']['listening_ms'] / 3_600_000 + 0.5):,}h"
    )
    expect(page.get_by_test_id("card-audiobook-time")).to_contain_text(
        f"{audiobooks['count']} books"
    )
    check_shows(page, shows, "shows", "episodes")
    check_shows(page, audiobooks, "audiobooks", "chapters")

    cells = rows(page.get_by_test_id("hour-strip"), 24)
    for cell, hour in zip(cells, podcasts["hours"], strict=True):
        expect(cell).to_have_attribute("data-hour", str(hour["hour"]))
        expect(cell).to_have_attribute("data-ms", str(hour["listening_ms"]))
    peak = max(podcasts["hours"], key=lambda hour: hour["listening_ms"])
    expect(page.get_by_test_id("hour-peak")).to_contain_text(f"{peak['hour']:02}:00")

    first = shows["items"][0]
    page.get_by_test_id("shows").get_by_role("link", name=first["name"], exact=True).click()
    expect(page).to_have_url(served_url + href("show", first["name"]))
    page.go_back()
    expect(page.get_by_test_id("shows")).to_be_visible()


def test_a_range_without_podcasts_says_so(page: Page, served_url: str) -> None:
    period = {"from": "2020-01-01", "to": "2020-12-31"}
    podcasts = api_get(served_url, "podcasts", **period)
    assert podcasts["shows"]["totals"]["plays"] == 0
    page.goto(f"{served_url}/podcasts/?from=2020-01-01&to=2020-12-31")
    empty = page.get_by_test_id("empty-state")
    expect(empty).to_contain_text("No podcasts or audiobooks in this range", timeout=LOADED)
    empty.get_by_role("button", name="Show all time").click()
    expect(page.get_by_test_id("shows")).to_be_visible(timeout=LOADED)


@pytest.mark.parametrize("route", ["playback", "podcasts"])
def test_the_pages_fit_a_320_px_screen(browser: Browser, served_url: str, route: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale="en-US")
    try:
        small = context.new_page()
        small.goto(f"{served_url}/{route}/")
        expect(
            small.get_by_test_id("panel-skipped" if route == "playback" else "panel-shows")
        ).to_be_visible(timeout=LOADED)
        overflow = small.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow == 0
    finally:
        context.close()
