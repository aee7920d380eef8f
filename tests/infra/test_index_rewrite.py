"""The CloudFront Function that maps dashboard paths to the exported index.html files."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from cdk_app.site import INDEX_REWRITE

NODE = shutil.which("node")


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
    event = json.dumps({"request": {"uri": uri}})
    script = f"{INDEX_REWRITE}\nprocess.stdout.write(handler({event}).uri);"
    result = subprocess.run(
        [str(NODE), "-e", script], capture_output=True, text=True, check=True, timeout=30
    )
    assert result.stdout == rewritten
