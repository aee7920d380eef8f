"""The `moodify` command: Moodify on one machine."""

from __future__ import annotations

import signal
import threading
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl.core.clock import system_clock
from etl.core.settings import Settings
from etl.exports.records import Superseded
from etl.imports.importer import ImportReport
from etl.pipeline.rebuild import RebuildRefused
from etl.pipeline.steps import State
from etl.spotify.ingest import IngestReport
from etl.warehouse.load import UserTotals
from moodify import local
from moodify.demo.friends import prepare_friends
from moodify.demo.simulation.live import LISTENERS, run_clock, start_live_demo

app = typer.Typer(
    help="Moodify: your Spotify listening history, on your machine.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@app.callback()
def main() -> None:
    """Moodify: your Spotify listening history, on your machine."""
    # Exit through Python on SIGTERM as on Ctrl+C, so that exit handlers run: the last
    # process using the embedded PostgreSQL stops it in one (uvicorn re-raises the signal
    # it caught once it has shut down, which lands here).
    signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _totals_table(title: str, totals: UserTotals) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    span = "-"
    if totals.first_played_at and totals.last_played_at:
        span = f"{totals.first_played_at:%Y-%m-%d} to {totals.last_played_at:%Y-%m-%d}"
    for label, value in (
        ("plays", f"{totals.plays:,}"),
        ("listening hours", f"{totals.listening_ms / 3_600_000:,.1f}"),
        ("date span", span),
        ("tracks", f"{totals.tracks:,}"),
        ("artists", f"{totals.artists:,}"),
        ("episodes", f"{totals.episodes:,}"),
    ):
        table.add_row(label, value)
    return table


_TAKEN_AS = {
    "extended_audio": "extended audio",
    "extended_video": "extended video",
    "extended_unknown": "extended, audio or video",  # claims no span
    "account_music": "account music",
    "account_podcast": "account podcasts",
}
_COUNTS = ("read", "new", "already_stored", "superseded", "not_plays", "rejected")


def _superseded(item: Superseded) -> str:
    if item.by == "match":
        plays = "play" if item.records == 1 else "plays"
        return f"{item.records:,} matching {item.source} {plays} in {item.file}"
    kind = f"{item.kind}, " if item.kind else ""
    span = f"{item.from_:%Y-%m-%d} to {item.to:%Y-%m-%d}" if item.from_ and item.to else ""
    return f"{item.records:,} within the span of {item.source} file {item.file} ({kind}{span})"


def _records_table(report: ImportReport) -> Table:
    table = Table(title="What became of every record", title_justify="left")
    table.add_column("file", overflow="fold")  # a name folds rather than losing its end
    table.add_column("taken as")
    for count in _COUNTS:  # a word a line, so that counts take no more room than they need
        table.add_column(count.replace("_", "\n"), justify="right", no_wrap=True)
    for file in report.with_status("imported"):
        counts = [getattr(file.records, count) if file.records else None for count in _COUNTS]
        table.add_row(
            file.name,
            _TAKEN_AS.get(file.taken_as or "", "-"),
            *("-" if n is None else f"{n:,}" for n in counts),
        )
    return table


def _print_report(report: ImportReport) -> None:
    imported = report.with_status("imported")
    console.print(
        f"Imported {len(imported)} file(s): {report.total('new'):,} new plays, "
        f"{report.total('already_stored'):,} already stored, "
        f"{report.total('superseded'):,} superseded by a more trusted source, "
        f"{report.total('not_plays'):,} records not plays, "
        f"{report.total('rejected'):,} rejected; "
        f"{report.features_stored:,} tracks given audio features."
    )
    if imported:
        console.print(_records_table(report))
    for file in imported:
        records = file.records
        if records is None:
            continue
        for item in records.superseded_by:
            console.print(f"Superseded in {file.name}: {_superseded(item)}")
        for reason, count in records.rejected_reasons:
            noun = "record" if count == 1 else "records"
            console.print(f"[yellow]Rejected in {file.name}:[/] {count:,} {noun}: {reason}")
        for replaced in records.replaced:
            how = "within its span" if replaced.by == "span" else "matching its plays"
            console.print(
                f"{file.name} replaced {replaced.plays:,} stored {replaced.source} plays {how}"
            )
    for file in report.with_status("quarantined"):
        console.print(f"[red]Set aside[/] {file.name}: {file.reason}")
    for file in report.with_status("ignored"):
        console.print(f"Left out {file.name}: {file.reason}")


@app.command()
def migrate() -> None:
    """Apply the warehouse migrations (a no-op when they are applied)."""
    applied = local.migrate(local.local_settings())
    console.print(f"Applied {', '.join(applied)}." if applied else "Warehouse is up to date.")


@app.command("import")
def import_(
    path: Annotated[
        Path,
        typer.Argument(
            exists=True, help="my_spotify_data.zip, its unpacked folder, or single JSON files."
        ),
    ],
) -> None:
    """Import a Spotify Extended Streaming History export."""
    settings = local.local_settings()
    started = time.monotonic()
    with Progress(
        TextColumn("{task.description}"),
        SpinnerColumn(),
        TextColumn("{task.completed} files"),
        TextColumn("{task.fields[plays]:,} plays"),
        TextColumn("{task.fields[rate]:,.0f} plays/s"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("Importing", total=None, plays=0, rate=0.0)

        def file_done(name: str, state: State) -> None:
            plays = progress.tasks[task].fields["plays"] + state.get("plays", 0)
            rate = plays / max(time.monotonic() - started, 1e-6)
            progress.update(task, advance=1, description=name, plays=plays, rate=rate)

        report = local.import_path(path, settings, on_file=file_done)
    if not (report.with_status("imported") or report.with_status("quarantined")):
        console.print(
            f"[red]No listening history found in {path}[/]: expected Spotify's "
            "Streaming_History_Audio_*.json, endsong_*.json or StreamingHistory*.json files "
            "(or my_spotify_data.zip holding them)."
        )
        for file in report.with_status("ignored"):
            console.print(f"Left out {file.name}: {file.reason}")
        raise typer.Exit(code=1)
    _print_report(report)
    console.print(_totals_table("Your warehouse", local.totals(settings)))
    if not report.with_status("imported"):
        raise typer.Exit(code=1)


@app.command()
def ingest() -> None:
    """Pull every connected account's new plays from Spotify, then process them."""
    settings = local.local_settings()
    report, runs = local.ingest(settings)
    if not report.users:
        console.print("No Spotify account is connected: run `moodify serve` and sign in.")
    for user in report.users:
        detail = f" ({user.detail})" if user.detail else ""
        console.print(f"{user.user_id}: {user.outcome}, {user.plays} plays{detail}")
    inserted = sum(run.get("inserted", 0) for run in runs)
    console.print(f"{inserted} new plays in the warehouse.")


@app.command("time-zone")
def time_zone(
    zone: Annotated[str, typer.Argument(help="An IANA time zone, such as Europe/Berlin.")],
) -> None:
    """Cut the listening days of the history the dashboard shows in this time zone (the
    mood calendar is rebuilt)."""
    settings = local.local_settings()
    whose = local.whose_data(settings)
    try:
        local.set_time_zone(local.for_user(settings, whose), zone)
    except ValueError as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(code=2) from error
    console.print(f"The days of {_history_of(whose)} are now cut in {zone}.")


@app.command()
def erase(
    first: Annotated[
        datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="First local day to erase."),
    ] = None,
    last: Annotated[
        datetime | None,
        typer.Option("--to", formats=["%Y-%m-%d"], help="Last local day to erase (included)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count the plays.")] = False,
    everything: Annotated[
        bool, typer.Option("--everything", help="Delete everything kept of the user.")
    ] = False,
) -> None:
    """Erase the plays of a range of days from the history the dashboard shows (a tombstone
    in the lake keeps them from coming back), or with --everything all of the user's data:
    plays, imports, settings, lake objects and the Spotify sign-in."""
    settings = local.local_settings()
    whose = local.whose_data(settings)
    target = local.for_user(settings, whose)
    if everything:
        typed = typer.prompt(
            f"This deletes everything Moodify keeps of user {whose.user_id!r}. "
            "Type the user id to confirm"
        )
        if typed.strip() != whose.user_id:
            console.print("[red]Not confirmed: nothing was deleted.[/]")
            raise typer.Exit(code=1)
        erased = local.erase_user(target)
        tables = sum(1 for rows in erased.rows.values() if rows)
        token = " and the Spotify refresh token" if erased.token_deleted else ""
        console.print(
            f"Deleted {sum(erased.rows.values()):,} rows from {tables} tables, "
            f"{erased.lake_objects:,} lake objects{token} of user {whose.user_id!r}."
        )
        return
    if first is None or last is None:
        console.print("[red]Give --from and --to (local days), or --everything.[/]")
        raise typer.Exit(code=2)
    try:
        found = local.erase_days(target, first.date(), last.date(), dry_run=dry_run)
    except ValueError as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(code=2) from error
    figures = f"{found.plays:,} plays, {found.listening_ms / 3_600_000:,.1f} listening hours"
    days = f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
    if dry_run:
        console.print(f"{days} of {_history_of(whose)} holds {figures}; nothing was erased.")
    else:
        console.print(f"Erased {figures} of {_history_of(whose)}, {days}.")


@app.command()
def rebuild() -> None:
    """Rebuild the warehouse from the lake (no Spotify or provider calls).

    The current warehouse serves until the new one is complete. Exits 1 when anything in
    the lake had to be set aside.
    """
    settings = local.local_settings()
    with console.status("Rebuilding the warehouse from the lake...") as status:

        def progress(done: int, total: int) -> None:
            status.update(f"Rebuilding the warehouse from the lake: {done:,} of {total:,} objects")

        try:
            rebuilt = local.rebuild(settings, progress)
        except RebuildRefused as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(code=2) from error
    console.print(
        f"Replayed {rebuilt.raw_objects:,} raw objects ({rebuilt.plays:,} plays) and "
        f"{rebuilt.enrichment_objects:,} enrichment answers."
    )
    whose = local.whose_data(settings)
    title = f"The warehouse: {_history_of(whose)}"
    console.print(_totals_table(title, local.totals(local.for_user(settings, whose))))
    if rebuilt.set_aside:
        console.print(
            f"[red]Set aside {len(rebuilt.set_aside)} raw object(s)[/] (reports under "
            "quarantine/ in the lake); what could not be read is not in the warehouse:"
        )
        for item in rebuilt.set_aside:
            earlier = " (already set aside before this rebuild, for the same reason)" * item.earlier
            # Unwrapped, so that a key can be copied from the terminal whole.
            console.print(f"  {item.key}: {item.reason}{earlier}", soft_wrap=True)
        raise typer.Exit(code=1)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the dashboard and the API."""
    settings = local.local_settings()
    _refuse_open_without_sign_in(settings, host or settings.host)
    if settings.spotify_connected:
        console.print("Sign-in is on: the dashboard shows the signed-in Spotify user's history.")
        _serve(settings, host, port)
        return
    whose = local.whose_data(settings)
    console.print(whose_message(settings, whose))
    _serve(local.for_user(settings, whose), host, port)


def _refuse_open_without_sign_in(settings: Settings, host: str) -> None:
    """Exit unless the server would be reached from this machine alone or ask who is there:
    without sign-in the API serves one user's history to whoever reaches it."""
    from api.local_guard import is_loopback

    if settings.spotify_connected or is_loopback(host):
        return
    console.print(
        f"[red]Refusing to serve on {host} without sign-in: anyone who reaches it could read "
        "and change your listening history.[/] Serve on 127.0.0.1 and reach it from another "
        "machine through `ssh -L 8000:127.0.0.1:8000`, or set up sign-in with Spotify "
        "(MOODIFY_SPOTIFY_CLIENT_ID) first."
    )
    raise typer.Exit(code=2)


def _history_of(whose: local.Whose) -> str:
    kind = "the demo's generated history" if whose.generated else "the listening history"
    return f"{kind} of user {whose.user_id!r}"


def whose_message(settings: Settings, whose: local.Whose) -> str:
    """Whose history the dashboard shows, why, and how to choose another."""
    lines = [f"Showing {_history_of(whose)} ({whose.chosen})."]
    if whose.user_id not in whose.histories:
        lines.append("It has no plays yet: `moodify import my_spotify_data.zip` adds yours.")
    elif whose.generated:
        lines.append(
            f"Your own export goes to user {settings.user_id!r} "
            "(`moodify import my_spotify_data.zip`), and the dashboard shows it from then on."
        )
    others = [user_id for user_id in whose.histories if user_id != whose.user_id]
    if others:
        lines.append(
            f"Also here: {', '.join(others)}. Choose with MOODIFY_USER_ID=<user> moodify serve."
        )
    return "\n".join(lines)


@app.command()
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the dashboard afterwards.")
    ] = True,
) -> None:
    """Fill the warehouse with a generated listening history, then serve the dashboard."""
    settings = local.demo_settings(local.local_settings())
    if serve_after:
        _refuse_open_without_sign_in(settings, settings.host)
    generated_at = system_clock()  # the friends' histories end where the demo's does
    with console.status("Preparing the demo's listening history..."):
        demo_data = local.prepare_demo(settings, lambda: generated_at)
    if demo_data.report is not None:
        _print_report(demo_data.report)
    else:
        console.print("Reusing the demo data already in the warehouse.")
    console.print(_totals_table("Demo listening history", demo_data.totals))
    with console.status("Preparing the demo's friends, who share their listening..."):
        friends = prepare_friends(settings, lambda: generated_at)
    if friends:
        console.print(f"Friends to compare with (/compare): {', '.join(friends)}.")
    if serve_after:
        _serve(settings, None, None)


