"""A user's data back, in files: every stored play (or those of a range of local days) as
CSV or Parquet, and the exclusion rules and settings as JSON.

Both plays files have the columns of `PLAYS_COLUMNS`, in that order, and are written as the
rows stream out of the warehouse, so memory stays bounded whatever the history's size: the
CSV by the server itself (COPY TO STDOUT), the Parquet read from that CSV by pyarrow in
blocks, a row group per block. Excluded plays are exported too, flagged: the user's data
back is all of it. On AWS the export function (`etl.warehouse.export_jobs`) puts the file in
the lake under exports/, offered through a short-lived presigned link (`S3ExportLinks`);
locally it is the download itself.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from etl.core.keys import check_key, safe_name
from etl.core.settings import Settings
from etl.warehouse.connection import Connection, connect

if TYPE_CHECKING:
    import pyarrow as pa
    from mypy_boto3_s3 import S3Client

PlaysFormat = Literal["csv", "parquet"]
MEDIA_TYPES: dict[PlaysFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}
SETTINGS_VERSION = 1  # of the settings document's layout: raised when a field changes meaning
EXPORT_LINK_LIFETIME = timedelta(minutes=5)
# Bytes of CSV per Parquet row group (about 4,000 plays): large enough for Parquet's column
# compression, small enough that a block's rows are a few MB in memory.
BLOCK_BYTES = 1 * 2**20


@dataclass(frozen=True)
class Column:
    """A column of the plays export: its name, its Parquet type (a pyarrow type's name), and
    what it holds, as the README documents it."""

    name: str
    parquet: str
    meaning: str


PLAYS_COLUMNS = (
    Column("started_at", "timestamp[us, tz=UTC]", "When the play started (CSV: ISO 8601, UTC)"),
    Column("ended_at", "timestamp[us, tz=UTC]", "When it ended (CSV: ISO 8601, UTC)"),
    Column("local_day", "date32", "The day it started on in the user's time zone"),
    Column("kind", "string", "track, episode or chapter (of an audiobook)"),
    Column("track_id", "string", "Spotify track ID (`name:...` where only a name is known)"),
    Column("track_name", "string", "The track's name"),
    Column("artist_names", "list<string>", "The track's artists in credit order (CSV: JSON)"),
    Column("artist_ids", "list<string>", "Their IDs, in the same order (CSV: JSON)"),
    Column("album_id", "string", "The track's album ID"),
    Column("album_name", "string", "The album's name"),
    Column("episode_id", "string", "Spotify episode or chapter ID"),
    Column("episode_name", "string", "The episode's name"),
    Column("show_name", "string", "The show's name (the audiobook's, for a chapter)"),
    Column("ms_played", "int32", "Milliseconds played"),
    Column("source", "string", "api (Web API), account (Account data) or export (Extended)"),
    Column("reason_start", "string", "Why the play started, as Spotify says"),
    Column("reason_end", "string", "Why it ended, as Spotify says"),
    Column("skipped", "bool", "Whether it was skipped"),
    Column("shuffle", "bool", "Whether shuffle was on"),
    Column("offline", "bool", "Whether it was played offline"),
    Column("incognito", "bool", "Whether it was played in a private session"),
    Column("platform", "string", "The platform string as Spotify wrote it"),
    Column("platform_family", "string", "Its family: Android, iOS, Windows, Web player, ..."),
    Column("device", "string", "The device as the dashboard names it"),
    Column("conn_country", "string", "Country of the connection (ISO 3166-1 alpha-2)"),
    Column("excluded", "bool", "Whether an exclusion rule leaves the play out of statistics"),
)


def plays_params(
    user_id: str, time_zone: str, start: date | None, end: date | None
) -> dict[str, object]:
    """The export's bind parameters: the user's plays that started in the inclusive local
    days `start`..`end` of `time_zone` (None leaves that side open)."""
    return {"user_id": user_id, "tz": time_zone, "from": start, "to": end}


def write_plays_csv(conn: Connection, params: dict[str, object], out: IO[bytes]) -> None:
    """The plays as CSV with a header, UTF-8, written by the server as it reads them."""
    from psycopg2 import sql

    from etl.warehouse.load import read_sql

    # The typed query in the CSV's COPY: one definition of the rows for both formats.
    plays = read_sql("export_plays").rstrip().removesuffix(";")
    copy = sql.SQL(read_sql("export_plays_csv")).format(plays=sql.SQL(plays + "\n"))
    with conn.cursor() as cur:
        # COPY takes no server-side parameters; psycopg2 binds them client-side for every
        # statement anyway, which mogrify does here the same way.
        cur.copy_expert(cur.mogrify(copy, params).decode(), out)


def write_plays(
    conn: Connection, file_format: PlaysFormat, params: dict[str, object], out: IO[bytes]
) -> None:
    """The plays in `file_format`."""
    if file_format == "csv":
        write_plays_csv(conn, params, out)
    else:
        write_plays_parquet(conn, params, out)


@contextmanager
def snapshot(settings: Settings) -> Iterator[Connection]:
    """A read-only connection of its own, in one REPEATABLE READ transaction: the whole
    export reads one snapshot, and a long export holds none of the API's pooled ones."""
    with closing(connect(settings)) as conn:
        conn.set_session(readonly=True, isolation_level="REPEATABLE READ")
        yield conn


def plays_schema() -> pa.Schema:
    import pyarrow as pa

    types = {
        "timestamp[us, tz=UTC]": pa.timestamp("us", tz="UTC"),
        "date32": pa.date32(),
        "string": pa.string(),
        "list<string>": pa.list_(pa.string()),
        "int32": pa.int32(),
        "bool": pa.bool_(),
    }
    return pa.schema(
        [
            pa.field(column.name, types[column.parquet], metadata={"description": column.meaning})
            for column in PLAYS_COLUMNS
        ]
    )


def write_plays_parquet(conn: Connection, params: dict[str, object], out: IO[bytes]) -> int:
    """The plays as Parquet (zstd), read back from the CSV export in blocks: the server
    writes the rows as text once, pyarrow's parser types them (no Python object per value
    but the artists' lists), a row group per block. The CSV waits in an anonymous temporary
    file. Returns how many plays were written."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    schema = plays_schema()
    lists = {field.name for field in schema if pa.types.is_list(field.type)}
    convert = pcsv.ConvertOptions(
        # The lists arrive as JSON text; every other column in its own type.
        column_types={f.name: pa.string() if f.name in lists else f.type for f in schema},
        strings_can_be_null=True,  # an empty field is NULL ...
        quoted_strings_can_be_null=False,  # ... and "" the empty string, as COPY writes them
    )
    written = 0
    with tempfile.TemporaryFile() as text:
        write_plays_csv(conn, params, text)
        text.seek(0)
        reader = pcsv.open_csv(
            text,
            read_options=pcsv.ReadOptions(use_threads=False, block_size=BLOCK_BYTES),
            convert_options=convert,
        )
        with pq.ParquetWriter(out, schema, compression="zstd") as writer:
            for batch in reader:
                columns = [
                    pa.array([json.loads(v) for v in column.to_pylist()], type=field.type)
                    if field.name in lists
                    else column
                    for column, field in zip(batch.columns, schema, strict=True)
                ]
                writer.write_batch(pa.record_batch(columns, schema=schema))
                written += batch.num_rows
    return written


def settings_document(
    conn: Connection, user_id: str, default_time_zone: str, exported_at: datetime
) -> dict[str, Any]:
    """The user's time zone, settings and exclusion rules, as the settings export holds them
    (the tables' columns, so a later version can read them back)."""
    from etl.warehouse.load import read_sql

    with conn.cursor() as cur:
        params = {"user_id": user_id, "default_time_zone": default_time_zone}
        cur.execute(read_sql("export_settings"), params)
        time_zone, settings, rules = cur.fetchone() or (default_time_zone, {}, [])
    return {
        "version": SETTINGS_VERSION,
        "exported_at": exported_at.isoformat(),
        "user_id": user_id,
        "time_zone": time_zone,
        "settings": settings,
        "exclusion_rules": rules,
    }


def export_file_name(
    user_id: str, what: str, start: date | None, end: date | None, today: date, suffix: str
) -> str:
    """`moodify_<user>_<what>_<range>.<suffix>`: the range's days, `until_<to>` when it has
    no start, and `all_<today>` for all of it."""
    if start is None:
        span = f"all_{today}" if end is None else f"until_{end}"
    else:
        span = f"{start}_to_{end or today}"
    return f"moodify_{safe_name(user_id)}_{what}_{span}.{suffix}"


class S3ExportLinks:
    """Exported files in the lake bucket, each behind a presigned GET.

    The API function cannot answer more than 6 MB, so on AWS the export function puts the
    file in the lake and the browser fetches it from S3. Signing is local; the link acts
    with the API function's permission to read under exports/, for `EXPORT_LINK_LIFETIME`,
    and the bucket's lifecycle rule deletes the object a day later. The API's `client` is
    the one that signs the imports' upload links (SigV4, the regional endpoint: the browser
    follows both).
    """

    def __init__(self, bucket: str, client: S3Client) -> None:
        self.bucket = bucket
        self.client = client

    def upload(self, path: Path, key: str, media_type: str) -> None:
        """Upload the file at `path` to `key` (in parts where it is large)."""
        self.client.upload_file(
            str(path), self.bucket, check_key(key), ExtraArgs={"ContentType": media_type}
        )

    def link(self, key: str, file_name: str) -> str:
        """A link that downloads the object at `key` as `file_name`."""
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": check_key(key),
                "ResponseContentDisposition": f'attachment; filename="{file_name}"',
            },
            ExpiresIn=int(EXPORT_LINK_LIFETIME.total_seconds()),
        )
