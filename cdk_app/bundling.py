"""Lambda bundles built on this machine with pip, without Docker.

`pip install --platform ... --only-binary=:all:` fetches the Linux/arm64 wheels for the
Lambda runtime's Python whatever the build machine is, and the source packages are copied
next to them. Each bundle's asset hash is computed from its inputs (requirements and
sources), so CDK rebuilds it only when one of them changes.

Where the build machine has a CPython of the runtime's version, the bundle also ships each
module's bytecode compiled by it: the function's code folder is read-only, so without it
every cold start compiles every module it imports from source (bench/cold_starts.py).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast

import aws_cdk as cdk
import jsii
from aws_cdk import aws_lambda as lambda_

REPO_ROOT = Path(__file__).resolve().parents[1]
LAMBDA_PYTHON_VERSION = "3.13"
# The Python 3.13 runtime is Amazon Linux 2023 (glibc 2.34): manylinux_2_28 wheels run
# there too, and some arm64 wheels (psycopg2-binary 2.9.13) exist only in that form.
PIP_PLATFORMS = ("manylinux2014_aarch64", "manylinux_2_28_aarch64")
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


@cache
def runtime_python() -> str | None:
    """A CPython of the Lambda runtime's version on this machine (on PATH, or installed by
    pyenv), to compile the bundles' bytecode; None when there is none."""
    name = f"python{LAMBDA_PYTHON_VERSION}"
    versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    installed = sorted(versions.glob(f"{LAMBDA_PYTHON_VERSION}.*/bin/{name}"), reverse=True)
    for candidate in [shutil.which(name), *map(str, installed)]:
        # pyenv's shim is on PATH even where it has no such version to run.
        if candidate and _runs_version(candidate, LAMBDA_PYTHON_VERSION):
            return candidate
    return None


def _runs_version(python: str, version: str) -> bool:
    command = [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
    ran = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return ran.returncode == 0 and ran.stdout.strip() == version


def tree_digest(*roots: Path, salt: str = "") -> str:
    """SHA-256 over the names and contents of the files under `roots` (or the files)."""
    digest = hashlib.sha256(salt.encode())
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(f"{root.name}/{path.relative_to(root)}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@jsii.implements(cdk.ILocalBundling)
class PipBundling:
    """Install `requirements` for Lambda's platform and copy `packages` beside them; with a
    `compiler` (the runtime's Python), compile every module's bytecode into the bundle."""

    def __init__(
        self, requirements: Iterable[Path], packages: Iterable[Path], compiler: str | None = None
    ) -> None:
        self.requirements = tuple(requirements)
        self.packages = tuple(packages)
        self.compiler = compiler

    def try_bundle(self, output_dir: str, options: cdk.BundlingOptions) -> bool:
        command = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",  # .pyc files built by this Python would not match the runtime's
            # The requirements list the whole dependency closure, pinned from uv.lock.
            "--no-deps",
            *(arg for platform in PIP_PLATFORMS for arg in ("--platform", platform)),
            "--implementation", "cp",
            "--python-version", LAMBDA_PYTHON_VERSION,
            "--only-binary=:all:",
            "--target", output_dir,
            *(arg for path in self.requirements for arg in ("-r", str(path))),
        ]  # fmt: skip
        subprocess.run(command, check=True)  # noqa: S603 - fixed command, no shell
        for package in self.packages:
            shutil.copytree(package, Path(output_dir) / package.name, ignore=_IGNORED)
        if self.compiler is None:
            print(
                f"No Python {LAMBDA_PYTHON_VERSION} here: the bundle ships no bytecode, and "
                "each cold start compiles the modules it imports.",
                file=sys.stderr,
            )
            return True
        # Unchecked hash-based .pyc: the runtime loads them without comparing them with
        # their source (a bundle's files never change), and they hold no timestamps.
        compile_all = [self.compiler, "-m", "compileall", "-q", "--invalidation-mode"]
        compile_all += ["unchecked-hash", output_dir]
        subprocess.run(compile_all, check=True)  # noqa: S603 - fixed command, no shell
        return True


@dataclass(frozen=True)
class Bundle:
    """Requirements files and source packages that make one Lambda code asset."""

    requirements: tuple[Path, ...]
    packages: tuple[Path, ...]

    def code(self) -> lambda_.Code:
        compiler = runtime_python()
        recipe = f"{PIP_PLATFORMS} cp{LAMBDA_PYTHON_VERSION}" + (" bytecode" if compiler else "")
        return lambda_.Code.from_asset(
            str(self.packages[-1]),  # nominal source: the hash below covers every input
            asset_hash_type=cdk.AssetHashType.CUSTOM,
            asset_hash=tree_digest(*self.requirements, *self.packages, salt=recipe),
            bundling=cdk.BundlingOptions(
                # Required by the API but never pulled: local bundling always succeeds
                # or raises, so CDK never falls back to Docker.
                image=cdk.DockerImage.from_registry("unused"),
                # jsii calls `try_bundle(output_dir, options)`, not the keyword form that
                # the generated protocol spells out.
                local=cast(
                    cdk.ILocalBundling, PipBundling(self.requirements, self.packages, compiler)
                ),
            ),
        )


LAMBDAS_DIR = REPO_ROOT / "lambdas"

# The ETL steps and the thin handlers (ingest, migrate): no web framework.
_HANDLERS_REQUIREMENTS = LAMBDAS_DIR / "requirements-handlers.txt"
HANDLERS_BUNDLE = Bundle((_HANDLERS_REQUIREMENTS,), (REPO_ROOT / "etl", LAMBDAS_DIR))
# The FastAPI app behind the HTTP API, sign-in and the session authorizer: the same plus
# the web framework and session signing.
API_BUNDLE = Bundle(
    (_HANDLERS_REQUIREMENTS, LAMBDAS_DIR / "requirements-api.txt"),
    (REPO_ROOT / "etl", REPO_ROOT / "api", LAMBDAS_DIR),
)
# The export function: the handlers' bundle plus pyarrow, for the plays export's Parquet
# files (pyarrow is most of its size; the API function's bundle leaves it out).
EXPORTS_BUNDLE = Bundle(
    (_HANDLERS_REQUIREMENTS, LAMBDAS_DIR / "requirements-exports.txt"), HANDLERS_BUNDLE.packages
)
