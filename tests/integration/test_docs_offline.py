"""/docs and /redoc work without internet: their pages name no other host, and the app
serves every asset they load (fastapi-offline's copies of Swagger UI and ReDoc)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.signin_app import create_signin_app
from etl.core.settings import Settings

# Attributes that make a browser load something, and the spec URL of Swagger UI's script.
LOADING_ATTRIBUTES = {"href", "src", "spec-url"}
SWAGGER_SPEC_URL = re.compile(r"\burl: '([^']+)'")


class _LoadedUrls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in LOADING_ATTRIBUTES and value]


def _loaded_urls(html: str) -> list[str]:
    parser = _LoadedUrls()
    parser.feed(html)
    return parser.urls + SWAGGER_SPEC_URL.findall(html)


@pytest.mark.parametrize(
    ("page", "script"),
    [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")],
)
def test_docs_page_loads_only_what_the_app_serves(page: str, script: str, tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(home=tmp_path / ".moodify")))
    html = client.get(page)
    assert html.status_code == 200
    assert "://" not in html.text  # no other host, not even a font's
    urls = _loaded_urls(html.text)
    assert "/openapi.json" in urls
    assert any(url.endswith(script) for url in urls), urls
    for url in urls:
        assert url.startswith("/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.content, url


def test_functions_serve_no_docs(tmp_path: Path) -> None:
    """On AWS CloudFront sends neither path to a function, whose bundle has no assets."""
    settings = Settings(home=tmp_path / ".moodify")
    for app in (create_app(settings, docs=False), create_signin_app(settings)):
        client = TestClient(app)
        assert client.get("/docs").status_code == 404
        assert client.get("/redoc").status_code == 404
