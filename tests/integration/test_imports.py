"""Imports from the dashboard: presigned uploads (moto S3), unpacking, status, local PUT.

The AWS flow runs against moto: the API signs a POST, the test posts the zip to it as a
browser would, `unpack_upload` does what the unpack function does, and the real transform
step settles each raw object. The local flow runs the whole pipeline on real PostgreSQL.
"""

from __future__ import annotations

import base64
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import psycopg2
import pytest
import requests
from fastapi.testclient import TestClient
from moto import mock_aws
from pydantic import SecretStr

from api.app import create_app
from etl.core.clock import system_clock
from etl.core.keys import SAMPLE_CATALOG_KEY, RawKey, UploadKey
from etl.core.lake import Lake, LocalLake, S3Lake
from etl.core.settings import Settings
from etl.core.state import StateStore, UserState
from etl.exports.records import RecordCounts
from etl.imports import importer, presign, unpack
from etl.imports.receipt import ExpectedUpload, LocalReceipt
from etl.imports.status import PROCESSING_DEADLINE, UNPACK_DEADLINE, ImportStatus, import_status
from etl.pipeline.context import PipelineContext
from etl.pipeline.order import STEP_NAMES
from etl.pipeline.steps import run_steps
from etl.pipeline.transform import in_pipeline_order
from etl.spotify.sessions import SESSION_COOKIE, Session, SessionCodec
from moodify import local

BUCKET = "moodify-lake"
REGION = "eu-west-1"
SECRET = "a-session-secret-for-the-import-tests-only"
ALICE, BOB = "alice", "bob"
GOOD = "Streaming_History_Audio_2024_0.json"
BROKEN = "Streaming_History_Audio_2024_1.json"
GIB = 1024**3


def record(ts: str, ms: int, track: str = "4uLU6hMCjMI75M1A2tKUQC") -> dict[str, Any]:
    return {
        "ts": ts, "platform": "android", "ms_played": ms, "conn_country": "DE",
        "ip_addr": "192.0.2.7", "master_metadata_track_name": "Song A",
        "master_metadata_album_artist_name": "Artist A",
        "master_metadata_album_album_name": "Album A",
        "spotify_track_uri": f"spotify:track:{track}", "episode_name": None,
        "episode_show_name": None, "spotify_episode_uri": None, "audiobook_title": None,
        "audiobook_uri": None, "audiobook_chapter_uri": None, "audiobook_chapter_title": None,
        "reason_start": "trackdone", "reason_end": "trackdone", "shuffle": False,
        "skipped": None, "offline": False, "offline_timestamp": None, "incognito_mode": False,
    }  # fmt: skip


HISTORY = json.dumps(
    [record("2024-03-01T08:00:00Z", 200_000), record("2024-03-01T08:05:00Z", 180_000)]
).encode()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


