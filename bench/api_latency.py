"""How fast every GET endpoint answers over HTTP at twelve years' size, warm and cold,
beside the same requests answered straight from `fact_plays`.

Fills a fresh embedded PostgreSQL with 1,000,000 plays over five listeners through the real
import path (the demo generator's Extended Streaming History, imported as `moodify import`
does): one listener with a 12-year, 325,000-play history (a busier listener than the demo's
14,300 plays a year: the generator's `intensity`) and four with 8 to 15 years each.
`--plays N` scales every history down (or up) to N plays in all.

The real app (`api.app.create_app`) then runs under uvicorn in a child process, on a port
the OS picks, serving the big listener (the local no-sign-in mode serves
`Settings.user_id`): only that listener is timed, the goals are about that history. Its
clock is fixed at the last new play's hour, so the answers do not depend on the day the
benchmark runs. Every GET endpoint in the app's OpenAPI document that reads the history
is requested with real values (ids from the top lists, a word of the top artist's name,
the top show, the second listener as the friend to compare with: the two share), once
with its defaults and once per other value of each enumerated parameter, over all time
(without a range: for the recap, the year of the last play; for the mood calendar, the 365
days up to it) and over the last four weeks of the history. Four clients (threads, one
HTTP session each) share the requests:

- warm, full answers: repeated requests without `If-None-Match`, so that every answer is
  sent in full. `worst_warm_p95_ms` is the worst of these, the stricter figure;
- warm, revalidated: what a browser sends, `If-None-Match` with the ETag it last got (the
  server may answer 304): `worst_revalidated_p95_ms`;
- cold: `--rounds` times, an hour of new plays arrives for the listener through the hourly
  ingest's path (a recently-played page of the demo's simulated listener written to the
  lake, then the pipeline: transform, load, enrich, apply), then every request is sent
  once, with the ETag the client holds: each one is the first after the new plays;
- scan: the same requests answered by a second server whose connections put the `scan`
  schema first on the search path (`etl.warehouse.scan`: views named like the rollups,
  computed from `fact_plays`), with the answer cache off, `--scan-repeat` times each.
  `speedup_vs_scan` is the sum of the scan p50s over the sum of the cold p50s, over the
  same requests; `scan_differs` counts the requests whose two answers differ (fractions
  to six significant digits: the rollups keep means as `real`).

    python bench/api_latency.py [--plays N] [--rounds N] [--repeat N] [--scan-repeat N]

Full size takes about half an hour on two cores; `--plays 60000` a few minutes.

Prints a table sorted by each request's worst p95, then one line of name=value pairs.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import queue
import random
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import psycopg2
import requests

from bench.import_history import fresh_database, generate, in_child, run_import
from bench.stats import p50_p95
from etl.core.keys import recently_played_key
from etl.core.lake import lake_from_settings
from etl.core.settings import Settings
from etl.warehouse.scan import create_scan_schema, scan_database_url
from etl.warehouse.sharing import set_sharing
from moodify.database import embedded_server_url
from moodify.demo.sample import DEFAULT_END
from moodify.demo.simulation.catalog import default_catalog
from moodify.demo.simulation.clock import unix_ms
from moodify.demo.simulation.listener import SimulatedListener
from moodify.demo.simulation.objects import play_history_object
from moodify.local import process_raw_keys

FULL_SIZE = 1_000_000  # plays over all listeners
CLIENTS = 4
SPOTIFY_API = "https://api.spotify.com/v1"  # where a real page's links point
NOT_HISTORY = {"/api/v1/imports/{import_id}"}  # an upload's progress, not a read of plays
ALL_TIME, FOUR_WEEKS, NO_RANGE = "all_time", "4_weeks", "-"


@dataclass(frozen=True)
class Listener:
    user_id: str
    share: float  # of all plays
    years: float  # at full size; a smaller run shortens every history alike
    seed: int
    time_zone: str


LISTENERS = (
    Listener("heavy", 0.325, 12, 7, "Europe/Berlin"),  # the history the goals are about
    Listener("ana", 0.2, 15, 21, "America/New_York"),
    Listener("ben", 0.175, 12, 22, "Europe/London"),
    Listener("chloe", 0.15, 10, 23, "Australia/Sydney"),
    Listener("dev", 0.15, 8, 24, "America/Sao_Paulo"),
)
BIG = LISTENERS[0]
FRIEND = LISTENERS[1]  # whom BIG compares their listening with (/compare/{friend_user_id})


@dataclass(frozen=True)
class Request:
    endpoint: str  # the path template, and the parameter this request varies, if any
    period: str  # ALL_TIME, FOUR_WEEKS or NO_RANGE
    url: str  # path and query, as sent


@dataclass(frozen=True)
class Answer:
    ms: float
    status: int
    etag: str | None
    body: bytes


Answers = dict[Request, list[Answer]]


@dataclass(frozen=True)
class Row:
    request: Request
    warm: tuple[float, float]  # p50, p95 of full answers
    revalidated: tuple[float, float]
    cold: tuple[float, float]
    scan_p50: float

    @property
    def worst_p95(self) -> float:
        return max(self.warm[1], self.revalidated[1], self.cold[1])


STARTED = time.perf_counter()


def progress(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


# The warehouse -----------------------------------------------------------------------------


def fill_warehouse(root: Path, dsn: str, plays: int) -> None:
    """Each listener's history, generated and imported as `moodify import` does."""
    for listener in LISTENERS:
        export_dir = root / "export" / listener.user_id
        progress(f"{listener.user_id}: generating about {round(listener.share * plays):,} plays")
        export = in_child(
            generate,
            export_dir,
            round(listener.share * plays),
            years=listener.years * plays / FULL_SIZE,
            seed=listener.seed,
            time_zone=listener.time_zone,
        )
        progress(f"{listener.user_id}: importing {export['plays']:,} plays")
        imported = in_child(
            run_import,
            str(root / listener.user_id),
            dsn,
            export,
            listener.user_id,
            listener.time_zone,
        )
        progress(f"{listener.user_id}: imported in {imported['seconds']:.0f} s")
        shutil.rmtree(export_dir)  # hundreds of MB of JSON, in the lake now
    conn = psycopg2.connect(dsn)
    try:
        for listener in (BIG, FRIEND):
            set_sharing(conn, listener.user_id, True, DEFAULT_END, time_zone=listener.time_zone)
    finally:
        conn.close()


