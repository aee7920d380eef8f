"""The dashboard: a private bucket behind CloudFront, which also fronts the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from cdk_app.buckets import private_bucket
from cdk_app.functions import log_group
from cdk_app.nag import BASIC_EXECUTION_ROLE, acknowledge, arn_ref

# Next.js exports `/mood/` as `mood/index.html` (trailingSlash: true); S3 behind OAC has
# no index documents, so the viewer's path is mapped to the object here.
INDEX_REWRITE = """
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.lastIndexOf('.') < uri.lastIndexOf('/')) {
    request.uri = uri + '/index.html';
  }
  return request;
}
"""

# Sign-in builds its redirect URI from the host the viewer asked for, which API Gateway
# never sees (CloudFront sends the API's own host name). Set here, so a value a viewer
# sends is overwritten; a caller going around CloudFront to the API could set any host,
# but Spotify redirects only to the URIs registered in the Spotify app.
PUBLIC_HOST_HEADER = "x-moodify-host"
COPY_HOST = f"""
function handler(event) {{
  var request = event.request;
  request.headers['{PUBLIC_HOST_HEADER}'] = {{ value: request.headers.host.value }};
  return request;
}}
"""


# Shared with the browser test that serves the dashboard under these very headers.
SECURITY_HEADERS_FILE = Path(__file__).with_name("security_headers.json")
# Context keys (`cdk deploy -c site_domain=... -c site_certificate_arn=...`): the dashboard
# on a domain of one's own, with an ACM certificate for it in us-east-1.
DOMAIN_CONTEXT, CERTIFICATE_CONTEXT = "site_domain", "site_certificate_arn"


def security_headers() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SECURITY_HEADERS_FILE.read_text(encoding="utf-8"))
    return loaded


def content_security_policy(upload_origins: str) -> str:
    """The policy of security_headers.json, with the lake's upload hosts filled in."""
    directives = security_headers()["content_security_policy"]
    return "; ".join(
        " ".join([name, *sources]).replace("{lake_upload_origins}", upload_origins)
        for name, sources in directives.items()
    )


