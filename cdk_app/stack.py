"""MoodifyStack: every construct of the AWS deployment, composed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_app.alarms import Alarms, Watched, python_functions
from cdk_app.api import Api
from cdk_app.bundling import API_BUNDLE, EXPORTS_BUNDLE, HANDLERS_BUNDLE
from cdk_app.database import Database
from cdk_app.etl import EtlPipeline
from cdk_app.exports import Exports
from cdk_app.imports import Imports
from cdk_app.ingest import Ingest
from cdk_app.lake import Lake
from cdk_app.migrations import Migrations
from cdk_app.network import Network
from cdk_app.origin import OriginSecret
from cdk_app.signin import SignIn
from cdk_app.site import Site
from cdk_app.spotify import SpotifyApp


class MoodifyStack(Stack):
    """Environment-agnostic, so that `cdk synth` needs no AWS account or lookups.

    `site_dir` is the exported dashboard (`frontend/out`, built by `make frontend`).
    """

    def __init__(self, scope: Construct, id: str, *, site_dir: Path, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        handlers_code = HANDLERS_BUNDLE.code()
        self.network = Network(self, "Network")
        placement = self.network.placement
        self.lake = Lake(self, "Lake")
        self.database = Database(self, "Database", placement=placement)
        self.migrations = Migrations(
            self, "Migrations", code=handlers_code, database=self.database, placement=placement
        )
        self.spotify = SpotifyApp(self, "Spotify")
        self.ingest = Ingest(
            self, "Ingest", code=handlers_code, lake=self.lake, spotify=self.spotify
        )
        self.etl = EtlPipeline(
            self,
            "Etl",
            code=handlers_code,
            lake=self.lake,
            database=self.database,
            placement=placement,
            spotify=self.spotify,
        )
        api_code = API_BUNDLE.code()
        self.origin = OriginSecret(self, "Origin")
        self.sign_in = SignIn(
            self, "SignIn", code=api_code, spotify=self.spotify, lake=self.lake, origin=self.origin
        )
        self.api = Api(
            self,
            "Api",
            code=api_code,
            database=self.database,
            placement=placement,
            lake=self.lake,
            spotify=self.spotify,
            sign_in=self.sign_in,
        )
        self.exports = Exports(
            self,
            "Exports",
            code=EXPORTS_BUNDLE.code(),
            lake=self.lake,
            database=self.database,
            placement=placement,
        )
        self.site = Site(
            self,
            "Site",
            site_dir=site_dir,
            api_domain=self.api.domain_name,
            api_origin_headers=self.origin.origin_headers,
            # Where botocore signs the Import page's upload: the bucket's regional host, or
            # in us-east-1 the global one. Any bucket's: naming the lake's would close a
            # cycle (its CORS rule names the distribution).
            upload_origins=f"https://*.s3.{self.region}.{self.url_suffix} "
            f"https://*.s3.{self.url_suffix}",
        )
        self.imports = Imports(
            self, "Imports", code=handlers_code, lake=self.lake, site_origin=self.site.url
        )
        self.alarms = Alarms(
            self,
            "Alarms",
            watched=Watched(
                functions=python_functions(self),
                state_machine=self.etl.state_machine,
                unpack=self.imports.function,
                api=self.api,
                database=self.database,
                event_rules=[self.etl.rule, self.imports.rule, self.exports.rule],
                schedule=self.ingest.schedule,
                schedule_role=self.ingest.schedule_role,
            ),
        )

        redirect_uri = f"{self.site.url}/auth/callback"
        CfnOutput(self, "SiteUrl", value=self.site.url, description="The Moodify dashboard")
        CfnOutput(self, "LakeBucketName", value=self.lake.bucket.bucket_name)
        if self.api.custom_domain:
            CfnOutput(
                self,
                "ApiDomainTarget",
                value=self.api.custom_domain.regional_domain_name,
                description=f"Point {self.api.custom_domain.name} (CNAME) here",
            )
        CfnOutput(
            self,
            "SpotifyRedirectUri",
            value=redirect_uri,
            description="Paste into your Spotify app's Redirect URIs",
        )
        CfnOutput(
            self,
            "NextSteps",
            value=f"Add {redirect_uri} to your Spotify app's Redirect URIs, then open "
            f"{self.site.url} and sign in. To let a friend in, add them to the app's User "
            "Management and their account id to AllowedSpotifyUsers.",
        )
