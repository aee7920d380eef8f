"""The settings page over the served one-year sample history: a new default ranking measure
ranks the overview's top lists (an address naming a measure still wins), a new time zone
re-cuts the days the dashboard shows, and the page fits a 360 px screen. Each test puts the
served user's settings back as they were.

With MOODIFY_SHOTS set to a folder, the page is saved there as it looks on a desktop and at
360 px (settings-desktop.png, settings-360.png)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.e2e.served import USER_ZONE, api_get
from tests.e2e.test_genres import shots
from tests.e2e.test_navigation import overflow

pytestmark = pytest.mark.e2e

LOADED = 15_000  # ms to wait for a page's first answer
RECUT = 120_000  # ms to wait for a year of days cut again (a loaded machine is slow)
# The page's sections in order; each shows once a setting of it has landed.
SECTIONS = ["Preferences", "Exclusion rules", "Data providers", "Your data", "Sessions", "Sharing"]


def put_settings(served_url: str, **change: str) -> Any:
    response = requests.put(f"{served_url}/api/v1/settings", json=change, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def restored(served_url: str) -> Iterator[None]:
    """The served user's settings are as the other tests expect them, before and after."""
    defaults = {"time_zone": USER_ZONE, "ranking_measure": "listening_time"}
    assert api_get(served_url, "settings") == defaults
    yield
    put_settings(served_url, **defaults)


def test_the_default_ranking_measure_ranks_the_top_lists(
    browser_page: Page, served_url: str, restored: None
) -> None:
    page = browser_page
    page.goto(f"{served_url}/settings/")
    measure = page.get_by_test_id("ranking-measure")
    expect(measure.locator("[aria-pressed='true']")).to_have_attribute(
        "data-value", "listening_time", timeout=LOADED
    )
    measure.locator("[data-value='plays']").click()
    expect(page.get_by_test_id("ranking-measure-status")).to_have_attribute("data-step", "saved")
    assert api_get(served_url, "settings")["ranking_measure"] == "plays"

    # Followed from the header (no reload): the page forgot the answers it kept.
    page.get_by_test_id("main-nav").get_by_role("link", name="Overview", exact=True).click()
    page.wait_for_url(f"{served_url}/")
    top_tracks = page.get_by_test_id("top-tracks")
    expect(top_tracks).to_have_attribute("data-by", "plays", timeout=LOADED)
    expect(page.get_by_test_id("top-artists")).to_have_attribute("data-by", "plays")
    first = api_get(served_url, "top_tracks", by="plays", limit="1")["items"][0]
    expect(top_tracks.get_by_test_id("top-name").first).to_have_text(first["name"])

    # The top genres too (whether or not the sample's artists have genres yet).
    with page.expect_request("**/api/v1/genres/top?*by=plays*", timeout=LOADED):
        page.get_by_test_id("main-nav").get_by_role("link", name="Genres", exact=True).click()

    # The address names a measure: it wins over the setting.
    page.goto(f"{served_url}/?tracks_by=listening_time")
    expect(top_tracks).to_have_attribute("data-by", "listening_time", timeout=LOADED)
    expect(page.get_by_test_id("top-artists")).to_have_attribute("data-by", "plays")
    # Picking the user's default takes the measure out of the address.
    page.get_by_test_id("tracks-by").locator("[data-value='plays']").click()
    page.wait_for_url(f"{served_url}/")
    expect(top_tracks).to_have_attribute("data-by", "plays", timeout=LOADED)


def test_a_new_time_zone_recuts_the_days_shown(
    browser_page: Page, served_url: str, restored: None
) -> None:
    page = browser_page
    clock_before = api_get(served_url, "clock")
    page.goto(f"{served_url}/settings/")
    expect(page.get_by_test_id("current-time-zone")).to_have_text(USER_ZONE, timeout=LOADED)
    page.get_by_test_id("time-zone-search").fill("tokyo")
    expect(page.get_by_test_id("time-zone-list")).to_have_value("Asia/Tokyo")
    save = page.get_by_test_id("save-time-zone")
    expect(save).to_have_text("Use Asia/Tokyo")
    save.click()
    status = page.get_by_test_id("time-zone-status")
    expect(status).to_have_attribute("data-step", "saving")
    expect(status).to_contain_text("Re-cutting your days in Asia/Tokyo")
    expect(status).to_have_attribute("data-step", "saved", timeout=RECUT)
    expect(page.get_by_test_id("current-time-zone")).to_have_text("Asia/Tokyo")
    expect(page.get_by_test_id("time-zone")).to_contain_text("Asia/Tokyo")  # the footer

    # The same plays, in hours eight (or, in summer, seven) later.
    clock_after = api_get(served_url, "clock")
    assert clock_after["time_zone"] == "Asia/Tokyo"
    assert clock_after["plays"] == clock_before["plays"]
    assert clock_after["cells"] != clock_before["cells"]
    page.get_by_test_id("main-nav").get_by_role("link", name="Listening", exact=True).click()
    expect(page.get_by_test_id("panel-clock")).to_contain_text(
        "Weekdays and hours in Asia/Tokyo", timeout=LOADED
    )


def test_an_unknown_time_zone_is_refused(served_url: str) -> None:
    response = requests.put(
        f"{served_url}/api/v1/settings", json={"time_zone": "Europe/Atlantis"}, timeout=10
    )
    assert response.status_code == 422
    assert api_get(served_url, "settings")["time_zone"] == USER_ZONE


def test_the_settings_page_fits_a_phone_and_a_desktop(
    browser: Browser, browser_page: Page, served_url: str
) -> None:
    folder = shots()
    browser_page.goto(f"{served_url}/settings/")
    expect(browser_page.get_by_test_id("ranking-measure")).to_be_visible(timeout=LOADED)
    headings = browser_page.locator("main h2[id$='-heading']").all_inner_texts()
    assert headings[0] == "Preferences"
    assert headings == [section for section in SECTIONS if section in headings]
    assert overflow(browser_page) == 0
    if folder:
        browser_page.screenshot(path=str(folder / "settings-desktop.png"), full_page=True)

    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-US")
    try:
        phone = context.new_page()
        phone.goto(f"{served_url}/")
        phone.get_by_test_id("menu-button").click()
        phone.get_by_test_id("main-nav").get_by_role("link", name="Settings", exact=True).click()
        phone.wait_for_url(f"{served_url}/settings/")
        expect(phone.get_by_test_id("time-zone-list")).to_be_visible(timeout=LOADED)
        assert overflow(phone) == 0
        if folder:
            phone.screenshot(path=str(folder / "settings-360.png"), full_page=True)
    finally:
        context.close()
