"""An export through import -> lake -> transform -> load -> enrich -> apply, on real PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from etl.core.keys import SAMPLE_CATALOG_KEY, RawKey, raw_export_key
from etl.core.settings import Settings
from etl.imports.importer import ImportReport, import_export
from etl.pipeline.context import PipelineContext
from etl.pipeline.steps import run_pipeline
from etl.warehouse.load import load_curated_plays

TRACK_A = "spotify:track:4uLU6hMCjMI75M1A2tKUQC"
TRACK_B = "spotify:track:7GhIk7Il098yCjg4BQjzvb"
EPISODE = "spotify:episode:512ojhOuo1ktJprKbVcKyQ"


def record(ts: str, ms: int, uri: str | None = TRACK_A, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "ts": ts, "platform": "android", "ms_played": ms, "conn_country": "DE",
        "ip_addr": "192.0.2.7", "master_metadata_track_name": "Song A",
        "master_metadata_album_artist_name": "Artist A",
        "master_metadata_album_album_name": "Album A", "spotify_track_uri": uri,
        "episode_name": None, "episode_show_name": None, "spotify_episode_uri": None,
        "audiobook_title": None, "audiobook_uri": None, "audiobook_chapter_uri": None,
        "audiobook_chapter_title": None, "reason_start": "trackdone", "reason_end": "trackdone",
        "shuffle": False, "skipped": None, "offline": False, "offline_timestamp": None,
        "incognito_mode": False,
    }  # fmt: skip
    base.update(extra)
    return base


HISTORY = [
    record("2024-03-01T08:00:00Z", 200_000),
    record("2024-03-01T08:05:00Z", 10_000, TRACK_B, master_metadata_track_name="Song B"),
    record("2024-03-02T23:30:00Z", 180_000),
    record(
        "2024-03-03T07:00:00Z",
        1_500_000,
        None,
        master_metadata_track_name=None,
        spotify_episode_uri=EPISODE,
        episode_name="Ep 1",
        episode_show_name="Show",
    ),
    record("2024-03-03T09:00:00Z", 5_000, None),  # names nothing: not a play
]


@pytest.fixture
def ctx(settings: Settings) -> PipelineContext:
    context = PipelineContext.from_settings(settings)
    # Features for track A only, so coverage is partial.
    catalog = {"4uLU6hMCjMI75M1A2tKUQC": {"valence": 0.8, "energy": 0.6, "danceability": 0.5}}
    context.lake.put(SAMPLE_CATALOG_KEY, json.dumps(catalog).encode())
    return context


def write_history(folder: Path, name: str, records: list[Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(records, indent=4))
    return path


def counts(report: ImportReport) -> dict[str, int]:
    """The report's record counts over all its files, those not zero."""
    names = ("read", "new", "already_stored", "superseded", "not_plays", "rejected")
    return {name: report.total(name) for name in names if report.total(name)}


def scalar(dsn: str, query: str) -> Any:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(query)
        row = cur.fetchone()
        assert row is not None
        return row[0]


