"""Property-based tests: random and mutated records never crash the parsers."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.core.curated import curated_csv
from etl.core.keys import RawKey
from etl.exports.extended import parse_records
from etl.pipeline.transform import UnreadableObject, transform_raw

FIELDS = (
    "ts", "platform", "ms_played", "conn_country", "ip_addr", "master_metadata_track_name",
    "master_metadata_album_artist_name", "master_metadata_album_album_name",
    "spotify_track_uri", "episode_name", "episode_show_name", "spotify_episode_uri",
    "reason_start", "reason_end", "shuffle", "skipped", "offline", "offline_timestamp",
    "incognito_mode",
)  # fmt: skip
RAW = RawKey.parse("raw/export/user=me/abc/Streaming_History_Audio_2024_0.json")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=5,
)

good_record = st.fixed_dictionaries(
    {
        "ts": st.datetimes(min_value=datetime(2008, 1, 1), max_value=datetime(2030, 1, 1)).map(
            lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")  # Spotify's years, zero-padded
        ),
        "ms_played": st.integers(min_value=0, max_value=10**8),
        "spotify_track_uri": st.from_regex(r"spotify:track:[A-Za-z0-9]{22}", fullmatch=True),
        "master_metadata_track_name": st.text(max_size=40) | st.none(),
        "master_metadata_album_artist_name": st.text(max_size=40) | st.none(),
        "master_metadata_album_album_name": st.text(max_size=40) | st.none(),
        "skipped": st.booleans() | st.none(),
        "shuffle": st.booleans() | st.none(),
        "offline_timestamp": st.integers() | st.none(),  # seconds or ms, never read
    }
)


@st.composite
def mutated_record(draw: st.DrawFn) -> dict[str, Any]:
    record = draw(good_record)
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=4)):
        if draw(st.booleans()):
            record.pop(name, None)
        else:
            record[name] = draw(json_values)
    return record


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(good_record, mutated_record(), json_values), max_size=20))
def test_every_record_is_a_play_a_rejection_or_not_a_play(records: list[Any]) -> None:
    parsed = parse_records(records)
    assert len(parsed.plays) + len(parsed.rejected) + parsed.not_plays == len(records)
    assert sum(parsed.rejected_reasons.values()) == len(parsed.rejected)
    for play in parsed.plays:
        assert play.ms_played >= 0
        assert play.started_at <= play.ended_at
        assert (play.track_id is None) != (play.episode_id is None)
    curated_csv(parsed.plays)  # every play can be written for COPY


@settings(max_examples=200, deadline=None)
@given(st.lists(good_record, min_size=1, max_size=20))
def test_well_formed_records_are_all_plays(records: list[Any]) -> None:
    parsed = parse_records(records)
    assert parsed.rejected == []
    assert len(parsed.plays) == len(records)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_bytes_are_transformed_or_refused_cleanly(body: bytes) -> None:
    refusal = None
    try:
        transform_raw(RAW, body)
    except UnreadableObject as error:
        refusal = str(error)
    assert refusal is None or refusal.strip()


account_record = st.fixed_dictionaries(
    {
        "endTime": st.datetimes(min_value=datetime(2008, 1, 1), max_value=datetime(2030, 1, 1)).map(
            lambda d: d.strftime("%Y-%m-%d %H:%M")
        ),
        "msPlayed": st.integers(min_value=-5, max_value=10**8),
        "artistName": st.text(max_size=20) | st.none(),
        "trackName": st.text(max_size=20) | st.none(),
    }
)
names = st.sampled_from(
    [
        "Streaming_History_Audio_2024_0.json",
        "Streaming_History_Video_2018-2024.json",
        "streaming_2018-2020_0.json",
        "StreamingHistory_music_0.json",
        "StreamingHistory_podcast_0.json",
        "my_year.json",
        "Userdata.json",
    ]
)


@settings(max_examples=200, deadline=None)
@given(names, st.lists(st.one_of(good_record, mutated_record(), account_record, json_values)))
def test_every_record_of_any_file_is_counted_once(name: str, records: list[Any]) -> None:
    raw = RawKey.parse(f"raw/export/user=me/abc/{name}")
    try:
        transformed = transform_raw(raw, json.dumps(records).encode())
    except UnreadableObject:
        return  # neither its records nor its name say it is listening history
    assert transformed.taken_as is not None
    assert transformed.read == len(records)
    assert transformed.read == (
        len(transformed.plays) + transformed.not_plays + len(transformed.rejected)
    )
    assert sum(transformed.rejected_reasons.values()) == len(transformed.rejected)
