"""Swagger UI and ReDoc render in a browser cut off from every host but the served app."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import Browser, Page, Route, expect

pytestmark = pytest.mark.e2e
# ReDoc's "API docs by Redocly" footer shows its maker's logo from a CDN; offline, the
# image's error handler removes it, and the documentation is whole without it.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture
def offline_page(browser: Browser, served_url: str) -> Iterator[tuple[Page, list[str]]]:
    """A page whose requests to any other host are aborted, with the URLs it tried."""
    served = urlsplit(served_url).netloc
    blocked: list[str] = []

    def only_the_app(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == served:
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", only_the_app)
    yield context.new_page(), blocked
    context.close()


def test_swagger_ui_lists_every_operation_offline(
    offline_page: tuple[Page, list[str]], served_url: str
) -> None:
    page, blocked = offline_page
    spec = requests.get(f"{served_url}/openapi.json", timeout=10).json()
    operations = sum(len(methods) for methods in spec["paths"].values())
    page.goto(f"{served_url}/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/summary")).to_be_visible()
    expect(page.locator(".opblock")).to_have_count(operations)
    assert blocked == []


def test_redoc_renders_offline(offline_page: tuple[Page, list[str]], served_url: str) -> None:
    page, blocked = offline_page
    page.goto(f"{served_url}/redoc")
    expect(page.get_by_role("heading", name="Moodify API")).to_be_visible()
    expect(page.get_by_text("/api/v1/summary").first).to_be_attached()
    assert set(blocked) <= {REDOC_LOGO}
