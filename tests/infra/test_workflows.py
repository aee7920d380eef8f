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
    assert deploy["permissions"] == {"id-token": "write", "contents": "read"}
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert deploy["jobs"]["test"] == {"uses": "./.github/workflows/ci.yml"}
    job = deploy["jobs"]["deploy"]
    assert job["needs"] == "test"
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
