"""The `moodify` command against a real PostgreSQL, as a user runs it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from etl.pipeline.context import PipelineContext
from etl.warehouse.connection import Connection
from moodify import local
from moodify.cli import app, whose_message
from tests.integration.test_import_pipeline import HISTORY

runner = CliRunner()


_BOX_DRAWING = str.maketrans(dict.fromkeys("│╭╮╰╯─┃━┏┓┗┛", " "))


def said(output: str) -> str:
    """The output as words: the terminal's line wrapping and the borders of Rich's boxes
    undone, so that neither the terminal's width nor a long path can split a phrase."""
    return " ".join(output.translate(_BOX_DRAWING).split())


def test_migrate_is_a_no_op_on_a_migrated_warehouse(env: Path) -> None:
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    assert "up to date" in said(result.output)


def test_import_prints_what_it_imported(env: Path, tmp_path: Path) -> None:
    export = tmp_path / "Streaming_History_Audio_2024_0.json"
    export.write_text(json.dumps(HISTORY))
    result = runner.invoke(app, ["import", str(export)])
    assert result.exit_code == 0, result.output
    assert "4 new plays" in said(result.output)
    assert "0.5" in result.output  # listening hours: 1,890 s
    again = runner.invoke(app, ["import", str(export)])
    assert "0 new plays, 4 already stored" in said(again.output)


def test_import_of_nothing_readable_fails_with_the_reason(env: Path, tmp_path: Path) -> None:
    export = tmp_path / "Streaming_History_Audio_2024_0.json"
    export.write_text("[{")
    result = runner.invoke(app, ["import", str(export)])
    assert result.exit_code == 1
    assert "is not a listening-history file" in said(result.output)


@pytest.mark.parametrize("folder", ["short", "a-folder-name-long-enough-to-wrap-" * 4])
def test_import_of_a_missing_path_is_refused(env: Path, tmp_path: Path, folder: str) -> None:
    result = runner.invoke(app, ["import", str(tmp_path / folder / "nope.zip")])
    assert result.exit_code == 2
    assert "does not exist" in said(result.output)


GENERATED_AT = datetime(2031, 5, 17, 16, 20, tzinfo=UTC)  # any moment: the demo ends there


def test_demo_generates_once_then_reuses_and_is_what_the_dashboard_shows(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = local.demo_settings(local.local_settings())
    first = local.prepare_demo(settings, lambda: GENERATED_AT)
    assert first.generated
    assert first.report is not None
    assert first.report.plays_inserted >= 30_000
    assert first.totals.artists >= 300
    assert first.totals.last_played_at is not None
    # The history ends the day it is generated, so "the last 4 weeks" is never empty.
    assert timedelta(0) < GENERATED_AT - first.totals.last_played_at < timedelta(days=1)
    # Genres and covers from the fake MusicBrainz and Cover Art Archive, without internet.
    with PipelineContext.from_settings(settings).database() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(DISTINCT artist_id) FROM artist_genres), (SELECT count(*) "
            "FROM dim_albums WHERE image_provider = 'coverartarchive'), count(*) FROM dim_artists"
        )
        with_genres, covers, artists = cur.fetchall()[0]
    assert artists / 2 < with_genres < artists
    assert covers > 0
    second = local.prepare_demo(settings, lambda: GENERATED_AT + timedelta(days=40))
    assert not second.generated
    assert second.totals == first.totals

    # `moodify serve` then shows the demo, and says so; `time-zone` acts on it.
    whose = local.whose_data(local.local_settings())
    assert (whose.user_id, whose.generated, whose.chosen) == (
        "demo",
        True,
        "the only history here",
    )
    told = said(whose_message(local.local_settings(), whose))
    assert "Showing the demo's generated history of user 'demo' (the only history here)" in told
    assert "Your own export goes to user 'me'" in told
    result = runner.invoke(app, ["time-zone", "Asia/Tokyo"])
    assert result.exit_code == 0, result.output
    assert "The days of the demo's generated history of user 'demo' are now cut in Asia/Tokyo" in (
        said(result.output)
    )
    with PipelineContext.from_settings(local.local_settings()).database() as conn:
        assert warehouse_time_zones(conn) == {"demo": "Asia/Tokyo"}

    # Your own export goes to the configured user, who is shown from then on.
    export = tmp_path / "Streaming_History_Audio_2024_0.json"
    export.write_text(json.dumps(HISTORY))
    assert runner.invoke(app, ["import", str(export)]).exit_code == 0
    whose = local.whose_data(local.local_settings())
    assert (whose.user_id, whose.generated, whose.histories) == ("me", False, ("demo", "me"))
    monkeypatch.setenv("MOODIFY_USER_ID", "demo")
    whose = local.whose_data(local.local_settings())
    assert (whose.user_id, whose.chosen) == ("demo", "by MOODIFY_USER_ID")


def warehouse_time_zones(conn: Connection) -> dict[str, str]:
    with conn, conn.cursor() as cur:
        cur.execute("SELECT user_id, time_zone FROM users")
        return dict(cur.fetchall())


def test_an_export_without_listening_history_says_what_was_expected(
    env: Path, tmp_path: Path
) -> None:
    import zipfile

    empty = tmp_path / "my_spotify_data.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("Spotify Account Data/Userdata.json", "{}")
    result = runner.invoke(app, ["import", str(empty)])
    assert result.exit_code == 1
    assert "No listening history found" in said(result.output)
    assert "Streaming_History_Audio_*.json" in said(result.output)
