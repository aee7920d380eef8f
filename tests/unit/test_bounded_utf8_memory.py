"""A 20 MiB export with an emoji in every track name is read in bounded memory.

Real exports are UTF-8, not `\\u`-escaped. Decoded whole, one character above U+FFFF makes
CPython store the file's text at 4 bytes a character: an 80 MiB str held while staging
and the transform read the array, which grew the process by 140 MiB (7x the file). The
text is now decoded a chunk at a time (`etl/exports/json_array.py`): 53 MiB (2.7x). The
peak is measured in a fresh interpreter (its VmHWM), as in `test_bounded_upload_memory.py`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SIZE = 20 * 2**20
NAME = "Streaming_History_Audio_2020.json"

_MEASURE = f"""
import json
from datetime import datetime, timedelta
from pathlib import Path
from etl.core.lake import LocalLake
from etl.core.keys import RawKey
from etl.exports.files import ExportFile
from etl.imports.importer import StagedExport, stage_file
from etl.pipeline.transform import transform_raw

def peak():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM"))

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

# Written to a file and read back: a body built in memory would raise the peak before the
# import above what the import reaches, and hide it.
export = Path({{lake!r}}) / {NAME!r}
records = write_export(export)
body = export.read_bytes()
lake = LocalLake(Path({{lake!r}}) / "lake")
before = peak()
outcome = stage_file(ExportFile({NAME!r}, {NAME!r}, body), lake, "alice", StagedExport())
raw = RawKey.parse(outcome.raw_key)
done = transform_raw(raw, lake.get(raw.key))
print(json.dumps({{
    "size": len(body), "grew": peak() - before, "records": records, "read": done.read,
    "plays": len(done.plays),
}}))
"""


def test_a_20_mib_file_of_emoji_track_names_grows_the_process_by_a_small_multiple(
    tmp_path: Path,
) -> None:
    script = _MEASURE.replace("{lake!r}", repr(str(tmp_path)))
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    measured = json.loads(run.stdout)
    assert measured["read"] == measured["plays"] == measured["records"], measured
    assert measured["grew"] < 5 * measured["size"], measured
