from __future__ import annotations

import ipaddress
import json
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from etl.exports.extended import parse_records
from moodify.demo.sample import DEFAULT_END, EXPORT_DIR_NAME, SampleExport, generate_sample_export

SPOTIFY_FIELDS = [
    "ts", "platform", "ms_played", "conn_country", "ip_addr", "master_metadata_track_name",
    "master_metadata_album_artist_name", "master_metadata_album_album_name",
    "spotify_track_uri", "episode_name", "episode_show_name", "spotify_episode_uri",
    "audiobook_title", "audiobook_uri", "audiobook_chapter_uri", "audiobook_chapter_title",
    "reason_start", "reason_end", "shuffle", "skipped", "offline", "offline_timestamp",
    "incognito_mode",
]  # fmt: skip
TRACK_FIELDS = [
    "master_metadata_track_name", "master_metadata_album_artist_name",
    "master_metadata_album_album_name", "spotify_track_uri",
]  # fmt: skip
EPISODE_FIELDS = ["episode_name", "episode_show_name", "spotify_episode_uri"]
AUDIOBOOK_FIELDS = [
    "audiobook_title", "audiobook_uri", "audiobook_chapter_uri", "audiobook_chapter_title",
]  # fmt: skip
FEATURE_FIELDS = [
    "valence", "energy", "danceability", "acousticness", "instrumentalness", "liveness",
    "speechiness", "loudness", "tempo", "key", "mode",
]  # fmt: skip
DOCUMENTATION_NETWORKS = [
    ipaddress.ip_network(net) for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
]

Record = dict[str, Any]


def read_records(export: SampleExport) -> list[Record]:
    return [record for path in export.files for record in json.loads(path.read_bytes())]


def moment(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def track_id(record: Record) -> str:
    return str(record["spotify_track_uri"]).removeprefix("spotify:track:")


@pytest.fixture(scope="module")
def default_export(tmp_path_factory: pytest.TempPathFactory) -> SampleExport:
    return generate_sample_export(tmp_path_factory.mktemp("default"))


@pytest.fixture(scope="module")
def records(default_export: SampleExport) -> list[Record]:
    return read_records(default_export)


@pytest.fixture(scope="module")
def features(default_export: SampleExport) -> dict[str, dict[str, float]]:
    catalog: dict[str, dict[str, float]] = json.loads(default_export.features_path.read_bytes())
    return catalog


def all_bytes(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*.json")}


def test_the_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    first = generate_sample_export(tmp_path / "a", seed=3, years=0.3, plays_per_file=1_000)
    generate_sample_export(tmp_path / "b", seed=3, years=0.3, plays_per_file=1_000)
    assert len(first.files) > 1
    assert all_bytes(tmp_path / "a") == all_bytes(tmp_path / "b")


def test_another_seed_gives_another_history(tmp_path: Path) -> None:
    generate_sample_export(tmp_path / "a", seed=3, years=0.2)
    generate_sample_export(tmp_path / "b", seed=4, years=0.2)
    assert all_bytes(tmp_path / "a") != all_bytes(tmp_path / "b")


def test_the_default_history_is_big_enough_to_be_interesting(
    default_export: SampleExport, records: list[Record]
) -> None:
    assert len(records) == default_export.plays >= 30_000
    assert default_export.last_ts - default_export.first_ts >= timedelta(days=2 * 365)
    assert default_export.last_ts < DEFAULT_END
    assert 300 <= default_export.artists <= 450
    assert default_export.tracks >= 3_000
    assert default_export.albums > default_export.artists
    assert default_export.music_plays + default_export.episode_plays == default_export.plays


def test_every_record_has_exactly_spotifys_fields(records: list[Record]) -> None:
    assert all(list(record) == SPOTIFY_FIELDS for record in records)


def test_records_are_sorted_by_utc_ts(records: list[Record]) -> None:
    stamps = [record["ts"] for record in records]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ts) for ts in stamps)
    assert stamps == sorted(stamps)


def test_files_are_named_and_formatted_like_spotifys(tmp_path: Path) -> None:
    end = datetime(2026, 3, 1, tzinfo=UTC)  # the history spans New Year
    export = generate_sample_export(tmp_path, years=0.4, end=end, plays_per_file=1_500)
    folder = tmp_path / EXPORT_DIR_NAME
    assert sorted(folder.iterdir()) == sorted(export.files)
    names = [path.name for path in export.files]
    assert names[0].startswith("Streaming_History_Audio_2025_0")
    assert any(name.startswith("Streaming_History_Audio_2025-2026_") for name in names)
    assert names[-1].startswith("Streaming_History_Audio_2026_")
    for number, path in enumerate(export.files):
        match = re.fullmatch(r"Streaming_History_Audio_(\d{4})(?:-(\d{4}))?_(\d+)\.json", path.name)
        assert match is not None, path.name
        text = path.read_text(encoding="utf-8")
        chunk = json.loads(text)
        first_year, last_year = chunk[0]["ts"][:4], chunk[-1]["ts"][:4]
        assert (match[1], match[2]) == (first_year, last_year if last_year != first_year else None)
        assert int(match[3]) == number
        assert len(chunk) == 1_500 or path == export.files[-1]
        assert text == json.dumps(chunk, indent=4, ensure_ascii=False)  # Spotify's layout
    assert (tmp_path / "sample_audio_features.json") == export.features_path


def test_a_rerun_replaces_the_files_of_the_previous_one(tmp_path: Path) -> None:
    generate_sample_export(tmp_path, years=0.3, plays_per_file=500)
    export = generate_sample_export(tmp_path, years=0.3, plays_per_file=2_000)
    assert sorted((tmp_path / EXPORT_DIR_NAME).iterdir()) == sorted(export.files)


