"""The security family: Allow statements that grant more than they seem to."""

from __future__ import annotations

import json
from typing import Any

import pytest

from xraybuilder.core.lint import security
from xraybuilder.core.lint.document import Document, LintContext
from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.managed import managed_policies
from xraybuilder.core.policy.source import parse_json

SECURITY_WARNING = Severity.SECURITY_WARNING
ROLE = "arn:aws:iam::123456789012:role/xray-daemon"


def run_text(text: str) -> list[Finding]:
    doc = Document(parse_json(text), LintContext())
    security.check(doc)
    return doc.findings()


def run(*statements: dict[str, Any]) -> list[Finding]:
    return run_text(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2))


def allow(**elements: Any) -> dict[str, Any]:
    return {"Effect": "Allow", **elements}


def triples(findings: list[Finding]) -> list[tuple[str, Severity, str]]:
    return [(f.code, f.severity, f.path_str) for f in findings]


# -- xray:PutEncryptionConfig ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("actions", "path"),
    [
        ("xray:*", "Statement[0].Action"),
        (["xray:GetGroup", "xray:Put*"], "Statement[0].Action[1]"),
        (["xray:PutEncryption*"], "Statement[0].Action[0]"),
        (["xray:PutEncryptionConfig"], "Statement[0].Action[0]"),  # named, no condition
        (["XRAY:putencryptionconfig"], "Statement[0].Action[0]"),  # names ignore case
    ],
)
def test_put_encryption_config_granted_broadly(actions: Any, path: str) -> None:
    found = run(allow(Action=actions, Resource="*"))
    assert triples(found) == [("PERMISSIONS_MANAGEMENT_ACTION", SECURITY_WARNING, path)]
    assert "encryption of all X-Ray trace data" in found[0].message


def test_put_encryption_config_through_a_wildcard_says_which() -> None:
    [f] = run(allow(Action=["xray:Put*"], Resource="*"))
    assert '"xray:Put*" includes xray:PutEncryptionConfig' in f.message


def test_put_encryption_config_through_not_action() -> None:
    found = [
        f
        for f in run(allow(NotAction="xray:Get*", Resource="*"))
        if f.code == "PERMISSIONS_MANAGEMENT_ACTION"
    ]
    assert triples(found) == [("PERMISSIONS_MANAGEMENT_ACTION", SECURITY_WARNING, "Statement[0].NotAction")]


@pytest.mark.parametrize(
    "statement",
    [
        # named and conditioned: the author thought about it
        allow(
            Action="xray:PutEncryptionConfig",
            Resource="*",
            Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}},
        ),
        # not reachable: the action takes "*" only
        allow(Action="xray:*", Resource="arn:aws:xray:us-east-1:123456789012:group/a/*"),
        # excluded by NotAction
        allow(NotAction=["xray:PutEncryptionConfig", "iam:*"], Resource="arn:aws:s3:::b"),
        {"Effect": "Deny", "Action": "xray:*", "Resource": "*"},
        allow(Action=["xray:Get*", "xray:PutTraceSegments"], Resource="*"),
    ],
)
def test_put_encryption_config_not_granted_broadly(statement: dict[str, Any]) -> None:
    found = run(statement)
    assert "PERMISSIONS_MANAGEMENT_ACTION" not in {f.code for f in found}


# -- NotAction / NotResource ----------------------------------------------------------------


def test_allow_with_not_action() -> None:
    text = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [allow(NotAction=["xray:Delete*"], Resource="arn:aws:xray:*:*:group/*")],
        },
        indent=2,
    )
    found = run_text(text)
    assert triples(found) == [("ALLOW_WITH_NOT_ACTION", SECURITY_WARNING, "Statement[0].NotAction")]
    f = found[0]
    assert "every action of every AWS service except xray:Delete*" in f.message
    assert text.splitlines()[f.line - 1][f.column - 1 :].startswith('"NotAction"')


def test_allow_with_not_resource() -> None:
    found = run(
        allow(Action="xray:GetGroup", NotResource="arn:aws:xray:us-east-1:123456789012:group/secret/*")
    )
    assert triples(found) == [("ALLOW_WITH_NOT_RESOURCE", SECURITY_WARNING, "Statement[0].NotResource")]
    assert "every resource except" in found[0].message


def test_deny_with_not_action_or_not_resource_is_fine() -> None:
    assert run({"Effect": "Deny", "NotAction": "xray:Get*", "NotResource": "arn:aws:s3:::b"}) == []


def test_statements_iam_rejects_are_left_to_the_grammar_family() -> None:
    assert run(allow(Action="xray:*", NotAction="xray:Get*", Resource="*")) == []
    assert run(allow(Action="iam:PassRole", Resource="*", NotResource="arn:aws:s3:::b")) == []


