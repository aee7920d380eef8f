"""Exclusion rules in the dashboard, over the served one-year sample history: an artist
excluded from its page leaves the overview's totals, and removing the rule in Settings puts
them back. The test leaves no rule behind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.e2e.served import api_get
from tests.e2e.test_navigation import overflow

pytestmark = pytest.mark.e2e

LOADED = 15_000  # ms to wait for a page's first answer
REBUILT = 120_000  # ms to wait for the days of a year's top artist rebuilt (a loaded machine)


@pytest.fixture
def no_rules_left(served_url: str) -> Iterator[None]:
    assert api_get(served_url, "exclusions")["rules"] == []
    yield
    for rule in api_get(served_url, "exclusions")["rules"]:
        requests.delete(f"{served_url}/api/v1/exclusions/{rule['rule_id']}", timeout=120)


def api_post(served_url: str, path: str, body: dict[str, str]) -> Any:
    response = requests.post(f"{served_url}/api/v1/{path}", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def expect_plays(page: Page, served_url: str, plays: int) -> None:
    page.get_by_test_id("main-nav").get_by_role("link", name="Overview", exact=True).click()
    page.wait_for_url(f"{served_url}/")
    expect(page.get_by_test_id("summary-plays")).to_contain_text(f"{plays:,}", timeout=LOADED)


def test_an_artist_excluded_from_its_page_leaves_the_totals_until_the_rule_goes(
    browser_page: Page, served_url: str, no_rules_left: None
) -> None:
    page = browser_page
    before = api_get(served_url, "summary")["plays"]
    artist = api_get(served_url, "top_artists", limit="1")["items"][0]

    page.goto(f"{served_url}/artist/?id={quote(artist['artist_id'])}")
    expect(page.get_by_test_id("entity-name")).to_have_text(artist["name"], timeout=LOADED)
    page.get_by_test_id("exclude-button").click()
    confirmation = page.get_by_test_id("exclude-confirmation")
    expect(confirmation).to_contain_text("undo this any time in Settings")
    page.get_by_test_id("confirm-exclude").click()
    expect(confirmation).to_contain_text("Left out", timeout=REBUILT)

    (rule,) = api_get(served_url, "exclusions")["rules"]
    assert rule["kind"] == "artist"
    assert rule["item_id"] == artist["artist_id"]
    assert 0 < rule["matched_plays"] < before
    after = before - rule["matched_plays"]
    assert api_get(served_url, "summary")["plays"] == after
    expect_plays(page, served_url, after)

    page.get_by_test_id("main-nav").get_by_role("link", name="Settings", exact=True).click()
    listed = page.get_by_test_id("exclusion-rule")
    expect(listed).to_contain_text(artist["name"], timeout=LOADED)
    expect(listed.get_by_test_id("exclusion-rule-matched")).to_contain_text(
        f"{rule['matched_plays']:,} plays"
    )
    listed.get_by_test_id("remove-exclusion-rule").click()
    expect(page.get_by_test_id("exclusion-rules")).to_contain_text(
        "No rules: every play counts", timeout=REBUILT
    )
    assert api_get(served_url, "summary")["plays"] == before
    expect_plays(page, served_url, before)


def test_the_rule_form_previews_a_rule_and_shows_a_refusal(
    browser_page: Page, served_url: str, no_rules_left: None
) -> None:
    page = browser_page
    page.goto(f"{served_url}/settings/")
    page.get_by_test_id("exclusion-rules").get_by_role("button", name="Add a rule").click(
        timeout=LOADED
    )
    # The form opens on a nightly window, 01:00 to 07:00.
    preview = api_post(
        served_url,
        "exclusions/preview",
        {"kind": "daily", "daily_from": "01:00", "daily_to": "07:00"},
    )
    page.get_by_test_id("preview-exclusion-rule").click()
    expect(page.get_by_test_id("exclusion-rule-preview")).to_contain_text(
        f"would leave out {preview['matched_plays']:,} plays"
    )

    page.get_by_test_id("exclusion-kind").select_option("artist")
    page.get_by_test_id("exclusion-target").fill("no-such-artist")
    page.get_by_test_id("save-exclusion-rule").click()
    expect(page.get_by_test_id("exclusion-rule-error")).to_contain_text(
        "one of your plays is of the artist"
    )
    assert api_get(served_url, "exclusions")["rules"] == []


def test_the_exclude_button_and_the_rule_form_fit_a_phone(
    browser: Browser, served_url: str, no_rules_left: None
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-US")
    try:
        phone = context.new_page()
        artist = api_get(served_url, "top_artists", limit="1")["items"][0]
        phone.goto(f"{served_url}/artist/?id={quote(artist['artist_id'])}")
        phone.get_by_test_id("exclude-button").click(timeout=LOADED)
        expect(phone.get_by_test_id("exclude-confirmation")).to_be_visible()
        assert overflow(phone) == 0
        phone.goto(f"{served_url}/settings/")
        phone.get_by_test_id("exclusion-rules").get_by_role("button", name="Add a rule").click(
            timeout=LOADED
        )
        for kind in ("daily", "window", "artist"):
            phone.get_by_test_id("exclusion-kind").select_option(kind)
            assert overflow(phone) == 0, kind
    finally:
        context.close()
