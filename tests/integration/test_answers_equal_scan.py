"""Every endpoint's answer from the rollups equals the same request answered straight from
`fact_plays` (the `scan` schema's views in place of the rollups): after plays from the Web
API, after an export that supersedes them, after new plays, and after a new time zone.

The requests are every GET of the history the API documents (every path that takes
`from`), over all time and over one month, with each choice of each enumerated parameter,
the longest page, and the entity pages of the items the answers name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from etl.core.keys import recently_played_key
from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.pipeline.steps import run_pipeline
from etl.warehouse.connection import connect
from etl.warehouse.load import set_time_zone
from etl.warehouse.scan import create_scan_schema, scan_database_url
from etl.warehouse.sharing import set_sharing
from moodify.demo.sample import generate_sample_export
from tests.integration.test_import_pipeline import _api_page

USER = "me"
FRIEND = "friend"
HISTORY_END = datetime(2026, 5, 1, tzinfo=UTC)
NOW = HISTORY_END + timedelta(days=20)  # the apps' clock: "today" lies after the history
MONTH = {"from": "2026-02-01", "to": "2026-02-28"}
# An entity page's parameter, from the list that names such items: (list path, id field).
ITEMS_NAMED = {
    "name": ("/api/v1/top_shows", "name"),
    "album_id": ("/api/v1/top_albums", "album_id"),
    "artist_id": ("/api/v1/top_artists", "artist_id"),
    "track_id": ("/api/v1/top_tracks", "track_id"),
    "friend_user_id": ("/api/v1/compare", "user_id"),
}

# Exports are files, not answers: test_exports.py compares them with the plays.
EXPORTS = "/api/v1/exports/"

Request = tuple[str, tuple[tuple[str, str], ...]]
GIVE_GENRES = """
INSERT INTO artist_genres (artist_id, genre, parent_genre, provider, fetched_at)
SELECT a.artist_id, v.genre, v.parent_genre, 'musicbrainz', now()
FROM (SELECT artist_id, row_number() OVER (ORDER BY artist_id) AS n FROM dim_artists) AS a
CROSS JOIN LATERAL (
    VALUES ('g' || n % 7, (ARRAY['Rock', 'Pop', 'Jazz', 'Folk', 'Other'])[1 + n % 5]),
           ('h' || n % 3, (ARRAY['Rock', 'Blues', 'Folk'])[1 + n % 3])
) AS v(genre, parent_genre)
WHERE n % 4 <> 0
ON CONFLICT DO NOTHING
"""


class Apps:
    """The API over the rollups, and the same API over the `scan` views, on one clock."""

    def __init__(self, settings: Settings, stack: ExitStack) -> None:
        clock = lambda: NOW  # noqa: E731 -- a fixed instant
        assert settings.database_url is not None
        scan = settings.model_copy(
            update={"database_url": scan_database_url(settings.database_url), "api_cache_mb": 0}
        )
        self.rollups = stack.enter_context(TestClient(create_app(settings, clock=clock)))
        self.scan = stack.enter_context(TestClient(create_app(scan, clock=clock)))

    def differing(self, only: str | None = None) -> list[str]:
        """The requests (of path `only`, or all) whose answers differ, each with both."""
        found = []
        for path, params in history_requests(self.rollups):
            if only not in {None, path}:
                continue
            expected = self.scan.get(path_with(path, params), params=dict(params))
            got = self.rollups.get(path_with(path, params), params=dict(params))
            assert expected.status_code == 200, (path, params, expected.text)
            if got.json() != expected.json():
                found.append(f"{path} {dict(params)}:\n  {got.text}\n  {expected.text}")
        return found


def path_with(path: str, params: tuple[tuple[str, str], ...]) -> str:
    for name, value in params:
        path = path.replace("{" + name + "}", value)
    return path


def history_reads(client: TestClient) -> list[str]:
    """The paths of every documented GET of the history."""
    paths = client.get("/openapi.json").json()["paths"]
    return [
        path
        for path, operations in paths.items()
        if "from"
        in {parameter["name"] for parameter in operations.get("get", {}).get("parameters", [])}
        and not path.startswith(EXPORTS)
    ]


def history_requests(client: TestClient) -> Iterator[Request]:
    """Every documented GET of the history, with its parameters' choices (see the module);
    an entity page only once the history names such an entity."""
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        parameters = operations.get("get", {}).get("parameters", [])
        names = {parameter["name"] for parameter in parameters}
        if "from" not in names or path.startswith(EXPORTS):
            continue
        base: dict[str, str] = {}
        choices: list[tuple[str, str]] = []
        for parameter in parameters:
            name, schema = parameter["name"], parameter["schema"]
            if parameter["in"] == "path" or name == "name":
                base[name] = first_item(client, name)
            elif name == "q":
                base[name] = client.get("/api/v1/top_tracks").json()["items"][0]["name"][:3]
            elif name == "limit":
                base[name] = str(schema["maximum"])
            elif name == "year":
                choices.append((name, MONTH["from"][:4]))
            elif "$ref" in schema:
                enum = schemas[schema["$ref"].rsplit("/", 1)[1]].get("enum", [])
                choices.extend((name, value) for value in enum)
        if "" in base.values():
            continue
        ranges: list[dict[str, str]] = [{}, MONTH]
        for period in ranges:
            yield path, tuple({**base, **period}.items())
            for name, value in choices:
                if name == "year" and period:
                    continue
                yield path, tuple({**base, **period, name: value}.items())


def first_item(client: TestClient, name: str) -> str:
    """The id of the first item the answer of `name`'s list names ("" if none)."""
    path, field = ITEMS_NAMED[name]
    answer = client.get(path).json()
    items = answer["friends"] if name == "friend_user_id" else answer["items"]
    return str(items[0][field]) if items else ""


