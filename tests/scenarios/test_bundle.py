"""What ``build`` puts in a Bundle for each scenario and choice, and its JSON and file forms."""

from __future__ import annotations

import json
from typing import Any

import pytest

from xraybuilder.core.bundle import (
    JSON_KEYS,
    Bundle,
    build,
    check_expectations,
    evaluation_policies,
    preview,
)
from xraybuilder.core.lint import LintContext, Severity, lint
from xraybuilder.core.policy.render import render
from xraybuilder.core.scenarios import load_library

LIB = load_library(include_user=False)
ACCOUNT = "123456789012"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ADMIN = "arn:aws:iam::123456789012:role/XRayAdmin"


def make(pid: str, **params: str) -> Bundle:
    return build(LIB.get(pid), params)


def doc(bundle: Bundle) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(json.dumps(bundle.to_json()))
    return out


def test_json_has_stable_keys_in_a_stable_order() -> None:
    for pid, params in (
        ("console-read", {}),
        ("ecs", {"account": ACCOUNT}),
        ("encryption-admin", {"kms_key_arn": KEY, "admin_arn": ADMIN}),
    ):
        d = doc(make(pid, **params))
        assert tuple(d) == JSON_KEYS
        assert set(d["names"]) <= {"role", "user", "instance_profile", "policy"}
        assert all(set(s) == {"id", "title", "language", "file", "text"} for s in d["snippets"])


def test_console_read_attach_managed_choice_attaches_the_partitions_arn() -> None:
    d = doc(make("console-read", policy="managed", partition="aws-cn"))
    assert d["identity_policy"] is None and d["trust_policy"] is None
    assert d["managed_policy_arns"] == ["arn:aws-cn:iam::aws:policy/AWSXrayReadOnlyAccess"]
    assert "policy" not in d["names"]


