"""A warehouse filled by hand for API tests: known plays, hand-computable answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from etl.warehouse.load import refresh_stale_aggregates

ME, FRIEND = "me", "friend"


@dataclass
class Warehouse:
    """Inserts users, dimensions, plays and daily mood rows, as the ETL would leave them.

    `refresh()` builds the rollups from the plays, as the apply step does."""

    conn: Any

    def execute(self, sql: str, params: Sequence[object]) -> None:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)

    def user(self, user_id: str, time_zone: str) -> None:
        self.execute("INSERT INTO users (user_id, time_zone) VALUES (%s, %s)", (user_id, time_zone))

    def artist(self, artist_id: str, name: str) -> None:
        self.execute("INSERT INTO dim_artists VALUES (%s, %s)", (artist_id, name))

    def album(self, album_id: str, name: str, image_url: str | None) -> None:
        self.execute(
            "INSERT INTO dim_albums (album_id, name, image_url) VALUES (%s, %s, %s)",
            (album_id, name, image_url),
        )

    def track(self, track_id: str, name: str, album_id: str | None, artists: list[str]) -> None:
        self.execute(
            "INSERT INTO dim_tracks (track_id, name, album_id, duration_ms) "
            "VALUES (%s, %s, %s, 240000)",
            (track_id, name, album_id),
        )
        for position, artist_id in enumerate(artists):
            self.execute(
                "INSERT INTO track_artists VALUES (%s, %s, %s)", (track_id, position, artist_id)
            )

    def episode(
        self, episode_id: str, name: str, show: str = "A Show", kind: str = "episode"
    ) -> None:
        self.execute(
            "INSERT INTO dim_episodes (episode_id, name, show_name, kind) VALUES (%s, %s, %s, %s)",
            (episode_id, name, show, kind),
        )

    def play(
        self,
        started_at: str,
        ms_played: int,
        *,
        track: str | None = None,
        episode: str | None = None,
        user_id: str = ME,
        skipped: bool | None = False,
        source: str = "api",
        reason_end: str | None = None,
        shuffle: bool | None = None,
        offline: bool | None = None,
        platform: str | None = None,
    ) -> None:
        start = datetime.fromisoformat(started_at)
        self.execute(
            "WITH raw AS (INSERT INTO loaded_objects (lake_key) VALUES ('raw/test') "
            "ON CONFLICT (lake_key) DO UPDATE SET lake_key = EXCLUDED.lake_key "
            "RETURNING object_id) "
            "INSERT INTO fact_plays (user_id, source, started_at, ended_at, track_id, "
            "episode_id, ms_played, skipped, reason_end, shuffle, offline, platform, object_id) "
            "SELECT %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, object_id FROM raw",
            (
                user_id,
                source,
                start,
                start + timedelta(milliseconds=ms_played),
                track,
                episode,
                ms_played,
                skipped,
                reason_end,
                shuffle,
                offline,
                platform,
            ),
        )

    def mood_day(
        self,
        day: str,
        listening_ms: int,
        featured_ms: int,
        valence: float | None,
        energy: float | None,
        *,
        plays: int = 1,
        user_id: str = ME,
    ) -> None:
        self.execute(
            "INSERT INTO agg_daily_mood (user_id, day, plays, listening_ms, featured_ms, "
            "valence, energy, coverage) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                user_id,
                day,
                plays,
                listening_ms,
                featured_ms,
                valence,
                energy,
                featured_ms / listening_ms,
            ),
        )

    def refresh(self) -> None:
        """Mark every day of every user's plays stale and rebuild the rollups (commits)."""
        self.execute(
            "INSERT INTO agg_stale_days (user_id, day) "
            "SELECT DISTINCT p.user_id, (p.started_at AT TIME ZONE u.time_zone)::date "
            "FROM fact_plays p JOIN users u USING (user_id) ON CONFLICT DO NOTHING",
            (),
        )
        refresh_stale_aggregates(self.conn)