@dataclass(frozen=True)
class Page:
    fetched_at: datetime
    after_ms: int
    body: dict[str, Any]
    last_played_at: datetime


def hourly_pages(rounds: int) -> list[Page]:
    """What the hourly ingest would fetch for the big listener after the history: the next
    `rounds` hours that hold plays, each as a recently-played page, as Spotify serves it."""
    catalog = default_catalog()
    listener = SimulatedListener(catalog, BIG.seed, BIG.time_zone)
    pages: list[Page] = []
    hour, after = DEFAULT_END, DEFAULT_END
    while len(pages) < rounds:
        hour += timedelta(hours=1)
        plays = listener.plays_between(after, hour)
        if not plays:
            continue
        items = [play_history_object(play, catalog, SPOTIFY_API) for play in reversed(plays)]
        body = {
            "items": items,  # newest first, as Spotify lists them
            "next": None,
            "cursors": {
                "after": str(unix_ms(plays[-1].played_at)),
                "before": str(unix_ms(plays[0].played_at)),
            },
            "limit": 50,
            "href": f"{SPOTIFY_API}/me/player/recently-played?after={unix_ms(after)}&limit=50",
        }
        pages.append(Page(hour, unix_ms(after), body, plays[-1].played_at))
        after = plays[-1].played_at
    return pages


def ingest(settings: Settings, page: Page) -> float:
    """Store the page as the hourly ingest does and run the pipeline on it; seconds taken."""
    started = time.perf_counter()
    key = recently_played_key(BIG.user_id, page.fetched_at, page.after_ms)
    lake_from_settings(settings).put_new(key, json.dumps(page.body).encode())
    [state] = process_raw_keys(settings, [key], lambda: page.fetched_at)
    if state.get("inserted") != len(page.body["items"]):
        raise RuntimeError(f"{key}: {state.get('inserted')} of {len(page.body['items'])} stored")
    return time.perf_counter() - started


# The server and its clients ------------------------------------------------------------------


def serve(settings: Settings, now: datetime, port_to: Connection) -> None:
    """The app under uvicorn on a port the OS picks, sent to `port_to`; runs until stopped."""
    import uvicorn

    from api.app import create_app

    # Named TCP, so that asyncio sets TCP_NODELAY on each connection, as on the sockets
    # uvicorn opens itself: without it every answer on a kept-alive connection waits 40 ms
    # for the client's delayed ACK.
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    port_to.send(listening.getsockname()[1])
    app = create_app(settings, clock=lambda: now)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])


