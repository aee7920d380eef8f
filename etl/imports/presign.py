"""Starting an import from the browser: the upload's limits, and where to send the file
(a presigned POST to the lake bucket on AWS, a PUT to the API locally)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol

from etl.core.clock import Clock
from etl.core.keys import UploadKey
from etl.core.lake import Lake
from etl.imports.status import StatusDocument, pending_imports, save_status

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_GIB = 1024**3
MAX_UPLOAD_BYTES = 2 * _GIB  # Spotify's export of a long history is ~300 MB zipped
ACCEPTED_SUFFIXES = (".zip", ".json")
# The limits as people read them, for refusals and the API's descriptions.
MAX_UPLOAD_SIZE = f"{MAX_UPLOAD_BYTES // _GIB} GiB"
ACCEPTED_FILES = " or ".join(ACCEPTED_SUFFIXES)  # ".zip or .json"
UPLOAD_LINK_LIFETIME = timedelta(hours=1)
# Each pending import may hold an upload of up to MAX_UPLOAD_BYTES and a pipeline run; an
# export is one file, so a few at once is already a retry or two.
MAX_PENDING_IMPORTS = 3


class UploadRefused(ValueError):
    """The requested upload breaks a rule; `field` names the request field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class TooManyImports(Exception):
    """The user already has MAX_PENDING_IMPORTS imports that are neither done nor failed."""


class UploadLinkExpired(Exception):
    """The import's upload link expired before its file arrived."""


@dataclass(frozen=True)
class UploadTarget:
    """How the browser sends the file: a form POST to S3, or (locally) a PUT to the API."""

    method: Literal["POST", "PUT"]
    url: str
    fields: dict[str, str] = field(default_factory=dict)


class Presigner(Protocol):
    def target(self, upload: UploadKey, size_bytes: int, lifetime: timedelta) -> UploadTarget:
        """Where and how to send the file of `upload`, valid for `lifetime`."""


class S3PresignedPost:
    """A presigned POST for exactly one key and at most the declared size.

    Signing is local (no request to AWS), so the API function does it inside the VPC; the
    upload then acts with the function's own permission to put objects under uploads/.
    """

    def __init__(
        self, bucket: str, client: S3Client | None = None, *, region: str | None = None
    ) -> None:
        self.bucket = bucket
        self._client = client
        self._region = region

    @classmethod
    def for_bucket(cls, bucket: str, region: str) -> S3PresignedPost:
        return cls(bucket, region=region)

    @property
    def client(self) -> S3Client:
        """Made on first use: most of the API's cold starts never hand out an upload link."""
        if self._client is None:
            import boto3  # deferred so local mode never needs AWS configuration
            from botocore.config import Config

            # SigV4 and the regional virtual-hosted endpoint: the legacy global endpoint
            # answers a browser's POST to a bucket outside us-east-1 with a redirect, which
            # a cross-origin upload cannot follow.
            config = Config(signature_version="s3v4", s3={"addressing_style": "virtual"})
            self._client = boto3.client("s3", region_name=self._region, config=config)
        return self._client

    def target(self, upload: UploadKey, size_bytes: int, lifetime: timedelta) -> UploadTarget:
        post = self.client.generate_presigned_post(
            Bucket=self.bucket,
            Key=upload.key,  # boto3 adds the exact-key condition for a key without ${filename}
            # Bounded by the declared size (itself at most MAX_UPLOAD_BYTES), so a link
            # cannot carry more than the request said.
            Conditions=[["content-length-range", 1, size_bytes]],
            ExpiresIn=int(lifetime.total_seconds()),
        )
        return UploadTarget("POST", post["url"], dict(post["fields"]))


class LocalPut:
    """Locally there is no bucket: the browser PUTs the file to the API at `url(import_id)`."""

    def __init__(self, url: Callable[[str], str]) -> None:
        self.url = url

    def target(self, upload: UploadKey, size_bytes: int, lifetime: timedelta) -> UploadTarget:
        return UploadTarget("PUT", self.url(upload.import_id))


@dataclass(frozen=True)
class NewUpload:
    import_id: str
    upload_key: str
    target: UploadTarget
    expires_at: datetime


def check_upload(file_name: str, size_bytes: int) -> None:
    """Refuse what cannot be an export before handing out a link."""
    if not file_name.lower().endswith(ACCEPTED_SUFFIXES):
        kinds = " nor ".join(f"a {suffix}" for suffix in ACCEPTED_SUFFIXES)
        raise UploadRefused(
            "file_name",
            f"{file_name!r} is neither {kinds} file: upload my_spotify_data.zip as "
            "Spotify sent it, or one of its Streaming_History_Audio_*.json files",
        )
    if size_bytes <= 0:
        raise UploadRefused("size_bytes", f"{file_name!r} is empty")
    if size_bytes > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            "size_bytes",
            f"{file_name!r} is {size_bytes / _GIB:.1f} GiB; uploads are limited to "
            f"{MAX_UPLOAD_SIZE} (a whole export is usually a few hundred MB)",
        )


def create_upload(
    lake: Lake,
    presigner: Presigner,
    user_id: str,
    file_name: str,
    size_bytes: int,
    *,
    clock: Clock,
) -> NewUpload:
    """A new import waiting for its file: where to send it, and its status document."""
    check_upload(file_name, size_bytes)
    if pending_imports(lake, user_id, clock) >= MAX_PENDING_IMPORTS:
        raise TooManyImports(
            f"{MAX_PENDING_IMPORTS} of your imports are still running or waiting for their "
            "file; start another once one of them is done, or its upload link has expired"
        )
    upload = UploadKey.new(user_id, file_name)
    now = clock()
    target = presigner.target(upload, size_bytes, UPLOAD_LINK_LIFETIME)
    expires_at = now + UPLOAD_LINK_LIFETIME
    waiting = StatusDocument(
        import_id=upload.import_id,
        user_id=upload.user_id,
        file_name=file_name,
        upload_key=upload.key,
        status="waiting_for_upload",
        size_bytes=size_bytes,
        upload_expires_at=expires_at,
        updated_at=now,
    )
    save_status(lake, waiting)
    return NewUpload(upload.import_id, upload.key, target, expires_at)
