"""Deleting a user's lake objects for good, on a versioned bucket (moto) and a directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from etl.core.keys import PREFIXES
from etl.core.lake import Lake, LocalLake, S3Lake
from etl.pipeline.erasure import purge_user_objects
from tests.integration.test_imports import BUCKET, s3  # noqa: F401  (a fixture)

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
def versioned(s3: Any) -> Any:  # noqa: F811
    """The lake bucket as the stack makes it: versioned."""
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    return s3


def _versions(client: Any) -> list[str]:
    """Every version and delete marker's key in the bucket."""
    keys = []
    for page in client.get_paginator("list_object_versions").paginate(Bucket=BUCKET):
        keys += [item["Key"] for item in page.get("Versions", [])]
        keys += [item["Key"] for item in page.get("DeleteMarkers", [])]
    return keys


def test_purge_deletes_every_version_of_a_users_objects_and_nothing_else(
    versioned: Any,
) -> None:
    lake = S3Lake(BUCKET, versioned)
    alices, bobs = _fill(lake, "alice"), _fill(lake, "bob")
    lake.put("state/users/alice.json", b"second")  # an older version to delete too
    versioned.delete_object(Bucket=BUCKET, Key="exports/user=alice/an-export/plays.csv")  # a marker
    many = {f"curated/records/api/user=alice/page-{n:04}.json" for n in range(MANY)}
    for key in many:
        lake.put(key, b"{}")
    # A user whose id starts with Alice's is another user.
    lake.put("raw/export/user=alice2/digest/file.json", b"theirs")

    purged = purge_user_objects(lake, "alice") + lake.purge(
        "state/users/alice.json", lambda key: key == "state/users/alice.json"
    )

    assert purged == len(alices) + MANY
    left = _versions(versioned)
    assert sorted(left) == sorted([*bobs, "raw/export/user=alice2/digest/file.json"])


def test_purge_spares_the_sign_in_state_until_last(versioned: Any) -> None:
    lake = S3Lake(BUCKET, versioned)
    _fill(lake, "alice")

    purge_user_objects(lake, "alice")

    assert _versions(versioned) == ["state/users/alice.json"]


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
