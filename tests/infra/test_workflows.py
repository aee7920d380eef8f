"""The GitHub Actions workflows: what runs them, what their tokens may do, no stored AWS keys."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cdk_app.bundling import REPO_ROOT

WORKFLOWS = REPO_ROOT / ".github" / "workflows"
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def workflow(name: str) -> dict[str, Any]:
    loaded: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true.
    loaded["on"] = loaded.pop(True)
    return loaded


def test_ci_runs_make_test_on_every_push_and_pull_request() -> None:
    ci = workflow("ci.yml")
    assert set(ci["on"]) == {"push", "pull_request", "workflow_call"}
    assert ci["on"]["push"] is None  # every branch
    assert ci["permissions"] == {"contents": "read"}
    assert ci["concurrency"]["cancel-in-progress"] is True
    (job,) = ci["jobs"].values()
    assert {"run": "make test"} in job["steps"]


def test_deploy_runs_on_main_and_by_hand_after_the_tests() -> None:
    deploy = workflow("deploy.yml")
    assert deploy["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert deploy["concurrency"]["cancel-in-progress"] is False
    # Only the deploy job may mint an OIDC token; the tests (thousands of packages) may not.
    assert deploy["permissions"] == {"contents": "read"}
    assert deploy["jobs"]["test"] == {"uses": "./.github/workflows/ci.yml"}
    job = deploy["jobs"]["deploy"]
    assert job["permissions"] == {"id-token": "write", "contents": "read"}
    assert job["needs"] == "test"
    # The deploy role trusts this environment's jobs only (cdk_app/deploy_access.py).
    assert job["environment"] == "deploy"
    (credentials,) = (
        step["with"]
        for step in job["steps"]
        if step.get("uses", "").startswith("aws-actions/configure-aws-credentials@")
    )
    assert credentials["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    assert not {"aws-access-key-id", "aws-secret-access-key"} & set(credentials)
    assert any("cdk deploy MoodifyStack" in step.get("run", "") for step in job["steps"])


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_no_workflow_reads_a_secret(name: str) -> None:
    assert "secrets." not in (WORKFLOWS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_no_script_expands_an_expression(name: str) -> None:
    """A value reaches a script through `env:`, never spliced into its text by `${{ }}`,
    where a variable's content would run as shell."""
    for job in workflow(name)["jobs"].values():
        for step in job.get("steps", []):
            assert "${{" not in step.get("run", ""), step


def _cdk_deploy_arguments(tmp_path: Path, variables: dict[str, str]) -> list[str]:
    """What the deploy step passes `npx`, run by bash with the repository's `variables`."""
    (step,) = (
        s
        for s in workflow("deploy.yml")["jobs"]["deploy"]["steps"]
        if s.get("name") == "cdk deploy"
    )
    fake = tmp_path / "npx"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n', encoding="utf-8")
    fake.chmod(0o755)
    # ${{ vars.NAME }} is an empty string for a variable the repository does not set.
    env = {
        name: variables.get(value.removeprefix("${{ vars.").removesuffix(" }}"), "")
        for name, value in step["env"].items()
    }
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        env={**env, "PATH": f"{tmp_path}:/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_a_deploy_from_ci_keeps_the_domains_set_as_repository_variables(tmp_path: Path) -> None:
    """Domains are CDK context, which a deploy does not remember: without them a push to
    main would take a domain given by hand away (and switch execute-api back on)."""
    plain = ["cdk", "deploy", "MoodifyStack", "--require-approval", "never", "--progress", "events"]
    assert _cdk_deploy_arguments(tmp_path, {}) == plain
    arguments = _cdk_deploy_arguments(
        tmp_path,
        {
            "SITE_DOMAIN": "moodify.example.org",
            "SITE_CERTIFICATE_ARN": "arn:aws:acm:us-east-1:1:certificate/a b",
            "API_DOMAIN": "api.moodify.example.org; touch pwned",
            "API_CERTIFICATE_ARN": "arn:aws:acm:eu-west-1:1:certificate/c",
        },
    )
    assert (
        arguments
        == [
            *plain[:3],
            *("-c", "site_domain=moodify.example.org"),
            *("-c", "site_certificate_arn=arn:aws:acm:us-east-1:1:certificate/a b"),
            *("-c", "api_domain=api.moodify.example.org; touch pwned"),  # a value, never shell
            *("-c", "api_certificate_arn=arn:aws:acm:eu-west-1:1:certificate/c"),
            *plain[3:],
        ]
    )
    assert not (tmp_path / "pwned").exists()


def test_actionlint_finds_a_mistake(tmp_path: Path) -> None:
    """The linter `make lint` runs over the workflows does report what is wrong."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.nope }}\n",
        encoding="utf-8",
    )
    found = subprocess.run(
        [ACTIONLINT, "-no-color", broken], capture_output=True, text=True, check=False
    )
    assert found.returncode == 1
    assert 'property "nope" is not defined' in found.stdout
