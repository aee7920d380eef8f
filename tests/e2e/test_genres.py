"""The genres page, an artist's genre chips and the settings' provider coverage, over the
served sample history with genres given to most of its artists (as the enrich step would
leave them: Spotify's or MusicBrainz's, mapped to a parent genre) and the rest unknown.

With MOODIFY_SHOTS set to a folder, the genres page is saved there as it looks on a
desktop and at 360 px (genres-desktop.png, genres-360.png), and the providers' coverage
(providers.png).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from psycopg2.extensions import make_dsn

from tests.e2e.served import api_get

pytestmark = pytest.mark.e2e

LOADED = 15_000  # ms to wait for a page's first answer
NARROW: ViewportSize = {"width": 360, "height": 780}
# Raw genres and their parents, handed round the sample's artists; every fifth artist has
# two parents, every fourth none (asked, and nobody knew).
GENRES = [
    ("indie folk", "Folk"),
    ("synthpop", "Pop"),
    ("deep house", "Electronic"),
    ("alternative rock", "Rock"),
    ("neo soul", "R&B"),
    ("bebop", "Jazz"),
    ("trap", "Hip hop"),
    ("bossa nova", "Latin"),
    ("ambient", "Electronic"),
]
SEED_GENRES = """
WITH played AS (
    SELECT ta.artist_id, row_number() OVER (ORDER BY ta.artist_id) AS n
    FROM (SELECT DISTINCT artist_id FROM track_artists) AS ta
    WHERE NOT EXISTS (SELECT 1 FROM artist_genres AS g WHERE g.artist_id = ta.artist_id)
), given AS (
    SELECT p.artist_id, p.n, g.genre, g.parent_genre, g.place
    FROM played AS p
    JOIN unnest(%(genres)s::text[], %(parents)s::text[]) WITH ORDINALITY
         AS g(genre, parent_genre, place)
      ON g.place = 1 + p.n %% %(count)s OR (p.n %% 5 = 0 AND g.place = 1 + (p.n + 3) %% %(count)s)
    WHERE p.n %% 4 <> 0
), genres AS (
    INSERT INTO artist_genres (artist_id, genre, parent_genre, provider, fetched_at)
    SELECT artist_id, genre, parent_genre,
           CASE WHEN n %% 3 = 0 THEN 'musicbrainz' ELSE 'spotify' END, now()
    FROM given
    ON CONFLICT DO NOTHING
)
INSERT INTO artist_genre_lookups (artist_id, provider, looked_up_at, retry_after)
SELECT artist_id, NULL, now(), now() + interval '30 days'
FROM played
WHERE n %% 4 = 0
ON CONFLICT DO NOTHING
"""


@pytest.fixture(scope="module")
def warehouse_dsn(served_url: str, postgres_server: str) -> str:
    """The served warehouse, its artists given genres (answers change with the catalog)."""
    dsn = str(make_dsn(postgres_server, dbname="moodify_e2e"))
    with closing(psycopg2.connect(dsn)) as conn, conn, conn.cursor() as cur:
        cur.execute(
            SEED_GENRES,
            {
                "genres": [genre for genre, _ in GENRES],
                "parents": [parent for _, parent in GENRES],
                "count": len(GENRES),
            },
        )
    return dsn


@pytest.fixture
def narrow_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=NARROW, locale="en-US")
    yield context.new_page()
    context.close()


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def shots() -> Path | None:
    folder = os.environ.get("MOODIFY_SHOTS")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


def _expect_genres_page(page: Page, top: Any, trend: Any) -> None:
    rows = page.get_by_test_id("top-genres-row")
    expect(rows.first).to_be_visible(timeout=LOADED)
    assert rows.get_by_test_id("bar-label").all_inner_texts() == [
        item["parent_genre"] for item in top["items"]
    ]
    assert rows.get_by_test_id("bar-value").all_inner_texts() == [
        percent(item["share"]) for item in top["items"]
    ]
    expect(page.get_by_test_id("genre-coverage")).to_contain_text(percent(top["coverage"]))
    chart = page.get_by_test_id("chart-genre-share")
    expect(chart).to_have_attribute("data-granularity", trend["granularity"])
    expect(chart.locator("svg path")).to_have_count(len(trend["genres"]))
    legend = page.get_by_test_id("genre-legend").locator("li").all_inner_texts()
    assert [name.strip() for name in legend] == trend["genres"]


def test_the_genres_page_over_all_time(
    browser_page: Page, served_url: str, warehouse_dsn: str
) -> None:
    top = api_get(served_url, "genres/top")
    trend = api_get(served_url, "genres/trend", limit="7")
    assert 0 < top["coverage"] < 1
    assert len(trend["genres"]) == 8  # seven and Other
    browser_page.goto(f"{served_url}/")
    browser_page.get_by_role("navigation").get_by_role("link", name="Genres").click()
    expect(browser_page).to_have_url(f"{served_url}/genres/")
    _expect_genres_page(browser_page, top, trend)

    # The figures as a table: a row per period, a column per genre.
    browser_page.get_by_text("The figures as a table").click()
    table = browser_page.get_by_test_id("genre-trend-table")
    expect(table.locator("tbody tr")).to_have_count(len(trend["points"]))
    headers = table.locator("thead th").all_inner_texts()
    assert headers == ["Period", *trend["genres"], "Genre coverage", "Music"]

    # A tooltip names the shares of the period under the pointer.
    box = browser_page.get_by_test_id("chart-genre-share").bounding_box()
    assert box is not None
    browser_page.mouse.move(box["x"] + box["width"] - 20, box["y"] + box["height"] / 2)
    expect(browser_page.get_by_test_id("genre-share-tooltip")).to_contain_text("Genre coverage")

    # Ranked by plays instead.
    browser_page.get_by_test_id("genres-measure").get_by_text("Plays").click()
    by_plays = api_get(served_url, "genres/top", by="plays")
    expect(browser_page.get_by_test_id("top-genres-row").first).to_contain_text(
        by_plays["items"][0]["parent_genre"]
    )
    folder = shots()
    if folder:
        browser_page.goto(f"{served_url}/genres/")
        expect(browser_page.get_by_test_id("top-genres-row").first).to_be_visible(timeout=LOADED)
        browser_page.screenshot(path=folder / "genres-desktop.png", full_page=True)


def test_the_genres_page_for_a_month_at_360_px(
    narrow_page: Page, served_url: str, warehouse_dsn: str
) -> None:
    month = {"from": "2026-06-01", "to": "2026-06-30"}
    top = api_get(served_url, "genres/top", **month)
    trend = api_get(served_url, "genres/trend", limit="7", **month)
    assert trend["granularity"] == "day"
    narrow_page.goto(f"{served_url}/genres/?from={month['from']}&to={month['to']}")
    _expect_genres_page(narrow_page, top, trend)
    width = narrow_page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= NARROW["width"]
    folder = shots()
    if folder:
        narrow_page.screenshot(path=folder / "genres-360.png", full_page=True)


def test_a_range_without_music(browser_page: Page, served_url: str, warehouse_dsn: str) -> None:
    browser_page.goto(f"{served_url}/genres/?from=2001-01-01&to=2001-01-31")
    expect(browser_page.get_by_test_id("empty-state")).to_contain_text(
        "No music in this range", timeout=LOADED
    )


def test_an_artist_page_shows_its_genres(
    browser_page: Page, served_url: str, warehouse_dsn: str
) -> None:
    artists = api_get(served_url, "top_artists", limit="20")["items"]
    pages = [api_get(served_url, f"artists/{artist['artist_id']}") for artist in artists]
    artist = next(page for page in pages if page["genres"])
    parents = list(dict.fromkeys(genre["parent_genre"] for genre in artist["genres"]))
    browser_page.goto(f"{served_url}/artist/?id={artist['artist_id']}")
    chips = browser_page.get_by_test_id("genre-chip")
    expect(chips.first).to_be_visible(timeout=LOADED)
    assert [chip.split(" · ")[0] for chip in chips.all_inner_texts()] == parents


def _unknown_artists(dsn: str, *, due: bool) -> int:
    """Artists no genre provider knew (of every user: genres are catalog data), due now or
    still waiting."""
    with closing(psycopg2.connect(dsn)) as conn, conn, conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM artist_genre_lookups "
            "WHERE provider IS NULL AND (retry_after <= now()) = %s",
            (due,),
        )
        (count,) = cur.fetchone() or (0,)
        return int(count)


def test_the_providers_coverage_and_fetch_again(
    browser_page: Page, served_url: str, warehouse_dsn: str
) -> None:
    kinds = {kind["kind"]: kind for kind in api_get(served_url, "providers")["kinds"]}
    browser_page.goto(f"{served_url}/settings/#providers")
    for kind, coverage in kinds.items():
        row = browser_page.get_by_test_id(f"coverage-{kind}")
        expect(row.get_by_test_id("coverage-share")).to_contain_text(
            percent(coverage["share_of_time"]), timeout=LOADED
        )
        expect(row.get_by_test_id("coverage-counts")).to_contain_text(
            f"{coverage['known']:,} of {coverage['items']:,}"
        )
    folder = shots()
    if folder:
        browser_page.get_by_test_id("provider-coverage").screenshot(path=folder / "providers.png")
    assert kinds["genres"]["unknown"] > 0
    # Another test's user (a friend to compare with) may share the catalog: a refetch
    # queues every artist nobody knew, whoever played it.
    waiting = _unknown_artists(warehouse_dsn, due=False)
    assert waiting >= kinds["genres"]["unknown"]
    assert _unknown_artists(warehouse_dsn, due=True) == 0
    browser_page.get_by_test_id("refetch-genres").click()
    expect(browser_page.get_by_test_id("refetch-genres-outcome")).to_have_text(
        f"{waiting:,} artists will be asked about again on the next run."
    )
    assert _unknown_artists(warehouse_dsn, due=True) == waiting
    browser_page.get_by_test_id("refetch-genres").click()
    expect(browser_page.get_by_test_id("refetch-genres-outcome")).to_contain_text(
        "Nothing new to queue"
    )
