"""A fake ReccoBeats: audio features by Spotify track ID, for the catalog's tracks.

`GET /v1/audio-features?ids=<up to 40 Spotify IDs>` answers
`{"content": [{"id": <ReccoBeats UUID>, "href": "https://open.spotify.com/track/<id>",
"acousticness", ...}]}`; tracks it does not know (the catalog's tracks without features,
and any unknown ID) are simply absent. No key is needed.
"""

from __future__ import annotations

from dataclasses import asdict
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from moodify.demo.simulation.catalog import Catalog, Track, default_catalog
from moodify.demo.simulation.clock import Clock
from moodify.demo.simulation.server import FakeServer

MAX_IDS = 40


def _error(status: int, message: str, path: str) -> dict[str, Any]:
    return {"status": status, "error": HTTPStatus(status).phrase, "message": message, "path": path}


def _item(track: Track) -> dict[str, Any] | None:
    features = track.features
    if features is None:
        return None
    return {
        "id": track.reccobeats_id,
        "href": f"https://open.spotify.com/track/{track.id}",
        **asdict(features),
    }


class FakeReccoBeats(FakeServer):
    """ReccoBeats' audio-features endpoint on a loopback server; see `FakeServer` for faults."""

    def __init__(
        self, *, clock: Clock | None = None, catalog: Catalog | None = None, port: int = 0
    ) -> None:
        super().__init__(clock=clock, port=port)
        self.catalog = catalog or default_catalog()

    @property
    def api_url(self) -> str:
        """The API's base, as `https://api.reccobeats.com/v1` is ReccoBeats'."""
        return f"{self.url}/v1"

    def fault_body(self, status: int, path: str) -> object:
        return _error(status, HTTPStatus(status).description, path)

    def app(self) -> ASGIApp:
        return Starlette(routes=[Route("/v1/audio-features", self._audio_features)])

    async def _audio_features(self, request: Request) -> Response:
        ids = list(dict.fromkeys(i for i in request.query_params.get("ids", "").split(",") if i))
        path = request.url.path
        if not ids:
            return JSONResponse(_error(400, "ids is required", path), 400)
        if len(ids) > MAX_IDS:
            return JSONResponse(_error(400, f"at most {MAX_IDS} ids per request", path), 400)
        known = (self.catalog.tracks.get(track_id) for track_id in ids)
        items = [_item(track) for track in known if track is not None]
        return JSONResponse({"content": [item for item in items if item is not None]})