def test_import_loads_plays_features_and_aggregates(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    export = write_history(tmp_path / "export", "Streaming_History_Audio_2024_0.json", HISTORY)
    report = import_export(export, ctx, "me")

    (imported,) = report.files
    assert (imported.name, imported.status, imported.taken_as) == (
        "Streaming_History_Audio_2024_0.json", "imported", "extended_audio",
    )  # fmt: skip
    assert counts(report) == {"read": 5, "new": 4, "not_plays": 1}
    assert report.features_stored == 1
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays") == 4
    assert scalar(database_dsn, "SELECT sum(ms_played) FROM fact_plays") == 1_890_000
    # start = ts - ms_played; skipped derived from ms_played < 30 s where null
    assert scalar(
        database_dsn,
        "SELECT started_at = '2024-03-01T07:56:40Z' FROM fact_plays WHERE ms_played = 200000",
    )
    assert scalar(database_dsn, "SELECT skipped FROM fact_plays WHERE ms_played = 10000")
    assert scalar(database_dsn, "SELECT count(*) FROM dim_episodes") == 1
    assert scalar(database_dsn, "SELECT name FROM dim_artists") == "Artist A"
    # 2024-03-01: 200 s with valence 0.8 and 10 s without features
    assert scalar(
        database_dsn,
        "SELECT round(coverage::numeric, 3)::float FROM agg_daily_mood WHERE day = '2024-03-01'",
    ) == round(200 / 210, 3)
    assert scalar(database_dsn, "SELECT count(*) FROM agg_stale_days") == 0
    # The IP address never reaches the lake.
    raw_keys = list(ctx.lake.keys("raw/"))
    assert len(raw_keys) == 1
    assert b"ip_addr" not in ctx.lake.get(raw_keys[0])


def test_importing_twice_changes_nothing(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    export = write_history(tmp_path / "export", "Streaming_History_Audio_2024_0.json", HISTORY)
    import_export(export, ctx, "me")
    snapshot = scalar(database_dsn, "SELECT json_agg(a ORDER BY day) FROM agg_daily_mood a")
    again = import_export(export, ctx, "me")
    assert counts(again) == {"read": 5, "already_stored": 4, "not_plays": 1}
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays") == 4
    assert scalar(database_dsn, "SELECT json_agg(a ORDER BY day) FROM agg_daily_mood a") == snapshot


def test_a_play_listed_twice_in_a_file_counts_once(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    export = write_history(
        tmp_path / "export", "Streaming_History_Audio_2024_0.json", [*HISTORY, HISTORY[0]]
    )
    report = import_export(export, ctx, "me")
    assert counts(report) == {"read": 6, "new": 4, "already_stored": 1, "not_plays": 1}
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays") == 4


class _CommitWhenReleased(psycopg2.extensions.connection):
    """A connection whose transaction, once its work is done, waits to commit."""

    done = threading.Event()
    release = threading.Event()

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.release.wait(timeout=10)
        super().__exit__(*exc)


def test_two_exports_of_the_same_plays_loaded_at_once_count_them_once(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    export = write_history(tmp_path / "export", "Streaming_History_Audio_2024_0.json", HISTORY)
    import_export(export, ctx, "me")
    [curated_key] = ctx.lake.keys("curated/plays/")
    curated = ctx.lake.get(curated_key)
    with psycopg2.connect(database_dsn) as conn, conn.cursor() as cur:
        cur.execute("DELETE FROM fact_plays")

    def load(connection_factory: type[psycopg2.extensions.connection], lake_key: str) -> int:
        conn = psycopg2.connect(database_dsn, connection_factory=connection_factory)
        try:
            return load_curated_plays(
                conn, curated, user_id="me", time_zone="UTC", lake_key=lake_key
            ).inserted
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(load, _CommitWhenReleased, curated_key)
        assert _CommitWhenReleased.done.wait(timeout=10)
        # The same plays delivered again in another export, as a second request would.
        second = pool.submit(load, psycopg2.extensions.connection, curated_key + ".again")
        # The second load waits for the first to commit before it looks for existing plays.
        while not scalar(
            database_dsn, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        ):
            time.sleep(0.01)
        _CommitWhenReleased.release.set()
        assert (first.result(), second.result()) == (4, 0)
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays") == 4


def test_zip_with_bad_files_imports_the_good_ones(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    archive = tmp_path / "my_spotify_data.zip"
    folder = "Spotify Extended Streaming History/"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(folder + "Streaming_History_Audio_2024_0.json", json.dumps(HISTORY))
        zf.writestr(folder + "Streaming_History_Audio_2024_1.json", "{not json")
        zf.writestr(folder + "Streaming_History_Audio_2024_2.json", json.dumps({"a": 1}))
        zf.writestr(
            folder + "Streaming_History_Audio_2024_3.json",
            json.dumps([record("2024-04-01T10:00:00Z", "long")]),
        )
        zf.writestr(folder + "ReadMeFirst_ExtendedStreamingHistory.pdf", b"%PDF-1.4")
    report = import_export(archive, ctx, "me")

    assert report.plays_inserted == 4
    assert len(report.with_status("quarantined")) == 2
    assert report.total("rejected") == 1
    (ignored,) = report.with_status("ignored")
    assert ignored.name == "ReadMeFirst_ExtendedStreamingHistory.pdf"
    assert ignored.reason == "not listening history: not a JSON file"
    reports = [k for k in ctx.lake.keys("quarantine/") if k.endswith(".report.json")]
    assert len(reports) == 3  # two unreadable files, one file with a rejected record
    rejected = [json.loads(ctx.lake.get(k)) for k in reports if "2024_3" in k]
    assert "ms_played must be a non-negative integer" in rejected[0]["first_errors"][0]["error"]


def test_an_object_whose_content_is_not_what_its_key_names_is_set_aside(
    ctx: PipelineContext, database_dsn: str
) -> None:
    key = raw_export_key("me", "Streaming_History_Audio_2024_0.json", json.dumps(HISTORY).encode())
    ctx.lake.put_new(key, json.dumps(HISTORY[:1]).encode())  # not the content the key names
    state = run_pipeline(key, ctx)
    assert "its content does not match its key" in state["quarantined"]
    assert ctx.lake.exists(RawKey.parse(key).quarantine_report_key)
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays") == 0


def test_hostile_zips_are_refused_whole(ctx: PipelineContext, tmp_path: Path) -> None:
    climbing = tmp_path / "climb.zip"
    with zipfile.ZipFile(climbing, "w") as zf:
        zf.writestr("../../Streaming_History_Audio_2024_0.json", json.dumps(HISTORY))
    (refused,) = import_export(climbing, ctx, "me").files
    assert (refused.name, refused.status) == ("climb.zip", "quarantined")
    assert refused.reason is not None
    assert "climbs out" in refused.reason

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Streaming_History_Audio_2024_0.json", b"[" + b" " * 50_000_000 + b"]")
    (refused,) = import_export(bomb, ctx, "me").files
    assert refused.reason is not None
    assert "zip bomb" in refused.reason
    assert list(ctx.lake.keys("raw/")) == []


def _api_page(plays: list[tuple[str, str]]) -> bytes:
    """A recently-played page (newest first) for (track uri, played_at) pairs."""
    items = [
        {
            "played_at": played_at,
            "context": None,
            "track": {
                "id": uri.rsplit(":", 1)[1],
                "name": "Song",
                "duration_ms": 200_000,
                "explicit": False,
                "external_ids": {},
                "album": {"id": "album0000000000000001", "name": "Album", "images": []},
                "artists": [{"id": "artist000000000000001", "name": "Artist A"}],
            },
        }
        for uri, played_at in sorted(plays, key=lambda p: p[1], reverse=True)
    ]
    return json.dumps({"items": items, "cursors": None, "next": None}).encode()


def test_an_export_wins_over_api_plays_for_its_span(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from etl.core.keys import recently_played_key

    fetched = datetime(2024, 3, 1, 12, tzinfo=UTC)
    # The API saw the first two plays, its end times a few seconds off the export's.
    early = recently_played_key("me", fetched, None)
    ctx.lake.put_new(
        early,
        _api_page([(TRACK_A, "2024-03-01T08:00:03.000Z"), (TRACK_B, "2024-03-01T08:05:02.000Z")]),
    )
    run_pipeline(early, ctx)
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays WHERE source = 'api'") == 2

    export = write_history(tmp_path / "export", "Streaming_History_Audio_2024_0.json", HISTORY)
    import_export(export, ctx, "me")
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays WHERE source = 'api'") == 0
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays") == 4
    assert scalar(database_dsn, "SELECT sum(ms_played) FROM fact_plays") == 1_890_000
    daily = "SELECT plays FROM agg_daily_mood WHERE day = '2024-03-01'"
    assert scalar(database_dsn, daily) == 2  # the export's two plays, not four

    # A late API page: plays inside the export's span are left out, later ones kept.
    late = recently_played_key("me", datetime(2024, 3, 4, tzinfo=UTC), 1)
    ctx.lake.put_new(
        late,
        _api_page([(TRACK_A, "2024-03-02T23:30:04.000Z"), (TRACK_B, "2024-03-03T20:00:00.000Z")]),
    )
    state = run_pipeline(late, ctx)
    # Superseded, not a duplicate: the export holds that play, a few seconds apart.
    assert (state["inserted"], state["already_stored"], state["superseded"]) == (1, 0, 1)
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays WHERE source = 'api'") == 1


WAREHOUSE_SNAPSHOT = """
SELECT json_build_object(
    'plays', (SELECT json_agg(p ORDER BY started_at, source) FROM (
        SELECT user_id, source, started_at, track_id, episode_id, ms_played FROM fact_plays) p),
    'days', (SELECT json_agg(a ORDER BY user_id, day) FROM agg_daily_mood a),
    'features', (SELECT json_agg(f ORDER BY track_id) FROM (
        SELECT track_id, provider, valence FROM track_audio_features) f))::text
"""


def _three_files(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    for n in range(3):
        shifted = [{**r, "ts": r["ts"].replace("2024-03", f"2024-0{n + 4}")} for r in HISTORY]
        write_history(folder, f"Streaming_History_Audio_2024_{n}.json", shifted)
    return folder


def test_an_import_killed_midway_and_run_again_equals_one_clean_run(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.pipeline import steps

    export = _three_files(tmp_path)
    real_load = steps.STEP_FUNCTIONS["load"]
    loads = 0

    def dies_on_the_second_file(state: dict[str, Any], context: PipelineContext) -> Any:
        nonlocal loads
        loads += 1
        if loads == 2:
            raise KeyboardInterrupt("killed")
        return real_load(state, context)

    monkeypatch.setitem(steps.STEP_FUNCTIONS, "load", dies_on_the_second_file)
    with pytest.raises(KeyboardInterrupt):
        import_export(export, ctx, "me")
    monkeypatch.setitem(steps.STEP_FUNCTIONS, "load", real_load)
    import_export(export, ctx, "me")
    interrupted = scalar(database_dsn, WAREHOUSE_SNAPSHOT)

    ctx_clean = PipelineContext.from_settings(
        ctx.settings.model_copy(update={"home": tmp_path / "clean"})
    )
    ctx_clean.lake.put(SAMPLE_CATALOG_KEY, ctx.lake.get(SAMPLE_CATALOG_KEY))
    with psycopg2.connect(database_dsn) as conn, conn.cursor() as cur:
        cur.execute("TRUNCATE fact_plays, agg_daily_mood, track_audio_features, users CASCADE")
    import_export(export, ctx_clean, "me")
    assert scalar(database_dsn, WAREHOUSE_SNAPSHOT) == interrupted
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays") == 12


def test_rebuilding_from_the_lake_gives_the_same_warehouse(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    from etl.pipeline.rebuild import rebuild_warehouse

    import_export(_three_files(tmp_path), ctx, "me")
    before = scalar(database_dsn, WAREHOUSE_SNAPSHOT)
    rebuilt = rebuild_warehouse(ctx)
    # Only the first file brought tracks without features: one enrichment answer.
    assert (rebuilt.raw_objects, rebuilt.plays, rebuilt.enrichment_objects) == (3, 12, 1)
    assert scalar(database_dsn, WAREHOUSE_SNAPSHOT) == before


def test_account_data_plays_are_kept_by_name_and_resolved_where_unambiguous(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    folder = tmp_path / "MyData"
    write_history(folder, "Streaming_History_Audio_2024_0.json", HISTORY)
    music = [
        # within the extended history's span: the same play, to the minute; not counted again
        {"endTime": "2024-03-01 08:00", "artistName": "Artist A", "trackName": "Song A",
         "msPlayed": 200_000},
        # later: resolved to the track the extended history named
        {"endTime": "2024-04-01 10:00", "artistName": "artist a", "trackName": "Song A",
         "msPlayed": 180_000},
        # nobody knows this one: kept with its names
        {"endTime": "2024-04-01 10:05", "artistName": "Other", "trackName": "Unknown Song",
         "msPlayed": 120_000},
        {"endTime": "yesterday", "artistName": "X", "trackName": "Y", "msPlayed": 1},
    ]  # fmt: skip
    write_history(folder, "StreamingHistory_music_0.json", music)
    podcast = [{"endTime": "2024-04-02 07:30", "podcastName": "Show", "episodeName": "Ep 9",
                "msPlayed": 600_000}]  # fmt: skip
    write_history(folder, "StreamingHistory_podcast_0.json", podcast)

    report = import_export(folder, ctx, "me")
    assert report.total("rejected") == 1
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays WHERE source = 'account'") == 3
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays") == 7
    resolved = "SELECT track_id FROM fact_plays WHERE ended_at = '2024-04-01T10:00:00Z'"
    assert scalar(database_dsn, resolved) == "4uLU6hMCjMI75M1A2tKUQC"
    unknown = "SELECT track_id FROM fact_plays WHERE ended_at = '2024-04-01T10:05:00Z'"
    assert scalar(database_dsn, unknown) == "name:other/unknown song"
    episode = "SELECT name FROM dim_episodes WHERE episode_id = 'name:show/ep 9'"
    assert scalar(database_dsn, episode) == "Ep 9"


def test_changing_the_time_zone_recuts_every_day(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    from etl.warehouse.load import set_time_zone

    export = write_history(tmp_path / "export", "Streaming_History_Audio_2024_0.json", HISTORY)
    import_export(export, ctx, "me")
    days = "SELECT json_agg(day ORDER BY day)::text FROM agg_daily_mood"
    assert scalar(database_dsn, days) == '["2024-03-01", "2024-03-02"]'
    conn = psycopg2.connect(database_dsn)
    try:
        set_time_zone(conn, "me", "Asia/Tokyo")  # 23:27 UTC on the 2nd is the 3rd there
        with pytest.raises(ValueError, match="Unknown time zone"):
            set_time_zone(conn, "me", "Mars/Olympus")
    finally:
        conn.close()
    assert scalar(database_dsn, days) == '["2024-03-01", "2024-03-03"]'
    assert scalar(database_dsn, "SELECT count(*) FROM agg_stale_days") == 0


def test_a_second_export_overlapping_the_first_adds_only_new_plays(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    first = write_history(tmp_path / "first", "Streaming_History_Audio_2024_0.json", HISTORY)
    import_export(first, ctx, "me")
    later = [*HISTORY[2:], record("2024-03-05T10:00:00Z", 150_000, TRACK_B)]
    second = write_history(tmp_path / "second", "Streaming_History_Audio_2024_1.json", later)
    report = import_export(second, ctx, "me")
    assert counts(report) == {"read": 4, "new": 1, "already_stored": 2, "not_plays": 1}
    assert scalar(database_dsn, "SELECT count(*) FROM fact_plays") == 5
