"""The HTTP API's Lambda authorizer (payload 2.0, simple responses), before every route.

It refuses a request that CloudFront did not send (`api.gateway`: the origin secret
header). For `/api/*` it also checks the signed session cookie, that the allowlist still
names its user and that their sign-in state in the lake still accepts the session (not
signed out, here or everywhere, not deleted), and hands the user id to the API function,
which runs in the VPC and cannot reach Secrets Manager to check the cookie itself. API
Gateway keeps each answer for five minutes (cdk_app.signin): a session voided meanwhile is
refused once that ends.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import SecretStr

from api.gateway import needs_session, sent_by_cloudfront
from etl.core.clock import system_clock
from etl.core.lake import lake_from_settings
from etl.core.state import StateStore
from etl.spotify.sessions import SECURE_SESSION_COOKIE, SessionCodec
from lambdas.secrets import settings_with_secrets

logger = Logger()


@cache
def sessions() -> SessionCodec:
    secret = settings_with_secrets().session_secret
    if secret is None:
        raise RuntimeError("MOODIFY_SESSION_SECRET_ARN is not set")
    return SessionCodec(secret.get_secret_value(), system_clock)


def session_cookie(cookies: list[str]) -> str | None:
    """The session cookie's value among the request's `name=value` cookies: the `__Host-`
    one, since AWS is reached over HTTPS only (CloudFront)."""
    for cookie in cookies:
        name, _, value = cookie.partition("=")
        if name.strip() == SECURE_SESSION_COOKIE:
            return value.strip()
    return None


@cache
def state() -> StateStore:
    return StateStore(lake_from_settings(settings_with_secrets()))


@cache
def origin_secret() -> SecretStr:
    secret = settings_with_secrets().origin_secret
    if secret is None:
        raise RuntimeError("MOODIFY_ORIGIN_SECRET_ARN is not set")
    return secret


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if not sent_by_cloudfront(event.get("headers") or {}, origin_secret()):
        logger.info("Not sent by CloudFront: request refused")
        return {"isAuthorized": False}
    if not needs_session(event["routeKey"]):
        return {"isAuthorized": True}
    cookie = session_cookie(event.get("cookies") or [])
    user_id = sessions().signed_in_user_id(cookie, settings_with_secrets(), state())
    if user_id is None:
        logger.info("No valid session of an allowed user: request refused")
        return {"isAuthorized": False}
    return {"isAuthorized": True, "context": {"user_id": user_id}}
