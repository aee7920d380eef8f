from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Query

from api.answers import CachedAnswers
from api.db import Row, load_query
from api.deps import DatabaseDep, ScopeDep
from api.models.playback import (
    Devices,
    DeviceShare,
    KnownShare,
    PlatformFamilyShare,
    SkipCounts,
    SkippedItem,
    Skips,
    SkipsBy,
)

router = APIRouter(tags=["playback"], route_class=CachedAnswers)

_SKIPS = {SkipsBy.track: load_query("skips_tracks"), SkipsBy.artist: load_query("skips_artists")}
_DEVICES = load_query("devices")

_RANGE = "within the inclusive local days `from`..`to`"


@router.get(
    "/skips",
    summary="Skip rates",
    description=f"How often music is skipped {_RANGE}: overall, and the most skipped tracks or "
    "artists (`by`) with at least `min_plays` plays of known skip status. A skip rate counts "
    "only plays whose skip status is known: the Web API does not say whether a play was "
    "skipped, so its plays count in `plays` and in no rate. Where an export did not record "
    "skips (2015 to 2022), a play under 30 seconds counts as skipped. A play counts for "
    "every artist of its track.",
)
def skips(
    scope: ScopeDep,
    database: DatabaseDep,
    by: SkipsBy = SkipsBy.track,
    limit: Annotated[int, Query(ge=1, le=100, description="How many items, 1 to 100.")] = 10,
    min_plays: Annotated[
        int,
        Query(
            ge=1,
            le=10_000,
            description="Leave out items with fewer plays of known skip status than this.",
        ),
    ] = 5,
) -> Skips:
    rows = database.fetch_all(_SKIPS[by], scope.params(limit=limit, min_plays=min_plays))
    overall = rows[0]  # the query always answers a row, with the overall counts
    return Skips(
        by=by,
        min_plays=min_plays,
        overall=SkipCounts(
            plays=overall["overall_plays"],
            skips=overall["overall_skips"],
            skip_known=overall["overall_skip_known"],
            skip_rate=overall["overall_skip_rate"],
        ),
        total=overall["total"] or 0,
        items=[SkippedItem.model_validate(row) for row in rows if row["id"] is not None],
    )


def _known_share(rows: list[Row], answer: str) -> KnownShare:
    """From the rows of one yes/no column: its yes, no and unknown (NULL) listening."""
    by_answer = {row[answer]: int(row["listening_ms"]) for row in rows}
    yes, known = by_answer.get(True, 0), by_answer.get(True, 0) + by_answer.get(False, 0)
    return KnownShare(
        listening_ms=yes,
        known_ms=known,
        unknown_ms=by_answer.get(None, 0),
        share=yes / known if known else None,
    )


@router.get(
    "/devices",
    summary="Platforms, devices, shuffle and offline",
    description=f"The share of listening time {_RANGE} by platform family, by device (the "
    "platform an export names, cleaned: the same phone on two system versions is one "
    "device), and how much was played on shuffle and offline. Sources that do not say (the "
    "Web API) count as platform Unknown and are left out of the shuffle and offline shares.",
)
def devices(scope: ScopeDep, database: DatabaseDep) -> Devices:
    parts: dict[str, list[Row]] = defaultdict(list)
    for row in database.fetch_all(_DEVICES, scope.params()):
        parts[row["part"]].append(row)
    [totals] = parts["all"]
    return Devices(
        plays=totals["plays"],
        listening_ms=totals["listening_ms"],
        families=[PlatformFamilyShare.model_validate(row) for row in parts["family"]],
        devices=[DeviceShare.model_validate(row) for row in parts["device"]],
        shuffle=_known_share(parts["shuffle"], "shuffle"),
        offline=_known_share(parts["offline"], "offline"),
    )
