"""The export on AWS as the dashboard sees it, in headless Chromium: the API's 202 and the
status it polls are routed here in the shapes `tests/integration/test_exports_aws.py` checks
on the server, and the page shows "Preparing…", polls until the link is ready, then starts
the download (and offers the link); a failed export shows its message."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.e2e

LOADED = 15_000  # ms to wait for the page's first answer
EXPORT_ID = "0b0e8a4e-5d2c-4c52-9a51-7f0f6b1c2d3e"
STATUS_URL = f"/api/v1/exports/{EXPORT_ID}"
FILE_NAME = "moodify_me_plays_all_2026-11-20.parquet"
BODY = b"PAR1 stand-in bytes of the file in the lake PAR1"


def status(state: str, **fields: Any) -> dict[str, Any]:
    return {
        "export_id": EXPORT_ID,
        "state": state,
        "status_url": STATUS_URL,
        "file_name": FILE_NAME,
        "url": None,
        "message": None,
        **fields,
    }


def route_aws(page: Page, last: dict[str, Any]) -> list[str]:
    """The plays export answers 202; its status is pending twice, then `last`."""
    polled: list[str] = []
    page.route(
        "**/api/v1/exports/plays.parquet",
        lambda route: route.fulfill(
            status=202, json=status("pending"), headers={"Location": STATUS_URL}
        ),
    )

    def answer_status(route: Route) -> None:
        polled.append(route.request.url)
        route.fulfill(json=status("pending") if len(polled) < 3 else last)

    page.route(f"**{STATUS_URL}", answer_status)
    page.route(
        "**/lake/**",
        lambda route: route.fulfill(
            body=BODY,
            headers={
                "Content-Type": "application/vnd.apache.parquet",
                "Content-Disposition": f'attachment; filename="{FILE_NAME}"',
            },
        ),
    )
    return polled


def open_export(page: Page, served_url: str) -> Any:
    page.goto(f"{served_url}/settings/")
    panel = page.get_by_test_id("export-data")
    expect(panel).to_be_visible(timeout=LOADED)
    panel.get_by_label("Parquet").check()
    return panel


def test_on_aws_the_page_prepares_polls_and_downloads_from_the_link(
    browser_page: Page, served_url: str
) -> None:
    page = browser_page
    link = f"{served_url}/lake/exports/user=me/{EXPORT_ID}/{FILE_NAME}?X-Amz-Expires=300"
    polled = route_aws(page, status("ready", url=link))
    panel = open_export(page, served_url)
    with page.expect_download(timeout=LOADED) as started:
        panel.get_by_test_id("export-plays").click()
        expect(panel.get_by_role("status")).to_have_text("Preparing your export…")
    download = started.value
    assert download.suggested_filename == FILE_NAME
    assert download.path().read_bytes() == BODY
    assert len(polled) == 3  # pending, pending, ready: then it stops asking
    expect(panel.get_by_role("status")).to_have_text(f"Your export is ready: {FILE_NAME}.")
    expect(panel.get_by_test_id("export-ready-link")).to_have_attribute("href", link)


def test_on_aws_a_failed_export_shows_its_message(browser_page: Page, served_url: str) -> None:
    page = browser_page
    message = "The export could not be written (OperationalError). Try again."
    route_aws(page, status("failed", message=message))
    panel = open_export(page, served_url)
    panel.get_by_test_id("export-plays").click()
    expect(panel.get_by_role("status")).to_have_text(message, timeout=LOADED)
    expect(panel.get_by_test_id("export-ready-link")).to_have_count(0)
