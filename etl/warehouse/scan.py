"""The schema `scan`: every rollup as a view computed from the plays on each read.

Reading through `scan_database_url` runs the API's queries, unchanged, straight against
the plays that count (`counted_plays`): what the rollups must equal (the tests) and what
they save (the benchmarks). Nothing in the product reads it.
"""

from __future__ import annotations

from psycopg2.extensions import make_dsn

from etl.warehouse.connection import Connection
from etl.warehouse.load import read_sql

__all__ = ["create_scan_schema", "scan_database_url"]


def create_scan_schema(conn: Connection) -> None:
    """(Re)create the schema `scan` beside the warehouse's tables."""
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("scan_views"))


def scan_database_url(database_url: str) -> str:
    """The same database, with the `scan` views in place of the rollups' tables."""
    return make_dsn(database_url, options="-c search_path=scan,public")
