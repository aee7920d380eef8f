"""CDK entry point: `npx cdk synth` / `npx cdk deploy` (see cdk.json)."""

from __future__ import annotations

import sys
from pathlib import Path

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from cdk_app.deploy_access import DeployAccessStack
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
    # GitHub Actions' access, deployed once by hand (README, "CI/CD on GitHub Actions"); only
    # with `-c github_repository=OWNER/NAME`, so that a plain `cdk deploy` stays one stack.
    repository = app.node.try_get_context("github_repository")
    if repository:
        DeployAccessStack(
            app,
            "MoodifyDeployAccess",
            repository=repository,
            existing_provider_arn=app.node.try_get_context("github_oidc_provider_arn"),
            description="Moodify: GitHub Actions' OIDC provider and deploy role",
        )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()


if __name__ == "__main__":
    main()
