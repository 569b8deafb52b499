"""The escalation family: allowed actions that together let an identity raise its privileges."""

from __future__ import annotations

import json
from typing import Any

import pytest

from xraybuilder.core.lint import escalation
from xraybuilder.core.lint.document import Document, LintContext
from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.managed import managed_policies
from xraybuilder.core.policy.source import parse_json

SECURITY_WARNING = Severity.SECURITY_WARNING
BUCKET = "arn:aws:s3:::amzn-s3-demo-bucket"


def run(*statements: dict[str, Any], kind: Any = "identity") -> list[Finding]:
    text = json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)
    doc = Document(parse_json(text), LintContext(kind=kind))
    escalation.check(doc)
    return doc.findings()


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def triples(findings: list[Finding]) -> list[tuple[str, Severity, str]]:
    return [(f.code, f.severity, f.path_str) for f in findings]


# -- the IAM escalation paths ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actions", "method"),
    [
        (["iam:CreatePolicyVersion"], "CreateNewPolicyVersion"),
        (["iam:PutUserPolicy"], "PutUserPolicy"),
        (["iam:Attach*Policy"], "AttachUserPolicy"),
        (
            ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
            "PassExistingRoleToNewLambdaThenInvoke",
        ),
        (["iam:PassRole", "ec2:RunInstances"], "CreateEC2WithExistingIP"),
    ],
)
def test_known_escalation_paths(actions: list[str], method: str) -> None:
    found = run(allow(actions))
    assert found and all(f.code == "PRIVILEGE_ESCALATION" and f.severity == SECURITY_WARNING for f in found)
    assert any(f"({method}:" in f.message for f in found)


def test_a_path_across_statements_names_where_each_action_is_allowed() -> None:
    [f] = run(
        allow("iam:UpdateAssumeRolePolicy"), allow("sts:AssumeRole", "arn:aws:iam::123456789012:role/x")
    )
    assert f.path_str == "Statement[0].Action"
    assert (
        "iam:UpdateAssumeRolePolicy by Statement[0].Action; sts:AssumeRole by Statement[1].Action"
        in f.message
    )


def test_pass_role_alone_or_an_unconditional_deny_is_no_path() -> None:
    assert run(allow(["iam:PassRole", "lambda:CreateFunction"])) == []
    assert run(allow(["iam:PassRole", "ec2:RunInstances"]), deny("ec2:RunInstances")) == []
    # A Deny with a condition may not apply: the path stays.
    conditional = deny("ec2:RunInstances", Condition={"Bool": {"aws:ViaAWSService": "true"}})
    assert [f.code for f in run(allow(["iam:PassRole", "ec2:RunInstances"]), conditional)] == [
        "PRIVILEGE_ESCALATION"
    ]


def test_full_administrator_is_left_to_the_security_family() -> None:
    assert run(allow("*")) == []


def test_the_smallest_path_that_holds_is_reported_once() -> None:
    found = run(allow(["iam:PassRole", "lambda:*", "dynamodb:*"]))
    methods = [f.message.split("(")[1].split(":")[0] for f in found]
    assert "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo" in methods
    assert "PassExistingRoleToNewLambdaThenInvoke" in methods


def test_only_identity_policies() -> None:
    assert run(allow("iam:CreatePolicyVersion"), kind="resource") == []


# -- a resource's own policy ---------------------------------------------------------------------


def test_get_object_with_put_bucket_policy_on_one_bucket() -> None:
    [f] = run(allow(["s3:GetObject", "s3:PutBucketPolicy"], [BUCKET, f"{BUCKET}/*"]))
    assert (f.code, f.severity, f.path_str) == (
        "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
        SECURITY_WARNING,
        "Statement[0].Resource[0]",
    )
    assert "s3:PutObject, s3:DeleteObject" in f.message and "s3:GetObject," not in f.message


def test_put_bucket_policy_with_every_object_action_is_no_escalation() -> None:
    objects = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    assert run(allow("s3:PutBucketPolicy", BUCKET), allow(objects, f"{BUCKET}/*")) == []


def test_an_object_arn_is_not_a_bucket() -> None:
    assert run(allow("s3:PutBucketAcl", f"{BUCKET}/*")) == []


def test_key_policy_without_decrypt() -> None:
    key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    [f] = run(allow(["kms:PutKeyPolicy", "kms:Encrypt"], key))
    assert f.code == "RESOURCE_POLICY_PRIVILEGE_ESCALATION" and "kms:Decrypt, kms:CreateGrant" in f.message


# -- a Deny on delete that lifecycle gets around -------------------------------------------------


def test_deny_on_delete_with_lifecycle_allowed() -> None:
    [f] = run(allow("s3:PutLifecycleConfiguration", BUCKET), deny("s3:DeleteObject*", f"{BUCKET}/*"))
    assert (f.code, f.severity, f.path_str) == (
        "DELETE_DENY_BYPASSED_BY_LIFECYCLE",
        SECURITY_WARNING,
        "Statement[0].Resource",
    )
    assert "Statement[1] denies s3:DeleteObject" in f.message
    assert "Deny s3:PutLifecycleConfiguration on the same resources too" in f.message


def test_lifecycle_denied_too_is_fine() -> None:
    found = run(
        allow("s3:PutLifecycleConfiguration", BUCKET),
        deny(["s3:DeleteObject", "s3:PutLifecycleConfiguration"], [BUCKET, f"{BUCKET}/*"]),
    )
    assert found == []


def test_lifecycle_without_delete_and_without_a_deny_is_parliaments_escalation() -> None:
    assert triples(run(allow("s3:PutLifecycleConfiguration", BUCKET))) == [
        ("RESOURCE_POLICY_PRIVILEGE_ESCALATION", SECURITY_WARNING, "Statement[0].Resource")
    ]


def test_managed_xray_policies_raise_nothing() -> None:
    for name, managed in managed_policies().items():
        doc = Document(parse_json(managed.text), LintContext())
        escalation.check(doc)
        assert doc.findings() == [], name
