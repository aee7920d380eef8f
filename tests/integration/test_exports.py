"""Exports: the plays as CSV and Parquet read back equal the warehouse's plays column by
column (NULLs, time zones, unicode, episodes, excluded plays); ranges; the settings JSON;
refusals. The AWS path (a request, the export function, a link): test_exports_aws.py.

The user "me" lives in America/New_York, so a play at 03:30 UTC belongs to the local day
before.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from etl.core.settings import Settings
from etl.warehouse.export import PLAYS_COLUMNS
from tests.integration.api_calls import StartApp, refusals
from tests.integration.test_imports import s3 as s3  # the moto bucket, as a fixture
from tests.integration.warehouse import FRIEND, ME, Warehouse

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NAMES = [column.name for column in PLAYS_COLUMNS]
_TEXT = {column.name for column in PLAYS_COLUMNS if column.parquet == "string"}
ANDROID = "Android OS 9 API 28 (samsung, SM-G960F)"


def seed(warehouse: Warehouse) -> None:
    warehouse.user(ME, "America/New_York")
    warehouse.user(FRIEND, "UTC")
    warehouse.artist("a1", "Björk")
    warehouse.artist("a2", 'Earth, Wind & "Fire"')  # a comma and quotes in a CSV field
    warehouse.artist("name:sigur ros", "Sigur Rós")  # provisional: known by name only
    warehouse.album("al1", "Homogenic 🎵", None)
    warehouse.track("t1", "Jóga", "al1", ["a1", "name:sigur ros"])
    warehouse.track("t2", "Line\nbreak, and ; semicolon", None, ["a2"])  # no album
    warehouse.track("t3", "", None, [])  # an empty name, no artists
    warehouse.episode("e1", "Folge 1: Über Wälder", "Ökologie")
    warehouse.episode("c1", "Chapter One", "A Book", kind="chapter")
    warehouse.play(
        "2024-01-01T15:00:00.123456+00:00",
        200_000,
        track="t1",
        source="export",
        reason_end="trackdone",
        shuffle=True,
        offline=False,
        platform=ANDROID,
    )
    # 22:30 in New York on Jan 1: local day 2024-01-01, UTC day Jan 2.
    warehouse.play("2024-01-02T03:30:00+00:00", 10_000, track="t2", skipped=True, source="api")
    warehouse.play(
        "2024-01-02T15:00:00+00:00", 1_800_000, episode="e1", skipped=None, source="account"
    )
    warehouse.play("2024-01-03T15:00:00+00:00", 600_000, episode="c1", skipped=None)
    warehouse.play("2024-01-04T15:00:00+00:00", 90_000, track="t3", skipped=None)
    warehouse.play("2024-01-01T16:00:00+00:00", 99_000, track="t1", user_id=FRIEND)
    warehouse.execute(
        "UPDATE fact_plays SET reason_start = 'clickrow', incognito = true, conn_country = 'DE' "
        "WHERE track_id = 't1' AND user_id = %s",
        (ME,),
    )
    # Plays shorter than 30 s are left out of statistics: t2's play is excluded.
    warehouse.execute(
        "INSERT INTO exclusion_rules (user_id, kind, min_seconds, note, created_at, updated_at) "
        "VALUES (%s, 'shorter_than', 30, 'short plays', %s, %s)",
        (ME, NOW, NOW),
    )
    warehouse.conn.commit()


def stored_plays(warehouse: Warehouse, user_id: str = ME) -> list[dict[str, Any]]:
    """The user's rows of fact_plays, oldest first, with the names of what was played, as
    this test knows them (not as the export's query reads them)."""
    with warehouse.conn.cursor() as cur:
        cur.execute(
            "SELECT started_at, ended_at, track_id, episode_id, ms_played, source, "
            "reason_start, reason_end, skipped, shuffle, offline, incognito, platform, "
            "conn_country FROM fact_plays WHERE user_id = %s ORDER BY started_at",
            (user_id,),
        )
        names = [d.name for d in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    tracks = {
        "t1": ("track", "Jóga", ["Björk", "Sigur Rós"], ["a1", "name:sigur ros"], "al1",
               "Homogenic 🎵"),
        "t2": ("track", "Line\nbreak, and ; semicolon", ['Earth, Wind & "Fire"'], ["a2"],
               None, None),
        "t3": ("track", "", [], [], None, None),
    }  # fmt: skip
    episodes = {
        "e1": ("episode", "Folge 1: Über Wälder", "Ökologie"),
        "c1": ("chapter", "Chapter One", "A Book"),
    }
    new_york = ZoneInfo("America/New_York")
    expected = []
    for row in rows:
        kind = track_name = album_id = album_name = episode_name = show_name = None
        artist_names: list[str] = []
        artist_ids: list[str] = []
        if row["track_id"]:
            kind, track_name, artist_names, artist_ids, album_id, album_name = tracks[
                row["track_id"]
            ]
        else:
            kind, episode_name, show_name = episodes[row["episode_id"]]
        android = row["platform"] == ANDROID
        expected.append(
            {
                **row,
                "started_at": row["started_at"].astimezone(UTC),
                "ended_at": row["ended_at"].astimezone(UTC),
                "local_day": row["started_at"].astimezone(new_york).date(),
                "kind": kind,
                "track_name": track_name,
                "artist_names": artist_names,
                "artist_ids": artist_ids,
                "album_id": album_id,
                "album_name": album_name,
                "episode_name": episode_name,
                "show_name": show_name,
                "platform_family": "Android" if android else "Unknown",
                "device": "samsung SM-G960F" if android else "Unknown",
                "excluded": row["ms_played"] < 30_000,
            }
        )
    return [{name: play[name] for name in NAMES} for play in expected]


def read_csv(body: bytes) -> list[dict[str, Any]]:
    """The CSV's rows with their values typed as the README documents them."""
    reader = csv.DictReader(io.StringIO(body.decode("utf-8"), newline=""))
    assert reader.fieldnames == NAMES
    types = {column.name: column.parquet for column in PLAYS_COLUMNS}
    rows = []
    for record in reader:
        row: dict[str, Any] = {}
        for name, text in record.items():
            kind = types[name]
            if kind.startswith("list"):
                row[name] = json.loads(text)
            elif text == "" and kind != "string":
                row[name] = None
            elif kind.startswith("timestamp"):
                assert text.endswith("Z"), text
                row[name] = datetime.fromisoformat(text)
            elif kind == "date32":
                row[name] = date.fromisoformat(text)
            elif kind == "int32":
                row[name] = int(text)
            elif kind == "bool":
                row[name] = {"true": True, "false": False}[text]
            else:
                row[name] = text
        rows.append(row)
    return rows


@pytest.fixture
def client(warehouse: Warehouse, start_app: StartApp) -> TestClient:
    seed(warehouse)
    return start_app(NOW)


def test_the_csv_holds_every_stored_play_column_by_column(
    client: TestClient, warehouse: Warehouse
) -> None:
    response = client.get("/api/v1/exports/plays.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="moodify_me_plays_all_2026-11-20.csv"'
    )
    rows = read_csv(response.content)
    # Text fields: the CSV cannot tell NULL from "" once parsed; the raw lines can.
    expected = stored_plays(warehouse)
    assert len(rows) == len(expected) == 5
    for got, want in zip(rows, expected, strict=True):
        for name in NAMES:
            want_value = "" if want[name] is None and name in _TEXT else want[name]
            assert got[name] == want_value, (name, got, want)
    assert [row["excluded"] for row in rows] == [False, True, False, False, False]
    line = response.content.decode().splitlines()[-1]  # t3: an empty name, and NULLs
    assert line.startswith("2024-01-04T15:00:00.000000Z,2024-01-04T15:01:30.000000Z,2024-01-04,")
    assert ',track,t3,"",[],[],,,,,,90000,api,,,,,,,,Unknown,Unknown,,false' in line


def test_the_parquet_holds_every_stored_play_column_by_column(
    client: TestClient, warehouse: Warehouse
) -> None:
    response = client.get("/api/v1/exports/plays.parquet")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(response.content))
    assert table.schema.names == NAMES
    assert str(table.schema.field("started_at").type) == "timestamp[us, tz=UTC]"
    assert table.schema.field("excluded").metadata == {
        b"description": b"Whether an exclusion rule leaves the play out of statistics"
    }
    assert table.to_pylist() == stored_plays(warehouse)  # NULLs stay None, "" stays ""


def test_a_range_of_local_days_exports_exactly_its_plays(
    client: TestClient, warehouse: Warehouse
) -> None:
    # Local Jan 1 ends at 05:00 UTC on Jan 2: the 03:30 UTC play belongs to it.
    for path in ("/api/v1/exports/plays.csv", "/api/v1/exports/plays.parquet"):
        response = client.get(path, params={"from": "2024-01-01", "to": "2024-01-02"})
        assert response.status_code == 200, response.text
        suffix = path.rsplit(".", 1)[1]
        assert (
            f'filename="moodify_me_plays_2024-01-01_to_2024-01-02.{suffix}"'
            in (response.headers["content-disposition"])
        )
        if suffix == "csv":
            rows = read_csv(response.content)
        else:
            rows = pq.read_table(io.BytesIO(response.content)).to_pylist()
        assert [row["local_day"] for row in rows] == [
            date(2024, 1, 1), date(2024, 1, 1), date(2024, 1, 2)
        ]  # fmt: skip
        assert [row["started_at"] for row in rows] == [
            play["started_at"]
            for play in stored_plays(warehouse)
            if date(2024, 1, 1) <= play["local_day"] <= date(2024, 1, 2)
        ]
    until = client.get("/api/v1/exports/plays.parquet", params={"to": "2024-01-01"})
    assert "moodify_me_plays_until_2024-01-01.parquet" in until.headers["content-disposition"]
    assert pq.read_table(io.BytesIO(until.content)).num_rows == 2
    empty = client.get("/api/v1/exports/plays.parquet", params={"from": "2030-01-01"})
    assert pq.read_table(io.BytesIO(empty.content)).num_rows == 0
    assert client.get("/api/v1/exports/plays.csv", params={"from": "2030-01-01"}).text == (
        ",".join(NAMES) + "\n"
    )


def test_bad_ranges_are_refused_with_422(client: TestClient) -> None:
    for path in ("/api/v1/exports/plays.csv", "/api/v1/exports/plays.parquet"):
        ((field, message),) = refusals(client, path, **{"from": "2024-01-05", "to": "2024-01-01"})
        assert (field, "is before" in message) == ("to", True)
        assert refusals(client, path, **{"from": "January"})[0][0] == "from"
        assert refusals(client, path, to="2024-13-01")[0][0] == "to"
    # A format the export does not write is no export of it.
    missing = client.get("/api/v1/exports/plays.xlsx")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No API endpoint at /api/v1/exports/plays.xlsx"}


def test_the_settings_json_holds_the_time_zone_and_every_rule_and_reads_back(
    client: TestClient, warehouse: Warehouse
) -> None:
    response = client.get("/api/v1/exports/settings.json")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == (
        'attachment; filename="moodify_me_settings_all_2026-11-20.json"'
    )
    document = response.json()
    assert document["version"] == 1
    assert document["user_id"] == ME
    assert document["time_zone"] == "America/New_York"
    assert datetime.fromisoformat(document["exported_at"]) == NOW
    (rule,) = document["exclusion_rules"]
    assert {k: v for k, v in rule.items() if v is not None} == {
        "rule_id": rule["rule_id"],
        "kind": "shorter_than",
        "min_seconds": 30,
        "note": "short plays",
        "created_at": "2026-11-20T12:00:00+00:00",
        "updated_at": "2026-11-20T12:00:00+00:00",
    }
    # Round trip: the rules read back into the table are the rules exported.
    warehouse.execute("DELETE FROM exclusion_rules", ())
    warehouse.execute(
        "INSERT INTO exclusion_rules OVERRIDING SYSTEM VALUE "
        "SELECT * FROM jsonb_populate_recordset(NULL::exclusion_rules, "
        "(SELECT jsonb_agg(r || jsonb_build_object('user_id', %s)) "
        " FROM jsonb_array_elements(%s::jsonb) AS r))",
        (ME, json.dumps(document["exclusion_rules"])),
    )
    warehouse.conn.commit()
    again = client.get("/api/v1/exports/settings.json").json()
    assert {**again, "exported_at": None} == {**document, "exported_at": None}


def test_a_user_exports_only_their_own_data(client: TestClient, warehouse: Warehouse) -> None:
    friend = Settings(**{**client.app.state.services.settings.model_dump(), "user_id": FRIEND})
    with TestClient(create_app(friend, clock=lambda: NOW)) as theirs:
        rows = read_csv(theirs.get("/api/v1/exports/plays.csv").content)
        settings = theirs.get("/api/v1/exports/settings.json").json()
    assert [(row["track_id"], row["ms_played"]) for row in rows] == [("t1", 99_000)]
    assert settings["exclusion_rules"] == []
    assert settings["time_zone"] == "UTC"
