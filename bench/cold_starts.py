"""Each Lambda handler's cold start as far as Moodify decides it: the import of its module in
a fresh process, with the environment the stack gives its function, and the size of the
bundle it is deployed from, zipped.

The stack is synthesized as `cdk synth` does it, bundles included (`cdk_app.bundling`: pip
fetches the wheels for CPython 3.13 on arm64, no Docker), into a cache under the temp dir:
CDK reuses a bundle whose inputs have not changed, and pip keeps what it downloaded. Each
Moodify function in the template gives its handler's module, its environment (a value
CloudFormation fills in at deploy time becomes a stand-in of its kind) and its bundle, which
is zipped as cdk-assets zips a directory (deflate, level 9).

Each handler's module is imported `--repeat` times, each time in a new Python process in an
empty folder, with its function's environment and the variables Lambda adds (a region and
stand-in credentials: nothing at import may call AWS), and the median is printed. Measured
side by side: the same fresh process importing nothing, and importing the web framework
alone (FastAPI and Mangum, the floor of the functions that serve the app). The pipeline's
steps share one handler module; it is timed once, with the environment of the first of
them in the template.

"no .pyc ms" is the same import as the bundle runs it on Lambda: the bundles hold no
bytecode (pip's `--no-compile`: this machine's Python is not the runtime's 3.13) and the
function's code folder is read-only, so every cold start compiles each of the bundle's
modules from source (the standard library comes compiled). The child is made to find no
bytecode for any module outside the standard library, and to write none.

What a first request adds is not counted: the handlers import boto3 (for S3, Secrets Manager
or the database's IAM token) and requests (to call Spotify) when they first use them, and
their time is printed beside the table.

    python bench/cold_starts.py [--repeat N]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = Path(tempfile.gettempdir()) / "moodify-bench-cold-starts"
MB = 1_000_000
# What Lambda sets in every function's environment that an import could read.
LAMBDA_VARIABLES = {
    "AWS_REGION": "eu-west-1",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "stand-in",
    "AWS_SECRET_ACCESS_KEY": "stand-in",
    "AWS_SESSION_TOKEN": "stand-in",
}
# Times the import alone, inside the child, so the process start is not counted twice.
_TIMED_IMPORT = (
    "import time; started = time.perf_counter(); import {module}; "
    "print(time.perf_counter() - started)"
)
_NOTHING = "import time; started = time.perf_counter(); print(time.perf_counter() - started)"
# The bytecode path of every module outside the standard library made one that never
# exists, and none written.
_NO_BYTECODE = (
    "import importlib._bootstrap_external as bootstrap, sys, sysconfig; "
    "sys.dont_write_bytecode = True; "
    "stdlib = sysconfig.get_paths()['stdlib']; cached = bootstrap.cache_from_source; "
    "bootstrap.cache_from_source = lambda path, *args, **kwargs: cached(path, *args, **kwargs) "
    "if path.startswith(stdlib) else path + '.no-bytecode'; "
)
FRAMEWORK = "fastapi, mangum"


@dataclass(frozen=True)
class DeployedHandler:
    """A handler module as the stack deploys it."""

    name: str  # "api" for api.handler, "auth" for lambdas.auth, ...
    module: str
    environment: dict[str, str]
    bundle: Path  # the asset directory CDK zips and uploads


def synthesized_template(work_dir: Path) -> dict[str, Any]:
    """The stack's template, its bundles built under `work_dir / "cdk.out"`."""
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    os.environ["PIP_CACHE_DIR"] = str(work_dir / "pip")  # read by the bundling's pip
    import aws_cdk as cdk  # here, so that the timed children never pay for it

    from cdk_app.stack import MoodifyStack

    site_dir = work_dir / "site"  # the dashboard's files are no Lambda's concern
    site_dir.mkdir(parents=True, exist_ok=True)
    (site_dir / "index.html").write_text("<!doctype html><title>Moodify</title>", "utf-8")
    context = json.loads((REPO_ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    app = cdk.App(context=context, outdir=str(work_dir / "cdk.out"))
    stack = MoodifyStack(app, "MoodifyStack", site_dir=site_dir)
    template: dict[str, Any] = app.synth().get_stack_by_name(stack.stack_name).template
    return template


def _deployed_value(name: str, value: object) -> str:
    """A variable's value; one CloudFormation fills in at deploy time gets a stand-in."""
    if isinstance(value, str):
        return value
    return "5432" if name.endswith("_PORT") else f"stand-in-{name.lower()}"


def deployed_handlers(template: dict[str, Any], cdk_out: Path) -> list[DeployedHandler]:
    """Moodify's handler modules in the template, each with its first function's settings."""
    found: dict[str, DeployedHandler] = {}
    for _, resource in sorted(template["Resources"].items()):
        properties = resource["Properties"]
        if resource["Type"] != "AWS::Lambda::Function" or "Handler" not in properties:
            continue
        module = properties["Handler"].rpartition(".")[0]
        if module.partition(".")[0] not in {"api", "lambdas"} or module in found:
            continue  # CDK's own functions (the site's deployment, ...), or one seen
        variables = properties.get("Environment", {}).get("Variables", {})
        asset_hash = properties["Code"]["S3Key"].removesuffix(".zip")
        found[module] = DeployedHandler(
            name=module.removeprefix("lambdas.").removesuffix(".handler"),
            module=module,
            environment={k: _deployed_value(k, v) for k, v in variables.items()},
            bundle=cdk_out / f"asset.{asset_hash}",
        )
    return sorted(found.values(), key=lambda handler: handler.name)


def bundle_sizes(directory: Path) -> tuple[int, int]:
    """(zipped, unzipped) bytes of a bundle directory."""
    buffer = io.BytesIO()
    unzipped = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(directory).as_posix())
                unzipped += path.stat().st_size
    return buffer.getbuffer().nbytes, unzipped


def child_environment(variables: dict[str, str]) -> dict[str, str]:
    """This process's environment without Moodify's, Powertools' or AWS's own variables,
    with the function's and Lambda's instead."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MOODIFY_", "POWERTOOLS_", "AWS_"))
    }
    return {**inherited, "PYTHONPATH": str(REPO_ROOT), **LAMBDA_VARIABLES, **variables}


def fresh_process_seconds(
    code: str, repeat: int, environment: dict[str, str], cwd: Path
) -> tuple[float, float]:
    """The median of `repeat` runs of `code` in new processes: (whole process, as timed
    inside it)."""
    whole, inside = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        output = subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            text=True,
            env=environment,
            cwd=cwd,
        ).stdout
        whole.append(time.perf_counter() - started)
        inside.append(float(output.strip()))
    return statistics.median(whole), statistics.median(inside)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat

    started = time.perf_counter()
    template = synthesized_template(CACHE_DIR)
    handlers = deployed_handlers(template, CACHE_DIR / "cdk.out")
    print(f"stack synthesized, bundles built or reused: {time.perf_counter() - started:.0f} s")
    sizes = {bundle: bundle_sizes(bundle) for bundle in {h.bundle for h in handlers}}

    with tempfile.TemporaryDirectory(prefix="cold-starts-") as empty:
        measure(handlers, sizes, repeat, Path(empty))


def measure(
    handlers: list[DeployedHandler], sizes: dict[Path, tuple[int, int]], repeat: int, empty: Path
) -> None:
    """Time the imports in fresh processes in the folder `empty` and print the figures."""
    bare = child_environment({})
    bare_process, _ = fresh_process_seconds(_NOTHING, repeat, bare, empty)
    _, framework = fresh_process_seconds(
        _TIMED_IMPORT.format(module=FRAMEWORK), repeat, bare, empty
    )
    print(f"a process that imports nothing: {bare_process * 1000:.0f} ms")
    print(f"the web framework alone ({FRAMEWORK}): {framework * 1000:.0f} ms")
    print(
        f"{'handler':<16} {'import ms':>10} {'process ms':>11} {'x bare':>7} "
        f"{'no .pyc ms':>11} {'bundle MB zipped':>17} {'unzipped':>9}"
    )
    imports: dict[str, float] = {}
    without_bytecode: dict[str, float] = {}
    for handler in handlers:
        environment = child_environment(handler.environment)
        code = _TIMED_IMPORT.format(module=handler.module)
        process, imported = fresh_process_seconds(code, repeat, environment, empty)
        _, compiled = fresh_process_seconds(_NO_BYTECODE + code, repeat, environment, empty)
        imports[handler.name], without_bytecode[handler.name] = imported, compiled
        zipped, unzipped = sizes[handler.bundle]
        print(
            f"{handler.name:<16} {imported * 1000:>10.0f} {process * 1000:>11.0f} "
            f"{process / bare_process:>7.1f} {compiled * 1000:>11.0f} "
            f"{zipped / MB:>17.1f} {unzipped / MB:>9.1f}"
        )
    first_use = {
        module: fresh_process_seconds(_TIMED_IMPORT.format(module=module), repeat, bare, empty)[1]
        for module in ("boto3", "requests")
    }
    print(
        "imported on first use, not counted above: "
        + ", ".join(f"{module} {s * 1000:.0f} ms" for module, s in first_use.items())
    )

    worst = max(imports, key=imports.__getitem__)
    zipped_mb = {h.name: sizes[h.bundle][0] / MB for h in handlers}
    figures = " ".join(
        f"{name}_import_ms={imports[name] * 1000:.0f} "
        f"{name}_no_pyc_ms={without_bytecode[name] * 1000:.0f} "
        f"{name}_bundle_mb={zipped_mb[name]:.1f}"
        for name in imports
    )
    print(
        f"bare_process_ms={bare_process * 1000:.0f} framework_import_ms={framework * 1000:.0f} "
        f"worst_import_ms={imports[worst] * 1000:.0f} worst_handler={worst} "
        f"worst_no_pyc_ms={max(without_bytecode.values()) * 1000:.0f} "
        f"worst_bundle_mb={max(zipped_mb.values()):.1f} "
        f"boto3_import_ms={first_use['boto3'] * 1000:.0f} "
        f"requests_import_ms={first_use['requests'] * 1000:.0f} {figures}"
    )


if __name__ == "__main__":
    main()
