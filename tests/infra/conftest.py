"""The stack, synthesized once per session, without bundling and without AWS."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from cdk_app.bundling import REPO_ROOT
from cdk_app.stack import MoodifyStack

Resource = dict[str, Any]

API_HANDLER = "api.handler.handler"
AUTH_HANDLER = "lambdas.auth.handler"
AUTHORIZER_HANDLER = "lambdas.authorizer.handler"
EXPORT_HANDLER = "lambdas.export.handler"
INGEST_HANDLER = "lambdas.ingest.handler"
MIGRATE_HANDLER = "lambdas.migrate.handler"
TRIGGER_HANDLER = "lambdas.migrate_trigger.handler"
UNPACK_HANDLER = "lambdas.unpack.handler"


@dataclass(frozen=True)
class Synthesized:
    app: cdk.App
    stack: MoodifyStack
    template: Template
    resources: dict[str, Resource]

    def of_type(self, resource_type: str) -> dict[str, Resource]:
        return {k: r for k, r in self.resources.items() if r["Type"] == resource_type}

    def functions_by_handler(self) -> dict[str, list[str]]:
        """Logical IDs of the Lambda functions, keyed by handler (and step for the ETL)."""
        found: dict[str, list[str]] = {}
        for logical_id, function in self.of_type("AWS::Lambda::Function").items():
            properties = function["Properties"]
            variables = properties.get("Environment", {}).get("Variables", {})
            key = variables.get("MOODIFY_STEP", properties["Handler"])
            found.setdefault(key, []).append(logical_id)
        return found

    def function(self, key: str) -> str:
        """The one function for a handler or an ETL step name."""
        (logical_id,) = self.functions_by_handler()[key]
        return logical_id

    def statements_of_role(self, role_logical_id: str) -> list[dict[str, Any]]:
        return [
            statement
            for policy in self.of_type("AWS::IAM::Policy").values()
            if {"Ref": role_logical_id} in policy["Properties"]["Roles"]
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        ]

    def statements_of_function(self, function_logical_id: str) -> list[dict[str, Any]]:
        role = self.resources[function_logical_id]["Properties"]["Role"]["Fn::GetAtt"][0]
        return self.statements_of_role(role)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<!doctype html><title>Moodify</title>", encoding="utf-8")
    return site


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory, site_dir: Path) -> Synthesized:
    # The feature flags of cdk.json, so that the tests see what `cdk synth` builds.
    context = json.loads((REPO_ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    context["aws:cdk:bundling-stacks"] = []  # no pip install in tests
    app = cdk.App(context=context, outdir=str(tmp_path_factory.mktemp("cdk.out")))
    stack = MoodifyStack(app, "MoodifyStack", site_dir=site_dir)
    template = Template.from_stack(stack)
    return Synthesized(app, stack, template, template.to_json()["Resources"])
