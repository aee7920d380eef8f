"""Artist details, looked up one ID per request (the batch endpoint is closed), once ever."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from etl.core.http import BudgetSpent, CoolingDown, ServiceError, ServiceUnreachable
from etl.spotify.client import SpotifyApi

logger = logging.getLogger(__name__)


@dataclass
class ArtistLookups:
    # {"artist_id", "name", "genres", "image_url"}; name None for ids Spotify does not know
    artists: list[dict[str, Any]] = field(default_factory=list)
    stopped: str | None = None  # why the rest waits for a later run


def look_up_artists(api: SpotifyApi, artist_ids: Sequence[str]) -> ArtistLookups:
    lookups = ArtistLookups()
    for artist_id in artist_ids:
        try:
            artist = api.artist(artist_id)
        except ServiceUnreachable as error:
            lookups.stopped = str(error)
            return lookups  # the HTTP layer has said so once for the run; not again per file
        except ServiceError as error:
            if error.status in (400, 404):  # not an artist Spotify knows: never ask again
                lookups.artists.append(
                    {"artist_id": artist_id, "name": None, "genres": None, "image_url": None}
                )
                continue
            lookups.stopped = str(error)
            break
        except (CoolingDown, BudgetSpent) as error:
            lookups.stopped = str(error)
            break
        images = sorted(artist.get("images") or [], key=lambda image: image.get("width") or 0)
        lookups.artists.append(
            {
                "artist_id": artist_id,
                "name": artist.get("name"),
                "genres": artist.get("genres") or [],
                "image_url": next((i["url"] for i in images if (i.get("width") or 0) >= 160), None)
                or (images[-1]["url"] if images else None),
            }
        )
    if lookups.stopped:
        logger.info("Artist lookups stopped early: %s", lookups.stopped)
    return lookups
