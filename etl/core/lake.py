"""The data lake: one interface, an S3 bucket on AWS and a directory locally.

Both share one key layout, `etl.core.keys`: raw/ for verbatim inputs, curated/ for rows
derived from them, enrichment/, quarantine/, state/ for small mutable documents, and
uploads/ for a browser's upload until it is unpacked.

Raw keys are immutable: `put_new` writes an object only when its key is free, so a
retried or duplicated delivery never overwrites what is already there. The state's
documents change by read, change and `put_if`: a write that another landed between fails
with `Conflict` instead of undoing it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from etl.core.keys import check_key
from etl.core.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import ObjectIdentifierTypeDef

_DELETE_BATCH = 1000  # the most keys one DeleteObjects request takes
# What S3 answers a conditional write whose condition no longer holds: another write won
# (412), another conditional write was in flight (409), the object went (If-Match, 404).
_CONFLICTS = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409", "NoSuchKey"}
_IN_FLIGHT = {"ConditionalRequestConflict", "409"}
# How often `put_new` asks again while other conditional writes of the key are in flight.
_PUT_NEW_ATTEMPTS = 5


class Conflict(Exception):
    """The object is no longer the version a conditional write was made against; or, when
    `in_flight`, another conditional write of it was under way, with an outcome unknown."""

    def __init__(self, message: str, *, in_flight: bool = False) -> None:
        super().__init__(message)
        self.in_flight = in_flight


class Lake(Protocol):
    def put_new(self, key: str, body: bytes) -> bool:
        """Write `body` under `key` unless the key exists; return whether it was written."""

    def put(self, key: str, body: bytes) -> None:
        """Write or replace a derived object (never used for raw/)."""

    def get(self, key: str) -> bytes: ...

    def get_versioned(self, key: str) -> tuple[bytes, str] | None:
        """The object and its version, for `put_if`; None when the key is free."""

    def put_if(self, key: str, body: bytes, version: str | None) -> None:
        """Write `body` under `key` if the object is still `version` (None: if the key is
        still free); else raise `Conflict`."""

    def download(self, key: str, path: Path) -> None:
        """Copy the object to the file `path`, streamed: an upload may be larger than memory."""

    def exists(self, key: str) -> bool: ...

    def keys(self, prefix: str) -> Iterator[str]: ...

    def purge(self, prefix: str, matches: Callable[[str], bool]) -> int:
        """Remove for good every object under `prefix` whose key `matches` accepts (on S3,
        every version of it); return how many keys went. Erasure only: raw/ is otherwise
        never deleted."""


class LocalLake:
    """A directory laid out like the bucket."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    @contextmanager
    def _temp_beside(self, path: Path) -> Iterator[tuple[BinaryIO, str]]:
        """A temporary file in `path`'s folder (so that it can take `path`'s place
        atomically), open for writing; gone after the block unless it was moved."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle, temp
        finally:
            Path(temp).unlink(missing_ok=True)

    def put_new(self, key: str, body: bytes) -> bool:
        path = self._path(key)
        with self._temp_beside(path) as (handle, temp):
            handle.write(body)
            handle.flush()
            try:
                os.link(temp, path)  # atomic, and fails when the key exists
            except FileExistsError:
                return False
        return True

    def put(self, key: str, body: bytes) -> None:
        with self.writer(key) as handle:
            handle.write(body)

    @contextmanager
    def writer(self, key: str) -> Iterator[BinaryIO]:
        """A file whose content becomes `key`'s, whole, when the block ends; if the block
        raises, the key keeps what it had. (The local API receives uploads through it.)"""
        path = self._path(key)
        with self._temp_beside(path) as (handle, temp):
            yield handle
            handle.close()
            os.replace(temp, path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def get_versioned(self, key: str) -> tuple[bytes, str] | None:
        try:
            body = self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        return body, _digest(body)

    def put_if(self, key: str, body: bytes, version: str | None) -> None:
        path = self._path(key)
        # Every conditional write of this lake holds a lock on its folder (a directory can
        # be locked, and this leaves no lock file behind), from checking the version until
        # the new content is in place.
        self.root.mkdir(parents=True, exist_ok=True)
        root = os.open(self.root, os.O_RDONLY)
        try:
            fcntl.flock(root, fcntl.LOCK_EX)
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                current = None
            if (None if current is None else _digest(current)) != version:
                raise Conflict(f"{key} changed since it was read")
            self.put(key, body)
        finally:
            os.close(root)  # closing releases the lock

    def download(self, key: str, path: Path) -> None:
        source = self._path(key)
        try:
            os.link(source, path)  # no copy where both are on one file system
        except OSError:
            shutil.copyfile(source, path)

    def delete(self, key: str) -> None:
        """Remove an object, if it is there (locally, an upload once it is imported)."""
        self._path(key).unlink(missing_ok=True)

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

    def purge(self, prefix: str, matches: Callable[[str], bool]) -> int:
        purged = [key for key in self.keys(prefix) if matches(key)]
        for key in purged:
            path = self._path(key)
            path.unlink(missing_ok=True)
            # The folders it leaves empty go too: a user's folder names them.
            for folder in path.parents:
                if folder == self.root or any(folder.iterdir()):
                    break
                folder.rmdir()
        return len(purged)


class S3Lake:
    """The lake bucket. Raw writes and the state's changes use S3's conditional puts."""

    def __init__(self, bucket: str, client: S3Client | None = None) -> None:
        self.bucket = bucket
        self._client = client

    @property
    def client(self) -> S3Client:
        """Made on first use: most of the API's requests never touch the lake, and boto3
        with an S3 client costs a cold start a few hundred milliseconds."""
        if self._client is None:
            import boto3  # deferred so local mode never needs AWS configuration

            self._client = boto3.client("s3")
        return self._client

    def put_new(self, key: str, body: bytes) -> bool:
        for _ in range(_PUT_NEW_ATTEMPTS):
            try:
                self.put_if(key, body, None)
            except Conflict as conflict:
                if conflict.in_flight:  # that write may yet fail: whether the key exists is
                    continue  # only known once it is over
                return False
            return True
        raise Conflict(f"{key}: other writes were in flight on each of {_PUT_NEW_ATTEMPTS} tries")

    def put(self, key: str, body: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=check_key(key), Body=body)

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=check_key(key))["Body"].read()

    def get_versioned(self, key: str) -> tuple[bytes, str] | None:
        from botocore.exceptions import ClientError

        if not self.exists(key):  # a GET of a missing key, like a HEAD, may answer 403
            return None
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "NoSuchKey":
                return None  # gone since it was listed
            raise
        return answer["Body"].read(), answer["ETag"]

    def put_if(self, key: str, body: bytes, version: str | None) -> None:
        from botocore.exceptions import ClientError

        # S3's conditional writes: If-Match on the ETag read, If-None-Match for a new key.
        try:
            if version is None:
                self.client.put_object(
                    Bucket=self.bucket, Key=check_key(key), Body=body, IfNoneMatch="*"
                )
            else:
                self.client.put_object(
                    Bucket=self.bucket, Key=check_key(key), Body=body, IfMatch=version
                )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code in _CONFLICTS:
                in_flight = code in _IN_FLIGHT
                raise Conflict(f"{key} changed since it was read", in_flight=in_flight) from error
            raise

    def download(self, key: str, path: Path) -> None:
        # In parts, straight to the file: never the whole object in memory.
        self.client.download_file(self.bucket, check_key(key), str(path))

    def exists(self, key: str) -> bool:
        # A listing, not HEAD: the functions may list only under their prefixes
        # (s3:prefix conditions), and S3 answers HEAD of a missing key 403 to a role
        # without an unconditioned s3:ListBucket.
        listed = self.client.list_objects_v2(Bucket=self.bucket, Prefix=check_key(key), MaxKeys=1)
        return any(item["Key"] == key for item in listed.get("Contents", []))

    def keys(self, prefix: str) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"]

    def purge(self, prefix: str, matches: Callable[[str], bool]) -> int:
        # The bucket keeps versions: a plain delete would leave the objects behind as old
        # versions for a month. Each version and delete marker goes by its id instead, as
        # many per request as S3 takes, once all are listed (deleting between pages would
        # move the listing's place).
        paginator = self.client.get_paginator("list_object_versions")
        doomed: list[ObjectIdentifierTypeDef] = [
            {"Key": item["Key"], "VersionId": item["VersionId"]}
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix)
            for item in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
            if "Key" in item and "VersionId" in item and matches(item["Key"])
        ]
        for start in range(0, len(doomed), _DELETE_BATCH):
            answer = self.client.delete_objects(
                Bucket=self.bucket,
                Delete={"Objects": doomed[start : start + _DELETE_BATCH], "Quiet": True},
            )
            if answer.get("Errors"):
                raise RuntimeError(f"S3 kept objects it was asked to delete: {answer['Errors']}")
        return len({item["Key"] for item in doomed})


def _digest(body: bytes) -> str:
    """The local lake's version of an object: its content's hash."""
    return hashlib.sha256(body).hexdigest()


def lake_from_settings(settings: Settings) -> Lake:
    """The bucket when `MOODIFY_LAKE_BUCKET` is set, else the local directory."""
    if settings.lake_bucket:
        return S3Lake(settings.lake_bucket)
    return LocalLake(settings.lake_dir)
