"""Local (no-Docker) Lambda bundling, its pins, and what the app refuses to synthesize."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

import app as cdk_entry_point
from cdk_app.bundling import (
    API_BUNDLE,
    EXPORTS_BUNDLE,
    HANDLERS_BUNDLE,
    REPO_ROOT,
    Bundle,
    PipBundling,
    tree_digest,
)
from etl.pipeline.order import STEP_NAMES
from tests.infra.conftest import (
    API_HANDLER,
    AUTH_HANDLER,
    AUTHORIZER_HANDLER,
    EXPORT_HANDLER,
    INGEST_HANDLER,
    MIGRATE_HANDLER,
    TRIGGER_HANDLER,
    UNPACK_HANDLER,
    Synthesized,
)

# Lambda's python3.13 arm64 runtime, for the markers in uv.lock.
_LAMBDA_ENVIRONMENT = {
    "python_version": "3.13",
    "python_full_version": "3.13.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "aarch64",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "os_name": "posix",
}


def _lock() -> dict[str, dict[str, Any]]:
    lock = tomllib.loads((REPO_ROOT / "uv.lock").read_text(encoding="utf-8"))
    return {package["name"]: package for package in lock["package"]}


def _closure(roots: list[str], lock: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Every package the roots need on Lambda, with its locked version."""
    found: dict[str, str] = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found[name] = lock[name]["version"]
        for dependency in lock[name].get("dependencies", []):
            marker = dependency.get("marker")
            if marker is None or Marker(marker).evaluate(_LAMBDA_ENVIRONMENT):
                pending.append(dependency["name"])
    return found


def _pins(*paths: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                name, version = line.split("==")
                pins[canonicalize_name(name)] = version
    return pins


HANDLER_ROOTS = ["aws-lambda-powertools", "psycopg2-binary", "pydantic", "pydantic-settings"]
HANDLER_ROOTS += ["orjson", "requests"]


def test_handler_requirements_are_the_locked_closure() -> None:
    assert _pins(*HANDLERS_BUNDLE.requirements) == _closure(HANDLER_ROOTS, _lock())


def test_api_requirements_add_the_locked_closure_of_the_web_framework() -> None:
    expected = _closure([*HANDLER_ROOTS, "fastapi", "mangum", "itsdangerous"], _lock())
    assert _pins(*API_BUNDLE.requirements) == expected
    assert "boto3" not in expected  # the runtime provides it


# What Lambda's Python runtime brings: boto3 and its own dependencies.
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six"}
RUNTIME_PROVIDED |= {"urllib3"}
_BLOCK_OTHERS = """
import sys
from importlib.abc import MetaPathFinder

class NotInBundle(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} in the bundle", name=name)
        return None

sys.meta_path.insert(0, NotInBundle())
"""


@pytest.mark.parametrize(
    ("bundle", "modules"),
    [
        (
            HANDLERS_BUNDLE,
            [
                "lambdas.ingest",
                "lambdas.pipeline_step",
                "lambdas.migrate",
                "lambdas.unpack",
                "etl.pipeline.steps",
            ],
        ),
        (API_BUNDLE, ["api.handler", "lambdas.auth", "lambdas.authorizer"]),
        (EXPORTS_BUNDLE, ["lambdas.export"]),
    ],
    ids=["handlers", "web", "exports"],
)
def test_handlers_import_with_only_what_their_bundle_holds(
    bundle: Bundle, modules: list[str], tmp_path: Path
) -> None:
    """No module-level import of a package left out (cryptography is imported lazily)."""
    kept = set(_pins(*bundle.requirements)) | RUNTIME_PROVIDED
    sources = {package.name for package in bundle.packages}
    blocked = sorted(
        name
        for name, distributions in packages_distributions().items()
        if name not in sources
        and name not in sys.stdlib_module_names
        and not {canonicalize_name(d) for d in distributions} & kept
    )
    assert "cryptography" in blocked
    script = _BLOCK_OTHERS.format(blocked=blocked) + "".join(f"import {m}\n" for m in modules)
    subprocess.run(  # in a fresh interpreter, in an empty folder (no local lake around)
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
        timeout=120,
    )


def test_bundling_installs_lambda_wheels_and_copies_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "src" / "pkg"
    (package / "__pycache__").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    requirements = tmp_path / "requirements.txt"
    commands: list[list[str]] = []

    def run(command: list[str], check: bool) -> subprocess.CompletedProcess[str]:
        assert check
        commands.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", run)
    output = tmp_path / "out"
    output.mkdir()
    bundler = PipBundling([requirements], [package])
    assert bundler.try_bundle(str(output), cdk.BundlingOptions(image=cdk.DockerImage("unused")))

    (command,) = commands
    arguments = " ".join(command)
    assert "--platform manylinux2014_aarch64" in arguments
    assert "--python-version 3.13 --only-binary=:all:" in arguments
    assert "--implementation cp" in arguments
    assert f"--target {output} -r {requirements}" in arguments
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*")) == [
        "pkg",
        "pkg/__init__.py",
    ]


@pytest.mark.parametrize("bundle", [HANDLERS_BUNDLE, API_BUNDLE], ids=["handlers", "web"])
def test_bundles_hold_no_demo_code(
    bundle: Bundle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundle's own modules, as its bundling copies them (pip's wheels left out)."""
    monkeypatch.setattr(
        subprocess, "run", lambda command, check: subprocess.CompletedProcess(command, 0)
    )
    bundler = PipBundling(bundle.requirements, bundle.packages)
    assert bundler.try_bundle(str(tmp_path), cdk.BundlingOptions(image=cdk.DockerImage("unused")))

    modules = {
        ".".join(path.relative_to(tmp_path).with_suffix("").parts)
        for path in tmp_path.rglob("*.py")
    }
    assert {"etl.pipeline.steps", "lambdas.pipeline_step"} <= modules
    demo = {"moodify", "demo", "sample", "simulation"}
    assert sorted(m for m in modules if demo & set(m.split("."))) == []


def test_digest_follows_contents_and_ignores_bytecode(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("CREATE TABLE a ();", encoding="utf-8")
    before = tree_digest(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert tree_digest(tmp_path) == before
    (tmp_path / "0002_b.sql").write_text("CREATE TABLE b ();", encoding="utf-8")
    assert re.fullmatch(r"[0-9a-f]{64}", after := tree_digest(tmp_path))
    assert after != before


def test_handlers_share_one_asset_and_the_web_functions_another(synth: Synthesized) -> None:
    def asset(key: str) -> str:
        return str(synth.resources[synth.function(key)]["Properties"]["Code"]["S3Key"])

    handlers = {
        asset(key) for key in [*STEP_NAMES, INGEST_HANDLER, MIGRATE_HANDLER, UNPACK_HANDLER]
    }
    assert handlers == {asset(TRIGGER_HANDLER)}
    web = {asset(key) for key in [AUTH_HANDLER, AUTHORIZER_HANDLER, API_HANDLER]}
    assert len(web) == 1
    assert not web & handlers
    # The export function's is the handlers' bundle plus pyarrow (test_exports_stack.py).
    assert asset(EXPORT_HANDLER) not in web | handlers


def test_web_bundle_holds_the_sign_in_handlers() -> None:
    assert {package.name for package in API_BUNDLE.packages} == {"etl", "api", "lambdas"}


def test_app_refuses_to_synthesize_without_the_built_dashboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cdk_entry_point, "SITE_DIR", tmp_path / "out")
    with pytest.raises(SystemExit, match="run `make frontend` first"):
        cdk_entry_point.main()
