"""The recap page over the served one-year sample history (it ends 2026-11-01): the numbers
it shows are the API's, a year, a month and a custom range can be picked, and the card
downloads as a real PNG."""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.served import BROWSER_ZONE, api_get

pytestmark = pytest.mark.e2e

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MINUS, EN_DASH = "\N{MINUS SIGN}", "\N{EN DASH}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """An en-US browser in Los Angeles, nine hours behind the user's Berlin."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="en-US", timezone_id=BROWSER_ZONE
    )
    yield context.new_page()
    context.close()


def js_round(value: float) -> int:
    """JavaScript's Math.round: halves go up (Python's round goes to even)."""
    return math.floor(value + 0.5)


def uri_component(value: str) -> str:
    """JavaScript's encodeURIComponent, as the entity links use it."""
    return quote(value, safe="!'()*")


def shown_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day:%b} {day.day}, {day.year}"


def shown_change(change: dict[str, Any]) -> tuple[str, str]:
    """The direction and the badge text the page shows for a change."""
    current, previous, ratio = change["current"], change["previous"], change["change"]
    if current == previous:
        return "same", "same"
    if previous == 0:
        return "new", "new"
    way = "up" if current > previous else "down"
    return way, f"{'+' if way == 'up' else MINUS}{js_round(abs(ratio) * 100)}%"


def check_card_against_api(page: Page, recap: dict[str, Any]) -> None:
    card = page.get_by_test_id("recap-card")
    totals = recap["totals"]
    expect(card.get_by_test_id("recap-hours")).to_contain_text(
        f"{js_round(totals['listening_ms'] / 3_600_000):,}", timeout=15_000
    )
    expect(card.get_by_test_id("recap-minutes")).to_have_text(
        f"{js_round(totals['listening_ms'] / 60_000):,}"
    )
    expect(card.get_by_test_id("recap-plays")).to_have_text(f"{totals['plays']:,}")
    expect(card.get_by_test_id("recap-days")).to_have_text(
        f"{totals['listening_days']:,} of {recap['days']:,}"
    )
    expect(card.get_by_test_id("recap-artists")).to_have_text(f"{totals['distinct_artists']:,}")
    expect(card.get_by_test_id("recap-new-artists")).to_have_text(
        f"{totals['new_artists']:,} new artists"
    )

    artists = card.get_by_test_id("recap-top-artists").locator("li")
    expect(artists).to_have_count(len(recap["top_artists"]))
    for row, artist in zip(artists.all(), recap["top_artists"], strict=True):
        link = row.get_by_role("link", name=artist["name"], exact=True)
        expect(link).to_have_attribute("href", f"/artist/?id={uri_component(artist['artist_id'])}")
    tracks = card.get_by_test_id("recap-top-tracks").locator("li")
    expect(tracks).to_have_count(len(recap["top_tracks"]))
    for row, track in zip(tracks.all(), recap["top_tracks"], strict=True):
        link = row.get_by_role("link", name=track["name"], exact=True)
        expect(link).to_have_attribute("href", f"/track/?id={uri_component(track['track_id'])}")

    for test_id, day in [
        ("recap-brightest", recap["brightest_day"]),
        ("recap-melancholic", recap["melancholic_day"]),
        ("recap-busiest", recap["busiest_day"]),
    ]:
        expect(card.get_by_test_id(test_id).get_by_test_id("day-date")).to_have_text(
            shown_date(day["date"])
        )
    expect(card.get_by_test_id("recap-brightest").get_by_test_id("day-valence")).to_have_text(
        f"{recap['brightest_day']['valence']:.2f}"
    )
    expect(card.get_by_test_id("mood-valence")).to_have_text(f"{recap['mood']['valence']:.2f}")

    comparison = card.get_by_test_id("recap-comparison")
    for test_id, name in [
        ("listening", "listening_ms"),
        ("plays", "plays"),
        ("artists", "distinct_artists"),
    ]:
        way, text = shown_change(recap["comparison"][name])
        row = comparison.get_by_test_id(f"change-{test_id}")
        expect(row).to_have_attribute("data-direction", way)
        expect(row.get_by_test_id("change-percent")).to_have_text(text)


