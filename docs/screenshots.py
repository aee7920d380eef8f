"""Take the README's screenshots of a running Moodify (`make demo`, then this script).

    .venv/bin/python docs/screenshots.py [--url http://127.0.0.1:8000]

Each page is opened in headless Chromium at a desktop width and saved whole as
docs/<page>.png; the entity pages show the demo's most played track, artist, album and show.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import quote

import requests
from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1400, 1000


def _first(url: str, path: str, key: str) -> str:
    answer = requests.get(f"{url}/api/v1/{path}", params={"limit": 1}, timeout=30).json()
    return str(answer["items"][0][key])


def pages(url: str) -> dict[str, str]:
    """The file name of each screenshot, and the page it shows."""
    return {
        "dashboard": "/",
        "listening": "/listening/",
        "recent": "/recent/",
        "habits": "/habits/",
        "recap": "/recap/",
        "playback": "/playback/",
        "podcasts": "/podcasts/",
        "mood": "/mood/",
        "genres": "/genres/",
        "compare": "/compare/",
        "settings": "/settings/",
        "search": "/search/?q=the",
        "track": f"/track/?id={quote(_first(url, 'top_tracks', 'track_id'))}",
        "artist": f"/artist/?id={quote(_first(url, 'top_artists', 'artist_id'))}",
        "album": f"/album/?id={quote(_first(url, 'top_albums', 'album_id'))}",
        "show": f"/show/?name={quote(_first(url, 'top_shows', 'name'))}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    url = parser.parse_args().url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for name, path in pages(url).items():
            page.goto(f"{url}{path}", wait_until="networkidle")
            page.wait_for_timeout(500)  # charts finish their entry animation
            page.screenshot(path=DOCS / f"{name}.png", full_page=True)
            print(f"docs/{name}.png  {path}")
        browser.close()


if __name__ == "__main__":
    main()
