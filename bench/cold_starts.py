"""How long each Lambda handler's module takes to import in a fresh process: the part of a
cold start that is Moodify's own.

Each handler the stack deploys is imported `--repeat` times, each time in a new Python
process, and the median is printed. Measured side by side: the same fresh process that
imports nothing (the interpreter's own start), and each handler's time as a multiple of it.

    python bench/cold_starts.py [--repeat N]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

# The module of every handler the AWS stack deploys (cdk_app), by function.
HANDLERS = {
    "api": "api.handler",
    "auth": "lambdas.auth",
    "authorizer": "lambdas.authorizer",
    "ingest": "lambdas.ingest",
    "pipeline_step": "lambdas.pipeline_step",
    "unpack": "lambdas.unpack",
    "migrate": "lambdas.migrate",
    "migrate_trigger": "lambdas.migrate_trigger",
}
# Times the import alone, inside the child, so the process start is not counted twice.
_TIMED_IMPORT = (
    "import time; started = time.perf_counter(); import {module}; "
    "print(time.perf_counter() - started)"
)
_NOTHING = "import time; started = time.perf_counter(); print(time.perf_counter() - started)"


def fresh_process_seconds(code: str, repeat: int) -> tuple[float, float]:
    """The median of `repeat` runs of `code` in new processes: (whole process, as timed
    inside it)."""
    whole, inside = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        output = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout
        whole.append(time.perf_counter() - started)
        inside.append(float(output.strip()))
    return statistics.median(whole), statistics.median(inside)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat

    bare_process, _ = fresh_process_seconds(_NOTHING, repeat)
    print(f"a process that imports nothing: {bare_process * 1000:.0f} ms")
    print(f"{'handler':<16} {'import ms':>10} {'process ms':>11} {'x bare':>7}")
    imports: dict[str, float] = {}
    for name, module in HANDLERS.items():
        process, imported = fresh_process_seconds(_TIMED_IMPORT.format(module=module), repeat)
        imports[name] = imported
        print(
            f"{name:<16} {imported * 1000:>10.0f} {process * 1000:>11.0f} "
            f"{process / bare_process:>7.1f}"
        )
    worst = max(imports, key=imports.__getitem__)
    figures = " ".join(f"{name}_import_ms={s * 1000:.0f}" for name, s in imports.items())
    print(
        f"bare_process_ms={bare_process * 1000:.0f} worst_import_ms={imports[worst] * 1000:.0f} "
        f"worst_handler={worst} {figures}"
    )


if __name__ == "__main__":
    main()
