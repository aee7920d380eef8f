"""Which source's plays count, shaped like real exports: a file's span covers only the
kind of plays it holds, and a play of a lesser source gives way only to a file of the right
kind over its span, or to the same play from a more trusted source."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from etl.core.keys import SAMPLE_CATALOG_KEY
from etl.core.settings import Settings
from etl.exports.records import RecordCounts, Superseded
from etl.imports.importer import ImportReport, import_export
from etl.pipeline.context import PipelineContext
from etl.warehouse.migrate import apply_migrations
from tests.conftest import fresh_database
from tests.integration.test_import_pipeline import record

AUDIO = "Streaming_History_Audio_2023_7.json"
VIDEO = "Streaming_History_Video_2018-2023.json"
ACCOUNT = "StreamingHistory_music_0.json"
SONGS = [  # (track URI, track, album artist)
    ("spotify:track:4uLU6hMCjMI75M1A2tKUQC", "Song A", "Artist A"),
    ("spotify:track:7GhIk7Il098yCjg4BQjzvb", "Song B", "Artist B"),
]
MUSIC_VIDEO = ("spotify:track:0VjIjW4GlUZAMYd2vXMi3b", "Clip", "Artist V")
VIDEO_PODCAST = "spotify:episode:512ojhOuo1ktJprKbVcKyQ"
THREE_MINUTES = 180_000

# The audio file: the last three months of an extended history, two plays a day.
AUDIO_DAYS = [datetime(2023, 9, 1, tzinfo=UTC) + timedelta(days=n) for n in range(91)]
AUDIO_START = datetime(2023, 9, 1, 7, 57, tzinfo=UTC)  # its first play's start
AUDIO_END = datetime(2023, 11, 30, 20, 0, tzinfo=UTC)  # its last play's end
# The account data: twelve months, one play a day, the last three within the audio file.
ACCOUNT_DAYS = [datetime(2022, 12, 1, tzinfo=UTC) + timedelta(days=n) for n in range(365)]
IN_AUDIO_SPAN = sum(day >= AUDIO_DAYS[0] for day in ACCOUNT_DAYS)


def song_play(end: datetime, song: tuple[str, str, str], ms: int = THREE_MINUTES) -> Any:
    uri, name, artist = song
    return record(
        end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        ms,
        uri,
        master_metadata_track_name=name,
        master_metadata_album_artist_name=artist,
        master_metadata_album_album_name=f"{artist} album",
    )


def audio_file() -> list[Any]:
    plays = []
    for day in AUDIO_DAYS:
        plays.append(song_play(day.replace(hour=8), SONGS[1]))
        plays.append(song_play(day.replace(hour=20), SONGS[0]))  # the account data's play
    return plays


def video_file() -> list[Any]:
    """Five years, a few hundred records: music videos, video podcasts and app loads."""
    records = []
    for n in range(300):
        end = datetime(2018, 6, 1, 13, 37, tzinfo=UTC) + timedelta(days=6 * n)
        if n % 15 == 0:  # an app load: no track, no episode
            records.append(record(end.strftime("%Y-%m-%dT%H:%M:%SZ"), 1_200, None))
        elif n % 2:
            records.append(song_play(end, MUSIC_VIDEO, ms=240_000))
        else:
            records.append(
                record(
                    end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    1_800_000,
                    None,
                    master_metadata_track_name=None,
                    spotify_episode_uri=VIDEO_PODCAST,
                    episode_name="A video episode",
                    episode_show_name="A video show",
                )
            )
    return records


def account_entry(end: datetime, song: tuple[str, str, str]) -> dict[str, Any]:
    _, name, artist = song
    return {
        "endTime": end.strftime("%Y-%m-%d %H:%M"),  # to the minute, as Spotify writes it
        "artistName": artist,
        "trackName": name,
        "msPlayed": THREE_MINUTES,
    }


def account_file() -> list[Any]:
    return [account_entry(day.replace(hour=20), SONGS[0]) for day in ACCOUNT_DAYS]


VIDEO_NOT_PLAYS = 20
VIDEO_PLAYS = 300 - VIDEO_NOT_PLAYS


def write(folder: Path, name: str, records: list[Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(records))
    return folder / name


@pytest.fixture
def ctx(settings: Settings) -> PipelineContext:
    context = PipelineContext.from_settings(settings)
    context.lake.put(SAMPLE_CATALOG_KEY, b"{}")
    return context


def rows(dsn: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def plays_by_source(dsn: str) -> dict[str, int]:
    return dict(rows(dsn, "SELECT source, count(*) FROM fact_plays GROUP BY source"))


PLAYS = """
SELECT f.source, f.started_at, f.ended_at, f.ms_played, f.track_id, f.episode_id
FROM fact_plays f
ORDER BY f.started_at, f.source
"""


def records_of(report: ImportReport, name: str) -> RecordCounts:
    (file,) = [f for f in report.files if f.name == name]
    assert file.status == "imported", file
    assert file.records is not None
    return file.records


def test_a_video_file_spanning_years_keeps_every_account_play_outside_the_audio_span(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    folder = tmp_path / "my_spotify_data"
    write(folder, AUDIO, audio_file())
    write(folder, VIDEO, video_file())
    write(folder, ACCOUNT, account_file())

    report = import_export(folder, ctx, "me")

    assert [(f.name, f.taken_as) for f in report.files] == [
        (ACCOUNT, "account_music"), (AUDIO, "extended_audio"), (VIDEO, "extended_video"),
    ]  # fmt: skip
    assert records_of(report, AUDIO) == RecordCounts(
        read=182, new=182, already_stored=0, superseded=0, not_plays=0, rejected=0
    )
    assert records_of(report, VIDEO) == RecordCounts(
        read=300, new=VIDEO_PLAYS, already_stored=0, superseded=0, not_plays=20, rejected=0
    )
    account = records_of(report, ACCOUNT)
    assert account == RecordCounts(
        read=365,
        new=365 - IN_AUDIO_SPAN,
        already_stored=0,
        superseded=IN_AUDIO_SPAN,
        not_plays=0,
        rejected=0,
        superseded_by=(
            Superseded("export", "span", AUDIO, "audio", AUDIO_START, AUDIO_END, IN_AUDIO_SPAN),
        ),
    )
    assert IN_AUDIO_SPAN == 91
    assert plays_by_source(database_dsn) == {"export": 182 + VIDEO_PLAYS, "account": 274}
    # Exactly the account plays outside the audio file's span, each one.
    kept = rows(database_dsn, "SELECT ended_at FROM fact_plays WHERE source = 'account'")
    outside = [day.replace(hour=20) for day in ACCOUNT_DAYS if day < AUDIO_DAYS[0]]
    assert sorted(end for (end,) in kept) == outside
    # The spans the files claim, by the kind of plays they hold.
    coverage = "SELECT kind, lower(covered), upper(covered) FROM export_coverage ORDER BY kind"
    assert [kind for kind, *_ in rows(database_dsn, coverage)] == ["audio", "music", "video"]


def test_account_data_before_or_after_the_extended_history_ends_with_the_same_plays(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    history = tmp_path / "history"
    write(history, AUDIO, audio_file())
    write(history, VIDEO, video_file())
    account = write(tmp_path / "account", ACCOUNT, account_file())

    import_export(history, ctx, "me")
    import_export(account, ctx, "me")
    extended_first = rows(database_dsn, PLAYS)

    with psycopg2.connect(database_dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "TRUNCATE fact_plays, export_coverage, loaded_objects, agg_daily_mood, "
            "dim_tracks, dim_albums, dim_artists, dim_episodes CASCADE"
        )
    first = import_export(account, ctx, "me")
    assert records_of(first, ACCOUNT).new == 365
    later = import_export(history, ctx, "me")
    assert rows(database_dsn, PLAYS) == extended_first
    assert len(extended_first) == 182 + VIDEO_PLAYS + 274
    # The audio file replaced the account plays within its span; the video file none.
    audio = records_of(later, AUDIO)
    assert [(r.source, r.by, r.plays) for r in audio.replaced] == [("account", "span", 91)]
    assert records_of(later, VIDEO).replaced == ()
    # The account plays kept were stored before their track was known; they are its plays
    # now, as when the account data comes last.
    track_a = SONGS[0][0].rsplit(":", 1)[1]
    assert rows(
        database_dsn, "SELECT DISTINCT track_id FROM fact_plays WHERE source = 'account'"
    ) == [(track_a,)]


def test_the_same_account_data_imported_again_is_already_stored(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    account = write(tmp_path / "account", ACCOUNT, account_file())
    import_export(account, ctx, "me")
    import_export(write(tmp_path / "history", AUDIO, audio_file()), ctx, "me")
    again = records_of(import_export(account, ctx, "me"), ACCOUNT)
    assert (again.new, again.already_stored, again.superseded) == (0, 274, 91)
    assert plays_by_source(database_dsn) == {"export": 182, "account": 274}


def test_a_renamed_file_claims_no_span_and_supersedes_only_the_plays_it_matches(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    """One real user's files: `streaming_2018-2020_0.json` may hold audio or video."""
    renamed = "streaming_2023_0.json"
    history = []  # September 2023: song B every morning, song A every other evening
    for day in AUDIO_DAYS[:30]:
        history.append(song_play(day.replace(hour=8), SONGS[1]))
        if day.day % 2 == 0:
            history.append(song_play(day.replace(hour=20, second=40), SONGS[0]))  # 40 s off
    folder = tmp_path / "renamed"
    write(folder, renamed, history)
    write(folder, "streaming_video_2018-2025.json", video_file())
    write(folder, "my_year.json", account_file())  # account data, renamed too

    report = import_export(folder, ctx, "me")

    assert {f.name: f.taken_as for f in report.files} == {
        renamed: "extended_unknown",
        "streaming_video_2018-2025.json": "extended_video",
        "my_year.json": "account_music",
    }
    account = records_of(report, "my_year.json")
    # Only the 15 account plays the renamed file also holds gave way; the other 15 within
    # what would have been its span, had it been an audio file, are kept.
    assert (account.new, account.superseded) == (350, 15)
    assert account.superseded_by == (Superseded("export", "match", renamed, None, None, None, 15),)
    september = (
        "SELECT count(*) FROM fact_plays WHERE source = 'account' "
        "AND started_at BETWEEN '2023-09-01' AND '2023-10-01'"
    )
    assert rows(database_dsn, september) == [(15,)]
    assert rows(database_dsn, "SELECT count(*) FROM export_coverage") == [(2,)]  # no span


