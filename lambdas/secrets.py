"""The settings of a handler, with its secrets read from Secrets Manager.

The stack passes each function the ARNs of only the secrets it may read; the values are
fetched once per container and live in `SecretStr` fields, which never print their value.
"""

from __future__ import annotations

import os
from functools import cache

from pydantic import SecretStr

from etl.core.settings import Settings

SECRET_ARN_VARIABLES = {
    "spotify_client_secret": "MOODIFY_SPOTIFY_CLIENT_SECRET_ARN",
    "session_secret": "MOODIFY_SESSION_SECRET_ARN",
    "origin_secret": "MOODIFY_ORIGIN_SECRET_ARN",
}
"""Settings field -> the environment variable holding its secret's ARN."""


@cache
def settings_with_secrets() -> Settings:
    # Imported on the first call: Powertools' parameters module loads boto3 (~100 ms),
    # which a container pays for only when it has secrets to read.
    from aws_lambda_powertools.utilities import parameters

    secrets = {
        field: SecretStr(parameters.get_secret(os.environ[variable]))
        for field, variable in SECRET_ARN_VARIABLES.items()
        if os.environ.get(variable)
    }
    return Settings().model_copy(update=secrets)
