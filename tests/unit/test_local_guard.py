"""The local server's doors: a foreign Host (DNS rebinding) and writes from a foreign origin
are refused, and without sign-in it serves this machine alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rich.console import Console
from typer.testing import CliRunner

from api.app import create_app
from api.local_guard import is_loopback, served_names
from etl.core.settings import Settings
from moodify import cli

SERVED = "http://127.0.0.1:8000"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    # No request here reaches the database: the guard answers first, or /api's catch-all
    # (404 for GET, 405 for writes) does.
    settings = Settings(home=tmp_path, database_url="postgresql://nobody@127.0.0.1:1/none")
    return TestClient(create_app(settings, listening_on="127.0.0.1"), base_url=SERVED)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:8000",
        "localhost:8000",
        "LOCALHOST:8000",
        "[::1]:8000",
        "127.0.0.1",
        "localhost:9000",
    ],
)
def test_loopback_names_are_served_whatever_the_port(client: TestClient, host: str) -> None:
    # Any port: behind `ssh -L 9000:localhost:8000` the browser names the forwarded one.
    answer = client.get("/api/nothing-here", headers={"Host": host})
    assert answer.status_code == 404
    assert answer.json() == {"detail": "No API endpoint at /api/nothing-here"}


@pytest.mark.parametrize(
    "host",
    [
        "rebind.example:8000",  # a page's own name, resolved to 127.0.0.1
        "rebind.example",
        "127.0.0.1.rebind.example:8000",
        "localhost.rebind.example",
        "[::1",  # malformed
        "",
    ],
)
def test_a_foreign_host_is_refused(client: TestClient, host: str) -> None:
    answer = client.get("/api/nothing-here", headers={"Host": host})
    assert answer.status_code == 400
    assert answer.json() == {"detail": "This server does not answer to that Host name."}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    "source",
    [
        {"Origin": "http://rebind.example:8000"},
        {"Origin": "https://localhost.rebind.example"},
        {"Origin": "null"},  # a sandboxed frame or a file:// page
        {"Referer": "http://rebind.example/attack.html"},
        {"Origin": "http://rebind.example", "Referer": f"{SERVED}/"},  # Origin decides
        # Another program on this machine is another origin: its port tells it apart.
        {"Origin": "http://127.0.0.1:3000"},
        {"Origin": "http://localhost:5173"},
        {"Origin": "https://127.0.0.1"},
        {"Referer": "http://127.0.0.1:3000/"},
        {"Origin": "http://localhost:8000"},  # the same port under another name
    ],
)
def test_a_write_from_a_foreign_origin_is_refused(
    client: TestClient, method: str, source: dict[str, str]
) -> None:
    answer = client.request(method, "/api/nothing-here", headers=source)
    assert answer.status_code == 403
    assert answer.json() == {"detail": "Writes are accepted from this server's pages only."}


@pytest.mark.parametrize(
    "source",
    [
        {"Origin": SERVED},
        {"Origin": SERVED.upper()},
        {"Referer": f"{SERVED}/settings/"},
        {},  # curl and scripts send neither; a browser always sends Origin cross-origin
        # The page's own address, whatever name or forwarded port it was reached by.
        {"Host": "localhost:8000", "Origin": "http://localhost:8000"},
        {"Host": "localhost:9000", "Origin": "http://localhost:9000"},  # ssh -L 9000:...
        {"Host": "[::1]:8000", "Referer": "http://[::1]:8000/import/"},
    ],
)
def test_a_write_from_this_server_passes(client: TestClient, source: dict[str, str]) -> None:
    answer = client.post("/api/nothing-here", headers=source)
    assert answer.status_code == 405  # past the guard: /api's catch-all answers GET alone


def test_a_read_from_a_foreign_page_passes_the_origin_check(client: TestClient) -> None:
    # A cross-origin read is the same-origin policy's to stop: the page cannot read it.
    answer = client.get("/api/nothing-here", headers={"Origin": "http://rebind.example"})
    assert answer.status_code == 404


def test_the_app_without_a_served_address_has_no_guard(tmp_path: Path) -> None:
    # On AWS the API answers CloudFront's Host; the guard is the local server's alone.
    settings = Settings(home=tmp_path, database_url="postgresql://nobody@127.0.0.1:1/none")
    client = TestClient(create_app(settings), base_url="https://abc.cloudfront.net")
    answer = client.post("/api/nothing-here", headers={"Origin": "https://else.example"})
    assert answer.status_code == 405


def test_names_served_by_address() -> None:
    loopback = {"localhost", "127.0.0.1", "::1"}
    assert served_names("127.0.0.1") == loopback
    assert served_names("::1") == loopback
    assert served_names("0.0.0.0", ["Box.lan"]) == loopback | {"box.lan"}
    assert served_names("192.168.1.5") == {"192.168.1.5"}
    assert served_names("192.168.1.5", ["box.lan"]) == {"192.168.1.5", "box.lan"}


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("box.lan", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.fixture
def no_sign_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOODIFY_HOME", str(tmp_path))
    # Never connected to: the refusal comes before the warehouse is touched.
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.delenv("MOODIFY_SPOTIFY_CLIENT_ID", raising=False)
    monkeypatch.delenv("MOODIFY_HOST", raising=False)
    monkeypatch.setattr(cli, "console", Console(width=200))


@pytest.mark.usefixtures("no_sign_in")
@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5"])
def test_serve_refuses_the_network_without_sign_in(host: str) -> None:
    result = CliRunner().invoke(cli.app, ["serve", "--host", host])
    assert result.exit_code == 2, result.output
    assert f"Refusing to serve on {host} without sign-in" in " ".join(result.output.split())


@pytest.mark.usefixtures("no_sign_in")
def test_demo_refuses_the_network_before_preparing_anything(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MOODIFY_HOST", "0.0.0.0")
    result = CliRunner().invoke(cli.app, ["demo"])
    assert result.exit_code == 2, result.output
    assert "Refusing to serve on 0.0.0.0 without sign-in" in " ".join(result.output.split())
    assert not (tmp_path / "sample").exists()
