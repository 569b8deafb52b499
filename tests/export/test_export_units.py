"""The pieces behind the exports: variables in strings, the YAML and HCL writers, the API."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xraybuilder.core.bundle import build
from xraybuilder.core.export import FORMATS, UnknownFormat, bundle_for_policy, render, render_files
from xraybuilder.core.export.hclwriter import Writer
from xraybuilder.core.export.variables import Finder, Variable
from xraybuilder.core.export.yamlwriter import document, scalar
from xraybuilder.core.policy.model import Policy

yaml = pytest.importorskip("yaml")
FIND = Finder({"partition": "aws", "region": "us-east-1", "account": "123456789012"})


def test_variables_are_found_only_as_whole_tokens() -> None:
    assert FIND.split("arn:aws:s3:::aws-xray-assets.us-east-1/xray-daemon/*") == [
        "arn:",
        Variable("partition", "aws"),
        ":s3:::aws-xray-assets.",
        Variable("region", "us-east-1"),
        "/xray-daemon/*",
    ]
    # Not a partition outside an ARN's second field, not a Region inside a longer name.
    assert FIND.split("aws:SourceAccount") == ["aws:SourceAccount"]
    assert FIND.split("us-east-12 and xus-east-1") == ["us-east-12 and xus-east-1"]
    assert FIND.split("1234567890123") == ["1234567890123"]
    assert FIND.split("KeyId=arn:aws:kms:x")[1] == Variable("partition", "aws")


@given(st.text())
def test_joining_the_pieces_gives_the_text_back(text: str) -> None:
    assert FIND.join(text, lambda s: s, lambda v: v.value) == text


@pytest.mark.parametrize(
    "value",
    ["*", "yes", "No", "null", "2012-10-17", "123456789012", "a: b", "#x", "x #y", "-", "${AWS::Region}",
     "ends:", "'quoted'", 'dq"', "line\nbreak", "tab\there", "é", "xray:PutTraceSegments", "AWS::IAM::Role",
     "@at", "`tick", "%p", "!tag", "&anchor", "|", ">", "[a]", "{b}", "on", "~", ""],
)  # fmt: skip
def test_yaml_scalars_read_back_as_the_same_string(value: str) -> None:
    assert yaml.safe_load(f"key: {scalar(value)}\n") == {"key": value}


def test_yaml_documents_read_back_equal() -> None:
    value = {"a": [{"b": ["*", "x"], "c": {}}, [], "y"], "d": {"e": {"f": True}}, "g": 3}
    assert yaml.safe_load(document(value, ["# comment"])) == value


def test_hcl_strings_escape_what_terraform_would_interpret() -> None:
    lines = Writer().value({"K": 'a"b\\c ${x} %{y}\n'}, 0)
    assert lines[1] == '  K = "a\\"b\\\\c $${x} %%{y}\\n"'


def test_unknown_format_names_the_valid_ones() -> None:
    with pytest.raises(UnknownFormat, match="choose one of json, aws-cli, terraform"):
        render(build("ec2"), "yaml")


def test_a_custom_policy_renders_in_every_format() -> None:
    policy = Policy.from_json(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "xray:GetGroup", "Resource": "arn:aws-cn:xray:*:*:group/*"}
            ],
        }
    )
    bundle = bundle_for_policy(policy, name="TeamRead", partition="aws-cn")
    for fmt in FORMATS:
        text = render(bundle, fmt)
        assert text and render_files(bundle, fmt)
    assert json.loads(render_files(bundle, "json")["policy.json"]) == policy.to_json()
    assert "aws iam create-policy" in render(bundle, "aws-cli") and "POLICY_NAME=TeamRead" in render(
        bundle, "aws-cli"
    )
    assert '"arn:${var.partition}:xray:*:*:group/*"' in render(bundle, "terraform")
    assert "ManagedPolicyName: TeamRead" in render(bundle, "cloudformation")


def test_aws_config_sections_use_each_files_own_header() -> None:
    text = render(build("local-dev", {"profile": "tracing"}), "aws-config")
    assert "\n[tracing]\naws_access_key_id = <your-access-key-id>\n" in text
    assert "\n[profile tracing]\nregion = us-east-1\n" in text
    assert "AKIA" not in text
    files = render_files(build("local-dev", {"profile": "tracing"}), "aws-config")
    assert files["config-tracing.ini"] == "[profile tracing]\nregion = us-east-1\n"
    assert "no access keys" in render(build("ec2"), "aws-config")
