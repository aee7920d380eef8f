import re
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Path, Query

from api.answers import CachedAnswers
from api.db import Database, Row, load_query
from api.db import Query as Sql
from api.deps import DatabaseDep, Scope, ScopeDep
from api.models.common import TopMeasure
from api.models.entities import (
    AlbumEntity,
    ArtistEntity,
    EntityEpisode,
    EntityMonth,
    EntityMood,
    EntityTrack,
    ShowEntity,
    SpotifyLink,
    TrackEntity,
)

router = APIRouter(tags=["entities"], route_class=CachedAnswers)

_TRACK = load_query("entity_track")
_ARTIST = load_query("entity_artist")
_ALBUM = load_query("entity_album")
_SHOW = load_query("entity_show")
_TOTALS = load_query("entity_totals")
_MONTHS = load_query("entity_months")
_RANKS = load_query("entity_ranks")
_TOP_TRACKS = load_query("entity_top_tracks")
_TOP_EPISODES = load_query("entity_top_episodes")

_OPEN_SPOTIFY = "https://open.spotify.com"
# A Spotify ID is 22 base-62 characters; anything else (a provisional `name:` key) is not.
_SPOTIFY_ID = re.compile(r"[0-9A-Za-z]{22}")

_RANGE = (
    "`plays`, `listening_ms`, the top list and the mood cover the inclusive local days "
    "`from`..`to`; the first and last play, and `months` (plays per local month and the rank "
    "by plays among items of its kind that month), its whole history."
)
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such item, or one the signed-in user never played."}
}
_PROVISIONAL = (
    " Exports give artists and albums no Spotify ID: their ids are then provisional keys like "
    "`name:some artist`, which work here as they are (URL-encoded); `spotify_url` then "
    "searches Spotify for the name."
)

Limit = Annotated[int, Query(ge=1, le=50, description="How many top items, 1 to 50.")]
By = Annotated[
    TopMeasure,
    Query(
        description="Rank the top items by `plays` or by `listening_time`; ties go to the "
        "other measure, then the name, then the id."
    ),
]


def _id(what: str) -> Any:
    return Path(min_length=1, description=f"The {what}'s id: a Spotify ID or a `name:` key.")


def _item_url(kind: str, item_id: str) -> str | None:
    """The item on open.spotify.com, when `item_id` is a Spotify ID."""
    return f"{_OPEN_SPOTIFY}/{kind}/{item_id}" if _SPOTIFY_ID.fullmatch(item_id) else None


def _search_url(*names: str) -> str:
    return f"{_OPEN_SPOTIFY}/search/{quote(' '.join(name for name in names if name), safe='')}"


def _spotify(kind: str, item_id: str, *names: str) -> dict[str, Any]:
    """The `Entity` fields that open it in Spotify: the item, or a search for `names`."""
    url = _item_url(kind, item_id)
    if url is not None:
        return {"spotify_url": url, "spotify_link": SpotifyLink.item}
    return {"spotify_url": _search_url(*names), "spotify_link": SpotifyLink.search}


def _found(database: Database, query: Sql, params: Mapping[str, object], missing: str) -> Row:
    rows = database.fetch_all(query, params)
    if not rows:
        raise HTTPException(404, missing)
    return rows[0]


def _history(
    database: Database,
    scope: Scope,
    *,
    kind: str,
    item_ids: list[str],
    rank_kind: str,
    rank_id: str,
    never_played: str,
    top: tuple[Sql, Mapping[str, object]] | None = None,
) -> tuple[dict[str, Any], EntityMood, list[Row]]:
    """What every entity answers (the `Entity` fields but the Spotify link), its mood, and
    the rows of its `top` list when asked; its ranks are those of `rank_kind` and `rank_id`
    in agg_monthly_ranks. The reads are independent: they run side by side."""
    params = scope.params(kind=kind, item_ids=item_ids)
    rank_params = {"user_id": scope.user_id, "kind": rank_kind, "item_id": rank_id}
    (totals,), months, ranks, *top_rows = database.fetch_each(
        [(_TOTALS, params), (_MONTHS, params), (_RANKS, rank_params), *([top] if top else [])]
    )
    if totals["first_played_at"] is None:
        raise HTTPException(404, never_played)
    ranked = {row["month"]: row for row in ranks}
    fields = {
        "from_": scope.period.start,
        "to": scope.period.end,
        "plays": totals["plays"],
        "listening_ms": totals["listening_ms"],
        "first_played_at": totals["first_played_at"],
        "last_played_at": totals["last_played_at"],
        "months": [
            EntityMonth(
                **month,
                rank=ranked[month["month"]]["rank"] if month["month"] in ranked else None,
                ranked=ranked[month["month"]]["ranked"] if month["month"] in ranked else 0,
            )
            for month in months
        ],
    }
    mood = EntityMood(
        valence=totals["valence"],
        energy=totals["energy"],
        coverage=totals["coverage"],
        listening_ms=totals["listening_ms"],
    )
    return fields, mood, top_rows[0] if top_rows else []


