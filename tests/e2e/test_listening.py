"""The Listening and Recent pages in headless Chromium, checked against the served API."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.e2e.served import USER_ZONE, api_get

pytestmark = pytest.mark.e2e

QUARTER = {"from": "2026-01-01", "to": "2026-03-31"}
PAGE_SIZE = 25  # TOP_PAGE_SIZE in frontend/lib/listening.ts
RECENT_PAGE_SIZE = 50  # RECENT_PAGE_SIZE there


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def _names(panel: Locator) -> list[str]:
    return panel.get_by_test_id("top-name").all_inner_texts()


def _api_names(path: str, served_url: str, **params: Any) -> list[str]:
    return [item["name"] for item in api_get(served_url, path, **params)["items"]]


def _open_listening(page: Page, served_url: str, **params: str) -> Locator:
    query = "&".join(f"{key}={value}" for key, value in {**QUARTER, **params}.items())
    page.goto(f"{served_url}/listening/?{query}")
    panel = page.get_by_test_id("panel-tops")
    expect(panel.get_by_test_id("top-name").first).to_be_visible(timeout=15_000)
    return panel


def test_the_page_asks_for_its_tops_and_clock_beside_me(browser: Browser, served_url: str) -> None:
    """The tops' and the clock's requests start while /me is still unanswered."""
    held: list[Route] = []
    address = "&".join(f"{key}={value}" for key, value in QUARTER.items())
    page = browser.new_page()
    try:
        page.route("**/api/v1/me", lambda route: held.append(route))
        with (
            page.expect_request("**/api/v1/top_tracks?*", timeout=15_000),
            page.expect_request("**/api/v1/clock?*", timeout=15_000),
        ):
            page.goto(f"{served_url}/listening/?{address}")
        assert len(held) == 1, "/me was answered before the page's data was asked for"
        held[0].continue_()
        names = _api_names("top_tracks", served_url, **QUARTER, limit=str(PAGE_SIZE))
        panel = page.get_by_test_id("panel-tops")
        expect(panel.get_by_test_id("top-track-row")).to_have_count(PAGE_SIZE, timeout=15_000)
        assert _names(panel) == names
    finally:
        page.close()


def test_top_tracks_page_on_show_more(browser_page: Page, served_url: str) -> None:
    first = api_get(served_url, "top_tracks", **QUARTER, limit=str(PAGE_SIZE))
    assert first["total"] > PAGE_SIZE  # the sample has more than one page
    panel = _open_listening(browser_page, served_url)
    expect(panel.get_by_test_id("top-track-row")).to_have_count(PAGE_SIZE)
    assert _names(panel) == [item["name"] for item in first["items"]]
    expect(panel.get_by_test_id("top-count")).to_have_text(
        f"{PAGE_SIZE} of {first['total']} tracks"
    )

    panel.get_by_test_id("show-more").click()
    shown = min(2 * PAGE_SIZE, first["total"])
    expect(panel.get_by_test_id("top-track-row")).to_have_count(shown)
    two_pages = _api_names("top_tracks", served_url, **QUARTER, limit=str(2 * PAGE_SIZE))
    assert _names(panel) == two_pages
    ranks = panel.get_by_test_id("top-track-row").evaluate_all(
        "rows => rows.map(row => Number(row.firstElementChild.textContent))"
    )
    assert ranks == list(range(1, shown + 1))


def test_the_measure_toggle_reranks_and_stays_in_the_address(
    browser_page: Page, served_url: str
) -> None:
    panel = _open_listening(browser_page, served_url, tab="artists")
    by_time = _api_names("top_artists", served_url, **QUARTER, limit=str(PAGE_SIZE))
    by_plays = _api_names("top_artists", served_url, **QUARTER, limit=str(PAGE_SIZE), by="plays")
    assert by_time != by_plays
    assert _names(panel) == by_time

    panel.get_by_test_id("tops-by").get_by_role("button", name="Plays").click()
    expect(panel.get_by_test_id("top-artists")).to_have_attribute("data-by", "plays")
    expect(panel.get_by_test_id("panel-subtitle")).to_have_text("By plays in this range")
    assert _names(panel) == by_plays
    assert _query(browser_page.url) == {**QUARTER, "tab": "artists", "by": "plays"}


def test_every_kind_of_top_has_its_tab(browser_page: Page, served_url: str) -> None:
    panel = _open_listening(browser_page, served_url)
    tabs = panel.get_by_test_id("top-tabs")
    for tab, path, row in [
        ("Albums", "top_albums", "top-album-row"),
        ("Shows", "top_shows", "top-show-row"),
        ("Audiobooks", "top_audiobooks", "top-show-row"),
    ]:
        answer = api_get(served_url, path, **QUARTER, limit=str(PAGE_SIZE))
        if answer["total"] == 0 and tab != "Albums":
            expect(tabs.get_by_role("tab", name=tab)).to_have_count(0)
            continue
        tabs.get_by_role("tab", name=tab).click()
        expect(tabs.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        expect(panel.get_by_test_id(row).first).to_be_visible()
        # Waits for the tab's own rows: the shows' stay until the audiobooks' arrive.
        expect(panel.get_by_test_id("top-name")).to_have_text(
            [item["name"] for item in answer["items"]]
        )
        assert _query(browser_page.url)["tab"] == tab.lower()
    assert api_get(served_url, "top_shows", **QUARTER)["total"] > 0  # the sample has podcasts


def test_a_top_row_links_to_its_page_and_back(browser_page: Page, served_url: str) -> None:
    panel = _open_listening(browser_page, served_url, tab="albums")
    album = api_get(served_url, "top_albums", **QUARTER, limit="1")["items"][0]
    link = panel.get_by_test_id("top-name").first
    expect(link).to_have_attribute("href", f"/album/?id={quote(album['album_id'], safe='')}")
    artist = album["artists"][0]
    artist_link = panel.get_by_test_id("top-album-row").first.get_by_role(
        "link", name=artist["name"]
    )
    expect(artist_link).to_have_attribute(
        "href", f"/artist/?id={quote(artist['artist_id'], safe='')}"
    )
    link.click()
    browser_page.wait_for_url(lambda url: urlsplit(url).path == "/album/")
    assert _query(browser_page.url) == {"id": album["album_id"]}
    browser_page.go_back()
    browser_page.wait_for_url(lambda url: urlsplit(url).path == "/listening/")
    expect(browser_page.get_by_test_id("top-album-row").first).to_be_visible(timeout=15_000)


def _shown_cells(page: Page) -> list[tuple[int, int, int, int]]:
    return [
        tuple(int(value) for value in cell)
        for cell in page.get_by_test_id("clock-cell").evaluate_all(
            "cells => cells.map(c => [c.dataset.weekday, c.dataset.hour, c.dataset.plays,"
            " c.dataset.listeningMs])"
        )
    ]


def _api_cells(answer: dict[str, Any]) -> list[tuple[int, int, int, int]]:
    return [(c["weekday"], c["hour"], c["plays"], c["listening_ms"]) for c in answer["cells"]]


def test_the_listening_clock_shows_the_apis_cells(browser_page: Page, served_url: str) -> None:
    _open_listening(browser_page, served_url)
    clock = browser_page.get_by_test_id("panel-clock")
    expect(clock.get_by_test_id("clock-cell")).to_have_count(168)
    expect(clock.get_by_test_id("panel-subtitle")).to_have_text(
        f"Weekdays and hours in {USER_ZONE}"
    )
    everything = api_get(served_url, "clock", **QUARTER)
    assert _shown_cells(browser_page) == _api_cells(everything)
    peak = everything["peak"]
    monday_first = clock.get_by_role("rowheader").all_inner_texts()
    assert monday_first == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    busiest = clock.locator(
        f"[data-testid=clock-cell][data-weekday='{peak['weekday']}'][data-hour='{peak['hour']}']"
    )
    expect(busiest).to_have_attribute("title", _cell_title(peak))

    clock.get_by_test_id("clock-kind").get_by_role("button", name="Music").click()
    music = api_get(served_url, "clock", **QUARTER, kind="music")
    expect(clock.get_by_test_id("clock-peak")).to_contain_text("Busiest hour")
    browser_page.wait_for_url(lambda url: _query(url).get("clock_kind") == "music")
    # Wait for a cell whose music plays differ from all plays: then the grid shows music.
    changed = next(
        n
        for n, (cell, music_cell) in enumerate(
            zip(everything["cells"], music["cells"], strict=True)
        )
        if cell["plays"] != music_cell["plays"]
    )
    expect(clock.locator("[data-testid=clock-cell]").nth(changed)).to_have_attribute(
        "data-plays", str(music["cells"][changed]["plays"])
    )
    assert _shown_cells(browser_page) == _api_cells(music)

    clock.get_by_test_id("clock-by").get_by_role("button", name="Plays").click()
    expect(clock.get_by_test_id("clock")).to_have_attribute("data-by", "plays")
    by_plays = api_get(served_url, "clock", **QUARTER, kind="music", by="plays")["peak"]
    expect(clock.get_by_test_id("clock-peak")).to_contain_text(f"{by_plays['plays']} plays")


def _cell_title(cell: dict[str, Any]) -> str:
    """The tooltip of a cell, as an en-US browser words it."""
    weekday = datetime(2024, 1, cell["weekday"]).strftime("%A")
    hour = datetime(2024, 1, 1, cell["hour"]).strftime("%I %p").lstrip("0")
    plays = f"{cell['plays']:,} {'play' if cell['plays'] == 1 else 'plays'}"
    return f"{weekday}, {hour}: {plays}, {_duration(cell['listening_ms'])}"


def _duration(ms: int) -> str:
    """formatDuration of frontend/lib/format.ts."""
    minutes = round(ms / 60_000)
    if minutes == 0:
        return "< 1 min" if ms > 0 else "0 min"
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest} min"
    if hours >= 100 or rest == 0:
        return f"{hours:,} h"
    return f"{hours} h {rest} min"


def test_recent_plays_by_local_day_with_load_more(browser_page: Page, served_url: str) -> None:
    zone = ZoneInfo(USER_ZONE)
    first = api_get(served_url, "recent")
    assert first["next_before"] is not None
    browser_page.goto(f"{served_url}/recent/")
    plays = browser_page.get_by_test_id("recent-play")
    expect(plays.first).to_be_visible(timeout=15_000)
    expect(plays).to_have_count(len(first["items"]))
    assert len(first["items"]) >= RECENT_PAGE_SIZE
    started = plays.evaluate_all("rows => rows.map(row => row.dataset.startedAt)")
    assert started == [play["started_at"] for play in first["items"]]

    newest = datetime.fromisoformat(first["items"][0]["started_at"]).astimezone(zone)
    expect(plays.first.get_by_test_id("recent-time")).to_have_text(f"{newest:%I:%M %p}")
    days = browser_page.get_by_test_id("recent-day").locator("h3")
    local_days = list(
        dict.fromkeys(
            datetime.fromisoformat(p["started_at"]).astimezone(zone).date().isoformat()
            for p in first["items"]
        )
    )
    assert days.evaluate_all("hs => hs.map(h => h.dataset.day)") == local_days
    expect(days.first).to_have_text(f"{newest:%a}, {newest:%b} {newest.day}, {newest.year}")

    item = first["items"][0]
    name = plays.first.get_by_test_id("recent-name")
    if item["track"]:
        expect(name).to_have_text(item["track"]["name"])
        expect(name).to_have_attribute(
            "href", f"/track/?id={quote(item['track']['track_id'], safe='')}"
        )
    else:
        expect(name).to_have_text(item["episode"]["name"])

    browser_page.get_by_test_id("load-more").click()
    second = api_get(served_url, "recent", before=first["next_before"])
    expect(plays).to_have_count(len(first["items"]) + len(second["items"]))
    started = plays.evaluate_all("rows => rows.map(row => row.dataset.startedAt)")
    assert started == [play["started_at"] for play in first["items"] + second["items"]]


def test_recent_plays_of_a_range_end_at_its_first_day(browser_page: Page, served_url: str) -> None:
    day = {"from": "2026-02-10", "to": "2026-02-10"}
    answer = api_get(served_url, "recent", **day)
    assert answer["items"]
    assert answer["next_before"] is None
    browser_page.goto(f"{served_url}/recent/?from={day['from']}&to={day['to']}")
    expect(browser_page.get_by_test_id("recent-play")).to_have_count(
        len(answer["items"]), timeout=15_000
    )
    expect(browser_page.get_by_test_id("recent-day")).to_have_count(1)
    expect(browser_page.get_by_test_id("recent-end")).to_be_visible()
    expect(browser_page.get_by_test_id("load-more")).to_have_count(0)


def test_an_empty_range_says_what_to_do(browser_page: Page, served_url: str) -> None:
    for path in ("listening", "recent"):
        browser_page.goto(f"{served_url}/{path}/?from=2020-01-01&to=2020-01-31")
        empty = browser_page.get_by_test_id("empty-state")
        expect(empty).to_contain_text("No plays in this range", timeout=15_000)
        empty.get_by_role("button", name="Show all time").click()
        browser_page.wait_for_url(lambda url: "from" not in _query(url))


def test_overview_top_rows_link_to_their_pages(browser_page: Page, served_url: str) -> None:
    browser_page.goto(f"{served_url}/")
    tracks = browser_page.get_by_test_id("panel-top-tracks")
    expect(tracks.get_by_test_id("top-track-row").first).to_be_visible(timeout=15_000)
    top = api_get(served_url, "top_tracks", limit="1")["items"][0]
    expect(tracks.get_by_test_id("top-name").first).to_have_attribute(
        "href", f"/track/?id={quote(top['track_id'], safe='')}"
    )
    artists = browser_page.get_by_test_id("panel-top-artists")
    artist = api_get(served_url, "top_artists", limit="1")["items"][0]
    expect(artists.get_by_test_id("top-name").first).to_have_attribute(
        "href", f"/artist/?id={quote(artist['artist_id'], safe='')}"
    )
