"""What the browser tests share besides fixtures: where the dashboard and Chromium are, the
zones the tests see it from, and plain HTTP reads of the served API."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
import uvicorn
from fastapi import FastAPI

SITE_DIR = Path(__file__).resolve().parents[2] / "frontend" / "out"
CHROMIUM = "/usr/bin/chromium"
USER_ZONE, BROWSER_ZONE = "Europe/Berlin", "America/Los_Angeles"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "moodify serve exited early"
        try:
            if requests.get(f"{url}/healthz", timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not become healthy")


@contextmanager
def serving(app: FastAPI, port: int) -> Iterator[str]:
    """`app` served on loopback `port` by a thread of this process, while the block runs;
    its URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert requests.get(f"{url}/healthz", timeout=5).ok
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def api_get(served_url: str, path: str, **params: str) -> Any:
    """The JSON of a GET /api/v1/`path` that must succeed."""
    response = requests.get(f"{served_url}/api/v1/{path}", params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()
