"""`moodify erase`: a range of local days (counted first, or erased), and everything."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from etl.core.keys import PREFIXES
from etl.core.lake import LocalLake
from etl.core.settings import Settings
from moodify import local
from moodify.cli import app
from tests.integration.test_cli import said
from tests.integration.test_erasure import DAYS, _records
from tests.integration.test_import_pipeline import write_history

runner = CliRunner()


def _imported(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    write_history(folder, "Streaming_History_Audio_2024_0.json", _records(DAYS))
    assert runner.invoke(app, ["import", str(folder)]).exit_code == 0


def test_erase_counts_then_erases_a_range_of_days(
    env: Path, settings: Settings, tmp_path: Path
) -> None:
    _imported(tmp_path)
    days = ["--from", "2024-04-02", "--to", "2024-04-03"]

    dry = runner.invoke(app, ["erase", *days, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "holds 4 plays" in said(dry.output)
    assert local.totals(local.local_settings(settings)).plays == 12

    erased = runner.invoke(app, ["erase", *days])
    assert erased.exit_code == 0, erased.output
    assert "Erased 4 plays" in said(erased.output)
    assert local.totals(local.local_settings(settings)).plays == 8


def test_erase_refuses_a_range_that_is_not_one(env: Path, tmp_path: Path) -> None:
    _imported(tmp_path)
    reversed_ = runner.invoke(app, ["erase", "--from", "2024-04-03", "--to", "2024-04-02"])
    assert reversed_.exit_code == 2
    assert "is before `from`" in said(reversed_.output)
    assert runner.invoke(app, ["erase", "--from", "2024-04-03"]).exit_code == 2


def test_erase_everything_needs_the_user_id_typed(
    env: Path, settings: Settings, tmp_path: Path
) -> None:
    _imported(tmp_path)

    refused = runner.invoke(app, ["erase", "--everything"], input="yes\n")
    assert refused.exit_code == 1
    assert "nothing was deleted" in said(refused.output)
    assert local.totals(local.local_settings(settings)).plays == 12

    done = runner.invoke(app, ["erase", "--everything"], input=f"{settings.user_id}\n")
    assert done.exit_code == 0, done.output
    assert f"of user '{settings.user_id}'" in said(done.output)
    assert local.totals(local.local_settings(settings)).plays == 0
    lake = LocalLake(settings.lake_dir)
    assert [key for prefix in PREFIXES for key in lake.keys(prefix) if "user=me/" in key] == []
