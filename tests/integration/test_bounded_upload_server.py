"""The local server takes a 20 MiB upload over HTTP and imports it in bounded memory.

The path a user takes: `POST /api/v1/imports`, then the file as the body of
`PUT /api/v1/imports/{id}/file`, which the server streams into its lake, unpacks and (in
the background) runs through the pipeline. The server is the app `moodify serve` builds,
in its own process under uvicorn; its growth is its peak RSS (VmHWM) once the import is
over, less the peak before the upload.

The transform of a file of empty objects (7 million malformed records, ~15 s) is measured
in `tests/unit/test_bounded_upload_memory.py`: here the server with empty objects stops
after staging, to keep this test fast.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import requests

SIZE = 20 * 2**20
NAME = "Streaming_History_Audio_2024.json"
MAX_GROWTH = 5  # times the JSON file's size

_SERVER = """
import socket, sys
from pathlib import Path

import uvicorn

from api.app import create_app
from etl.core.settings import Settings
from moodify import local

dsn, home, pipeline = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "pipeline"
settings = Settings(
    home=home, database_url=dsn, feature_providers=("sample",), musicbrainz_call_budget=0
)
local.migrate(settings)
# As `moodify serve` builds it; without the pipeline, an import stops once staged.
process = (lambda keys: local.process_raw_keys(settings, keys)) if pipeline else (lambda keys: None)
app = create_app(settings, process_raw_keys=process, listening_on="127.0.0.1")
listening = socket.create_server(("127.0.0.1", 0))  # any free port, told to the test
print(listening.getsockname()[1], flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])
"""


@dataclass(frozen=True)
class Imported:
    grew: int  # bytes the server's peak RSS grew by during the import
    status: dict[str, Any]  # the import's status once over


def _peak(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM"))


@contextmanager
def _server(dsn: str, home: Path, *, pipeline: bool) -> Iterator[tuple[str, int]]:
    args = [sys.executable, "-c", _SERVER, dsn, str(home), "pipeline" if pipeline else "stage"]
    server = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        yield f"http://127.0.0.1:{int(server.stdout.readline())}", server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def import_upload(dsn: str, home: Path, upload: Path, *, pipeline: bool) -> Imported:
    """Upload the file `upload` to a new server, and wait for the import to be over: once
    staged without the pipeline, once done or failed with it."""
    over = {"done", "failed"} if pipeline else {"processing", "done", "failed"}
    with _server(dsn, home, pipeline=pipeline) as (url, pid):
        created = requests.post(
            f"{url}/api/v1/imports",
            json={"file_name": upload.name, "size_bytes": upload.stat().st_size},
            timeout=30,
        ).json()
        status_url = url + created["status_url"]
        requests.get(status_url, timeout=30).raise_for_status()
        before = _peak(pid)
        with upload.open("rb") as body:  # streamed from disk: only the server holds it
            put = requests.put(url + created["upload"]["url"], data=body, timeout=60)
        assert put.status_code == 202, put.text
        deadline = time.monotonic() + 60
        while (status := requests.get(status_url, timeout=30).json())["status"] not in over:
            assert time.monotonic() < deadline, status
            time.sleep(0.1)
        return Imported(_peak(pid) - before, status)


def empty_objects() -> bytes:
    """About 20 MiB of `{}`: 7 million records, each a dict of ~70 bytes once parsed."""
    return b"[" + b"{}," * (SIZE // 3 - 1) + b"{}]"


def listening_history() -> bytes:
    """About 20 MiB of Extended streaming history with every field Spotify writes, each
    record a different play, in UTF-8 as Spotify writes it: some names hold characters
    beyond ASCII and beyond U+FFFF, which CPython stores at 2 and 4 bytes each."""
    rng = random.Random(13)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    end, records, size = datetime(2015, 1, 1), [], 0
    while size < SIZE:
        end += timedelta(seconds=rng.randint(60, 600))
        track = rng.randint(0, 40_000)
        record = {
            "ts": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "platform": rng.choice(["android", "ios", "windows"]),
            "ms_played": rng.randint(0, 400_000),
            "conn_country": "DE",
            "ip_addr": "192.0.2.1",
            "master_metadata_track_name": f"Track {track}"
            + (" \N{MULTIPLE MUSICAL NOTES}" if track % 5 == 0 else ""),
            "master_metadata_album_artist_name": f"Artist {track % 3_000}"
            + (" \N{CJK UNIFIED IDEOGRAPH-5742}" if track % 11 == 0 else ""),
            "master_metadata_album_album_name": f"Album {track % 8_000}",
            "spotify_track_uri": "spotify:track:" + "".join(rng.choices(alphabet, k=22)),
            "episode_name": None,
            "episode_show_name": None,
            "spotify_episode_uri": None,
            "audiobook_title": None,
            "audiobook_uri": None,
            "audiobook_chapter_uri": None,
            "audiobook_chapter_title": None,
            "reason_start": "trackdone",
            "reason_end": rng.choice(["trackdone", "fwdbtn"]),
            "shuffle": rng.random() < 0.5,
            "skipped": None,
            "offline": False,
            "offline_timestamp": None,
            "incognito_mode": False,
        }
        records.append(record)
        size += len(orjson.dumps(record)) + 1
    return orjson.dumps(records)


def zipped(data: bytes, to: Path) -> Path:
    """`to`, a zip of `data` as Spotify packs a history file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"Spotify Extended Streaming History/{NAME}", data)
    to.write_bytes(buffer.getvalue())
    return to


def test_a_20_mib_json_of_empty_objects_is_received_and_staged_in_bounded_memory(
    database_dsn: str, tmp_path: Path
) -> None:
    upload = tmp_path / NAME
    upload.write_bytes(empty_objects())
    imported = import_upload(database_dsn, tmp_path / ".moodify", upload, pipeline=False)
    assert imported.status["status"] == "processing", imported.status
    assert [f["status"] for f in imported.status["files"]] == ["imported"]
    assert imported.grew < MAX_GROWTH * upload.stat().st_size, imported


def test_a_zip_of_20_mib_of_history_is_imported_in_bounded_memory(
    database_dsn: str, tmp_path: Path
) -> None:
    history = listening_history()
    records = len(orjson.loads(history))
    upload = zipped(history, tmp_path / "my_spotify_data.zip")
    imported = import_upload(database_dsn, tmp_path / ".moodify", upload, pipeline=True)
    assert imported.status["status"] == "done", imported.status
    [file] = imported.status["files"]
    assert (file["records"]["read"], file["records"]["new"]) == (records, records)
    assert imported.grew < MAX_GROWTH * len(history), imported


def test_a_zip_bomb_is_refused_before_its_member_is_read(database_dsn: str, tmp_path: Path) -> None:
    inflated = empty_objects()
    upload = zipped(inflated, tmp_path / "my_spotify_data.zip")  # ~1,000 to 1
    imported = import_upload(database_dsn, tmp_path / ".moodify", upload, pipeline=False)
    assert imported.status["status"] == "failed", imported.status
    assert "zip bomb" in imported.status["message"]
    assert imported.grew < len(inflated) // 10, imported