def test_the_recap_of_a_year_shows_the_apis_numbers(page: Page, served_url: str) -> None:
    page.goto(f"{served_url}/recap/")
    periods = page.get_by_test_id("recap-periods")
    # The sample history runs from November 2025 to November 2026; the latest year first.
    expect(periods.get_by_role("button")).to_have_text(["2025", "2026", "Custom range"])
    expect(periods.get_by_role("button", name="2026")).to_have_attribute("aria-pressed", "true")
    periods.get_by_role("button", name="2025").click()
    expect(page).to_have_url(f"{served_url}/recap/?year=2025")
    # Exactly: the comparison's heading names dates of 2025 too, when 2026 is under way.
    expect(page.get_by_role("heading", name="2025", exact=True)).to_be_visible(timeout=15_000)
    recap = api_get(served_url, "recap", year="2025")
    assert recap["totals"]["plays"] > 0
    check_card_against_api(page, recap)
    # Nothing before November 2025: every figure is new against 2024.
    assert recap["comparison"]["previous_from"] == "2024-01-01"
    expect(page.get_by_test_id("change-plays")).to_have_attribute("data-direction", "new")


def test_a_month_of_a_year_and_its_comparison(page: Page, served_url: str) -> None:
    page.goto(f"{served_url}/recap/?year=2026")
    page.get_by_test_id("recap-month").select_option(label="March 2026")
    expect(page).to_have_url(f"{served_url}/recap/?year=2026&month=3")
    expect(page.get_by_role("heading", name="March 2026", exact=True)).to_be_visible(timeout=15_000)
    recap = api_get(served_url, "recap", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert recap["comparison"]["previous_from"] == "2026-02-01"
    check_card_against_api(page, recap)
    expect(page.get_by_test_id("recap-comparison")).to_contain_text("Compared with February 2026")


def test_a_custom_range(page: Page, served_url: str) -> None:
    page.goto(f"{served_url}/recap/?year=2026&month=2")
    page.get_by_role("button", name="Custom range").click()
    # The custom range starts as the period shown, then its end moves.
    expect(page).to_have_url(f"{served_url}/recap/?from=2026-02-01&to=2026-02-28")
    page.get_by_test_id("range-to").fill("2026-02-14")
    expect(page).to_have_url(f"{served_url}/recap/?from=2026-02-01&to=2026-02-14")
    title = f"Feb 1, 2026 {EN_DASH} Feb 14, 2026"
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=15_000)
    recap = api_get(served_url, "recap", **{"from": "2026-02-01", "to": "2026-02-14"})
    assert (recap["comparison"]["previous_from"], recap["comparison"]["previous_to"]) == (
        "2026-01-18",
        "2026-01-31",
    )
    check_card_against_api(page, recap)


def test_a_reversed_range_is_explained_and_an_empty_one_says_so(
    page: Page, served_url: str
) -> None:
    page.goto(f"{served_url}/recap/?from=2026-03-01&to=2026-02-01")
    expect(page.get_by_test_id("range-problem")).to_have_text(
        "The range ends before it starts.", timeout=15_000
    )
    page.get_by_role("button", name="Swap the dates").click()
    expect(page.get_by_test_id("recap-card")).to_be_visible(timeout=15_000)
    page.goto(f"{served_url}/recap/?from=2020-01-01&to=2020-01-31")
    expect(page.get_by_test_id("empty-state")).to_contain_text("No plays in January 2020")


def test_a_top_artist_links_to_its_page_and_back(page: Page, served_url: str) -> None:
    top = api_get(served_url, "recap", year="2026")["top_artists"][0]
    page.goto(f"{served_url}/recap/?year=2026")
    page.get_by_test_id("recap-top-artists").get_by_role("link", name=top["name"]).click()
    page.wait_for_url("**/artist/?*")
    assert parse_qs(urlsplit(page.url).query)["id"] == [top["artist_id"]]
    page.go_back()
    expect(page).to_have_url(f"{served_url}/recap/?year=2026")
    expect(page.get_by_test_id("recap-card")).to_be_visible(timeout=15_000)


def test_the_recap_downloads_as_a_png(page: Page, served_url: str) -> None:
    page.goto(f"{served_url}/recap/?year=2026")
    card = page.get_by_test_id("recap-card")
    expect(card).to_be_visible(timeout=15_000)
    box = card.bounding_box()
    assert box is not None
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_test_id("download-png").click()
    download = download_info.value
    assert download.suggested_filename == "moodify-recap-2026.png"
    image = download.path().read_bytes()
    assert image.startswith(PNG_SIGNATURE)
    # IHDR, the first chunk, holds the width and height; the card is drawn at twice its size.
    width, height = struct.unpack(">II", image[16:24])
    assert (width, height) == (round(box["width"] * 2), round(box["height"] * 2))
    assert len(image) > 50_000  # a picture of the card, not a blank canvas
    expect(page.get_by_test_id("download-png")).to_have_text("Download as PNG")


def test_the_recap_fits_a_narrow_phone(browser: Browser, served_url: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"{served_url}/recap/?year=2026")
        expect(page.get_by_test_id("recap-card")).to_be_visible(timeout=15_000)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 320
    finally:
        context.close()