def test_the_history_ends_before_the_given_end(tmp_path: Path) -> None:
    end = datetime(2025, 3, 1, 12, 0)  # naive: taken as UTC
    export = generate_sample_export(tmp_path, years=0.25, end=end, time_zone="America/New_York")
    end_utc = end.replace(tzinfo=UTC)
    assert end_utc - timedelta(days=92) < export.first_ts < export.last_ts < end_utc
    assert {record["conn_country"] for record in read_records(export)} >= {"US"}


def test_music_and_podcast_records_fill_their_own_fields(
    default_export: SampleExport, records: list[Record]
) -> None:
    music = [record for record in records if record["spotify_track_uri"]]
    podcasts = [record for record in records if record["spotify_episode_uri"]]
    chapters = [record for record in records if record["audiobook_chapter_uri"]]
    assert len(music) + len(podcasts) + len(chapters) == len(records)
    assert all(
        re.fullmatch(r"spotify:track:[0-9A-Za-z]{22}", r["spotify_track_uri"]) for r in music
    )
    assert all(all(r[name] for name in TRACK_FIELDS) for r in music)
    assert all(r[name] is None for r in music for name in EPISODE_FIELDS)
    assert all(all(r[name] for name in EPISODE_FIELDS) for r in podcasts)
    assert all(r[name] is None for r in podcasts for name in TRACK_FIELDS)
    assert all(r[name] is None for r in music + podcasts for name in AUDIOBOOK_FIELDS)
    assert all(all(r[name] for name in AUDIOBOOK_FIELDS) for r in chapters)
    assert all(r[name] is None for r in chapters for name in TRACK_FIELDS + EPISODE_FIELDS)
    assert default_export.chapter_plays == len(chapters) >= 50
    assert 2 <= len({r["audiobook_title"] for r in chapters}) <= 3
    assert 150 <= len(podcasts) <= 1_000
    assert 2 <= len({r["episode_show_name"] for r in podcasts}) <= 6
    assert default_export.episodes == len({r["spotify_episode_uri"] for r in podcasts})


def test_skips_are_short_and_a_realistic_share(records: list[Record]) -> None:
    skips = [record for record in records if record["skipped"]]
    assert 0.15 <= len(skips) / len(records) <= 0.25
    assert all(record["reason_end"] == "fwdbtn" for record in skips)
    assert sum(record["ms_played"] < 30_000 for record in skips) > len(skips) / 2


def test_full_plays_last_as_long_as_the_track(records: list[Record]) -> None:
    lengths: dict[str, list[int]] = defaultdict(list)
    for record in records:
        if record["spotify_track_uri"] and record["reason_end"] == "trackdone":
            lengths[record["spotify_track_uri"]].append(record["ms_played"])
    assert all(min(ms) >= 120_000 - 1_000 and max(ms) <= 360_000 for ms in lengths.values())
    assert all(max(ms) - min(ms) < 1_000 for ms in lengths.values())


def test_plays_never_overlap(records: list[Record]) -> None:
    ends = [moment(record["ts"]) for record in records]
    starts = [moment(r["ts"]) - timedelta(milliseconds=r["ms_played"]) for r in records]
    # Each play starts at or after the end of the one before it.
    assert all(start >= end for start, end in zip(starts[1:], ends[:-1], strict=True))


def test_listening_follows_a_local_daily_rhythm(records: list[Record]) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    by_hour = [0] * 24
    for record in records:
        by_hour[moment(record["ts"]).astimezone(berlin).hour] += record["ms_played"]
    night, commute, evening = sum(by_hour[2:6]), sum(by_hour[7:9]), sum(by_hour[20:22])
    assert night * 10 < commute
    assert night * 10 < evening


def test_ip_addresses_come_from_documentation_ranges(records: list[Record]) -> None:
    addresses = {ipaddress.ip_address(record["ip_addr"]) for record in records}
    assert all(any(a in net for net in DOCUMENTATION_NETWORKS) for a in addresses)


def test_about_five_percent_of_the_catalog_has_no_features(
    default_export: SampleExport, records: list[Record], features: dict[str, dict[str, float]]
) -> None:
    assert len(features) == default_export.tracks_with_features
    assert 0.93 <= len(features) / default_export.catalog_tracks <= 0.97
    played = {track_id(record) for record in records if record["spotify_track_uri"]}
    assert 0.9 <= len(played & features.keys()) / len(played) < 1.0
    for values in features.values():
        assert list(values) == FEATURE_FIELDS
        assert all(0 <= values[name] <= 1 for name in FEATURE_FIELDS[:7])
        assert -30 <= values["loudness"] <= 0
        assert 40 <= values["tempo"] <= 220
        assert values["key"] in range(12)
        assert values["mode"] in (0, 1)


def test_summer_music_is_sunnier_than_winter_music(
    records: list[Record], features: dict[str, dict[str, float]]
) -> None:
    weighted: dict[str, list[float]] = {"summer": [0.0, 0.0], "winter": [0.0, 0.0]}
    for record in records:
        known = features.get(track_id(record)) if record["spotify_track_uri"] else None
        month = moment(record["ts"]).month
        season = "summer" if month in (6, 7, 8) else "winter" if month in (12, 1, 2) else None
        if known and season:
            weighted[season][0] += known["valence"] * record["ms_played"]
            weighted[season][1] += record["ms_played"]
    summer, winter = (total / ms for total, ms in weighted.values())
    assert summer - winter >= 0.08


def test_the_real_parser_reads_every_record(tmp_path: Path) -> None:
    export = generate_sample_export(tmp_path, years=0.3)
    parsed = parse_records(read_records(export))
    assert parsed.rejected == []
    assert parsed.not_plays == 0
    assert len(parsed.plays) == export.plays


def test_impossible_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="positive"):
        generate_sample_export(tmp_path, years=0)
