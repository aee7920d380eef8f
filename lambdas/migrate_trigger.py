"""The migrations custom resource's handler, outside the VPC.

It can reach Secrets Manager, which the migrator inside the VPC cannot: it reads the
master credentials and invokes the migrator synchronously with them.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.typing import LambdaContext

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient

PHYSICAL_RESOURCE_ID = "moodify-warehouse-migrations"

logger = Logger()


@cache
def lambda_client() -> LambdaClient:
    return boto3.client("lambda")


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event["RequestType"] == "Delete":
        # Migrations are not undone: the database is deleted with the stack, or kept.
        return {"PhysicalResourceId": event["PhysicalResourceId"]}
    properties = event["ResourceProperties"]
    secret: dict[str, Any] = parameters.get_secret(properties["SecretArn"], transform="json")
    payload = {
        "host": properties["Host"],
        "port": int(properties["Port"]),
        "dbname": properties["DatabaseName"],
        "username": secret["username"],
        "password": secret["password"],
        "app_user": properties["AppUser"],
    }
    response = lambda_client().invoke(
        FunctionName=os.environ["MIGRATOR_FUNCTION_NAME"], Payload=json.dumps(payload).encode()
    )
    result = json.loads(response["Payload"].read())
    if "FunctionError" in response:
        raise RuntimeError(f"The migrator failed: {result.get('errorMessage', result)}")
    logger.info("Migrations applied", extra={"applied": result["applied"]})
    return {
        "PhysicalResourceId": PHYSICAL_RESOURCE_ID,
        "Data": {"Applied": ",".join(result["applied"])},
    }
