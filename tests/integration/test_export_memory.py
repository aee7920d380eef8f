"""A large export streams: exporting 200,000 plays grows the exporting process's peak memory
by a bounded amount, far below what holding the rows takes. Each export runs in a fresh
interpreter (bench/export.py's: peak RSS, VmHWM, less the RSS before the export), over
bench/export.py's generated history."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.export import export_once, seed

PLAYS = 200_000
BOUND_MB = 120  # the CSV's growth is about 1 MB, the Parquet's about 80 (blocks of rows)


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_exporting_200k_plays_grows_memory_by_a_bounded_amount(
    database_dsn: str, tmp_path: Path, file_format: str
) -> None:
    seed(database_dsn, PLAYS)
    path = tmp_path / f"plays.{file_format}"
    _, growth = export_once(database_dsn, file_format, path)
    _, held = export_once(database_dsn, "baseline", tmp_path / "baseline.csv")
    print(f"{file_format}: {growth:.0f} MB peak growth; fetchall baseline {held:.0f} MB")
    assert growth < BOUND_MB
    assert growth < held / 3
    assert path.stat().st_size > 0
