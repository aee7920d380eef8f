from typing import Annotated

from fastapi import APIRouter, Query

from api.db import load_query
from api.deps import DatabaseDep, ScopeDep
from api.models import TopArtist, TopArtists, TopTrack, TopTracks

router = APIRouter(tags=["listening"])

_TOP_TRACKS = load_query("top_tracks")
_TOP_ARTISTS = load_query("top_artists")

Limit = Annotated[int, Query(ge=1, le=100, description="How many items, 1 to 100.")]


@router.get(
    "/top_tracks",
    summary="Most listened tracks",
    description="Tracks ranked by listening time (ms_played), then plays, then name, "
    "within the inclusive local days `from`..`to`.",
)
def top_tracks(scope: ScopeDep, database: DatabaseDep, limit: Limit = 10) -> TopTracks:
    rows = database.fetch_all(_TOP_TRACKS, scope.params(limit=limit))
    return TopTracks(items=[TopTrack.model_validate(row) for row in rows])


@router.get(
    "/top_artists",
    summary="Most listened artists",
    description="Artists ranked by listening time (ms_played), then plays, then name, "
    "within the inclusive local days `from`..`to`. A play credits every artist of its "
    "track with its full listening time, so the artists' totals can exceed the summary's.",
)
def top_artists(scope: ScopeDep, database: DatabaseDep, limit: Limit = 10) -> TopArtists:
    rows = database.fetch_all(_TOP_ARTISTS, scope.params(limit=limit))
    return TopArtists(items=[TopArtist.model_validate(row) for row in rows])
