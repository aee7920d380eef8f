"""Every page of the dashboard under the response headers CloudFront adds (the same
cdk_app/security_headers.json the stack reads): no content security policy violation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from cdk_app.site import content_security_policy, security_headers
from tests.e2e.test_navigation import PAGES

pytestmark = pytest.mark.e2e

UPLOAD_ORIGINS = "https://*.s3.eu-central-1.amazonaws.com https://*.s3.amazonaws.com"
HEADERS = {
    "content-security-policy": content_security_policy(UPLOAD_ORIGINS),
    "strict-transport-security": "max-age="
    f"{security_headers()['strict_transport_security_max_age_seconds']}; includeSubDomains",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": security_headers()["referrer_policy"],
}
# Recorded in the page itself: the event carries what was blocked and by which directive.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
});
"""


def with_security_headers(route: Route) -> None:
    """Documents carry the headers (the policy of a page is its document's)."""
    if route.request.resource_type != "document":
        route.continue_()
        return
    response = route.fetch()
    route.fulfill(response=response, headers={**response.headers, **HEADERS})


@pytest.fixture
def guarded(browser: Browser, served_url: str) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route(f"{served_url}/**", with_security_headers)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page, console
    context.unroute_all(behavior="ignoreErrors")  # prefetches still in flight
    context.close()


@pytest.mark.parametrize("path", [path for path, _ in PAGES])
def test_the_dashboard_passes_its_content_security_policy(
    guarded: tuple[Page, list[str]], served_url: str, path: str
) -> None:
    page, console = guarded
    response = page.goto(f"{served_url}{path}", wait_until="networkidle")
    assert response is not None
    assert response.headers["content-security-policy"] == HEADERS["content-security-policy"]
    page.wait_for_timeout(300)  # charts drawn after the data arrives
    assert page.evaluate("window.__violations") == []
    assert console == []


def test_a_violation_would_be_seen(guarded: tuple[Page, list[str]], served_url: str) -> None:
    """The listener catches what the policy forbids: an image from an unlisted host."""
    page, console = guarded
    page.goto(f"{served_url}/", wait_until="networkidle")
    page.evaluate("document.body.appendChild(new Image()).src = 'https://example.com/x.png'")
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__violations") == ["img-src blocked https://example.com/x.png"]
    assert any("img-src" in line for line in console)
