"""Each dashboard page's Lighthouse scores and first-load JavaScript, beside a baseline.

Builds the dashboard as it is now and as it was at a baseline commit (`--baseline`, by
default the last commit before the dashboard was made fast: `git archive` of its
`frontend/` into a temporary directory, its own `npm ci` and build), fills a fresh embedded
PostgreSQL with the demo's listening history (`moodify demo`'s path: about 36,000 plays
over two and a half years), serves each build the way `moodify serve` does (the same app,
gzip included) and runs Lighthouse 12.2.3 (pinned in `bench/lighthouse/`, installed by
`make lighthouse`) on every page: mobile defaults, headless Debian Chromium. For each page
it prints the performance and accessibility scores and the JavaScript the page loaded
while Lighthouse watched (the bytes sent, gzip), now and at the baseline; with `--runs N`,
the median of N runs each.

    python bench/dashboard_scores.py [--runs N] [--baseline REV] [--pages NAME ...]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from api.app import create_app
from bench.import_history import fresh_database
from docs.screenshots import pages as screenshot_pages
from etl.core.clock import system_clock
from etl.core.settings import Settings
from moodify import local
from moodify.database import embedded_server_url

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
BASELINE = "d92e7d8"  # the dashboard before issue 11: Recharts on the overview and mood pages
CATEGORIES = ("performance", "accessibility")
PAGES = ("overview", "listening", "recent", "habits", "recap", "playback", "podcasts", "mood",
         "import", "search", "track", "artist", "album", "show")  # fmt: skip


@dataclass(frozen=True)
class Score:
    performance: int
    accessibility: int
    script_kb: float  # gzip, as sent
    blocking_ms: float  # total blocking time, simulated (mobile CPU)
    lcp_ms: float


def page_paths(base_url: str) -> dict[str, str]:
    """Every page of the dashboard: those of the README's screenshots (the entity pages at the
    history's first-ranked items), and the import page."""
    shown = screenshot_pages(base_url)
    return {"overview": shown.pop("dashboard"), **shown, "import": "/import/"}


def build(frontend: Path) -> Path:
    """`npm ci` (when needed) and the static export of the dashboard in `frontend`."""
    env = {**os.environ, "NEXT_TELEMETRY_DISABLED": "1"}
    if not (frontend / "node_modules").is_dir():
        npm = ["npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]
        subprocess.run(npm, cwd=frontend, env=env, check=True)
    subprocess.run(["npm", "run", "--silent", "build"], cwd=frontend, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return frontend / "out"


def baseline_frontend(revision: str, scratch: Path) -> Path:
    """The dashboard's sources at `revision`, in `scratch`."""
    archive = subprocess.run(
        ["git", "archive", revision, "frontend"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(scratch)], input=archive, check=True)
    return scratch / "frontend"


@contextmanager
def serving(settings: Settings, site_dir: Path) -> Iterator[str]:
    """`moodify serve`'s app over `site_dir`, on a port the system chose; its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    app = create_app(settings, site_dir=site_dir)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def lighthouse(url: str, report: Path) -> Score:
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--headless --no-sandbox"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True,
    )  # fmt: skip
    result = json.loads(report.read_text())
    categories, audits = result["categories"], result["audits"]
    requests_made = audits["network-requests"]["details"]["items"]
    script_bytes = sum(
        item.get("transferSize", 0) for item in requests_made if item["resourceType"] == "Script"
    )
    return Score(
        performance=round(categories["performance"]["score"] * 100),
        accessibility=round(categories["accessibility"]["score"] * 100),
        script_kb=script_bytes / 1024,
        blocking_ms=audits["total-blocking-time"]["numericValue"],
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
    )


def median_score(scores: list[Score]) -> Score:
    return Score(
        performance=round(statistics.median(score.performance for score in scores)),
        accessibility=round(statistics.median(score.accessibility for score in scores)),
        script_kb=statistics.median(score.script_kb for score in scores),
        blocking_ms=statistics.median(score.blocking_ms for score in scores),
        lcp_ms=statistics.median(score.lcp_ms for score in scores),
    )


def score_pages(
    settings: Settings, site_dir: Path, pages: list[str], runs: int, scratch: Path
) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    with serving(settings, site_dir) as base_url:
        paths = page_paths(base_url)
        for page in pages:
            report = scratch / f"{page}.json"
            scores[page] = median_score(
                [lighthouse(base_url + paths[page], report) for _ in range(runs)]
            )
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare with")
    parser.add_argument("--pages", nargs="+", choices=PAGES, help="only these (default: all)")
    arguments = parser.parse_args()

    subprocess.run(["make", "--silent", "lighthouse"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        current_site = build(ROOT / "frontend")
        baseline_site = build(baseline_frontend(arguments.baseline, scratch))
        dsn = fresh_database(embedded_server_url(scratch / "pgdata"), "dashboard_bench")
        settings = local.demo_settings(Settings(home=scratch / "home", database_url=dsn))
        plays = local.prepare_demo(settings, system_clock).totals.plays
        pages = arguments.pages or list(PAGES)
        now = score_pages(settings, current_site, pages, arguments.runs, scratch)
        before = score_pages(settings, baseline_site, pages, arguments.runs, scratch)

    print(f"Lighthouse {lighthouse_version()}, mobile defaults, {plays:,} plays served")
    print(
        f"{'page':<10} {'perf':>5} {'a11y':>5} {'JS KB':>7} {'TBT ms':>7} {'LCP ms':>7}"
        f"   {'before: perf':>12} {'a11y':>5} {'JS KB':>7} {'TBT ms':>7} {'LCP ms':>7}"
    )
    for page in pages:
        a, b = now[page], before[page]
        print(
            f"{page:<10} {a.performance:>5} {a.accessibility:>5} {a.script_kb:>7.1f} "
            f"{a.blocking_ms:>7.0f} {a.lcp_ms:>7.0f}   {b.performance:>12} {b.accessibility:>5} "
            f"{b.script_kb:>7.1f} {b.blocking_ms:>7.0f} {b.lcp_ms:>7.0f}"
        )
    print(
        f"pages={len(pages)} runs={arguments.runs} "
        f"worst_performance={min(s.performance for s in now.values())} "
        f"worst_accessibility={min(s.accessibility for s in now.values())} "
        f"worst_first_load_js_kb={max(s.script_kb for s in now.values()):.1f} "
        f"baseline_worst_performance={min(s.performance for s in before.values())} "
        f"baseline_worst_accessibility={min(s.accessibility for s in before.values())} "
        f"baseline_worst_first_load_js_kb={max(s.script_kb for s in before.values()):.1f}"
    )


def lighthouse_version() -> str:
    package = ROOT / "bench" / "lighthouse" / "node_modules" / "lighthouse" / "package.json"
    return str(json.loads(package.read_text())["version"])


if __name__ == "__main__":
    main()
