"""The CloudFront Functions, run in Node: dashboard paths to the exported index.html
files, and the viewer's host passed on to sign-in."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from cdk_app.site import COPY_HOST, INDEX_REWRITE, PUBLIC_HOST_HEADER

NODE = shutil.which("node")


def run(function: str, event: dict[str, object], result: str) -> str:
    """What `result` (a JavaScript expression over `request`) is after the function ran."""
    script = f"{function}\nvar request = handler({json.dumps(event)});\n"
    script += f"process.stdout.write({result});"
    assert NODE is not None
    completed = subprocess.run(
        [NODE, "-e", script], capture_output=True, text=True, check=True, timeout=30
    )
    return completed.stdout


@pytest.mark.skipif(NODE is None, reason="needs Node.js to run the function")
@pytest.mark.parametrize(
    ("uri", "rewritten"),
    [
        ("/", "/index.html"),
        ("/mood/", "/mood/index.html"),
        ("/mood", "/mood/index.html"),
        ("/top/tracks", "/top/tracks/index.html"),
        ("/index.html", "/index.html"),
        ("/icon.svg", "/icon.svg"),
        ("/_next/static/chunks/app-1a2b.js", "/_next/static/chunks/app-1a2b.js"),
        ("/v1.2/mood", "/v1.2/mood/index.html"),
    ],
)
def test_viewer_paths_map_to_exported_files(uri: str, rewritten: str) -> None:
    assert run(INDEX_REWRITE, {"request": {"uri": uri}}, "request.uri") == rewritten


@pytest.mark.skipif(NODE is None, reason="needs Node.js to run the function")
def test_sign_in_gets_the_host_the_viewer_asked_for_never_one_it_sent() -> None:
    headers = {
        "host": {"value": "d111111abcdef8.cloudfront.net"},
        PUBLIC_HOST_HEADER: {"value": "evil.example"},
        "cookie": {"value": "moodify_login=x"},
    }
    event = {"request": {"uri": "/auth/callback", "headers": headers}}
    assert json.loads(run(COPY_HOST, event, "JSON.stringify(request.headers)")) == {
        **headers,
        PUBLIC_HOST_HEADER: {"value": "d111111abcdef8.cloudfront.net"},
    }
