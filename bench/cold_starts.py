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
side by side: the same fresh process importing nothing, importing the web framework alone
(FastAPI and Mangum), and the framework serving one route (FastAPI checks each route's
types, which imports pydantic.v1 on the first one): the floor of the functions that serve
the app. The pipeline's steps share one handler module; it is timed once, with the
environment of the first of them in the template.

The function's code folder is read-only on Lambda, so a module whose bytecode its bundle
does not ship is compiled from source at every cold start (the standard library comes
compiled). Two more columns time the same import that way: "from source ms" with no
bytecode for any module outside the standard library, "as bundled ms" with bytecode for
exactly the modules whose CPython 3.13 .pyc the bundle ships (`cdk_app.bundling` compiles
them where the build machine has a Python 3.13); this machine's own bytecode stands in for
the bundle's, which its Python cannot load. No bytecode is written by either.

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

from cdk_app.bundling import LAMBDA_PYTHON_VERSION

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
# Times `code` alone, inside the child, so the process start is not counted twice.
_TIMED = "import time\nstarted = time.perf_counter()\n{code}\nprint(time.perf_counter() - started)"
FRAMEWORK = "import fastapi, mangum"
FRAMEWORK_ROUTE = """import fastapi, mangum
app = fastapi.FastAPI()
@app.get("/")
def root() -> dict[str, str]:
    return {}
mangum.Mangum(app, lifespan="off")"""
# Outside the standard library, only the modules listed in the JSON file `{shipped}` (paths
# relative to their sys.path entry) find their bytecode; the others get a bytecode path that
# never exists, so they compile from source. None is written.
_BYTECODE_ONLY_FOR = """import importlib._bootstrap_external as bootstrap, json, sys, sysconfig
sys.dont_write_bytecode = True
stdlib = sysconfig.get_paths()["stdlib"]
with open({shipped!r}, encoding="utf-8") as listed:
    shipped = set(json.load(listed))
roots = sorted((entry.rstrip("/") for entry in sys.path if entry), key=len, reverse=True)
cached = bootstrap.cache_from_source
def bundled(path, *args, **kwargs):
    if path.startswith(stdlib):
        return cached(path, *args, **kwargs)
    root = next((root for root in roots if path.startswith(root + "/")), None)
    if root is not None and path[len(root) + 1 :] in shipped:
        return cached(path, *args, **kwargs)
    return path + ".no-bytecode"
bootstrap.cache_from_source = bundled
"""
RUNTIME_CACHE_TAG = f"cpython-{LAMBDA_PYTHON_VERSION.replace('.', '')}"  # cpython-313


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
    with the function's and Lambda's instead. Bytecode may be written (the warm-up's)."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MOODIFY_", "POWERTOOLS_", "AWS_"))
        and name != "PYTHONDONTWRITEBYTECODE"
    }
    return {**inherited, "PYTHONPATH": str(REPO_ROOT), **LAMBDA_VARIABLES, **variables}


def shipped_bytecode(directory: Path) -> tuple[list[str], int]:
    """The bundle's modules (paths relative to it) that come with the runtime's bytecode,
    and how many modules it holds."""
    sources = sorted(directory.rglob("*.py"))
    shipped = [
        source.relative_to(directory).as_posix()
        for source in sources
        if (source.parent / "__pycache__" / f"{source.stem}.{RUNTIME_CACHE_TAG}.pyc").is_file()
    ]
    return shipped, len(sources)


