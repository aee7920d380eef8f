"""CDK entry point: `npx cdk synth` / `npx cdk deploy` (see cdk.json)."""

from __future__ import annotations

import sys
from pathlib import Path

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from cdk_app.stack import MoodifyStack

SITE_DIR = Path(__file__).resolve().parent / "frontend" / "out"


def main() -> None:
    if not (SITE_DIR / "index.html").is_file():
        sys.exit(
            f"The dashboard is not built ({SITE_DIR} has no index.html): run `make frontend` first"
        )
    app = cdk.App()
    MoodifyStack(
        app, "MoodifyStack", site_dir=SITE_DIR, description="Moodify: Spotify listening analytics"
    )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()


if __name__ == "__main__":
    main()