@contextmanager
def served(settings: Settings, now: datetime) -> Iterator[str]:
    """The app in a child process; yields its base URL once it answers."""
    spawn = multiprocessing.get_context("spawn")
    receive, send = spawn.Pipe(duplex=False)
    server = spawn.Process(target=serve, args=(settings, now, send), daemon=True)
    server.start()
    try:
        if not receive.poll(120):
            raise RuntimeError("the API server did not start")
        base = f"http://127.0.0.1:{receive.recv()}"
        # The socket listens already: this waits in its backlog until the app has started.
        requests.get(f"{base}/api/v1/me", timeout=120).raise_for_status()
        yield base
    finally:
        server.terminate()
        server.join(30)


def fire(base: str, work: list[Request], etags: Mapping[Request, str] | None = None) -> Answers:
    """Send every request once, shared by `CLIENTS` concurrent clients in the order given;
    with `etags`, each as a revalidation of the answer that ETag names."""
    pending: queue.SimpleQueue[Request] = queue.SimpleQueue()
    for request in work:
        pending.put(request)
    answers: Answers = {request: [] for request in work}

    def client() -> None:
        with requests.Session() as session:
            while True:
                try:
                    request = pending.get_nowait()
                except queue.Empty:
                    return
                etag = (etags or {}).get(request)
                headers = {"If-None-Match": etag} if etag else {}
                started = time.perf_counter()
                response = session.get(base + request.url, headers=headers, timeout=600)
                ms = (time.perf_counter() - started) * 1000
                if response.status_code not in (200, 304):
                    raise RuntimeError(f"{request.url}: {response.status_code} {response.text}")
                answer = Answer(
                    ms, response.status_code, response.headers.get("ETag"), response.content
                )
                answers[request].append(answer)

    with ThreadPoolExecutor(CLIENTS) as pool:
        for done in [pool.submit(client) for _ in range(CLIENTS)]:
            done.result()
    return answers


def latest_etags(answers: Answers, etags: Mapping[Request, str]) -> dict[Request, str]:
    """The ETag a browser holds after these answers: the last one it got for each URL."""
    held = dict(etags)
    for request, got in answers.items():
        for answer in got:
            if answer.etag:
                held[request] = answer.etag
    return held


def shuffled(work: list[Request], times: int, rng: random.Random) -> list[Request]:
    """`times` rounds of the requests, each round in its own order (a mix, as from pages)."""
    rounds = []
    for _ in range(times):
        batch = list(work)
        rng.shuffle(batch)
        rounds.extend(batch)
    return rounds


# The requests --------------------------------------------------------------------------------


def history_requests(base: str, four_weeks: dict[str, str]) -> list[Request]:
    """Every GET endpoint of the OpenAPI document that reads the history, with its
    parameters filled in: defaults, then each other value of an enumerated parameter;
    over all time and four weeks when the endpoint takes a range."""
    document = requests.get(f"{base}/openapi.json", timeout=60).json()
    values = required_values(base)
    found = []
    for path, operations in document["paths"].items():
        if "get" not in operations or not path.startswith("/api/v1/") or path in NOT_HISTORY:
            continue
        parameters = operations["get"].get("parameters", [])
        names = {parameter["name"] for parameter in parameters}
        url = path
        required = {}
        for parameter in parameters:
            name = parameter["name"]
            if parameter["in"] == "path":
                url = url.replace(f"{{{name}}}", quote(values[name], safe=""))
            elif parameter.get("required"):
                if name not in values:
                    raise LookupError(f"{path} needs `{name}`: give it a value in required_values")
                required[name] = values[name]
        variants: list[tuple[str, dict[str, str]]] = [("", {})]
        for parameter in parameters:
            enum = enumerated(document, parameter["schema"])
            default = parameter["schema"].get("default")
            variants += [
                (f"?{parameter['name']}={v}", {parameter["name"]: v}) for v in enum if v != default
            ]
        periods = {ALL_TIME: {}, FOUR_WEEKS: four_weeks} if "from" in names else {NO_RANGE: {}}
        for label, varied in variants:
            for period, dates in periods.items():
                query = urlencode(required | varied | dates)
                found.append(
                    Request(path[len("/api/v1/") :] + label, period, f"{url}?{query}".rstrip("?"))
                )
    return found


