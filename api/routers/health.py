import logging

from fastapi import APIRouter, Response

from api.db import load_query
from api.deps import DatabaseDep
from api.models.account import Health

router = APIRouter(tags=["health"])
logger = logging.getLogger(__name__)

_PING = load_query("healthz")


@router.get(
    "/healthz",
    summary="Liveness and database reachability",
    responses={503: {"model": Health, "description": "The database cannot be reached."}},
)
def healthz(database: DatabaseDep, response: Response) -> Health:
    try:
        database.fetch_one(_PING, {})
    except Exception:  # whatever keeps SELECT 1 from answering makes the database unavailable
        logger.exception("health check: database unavailable")
        response.status_code = 503
        return Health(status="error", database="unavailable")
    return Health(status="ok", database="ok")