# -- iam:PassRole ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "code", "path"),
    [
        (
            allow(Action="iam:PassRole", Resource="*"),
            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            "Statement[0].Action",
        ),
        (
            allow(Action=["iam:PassRole"], Resource="arn:aws:iam::123456789012:role/*"),
            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            "Statement[0].Action[0]",
        ),
        (
            allow(Action=["xray:GetGroup", "iam:Pass*"], Resource="*"),
            "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
            "Statement[0].Action[1]",
        ),
        (
            allow(NotAction="xray:*", Resource="*"),
            "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
            "Statement[0].NotAction",
        ),
        (
            allow(Action="iam:PassRole", NotResource=ROLE),
            "PASS_ROLE_WITH_NOT_RESOURCE",
            "Statement[0].Action",
        ),
        (
            allow(Action="iam:*", NotResource=ROLE),
            "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
            "Statement[0].Action",
        ),
        (
            allow(NotAction="xray:*", NotResource=ROLE),
            "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
            "Statement[0].NotAction",
        ),
    ],
)
def test_pass_role_on_any_role(statement: dict[str, Any], code: str, path: str) -> None:
    found = [f for f in run(statement) if f.code.startswith("PASS_ROLE")]
    assert triples(found) == [(code, SECURITY_WARNING, path)]


def test_pass_role_with_star_suggests_passed_to_service() -> None:
    [f] = run(allow(Action="iam:PassRole", Resource="*"))
    assert "iam:PassedToService" in f.message


@pytest.mark.parametrize(
    "statement",
    [
        allow(Action="iam:PassRole", Resource=ROLE),
        allow(
            Action="iam:PassRole",
            Resource="*",
            Condition={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
        ),
        allow(Action="iam:PassRole", Resource="arn:aws:iam::123456789012:role/xray-*"),
        allow(NotAction="iam:PassRole", Resource="arn:aws:xray:*:*:group/*"),
        allow(Action="iam:PassRole", NotResource="*"),
        {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"},
    ],
)
def test_pass_role_scoped(statement: dict[str, Any]) -> None:
    assert not any(f.code.startswith("PASS_ROLE") for f in run(statement))


# -- everything on everything ------------------------------------------------------------------


def test_allow_every_action_on_every_resource() -> None:
    found = run(allow(Action=["*"], Resource="*"))
    assert triples(found) == [
        ("ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES", SECURITY_WARNING, "Statement[0].Action[0]"),
        ("PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", SECURITY_WARNING, "Statement[0].Action[0]"),
    ]


def test_every_action_on_some_resources_is_judged_by_the_other_checks() -> None:
    assert run(allow(Action="*", Resource="arn:aws:xray:us-east-1:123456789012:group/a/*")) == []


# -- whole policies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "AWSXrayFullAccess",
            [("PERMISSIONS_MANAGEMENT_ACTION", SECURITY_WARNING, "Statement[0].Action[0]")],
        ),
        ("AWSXrayReadOnlyAccess", []),
        ("AWSXRayDaemonWriteAccess", []),
        ("AWSXrayWriteOnlyAccess", []),
        ("AWSXrayCrossAccountSharingConfiguration", []),
    ],
)
def test_managed_policies(name: str, expected: list[tuple[str, Severity, str]]) -> None:
    document = managed_policies()[name].document
    assert triples(run_text(json.dumps(document))) == expected


def test_the_x_ray_guide_tag_example_warns_only_about_encryption() -> None:
    found = run(
        allow(Action="xray:*", Resource="*"),
        {
            "Effect": "Deny",
            "Action": "xray:CreateGroup",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestTag/stage": ["preprod", "prod"]}},
        },
    )
    assert triples(found) == [("PERMISSIONS_MANAGEMENT_ACTION", SECURITY_WARNING, "Statement[0].Action")]


# -- kms:CreateGrant -------------------------------------------------------------------------

KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize(
    ("action", "resource", "path"),
    [
        (["kms:CreateGrant", "kms:DescribeKey"], "*", "Statement[0].Action[0]"),
        ("kms:*", "*", "Statement[0].Action"),
        ("kms:Create*", ["arn:aws:kms:*:123456789012:key/*"], "Statement[0].Action"),
    ],
)
def test_create_grant_on_every_key_is_a_security_warning(action: Any, resource: Any, path: str) -> None:
    found = run(allow(Action=action, Resource=resource))
    # kms:* also grants the key policy and the grants' retirement and revocation.
    (finding,) = [f for f in found if f.code != "PERMISSIONS_MANAGEMENT_ACTION"]
    assert (finding.code, finding.severity, finding.path_str) == (
        "CREATE_GRANT_ON_ALL_KEYS",
        SECURITY_WARNING,
        path,
    )
    assert "kms:ViaService" in finding.message and "every KMS key" in finding.message