EXPORT = zip_of(
    {
        f"Spotify Extended Streaming History/{GOOD}": HISTORY,
        f"Spotify Extended Streaming History/{BROKEN}": b"[{not json",
        "Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf": b"%PDF",
    }
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield client


@pytest.fixture
def lake(s3: Any) -> S3Lake:
    return S3Lake(BUCKET, s3)


def aws_settings(home: Path) -> Settings:
    """The API function's settings: the lake bucket, and sign-in on."""
    return Settings(
        home=home,
        lake_bucket=BUCKET,
        aws_region=REGION,
        spotify_client_id="the-client-id",
        session_secret=SecretStr(SECRET),
        allowed_users=(ALICE, BOB),
        database_url="postgresql://nobody@127.0.0.1:1/none",  # never reached by imports
    )


def signed_in(app: Any, user_id: str) -> TestClient:
    # As sign-in leaves it: a session counts only while the user's sign-in state exists.
    StateStore(app.state.services.lake).put_user(UserState(user_id))
    client = TestClient(app)
    client.cookies.set(
        SESSION_COOKIE, SessionCodec(SECRET, system_clock).issue(Session(user_id, (user_id,)))
    )
    return client


@pytest.fixture
def api(s3: Any, tmp_path: Path) -> Callable[[str], TestClient]:
    app = create_app(aws_settings(tmp_path / ".moodify"))
    return lambda user_id: signed_in(app, user_id)


def start(client: TestClient, file_name: str = "my_spotify_data.zip", size: int = 0) -> Any:
    response = client.post(
        "/api/v1/imports", json={"file_name": file_name, "size_bytes": size or len(EXPORT)}
    )
    assert response.status_code == 201, response.text
    return response.json()


def post_to_s3(created: Any, body: bytes = EXPORT) -> requests.Response:
    """What the dashboard does: the form's fields, then the file, to the presigned URL."""
    upload = created["upload"]
    assert upload["method"] == "POST"
    return requests.post(
        upload["url"], data=upload["fields"], files={"file": ("upload.zip", body)}, timeout=10
    )


def policy(created: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(base64.b64decode(created["upload"]["fields"]["policy"]))
    return document


def run_etl(lake: Lake, raw_keys: list[str], database_dsn: str, steps: int = 2) -> None:
    """The ETL's first `steps` steps on each raw object, as the raw/ rule would start them."""
    settings = Settings(lake_bucket=BUCKET, database_url=database_dsn)
    ctx = PipelineContext(settings=settings, lake=lake)
    for key in raw_keys:
        run_steps({"raw_key": key}, ctx, STEP_NAMES[:steps])


# --- creating an upload ------------------------------------------------------------------


def test_an_import_starts_with_a_presigned_post_for_exactly_its_key(
    api: Callable[[str], TestClient],
) -> None:
    client = api(ALICE)
    created = start(client, size=123_456)
    import_id = created["import_id"]
    assert uuid.UUID(import_id).version == 4
    key = f"uploads/user={ALICE}/{import_id}/my_spotify_data.zip"
    upload = created["upload"]
    # SigV4 at the regional endpoint: the global one would redirect a browser's POST.
    assert upload["url"] == f"https://{BUCKET}.s3.{REGION}.amazonaws.com/"
    assert upload["fields"]["key"] == key
    assert upload["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    conditions = policy(created)["conditions"]
    assert {"bucket": BUCKET} in conditions
    assert {"key": key} in conditions  # exact: no starts-with a browser could widen
    assert ["content-length-range", 1, 123_456] in conditions  # at most what was declared
    expiration = datetime.fromisoformat(policy(created)["expiration"].replace("Z", "+00:00"))
    assert timedelta(minutes=55) < expiration - system_clock() <= timedelta(hours=1)
    assert created["status_url"] == f"/api/v1/imports/{import_id}"

    status = client.get(created["status_url"])
    assert status.status_code == 200
    assert status.json() | {"updated_at": None} == {
        "import_id": import_id,
        "status": "waiting_for_upload",
        "files": [],
        "raw_keys": 0,
        "message": None,
        "updated_at": None,
    }


def test_a_user_creates_uploads_under_their_own_prefix_only(
    api: Callable[[str], TestClient], lake: S3Lake
) -> None:
    body = {"file_name": "my_spotify_data.zip", "size_bytes": 10, "user_id": BOB}
    created = api(ALICE).post("/api/v1/imports", json=body).json()  # user_id is not a field
    key = created["upload"]["fields"]["key"]
    assert key.startswith(f"uploads/user={ALICE}/")
    assert {"key": key} in policy(created)["conditions"]
    assert lake.exists(f"state/imports/user={ALICE}/{created['import_id']}.json")
    assert not list(lake.keys(f"state/imports/user={BOB}/"))


def test_a_file_name_cannot_climb_out_of_its_upload_folder(
    api: Callable[[str], TestClient],
) -> None:
    created = start(api(ALICE), "../../state/users/my spotify data.zip", 10)
    prefix, user, import_id, name = created["upload"]["fields"]["key"].split("/")
    assert (prefix, user, import_id) == ("uploads", f"user={ALICE}", created["import_id"])
    assert name == ".._.._state_users_my_spotify_data.zip"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"file_name": "export.tar.gz", "size_bytes": 10}, "file_name", "neither a .zip nor"),
        ({"file_name": "notes.txt", "size_bytes": 10}, "file_name", "neither a .zip nor"),
        ({"file_name": "big.zip", "size_bytes": 2 * GIB + 1}, "size_bytes", "limited to 2 GiB"),
        ({"file_name": "empty.json", "size_bytes": 0}, "size_bytes", "is empty"),
        ({"file_name": "", "size_bytes": 10}, "file_name", "at least 1 character"),
        ({"file_name": "x.zip"}, "size_bytes", "Field required"),
        ({"file_name": "x.zip", "size_bytes": "big"}, "size_bytes", "valid integer"),
    ],
)
def test_what_cannot_be_an_export_is_refused_with_422(
    api: Callable[[str], TestClient], lake: S3Lake, body: Any, field: str, message: str
) -> None:
    response = api(ALICE).post("/api/v1/imports", json=body)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", field]
    assert message in error["msg"]
    assert not list(lake.keys("state/imports/"))


