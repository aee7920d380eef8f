"""Answers of the listening history, reused until the data behind them changes.

Each answer's ETag names whose data it is, the user's and the catalog's data versions
(migration 0012), the user's local day (answers about "now" change with it) and the
request's URL. A client that sends the ETag back in If-None-Match gets 304 Not Modified
without the answer being computed; any other request for it is answered from the process's
`AnswerCache` when that holds it. A new version or a new day makes a new ETag, so an answer
is never reused across a change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from api.db import load_query
from api.deps import current_user_id, services_of
from etl.core.clock import local_today

_DATA_VERSION = load_query("data_version")
# Browsers keep the answer and ask again each time, with the ETag; nothing shared keeps it.
_CACHE_CONTROL = "private, no-cache"


def answer_tag(request: Request) -> str:
    """The ETag of the answer to `request` as the warehouse stands now."""
    services = services_of(request)
    user_id = current_user_id(request, services)
    version = services.database.fetch_one(
        _DATA_VERSION,
        {"user_id": user_id, "default_time_zone": services.settings.time_zone},
    )
    today = local_today(services.clock, version["time_zone"])
    parts = (
        user_id,
        version["warehouse"],
        version["user_version"],
        version["catalog_version"],
        today.isoformat(),
        request.url.path,
        request.url.query,
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f'"{digest}"'


def _matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names `tag` (weakly: a CDN that compresses the
    answer marks its ETag weak, W/"...")."""
    if if_none_match is None:
        return False
    named = {candidate.strip().removeprefix("W/") for candidate in if_none_match.split(",")}
    return tag in named or "*" in named


class CachedAnswers(APIRoute):
    """A route whose successful answers are tagged and reused as the module says."""

    def tag(self, request: Request) -> str:
        """The answer's ETag; a route whose answers read more than the requesting user's
        data extends it with what else they read."""
        return answer_tag(request)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        compute = super().get_route_handler()

        async def answer(request: Request) -> Response:
            tag = await run_in_threadpool(self.tag, request)
            headers = {"ETag": tag, "Cache-Control": _CACHE_CONTROL}
            if _matches(request.headers.get("if-none-match"), tag):
                return Response(status_code=304, headers=headers)
            cache = services_of(request).answers
            body = cache.get(tag)
            if body is None:
                computed = await compute(request)
                if computed.status_code != 200:
                    return computed
                body = bytes(computed.body)
                cache.put(tag, body)
            return Response(body, media_type="application/json", headers=headers)

        return answer
