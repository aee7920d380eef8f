"""The pages of a track, an artist, an album and a show, over the served sample history."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.served import USER_ZONE, api_get

pytestmark = pytest.mark.e2e

LOADED = 15_000  # ms to wait for a page's first answer
TOP_LIMIT = "20"  # top tracks or episodes a page asks for (ENTITY_TOP_LIMIT in lib/entities.ts)


def _entity(served_url: str, kind: str, item_id: str, **params: str) -> Any:
    if kind != "tracks":
        params.setdefault("limit", TOP_LIMIT)
    return api_get(served_url, f"{kind}/{quote(item_id, safe='')}", **params)


def _played_months(entity: dict[str, Any]) -> list[dict[str, Any]]:
    return [month for month in entity["months"] if month["rank"] is not None]


def _day_of(timestamp: str) -> str:
    moment = datetime.fromisoformat(timestamp).astimezone(ZoneInfo(USER_ZONE))
    return f"{moment:%b} {moment.day}, {moment.year}"


def _expect_page_of(page: Page, entity: dict[str, Any]) -> None:
    """The header, the stat cards, the month chart and the rank table show `entity`'s figures."""
    expect(page.get_by_test_id("entity-name")).to_have_text(entity["name"], timeout=LOADED)
    expect(page.get_by_test_id("entity-plays")).to_contain_text(f"{entity['plays']:,}")
    expect(page.get_by_test_id("entity-first")).to_contain_text(_day_of(entity["first_played_at"]))
    expect(page.get_by_test_id("entity-last")).to_contain_text(_day_of(entity["last_played_at"]))
    expect(page.get_by_test_id("open-in-spotify")).to_have_attribute("href", entity["spotify_url"])
    bars = page.get_by_test_id("month-bar")
    shown = bars.evaluate_all("bars => bars.map(b => [b.dataset.month, Number(b.dataset.plays)])")
    assert shown == [[month["month"], month["plays"]] for month in entity["months"]]
    played = _played_months(entity)
    ranks = page.get_by_test_id("rank-row").get_by_test_id("rank").all_inner_texts()
    assert ranks == [f"#{month['rank']:,}" for month in reversed(played)]
    best = min(month["rank"] for month in played)
    expect(page.get_by_test_id("best-rank")).to_contain_text(f"#{best:,}")


def test_a_top_track_on_the_overview_links_to_its_page_and_back(
    browser_page: Page, served_url: str
) -> None:
    browser_page.goto(f"{served_url}/")
    top = browser_page.get_by_test_id("panel-top-tracks").get_by_test_id("top-track-row").first
    expect(top).to_be_visible(timeout=LOADED)
    first = api_get(served_url, "top_tracks", limit="1")["items"][0]

    top.get_by_test_id("top-name").click()
    expect(browser_page).to_have_url(f"{served_url}/track/?{urlencode({'id': first['track_id']})}")
    track = _entity(served_url, "tracks", first["track_id"])
    _expect_page_of(browser_page, track)
    # The sample's tracks carry Spotify IDs: the link opens the track itself.
    expect(browser_page.get_by_test_id("open-in-spotify")).to_have_text("Open in Spotify")
    assert track["spotify_url"] == f"https://open.spotify.com/track/{first['track_id']}"
    mood = track["mood"]
    expect(browser_page.get_by_test_id("mood-valence")).to_have_text(f"{mood['valence']:.2f}")
    expect(browser_page.get_by_test_id("mood-coverage")).to_contain_text(
        f"{round(mood['coverage'] * 100)}%"
    )

    browser_page.go_back()
    expect(browser_page).to_have_url(f"{served_url}/")
    expect(top).to_contain_text(first["name"], timeout=LOADED)


def test_an_artist_page_and_its_links_to_tracks_and_albums(
    browser_page: Page, served_url: str
) -> None:
    artist_id = api_get(served_url, "top_artists", limit="1", by="plays")["items"][0]["artist_id"]
    assert artist_id.startswith("name:")  # exports name artists but give them no IDs
    artist = _entity(served_url, "artists", artist_id)
    browser_page.goto(f"{served_url}/artist/?{urlencode({'id': artist_id})}")
    _expect_page_of(browser_page, artist)
    expect(browser_page.get_by_test_id("open-in-spotify")).to_have_text("Search on Spotify")
    # The top artist of all time by plays was first in most months.
    assert min(month["rank"] for month in _played_months(artist)) == 1

    rows = browser_page.get_by_test_id("entity-track-row")
    names = rows.get_by_test_id("top-name").all_inner_texts()
    assert names == [track["name"] for track in artist["top_tracks"]]
    expect(browser_page.get_by_test_id("mood-valence")).to_have_text(
        f"{artist['mood']['valence']:.2f}"
    )

    # From its top track to the track's page, whose byline links back to the artist.
    best = artist["top_tracks"][0]
    rows.first.get_by_test_id("top-name").click()
    expect(browser_page).to_have_url(f"{served_url}/track/?{urlencode({'id': best['track_id']})}")
    _expect_page_of(browser_page, _entity(served_url, "tracks", best["track_id"]))
    album_link = browser_page.get_by_test_id("track-album")
    expect(album_link).to_have_text(best["album"]["name"])
    browser_page.go_back()
    expect(browser_page.get_by_test_id("entity-name")).to_have_text(artist["name"], timeout=LOADED)

    browser_page.goto(f"{served_url}/track/?{urlencode({'id': best['track_id']})}")
    browser_page.get_by_test_id("track-album").click()
    album = _entity(served_url, "albums", best["album"]["album_id"])
    _expect_page_of(browser_page, album)
    byline = browser_page.get_by_test_id("entity-byline")
    expect(byline.get_by_role("link", name=artist["name"])).to_be_visible()
    names = browser_page.get_by_test_id("entity-track-row").get_by_test_id("top-name")
    assert names.all_inner_texts() == [track["name"] for track in album["top_tracks"]]