def enumerated(document: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return list(schema.get("enum", []))


def required_values(base: str) -> dict[str, str]:
    """Real values for the parameters an endpoint cannot do without: the top items."""

    def top(kind: str) -> dict[str, Any]:
        answer = requests.get(f"{base}/api/v1/top_{kind}", params={"limit": 1}, timeout=600)
        answer.raise_for_status()
        return dict(answer.json()["items"][0])

    artist = top("artists")
    return {
        "track_id": top("tracks")["track_id"],
        "artist_id": artist["artist_id"],
        "album_id": top("albums")["album_id"],
        "name": top("shows")["name"],  # a show's
        "q": artist["name"].split()[0],
        "friend_user_id": FRIEND.user_id,
    }


# The report ----------------------------------------------------------------------------------


def times(*answers: Answers) -> dict[Request, list[float]]:
    collected: dict[Request, list[float]] = {}
    for batch in answers:
        for request, got in batch.items():
            collected.setdefault(request, []).extend(answer.ms for answer in got)
    return collected


def differences(reference: Answers, scan: Answers) -> dict[Request, str]:
    """Where the answers from the rollups and from the scan differ: the first place in each."""
    found = {}
    for request, got in reference.items():
        where = first_difference(json.loads(got[-1].body), json.loads(scan[request][-1].body))
        if where is not None:
            found[request] = where
    return found


def first_difference(rollups: Any, scan: Any, at: str = "") -> str | None:
    if isinstance(rollups, dict) and isinstance(scan, dict) and rollups.keys() == scan.keys():
        inner = (first_difference(rollups[k], scan[k], f"{at}.{k}") for k in rollups)
    elif isinstance(rollups, list) and isinstance(scan, list) and len(rollups) == len(scan):
        inner = (
            first_difference(r, s, f"{at}[{i}]")
            for i, (r, s) in enumerate(zip(rollups, scan, strict=True))
        )
    elif isinstance(rollups, float) and isinstance(scan, float):
        # The rollups keep means as `real`: six significant digits alike is alike.
        return None if math.isclose(rollups, scan, rel_tol=1e-6) else f"{at}: {rollups!r}, {scan!r}"
    else:
        return None if rollups == scan else f"{at or '.'}: {rollups!r}, {scan!r}"
    return next((where for where in inner if where is not None), None)


def table(rows: list[Row]) -> str:
    header = (
        f"{'endpoint':<34} {'range':<8} {'warm p50':>9} {'p95':>7} {'304 p95':>8} "
        f"{'cold p50':>9} {'p95':>7} {'scan p50':>9} {'scan/cold':>9}"
    )
    lines = [header, "-" * len(header)]
    for row in sorted(rows, key=lambda row: row.worst_p95, reverse=True):
        lines.append(
            f"{row.request.endpoint:<34} {row.request.period:<8} {row.warm[0]:>9.1f} "
            f"{row.warm[1]:>7.1f} {row.revalidated[1]:>8.1f} {row.cold[0]:>9.1f} "
            f"{row.cold[1]:>7.1f} {row.scan_p50:>9.0f} {row.scan_p50 / row.cold[0]:>8.1f}x"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=FULL_SIZE, help="over all listeners")
    parser.add_argument("--rounds", type=int, default=20, help="cold rounds (new plays)")
    parser.add_argument("--repeat", type=int, default=20, help="warm requests per request")
    parser.add_argument("--scan-repeat", type=int, default=3, help="scan requests per request")
    arguments = parser.parse_args()
    rng = random.Random(11)

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        server = embedded_server_url(root / "pgdata")
        dsn = fresh_database(server, "api_latency")
        fill_warehouse(root, dsn, arguments.plays)
        pages = hourly_pages(arguments.rounds)
        now = pages[-1].fetched_at
        last_day = pages[-1].last_played_at.astimezone(ZoneInfo(BIG.time_zone)).date()
        four_weeks = {"from": str(last_day - timedelta(days=27)), "to": str(last_day)}
        settings = Settings(
            home=root / BIG.user_id,
            database_url=dsn,
            user_id=BIG.user_id,
            time_zone=BIG.time_zone,
            feature_providers=("sample",),
        )
        with served(settings, now) as base:
            work = history_requests(base, four_weeks)
            progress(f"{len(work)} requests; warming up")
            etags = latest_etags(fire(base, work), {})
            progress(f"warm: {arguments.repeat} full answers each")
            warm = fire(base, shuffled(work, arguments.repeat, rng))
            progress(f"warm: {arguments.repeat} revalidations each")
            revalidated = fire(base, shuffled(work, arguments.repeat, rng), etags)
            etags = latest_etags(revalidated, etags)
            cold: list[Answers] = []
            ingest_s = []
            for number, page in enumerate(pages, start=1):
                ingest_s.append(ingest(settings, page))
                cold.append(fire(base, shuffled(work, 1, rng), etags))
                etags = latest_etags(cold[-1], etags)
                progress(
                    f"cold round {number}/{len(pages)}: {len(page.body['items'])} new plays "
                    f"stored in {ingest_s[-1]:.1f} s"
                )
            reference = fire(base, work)  # full answers over the final plays, to compare
            summary = json.loads(requests.get(f"{base}/api/v1/summary", timeout=600).content)

        conn = psycopg2.connect(dsn)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*), count(DISTINCT user_id) FROM fact_plays")
            plays, users = cur.fetchone() or (0, 0)
        create_scan_schema(conn)
        conn.close()
        scan_settings = settings.model_copy(
            update={"database_url": scan_database_url(dsn), "api_cache_mb": 0}
        )
        progress(f"scan: {arguments.scan_repeat} answers each, straight from fact_plays")
        with served(scan_settings, now) as base:
            scan = fire(base, shuffled(work, arguments.scan_repeat, rng))

    warm_ms, revalidated_ms, cold_ms, scan_ms = (
        times(warm),
        times(revalidated),
        times(*cold),
        times(scan),
    )
    rows = [
        Row(
            request,
            p50_p95(warm_ms[request]),
            p50_p95(revalidated_ms[request]),
            p50_p95(cold_ms[request]),
            statistics.median(scan_ms[request]),
        )
        for request in work
    ]
    differs = differences(reference, scan)
    not_modified = sum(a.status == 304 for got in revalidated.values() for a in got)
    cold_not_modified = sum(
        a.status == 304 for batch in cold for got in batch.values() for a in got
    )
    worst_warm = max(rows, key=lambda row: row.warm[1])
    worst_revalidated = max(rows, key=lambda row: row.revalidated[1])
    worst_cold = max(rows, key=lambda row: row.cold[1])
    speedup = sum(row.scan_p50 for row in rows) / sum(row.cold[0] for row in rows)

    print(
        f"{plays:,} plays over {users} listeners; timed: {BIG.user_id}, "
        f"{summary['plays']:,} plays from {summary['first_played_at'][:10]} to "
        f"{summary['last_played_at'][:10]}; four weeks: {four_weeks['from']} to {four_weeks['to']}"
    )
    print(
        f"{len(work)} requests, {CLIENTS} concurrent clients over HTTP, times in ms. Warm: "
        f"{arguments.repeat} each in full, and {arguments.repeat} revalidated "
        f"({not_modified} of {len(work) * arguments.repeat} answered 304). Cold: {len(pages)} "
        f"rounds of new plays, stored in {statistics.median(ingest_s):.1f} s each (median); "
        f"{cold_not_modified} cold answers were 304. Scan: {arguments.scan_repeat} each."
    )
    print(table(rows))
    for request, where in differs.items():
        print(
            f"differs from the scan: {request.endpoint} {request.period} at {where} (rollups, scan)"
        )
    print(
        f"plays={plays} users={users} big_user_plays={summary['plays']} "
        f"requests={len(work)} worst_warm_p95_ms={worst_warm.warm[1]:.1f} "
        f"worst_warm_endpoint={worst_warm.request.endpoint}@{worst_warm.request.period} "
        f"worst_revalidated_p95_ms={worst_revalidated.revalidated[1]:.1f} "
        f"worst_cold_p95_ms={worst_cold.cold[1]:.1f} "
        f"worst_cold_endpoint={worst_cold.request.endpoint}@{worst_cold.request.period} "
        f"speedup_vs_scan={speedup:.1f} scan_differs={len(differs)}"
    )


if __name__ == "__main__":
    main()
