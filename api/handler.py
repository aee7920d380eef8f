"""AWS Lambda entry point behind the HTTP API's `$default` stage."""

from mangum import Mangum

from api.app import create_app

# No /docs: CloudFront never sends it here, and its assets stay out of the bundle.
handler = Mangum(create_app(docs=False), lifespan="off")
