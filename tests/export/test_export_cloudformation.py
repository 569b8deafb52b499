"""CloudFormation exports checked by cfn-lint (informational rules included) and PyYAML.

Every preset and variant in the three partitions cfn-lint knows Regions of (aws, aws-cn,
aws-us-gov), in YAML and JSON. No finding of any level is left, so there is nothing to
justify; a negative control shows the I-level rules really run.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from export_cases import cases, region_of

from xraybuilder.core.bundle import Bundle, build
from xraybuilder.core.export import render

cfnlint_api = pytest.importorskip("cfnlint.api")
yaml = pytest.importorskip("yaml")

CASES = list(cases(("aws", "aws-cn", "aws-us-gov")))


def lint(template: str, region: str) -> list[str]:
    config = cfnlint_api.ManualArgs(regions=[region], include_checks=["I"])
    return [
        f"{m.rule.id} line {m.linenumber}: {m.message}" for m in cfnlint_api.lint(template, config=config)
    ]


class _Loader(yaml.SafeLoader):
    """PyYAML reading CloudFormation's short tags as their long JSON forms."""


def _tag(name: str) -> Any:
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
        if name == "Fn::GetAtt":
            return {name: str(value).split(".", 1)}
        return {name: value}

    return construct


for _short, _long in (("!Sub", "Fn::Sub"), ("!Ref", "Ref"), ("!GetAtt", "Fn::GetAtt")):
    _Loader.add_constructor(_short, _tag(_long))


def partition_of(bundle: Bundle) -> str:
    return bundle.parameters_text()["partition"]


@pytest.mark.parametrize(("case_id", "bundle"), CASES, ids=[c for c, _ in CASES])
def test_cfn_lint_finds_nothing_and_yaml_equals_json(case_id: str, bundle: Bundle) -> None:
    region = region_of(partition_of(bundle))
    text = render(bundle, "cloudformation")
    assert lint(text, region) == []
    as_json = render(bundle, "cloudformation-json")
    # The YAML is the JSON template written another way: same values, same intrinsics.
    assert yaml.load(text, Loader=_Loader) == json.loads(as_json)
    if case_id.endswith("-aws"):
        assert lint(as_json, region) == []


def test_the_informational_rules_do_run() -> None:
    """A hard-coded partition, Region and account (what the export avoids) is reported: the check is live."""
    text = render(build("group-admin", {"account": "123456789012"}), "cloudformation")
    hard = text.replace(
        '!Sub "arn:${AWS::Partition}:xray:${AWS::Region}:${AWS::AccountId}:',
        '!Sub "arn:aws:xray:us-east-1:123456789012:',
    )
    assert hard != text
    found = lint(hard, "us-east-1")
    assert any(f.startswith("I3042") for f in found), found


def test_documents_name_the_partition_region_and_account_through_sub() -> None:
    bundle = build("group-admin", {"account": "123456789012", "region": "eu-west-1"})
    template = json.loads(render(bundle, "cloudformation-json"))
    statement = template["Resources"]["ManagedPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert statement["Resource"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:xray:${AWS::Region}:${AWS::AccountId}:group/local-users/*"}
    ]
    assert template["Outputs"]["PolicyArn"]["Value"] == {"Ref": "ManagedPolicy"}
    assert "123456789012" not in json.dumps(template["Resources"])


def test_outputs_give_every_arn_and_key_statements_stay_in_metadata() -> None:
    ec2 = json.loads(render(build("ec2"), "cloudformation-json"))
    assert ec2["Outputs"]["RoleArn"]["Value"] == {"Fn::GetAtt": ["Role", "Arn"]}
    assert ec2["Outputs"]["InstanceProfileArn"]["Value"] == {"Fn::GetAtt": ["InstanceProfile", "Arn"]}
    user = json.loads(render(build("local-dev"), "cloudformation-json"))
    assert user["Outputs"]["UserArn"]["Value"] == {"Fn::GetAtt": ["User", "Arn"]}
    assert not any(r["Type"] == "AWS::IAM::AccessKey" for r in user["Resources"].values())
    admin = build(
        "encryption-admin",
        {
            "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "admin_arn": "arn:aws:iam::123456789012:role/admin",
        },
    )
    meta = json.loads(render(admin, "cloudformation-json"))["Metadata"]["xraybuilder"]
    assert meta["KmsKeyPolicyStatements"]["Statement"] == [
        s.to_json() for s in admin.kms_key_policy_statements
    ]
    assert meta["AfterDeployment"][0].startswith("aws xray put-encryption-config")


def test_iam_policy_variables_stay_literal_inside_sub() -> None:
    from xraybuilder.core.export import bundle_for_policy
    from xraybuilder.core.policy.model import Policy

    policy = Policy.from_json(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::bucket/${aws:username}/*",
                },
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket"},
            ],
        }
    )
    text = render(bundle_for_policy(policy, name="Own"), "cloudformation")
    assert 'Resource: !Sub "arn:${AWS::Partition}:s3:::bucket/${!aws:username}/*"' in text
    assert lint(text, "us-east-1") == []
