"""The plays export on AWS: a function of its own, in the VPC with the app user's database
access, carries pyarrow (the API function's bundle does not); the lake's rule starts it for
the API's export requests only; each side has the grants it needs and no more; the objects
expire after a day."""

from __future__ import annotations

import fnmatch
import tomllib

from aws_cdk.assertions import Capture, Match

from cdk_app.bundling import API_BUNDLE, EXPORTS_BUNDLE, HANDLERS_BUNDLE, REPO_ROOT
from cdk_app.exports import EXPORT_REQUESTS
from cdk_app.nag import logical_id
from etl.core.keys import export_key, export_request_key, export_status_key
from etl.warehouse.export_jobs import EXPORT_TIME_LIMIT
from tests.infra.conftest import API_HANDLER, EXPORT_HANDLER, Synthesized
from tests.infra.test_stack import (
    LAKE_WRITE,
    OURS,
    allowed,
    grants,
    lake_arn,
    lake_reads,
    s3_paths,
)

EXPORT_ID = "0b0e8a4e-5d2c-4c52-9a51-7f0f6b1c2d3e"


def test_exports_expire_a_day_after_they_are_written(synth: Synthesized) -> None:
    rules = Capture()
    synth.template.has_resource_properties(
        "AWS::S3::Bucket",
        {"LifecycleConfiguration": {"Rules": rules}, "VersioningConfiguration": Match.any_value()},
    )
    (exports,) = [rule for rule in rules.as_array() if rule.get("Prefix") == "exports/"]
    assert exports == {
        "Id": "ExpireExports",
        "Prefix": "exports/",
        "ExpirationInDays": 1,
        "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
        "Status": "Enabled",
    }
    lake = synth.resources[logical_id(synth.stack.lake.bucket)]["Properties"]
    assert exports in lake["LifecycleConfiguration"]["Rules"]


def test_the_export_function_runs_in_the_vpc_for_as_long_as_the_status_waits(
    synth: Synthesized,
) -> None:
    properties = synth.resources[synth.function(EXPORT_HANDLER)]["Properties"]
    assert "VpcConfig" in properties  # beside the database (test_stack checks the subnets)
    assert properties["Timeout"] == EXPORT_TIME_LIMIT.total_seconds() == 300
    assert properties["MemorySize"] == 1024
    assert properties["EphemeralStorage"] == {"Size": 1024}
    variables = properties["Environment"]["Variables"]
    assert variables["MOODIFY_LAKE_BUCKET"] == {"Ref": logical_id(synth.stack.lake.bucket)}


def test_the_rule_starts_the_export_function_for_requests_only(synth: Synthesized) -> None:
    targeting = [
        rule["Properties"]
        for rule in synth.of_type("AWS::Events::Rule").values()
        if any(
            target["Arn"] == {"Fn::GetAtt": [synth.function(EXPORT_HANDLER), "Arn"]}
            for target in rule["Properties"].get("Targets", [])
        )
    ]
    (rule,) = targeting
    pattern = rule["EventPattern"]
    assert pattern["detail-type"] == ["Object Created"]
    assert pattern["detail"]["object"]["key"] == [{"wildcard": EXPORT_REQUESTS}]
    (target,) = rule["Targets"]
    assert target["InputTransformer"]["InputPathsMap"] == {
        "detail-object-key": "$.detail.object.key"
    }
    assert '"request_key":<detail-object-key>' in target["InputTransformer"]["InputTemplate"]
    # What the API writes matches; the file and the status written beside it do not.
    assert _matches(export_request_key("me", EXPORT_ID))
    assert not _matches(export_status_key("me", EXPORT_ID))
    assert not _matches(export_key("me", EXPORT_ID, "moodify_me_plays_all_2026-11-20.parquet"))
    assert not _matches(f"uploads/user=me/{EXPORT_ID}/request.json")


def _matches(key: str) -> bool:
    """EventBridge's wildcard: `*` stands for any run of characters, `/` included."""
    return fnmatch.fnmatchcase(key, EXPORT_REQUESTS)


def test_the_export_function_has_exactly_its_grants(synth: Synthesized) -> None:
    found = grants(synth, EXPORT_HANDLER)
    connect = found.pop("rds-db:connect")
    assert len(connect) == 1
    ec2 = {action for action in found if action.startswith("ec2:")}
    for action in ec2:  # the VPC's network interfaces, as every function in the VPC
        found.pop(action)
    assert found == allowed(
        *lake_reads(synth, EXPORT_REQUESTS),
        (LAKE_WRITE, {lake_arn(synth, "/exports/*")}),
    )


def test_the_api_puts_requests_only_and_reads_statuses_and_files(synth: Synthesized) -> None:
    # The link the API signs acts with the API function's permission to read exports/.
    assert "exports/*" in s3_paths(synth, API_HANDLER, "s3:GetObject")
    put = s3_paths(synth, API_HANDLER, "s3:PutObject")
    assert EXPORT_REQUESTS in put
    assert "exports/*" not in put
    for key in OURS:
        if key not in (API_HANDLER, EXPORT_HANDLER):
            for action in ("s3:PutObject", "s3:GetObject"):
                paths = s3_paths(synth, key, action)
                assert not {p for p in paths if p.startswith("exports/")}, (key, action)


def test_only_the_export_function_carries_pyarrow(synth: Synthesized) -> None:
    assert EXPORTS_BUNDLE.packages == HANDLERS_BUNDLE.packages
    added = set(EXPORTS_BUNDLE.requirements) - set(HANDLERS_BUNDLE.requirements)
    assert [path.name for path in added] == ["requirements-exports.txt"]
    pins = [
        line
        for path in added
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    lock = tomllib.loads((REPO_ROOT / "uv.lock").read_text(encoding="utf-8"))
    (locked,) = [p["version"] for p in lock["package"] if p["name"] == "pyarrow"]
    assert pins == [f"pyarrow=={locked}"]
    # The API function has the web bundle back: no requirements file of it names pyarrow.
    for path in API_BUNDLE.requirements:
        assert "pyarrow" not in path.read_text(encoding="utf-8"), path
    functions = synth.of_type("AWS::Lambda::Function")
    export_code = functions[synth.function(EXPORT_HANDLER)]["Properties"]["Code"]
    others = [
        function["Properties"]["Code"]
        for logical, function in functions.items()
        if logical != synth.function(EXPORT_HANDLER) and "Code" in function["Properties"]
    ]
    assert export_code not in others