def test_exactly_two_gib_is_accepted(api: Callable[[str], TestClient]) -> None:
    created = start(api(ALICE), "my_spotify_data.zip", 2 * GIB)
    assert ["content-length-range", 1, 2 * GIB] in policy(created)["conditions"]


def test_another_users_import_is_not_found(api: Callable[[str], TestClient]) -> None:
    created = start(api(ALICE))
    for path in [
        created["status_url"],  # Alice's import, asked by Bob
        f"/api/v1/imports/{uuid.uuid4()}",  # nobody's
        "/api/v1/imports/..%2F..%2Fusers%2Falice",  # not an import id
    ]:
        response = api(BOB).get(path)
        assert response.status_code == 404, path
        assert "detail" in response.json()
    assert api(ALICE).get(created["status_url"]).status_code == 200


def test_imports_need_a_session(s3: Any, tmp_path: Path) -> None:
    client = TestClient(create_app(aws_settings(tmp_path)))
    body = {"file_name": "a.zip", "size_bytes": 1}
    assert client.post("/api/v1/imports", json=body).status_code == 401
    assert client.get(f"/api/v1/imports/{uuid.uuid4()}").status_code == 401


def test_on_aws_the_api_takes_no_file(api: Callable[[str], TestClient]) -> None:
    created = start(api(ALICE))
    response = api(ALICE).put(f"/api/v1/imports/{created['import_id']}/file", content=EXPORT)
    assert response.status_code == 404
    assert "POST /api/v1/imports" in response.json()["detail"]


# --- uploading and unpacking ---------------------------------------------------------------


def test_an_upload_is_unpacked_into_raw_objects_and_reported_until_done(
    api: Callable[[str], TestClient], lake: S3Lake, tmp_path: Path, database_dsn: str
) -> None:
    client = api(ALICE)
    created = start(client)
    assert post_to_s3(created).status_code == 204
    key = created["upload"]["fields"]["key"]
    assert lake.client.get_object(Bucket=BUCKET, Key=key)["Body"].read() == EXPORT

    # The unpack function gets the key as the object event spells it.
    unpacked = unpack.unpack_upload(lake, key.replace("=", "%3D"), tmp_path, system_clock)
    assert list(tmp_path.iterdir()) == []  # the download is gone with its temp folder

    (raw_key,) = lake.keys("raw/")
    assert raw_key.startswith(f"raw/export/user={ALICE}/")
    assert raw_key.endswith(GOOD)
    stored = json.loads(lake.get(raw_key))
    assert len(stored) == 2
    assert not any("ip_addr" in r for r in stored)
    quarantined = list(lake.keys(f"quarantine/upload/user={ALICE}/"))
    assert [k.rsplit("/", 1)[1] for k in quarantined] == [BROKEN, f"{BROKEN}.report.json"]
    assert unpacked.status == "processing"

    status = client.get(created["status_url"]).json()
    assert status["status"] == "processing"
    assert status["raw_keys"] == 1
    assert status["message"] == "Processed 0 of 1 file"
    rows = {row["name"]: row for row in status["files"]}
    assert rows[GOOD] == {
        "name": GOOD, "status": "imported", "reason": None, "taken_as": "extended_audio",
        "records": None,
    }  # fmt: skip
    assert rows[BROKEN]["status"] == "quarantined"
    assert "not a listening-history file" in rows[BROKEN]["reason"]
    assert rows[BROKEN]["taken_as"] is None
    assert rows["ReadMeFirst_ExtendedStreamingHistory.pdf"] == {
        "name": "ReadMeFirst_ExtendedStreamingHistory.pdf", "status": "ignored",
        "reason": "not listening history: not a JSON file", "taken_as": None, "records": None,
    }  # fmt: skip

    run_etl(lake, [raw_key], database_dsn, steps=1)  # transformed, not loaded yet
    status = client.get(created["status_url"]).json()
    assert (status["status"], status["message"]) == ("processing", "Processed 0 of 1 file")
    assert {row["name"]: row for row in status["files"]}[GOOD]["records"] is None

    run_etl(lake, [raw_key], database_dsn)  # what the raw/ rule's state machine does
    status = client.get(created["status_url"]).json()
    assert status["status"] == "done"
    assert status["message"] == "Imported 1 file; 1 set aside"
    assert {row["name"]: row for row in status["files"]}[GOOD]["records"] == {
        "read": 2, "new": 2, "already_stored": 0, "superseded": 0, "not_plays": 0,
        "rejected": 0, "superseded_by": [], "rejected_reasons": [],
    }  # fmt: skip


