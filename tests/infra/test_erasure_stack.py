"""Erasure and sign out everywhere on AWS: the API function alone may delete lake objects
(every version, under every prefix) and write tombstones; the authorizer reads the users'
sign-in states; the API function reaches no SSM (its token goes at the next ingest)."""

from __future__ import annotations

from aws_cdk.assertions import Match

from etl.core.keys import PREFIXES, USERS_STATE_PREFIX
from tests.infra.conftest import (
    API_HANDLER,
    AUTH_HANDLER,
    AUTHORIZER_HANDLER,
    INGEST_HANDLER,
    Synthesized,
)
from tests.infra.test_stack import OURS, as_list, logical_id, s3_paths

DELETES = ("s3:DeleteObject", "s3:DeleteObjectVersion")


def test_only_the_api_function_deletes_from_the_lake_under_every_prefix(
    synth: Synthesized,
) -> None:
    every_prefix = {f"{prefix}*" for prefix in PREFIXES}
    for action in DELETES:
        assert s3_paths(synth, API_HANDLER, action) == every_prefix
        for key in OURS:
            if key != API_HANDLER:
                assert not s3_paths(synth, key, action), (key, action)


def test_the_api_function_lists_every_version_of_the_bucket(synth: Synthesized) -> None:
    bucket = {"Fn::GetAtt": [logical_id(synth.stack.lake.bucket), "Arn"]}
    synth.template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": ["s3:ListBucket", "s3:ListBucketVersions"],
                                "Effect": "Allow",
                                "Resource": bucket,
                            }
                        )
                    ]
                )
            }
        },
    )
    listing = [
        statement
        for statement in synth.statements_of_function(synth.function(API_HANDLER))
        if "s3:ListBucketVersions" in as_list(statement["Action"])
    ]
    assert [statement["Resource"] for statement in listing] == [bucket]


def test_the_api_function_writes_tombstones_and_no_other_function_does(
    synth: Synthesized,
) -> None:
    assert "tombstones/*" in s3_paths(synth, API_HANDLER, "s3:PutObject")
    for key in OURS:
        if key != API_HANDLER:
            assert "tombstones/*" not in s3_paths(synth, key, "s3:PutObject"), key


def test_the_authorizer_reads_the_sign_in_states_of_the_lake(synth: Synthesized) -> None:
    authorizer = synth.resources[synth.function(AUTHORIZER_HANDLER)]["Properties"]
    assert authorizer["Environment"]["Variables"]["MOODIFY_LAKE_BUCKET"] == {
        "Ref": logical_id(synth.stack.lake.bucket)
    }
    assert s3_paths(synth, AUTHORIZER_HANDLER, "s3:GetObject") == {f"{USERS_STATE_PREFIX}*"}
    assert not s3_paths(synth, AUTHORIZER_HANDLER, "s3:PutObject")
    # Sign out everywhere (the auth function) writes the instant into the state.
    assert "state/*" in s3_paths(synth, AUTH_HANDLER, "s3:PutObject")


def test_refresh_tokens_are_forgotten_by_the_ingest_not_the_api(synth: Synthesized) -> None:
    def ssm_actions(key: str) -> set[str]:
        return {
            action
            for statement in synth.statements_of_function(synth.function(key))
            for action in as_list(statement["Action"])
            if action.startswith("ssm:")
        }

    # No SSM interface endpoint in the VPC: the API function could not reach it.
    assert ssm_actions(API_HANDLER) == set()
    assert "ssm:DeleteParameter" in ssm_actions(INGEST_HANDLER)
    synth.template.resource_count_is("AWS::EC2::VPCEndpoint", 1)  # S3's gateway alone