@pytest.mark.parametrize(
    "statement",
    [
        allow(Action="kms:CreateGrant", Resource=KEY),
        allow(
            Action="kms:CreateGrant",
            Resource="*",
            Condition={"StringEquals": {"kms:ViaService": "xray.eu-west-1.amazonaws.com"}},
        ),
        allow(
            Action="kms:CreateGrant", Resource="*", Condition={"Bool": {"kms:GrantIsForAWSResource": "true"}}
        ),
        allow(Action="kms:DescribeKey", Resource="*"),
        {"Effect": "Deny", "Action": "kms:CreateGrant", "Resource": "*"},
    ],
)
def test_create_grant_scoped_to_a_key_or_a_service_is_fine(statement: dict[str, Any]) -> None:
    assert [f.code for f in run(statement)] == []


# -- permissions management in every service the catalog holds -------------------------------


@pytest.mark.parametrize(
    ("actions", "resource", "named"),
    [
        (["s3:PutBucketPolicy"], "*", "s3:PutBucketPolicy"),
        (["s3:PutBucketAcl"], "arn:aws:s3:::*", "s3:PutBucketAcl"),
        (["kms:PutKeyPolicy"], "arn:aws:kms:*:123456789012:key/*", "kms:PutKeyPolicy"),
        (["iam:Attach*Policy"], "*", "iam:AttachRolePolicy"),
        (["s3:*"], "*", "s3:BypassGovernanceRetention"),
    ],
)
def test_permissions_management_of_any_held_service(actions: list[str], resource: str, named: str) -> None:
    found = run(allow(Action=actions, Resource=resource))
    found = [f for f in found if f.code == "PERMISSIONS_MANAGEMENT_ACTION"]
    assert [(f.severity, f.path_str) for f in found] == [(SECURITY_WARNING, "Statement[0].Action[0]")]
    assert named in found[0].message


def test_permissions_management_on_one_named_resource_is_left_alone() -> None:
    assert run(allow(Action=["s3:PutBucketPolicy"], Resource="arn:aws:s3:::amzn-s3-demo-bucket")) == []


def test_permissions_management_skips_actions_whose_resource_types_do_not_fit() -> None:
    # s3:PutBucketPolicy does not act on X-Ray groups, so the group wildcard is not broad for it.
    found = run(allow(NotAction=["xray:Delete*"], Resource="arn:aws:xray:*:*:group/*"))
    assert [f.code for f in found] == ["ALLOW_WITH_NOT_ACTION"]


def test_kms_create_grant_has_one_finding_not_two() -> None:
    found = run(allow(Action=["kms:CreateGrant"], Resource="*"))
    assert [f.code for f in found] == ["CREATE_GRANT_ON_ALL_KEYS"]


# -- aws:MultiFactorAuthPresent tested against "false" ---------------------------------------

MFA = "aws:MultiFactorAuthPresent"


@pytest.mark.parametrize(
    ("operator", "value"), [("Bool", "false"), ("BoolIfExists", "false"), ("Bool", False)]
)
def test_allow_only_without_mfa(operator: str, value: Any) -> None:
    [f] = run(allow(Action="xray:GetGroup", Resource=ROLE, Condition={operator: {MFA: value}}))
    assert (f.code, f.severity, f.path_str) == (
        "ALLOW_WITHOUT_MFA",
        SECURITY_WARNING,
        f'Statement[0].Condition.{operator}["{MFA}"]',
    )
    assert '{"Bool": {"aws:MultiFactorAuthPresent": "true"}}' in f.message
    assert f.fix is not None and f.fix.value == "true"


def test_deny_without_mfa_needs_if_exists() -> None:
    statement = {"Effect": "Deny", "Action": "xray:*", "Resource": "*", "Condition": {"Bool": {MFA: "false"}}}
    [f] = run(statement)
    assert (f.code, f.severity) == ("DENY_MFA_WITHOUT_IF_EXISTS", SECURITY_WARNING)
    assert "long-term access keys" in f.message and '{"BoolIfExists"' in f.message
    assert (
        f.fix is not None
        and f.fix.new_key == "BoolIfExists"
        and f.fix.path == ("Statement", 0, "Condition", "Bool")
    )


@pytest.mark.parametrize(
    ("effect", "condition"),
    [
        ("Deny", {"BoolIfExists": {MFA: "false"}}),
        ("Allow", {"Bool": {MFA: "true"}}),
        ("Deny", {"Bool": {MFA: "true"}}),
        ("Allow", {"Null": {MFA: "false"}}),
    ],
)
def test_mfa_conditions_that_mean_what_they_say(effect: str, condition: Any) -> None:
    assert run({"Effect": effect, "Action": "xray:GetGroup", "Resource": ROLE, "Condition": condition}) == []


def test_deny_mfa_fix_left_out_when_the_bool_block_holds_other_keys() -> None:
    condition = {"Bool": {MFA: "false", "aws:SecureTransport": "true"}}
    [f] = run({"Effect": "Deny", "Action": "xray:*", "Resource": "*", "Condition": condition})
    assert f.code == "DENY_MFA_WITHOUT_IF_EXISTS" and f.fix is None
