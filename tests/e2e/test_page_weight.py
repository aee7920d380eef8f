"""Each exported page's first-load JavaScript stays within its budget: 200 KB gzip, the
scripts its HTML loads, each compressed as `moodify serve` and CloudFront send it."""

from __future__ import annotations

import gzip
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.e2e.served import SITE_DIR

pytestmark = pytest.mark.e2e

BUDGET_KB = 200
PAGES = 14  # overview, listening, recent, habits, recap, playback, podcasts, mood, import,
# search, track, artist, album, show


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        source = attributes.get("src")
        # A browser that runs modules skips a nomodule script (polyfills for older ones).
        if tag == "script" and source and "nomodule" not in attributes:
            self.sources.append(source)


@cache  # the pages share most of their scripts
def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes()))


def first_load_kb(page: Path) -> float:
    scripts = _Scripts()
    scripts.feed(page.read_text())
    files = {SITE_DIR / source.lstrip("/") for source in scripts.sources}
    return sum(gzip_size(path) for path in files) / 1024


def test_every_page_loads_at_most_200_kb_of_javascript_first() -> None:
    assert (SITE_DIR / "index.html").is_file(), "build the dashboard first: make frontend"
    pages = [
        page
        for page in SITE_DIR.glob("**/index.html")
        if page.parent.name not in ("404", "_not-found")
    ]
    assert len(pages) >= PAGES
    weights = {str(page.relative_to(SITE_DIR).parent): first_load_kb(page) for page in pages}
    assert all(kb > 50 for kb in weights.values()), weights  # the scripts were found
    over = {page: round(kb, 1) for page, kb in weights.items() if kb > BUDGET_KB}
    assert not over, f"first-load JavaScript over {BUDGET_KB} KB gzip: {over}"
