"""The header on a phone and on a desktop: every page reachable, nothing wider than the
screen, and search from any page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.served import api_get

pytestmark = pytest.mark.e2e

PAGES = [
    ("/", "Overview"),
    ("/listening/", "Listening"),
    ("/recent/", "Recent"),
    ("/habits/", "Habits"),
    ("/recap/", "Recap"),
    ("/playback/", "Playback"),
    ("/podcasts/", "Podcasts"),
    ("/mood/", "Mood"),
    ("/genres/", "Genres"),
    ("/compare/", "Compare"),
    ("/import/", "Import"),
    ("/settings/", "Settings"),
]


@pytest.fixture(params=[390, 320], ids=["phone", "narrow-phone"])
def phone(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    yield context.new_page()
    context.close()


def overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the screen."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_every_page_is_reached_from_the_menu_on_a_phone(phone: Page, served_url: str) -> None:
    phone.goto(f"{served_url}/")
    menu = phone.get_by_test_id("menu-button")
    nav = phone.get_by_test_id("main-nav")
    for path, label in PAGES:
        expect(nav).to_be_hidden()
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        nav.get_by_role("link", name=label, exact=True).click()
        phone.wait_for_url(f"{served_url}{path}")
        # The page's heading has rendered (or its empty state): its width is final.
        expect(phone.locator("main h1, main [data-testid='empty-state']").first).to_be_visible(
            timeout=15_000
        )
        assert overflow(phone) == 0, f"{path} is wider than the screen"
        expect(nav).to_be_hidden()  # the menu folds again on the new page


def test_the_navigation_stays_on_screen_on_a_desktop(browser_page: Page, served_url: str) -> None:
    browser_page.goto(f"{served_url}/mood/")
    nav = browser_page.get_by_test_id("main-nav")
    expect(nav).to_be_visible(timeout=15_000)
    expect(browser_page.get_by_test_id("menu-button")).to_be_hidden()
    expect(nav.get_by_role("link", name="Mood")).to_have_attribute("aria-current", "page")
    assert nav.get_by_role("link").count() == len(PAGES)
    assert overflow(browser_page) == 0


def test_search_from_the_header_opens_the_hit_it_found(phone: Page, served_url: str) -> None:
    # The user's most played artist, searched by part of its name.
    artist = api_get(served_url, "top_artists", limit="1", by="plays")["items"][0]
    part = artist["name"][1:5]
    hits = api_get(served_url, "search", q=part, limit="10")  # as the search page asks

    phone.goto(f"{served_url}/mood/")
    phone.get_by_test_id("header-search").fill(part)
    phone.get_by_test_id("header-search").press("Enter")
    phone.wait_for_url(f"{served_url}/search/?q=*")
    shown = phone.get_by_test_id("search-hit")
    expect(shown.first).to_be_visible(timeout=15_000)
    expected = sum(len(hits[kind]) for kind in ("tracks", "artists", "albums", "shows"))
    expect(shown).to_have_count(expected)
    assert overflow(phone) == 0

    hit = phone.locator("[data-testid='search-hit'][data-kind='artist']").filter(
        has_text=artist["name"]
    )
    expect(hit.get_by_test_id("search-hit-plays")).to_have_text(f"{artist['plays']:,}")
    hit.click()
    phone.wait_for_url("**/artist/?id=*")
    expect(phone.get_by_role("heading", level=1)).to_have_text(artist["name"], timeout=15_000)


def test_a_search_that_finds_nothing_says_so(browser_page: Page, served_url: str) -> None:
    browser_page.goto(f"{served_url}/search/?q=zzqx-no-such-name")
    expect(browser_page.get_by_test_id("empty-state")).to_contain_text(
        "Nothing you have played matches", timeout=15_000
    )
