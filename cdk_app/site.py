"""The dashboard: a private bucket behind CloudFront, which also fronts the API."""

from __future__ import annotations

from pathlib import Path

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


class Site(Construct):
    def __init__(self, scope: Construct, id: str, *, site_dir: Path, api_domain: str) -> None:
        super().__init__(scope, id)
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
        api_origin = origins.HttpOrigin(
            api_domain, protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="Moodify dashboard and API",
            default_root_object="index.html",
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=index_rewrite,
                        event_type=cloudfront.FunctionEventType.VIEWER_REQUEST,
                    )
                ],
            ),
            additional_behaviors={
                "/api/*": _api_behavior(api_origin),
                "/auth/*": _api_behavior(api_origin, viewer_request=copy_host),
            },
        )
        acknowledge(
            self.distribution,
            "Access logs would need a log bucket with ACLs enabled; the API keeps its own "
            "access log.",
            "AwsSolutions-CFR3",
        )
        acknowledge(
            self.distribution,
            "The default *.cloudfront.net certificate fixes the minimum TLS version; a custom "
            "domain with its own certificate would allow TLS 1.2 as the minimum.",
            "AwsSolutions-CFR4",
        )
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
        return f"https://{self.distribution.distribution_domain_name}"


def _api_behavior(
    origin: cloudfront.IOrigin, viewer_request: cloudfront.IFunction | None = None
) -> cloudfront.BehaviorOptions:
    """To the HTTP API, uncached, with every viewer header, cookie and query string."""
    return cloudfront.BehaviorOptions(
        origin=origin,
        viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
        cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
        # The API Gateway endpoint answers only to its own Host header.
        origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        function_associations=[
            cloudfront.FunctionAssociation(
                function=viewer_request, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
            )
        ]
        if viewer_request
        else None,
    )