def test_an_artists_range_figures_follow_the_range(browser_page: Page, served_url: str) -> None:
    artist_id = api_get(served_url, "top_artists", limit="1")["items"][0]["artist_id"]
    march = {"from": "2026-03-01", "to": "2026-03-31"}
    artist = _entity(served_url, "artists", artist_id, **march, by="listening_time")
    browser_page.goto(
        f"{served_url}/artist/?{urlencode({'id': artist_id, **march, 'by': 'listening_time'})}"
    )
    _expect_page_of(browser_page, artist)
    expect(browser_page.get_by_test_id("entity-plays")).to_contain_text("In this range")
    names = browser_page.get_by_test_id("entity-track-row").get_by_test_id("top-name")
    assert names.all_inner_texts() == [track["name"] for track in artist["top_tracks"]]

    # A range without its plays: the history stays, the range's panels say so.
    browser_page.goto(f"{served_url}/artist/?{urlencode({'id': artist_id, 'from': '2030-01-01'})}")
    expect(browser_page.get_by_test_id("entity-plays")).to_contain_text("0", timeout=LOADED)
    top = browser_page.get_by_test_id("panel-entity-top")
    expect(top.get_by_test_id("empty-state")).to_contain_text("No plays in this range")
    expect(browser_page.get_by_test_id("mood-unknown")).to_have_text("No plays in this range.")
    top.get_by_role("button", name="Show all time").click()
    expect(browser_page.get_by_test_id("entity-track-row").first).to_be_visible(timeout=LOADED)


@pytest.mark.parametrize("kind", ["shows", "audiobooks"])
def test_a_show_page(browser_page: Page, served_url: str, kind: str) -> None:
    name = api_get(served_url, f"top_{kind}", limit="1")["items"][0]["name"]
    show = api_get(served_url, "shows", name=name, limit=TOP_LIMIT)
    assert show["kind"] == ("podcast" if kind == "shows" else "audiobook")
    browser_page.goto(f"{served_url}/show/?{urlencode({'name': name})}")
    _expect_page_of(browser_page, show)
    episodes = browser_page.get_by_test_id("episode-name").all_inner_texts()
    assert episodes == [episode["name"] for episode in show["top_episodes"]]
    expect(browser_page.get_by_test_id("panel-entity-mood")).to_have_count(0)


def test_unknown_and_missing_entities_say_so(browser_page: Page, served_url: str) -> None:
    browser_page.goto(f"{served_url}/artist/?{urlencode({'id': 'name:nobody at all'})}")
    expect(browser_page.get_by_test_id("not-found")).to_have_text(
        "No artist with id 'name:nobody at all'.", timeout=LOADED
    )
    browser_page.goto(f"{served_url}/album/")
    expect(browser_page.get_by_test_id("empty-state")).to_contain_text("No album chosen")
    browser_page.goto(f"{served_url}/show/?name=Nothing%20Here")
    expect(browser_page.get_by_test_id("empty-state")).to_contain_text(
        "This show isn\u2019t in your history", timeout=LOADED
    )


def test_an_entity_page_asks_for_its_item_beside_me(browser: Browser, served_url: str) -> None:
    """The item's request starts while /me is still unanswered; the page then shows it."""
    track_id = api_get(served_url, "top_tracks", limit="1")["items"][0]["track_id"]
    held: list[Route] = []
    page = browser.new_page()
    try:
        page.route("**/api/v1/me", lambda route: held.append(route))
        with page.expect_request(f"**/api/v1/tracks/{track_id}*", timeout=LOADED):
            page.goto(f"{served_url}/track/?id={track_id}")
        assert len(held) == 1, "/me was answered before the track was asked for"
        held[0].continue_()
        _expect_page_of(page, _entity(served_url, "tracks", track_id))
    finally:
        page.close()


def test_entity_pages_fit_a_320_px_screen(browser: Browser, served_url: str) -> None:
    artist_id = api_get(served_url, "top_artists", limit="1")["items"][0]["artist_id"]
    track_id = api_get(served_url, "top_tracks", limit="1")["items"][0]["track_id"]
    page = browser.new_page(viewport={"width": 320, "height": 800})
    try:
        for path in (f"artist/?{urlencode({'id': artist_id})}", f"track/?id={track_id}"):
            page.goto(f"{served_url}/{path}")
            expect(page.get_by_test_id("month-bar").first).to_be_attached(timeout=LOADED)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} is {width} px wide"
    finally:
        page.close()
