"""What an import says: which files it took and as what, which it left out and why, and
what became of every record, on the command line and in the import's report."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from etl.core.keys import SAMPLE_CATALOG_KEY
from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from moodify import cli
from tests.integration.test_import_pipeline import HISTORY, record

runner = CliRunner()
AUDIO = "Streaming_History_Audio_2024_0.json"
ACCOUNT = [  # one play the extended history holds, one it does not, one unreadable
    {"endTime": "2024-03-01 08:00", "artistName": "Artist A", "trackName": "Song A",
     "msPlayed": 200_000},
    {"endTime": "2024-04-01 10:00", "artistName": "Artist A", "trackName": "Song A",
     "msPlayed": 180_000},
    {"endTime": "tomorrow", "artistName": "Artist A", "trackName": "Song A", "msPlayed": 1},
]  # fmt: skip


def lines(output: str) -> list[str]:
    """The output's lines, runs of spaces made one."""
    return [" ".join(line.split()) for line in output.splitlines()]


def test_the_import_prints_what_became_of_every_record_of_each_file(
    env: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / AUDIO).write_text(json.dumps([*HISTORY, HISTORY[0]]))
    (folder / "StreamingHistory_music_0.json").write_text(json.dumps(ACCOUNT))
    (folder / "Userdata.json").write_text(json.dumps({"username": "me"}))

    result = runner.invoke(cli.app, ["import", str(folder)])

    assert result.exit_code == 0, result.output
    said = lines(result.output)
    assert (
        "Imported 2 file(s): 5 new plays, 1 already stored, 1 superseded by a more trusted "
        "source, 1 records not plays, 1 rejected; 0 tracks given audio features."
    ) in said
    assert "│ StreamingHistory_music_0.json │ account music │ 3 │ 1 │ 0 │ 1 │ 0 │ 1 │" in said
    assert f"│ {AUDIO} │ extended audio │ 6 │ 4 │ 1 │ 0 │ 1 │ 0 │" in said
    assert (
        f"Superseded in StreamingHistory_music_0.json: 1 within the span of export file "
        f"{AUDIO} (audio, 2024-03-01 to 2024-03-03)"
    ) in said
    assert (
        "Rejected in StreamingHistory_music_0.json: 1 record: endTime is not YYYY-MM-DD HH:MM"
    ) in said
    assert (
        "Left out Userdata.json: not listening history: expected a JSON array of stream "
        "records, found dict"
    ) in said


def test_a_file_named_on_the_command_line_is_never_silently_ignored(
    env: Path, tmp_path: Path
) -> None:
    searches = tmp_path / "SearchQueries.json"
    searches.write_text(json.dumps([{"platform": "IPHONE", "searchQuery": "x"}]))
    result = runner.invoke(cli.app, ["import", str(searches)])
    assert result.exit_code == 1
    said = lines(result.output)
    assert f"No listening history found in {searches}: expected Spotify's" in " ".join(said)
    assert (
        "Left out SearchQueries.json: not listening history: its records are neither "
        "Extended streaming history nor Account data"
    ) in said


def test_a_renamed_export_file_named_on_the_command_line_is_imported(
    env: Path, tmp_path: Path
) -> None:
    renamed = tmp_path / "streaming_2018-2020_0.json"
    renamed.write_text(json.dumps(HISTORY))
    result = runner.invoke(cli.app, ["import", str(renamed)])
    assert result.exit_code == 0, result.output
    assert (
        "│ streaming_2018-2020_0.json │ extended, audio or video │ 5 │ 4 │ 0 │ 0 │ 1 │ 0 │"
    ) in lines(result.output)


@pytest.fixture
def ctx(settings: Settings) -> PipelineContext:
    context = PipelineContext.from_settings(settings)
    context.lake.put(SAMPLE_CATALOG_KEY, b"{}")
    return context


def test_files_that_are_not_listening_history_are_left_out_and_never_stored(
    ctx: PipelineContext, tmp_path: Path
) -> None:
    archive = tmp_path / "my_spotify_data.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Spotify Account Data/Payments.json", json.dumps({"card": "4111"}))
        zf.writestr("Spotify Account Data/Inferences.json", json.dumps([{"a": "b"}]))
        zf.writestr("Spotify Account Data/Notes.json", "{not json")
        zf.writestr("Spotify Account Data/Empty.json", "[]")
        zf.writestr("Spotify Account Data/ReadMeFirst.pdf", b"%PDF")
        zf.writestr(f"Spotify Extended Streaming History/{AUDIO}", json.dumps(HISTORY))

    report = import_export(archive, ctx, "me")

    outcomes = {f.name: (f.status, f.reason) for f in report.files}
    status, reason = outcomes.pop("Notes.json")
    assert status == "ignored"
    assert reason is not None
    assert reason.startswith("not listening history: not valid JSON (")
    assert outcomes == {
        "Payments.json": (
            "ignored",
            "not listening history: expected a JSON array of stream records, found dict",
        ),
        "Inferences.json": (
            "ignored",
            "not listening history: its records are neither Extended streaming history "
            "nor Account data",
        ),
        "Empty.json": ("ignored", "not listening history: it holds no records"),
        "ReadMeFirst.pdf": ("ignored", "not listening history: not a JSON file"),
        AUDIO: ("imported", None),
    }
    stored = [*ctx.lake.keys("raw/"), *ctx.lake.keys("quarantine/")]
    assert [key.rsplit("/", 1)[1] for key in stored] == [AUDIO]  # nothing else kept


def test_the_same_file_twice_in_one_import_is_imported_once(
    ctx: PipelineContext, tmp_path: Path
) -> None:
    export = tmp_path / "export"
    for folder in ("a", "b"):
        (export / folder).mkdir(parents=True)
        (export / folder / AUDIO).write_text(json.dumps(HISTORY))
    report = import_export(export, ctx, "me")
    assert [(f.status, f.reason) for f in report.files] == [
        ("imported", None),
        ("ignored", f"the same file as {AUDIO}, imported once"),
    ]
    assert report.plays_inserted == 4


def test_a_file_of_bad_records_under_a_history_name_is_imported_with_their_reasons(
    ctx: PipelineContext, tmp_path: Path
) -> None:
    bad = [record("2024-03-01T08:00:00Z", -5), record("nope", 5), record("also not", 5), 7]
    path = tmp_path / AUDIO
    path.write_text(json.dumps(bad))
    (file,) = import_export(path, ctx, "me").files
    assert file.records is not None
    assert (file.records.read, file.records.rejected) == (4, 4)
    assert file.records.rejected_reasons == (
        ("ts is not an ISO 8601 time", 2),
        ("ms_played must be a non-negative integer", 1),
        ("record must be an object", 1),
    )
