"""The plays export on AWS: the API function alone writes and reads back exports/, the
objects expire after a day, and only the API function carries pyarrow."""

from __future__ import annotations

import tomllib

from aws_cdk.assertions import Capture, Match

from cdk_app.bundling import API_BUNDLE, API_EXPORTS_BUNDLE, REPO_ROOT
from tests.infra.conftest import API_HANDLER, Synthesized
from tests.infra.test_stack import OURS, logical_id, s3_paths


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


def test_only_the_api_function_writes_and_reads_exports(synth: Synthesized) -> None:
    # The link the API signs acts with the API function's permission to read exports/.
    assert "exports/*" in s3_paths(synth, API_HANDLER, "s3:PutObject")
    assert "exports/*" in s3_paths(synth, API_HANDLER, "s3:GetObject*")
    for key in OURS:
        if key != API_HANDLER:
            for action in ("s3:PutObject", "s3:GetObject*"):
                assert "exports/*" not in s3_paths(synth, key, action), (key, action)


def test_only_the_api_function_carries_pyarrow(synth: Synthesized) -> None:
    assert API_EXPORTS_BUNDLE.packages == API_BUNDLE.packages
    added = set(API_EXPORTS_BUNDLE.requirements) - set(API_BUNDLE.requirements)
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
    functions = synth.of_type("AWS::Lambda::Function")
    api_code = functions[synth.function(API_HANDLER)]["Properties"]["Code"]
    others = [
        function["Properties"]["Code"]
        for logical, function in functions.items()
        if logical != synth.function(API_HANDLER) and "Code" in function["Properties"]
    ]
    assert api_code not in others