def fresh_process_seconds(
    codes: list[str], repeat: int, environment: dict[str, str], cwd: Path
) -> list[tuple[float, float]]:
    """For each of `codes`, the median of `repeat` runs in new processes: (whole process,
    as timed inside it). The codes take turns, so that a change in the machine's load
    weighs on each alike. Each runs once before, untimed."""
    whole: list[list[float]] = [[] for _ in codes]
    inside: list[list[float]] = [[] for _ in codes]
    for code in codes:  # untimed: writes the bytecode of any module with none, or stale
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, env=environment, cwd=cwd
        )
    for _ in range(repeat):
        for index, code in enumerate(codes):
            started = time.perf_counter()
            output = subprocess.run(
                [sys.executable, "-c", _TIMED.format(code=code)],
                check=True,
                capture_output=True,
                text=True,
                env=environment,
                cwd=cwd,
            ).stdout
            whole[index].append(time.perf_counter() - started)
            inside[index].append(float(output.strip()))
    return [
        (statistics.median(w), statistics.median(i)) for w, i in zip(whole, inside, strict=True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat

    started = time.perf_counter()
    template = synthesized_template(CACHE_DIR)
    handlers = deployed_handlers(template, CACHE_DIR / "cdk.out")
    print(f"stack synthesized, bundles built or reused: {time.perf_counter() - started:.0f} s")
    bundles = sorted({handler.bundle for handler in handlers})
    sizes = {bundle: bundle_sizes(bundle) for bundle in bundles}
    bytecode = {bundle: shipped_bytecode(bundle) for bundle in bundles}

    with tempfile.TemporaryDirectory(prefix="cold-starts-") as work:
        empty, lists = Path(work) / "empty", Path(work) / "lists"
        empty.mkdir()
        lists.mkdir()
        # What a child may find bytecode for: nothing, or what a bundle ships.
        nothing = lists / "nothing.json"
        nothing.write_text("[]", encoding="utf-8")
        shipped_lists = {bundle: lists / f"{bundle.name}.json" for bundle in bundles}
        for bundle, listed in shipped_lists.items():
            listed.write_text(json.dumps(bytecode[bundle][0]), encoding="utf-8")
        measure(handlers, sizes, bytecode, (nothing, shipped_lists), repeat, empty)


def measure(
    handlers: list[DeployedHandler],
    sizes: dict[Path, tuple[int, int]],
    bytecode: dict[Path, tuple[list[str], int]],
    shipped_lists: tuple[Path, dict[Path, Path]],
    repeat: int,
    empty: Path,
) -> None:
    """Time the imports in fresh processes in the folder `empty` and print the figures."""
    bare = child_environment({})
    (bare_process, _), (_, framework), (_, framework_route) = fresh_process_seconds(
        ["pass", FRAMEWORK, FRAMEWORK_ROUTE], repeat, bare, empty
    )
    print(f"a process that imports nothing: {bare_process * 1000:.0f} ms")
    print(f"the web framework alone (FastAPI, Mangum): {framework * 1000:.0f} ms")
    print(f"the web framework serving one route: {framework_route * 1000:.0f} ms")
    print(
        f"{'handler':<16} {'import ms':>10} {'process ms':>11} {'x bare':>7} "
        f"{'from source ms':>15} {'as bundled ms':>14} {'.pyc shipped':>13} "
        f"{'bundle MB zipped':>17} {'unzipped':>9}"
    )
    imports: dict[str, float] = {}
    from_source: dict[str, float] = {}
    as_bundled: dict[str, float] = {}
    nothing, bundled = shipped_lists
    for handler in handlers:
        environment = child_environment(handler.environment)
        code = f"import {handler.module}"
        timed = fresh_process_seconds(
            [
                code,
                _BYTECODE_ONLY_FOR.format(shipped=str(nothing)) + code,
                _BYTECODE_ONLY_FOR.format(shipped=str(bundled[handler.bundle])) + code,
            ],
            repeat,
            environment,
            empty,
        )
        process, imports[handler.name] = timed[0]
        from_source[handler.name], as_bundled[handler.name] = timed[1][1], timed[2][1]
        zipped, unzipped = sizes[handler.bundle]
        shipped, modules = bytecode[handler.bundle]
        print(
            f"{handler.name:<16} {imports[handler.name] * 1000:>10.0f} {process * 1000:>11.0f} "
            f"{process / bare_process:>7.1f} {from_source[handler.name] * 1000:>15.0f} "
            f"{as_bundled[handler.name] * 1000:>14.0f} "
            f"{f'{len(shipped)}/{modules}':>13} {zipped / MB:>17.1f} {unzipped / MB:>9.1f}"
        )
    (_, boto3), (_, requests) = fresh_process_seconds(
        ["import boto3", "import requests"], repeat, bare, empty
    )
    print(
        f"imported on first use, not counted above: boto3 {boto3 * 1000:.0f} ms, "
        f"requests {requests * 1000:.0f} ms"
    )

    worst = max(imports, key=imports.__getitem__)
    zipped_mb = {h.name: sizes[h.bundle][0] / MB for h in handlers}
    figures = " ".join(
        f"{name}_import_ms={imports[name] * 1000:.0f} "
        f"{name}_no_pyc_ms={from_source[name] * 1000:.0f} "
        f"{name}_bundled_ms={as_bundled[name] * 1000:.0f} "
        f"{name}_bundle_mb={zipped_mb[name]:.1f}"
        for name in imports
    )
    print(
        f"bare_process_ms={bare_process * 1000:.0f} framework_import_ms={framework * 1000:.0f} "
        f"framework_route_ms={framework_route * 1000:.0f} "
        f"worst_import_ms={imports[worst] * 1000:.0f} worst_handler={worst} "
        f"worst_x_framework_route={imports[worst] / framework_route:.2f} "
        f"worst_no_pyc_ms={max(from_source.values()) * 1000:.0f} "
        f"worst_bundled_ms={max(as_bundled.values()) * 1000:.0f} "
        f"worst_bundle_mb={max(zipped_mb.values()):.1f} "
        f"boto3_import_ms={boto3 * 1000:.0f} requests_import_ms={requests * 1000:.0f} {figures}"
    )


if __name__ == "__main__":
    main()
