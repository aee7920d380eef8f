"""The affinity page (/compare) over the served one-year sample history, with a friend who
listens to the same catalog: "you don't share" until the user opts in on the settings page,
"no friends share yet" until the friend does, then the score, the shared artists and tracks
and the moods the API answers. Screenshots at desktop width and 360 px go to /tmp/shots12."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from psycopg2.extensions import make_dsn

from etl.core.clock import system_clock
from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.warehouse.connection import connect
from etl.warehouse.sharing import set_sharing
from moodify.demo.sample import generate_sample_export
from tests.e2e.served import USER_ZONE, api_get

pytestmark = pytest.mark.e2e

LOADED = 15_000  # ms to wait for the first answer of a page
FRIEND = "friend-robin"
SHOTS = Path("/tmp/shots12")


@pytest.fixture(scope="module")
def friend_settings(
    served_url: str, postgres_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """The served warehouse (its database is named by the e2e conftest), with a friend who
    has half a year of the same catalog's music, brighter, and does not share yet."""
    home = tmp_path_factory.mktemp("friend") / ".moodify"
    settings = Settings(
        home=home,
        database_url=make_dsn(postgres_server, dbname="moodify_e2e"),
        time_zone=USER_ZONE,
        feature_providers=("sample",),
    )
    sample = generate_sample_export(
        home / "sample", years=1.0, listener_seed=101, mood_shift=0.14, intensity=0.5
    )
    import_export(sample.files[0].parent, PipelineContext.from_settings(settings), FRIEND)
    return settings


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-US")
    yield context.new_page()
    context.close()


def test_compare_page_from_opt_in_to_affinity(
    served_url: str, friend_settings: Settings, page: Page, browser: Browser
) -> None:
    page.goto(f"{served_url}/compare/")
    expect(page.get_by_text("You don\u2019t share your listening")).to_be_visible(timeout=LOADED)
    page.get_by_test_id("empty-state").get_by_role("link", name="Settings").click()

    toggle = page.get_by_test_id("sharing-toggle")
    expect(toggle).to_be_enabled(timeout=LOADED)
    expect(toggle).not_to_be_checked()
    toggle.click()  # checked once the API has recorded the choice
    expect(toggle).to_be_checked()
    expect(page.get_by_test_id("sharing-status")).to_contain_text("Nobody else shares yet")
    assert api_get(served_url, "sharing")["shared"] is True

    page.goto(f"{served_url}/compare/")
    expect(page.get_by_text("No friends share yet")).to_be_visible(timeout=LOADED)

    with closing(connect(friend_settings)) as conn:
        set_sharing(conn, FRIEND, True, system_clock(), time_zone=USER_ZONE)
    answer = api_get(served_url, f"compare/{FRIEND}")
    assert 0 < answer["score"] < 100
    page.goto(f"{served_url}/compare/")
    expect(page.get_by_test_id("score-value")).to_have_text(
        str(round(answer["score"])), timeout=LOADED
    )
    expect(page.get_by_test_id("affinity-score")).to_contain_text("the smaller of your two shares")
    artists = page.get_by_test_id("shared-artists").get_by_role("listitem")
    expect(artists).to_have_count(len(answer["artists"]))
    expect(artists.first).to_contain_text(answer["artists"][0]["name"])
    tracks = page.get_by_test_id("shared-tracks").get_by_role("listitem")
    expect(tracks).to_have_count(len(answer["tracks"]))
    expect(tracks.first).to_contain_text(answer["tracks"][0]["name"])
    valence = answer["mood"]["mine"]["valence"]
    expect(page.get_by_test_id("mood-comparison")).to_contain_text(f"{valence:.2f}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "affinity.png"), full_page=True)

    # A range narrows it, as on every ranged page.
    month = api_get(served_url, f"compare/{FRIEND}", **{"from": "2026-10-01", "to": "2026-10-31"})
    page.goto(f"{served_url}/compare/?from=2026-10-01&to=2026-10-31")
    expect(page.get_by_test_id("score-value")).to_have_text(
        str(round(month["score"])), timeout=LOADED
    )

    # At 360 px nothing runs off the side.
    narrow = browser.new_context(viewport={"width": 360, "height": 800}, locale="en-US")
    phone = narrow.new_page()
    phone.goto(f"{served_url}/compare/")
    expect(phone.get_by_test_id("score-value")).to_be_visible(timeout=LOADED)
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    phone.screenshot(path=str(SHOTS / "affinity-360.png"), full_page=True)
    narrow.close()
