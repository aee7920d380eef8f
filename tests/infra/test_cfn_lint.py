"""cfn-lint over every template the app synthesizes: no error, and no warning but those
listed below with the reason each is kept. It checks against the resource specification
cfn-lint ships with (the test refuses it any network connection)."""

from __future__ import annotations

import json
import socket
from typing import NoReturn

import pytest
from aws_cdk.assertions import Template
from cfnlint.api import lint

from tests.infra.conftest import Synthesized
from tests.infra.test_deploy_access import stack_of

# Every warning cfn-lint may report, by rule, with why it stays; an entry no longer
# reported fails the test too, so that none outlives its reason.
KEPT_WARNINGS = {
    "W3005": "CDK writes a DependsOn on each function's role (and its default policy) and "
    "on what a custom resource needs; where a Ref or GetAtt already orders the same "
    "resources, the DependsOn is redundant but harmless, and removing it would mean "
    "overriding the DependsOn that CDK generates.",
}


def _refuse_connections(*_: object) -> NoReturn:
    raise AssertionError("cfn-lint tried to reach the network")


def test_templates_pass_cfn_lint_but_for_the_kept_warnings(
    synth: Synthesized, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket.socket, "connect", _refuse_connections)
    templates = {stack.stack_name: stack.template for stack in synth.app.synth().stacks}
    assert synth.stack.stack_name in templates
    # GitHub Actions' deploy access, a stack of its own that the app adds on request.
    templates["DeployAccess"] = Template.from_stack(stack_of()).to_json()
    reported = set()
    for name, template in templates.items():
        matches = lint(json.dumps(template))
        unexplained = [
            f"{name}: {match}" for match in matches if match.rule.id not in KEPT_WARNINGS
        ]
        assert not unexplained, "\n".join(unexplained)
        reported |= {match.rule.id for match in matches}
    assert reported == set(KEPT_WARNINGS)
