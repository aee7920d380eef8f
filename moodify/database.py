"""The embedded PostgreSQL that local mode uses when DATABASE_URL is not set."""

from __future__ import annotations

import json
import logging
import warnings
from pathlib import Path

import psutil

from etl.core.settings import Settings

_log = logging.getLogger(__name__)


def embedded_server_url(pgdata: Path, database: str = "postgres") -> str:
    """Start (or reuse) the embedded server whose data lives in `pgdata`; return its URL.

    The server stops when the last process that uses it exits. What a process killed with
    SIGKILL left behind is cleared first, and a server found stopped is started again.
    """
    # pgserver starts the postmaster with the resolved path, which is how it is recognised.
    pgdata = pgdata.resolve()
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; harmless here.
        warnings.simplefilter("ignore")
        from pgserver.postgres_server import PostgresServer, get_server
        from pgserver.utils import PostmasterInfo

        logging.getLogger("pgserver").setLevel(logging.WARNING)
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        # pgserver's own lock, which every process takes to start or stop this server.
        with PostgresServer._lock:
            clear_leftovers(pgdata)
        server = get_server(pgdata)
        info = PostmasterInfo.read_from_pgdata(pgdata)
        if info is None or not _is_postmaster_of(info.pid, pgdata):
            # This process already held the server, and it stopped since.
            _log.warning("The embedded PostgreSQL in %s had stopped; starting it", pgdata)
            with PostgresServer._lock:
                clear_leftovers(pgdata)
                server.ensure_postgres_running()
    return str(server.get_uri(database))


def clear_leftovers(pgdata: Path) -> None:
    """Forget what processes killed with SIGKILL left in `pgdata`.

    pgserver lists the processes that use the server, and the last one to exit stops it: a
    killed one's pid would stay listed, and the server would then never stop. PostgreSQL
    refuses to start while postmaster.pid or its socket's lock file names a process that
    exists, which, once the postmaster was killed, may be its unreaped zombie or an
    unrelated process that got its pid. A lock naming no process is left to PostgreSQL,
    which also checks that no old backend still uses the shared memory.
    """
    handles = pgdata / ".handle_pids.json"
    if handles.exists():
        listed = json.loads(handles.read_text())
        alive = [pid for pid in listed if _is_alive(pid)]
        if alive != listed:
            handles.write_text(json.dumps(alive))
    postmaster = pgdata / "postmaster.pid"
    if not postmaster.exists():
        return
    lines = postmaster.read_text().splitlines()
    pid = int(lines[0]) if lines and lines[0].strip().isdigit() else None
    if pid is None or not psutil.pid_exists(pid) or _is_postmaster_of(pid, pgdata):
        return
    # The socket's lock names the same postmaster; its directory is the file's fifth line.
    socket_dir = Path(lines[4]) if len(lines) > 4 and lines[4] else pgdata
    for lock in socket_dir.glob(".s.PGSQL.*.lock"):
        if lock.read_text().partition("\n")[0].strip() == str(pid):
            lock.unlink()
    postmaster.unlink()


def _is_alive(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _is_postmaster_of(pid: int | None, pgdata: Path) -> bool:
    """Whether `pid` is a running PostgreSQL serving `pgdata`."""
    if pid is None or not _is_alive(pid):
        return False
    try:
        return str(pgdata.resolve()) in list(psutil.Process(pid).cmdline())
    except psutil.Error:
        return False


def database_url(settings: Settings) -> str:
    """DATABASE_URL when configured, else the embedded server under MOODIFY_HOME."""
    if settings.database_url:
        return settings.database_url
    return embedded_server_url(settings.pgdata_dir)
