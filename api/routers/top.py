from typing import Annotated

from fastapi import APIRouter, Query

from api.db import load_query
from api.deps import DatabaseDep, ScopeDep
from api.models.common import TopMeasure
from api.models.listening import TopArtist, TopArtists, TopTrack, TopTracks

router = APIRouter(tags=["listening"])

_TOP_TRACKS = load_query("top_tracks")
_TOP_ARTISTS = load_query("top_artists")

Limit = Annotated[int, Query(ge=1, le=100, description="How many items, 1 to 100.")]
By = Annotated[
    TopMeasure,
    Query(
        description="Rank by `listening_time` (the sum of ms_played) or by `plays`; ties go "
        "to the other measure, then the name, then the id."
    ),
]


@router.get(
    "/top_tracks",
    summary="Top tracks",
    description="Tracks ranked by `by` (listening time unless told otherwise) within the "
    "inclusive local days `from`..`to`.",
)
def top_tracks(
    scope: ScopeDep, database: DatabaseDep, limit: Limit = 10, by: By = TopMeasure.listening_time
) -> TopTracks:
    rows = database.fetch_all(_TOP_TRACKS, scope.params(limit=limit, by=by.value))
    return TopTracks(by=by, items=[TopTrack.model_validate(row) for row in rows])


@router.get(
    "/top_artists",
    summary="Top artists",
    description="Artists ranked by `by` (listening time unless told otherwise) within the "
    "inclusive local days `from`..`to`. A play credits every artist of its track with its "
    "full listening time, so the artists' totals can exceed the summary's.",
)
def top_artists(
    scope: ScopeDep, database: DatabaseDep, limit: Limit = 10, by: By = TopMeasure.listening_time
) -> TopArtists:
    rows = database.fetch_all(_TOP_ARTISTS, scope.params(limit=limit, by=by.value))
    return TopArtists(by=by, items=[TopArtist.model_validate(row) for row in rows])
