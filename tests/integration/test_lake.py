from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from etl.core.keys import RawKey, safe_name
from etl.core.lake import Conflict, Lake, LocalLake, S3Lake


@pytest.fixture(params=["local", "s3"])
def lake(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Lake]:
    if request.param == "local":
        yield LocalLake(tmp_path / "lake")
        return
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="lake")
        # Versioned, as the deployed bucket is.
        client.put_bucket_versioning(Bucket="lake", VersioningConfiguration={"Status": "Enabled"})
        yield S3Lake("lake", client)


def test_raw_objects_are_written_once(lake: Lake) -> None:
    key = "raw/export/user=me/abc/Streaming_History_Audio_2024_0.json"
    assert lake.put_new(key, b"first")
    assert not lake.put_new(key, b"second")
    assert lake.get(key) == b"first"
    assert lake.exists(key)
    assert not lake.exists("raw/export/user=me/abc/other.json")


def test_derived_objects_can_be_replaced_and_listed(lake: Lake) -> None:
    lake.put("curated/plays/export/user=me/a.csv", b"1")
    lake.put("curated/plays/export/user=me/a.csv", b"2")
    lake.put("curated/plays/export/user=you/b.csv", b"3")
    assert lake.get("curated/plays/export/user=me/a.csv") == b"2"
    assert list(lake.keys("curated/plays/export/user=me/")) == [
        "curated/plays/export/user=me/a.csv"
    ]
    assert len(list(lake.keys("curated/"))) == 2
    assert list(lake.keys("quarantine/")) == []


def test_a_conditional_write_lands_only_on_the_version_it_read(lake: Lake) -> None:
    key = "state/users/alice.json"
    assert lake.get_versioned(key) is None
    lake.put_if(key, b"first", None)  # the key was free
    with pytest.raises(Conflict):
        lake.put_if(key, b"again first", None)
    read = lake.get_versioned(key)
    assert read is not None
    assert read[0] == b"first"
    lake.put_if(key, b"second", read[1])
    with pytest.raises(Conflict):
        lake.put_if(key, b"from a stale read", read[1])
    second = lake.get_versioned(key)
    assert second is not None
    assert second[0] == b"second"
    lake.purge(key, lambda listed: listed == key)
    with pytest.raises(Conflict):
        lake.put_if(key, b"after it was deleted", second[1])
    assert not lake.exists(key)
    assert list(lake.keys("state/")) == []  # the local lock leaves no file behind


@pytest.mark.parametrize("key", ["elsewhere/x", "raw/../etc/passwd", "raw/export/", "/raw/x"])
def test_keys_outside_the_layout_are_refused(lake: Lake, key: str) -> None:
    with pytest.raises(ValueError, match="Invalid lake key"):
        lake.put(key, b"x")


def test_raw_key_names_its_derived_objects() -> None:
    raw = RawKey.parse("raw/export/user=me/0f3a/Streaming_History_Audio_2024_0.json")
    assert (raw.source, raw.user_id) == ("export", "me")
    assert (
        raw.curated_key
        == "curated/plays/export/user=me/0f3a/Streaming_History_Audio_2024_0.json.csv"
    )
    assert raw.quarantine_report_key.startswith("quarantine/export/user=me/")
    # as an S3 event notification may spell it
    encoded = RawKey.parse("raw/export/user%3Dme/0f3a/Streaming_History_Audio_2024_0.json")
    assert encoded == raw
    with pytest.raises(ValueError, match="Not a raw lake key"):
        RawKey.parse("curated/plays/x.csv")


def test_file_names_in_keys_need_no_url_encoding() -> None:
    assert safe_name("Streaming_History_Audio_2024-2025_0.json") == (
        "Streaming_History_Audio_2024-2025_0.json"
    )
    assert safe_name("Streaming History (1)+é.json") == "Streaming_History_1_.json"


def test_an_object_downloads_to_a_file(lake: Lake, tmp_path: Path) -> None:
    key = "uploads/user=me/0b0e8a4e-5d2c-4c52-9a51-7f0f6b1c2d3e/my_spotify_data.zip"
    lake.put(key, b"the export")
    (tmp_path / "work").mkdir()
    path = tmp_path / "work" / "my_spotify_data.zip"
    lake.download(key, path)
    assert path.read_bytes() == b"the export"


def test_a_local_writer_gives_a_key_its_content_whole_or_not_at_all(tmp_path: Path) -> None:
    lake = LocalLake(tmp_path / "lake")
    key = "uploads/user=me/0b0e8a4e-5d2c-4c52-9a51-7f0f6b1c2d3e/my_spotify_data.zip"
    with lake.writer(key) as file:
        file.write(b"the export")

    def cut_off() -> None:
        with lake.writer(key) as file:
            file.write(b"half of another")
            raise ConnectionResetError  # the browser went away mid-upload

    with pytest.raises(ConnectionResetError):
        cut_off()
    assert lake.get(key) == b"the export"
    assert [p.name for p in (tmp_path / "lake").rglob("*") if p.is_file()] == [
        "my_spotify_data.zip"
    ]
    lake.delete(key)
    assert not lake.exists(key)
    lake.delete(key)  # gone already: nothing to do


def _s3_answering(*codes: str | None) -> tuple[S3Lake, Stubber]:
    """An S3 lake whose PutObject calls answer the error `codes` in turn (None: success)."""
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    stubber = Stubber(client)
    for code in codes:
        if code is None:
            stubber.add_response("put_object", {"ETag": '"etag"'})
        else:
            status = 409 if code == "ConditionalRequestConflict" else 412
            stubber.add_client_error("put_object", code, http_status_code=status)
    stubber.activate()
    return S3Lake("lake", client), stubber


RAW_KEY = "raw/export/user=me/abc/Streaming_History_Audio_2024_0.json"


@pytest.mark.parametrize(
    ("answers", "written"),
    [
        # Another conditional write was in flight (409): ask again once it is over.
        (("ConditionalRequestConflict", None), True),
        (("ConditionalRequestConflict", "PreconditionFailed"), False),
        (("PreconditionFailed",), False),  # the key exists
    ],
)
def test_a_new_object_waits_out_a_write_in_flight(
    answers: tuple[str | None, ...], written: bool
) -> None:
    lake, stubber = _s3_answering(*answers)
    assert lake.put_new(RAW_KEY, b"body") is written
    stubber.assert_no_pending_responses()


def test_a_new_object_raced_on_every_try_is_an_error_not_a_false_exists() -> None:
    lake, _ = _s3_answering(*["ConditionalRequestConflict"] * 5)
    with pytest.raises(Conflict, match="in flight"):
        lake.put_new(RAW_KEY, b"body")
