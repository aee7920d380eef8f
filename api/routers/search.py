from typing import Annotated

from fastapi import APIRouter, Query

from api.answers import CachedAnswers
from api.db import load_query
from api.deps import DatabaseDep, ScopeDep, invalid
from api.models.search import SearchHit, SearchResults

router = APIRouter(tags=["listening"], route_class=CachedAnswers)

_SEARCH = load_query("search")


@router.get(
    "/search",
    summary="Search your listening",
    description="The tracks, artists, albums and shows (podcasts and audiobooks) you played "
    "within the inclusive local days `from`..`to` whose name contains `q`, ignoring case and "
    "accents; at most `limit` of each, the most played first.",
)
def search(
    scope: ScopeDep,
    database: DatabaseDep,
    q: Annotated[str, Query(max_length=100, description="Part of a name.")],
    limit: Annotated[int, Query(ge=1, le=50, description="How many of each kind.")] = 5,
) -> SearchResults:
    query = q.strip()
    if not query:
        raise invalid("q", "type part of a name to search for", q)
    rows = database.fetch_all(_SEARCH, scope.params(q=query, limit=limit))
    hits = [SearchHit.model_validate(row) for row in rows]
    return SearchResults(
        query=query,
        tracks=[hit for hit in hits if hit.kind == "track"],
        artists=[hit for hit in hits if hit.kind == "artist"],
        albums=[hit for hit in hits if hit.kind == "album"],
        shows=[hit for hit in hits if hit.kind in ("show", "audiobook")],
    )