@app.command()
def simulate(
    seconds_per_hour: Annotated[
        float, typer.Option(min=0.2, help="Real seconds per simulated hour.")
    ] = 3.0,
) -> None:
    """Live demo without a Spotify account: a fake Spotify, a simulated clock, hourly ingest."""
    with ExitStack() as stack:
        demo = start_live_demo(Settings(), stack, start=system_clock())
        stop = threading.Event()

        def report_tick(now: datetime, report: IngestReport, inserted: int) -> None:
            outcomes = ", ".join(f"{u.user_id}: {u.outcome}" for u in report.users)
            outcomes = outcomes or "nobody signed in yet"
            console.print(f"[dim]{now:%a %d %b %H:%M}[/] {inserted} new plays ({outcomes})")

        ticker = threading.Thread(
            target=run_clock, args=(demo, seconds_per_hour, stop, report_tick), daemon=True
        )
        ticker.start()
        names = " or ".join(name for _, name, _ in LISTENERS)
        console.print(
            f"Fake Spotify at {demo.spotify.url}; one simulated hour every {seconds_per_hour:g} s. "
            f"Open the dashboard, choose Sign in with Spotify and continue as {names}."
        )
        try:
            _serve(demo.settings, None, None)
        finally:
            stop.set()
            ticker.join(timeout=seconds_per_hour + 30)


def _serve(settings: Settings, host: str | None, port: int | None) -> None:
    import uvicorn

    from api.app import create_app

    host, port = host or settings.host, port or settings.port
    site_dir = settings.site_dir if (settings.site_dir / "index.html").is_file() else None
    if site_dir is None:
        console.print(
            f"[yellow]No built dashboard at {settings.site_dir}; serving the API only "
            "(run `make frontend`).[/]"
        )
    local.migrate(settings)
    console.print(
        f"Moodify is serving at [bold]http://{host}:{port}[/] "
        f"(API docs at /docs). Press Ctrl+C to stop."
    )
    app = create_app(
        settings,
        site_dir=site_dir,
        process_raw_keys=lambda keys: local.process_raw_keys(settings, keys),
        listening_on=host,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