def test_a_zip_with_a_climbing_member_is_refused_whole(
    api: Callable[[str], TestClient], lake: S3Lake, tmp_path: Path
) -> None:
    climbing = "../Streaming_History_Audio_2023.json"
    hostile = zip_of({GOOD: HISTORY, BROKEN: b"[{not json", climbing: HISTORY})
    client = api(ALICE)
    created = start(client, size=len(hostile))
    assert post_to_s3(created, hostile).status_code == 204

    unpack.unpack_upload(lake, created["upload"]["fields"]["key"], tmp_path, system_clock)

    assert list(lake.keys("raw/")) == []  # nothing of it, not even the good file
    assert list(tmp_path.iterdir()) == []
    (report_key,) = [k for k in lake.keys("quarantine/") if k.endswith(".report.json")]
    assert "climbs out of the archive" in json.loads(lake.get(report_key))["reason"]
    status = client.get(created["status_url"]).json()
    assert status["status"] == "failed"
    assert status["message"].startswith("Nothing in my_spotify_data.zip could be imported")
    (row,) = status["files"]
    assert row["name"] == "my_spotify_data.zip"
    assert row["status"] == "quarantined"
    assert "climbs out" in row["reason"]


def test_a_single_history_file_can_be_uploaded(
    api: Callable[[str], TestClient], lake: S3Lake, tmp_path: Path
) -> None:
    client = api(ALICE)
    created = start(client, GOOD, len(HISTORY))
    assert post_to_s3(created, HISTORY).status_code == 204
    unpacked = unpack.unpack_upload(
        lake, created["upload"]["fields"]["key"], tmp_path, system_clock
    )
    assert [(f.name, f.status) for f in unpacked.files] == [(GOOD, "imported")]


def test_an_upload_without_history_fails_with_a_hint(lake: S3Lake, tmp_path: Path) -> None:
    new = presign.create_upload(
        lake,
        presign.S3PresignedPost(BUCKET, lake.client),
        ALICE,
        "account.zip",
        10,
        clock=system_clock,
    )
    lake.client.put_object(Bucket=BUCKET, Key=new.upload_key, Body=zip_of({"Userdata.json": b"{}"}))
    status = unpack.unpack_upload(lake, new.upload_key, tmp_path, system_clock)
    assert status.status == "failed"
    assert status.message is not None
    assert "Streaming_History_Audio_*.json" in status.message
    assert [(f.name, f.status) for f in status.files] == [("Userdata.json", "ignored")]


def test_unpacking_the_same_upload_twice_changes_nothing(
    api: Callable[[str], TestClient], lake: S3Lake, tmp_path: Path
) -> None:
    created = start(api(ALICE))
    post_to_s3(created)
    key = created["upload"]["fields"]["key"]
    first = unpack.unpack_upload(lake, key, tmp_path, system_clock)
    objects = {k: lake.get(k) for k in lake.keys("raw/")}
    second = unpack.unpack_upload(lake, key, tmp_path, system_clock)  # a repeated event
    assert {k: lake.get(k) for k in lake.keys("raw/")} == objects
    assert (second.status, second.files, second.raw_keys) == (
        first.status,
        first.files,
        first.raw_keys,
    )


