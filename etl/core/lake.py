"""The data lake: one interface, an S3 bucket on AWS and a directory locally.

Both share one key layout:

    raw/<source>/user=<user_id>/<object path>     verbatim inputs, written once
    curated/...                                   rows derived from raw/, ready for COPY
    enrichment/...                                feature requests, answers and catalogs
    quarantine/...                                inputs that could not be parsed + reports
    state/...                                     small mutable documents: cursors, cool-downs

Raw keys are immutable: `put_new` writes an object only when its key is free, so a
retried or duplicated delivery never overwrites what is already there.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote_plus

from etl.core.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PREFIXES = ("raw/", "curated/", "enrichment/", "quarantine/", "state/")
_USER_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
_RAW_KEY = re.compile(r"^raw/(?P<source>[a-z]+)/user=(?P<user_id>[A-Za-z0-9._-]+)/(?P<path>.+)$")


class Lake(Protocol):
    def put_new(self, key: str, body: bytes) -> bool:
        """Write `body` under `key` unless the key exists; return whether it was written."""

    def put(self, key: str, body: bytes) -> None:
        """Write or replace a derived object (never used for raw/)."""

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def keys(self, prefix: str) -> Iterator[str]: ...


@dataclass(frozen=True)
class RawKey:
    """A parsed `raw/` key and the keys of everything derived from it."""

    source: str
    user_id: str
    path: str

    @classmethod
    def parse(cls, key: str) -> RawKey:
        # S3 event notifications may URL-encode keys (`user=` as `user%3D`). Raw keys are
        # built from URL-safe characters only (see `safe_name`), so decoding is lossless.
        match = _RAW_KEY.match(unquote_plus(key))
        if match is None:
            raise ValueError(f"Not a raw lake key (raw/<source>/user=<id>/<path>): {key!r}")
        return cls(match["source"], match["user_id"], match["path"])

    @property
    def key(self) -> str:
        return f"raw/{self.source}/user={self.user_id}/{self.path}"

    def derived(self, prefix: str, suffix: str) -> str:
        return f"{prefix}{self.source}/user={self.user_id}/{self.path}{suffix}"

    @property
    def curated_key(self) -> str:
        return self.derived("curated/plays/", ".csv")

    @property
    def facts_key(self) -> str:
        return self.derived("curated/facts/", ".json")

    @property
    def records_key(self) -> str:
        """What became of each of the object's records, as the load step counted them."""
        return self.derived("curated/records/", ".json")

    @property
    def pending_enrichment_key(self) -> str:
        return self.derived("enrichment/pending/", ".json")

    @property
    def enrichment_key(self) -> str:
        return self.derived("enrichment/results/", ".json")

    @property
    def quarantine_report_key(self) -> str:
        return self.derived("quarantine/", ".report.json")


def safe_name(name: str) -> str:
    """A file name reduced to characters that need no URL encoding in a key."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "unnamed"


def validate_user_id(user_id: str) -> str:
    if not _USER_ID.match(user_id):
        raise ValueError(f"User id must be 1-128 letters, digits, '.', '_' or '-': {user_id!r}")
    return user_id


def content_digest(body: bytes) -> str:
    """The digest of a raw object's content that its export key carries."""
    return hashlib.sha256(body).hexdigest()[:20]


def raw_export_key(user_id: str, file_name: str, body: bytes) -> str:
    return f"raw/export/user={user_id}/{content_digest(body)}/{safe_name(file_name)}"


def _check_key(key: str) -> str:
    if not key.startswith(PREFIXES) or ".." in key.split("/") or key.endswith("/"):
        raise ValueError(f"Invalid lake key: {key!r}")
    return key


class LocalLake:
    """A directory laid out like the bucket."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    def _write_temp(self, path: Path, body: bytes) -> str:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        return temp

    def put_new(self, key: str, body: bytes) -> bool:
        path = self._path(key)
        temp = self._write_temp(path, body)
        try:
            os.link(temp, path)  # atomic, and fails when the key exists
        except FileExistsError:
            return False
        finally:
            os.unlink(temp)
        return True

    def put(self, key: str, body: bytes) -> None:
        path = self._path(key)
        os.replace(self._write_temp(path, body), path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self, prefix: str) -> Iterator[str]:
        base = self.root / prefix
        start = base if base.is_dir() else base.parent
        if not start.is_dir():
            return
        for path in sorted(start.rglob("*")):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and key.startswith(prefix) and not path.name.startswith(".tmp-"):
                yield key


class S3Lake:
    """The lake bucket. Raw writes use S3's conditional put (`If-None-Match: *`)."""

    def __init__(self, bucket: str, client: S3Client | None = None) -> None:
        import boto3  # deferred so local mode never needs AWS configuration

        self.bucket = bucket
        self.client: S3Client = client or boto3.client("s3")

    def put_new(self, key: str, body: bytes) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.put_object(
                Bucket=self.bucket, Key=_check_key(key), Body=body, IfNoneMatch="*"
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"PreconditionFailed", "412"}:
                return False
            raise
        return True

    def put(self, key: str, body: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=_check_key(key), Body=body)

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=_check_key(key))["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=_check_key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True

    def keys(self, prefix: str) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"]


def lake_from_settings(settings: Settings) -> Lake:
    """The bucket when `MOODIFY_LAKE_BUCKET` is set, else the local directory."""
    if settings.lake_bucket:
        return S3Lake(settings.lake_bucket)
    return LocalLake(settings.lake_dir)
