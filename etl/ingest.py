"""The hourly ingest: pull each connected account's new plays from Spotify into the lake."""

from __future__ import annotations

from etl.settings import Settings


def ingest_connected_users(settings: Settings) -> dict[str, object]:
    """Ingest every connected account; return what was done.

    Accounts are connected through Spotify sign-in, which does not exist yet, so there is
    no account to pull for: the schedule, permissions and handler are in place for it.
    """
    return {"connected_users": 0, "pages_written": 0, "lake_bucket": settings.lake_bucket}
