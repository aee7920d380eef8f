"""`moodify serve` after a SIGKILL: the embedded PostgreSQL is started again, and what the
killed processes left (their handles, a postmaster.pid) does not keep it up or down.

Every server here runs in subprocesses, as `serve` does, so pgserver's per-process state
and exit hooks are theirs, not the test session's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from moodify.database import clear_leftovers

# What `moodify serve` does first: the settings with the warehouse resolved.
_SERVE = """
import json, sys
from pathlib import Path
import psycopg2
from etl.core.settings import Settings
from moodify.local import local_settings
settings = local_settings(Settings(home=Path(sys.argv[1]), database_url=None))
with psycopg2.connect(settings.database_url, connect_timeout=10) as conn, conn.cursor() as cur:
    cur.execute("SELECT 1")
    answer = cur.fetchone()[0]
handles = json.loads((settings.pgdata_dir.resolve() / ".handle_pids.json").read_text())
print(json.dumps({"answer": answer, "handles": handles}), flush=True)
if sys.argv[2:] == ["hold"]:
    sys.stdin.read()  # held until the test kills it
"""


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split()[0])


def serve(home: Path) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-c", _SERVE, str(home)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(run.stdout.splitlines()[-1])
    return result


def gone(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True


def wait_until(condition: Callable[[], bool], timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    yield home
    pgdata = (home / "pgdata").resolve()
    if (pgdata / "postmaster.pid").exists():  # whatever a failed test left running
        pid = postmaster_pid(pgdata)
        if not gone(pid) and str(pgdata) in psutil.Process(pid).cmdline():
            os.kill(pid, signal.SIGTERM)


def test_serve_brings_back_a_server_killed_with_its_holder(home: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(home), "hold"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert json.loads(holder.stdout.readline())["answer"] == 1
        pgdata = (home / "pgdata").resolve()
        postmaster = postmaster_pid(pgdata)
        os.kill(postmaster, signal.SIGKILL)
        holder.kill()  # SIGKILL: no exit hook runs, its handle stays listed
        holder.wait(10)
        assert wait_until(lambda: gone(postmaster))
        assert json.loads((pgdata / ".handle_pids.json").read_text()) == [holder.pid]
    finally:
        holder.kill()

    served = serve(home)

    assert served["answer"] == 1
    assert holder.pid not in served["handles"]
    # The killed holder's handle no longer counts: the last real user's exit stopped it.
    assert not (pgdata / "postmaster.pid").exists()


def test_a_process_that_holds_the_server_starts_it_again_once_stopped(home: Path) -> None:
    script = """
import os, signal, sys, time
from pathlib import Path
import psutil, psycopg2
from moodify.database import embedded_server_url
pgdata = Path(sys.argv[1]).resolve()
pgdata.parent.mkdir(parents=True, exist_ok=True)
embedded_server_url(pgdata)
first = int((pgdata / "postmaster.pid").read_text().split()[0])
os.kill(first, signal.SIGKILL)
def running(pid):
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
while running(first):
    time.sleep(0.1)
url = embedded_server_url(pgdata)
with psycopg2.connect(url, connect_timeout=10) as conn, conn.cursor() as cur:
    cur.execute("SELECT 1")
    print(cur.fetchone()[0], first != int((pgdata / "postmaster.pid").read_text().split()[0]))
"""
    run = subprocess.run(
        [sys.executable, "-c", script, str(home / "pgdata")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert run.stdout.split() == ["1", "True"], run.stderr


def test_a_postmaster_pid_naming_another_process_is_removed_with_its_socket_lock(
    tmp_path: Path,
) -> None:
    sockets = tmp_path / "sockets"
    sockets.mkdir()
    lines = [str(os.getpid()), str(tmp_path), "1764561000", "5432", str(sockets)]
    (tmp_path / "postmaster.pid").write_text("\n".join(lines) + "\n")
    (sockets / ".s.PGSQL.5432.lock").write_text(f"{os.getpid()}\n{tmp_path}\n")
    (sockets / ".s.PGSQL.5433.lock").write_text("1\n/another/server\n")  # not ours
    (tmp_path / ".handle_pids.json").write_text(json.dumps([os.getpid(), 2**22 + 1]))
    clear_leftovers(tmp_path)
    assert not (tmp_path / "postmaster.pid").exists()
    assert [p.name for p in sockets.iterdir()] == [".s.PGSQL.5433.lock"]
    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == [os.getpid()]


def test_a_postmaster_pid_naming_no_process_is_left_to_postgresql(tmp_path: Path) -> None:
    (tmp_path / "postmaster.pid").write_text(f"{2**22 + 1}\n{tmp_path}\n")
    clear_leftovers(tmp_path)
    assert (tmp_path / "postmaster.pid").exists()


def test_a_running_server_named_through_a_symlink_keeps_its_lock_files(
    home: Path, tmp_path: Path
) -> None:
    """The postmaster runs with the resolved data directory: named another way (a symlinked
    home, macOS's /var), it is still this directory's, and its postmaster.pid stays."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(home), "hold"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None
    assert holder.stdout is not None
    try:
        assert json.loads(holder.stdout.readline())["answer"] == 1
        link = tmp_path / "linked-home"
        link.symlink_to(home)
        clear_leftovers(link / "pgdata")
        assert (home / "pgdata" / "postmaster.pid").exists()
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
