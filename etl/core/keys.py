"""The lake's key layout: every key and prefix of the lake is built and parsed here.

    raw/<source>/user=<id>/<path>                  verbatim inputs, written once:
        export/user=<id>/<content digest>/<file name>       a file of a privacy export
        api/user=<id>/recently-played/<fetched at>_after-<cursor>.json
        api/user=<id>/profile/<fetched at>.json
    curated/{plays,facts,records}/<source>/user=<id>/<path>.{csv,json}   derived from raw/
    enrichment/{pending,results}/<source>/user=<id>/<path>.json         feature requests, answers
    enrichment/catalog/...                         the demo's feature catalog
    quarantine/<source>/user=<id>/<path>.report.json     a raw object set aside, and why
    quarantine/upload/user=<id>/<digest>/<file name>[.report.json]   a file set aside unstored
    state/{cooldowns,providers,users}/<name>.json  small mutable documents
    state/imports/user=<id>/<import id>.json       an import's status
    uploads/user=<id>/<import id>/<file name>      a browser's upload, until it is unpacked
    exports/user=<id>/<export id>/<file name>      a file exported for download (AWS), kept a day
    exports/user=<id>/<export id>/request.json     what the API asked the export function for
    exports/user=<id>/<export id>/status.json      the export's status (pending, ready, failed)
    tombstones/user=<id>/<erased at>_<digest>.json  a range of plays erased: never loaded again

A user id and a file name become key segments only through `validate_user_id` and
`safe_name`, which keep them to characters that need no URL encoding.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote_plus

RAW_PREFIX = "raw/"
ENRICHMENT_RESULTS_PREFIX = "enrichment/results/"
USERS_STATE_PREFIX = "state/users/"
TOMBSTONES_PREFIX = "tombstones/"
PREFIXES = (
    "raw/",
    "curated/",
    "enrichment/",
    "quarantine/",
    "state/",
    "uploads/",
    "exports/",
    TOMBSTONES_PREFIX,
)
SAMPLE_CATALOG_KEY = "enrichment/catalog/sample-audio-features.json"
REPORT_SUFFIX = ".report.json"  # a quarantined object's report sits beside it

_USER_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
_RAW_KEY = re.compile(r"^raw/(?P<source>[a-z]+)/user=(?P<user_id>[A-Za-z0-9._-]+)/(?P<path>.+)$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_UPLOAD_KEY = re.compile(
    r"^uploads/user=(?P<user_id>[A-Za-z0-9._-]{1,128})/(?P<import_id>[0-9a-f-]{36})"
    r"/(?P<name>[A-Za-z0-9._-]+)$"
)
_PAGE_PATH = re.compile(r"^recently-played/\d{8}T\d{12}Z_after-(?P<after>\d+|none)\.json$")
_PROFILE_FOLDER = "profile/"


def check_key(key: str) -> str:
    """`key`, if it is one of the layout's: under a known prefix, no `..`, not a folder."""
    if not key.startswith(PREFIXES) or ".." in key.split("/") or key.endswith("/"):
        raise ValueError(f"Invalid lake key: {key!r}")
    return key


def safe_name(name: str) -> str:
    """A file name reduced to characters that need no URL encoding in a key."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "unnamed"


def validate_user_id(user_id: str) -> str:
    if not _USER_ID.match(user_id):
        raise ValueError(f"User id must be 1-128 letters, digits, '.', '_' or '-': {user_id!r}")
    return user_id


def is_import_id(import_id: str) -> bool:
    """Whether `import_id` is one Moodify makes (a random UUID), fit for a key."""
    return _UUID.match(import_id) is not None


def content_digest(body: bytes) -> str:
    """The digest of a raw object's content that its export key carries."""
    return hashlib.sha256(body).hexdigest()[:20]


def user_prefix(key: str) -> str:
    """The folder of `key` that ends with its `user=<id>/` segment."""
    return key[: key.index("/", key.index("/user=") + 1) + 1]


# --- raw/ and what is derived from it ------------------------------------------------------


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

    @property
    def file_name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def named_digest(self) -> str | None:
        """The content digest an export key names (see `raw_export_key`); None for others."""
        return self.path.partition("/")[0] if self.source == "export" else None

    @property
    def is_profile(self) -> bool:
        """Whether the object is a profile that sign-in fetched (see `profile_key`)."""
        return self.source == "api" and self.path.startswith(_PROFILE_FOLDER)

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
        return self.derived(ENRICHMENT_RESULTS_PREFIX, ".json")

    @property
    def quarantine_report_key(self) -> str:
        return self.derived("quarantine/", REPORT_SUFFIX)


def raw_export_key(user_id: str, file_name: str, body: bytes) -> str:
    return f"raw/export/user={user_id}/{content_digest(body)}/{safe_name(file_name)}"


