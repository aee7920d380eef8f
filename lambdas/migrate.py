"""The migrator, inside the VPC: apply the warehouse migrations as the master user.

Invoked only by `migrate_trigger`, with the connection in the payload. The payload holds
the master password: it is never logged.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from etl.core.settings import Settings
from etl.warehouse.connection import ConnectionParams
from etl.warehouse.migrate import migrate_database

logger = Logger()


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, list[str]]:
    params = ConnectionParams(
        host=event["host"],
        port=int(event["port"]),
        dbname=event["dbname"],
        user=event["username"],
        password=event["password"],
        connect_timeout_s=Settings().db_connect_timeout_s,
        sslmode="require",  # RDS for PostgreSQL 16 refuses unencrypted connections
    )
    applied = migrate_database(params, app_user=event["app_user"])
    logger.info("Migrations applied", extra={"applied": applied})
    return {"applied": applied}
