"""The handlers that set objects aside under quarantine/ report `ObjectsQuarantined` (the
metric the alarm in cdk_app.alarms reads), from what the core says it set aside: the unpack
function for files of an upload, the ETL's transform step for raw objects. On S3 (moto),
with the real core behind each handler."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import boto3
import pytest

from etl.core.keys import raw_export_key
from etl.pipeline.steps import State
from lambdas import pipeline_step, unpack
from tests.unit.test_lambdas import (
    CONTEXT,
    IMPORT_ID,
    UPLOAD_KEY,
    aws,  # noqa: F401  a fixture: moto's AWS
    fresh_containers,  # noqa: F401  an autouse fixture: each test a cold start
)

BUCKET = "moodify-lake"
HISTORY = "Streaming_History_Audio_2024_0.json"
PLAY = {
    "ts": "2024-03-01T08:00:00Z",
    "platform": "android",
    "ms_played": 200_000,
    "conn_country": "DE",
    "master_metadata_track_name": "Song A",
    "master_metadata_album_artist_name": "Artist A",
    "master_metadata_album_album_name": "Album A",
    "spotify_track_uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC",
    "reason_start": "trackdone",
    "reason_end": "trackdone",
    "shuffle": False,
    "skipped": None,
    "offline": False,
    "incognito_mode": False,
}
UNREADABLE_PLAY = {**PLAY, "ms_played": "long"}
pytestmark = pytest.mark.usefixtures("aws")


@pytest.fixture
def lake_bucket(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The lake bucket on moto's S3, named as the stack names it to the functions."""
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", BUCKET)
    client = boto3.client("s3")
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    return client


def _emf(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """The one EMF document the invocation printed."""
    (document,) = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line
    ]
    return dict(document)


def _quarantined(client: Any) -> list[str]:
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix="quarantine/")
    return [item["Key"] for item in listed.get("Contents", [])]


# --- unpack -----------------------------------------------------------------------------------


def _upload(client: Any, files: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    client.put_object(Bucket=BUCKET, Key=UPLOAD_KEY, Body=buffer.getvalue())


def test_unpack_reports_the_files_it_quarantined(
    lake_bucket: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _upload(
        lake_bucket,
        {
            HISTORY: json.dumps([PLAY]).encode(),
            "Streaming_History_Audio_2024_1.json": b"not JSON",
            "Streaming_History_Audio_2024_2.json": b"[{",
        },
    )

    result = unpack.handler({"upload_key": UPLOAD_KEY}, CONTEXT)

    assert [f["status"] for f in result["files"]] == ["imported", "quarantined", "quarantined"]
    assert len(_quarantined(lake_bucket)) == 4  # each file beside its report
    emf = _emf(capsys)
    assert emf["ObjectsQuarantined"] == [2.0]
    (directive,) = emf["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Moodify"
    assert {"Name": "ObjectsQuarantined", "Unit": "Count"} in directive["Metrics"]


def test_unpack_reports_no_quarantine_when_every_file_is_imported(
    lake_bucket: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _upload(lake_bucket, {HISTORY: json.dumps([PLAY]).encode()})

    result = unpack.handler({"upload_key": UPLOAD_KEY}, CONTEXT)

    assert result["import_id"] == IMPORT_ID
    assert _quarantined(lake_bucket) == []
    emf = _emf(capsys)
    assert emf["upload_files_imported"] == [1.0]
    assert "ObjectsQuarantined" not in emf


# --- the ETL's steps --------------------------------------------------------------------------


def _step(monkeypatch: pytest.MonkeyPatch, step: str, event: State) -> State:
    monkeypatch.setenv("MOODIFY_STEP", step)
    state: State = pipeline_step.handler(event, CONTEXT)  # Powertools' decorator loses the type
    return state


def _raw(client: Any, body: bytes) -> str:
    key = raw_export_key("alice", HISTORY, body)
    client.put_object(Bucket=BUCKET, Key=key, Body=body)
    return key


@pytest.mark.parametrize(
    ("body", "set_aside"),
    [
        (b"not JSON", "quarantined"),  # the whole object
        (json.dumps([PLAY, UNREADABLE_PLAY]).encode(), "rejected"),  # one of its records
    ],
)
def test_the_transform_reports_an_object_it_set_aside(
    lake_bucket: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    body: bytes,
    set_aside: str,
) -> None:
    state = _step(monkeypatch, "transform", {"raw_key": _raw(lake_bucket, body)})

    assert state.get(set_aside)
    (report,) = _quarantined(lake_bucket)
    assert report.endswith(".report.json")
    assert _emf(capsys)["ObjectsQuarantined"] == [1.0]

    # The later steps carry the transform's keys on, and report nothing of their own.
    _step(monkeypatch, "enrich", state)
    assert "ObjectsQuarantined" not in capsys.readouterr().out


def test_the_transform_reports_no_quarantine_for_a_readable_object(
    lake_bucket: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = _step(
        monkeypatch, "transform", {"raw_key": _raw(lake_bucket, json.dumps([PLAY]).encode())}
    )

    assert (state.get("quarantined"), state.get("rejected"), state.get("plays")) == (None, 0, 1)
    assert _quarantined(lake_bucket) == []
    assert "ObjectsQuarantined" not in capsys.readouterr().out
