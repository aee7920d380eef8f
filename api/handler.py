"""AWS Lambda entry point behind the HTTP API's `$default` stage."""

from mangum import Mangum

from api.app import create_app

handler = Mangum(create_app(), lifespan="off")