def _with_top_tracks(
    database: Database,
    scope: Scope,
    row: Row,
    *,
    by: TopMeasure,
    limit: int,
    rank_kind: str,
    rank_id: str,
    never_played: str,
) -> dict[str, Any]:
    """An artist's or album's fields but the Spotify link: its `row` (whose `item_ids` are
    its tracks), their history, mood and top tracks."""
    item_ids = row.pop("item_ids")
    history, mood, top_rows = _history(
        database,
        scope,
        kind="track",
        item_ids=item_ids,
        rank_kind=rank_kind,
        rank_id=rank_id,
        never_played=never_played,
        top=(_TOP_TRACKS, scope.params(item_ids=item_ids, by=by.value, limit=limit)),
    )
    top_tracks = [EntityTrack.model_validate(top) for top in top_rows]
    return {**row, **history, "mood": mood, "by": by, "top_tracks": top_tracks}


@router.get(
    "/tracks/{track_id:path}",
    summary="A track",
    description="A track with its artists and album, its plays and its mood (its audio "
    "features, with coverage 0 or 1). " + _RANGE,
    responses=_NOT_FOUND,
)
def track(
    track_id: Annotated[str, _id("track")], scope: ScopeDep, database: DatabaseDep
) -> TrackEntity:
    row = _found(database, _TRACK, {"track_id": track_id}, f"No track with id {track_id!r}")
    history, mood, _ = _history(
        database,
        scope,
        kind="track",
        item_ids=row.pop("item_ids"),
        rank_kind="track",
        rank_id=track_id,
        never_played=f"You have never played the track {row['name']!r}",
    )
    lead = row["artists"][0]["name"] if row["artists"] else ""
    return TrackEntity(
        **row, **history, **_spotify("track", track_id, row["name"], lead), mood=mood
    )


@router.get(
    "/artists/{artist_id:path}",
    summary="An artist",
    description="An artist with the plays of every track credited to it, its top tracks and "
    "their mood. " + _RANGE + _PROVISIONAL,
    responses=_NOT_FOUND,
)
def artist(
    artist_id: Annotated[str, _id("artist")],
    scope: ScopeDep,
    database: DatabaseDep,
    by: By = TopMeasure.plays,
    limit: Limit = 10,
) -> ArtistEntity:
    params = {"artist_id": artist_id, "user_id": scope.user_id}
    row = _found(database, _ARTIST, params, f"No artist with id {artist_id!r}")
    fields = _with_top_tracks(
        database,
        scope,
        row,
        by=by,
        limit=limit,
        rank_kind="artist",
        rank_id=artist_id,
        never_played=f"You have never played a track by {row['name']!r}",
    )
    return ArtistEntity(**fields, **_spotify("artist", artist_id, row["name"]))


@router.get(
    "/albums/{album_id:path}",
    summary="An album",
    description="An album with the plays of its tracks, its top tracks and their mood. "
    + _RANGE
    + _PROVISIONAL,
    responses=_NOT_FOUND,
)
def album(
    album_id: Annotated[str, _id("album")],
    scope: ScopeDep,
    database: DatabaseDep,
    by: By = TopMeasure.plays,
    limit: Limit = 10,
) -> AlbumEntity:
    row = _found(database, _ALBUM, {"album_id": album_id}, f"No album with id {album_id!r}")
    fields = _with_top_tracks(
        database,
        scope,
        row,
        by=by,
        limit=limit,
        rank_kind="album",
        rank_id=album_id,
        never_played=f"You have never played a track of the album {row['name']!r}",
    )
    lead = row["artists"][0]["name"] if row["artists"] else ""
    return AlbumEntity(**fields, **_spotify("album", album_id, row["name"], lead))


@router.get(
    "/shows",
    summary="A podcast show or audiobook",
    description="A show (or audiobook), known by its name since exports give shows no id, "
    "with the plays of its episodes (chapters) and its top episodes; no mood (episodes have "
    "no audio features). Its rank each month is among the shows of its kind (podcasts, or "
    "audiobooks). " + _RANGE + " `spotify_url` searches Spotify for the name.",
    responses=_NOT_FOUND,
)
def show(
    name: Annotated[
        str, Query(min_length=1, description="The show's name, exactly as its episodes give it.")
    ],
    scope: ScopeDep,
    database: DatabaseDep,
    by: By = TopMeasure.plays,
    limit: Limit = 10,
) -> ShowEntity:
    row = _found(database, _SHOW, {"name": name}, f"No show named {name!r}")
    item_ids = row.pop("item_ids")
    history, _, episodes = _history(
        database,
        scope,
        kind="episode",
        item_ids=item_ids,
        rank_kind="audiobook" if row["kind"] == "audiobook" else "show",
        rank_id=name,
        never_played=f"You have never played an episode of {name!r}",
        top=(_TOP_EPISODES, scope.params(item_ids=item_ids, by=by.value, limit=limit)),
    )
    return ShowEntity(
        **row,
        **history,
        spotify_url=_search_url(name),
        spotify_link=SpotifyLink.search,
        by=by,
        top_episodes=[
            EntityEpisode(**episode, spotify_url=_item_url("episode", episode["episode_id"]))
            for episode in episodes
        ],
    )
