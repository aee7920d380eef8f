"""Exclusion rules: list, preview, add, edit and remove the plays a user leaves out.

The rules are applied in the warehouse (`etl.warehouse.exclusions`); a change rebuilds the
days it touches before the answer, and bumps the user's data version, so every cached
answer of the history is computed again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, HTTPException, Response

from api.answers import CachedAnswers
from api.deps import ClockDep, ServicesDep, UserIdDep, invalid
from api.models.exclusions import ExclusionRule, ExclusionRuleIn, ExclusionRules
from etl.warehouse import exclusions
from etl.warehouse.connection import Connection, connect
from etl.warehouse.exclusions import InvalidRule, Rule, StoredRule

reads = APIRouter(prefix="/exclusions", tags=["exclusions"], route_class=CachedAnswers)
writes = APIRouter(prefix="/exclusions", tags=["exclusions"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No rule of this id belongs to the signed-in user."}
}
_INVALID: dict[int | str, dict[str, Any]] = {
    422: {"description": "The rule is not valid: the message says which field and why."}
}


def _rule(body: ExclusionRuleIn) -> Rule:
    values = body.model_dump()
    if values["weekdays"] is not None:
        values["weekdays"] = tuple(values["weekdays"])
    try:
        return Rule(**values)
    except InvalidRule as error:
        raise invalid(error.field, str(error), values.get(error.field), part="body") from error


def _model(stored: StoredRule) -> ExclusionRule:
    return ExclusionRule(
        **asdict(stored.rule),
        rule_id=stored.rule_id,
        description=stored.description,
        target_name=stored.target_name,
        matched_plays=stored.matched.plays,
        matched_ms=stored.matched.listening_ms,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
    )


@contextmanager
def _refused_as_422(rule: Rule) -> Iterator[None]:
    """What the warehouse refuses (an item none of the user's plays is of) as a 422."""
    try:
        yield
    except InvalidRule as error:
        raise invalid(error.field, str(error), getattr(rule, error.field), part="body") from error


@contextmanager
def _writer(services: ServicesDep) -> Iterator[Connection]:
    """A connection that may write (the API's pool is read-only)."""
    with closing(connect(services.settings)) as conn:
        yield conn


@reads.get(
    "",
    summary="Exclusion rules",
    description="The user's rules, oldest first, each in words and with the stored plays it "
    "leaves out of every statistic (count and listening time).",
)
def list_rules(user_id: UserIdDep, services: ServicesDep) -> ExclusionRules:
    with services.database.pool.connection() as conn:
        return ExclusionRules(rules=[_model(rule) for rule in exclusions.list_rules(conn, user_id)])


@writes.post(
    "/preview",
    summary="What a rule would leave out",
    description="The rule in words and the stored plays it would match, without storing it.",
    responses=_INVALID,
)
def preview_rule(body: ExclusionRuleIn, user_id: UserIdDep, services: ServicesDep) -> ExclusionRule:
    rule = _rule(body)
    with services.database.pool.connection() as conn, _refused_as_422(rule):
        return _model(exclusions.preview_rule(conn, user_id, rule))


@writes.post(
    "",
    status_code=201,
    summary="Add a rule",
    description="Stores the rule and rebuilds every statistic of the days of the plays it "
    "matches before answering. The plays stay stored: removing the rule brings them back.",
    responses=_INVALID,
)
def add_rule(
    body: ExclusionRuleIn, user_id: UserIdDep, services: ServicesDep, clock: ClockDep
) -> ExclusionRule:
    rule = _rule(body)
    with _writer(services) as conn, _refused_as_422(rule):
        return _model(exclusions.add_rule(conn, user_id, rule, now=clock()))


@writes.put(
    "/{rule_id}",
    summary="Change a rule",
    description="Replaces the rule; the days of the plays it matched and of those it matches "
    "now are rebuilt before answering.",
    responses={**_NOT_FOUND, **_INVALID},
)
def edit_rule(
    rule_id: int,
    body: ExclusionRuleIn,
    user_id: UserIdDep,
    services: ServicesDep,
    clock: ClockDep,
) -> ExclusionRule:
    rule = _rule(body)
    with _writer(services) as conn, _refused_as_422(rule):
        edited = exclusions.edit_rule(conn, user_id, rule_id, rule, now=clock())
    if edited is None:
        raise HTTPException(404, f"No exclusion rule {rule_id} of yours")
    return _model(edited)


@writes.delete(
    "/{rule_id}",
    status_code=204,
    summary="Remove a rule",
    description="Removes the rule: the plays it left out count again, in every statistic.",
    responses=_NOT_FOUND,
)
def remove_rule(rule_id: int, user_id: UserIdDep, services: ServicesDep) -> Response:
    with _writer(services) as conn:
        if not exclusions.remove_rule(conn, user_id, rule_id):
            raise HTTPException(404, f"No exclusion rule {rule_id} of yours")
    return Response(status_code=204)


# One router for the app: the list is a cached answer of the history, the writes are not.
router = APIRouter()
router.include_router(reads)
router.include_router(writes)
