"""Bounded imports: a per-user cap on pending imports, and an expired upload link refused.

Local mode (no sign-in, a local lake); no database is reached: nothing here runs the
pipeline.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

import boto3
import pytest
import requests
from fastapi.testclient import TestClient
from moto import mock_aws

from api.app import create_app
from etl.core.clock import system_clock
from etl.core.keys import UploadKey
from etl.core.lake import LocalLake
from etl.core.settings import Settings
from etl.imports import presign
from tests.integration.test_imports import Clock

REGION: Final = "eu-west-1"


def export() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Userdata.json", b'{"username": "alice"}')
    return buffer.getvalue()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Never reached: creating an import and refusing its file need no database.
    return Settings(home=tmp_path / ".moodify", database_url="postgresql://nobody@127.0.0.1:1/x")


@pytest.fixture
def client(settings: Settings, clock: Clock) -> TestClient:
    return TestClient(create_app(settings, clock=clock, process_raw_keys=lambda keys: None))


def start(client: TestClient) -> Any:
    return client.post(
        "/api/v1/imports", json={"file_name": "my_spotify_data.zip", "size_bytes": 1000}
    )


def test_a_fourth_pending_import_is_refused_with_429(client: TestClient) -> None:
    for _ in range(presign.MAX_PENDING_IMPORTS):
        assert start(client).status_code == 201
    refused = start(client)
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("3 of your imports are still running")


def test_the_cap_frees_up_once_a_link_expires_or_an_import_finishes(
    client: TestClient, clock: Clock, settings: Settings
) -> None:
    first = start(client).json()
    for _ in range(presign.MAX_PENDING_IMPORTS - 1):
        assert start(client).status_code == 201
    # One import's upload fails (an export without listening history): it is over.
    assert client.put(first["upload"]["url"], content=export()).status_code == 202
    assert client.get(first["status_url"]).json()["status"] == "failed"
    assert start(client).status_code == 201
    assert start(client).status_code == 429
    clock.advance(presign.UPLOAD_LINK_LIFETIME + timedelta(seconds=1))  # every link expired
    assert start(client).status_code == 201


def test_the_cap_is_per_user(tmp_path: Path, clock: Clock) -> None:
    lake = LocalLake(tmp_path / "lake")
    for _ in range(presign.MAX_PENDING_IMPORTS):
        presign.create_upload(lake, presign.LocalPut(str), "alice", "a.zip", 10, clock=clock)
    with pytest.raises(presign.TooManyImports):
        presign.create_upload(lake, presign.LocalPut(str), "alice", "a.zip", 10, clock=clock)
    presign.create_upload(lake, presign.LocalPut(str), "bob", "a.zip", 10, clock=clock)


def test_locally_an_expired_upload_link_is_refused_with_410(
    client: TestClient, clock: Clock, settings: Settings
) -> None:
    created = start(client).json()
    clock.advance(presign.UPLOAD_LINK_LIFETIME + timedelta(seconds=1))
    response = client.put(created["upload"]["url"], content=export())
    assert response.status_code == 410
    assert "expired" in response.json()["detail"]
    assert not [p for p in (settings.lake_dir / "uploads").rglob("*") if p.is_file()]
    assert client.get(created["status_url"]).json()["status"] == "failed"


def test_locally_a_link_still_valid_takes_the_file(client: TestClient, clock: Clock) -> None:
    created = start(client).json()
    clock.advance(presign.UPLOAD_LINK_LIFETIME - timedelta(seconds=1))
    assert client.put(created["upload"]["url"], content=export()).status_code == 202


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(
            Bucket="lake", CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield client


def test_on_aws_the_presigned_post_expires_with_the_link(s3: Any) -> None:
    """S3 itself refuses a POST whose policy has expired (moto does not check that, so this
    checks the policy S3 is given)."""
    upload = UploadKey.new("alice", "my_spotify_data.zip")
    before = system_clock()
    target = presign.S3PresignedPost("lake", s3).target(upload, 1000, presign.UPLOAD_LINK_LIFETIME)
    after = system_clock()
    policy = json.loads(base64.b64decode(target.fields["policy"]))
    expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    lifetime = presign.UPLOAD_LINK_LIFETIME
    assert before.replace(microsecond=0) + lifetime <= expiration <= after + lifetime
    response = requests.post(
        target.url, data=target.fields, files={"file": ("x.zip", export())}, timeout=10
    )
    assert response.status_code == 204
