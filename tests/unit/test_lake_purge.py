"""Deleting a user's lake objects for good, on a versioned bucket (moto) and a directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from etl.core.keys import PREFIXES
from etl.core.lake import Lake, LocalLake, S3Lake
from etl.warehouse.erasure import purge_user_objects

BUCKET, REGION = "moodify-lake", "eu-west-1"
# More objects than one DeleteObjects request takes, and than one listing page holds.
MANY = 1_005


def _fill(lake: Lake, user_id: str) -> set[str]:
    """Objects of `user_id` under every prefix; the keys."""
    keys = {
        f"raw/export/user={user_id}/digest/Streaming_History_Audio_2024_0.json",
        f"raw/api/user={user_id}/recently-played/20240601T120000000000Z_after-none.json",
        f"curated/plays/export/user={user_id}/digest/Streaming_History_Audio_2024_0.json.csv",
        f"enrichment/results/export/user={user_id}/digest/x.json.json",
        f"quarantine/upload/user={user_id}/digest/broken.json",
        f"state/imports/user={user_id}/5f7a3c5e-0000-4000-8000-000000000000.json",
        f"state/users/{user_id}.json",
        f"uploads/user={user_id}/5f7a3c5e-0000-4000-8000-000000000000/export.zip",
        f"exports/user={user_id}/an-export/plays.csv",
        f"tombstones/user={user_id}/20240601T120000000000Z_digest.json",
    }
    assert {key.split("/")[0] + "/" for key in keys} == set(PREFIXES)
    for key in keys:
        lake.put(key, b"first")
    return keys


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
        # As the stack makes the lake: versioned.
        client.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        yield client


def _versions(client: Any) -> list[str]:
    """Every version and delete marker's key in the bucket."""
    keys = []
    for page in client.get_paginator("list_object_versions").paginate(Bucket=BUCKET):
        keys += [item["Key"] for item in page.get("Versions", [])]
        keys += [item["Key"] for item in page.get("DeleteMarkers", [])]
    return keys


def test_purge_deletes_every_version_of_a_users_objects_and_nothing_else(s3: Any) -> None:
    lake = S3Lake(BUCKET, s3)
    alices, bobs = _fill(lake, "alice"), _fill(lake, "bob")
    lake.put("state/users/alice.json", b"second")  # an older version to delete too
    s3.delete_object(Bucket=BUCKET, Key="exports/user=alice/an-export/plays.csv")  # a marker
    many = {f"curated/records/api/user=alice/page-{n:04}.json" for n in range(MANY)}
    for key in many:
        lake.put(key, b"{}")
    # A user whose id starts with Alice's is another user.
    lake.put("raw/export/user=alice2/digest/file.json", b"theirs")

    purged = purge_user_objects(lake, "alice") + lake.purge(
        "state/users/alice.json", lambda key: key == "state/users/alice.json"
    )

    assert purged == len(alices) + MANY
    left = _versions(s3)
    assert sorted(left) == sorted([*bobs, "raw/export/user=alice2/digest/file.json"])


def test_purge_spares_the_sign_in_state_until_last(s3: Any) -> None:
    lake = S3Lake(BUCKET, s3)
    _fill(lake, "alice")

    purge_user_objects(lake, "alice")

    assert _versions(s3) == ["state/users/alice.json"]


def test_local_purge_removes_the_users_files_and_their_emptied_folders(tmp_path: Path) -> None:
    lake = LocalLake(tmp_path / "lake")
    _fill(lake, "alice")
    bobs = _fill(lake, "bob")

    purge_user_objects(lake, "alice")

    assert {path.relative_to(lake.root).as_posix() for path in lake.root.rglob("*alice*")} == {
        "state/users/alice.json"
    }
    assert {key for prefix in PREFIXES for key in lake.keys(prefix)} == {
        *bobs,
        "state/users/alice.json",
    }
