"""A 20 MiB export is staged and transformed in bounded memory, and its records counted.

- Empty objects: each `{}` is a malformed record (~7 million of them). The transform kept a
  message for every one, and both staging and the transform parsed the file whole into a
  list of dicts ~25 times its size: the process grew by over 600 MiB.
- An emoji in every track name: real exports are UTF-8, not `\\u`-escaped. Decoded whole,
  one character above U+FFFF makes CPython store the file's text at 4 bytes a character:
  an 80 MiB str held while the array was read, which grew the process by 140 MiB (7x).
  The text is now decoded a chunk at a time (`etl/exports/json_array.py`).

The peak is measured in a fresh interpreter (its VmHWM), so nothing else in the test
session counts. The same uploads over HTTP to the local server:
`tests/integration/test_bounded_upload_server.py`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from etl.exports.extended import REPORTED_ERRORS, parse_records
from etl.pipeline.transform import quarantine_report

SIZE = 20 * 2**20

# `write_export(path)` writes the export and returns its record count. The file is written,
# then read back: a body built in memory (or with b",".join, ~80 bytes a record) would raise
# the peak before the import above what the import reaches, and hide it.
_EMPTY_OBJECTS = f"""
def write_export(path):
    records = {SIZE} // 3
    with path.open("wb") as file:
        file.write(b"[")
        for start in range(0, records - 1, 100_000):
            file.write(b"{{}}," * min(100_000, records - 1 - start))
        file.write(b"{{}}]")
    return records
"""

_EMOJI_TRACK_NAMES = f"""
import json
from datetime import datetime, timedelta

def write_export(path):
    played, records, size = datetime(2020, 1, 1), 0, 1
    with path.open("wb") as file:
        file.write(b"[")
        while size < {SIZE}:
            played += timedelta(minutes=3)
            line = json.dumps({{
                "ts": played.strftime("%Y-%m-%dT%H:%M:%SZ"), "platform": "android",
                "ms_played": 123456, "conn_country": "DE", "ip_addr": "192.0.2.1",
                "master_metadata_track_name": "Song name here \\U0001F3B5",
                "master_metadata_album_artist_name": "Some Artist",
                "master_metadata_album_album_name": "An Album",
                "spotify_track_uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC",
                "episode_name": None, "episode_show_name": None, "spotify_episode_uri": None,
                "audiobook_title": None, "audiobook_uri": None,
                "audiobook_chapter_uri": None, "audiobook_chapter_title": None,
                "reason_start": "trackdone", "reason_end": "trackdone", "shuffle": False,
                "skipped": False, "offline": False, "offline_timestamp": None,
                "incognito_mode": False,
            }}, ensure_ascii=False).encode()
            file.write(b"," * (records > 0) + line)
            records += 1
            size += len(line) + 1
        file.write(b"]")
    return records
"""

_MEASURE = """
import json, sys
from pathlib import Path
from etl.core.lake import LocalLake
from etl.core.keys import RawKey
from etl.exports.files import ExportFile
from etl.imports.importer import StagedExport, stage_file
from etl.pipeline.transform import transform_raw

def peak():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM"))

{writer}

name = "Streaming_History_Audio_2024.json"
folder = Path(sys.argv[1])
records = write_export(folder / name)
body = (folder / name).read_bytes()
lake = LocalLake(folder / "lake")
before = peak()
outcome = stage_file(ExportFile(name, name, body), lake, "alice", StagedExport())
raw = RawKey.parse(outcome.raw_key)
done = transform_raw(raw, lake.get(raw.key))
print(json.dumps({{
    "size": len(body), "grew": peak() - before, "records": records, "read": done.read,
    "plays": len(done.plays), "rejected": done.rejected_count, "listed": len(done.rejected),
}}))
"""


def _staged_and_transformed(writer: str, folder: Path) -> dict[str, Any]:
    """What staging and transforming the export `writer` writes measured, in a fresh
    interpreter."""
    run = subprocess.run(
        [sys.executable, "-c", _MEASURE.format(writer=writer), str(folder)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    measured: dict[str, Any] = json.loads(run.stdout)
    return measured


def test_a_20_mib_file_of_empty_objects_grows_the_process_by_a_small_multiple(
    tmp_path: Path,
) -> None:
    measured = _staged_and_transformed(_EMPTY_OBJECTS, tmp_path)
    records = measured["records"]
    assert (measured["read"], measured["rejected"]) == (records, records)
    assert measured["listed"] == REPORTED_ERRORS
    assert measured["grew"] < 5 * measured["size"], measured


def test_a_20_mib_file_of_emoji_track_names_grows_the_process_by_a_small_multiple(
    tmp_path: Path,
) -> None:
    measured = _staged_and_transformed(_EMOJI_TRACK_NAMES, tmp_path)
    assert measured["read"] == measured["plays"] == measured["records"], measured
    assert measured["grew"] < 5 * measured["size"], measured


def test_every_rejection_is_counted_and_the_first_ones_listed() -> None:
    records: list[dict[str, str]] = [{}] * (REPORTED_ERRORS * 3) + [{"ts": "2024-01-01T00:00:00Z"}]
    parsed = parse_records(records)
    assert parsed.rejected_count == len(records)
    assert sum(parsed.rejected_reasons.values()) == len(records)
    assert [index for index, _ in parsed.rejected] == list(range(REPORTED_ERRORS))
    report = json.loads(quarantine_report("raw/x", "why", parsed.rejected, parsed.rejected_count))
    assert report["rejected_records"] == len(records)
    assert len(report["first_errors"]) == REPORTED_ERRORS


def test_a_file_with_few_rejections_lists_them_all() -> None:
    parsed = parse_records([{}, {}])
    assert parsed.rejected_count == 2
    assert [index for index, _ in parsed.rejected] == [0, 1]