def test_ec2_role_instance_profile_and_download_choices() -> None:
    narrow = make("ec2", role_name="web")
    assert narrow.names == {"role": "web", "instance_profile": "web", "policy": "XRayDaemonWrite"}
    assert narrow.instance_profile == "web"
    assert narrow.trust_policy is not None
    assert narrow.trust_policy.to_json()["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert any(n.startswith("EC2 only: daemon download") for n in narrow.notes)

    none = make("ec2", daemon_download="none")
    assert none.identity_policy is not None
    assert [s.sid for s in none.identity_policy.statements] == ["XRayDaemonWrite"]
    assert not any("daemon download" in n for n in none.notes)
    assert none.managed_policy_arns == ()

    broad = make("ec2", daemon_download="s3-read-only", partition="aws-us-gov", region="us-gov-east-1")
    assert broad.managed_policy_arns == ("arn:aws-us-gov:iam::aws:policy/AmazonS3ReadOnlyAccess",)

    managed_only = make("ec2", policy="managed", daemon_download="none")
    assert managed_only.identity_policy is None
    assert managed_only.managed_policy_arns == ("arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",)
    assert "policy" not in managed_only.names


def test_china_partition_uses_the_china_ec2_principal_and_arns() -> None:
    cn = make("ec2", partition="aws-cn", region="cn-northwest-1")
    assert cn.trust_policy is not None
    assert cn.trust_policy.to_json()["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com.cn"}
    assert cn.identity_policy is not None
    assert cn.identity_policy.statements[1].resources() == (
        "arn:aws-cn:s3:::aws-xray-assets.cn-northwest-1/xray-daemon/*",
    )
    # ECS tasks and Lambda keep the global principal in China.
    task = make("ecs", account=ACCOUNT, partition="aws-cn")
    assert task.trust_policy is not None
    assert task.trust_policy.to_json()["Statement"][0]["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    fn = make("lambda", partition="aws-cn")
    assert fn.managed_policy_arns == ("arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",)


def test_ecs_sidecar_and_instance_modes() -> None:
    sidecar = make("ecs", account=ACCOUNT)
    assert sidecar.principal_kind == "ecs-task-role" and sidecar.instance_profile is None
    assert sidecar.trust_policy is not None
    assert sidecar.trust_policy.to_json()["Statement"][0] == {
        "Effect": "Allow",
        "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    }
    instance = make("ecs", daemon="instance")
    assert instance.principal_kind == "ecs-container-instance-role"
    assert instance.instance_profile == "xray-ecs"
    assert instance.trust_policy is not None
    assert instance.trust_policy.to_json()["Statement"][0] == {
        "Effect": "Allow",
        "Principal": {"Service": "ec2.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    assert "account" not in instance.parameters


def test_beanstalk_explains_the_default_instance_profile() -> None:
    bundle = make("beanstalk")
    assert bundle.instance_profile == "xray-beanstalk"
    assert any("aws-elasticbeanstalk-ec2-role already includes these permissions" in n for n in bundle.notes)


def test_local_dev_makes_a_user_with_placeholder_snippets_for_both_profiles() -> None:
    bundle = make("local-dev", profile="tracing", region="eu-west-1")
    assert bundle.principal_kind == "iam-user" and bundle.access_keys and bundle.lint_target == "user"
    assert bundle.trust_policy is None
    texts = {s.id: s.text for s in bundle.snippets}
    assert texts["credentials-named"].startswith("[tracing]\n")
    assert texts["config-named"] == "[profile tracing]\nregion = eu-west-1\n"
    assert texts["credentials-default"].startswith("[default]\n")
    assert texts["config-default"] == "[default]\nregion = eu-west-1\n"
    assert any("daemon uses the default profile" in n for n in bundle.notes)
    everything = json.dumps(bundle.to_json()) + "".join(bundle.files().values())
    assert "<your-secret-access-key>" in everything
    assert "AKIA" not in everything and "wJalr" not in everything


def test_local_dev_with_the_default_profile_writes_each_snippet_once() -> None:
    bundle = make("local-dev", profile="default")
    files = [s.file for s in bundle.snippets]
    assert len(files) == len(set(files))
    assert "credentials-default.ini" in files


def test_encryption_admin_key_choices() -> None:
    cmk = make(
        "encryption-admin",
        kms_key_arn=KEY,
        admin_arn=ADMIN,
        reader_arns=f"{ADMIN},arn:aws:iam::123456789012:user/ana",
    )
    assert cmk.principal_kind == "kms-key-users"
    statements = [s.to_json() for s in cmk.kms_key_policy_statements]
    assert statements[0]["Principal"] == {"AWS": ADMIN}
    assert statements[1]["Principal"] == {"AWS": [ADMIN, "arn:aws:iam::123456789012:user/ana"]}
    assert statements[1]["Condition"] == {"StringEquals": {"kms:ViaService": "xray.us-east-1.amazonaws.com"}}
    assert "--type KMS --key-id " + KEY in cmk.snippets[0].text
    for key in ("aws-managed", "default"):
        plain = make("encryption-admin", key=key)
        assert plain.kms_key_policy_statements == () and plain.principal_kind == "existing-identity"
        assert any("No key-policy statements are needed" in n for n in plain.notes)
    assert "alias/aws/xray" in make("encryption-admin", key="aws-managed").snippets[0].text
    assert "--type NONE" in make("encryption-admin", key="default").snippets[0].text


def test_encryption_admin_without_a_region_condition_draws_the_security_warning() -> None:
    # Why this_region_only defaults to true: without any condition our linter warns.
    open_ended = make("encryption-admin", key="aws-managed", this_region_only="false")
    assert open_ended.identity_policy is not None
    found = lint(render(open_ended.identity_policy), LintContext(target="managed"))
    assert [(f.code, f.severity) for f in found if f.severity is not Severity.SUGGESTION] == [
        ("PERMISSIONS_MANAGEMENT_ACTION", Severity.SECURITY_WARNING)
    ]
    scoped = make("encryption-admin", key="aws-managed")
    assert scoped.identity_policy is not None
    assert scoped.identity_policy.statements[0].condition == {
        "StringEquals": {"aws:RequestedRegion": "us-east-1"}
    }


def test_group_admin_tag_keys_follow_what_each_action_supports() -> None:
    bundle = make("group-admin", account=ACCOUNT, restrict_by_tag="true", tag_key="team", tag_value="web")
    assert bundle.identity_policy is not None
    by_sid = {s.sid: s for s in bundle.identity_policy.statements}
    assert by_sid["CreateGroup"].condition == {"StringEquals": {"aws:RequestTag/team": "web"}}
    assert set(by_sid["ManageGroup"].actions()) == {"xray:GetGroup", "xray:UpdateGroup", "xray:DeleteGroup"}
    assert by_sid["ManageGroup"].condition == {"StringEquals": {"aws:ResourceTag/team": "web"}}
    assert by_sid["CreateGroup"].resources() == (f"arn:aws:xray:us-east-1:{ACCOUNT}:group/local-users/*",)
    untagged = make("group-admin", account=ACCOUNT)
    assert untagged.identity_policy is not None
    assert all(s.condition is None for s in untagged.identity_policy.statements)


def test_sampling_rule_admin_defaults_to_the_guides_example() -> None:
    bundle = make("sampling-rule-admin", account=ACCOUNT, region="eu-west-1")
    assert bundle.identity_policy is not None
    create = bundle.identity_policy.statements[0].to_json()
    assert create["Action"] == ["xray:CreateSamplingRule"]
    assert create["Resource"] == ["arn:aws:xray:eu-west-1:123456789012:sampling-rule/base-scorekeep"]


def test_files_for_a_role_and_for_key_policy_statements() -> None:
    files = make("ec2").files()
    assert set(files) == {"policy.json", "trust-policy.json", "README.txt"}
    assert json.loads(files["trust-policy.json"])["Statement"][0]["Action"] == "sts:AssumeRole"
    assert "instance profile: xray-ec2" in files["README.txt"]
    kms = make("encryption-admin", kms_key_arn=KEY, admin_arn=ADMIN).files()
    assert len(json.loads(kms["kms-key-policy-statements.json"])["Statement"]) == 2
    assert "put-encryption-config.sh" in kms
    lam = make("lambda").files()
    basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    assert lam["managed-policy-arns.txt"] == basic + "\n"


def test_expectations_see_attached_managed_policies_too() -> None:
    bundle = make("console-read", policy="managed")
    assert [name for name, _ in evaluation_policies(bundle)] == ["AWSXrayReadOnlyAccess"]
    assert all(r.holds for r in check_expectations(bundle))


def test_a_failing_expectation_is_reported_as_failing() -> None:
    # Swap a policy for a narrower one: the checks must notice, not rubber-stamp.
    from dataclasses import replace

    from xraybuilder.core.policy.model import Policy, Statement

    bundle = make("ec2", daemon_download="none")
    narrower = Policy((Statement(action=("xray:PutTraceSegments",), resource=("*",)),))
    results = check_expectations(replace(bundle, identity_policy=narrower))
    failing = {r.expectation.action for r in results if not r.holds}
    assert failing == {
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:GetSamplingStatisticSummaries",
    }


@pytest.mark.parametrize("pid", ["ec2", "local-dev", "group-admin"])
def test_building_is_pure(pid: str) -> None:
    params = {"account": ACCOUNT} if pid == "group-admin" else {}
    assert make(pid, **params).to_json() == make(pid, **params).to_json()


def test_preview_reports_problems_per_field_and_builds_when_clean() -> None:
    preset = LIB.get("group-admin")
    typing = preview(preset, {"account": "1234", "group_name": "web team"})
    assert not typing.ok and typing.bundle is None
    assert {p.name for p in typing.resolution.problems} == {"account", "group_name"}
    done = preview(preset, {"account": ACCOUNT, "group_name": "web-team"})
    assert done.ok and done.bundle is not None
    assert done.bundle.to_json() == make("group-admin", account=ACCOUNT, group_name="web-team").to_json()