def test_a_failed_unpack_says_so_and_is_raised_for_a_retry(
    lake: S3Lake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = presign.create_upload(
        lake,
        presign.S3PresignedPost(BUCKET, lake.client),
        ALICE,
        "my_spotify_data.zip",
        10,
        clock=system_clock,
    )
    lake.client.put_object(Bucket=BUCKET, Key=new.upload_key, Body=EXPORT)

    def stage_files(*args: Any) -> importer.StagedExport:
        raise OSError("disk full")

    monkeypatch.setattr(unpack, "stage_files", stage_files)
    with pytest.raises(OSError, match="disk full"):
        unpack.unpack_upload(lake, new.upload_key, tmp_path, system_clock)
    status = import_status(lake, ALICE, new.import_id, system_clock)
    assert status.status == "failed"
    assert status.message == "Unpacking my_spotify_data.zip failed: OSError: disk full"


# --- status over time ----------------------------------------------------------------------


class Killed(BaseException):
    """The function's process ending mid-way (timeout, out of memory): nothing is caught."""


@pytest.fixture
def local_lake(tmp_path: Path) -> LocalLake:
    return LocalLake(tmp_path / "lake")


def local_import(lake: LocalLake, clock: Clock, body: bytes = EXPORT) -> presign.NewUpload:
    """An import whose file is in the lake's uploads/, as after the browser's upload."""
    presigner = presign.LocalPut(lambda import_id: f"/api/v1/imports/{import_id}/file")
    new = presign.create_upload(lake, presigner, ALICE, "my_spotify_data.zip", 10, clock=clock)
    path = lake.root / new.upload_key
    path.parent.mkdir(parents=True)
    path.write_bytes(body)
    return new


def test_a_link_nobody_used_fails_once_it_expires(local_lake: LocalLake) -> None:
    clock = Clock()
    new = presign.create_upload(
        local_lake, presign.LocalPut(str), ALICE, "my_spotify_data.zip", 10, clock=clock
    )
    assert new.expires_at == clock.now + timedelta(hours=1)
    clock.advance(timedelta(minutes=59))
    assert import_status(local_lake, ALICE, new.import_id, clock).status == ("waiting_for_upload")
    clock.advance(timedelta(minutes=2))
    status = import_status(local_lake, ALICE, new.import_id, clock)
    assert (status.status, status.message) == (
        "failed",
        "No file arrived before the upload link expired; start the import again",
    )


def test_an_unpacking_that_died_fails_after_the_deadline(
    local_lake: LocalLake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    new = local_import(local_lake, clock)

    def stage_files(*args: Any) -> importer.StagedExport:
        raise Killed

    monkeypatch.setattr(unpack, "stage_files", stage_files)
    with pytest.raises(Killed):
        unpack.unpack_upload(local_lake, new.upload_key, tmp_path, clock)
    assert import_status(local_lake, ALICE, new.import_id, clock).status == "unpacking"
    clock.advance(UNPACK_DEADLINE + timedelta(seconds=1))
    status = import_status(local_lake, ALICE, new.import_id, clock)
    assert status.status == "failed"
    assert status.message is not None
    assert "Unpacking stopped" in status.message


def test_processing_counts_settled_files_then_is_done_or_times_out(
    local_lake: LocalLake, tmp_path: Path
) -> None:
    clock = Clock()
    other = GOOD.replace("_0", "_1")
    new = local_import(local_lake, clock, zip_of({GOOD: HISTORY, other: HISTORY}))
    unpacked = unpack.unpack_upload(local_lake, new.upload_key, tmp_path, clock)
    first, second = (RawKey.parse(f.raw_key) for f in unpacked.files if f.raw_key)

    def status() -> ImportStatus:
        return import_status(local_lake, ALICE, new.import_id, clock)

    assert (status().status, status().message) == ("processing", "Processed 0 of 2 files")
    local_lake.put(first.curated_key, b"csv")  # transformed: not done until loaded
    assert (status().status, status().message) == ("processing", "Processed 0 of 2 files")
    loaded = RecordCounts(read=2, new=2, already_stored=0, superseded=0, not_plays=0, rejected=0)
    local_lake.put(first.records_key, json.dumps(loaded.as_json()).encode())
    assert (status().status, status().message) == ("processing", "Processed 1 of 2 files")
    assert status().files[0].records == loaded
    clock.advance(PROCESSING_DEADLINE + timedelta(seconds=1))
    late = status()
    assert late.status == "failed"
    assert late.message is not None
    assert late.message.startswith("1 file did not finish")
    report = {"raw_key": second.key, "reason": "The object is not JSON", "rejected_records": 0}
    local_lake.put(second.quarantine_report_key, json.dumps(report).encode())
    done = status()
    assert (done.status, done.message) == ("done", "Imported 1 file; 1 set aside")
    assert [(f.status, f.reason) for f in done.files] == [
        ("imported", None),
        ("quarantined", "The object is not JSON"),
    ]


def test_pipeline_order_puts_account_data_last() -> None:
    keys = [
        "raw/export/user=a/1/StreamingHistory_music_0.json",
        "raw/export/user=a/2/Streaming_History_Audio_2020.json",
        "raw/export/user=a/3/StreamingHistory_podcast_0.json",
        "raw/export/user=a/4/Streaming_History_Audio_2021.json",
    ]
    assert in_pipeline_order(keys) == [keys[1], keys[3], keys[0], keys[2]]


@pytest.mark.parametrize(
    "key",
    [
        "uploads/user=alice/not-a-uuid/a.zip",
        f"uploads/user=alice/{uuid.uuid4()}/../a.zip",
        f"uploads/user=al/ice/{uuid.uuid4()}/a.zip",
        f"raw/export/user=alice/{uuid.uuid4()}/a.zip",
    ],
)
def test_only_upload_keys_are_unpacked(key: str) -> None:
    with pytest.raises(ValueError, match="Not an upload key"):
        UploadKey.parse(key)


# Status documents as the hand-written serialiser before the model wrote them: what a lake
# already holds must still load.
OLD_ID = "0b0e8a4e-5d2c-4c52-9a51-7f0f6b1c2d3e"
OLD_UPLOAD = f"uploads/user={ALICE}/{OLD_ID}/my_spotify_data.zip"
OLD_WAITING = {
    "import_id": OLD_ID, "user_id": ALICE, "file_name": "my spotify data.zip",
    "upload_key": OLD_UPLOAD, "files": [], "raw_keys": [], "message": None,
    "status": "waiting_for_upload", "size_bytes": 10,
    "upload_expires_at": "2026-11-20T13:00:00+00:00", "updated_at": "2026-11-20T12:00:00+00:00",
}  # fmt: skip
OLD_FAILED = {
    "import_id": OLD_ID, "user_id": ALICE, "file_name": "my_spotify_data.zip",
    "upload_key": OLD_UPLOAD,
    "files": [
        {"name": "Userdata.json", "status": "ignored", "reason": "not listening history",
         "taken_as": None, "raw_key": None},
    ],
    "raw_keys": [], "message": "No listening history in my_spotify_data.zip",
    "status": "failed", "updated_at": "2026-11-20T12:05:00+00:00",
}  # fmt: skip


def put_old_document(lake: Lake, document: dict[str, Any]) -> None:
    key = f"state/imports/user={ALICE}/{OLD_ID}.json"
    lake.put(key, json.dumps(document, indent=2).encode())


def test_a_status_document_from_before_the_model_still_loads(local_lake: LocalLake) -> None:
    clock = Clock()
    put_old_document(local_lake, OLD_WAITING)
    waiting = import_status(local_lake, ALICE, OLD_ID, clock)
    assert (waiting.status, waiting.updated_at) == ("waiting_for_upload", clock.now)
    receipt = LocalReceipt(local_lake, Path("unused"), lambda raw_keys: None, clock)
    assert receipt.expect(ALICE, OLD_ID) == ExpectedUpload(UploadKey.parse(OLD_UPLOAD), 10)
    clock.advance(timedelta(hours=1, seconds=1))
    assert import_status(local_lake, ALICE, OLD_ID, clock).status == "failed"

    put_old_document(local_lake, OLD_FAILED)
    assert import_status(local_lake, ALICE, OLD_ID, clock) == ImportStatus(
        OLD_ID,
        "failed",
        [importer.FileOutcome("Userdata.json", "ignored", "not listening history")],
        0,
        "No listening history in my_spotify_data.zip",
        datetime(2026, 11, 20, 12, 5, tzinfo=UTC),
    )


# --- locally: the file goes to the API -----------------------------------------------------


@pytest.fixture
def local_client(settings: Settings) -> TestClient:
    local.migrate(settings)  # the template is migrated; this is what `moodify serve` does
    PipelineContext.from_settings(settings).lake.put(SAMPLE_CATALOG_KEY, b"{}")
    app = create_app(settings, process_raw_keys=lambda keys: local.process_raw_keys(settings, keys))
    return TestClient(app)


def test_locally_the_file_is_put_to_the_api_and_imported_in_the_background(
    local_client: TestClient, settings: Settings
) -> None:
    created = start(local_client)
    assert created["upload"] == {
        "method": "PUT",
        "url": f"/api/v1/imports/{created['import_id']}/file",
        "fields": {},
    }
    response = local_client.put(created["upload"]["url"], content=EXPORT)
    assert response.status_code == 202
    # The test client runs background tasks before it returns: the import is over.
    status = local_client.get(created["status_url"]).json()
    assert status["status"] == "done", status
    assert status["message"] == "Imported 1 file; 1 set aside"
    assert settings.database_url is not None
    with psycopg2.connect(settings.database_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM fact_plays WHERE user_id = %s", (settings.user_id,))
        assert cur.fetchone() == (2,)
    assert list((settings.lake_dir / "uploads").rglob("*.zip")) == []  # raw/ holds it now

    again = local_client.put(created["upload"]["url"], content=EXPORT)
    assert again.status_code == 409


def test_locally_a_body_larger_than_announced_is_refused(
    local_client: TestClient, settings: Settings
) -> None:
    created = start(local_client, size=10)
    response = local_client.put(created["upload"]["url"], content=EXPORT)
    assert response.status_code == 413
    assert not [p for p in (settings.lake_dir / "uploads").rglob("*") if p.is_file()]
    status = local_client.get(created["status_url"]).json()
    assert status["status"] == "waiting_for_upload"  # a right-sized file may still come


def test_locally_an_unknown_import_takes_no_file(local_client: TestClient) -> None:
    response = local_client.put(f"/api/v1/imports/{uuid.uuid4()}/file", content=EXPORT)
    assert response.status_code == 404


def test_openapi_documents_the_import_endpoints(api: Callable[[str], TestClient]) -> None:
    paths = api(ALICE).get("/openapi.json").json()["paths"]
    assert set(paths["/api/v1/imports"]) == {"post"}
    assert set(paths["/api/v1/imports/{import_id}"]) == {"get"}
    assert set(paths["/api/v1/imports/{import_id}/file"]) == {"put"}
    assert "404" in paths["/api/v1/imports/{import_id}"]["get"]["responses"]


def test_the_status_says_what_each_file_was_taken_as_and_what_became_of_its_records(
    local_client: TestClient,
) -> None:
    account = [
        {"endTime": "2024-03-01 08:00", "artistName": "Artist A", "trackName": "Song A",
         "msPlayed": 200_000},  # the extended history's first play, to the minute
        {"endTime": "2024-04-01 10:00", "artistName": "Artist A", "trackName": "Song A",
         "msPlayed": 180_000},
        {"endTime": "2024-04-01 10:05", "artistName": "Artist A", "msPlayed": -1},
    ]  # fmt: skip
    body = zip_of(
        {
            f"Spotify Extended Streaming History/{GOOD}": HISTORY,
            "Spotify Account Data/StreamingHistory_music_0.json": json.dumps(account).encode(),
            "Spotify Account Data/Userdata.json": b'{"username": "alice"}',
        }
    )
    created = start(local_client, size=len(body))
    assert local_client.put(created["upload"]["url"], content=body).status_code == 202

    status = local_client.get(created["status_url"]).json()

    assert status["status"] == "done", status
    assert status["files"] == [
        {
            "name": GOOD, "status": "imported", "reason": None, "taken_as": "extended_audio",
            "records": {
                "read": 2, "new": 2, "already_stored": 0, "superseded": 0, "not_plays": 0,
                "rejected": 0, "superseded_by": [], "rejected_reasons": [],
            },
        },
        {
            "name": "StreamingHistory_music_0.json", "status": "imported",
            "reason": "1 record could not be read; the others were kept",
            "taken_as": "account_music",
            "records": {
                "read": 3, "new": 1, "already_stored": 0, "superseded": 1, "not_plays": 0,
                "rejected": 1,
                "superseded_by": [
                    {"source": "export", "by": "span", "file": GOOD, "kind": "audio",
                     "from": "2024-03-01T07:56:40Z", "to": "2024-03-01T08:05:00Z",
                     "records": 1},
                ],
                "rejected_reasons": [
                    {"reason": "msPlayed must be a non-negative integer", "records": 1},
                ],
            },
        },
        {
            "name": "Userdata.json", "status": "ignored",
            "reason": "not listening history: expected a JSON array of stream records, "
            "found dict",
            "taken_as": None, "records": None,
        },
    ]  # fmt: skip
