"""What unreachable audio-feature providers cost an import: attempts and time.

Generates an export of several files and imports it with `moodify import`'s code path into
a fresh embedded PostgreSQL, side by side in the same run (alternating, the best of each):

- providers off (`MOODIFY_FEATURE_PROVIDERS` empty);
- offline: a Spotify app and ReccoBeats configured, both at a loopback port that refuses
  every connection (bound, never listening), as on a machine without network.

Connection attempts are counted where urllib3 opens connections, retries included. No
network is needed.

    python bench/offline_import.py [--years Y] [--plays-per-file N]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import logging
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import urllib3.util.connection
from import_history import fresh_database

from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from moodify.database import embedded_server_url
from moodify.demo.sample import SampleExport, generate_sample_export
from tests.integration.test_offline_providers import offline

ROUNDS = 3
END = datetime(2025, 6, 1, tzinfo=UTC)


@dataclass
class Run:
    seconds: float
    plays: int
    attempts: int
    warnings: list[str]


class Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def counting_connections(port: int) -> list[int]:
    """Count urllib3's connection attempts to `port` (one entry per attempt)."""
    attempts: list[int] = []
    connect: Callable[..., socket.socket] = urllib3.util.connection.create_connection

    def counting(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        if address[1] == port:
            attempts.append(port)
        return connect(address, *args, **kwargs)

    urllib3.util.connection.create_connection = counting
    return attempts


def run_import(settings: Settings, export: SampleExport, attempts: list[int]) -> Run:
    handler = Warnings()
    logging.getLogger().addHandler(handler)
    before = len(attempts)
    started = time.perf_counter()
    try:
        report = import_export(
            export.files[0].parent, PipelineContext.from_settings(settings), "bench"
        )
    finally:
        logging.getLogger().removeHandler(handler)
    seconds = time.perf_counter() - started
    return Run(seconds, report.plays_inserted, len(attempts) - before, handler.messages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=0.14, help="about 2,000 plays")
    parser.add_argument("--plays-per-file", type=int, default=500)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch, socket.socket() as refusing:
        root = Path(scratch)
        refusing.bind(("127.0.0.1", 0))
        port = refusing.getsockname()[1]
        attempts = counting_connections(port)
        export = generate_sample_export(
            root / "export", years=arguments.years, plays_per_file=arguments.plays_per_file,
            end=END,
        )  # fmt: skip
        server = embedded_server_url(root / "pgdata")
        runs: dict[str, list[Run]] = {"off": [], "offline": []}
        for round_number in range(ROUNDS):
            for name, runs_of_kind in runs.items():
                label = f"{name}_{round_number}"
                settings = Settings(
                    home=root / label,
                    database_url=fresh_database(server, label),
                    feature_providers=(),
                )
                if name == "offline":
                    settings = offline(settings, f"http://127.0.0.1:{port}")
                runs_of_kind.append(run_import(settings, export, attempts))

    off = min(runs["off"], key=lambda run: run.seconds)
    cut_off = min(runs["offline"], key=lambda run: run.seconds)
    assert off.plays == cut_off.plays == export.plays
    ratio = cut_off.seconds / off.seconds
    print(f"export:          {export.plays:,} plays in {len(export.files)} files")
    print(f"providers off:   {off.seconds:.2f} s, {off.attempts} connection attempts")
    print(
        f"offline:         {cut_off.seconds:.2f} s, {cut_off.attempts} connection attempts, "
        f"{len(cut_off.warnings)} warnings: {cut_off.warnings}"
    )
    print(f"offline / off:   {ratio:.2f} (best of {ROUNDS} each, alternating)")
    print(
        f"plays={export.plays} files={len(export.files)} off_s={off.seconds:.2f} "
        f"offline_s={cut_off.seconds:.2f} offline_vs_off={ratio:.2f} "
        f"offline_attempts={cut_off.attempts} offline_warnings={len(cut_off.warnings)}"
    )


if __name__ == "__main__":
    main()
