from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query

from api.answers import CachedAnswers
from api.db import Database, Row, load_query
from api.db import Query as SqlQuery
from api.deps import DatabaseDep, ScopeDep
from api.models.common import TopMeasure
from api.models.listening import Page, TopAlbums, TopArtists, TopShows, TopTracks

router = APIRouter(tags=["listening"], route_class=CachedAnswers)

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


@dataclass(frozen=True)
class RankingPage:
    """Which page of a ranking a request asks for, ranked by which measure."""

    limit: int
    offset: int
    by: TopMeasure


async def ranking_page(
    limit: Limit = 10, offset: Offset = 0, by: By = TopMeasure.listening_time
) -> RankingPage:
    return RankingPage(limit, offset, by)


RankingPageDep = Annotated[RankingPage, Depends(ranking_page)]

TopList = TypeVar("TopList", bound=Page)


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


def _top(
    answer: type[TopList],
    database: Database,
    query: SqlQuery,
    params: dict[str, object],
    page: RankingPage,
) -> TopList:
    """The page of the ranking that `query` reads with `params`, as `answer`."""
    page_params = {**params, "by": page.by.value, "limit": page.limit, "offset": page.offset}
    rows, total = _ranked(database, query, page_params)
    return answer.model_validate(
        {"by": page.by, "offset": page.offset, "total": total, "items": rows}
    )


@router.get(
    "/top_tracks",
    summary="Top tracks",
    description=f"Tracks ranked by `by` (listening time unless told otherwise) {_RANGE}.",
)
def top_tracks(page: RankingPageDep, scope: ScopeDep, database: DatabaseDep) -> TopTracks:
    return _top(TopTracks, database, _TOP_TRACKS, scope.params(), page)


@router.get(
    "/top_artists",
    summary="Top artists",
    description=f"Artists ranked by `by` (listening time unless told otherwise) {_RANGE}. "
    "A play credits every artist of its track with its full listening time, so the artists' "
    "totals can exceed the summary's.",
)
def top_artists(page: RankingPageDep, scope: ScopeDep, database: DatabaseDep) -> TopArtists:
    return _top(TopArtists, database, _TOP_ARTISTS, scope.params(), page)


@router.get(
    "/top_albums",
    summary="Top albums",
    description=f"Albums ranked by `by` (listening time unless told otherwise) {_RANGE}. "
    "An album's plays are its tracks' plays; its artists are those credited on the tracks "
    "played, lead artists first.",
)
def top_albums(page: RankingPageDep, scope: ScopeDep, database: DatabaseDep) -> TopAlbums:
    return _top(TopAlbums, database, _TOP_ALBUMS, scope.params(), page)


@router.get(
    "/top_shows",
    summary="Top podcast shows",
    description=f"Podcast shows ranked by `by` (listening time unless told otherwise) "
    f"{_RANGE}, known by name (exports give a show no id). Audiobooks are not shows here: "
    "see `/top_audiobooks`.",
)
def top_shows(page: RankingPageDep, scope: ScopeDep, database: DatabaseDep) -> TopShows:
    return _top(TopShows, database, _TOP_SHOWS, scope.params(kind="episode"), page)


@router.get(
    "/top_audiobooks",
    summary="Top audiobooks",
    description=f"Audiobooks ranked by `by` (listening time unless told otherwise) {_RANGE}, "
    "by the audiobook's name; `episodes_played` counts its chapters played.",
)
def top_audiobooks(page: RankingPageDep, scope: ScopeDep, database: DatabaseDep) -> TopShows:
    return _top(TopShows, database, _TOP_SHOWS, scope.params(kind="chapter"), page)
