"""Export files known by what they hold: their records, and their name for audio or video."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from etl.core.keys import RawKey
from etl.exports.kinds import recognise, span_kind, taken_as_by_name
from etl.pipeline.transform import UnreadableObject, transform_raw

EXTENDED = {
    "ts": "2023-07-14T21:03:10Z",
    "ms_played": 61_000,
    "spotify_track_uri": "spotify:track:0VjIjW4GlUZAMYd2vXMi3b",
    "master_metadata_track_name": "Blinding",
    "master_metadata_album_artist_name": "Band",
    "spotify_episode_uri": None,
}
MUSIC = {"endTime": "2023-07-14 21:03", "artistName": "Band", "trackName": "Song", "msPlayed": 1}
PODCAST = {"endTime": "2023-07-14 21:03", "podcastName": "Show", "episodeName": "Ep", "msPlayed": 1}
SEARCHES = {"platform": "IPHONE", "searchTime": "2023-07-14T21:03:10Z", "searchQuery": "x"}


@pytest.mark.parametrize(
    ("name", "records", "taken_as"),
    [
        # Spotify's own names
        ("Streaming_History_Audio_2023-2024_7.json", [EXTENDED], "extended_audio"),
        ("Streaming_History_Video_2018-2024.json", [EXTENDED], "extended_video"),
        ("endsong_3.json", [EXTENDED], "extended_audio"),
        ("StreamingHistory_music_0.json", [MUSIC], "account_music"),
        ("StreamingHistory0.json", [MUSIC], "account_music"),
        ("StreamingHistory_podcast_1.json", [PODCAST], "account_podcast"),
        # renamed, as one real user's files were: the records say what they are
        ("streaming_2018-2020_0.json", [EXTENDED], "extended_unknown"),
        ("streaming_video_2018-2025.json", [EXTENDED], "extended_video"),
        ("my audio history.json", [EXTENDED], "extended_audio"),
        ("audio_and_video.json", [EXTENDED], "extended_unknown"),  # says both: cannot tell
        ("year.json", [MUSIC, MUSIC], "account_music"),
        ("podcasts.json", [PODCAST], "account_podcast"),
        # most records decide; the others are the parser's to reject
        ("mixed.json", [EXTENDED, EXTENDED, MUSIC, "junk"], "extended_unknown"),
        # records that say nothing: the name, where it says anything
        ("Streaming_History_Audio_2024_0.json", [], "extended_audio"),
        ("StreamingHistory_music_0.json", [{"a": 1}], "account_music"),
        # the records win over a name that says otherwise
        ("Streaming_History_Audio_2024_0.json", [MUSIC], "account_music"),
        # neither
        ("SearchQueries.json", [SEARCHES], None),
        ("Userdata.json", [], None),
        ("notes.json", [1, "two", None], None),
    ],
)
def test_a_file_is_recognised_by_its_records_and_name(
    name: str, records: list[Any], taken_as: str | None
) -> None:
    assert recognise(name, records) == taken_as


def test_names_alone_tell_only_spotifys_own_files() -> None:
    assert taken_as_by_name("Streaming_History_Audio_2024_0.json") == "extended_audio"
    assert taken_as_by_name("streaming_video_2018-2025.json") is None


def test_only_a_file_that_knows_its_kind_claims_a_span() -> None:
    assert span_kind("extended_audio") == "audio"
    assert span_kind("extended_video") == "video"
    assert span_kind("account_music") == "music"
    assert span_kind("account_podcast") == "podcast"
    assert span_kind("extended_unknown") is None
    assert span_kind(None) is None  # API pages


def raw(name: str) -> RawKey:
    return RawKey.parse(f"raw/export/user=me/0123456789abcdef0123/{name}")


def test_the_transform_tells_a_renamed_file_by_its_records_as_staging_does() -> None:
    """On AWS the transform sees only the raw key and the bytes."""
    body = orjson.dumps([EXTENDED, {**EXTENDED, "spotify_track_uri": None}, {**EXTENDED, "ts": 5}])
    transformed = transform_raw(raw("streaming_2018-2020_0.json"), body)
    assert transformed.taken_as == "extended_unknown"
    assert (transformed.read, len(transformed.plays), transformed.not_plays) == (3, 1, 1)
    assert transformed.rejected_reasons == {"ts must be a string": 1}

    account = transform_raw(raw("my_year.json"), orjson.dumps([MUSIC, PODCAST]))
    assert account.taken_as == "account_music"
    assert [play.source for play in account.plays] == ["account"]
    assert account.not_plays == 1  # a podcast record in a music file names no track


def test_the_transform_refuses_an_object_that_is_not_listening_history() -> None:
    with pytest.raises(UnreadableObject, match="is not listening history"):
        transform_raw(raw("SearchQueries.json"), orjson.dumps([SEARCHES]))