def api_page(tracks: list[tuple[str, datetime]]) -> bytes:
    return _api_page(
        [
            (uri, played_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"))
            for uri, played_at in tracks
        ]
    )


@pytest.fixture
def apps(settings: Settings) -> Iterator[Apps]:
    with closing(connect(settings)) as conn:
        create_scan_schema(conn)
    with ExitStack() as stack:
        yield Apps(settings, stack)


def test_every_answer_equals_the_plays_themselves(
    settings: Settings, apps: Apps, tmp_path: Path
) -> None:
    ctx = PipelineContext.from_settings(settings.model_copy(update={"feature_providers": ()}))
    sample = generate_sample_export(tmp_path / "export", years=0.3, end=HISTORY_END)
    records = json.loads(sample.files[-1].read_text(encoding="utf-8"))
    songs = [record for record in records if record.get("spotify_track_uri")]

    # The Web API's plays first: two days of the span the export will cover.
    api_plays = [
        (song["spotify_track_uri"], datetime.fromisoformat(song["ts"])) for song in songs[-60:-20]
    ]
    page = recently_played_key(USER, api_plays[-1][1], None)
    ctx.lake.put_new(page, api_page(api_plays))
    assert run_pipeline(page, ctx)["inserted"] == len(api_plays)
    # A friend who heard some of them too, both sharing: the comparison is a history read.
    friend_page = recently_played_key(FRIEND, api_plays[-1][1], None)
    ctx.lake.put_new(friend_page, api_page(api_plays[::3]))
    assert run_pipeline(friend_page, ctx)["inserted"] == len(api_plays[::3])
    with closing(connect(settings)) as conn:
        for user_id in (USER, FRIEND):
            set_sharing(conn, user_id, True, NOW, time_zone="UTC")
    assert apps.differing() == []

    # The export supersedes them. Three artists in four get genres, some two parents, so
    # that the genres' answers have something to compare.
    report = import_export(sample.files[0].parent, ctx, USER)
    assert report.plays_inserted > 3000
    with closing(connect(settings)) as conn, conn, conn.cursor() as cur:
        cur.execute(GIVE_GENRES)
    assert apps.differing() == []
    requested = {path for path, _ in history_requests(apps.rollups)}
    assert requested == set(history_reads(apps.rollups))

    # New plays after the export, one of them past a local midnight.
    late = HISTORY_END + timedelta(hours=21, minutes=50)
    new_plays = [(songs[n]["spotify_track_uri"], late + timedelta(minutes=4 * n)) for n in range(6)]
    page = recently_played_key(USER, new_plays[-1][1], None)
    ctx.lake.put_new(page, api_page(new_plays))
    assert run_pipeline(page, ctx)["inserted"] == len(new_plays)
    assert apps.differing() == []

    with closing(connect(settings)) as conn:
        set_time_zone(conn, USER, "Asia/Kolkata")
    assert apps.differing() == []

    # The comparison sees a rollup that drifted from the plays (its data version told).
    with closing(connect(settings)) as conn, conn, conn.cursor() as cur:
        cur.execute(
            "UPDATE agg_hourly SET plays = plays + 1 "
            "WHERE (user_id, day, hour, kind) IN "
            "(SELECT user_id, day, hour, kind FROM agg_hourly WHERE user_id = %s LIMIT 1);"
            "INSERT INTO data_changes (user_id) VALUES (%s)",
            (USER, USER),
        )
    assert apps.differing(only="/api/v1/clock") != []
