from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from etl.core.curated import CURATED_COLUMNS, curated_csv
from etl.exports.extended import RecordError, parse_record, parse_records, sanitize


def stream(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "ts": "2023-07-14T21:03:10Z",
        "ms_played": 61_000,
        "spotify_track_uri": "spotify:track:0VjIjW4GlUZAMYd2vXMi3b",
        "master_metadata_track_name": "Blinding",
        "master_metadata_album_artist_name": "The  Weekend Band",
        "master_metadata_album_album_name": "After",
        "ip_addr": "203.0.113.9",
        "skipped": None,
        "shuffle": True,
        "platform": "ios",
    }
    record.update(fields)
    return record


def test_a_track_play_starts_ms_played_before_ts() -> None:
    play = parse_record(stream())
    assert play is not None
    assert play.ended_at == datetime(2023, 7, 14, 21, 3, 10, tzinfo=UTC)
    assert play.started_at == datetime(2023, 7, 14, 21, 2, 9, tzinfo=UTC)
    assert play.track_id == "0VjIjW4GlUZAMYd2vXMi3b"
    assert play.artists[0].id == "name:the weekend band"
    assert play.album_id == "name:the weekend band/after"
    assert (play.skipped, play.shuffle, play.platform) == (False, True, "ios")


def test_skipped_comes_from_the_field_or_the_30_second_rule() -> None:
    assert parse_record(stream(ms_played=29_999, skipped=None)).skipped is True  # type: ignore[union-attr]
    assert parse_record(stream(ms_played=29_999, skipped=False)).skipped is False  # type: ignore[union-attr]
    assert parse_record(stream(ms_played=200_000, skipped=True)).skipped is True  # type: ignore[union-attr]


def test_episodes_and_audiobook_chapters_are_episode_plays() -> None:
    episode = parse_record(
        stream(
            spotify_track_uri=None,
            spotify_episode_uri="spotify:episode:512ojhOuo1ktJprKbVcKyQ",
            episode_name="Ep",
            episode_show_name="Show",
        )
    )
    assert episode is not None
    assert (episode.track_id, episode.episode_id, episode.show_name) == (
        None, "512ojhOuo1ktJprKbVcKyQ", "Show",
    )  # fmt: skip
    assert episode.artists == ()
    chapter = parse_record(
        stream(
            spotify_track_uri=None,
            audiobook_chapter_uri="spotify:chapter:6QYoIzVHYEkbEXzs7k6UGW",
            audiobook_chapter_title="Chapter 1",
            audiobook_title="A Book",
        )
    )
    assert chapter is not None
    assert (chapter.episode_name, chapter.show_name) == ("Chapter 1", "A Book")
    assert (episode.episode_kind, chapter.episode_kind) == ("episode", "chapter")


def test_a_record_naming_nothing_is_not_a_play() -> None:
    assert parse_record(stream(spotify_track_uri=None)) is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ts": None}, "ts is missing"),
        ({"ts": "yesterday"}, "ts is not an ISO 8601 time"),
        ({"ms_played": -1}, "ms_played must be a non-negative integer"),
        ({"ms_played": "100"}, "ms_played must be a non-negative integer"),
        ({"ms_played": True}, "ms_played must be a non-negative integer"),
        ({"shuffle": "yes"}, "shuffle must be true, false or null"),
        ({"spotify_track_uri": "https://open.spotify.com/x"}, "not a Spotify URI"),
        ({"master_metadata_track_name": 7}, "must be a string"),
    ],
)
def test_bad_fields_are_named(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(RecordError, match=message):
        parse_record(stream(**fields))


def test_parse_records_keeps_good_records_and_lists_bad_ones() -> None:
    parsed = parse_records(
        [stream(), "nonsense", stream(ms_played=None), stream(spotify_track_uri=None)]
    )
    assert len(parsed.plays) == 1
    assert [index for index, _ in parsed.rejected] == [1, 2]
    assert parsed.not_plays == 1
    # Reasons are counted by the rule broken; the messages say what was found.
    assert parsed.rejected_reasons == {
        "record must be an object": 1,
        "ms_played must be a non-negative integer": 1,
    }
    assert [message for _, message in parsed.rejected] == [
        "record must be an object, found str",
        "ms_played must be a non-negative integer, found None",
    ]


def test_sanitize_drops_ip_addresses_only() -> None:
    record = stream(ip_addr_decrypted="198.51.100.1", user_agent_decrypted="x")
    (clean,) = sanitize([dict(record)])
    assert set(record) - set(clean) == {"ip_addr", "ip_addr_decrypted"}
    assert clean["user_agent_decrypted"] == "x"


def test_curated_csv_has_the_staging_columns_and_null_markers() -> None:
    play = parse_record(stream(platform=""))
    assert play is not None
    header, row = curated_csv([play]).decode().splitlines()
    assert header.split(",") == list(CURATED_COLUMNS)
    assert "\\N" in row  # nulls
    assert '[{""id"": ""name:the weekend band""' in row  # artists as JSON