def test_account_plays_matching_music_videos_give_way_to_them(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    videos = video_file()
    # Three of the account data's plays were music videos, which only the video file holds.
    ends = [datetime(2023, 1, 5, 20, 0, 30, tzinfo=UTC) + timedelta(days=7 * n) for n in range(3)]
    videos += [song_play(end, MUSIC_VIDEO, ms=THREE_MINUTES) for end in ends]
    entries = account_file() + [account_entry(end, MUSIC_VIDEO) for end in ends]
    folder = tmp_path / "export"
    write(folder, VIDEO, videos)
    write(folder, ACCOUNT, entries)

    report = import_export(folder, ctx, "me")

    account = records_of(report, ACCOUNT)
    assert (account.read, account.new, account.superseded) == (368, 365, 3)
    assert account.superseded_by == (Superseded("export", "match", VIDEO, None, None, None, 3),)


def test_api_plays_within_a_video_files_span_are_kept(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    from etl.core.keys import recently_played_key
    from etl.pipeline.steps import run_pipeline
    from tests.integration.test_import_pipeline import _api_page

    import_export(write(tmp_path / "export", VIDEO, video_file()), ctx, "me")
    page = recently_played_key("me", datetime(2021, 1, 1, tzinfo=UTC), None)
    uri = SONGS[0][0]
    ctx.lake.put_new(page, _api_page([(uri, "2020-06-01T10:00:00.000Z")]))
    state = run_pipeline(page, ctx)
    assert (state["inserted"], state["superseded"]) == (1, 0)
    report = json.loads(ctx.lake.get(state["records_key"]))
    assert (report["read"], report["new"]) == (1, 1)


def test_coverage_recorded_before_kinds_gets_the_kind_its_file_name_says(
    postgres_server: str,
) -> None:
    conn = psycopg2.connect(fresh_database(postgres_server, "migrate_kinds", migrated=False))
    try:
        apply_migrations(conn, until="0005")
        keys = {
            "raw/export/user=me/a/Streaming_History_Audio_2023_0.json": ("export", "audio"),
            "raw/export/user=me/b/Streaming_History_Video_2018-2023.json": ("export", "video"),
            "raw/export/user=me/c/endsong_3.json": ("export", "audio"),
            "raw/export/user=me/d/StreamingHistory_music_0.json": ("account", "music"),
            "raw/export/user=me/e/StreamingHistory0.json": ("account", "music"),
            "raw/export/user=me/f/StreamingHistory_podcast_1.json": ("account", "podcast"),
        }
        with conn, conn.cursor() as cur:
            cur.execute("INSERT INTO users (user_id) VALUES ('me')")
            for key, (source, _) in keys.items():
                cur.execute(
                    "INSERT INTO export_coverage (lake_key, user_id, source, covered) "
                    "VALUES (%s, 'me', %s, tstzrange('2023-01-01', '2023-02-01'))",
                    (key, source),
                )
        apply_migrations(conn)
        with conn.cursor() as cur:
            cur.execute("SELECT lake_key, source, kind FROM export_coverage")
            assert {key: (source, kind) for key, source, kind in cur.fetchall()} == keys
    finally:
        conn.close()