def recently_played_key(user_id: str, fetched_at: datetime, after_ms: int | None) -> str:
    """The raw key of a page: when it was fetched and the cursor it was fetched after."""
    stamp = fetched_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    after = "none" if after_ms is None else str(after_ms)
    return f"raw/api/user={user_id}/recently-played/{stamp}_after-{after}.json"


def page_cursor(path: str) -> tuple[bool, int | None]:
    """Whether a raw path names a recently-played page, and the cursor it was fetched after."""
    match = _PAGE_PATH.match(path)
    if match is None:
        return False, None
    after = match["after"]
    return True, None if after == "none" else int(after)


def profile_key(user_id: str, at: datetime) -> str:
    return f"raw/api/user={user_id}/{_PROFILE_FOLDER}{at.astimezone(UTC):%Y%m%dT%H%M%S%fZ}.json"


def quarantined_file_key(user_id: str, file_name: str, body: bytes) -> str:
    """Where a file set aside before it became a raw object is kept, with its report at
    this key + `REPORT_SUFFIX`; `body` is its content (or, for a file with none, its origin)."""
    return f"quarantine/upload/user={user_id}/{content_digest(body)}/{safe_name(file_name)}"


# --- uploads/ and the imports' status ------------------------------------------------------


@dataclass(frozen=True)
class UploadKey:
    """Where an import's upload lands in the lake; user and import are in the key."""

    user_id: str
    import_id: str
    name: str

    @classmethod
    def new(cls, user_id: str, file_name: str) -> UploadKey:
        return cls(validate_user_id(user_id), str(uuid.uuid4()), safe_name(file_name))

    @classmethod
    def parse(cls, key: str) -> UploadKey:
        # Decoded as `RawKey.parse` does: object events may URL-encode keys (`user%3D`).
        match = _UPLOAD_KEY.match(unquote_plus(key))
        if match is None or not is_import_id(match["import_id"]):
            raise ValueError(f"Not an upload key (uploads/user=<id>/<import id>/<name>): {key!r}")
        return cls(match["user_id"], match["import_id"], match["name"])

    @property
    def key(self) -> str:
        return f"uploads/user={self.user_id}/{self.import_id}/{self.name}"

    @property
    def status_key(self) -> str:
        return import_status_key(self.user_id, self.import_id)


def import_status_key(user_id: str, import_id: str) -> str:
    return f"state/imports/user={user_id}/{import_id}.json"


# --- state/ --------------------------------------------------------------------------------


def cool_down_key(service: str) -> str:
    return f"state/cooldowns/{service}.json"


def provider_switch_key(provider: str) -> str:
    return f"state/providers/{provider}.json"


def user_state_key(user_id: str) -> str:
    return f"{USERS_STATE_PREFIX}{user_id}.json"


def user_of_state_key(key: str) -> str | None:
    """The user whose state `key` holds; None for any other key under the users' prefix."""
    name = key.removeprefix(USERS_STATE_PREFIX)
    if name == key or "/" in name or not name.endswith(".json"):
        return None
    return name.removesuffix(".json")


# --- exports/ ------------------------------------------------------------------------------


def export_key(user_id: str, export_id: str, file_name: str) -> str:
    """Where a file exported for download is written on AWS, one folder per export."""
    return f"exports/user={validate_user_id(user_id)}/{export_id}/{safe_name(file_name)}"


EXPORT_REQUEST_NAME = "request.json"  # the object whose creation starts the export function
_EXPORT_REQUEST_KEY = re.compile(
    r"^exports/user=(?P<user_id>[A-Za-z0-9._-]{1,128})/(?P<export_id>[0-9a-f-]{36})/request\.json$"
)


def export_request_key(user_id: str, export_id: str) -> str:
    return export_key(user_id, export_id, EXPORT_REQUEST_NAME)


def export_status_key(user_id: str, export_id: str) -> str:
    return export_key(user_id, export_id, "status.json")


def parse_export_request_key(key: str) -> tuple[str, str]:
    """The user and export id an export request's key names (decoded as object events may
    URL-encode keys); ValueError for any other key."""
    match = _EXPORT_REQUEST_KEY.match(unquote_plus(key))
    if match is None or not is_import_id(match["export_id"]):
        raise ValueError(f"Not an export request key: {key!r}")
    return match["user_id"], match["export_id"]


# --- tombstones/ and what belongs to a user -------------------------------------------------


def tombstone_key(user_id: str, erased_at: datetime, body: bytes) -> str:
    """Where the record of an erased range of plays is kept; its content names the range."""
    stamp = erased_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return (
        f"{TOMBSTONES_PREFIX}user={validate_user_id(user_id)}/{stamp}_{content_digest(body)}.json"
    )


def belongs_to_user(key: str, user_id: str) -> bool:
    """Whether `key` is one of `user_id`'s objects: under a `user=<id>/` folder at any depth
    (every prefix's layout has one), or their sign-in state document."""
    return f"/user={user_id}/" in f"/{key}" or key == user_state_key(user_id)