class Site(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        site_dir: Path,
        api_domain: str,
        api_origin_headers: dict[str, str],
        upload_origins: str,
    ) -> None:
        super().__init__(scope, id)
        domain = self.node.try_get_context(DOMAIN_CONTEXT)
        certificate_arn = self.node.try_get_context(CERTIFICATE_CONTEXT)
        if bool(domain) != bool(certificate_arn):
            raise ValueError(f"set both {DOMAIN_CONTEXT} and {CERTIFICATE_CONTEXT}, or neither")
        # Only build output lives here, redeployed from frontend/ every time; kept on
        # stack deletion rather than adding an auto-delete custom resource.
        self.bucket = private_bucket(
            self,
            "Bucket",
            why_no_access_logs="Holds only the public dashboard build; requests reach it "
            "through CloudFront.",
        )
        index_rewrite = cloudfront.Function(
            self,
            "IndexRewrite",
            comment="Map /path/ and /path to /path/index.html",
            code=cloudfront.FunctionCode.from_inline(INDEX_REWRITE),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        copy_host = cloudfront.Function(
            self,
            "CopyHost",
            comment=f"Pass the viewer's Host to sign-in as {PUBLIC_HOST_HEADER}",
            code=cloudfront.FunctionCode.from_inline(COPY_HOST),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        headers = security_headers()
        self.response_headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            comment="Moodify: HSTS, CSP, nosniff, no framing, referrer policy",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=content_security_policy(upload_origins),
                    override=True,
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.seconds(
                        headers["strict_transport_security_max_age_seconds"]
                    ),
                    include_subdomains=True,
                    # Preloading is a promise about a whole registered domain: the owner's
                    # to make, not this stack's (and never for *.cloudfront.net).
                    preload=False,
                    override=True,
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy[
                        headers["referrer_policy"].upper().replace("-", "_")
                    ],
                    override=True,
                ),
            ),
        )
        api_origin = origins.HttpOrigin(
            api_domain,
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            custom_headers=api_origin_headers,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="Moodify dashboard and API",
            default_root_object="index.html",
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            domain_names=[domain] if domain else None,
            certificate=acm.Certificate.from_certificate_arn(self, "Certificate", certificate_arn)
            if certificate_arn
            else None,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021
            if domain
            else None,
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self.response_headers,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=index_rewrite,
                        event_type=cloudfront.FunctionEventType.VIEWER_REQUEST,
                    )
                ],
            ),
            additional_behaviors={
                "/api/*": _api_behavior(api_origin, self.response_headers),
                "/auth/*": _api_behavior(
                    api_origin, self.response_headers, viewer_request=copy_host
                ),
            },
        )
        acknowledge(
            self.distribution,
            "Access logs would need a log bucket with ACLs enabled; the API keeps its own "
            "access log.",
            "AwsSolutions-CFR3",
        )
        if not domain:
            acknowledge(
                self.distribution,
                "The default *.cloudfront.net certificate fixes the minimum TLS version "
                "(TLSv1); with site_domain and site_certificate_arn set, TLS 1.2 is the "
                "minimum and this finding no longer applies.",
                "AwsSolutions-CFR4",
            )
        self.domain: str = domain or self.distribution.distribution_domain_name
        acknowledge(
            self.distribution,
            "A few known users, wherever they travel: no country to exclude.",
            "AwsSolutions-CFR1",
        )
        acknowledge(
            self.distribution,
            "AWS WAF costs more than the rest of the stack together; the API stage throttles.",
            "AwsSolutions-CFR2",
        )
        # One deployment for the whole bucket: two deployments to one prefix prune each
        # other's files.
        deployment = s3deploy.BucketDeployment(
            self,
            "Deployment",
            sources=[s3deploy.Source.asset(str(site_dir))],
            destination_bucket=self.bucket,
            distribution=self.distribution,
            distribution_paths=["/*"],
            # The key list of a whole export would overflow the custom resource's response.
            output_object_keys=False,
            memory_limit=512,
            log_group=log_group(self, "DeploymentLogs"),
        )
        # The deployment's function is CDK's, a singleton at the stack level.
        acknowledge(
            deployment.handler_role.node.scope or deployment,
            "CDK's BucketDeployment function: its runtime and role (copying from the CDK "
            "asset bucket into the site bucket, invalidating the distribution) are CDK's.",
            "AwsSolutions-L1",
            BASIC_EXECUTION_ROLE,
            "AwsSolutions-IAM5[Action::s3:GetObject*]",
            "AwsSolutions-IAM5[Action::s3:GetBucket*]",
            "AwsSolutions-IAM5[Action::s3:List*]",
            "AwsSolutions-IAM5[Action::s3:Abort*]",
            "AwsSolutions-IAM5[Action::s3:DeleteObject*]",
            "AwsSolutions-IAM5[Resource::*]",
            f"AwsSolutions-IAM5[Resource::{arn_ref(self.bucket)}/*]",
            "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-"
            "<AWS::AccountId>-<AWS::Region>/*]",
        )

    @property
    def url(self) -> str:
        return f"https://{self.domain}"


def _api_behavior(
    origin: cloudfront.IOrigin,
    response_headers: cloudfront.IResponseHeadersPolicy,
    viewer_request: cloudfront.IFunction | None = None,
) -> cloudfront.BehaviorOptions:
    """To the HTTP API, uncached, with every viewer header, cookie and query string."""
    return cloudfront.BehaviorOptions(
        origin=origin,
        viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
        cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
        # The API Gateway endpoint answers only to its own Host header.
        origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        response_headers_policy=response_headers,
        function_associations=[
            cloudfront.FunctionAssociation(
                function=viewer_request, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
            )
        ]
        if viewer_request
        else None,
    )
