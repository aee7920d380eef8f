from typing import Annotated

from fastapi import APIRouter, Query

from api.db import Database, Row, load_query
from api.db import Query as SqlQuery
from api.deps import DatabaseDep, Scope, ScopeDep
from api.models.common import TopMeasure
from api.models.listening import (
    TopAlbum,
    TopAlbums,
    TopArtist,
    TopArtists,
    TopShow,
    TopShows,
    TopTrack,
    TopTracks,
)

router = APIRouter(tags=["listening"])

_TOP_TRACKS = load_query("top_tracks")
_TOP_ARTISTS = load_query("top_artists")
_TOP_ALBUMS = load_query("top_albums")
_TOP_SHOWS = load_query("top_shows")

Limit = Annotated[int, Query(ge=1, le=100, description="How many items, 1 to 100.")]
Offset = Annotated[
    int,
    Query(
        ge=0,
        le=1_000_000,
        description="How many items of the ranking to skip: the next page starts at the "
        "previous one's `offset` plus its items' count.",
    ),
]
By = Annotated[
    TopMeasure,
    Query(
        description="Rank by `listening_time` (the sum of ms_played) or by `plays`; ties go "
        "to the other measure, then the name, then the id."
    ),
]

_RANGE = "within the inclusive local days `from`..`to`, a page of `limit` items from `offset`"


def _ranked(
    database: Database, query: SqlQuery, params: dict[str, object]
) -> tuple[list[Row], int]:
    """One page of a ranking, and how many items the whole ranking holds."""
    rows = database.fetch_all(query, params)
    if rows:
        return rows, int(rows[0]["total"])
    if params["offset"] == 0:
        return rows, 0
    # A page past the end has no row to read the total from: the first item has it.
    first = database.fetch_all(query, {**params, "offset": 0, "limit": 1})
    return rows, int(first[0]["total"]) if first else 0


def _params(scope: Scope, by: TopMeasure, limit: int, offset: int) -> dict[str, object]:
    return scope.params(by=by.value, limit=limit, offset=offset)


@router.get(
    "/top_tracks",
    summary="Top tracks",
    description=f"Tracks ranked by `by` (listening time unless told otherwise) {_RANGE}.",
)
def top_tracks(
    scope: ScopeDep,
    database: DatabaseDep,
    limit: Limit = 10,
    offset: Offset = 0,
    by: By = TopMeasure.listening_time,
) -> TopTracks:
    rows, total = _ranked(database, _TOP_TRACKS, _params(scope, by, limit, offset))
    items = [TopTrack.model_validate(row) for row in rows]
    return TopTracks(by=by, offset=offset, total=total, items=items)


@router.get(
    "/top_artists",
    summary="Top artists",
    description=f"Artists ranked by `by` (listening time unless told otherwise) {_RANGE}. "
    "A play credits every artist of its track with its full listening time, so the artists' "
    "totals can exceed the summary's.",
)
def top_artists(
    scope: ScopeDep,
    database: DatabaseDep,
    limit: Limit = 10,
    offset: Offset = 0,
    by: By = TopMeasure.listening_time,
) -> TopArtists:
    rows, total = _ranked(database, _TOP_ARTISTS, _params(scope, by, limit, offset))
    items = [TopArtist.model_validate(row) for row in rows]
    return TopArtists(by=by, offset=offset, total=total, items=items)


@router.get(
    "/top_albums",
    summary="Top albums",
    description=f"Albums ranked by `by` (listening time unless told otherwise) {_RANGE}. "
    "An album's plays are its tracks' plays; its artists are those credited on the tracks "
    "played, lead artists first.",
)
def top_albums(
    scope: ScopeDep,
    database: DatabaseDep,
    limit: Limit = 10,
    offset: Offset = 0,
    by: By = TopMeasure.listening_time,
) -> TopAlbums:
    rows, total = _ranked(database, _TOP_ALBUMS, _params(scope, by, limit, offset))
    items = [TopAlbum.model_validate(row) for row in rows]
    return TopAlbums(by=by, offset=offset, total=total, items=items)


def _top_shows(
    scope: Scope, database: Database, kind: str, by: TopMeasure, limit: int, offset: int
) -> TopShows:
    params = _params(scope, by, limit, offset) | {"kind": kind}
    rows, total = _ranked(database, _TOP_SHOWS, params)
    items = [TopShow.model_validate(row) for row in rows]
    return TopShows(by=by, offset=offset, total=total, items=items)


@router.get(
    "/top_shows",
    summary="Top podcast shows",
    description=f"Podcast shows ranked by `by` (listening time unless told otherwise) "
    f"{_RANGE}, known by name (exports give a show no id). Audiobooks are not shows here: "
    "see `/top_audiobooks`.",
)
def top_shows(
    scope: ScopeDep,
    database: DatabaseDep,
    limit: Limit = 10,
    offset: Offset = 0,
    by: By = TopMeasure.listening_time,
) -> TopShows:
    return _top_shows(scope, database, "episode", by, limit, offset)


@router.get(
    "/top_audiobooks",
    summary="Top audiobooks",
    description=f"Audiobooks ranked by `by` (listening time unless told otherwise) {_RANGE}, "
    "by the audiobook's name; `episodes_played` counts its chapters played.",
)
def top_audiobooks(
    scope: ScopeDep,
    database: DatabaseDep,
    limit: Limit = 10,
    offset: Offset = 0,
    by: By = TopMeasure.listening_time,
) -> TopShows:
    return _top_shows(scope, database, "chapter", by, limit, offset)
