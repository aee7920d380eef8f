"""What the Lambda handlers import before their first request: nothing a request may never
need, since every module loaded there is a cold start's wait (bench/cold_starts.py times it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# The settings on AWS that choose what a handler builds: the lake bucket, the database
# through an IAM token, the secrets' ARNs (stand-in values: nothing may be called).
DEPLOYED_ENVIRONMENT = {
    "MOODIFY_LAKE_BUCKET": "moodify-lake",
    "MOODIFY_DB_HOST": "moodify.example.invalid",
    "MOODIFY_DB_USER": "moodify_app",
    "MOODIFY_DB_IAM_AUTH": "true",
    "MOODIFY_SPOTIFY_CLIENT_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:0:secret:spotify",
    "MOODIFY_SESSION_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:0:secret:session",
    "MOODIFY_STEP": "load",
    "AWS_REGION": "eu-west-1",
    "AWS_DEFAULT_REGION": "eu-west-1",
}
# boto3 and its clients come on first use of S3, Secrets Manager or the database's IAM
# token (Powertools loads botocore's package itself, not its clients); requests when Spotify
# or ReccoBeats is first called; the pipeline's steps only where one runs.
DEFERRED = ("boto3", "botocore.client", "requests", "etl.pipeline.steps")
HANDLERS = (
    "api.handler",
    "lambdas.auth",
    "lambdas.authorizer",
    "lambdas.ingest",
    "lambdas.unpack",
    "lambdas.export",
    "lambdas.migrate",
    "lambdas.pipeline_step",  # last: it imports the steps, which it runs
)
# Each handler in turn in one fresh interpreter: what each import added that is deferred.
_SCRIPT = """
import importlib, json, sys
added = {{}}
for module in {handlers!r}:
    importlib.import_module(module)
    added[module] = [name for name in {deferred!r} if name in sys.modules]
print(json.dumps(added))
"""


# The modules under `prefixes` loaded once `module` is imported.
_LOADED = """
import importlib, json, sys
importlib.import_module({module!r})
print(json.dumps(sorted(name for name in sys.modules if name.startswith({prefixes!r}))))
"""


def _run(script: str, cwd: Path) -> object:
    """What `script` prints, as JSON, run in a fresh interpreter with the deployed settings."""
    output = subprocess.run(  # in an empty folder, so that no local lake is found
        [sys.executable, "-c", script],
        cwd=cwd,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin", **DEPLOYED_ENVIRONMENT},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return json.loads(output)


def test_handlers_leave_aws_clients_http_and_the_steps_to_their_first_use(
    tmp_path: Path,
) -> None:
    loaded = _run(_SCRIPT.format(handlers=HANDLERS, deferred=DEFERRED), tmp_path)
    assert loaded == {
        **{handler: [] for handler in HANDLERS[:-1]},
        "lambdas.pipeline_step": ["etl.pipeline.steps"],
    }


def test_the_auth_handler_loads_sign_in_and_health_alone(tmp_path: Path) -> None:
    """No history router, none of their models, nothing of the imports from the browser."""
    prefixes = ("api.routers.", "api.models.", "etl.imports")
    loaded = _run(_LOADED.format(module="lambdas.auth", prefixes=prefixes), tmp_path)
    assert loaded == [
        "api.models.account",  # /healthz's answer
        "api.models.common",
        "api.routers.auth",
        "api.routers.health",
    ]
