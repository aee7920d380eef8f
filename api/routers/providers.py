from __future__ import annotations

from contextlib import closing
from typing import Annotated

from fastapi import APIRouter, Depends, Path

from api.db import load_query
from api.deps import ClockDep, DatabaseDep, SettingsDep, UserIdDep, current_user_id
from api.models.genres import KindCoverage, ProviderCoverage, Refetch
from etl.warehouse.connection import connect
from etl.warehouse.refetch import ProviderKind, queue_refetch

# Not a cached answer: the feature misses it counts are no data version's.
router = APIRouter(prefix="/providers", tags=["providers"])

_COVERAGE = load_query("providers_coverage")


@router.get(
    "",
    summary="What the providers know",
    description="For each kind of data fetched from providers (`features` of the tracks, "
    "`genres` of their artists, `artwork` of their albums), over the music you ever played: "
    "how many items a provider knew (and which), how many the providers did not know, how "
    "many were not asked yet, and the share of your music listening time they cover.",
)
def coverage(user_id: UserIdDep, database: DatabaseDep) -> ProviderCoverage:
    rows = database.fetch_all(_COVERAGE, {"user_id": user_id})
    kinds = []
    for row in rows:
        listening_ms = int(row.pop("listening_ms"))
        covered_ms = int(row.pop("covered_ms"))
        known = sum(int(count["items"]) for count in row["by_provider"])
        kinds.append(
            KindCoverage.model_validate(
                {
                    **row,
                    "known": known,
                    "share_of_time": covered_ms / listening_ms if listening_ms else 0.0,
                }
            )
        )
    return ProviderCoverage(kinds=kinds)


@router.post(
    "/{kind}/refetch",
    summary="Fetch again",
    description="Every item of `kind` that the providers did not know is asked about again "
    "on the next enrich run instead of when its wait ends. Features, genres and covers are "
    "shared by the users of this Moodify: every unknown item is queued, whoever played it.",
    dependencies=[Depends(current_user_id)],  # signed in is enough: the catalog is everyone's
)
def refetch(
    kind: Annotated[ProviderKind, Path(description="`features`, `genres` or `artwork`.")],
    settings: SettingsDep,
    clock: ClockDep,
) -> Refetch:
    with closing(connect(settings)) as conn:
        queued = queue_refetch(conn, kind, clock())
    return Refetch(kind=kind, queued=queued)
