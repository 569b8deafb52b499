"""The resources lint family: ARN syntax per value, and actions against the resources they get."""

from __future__ import annotations

import json
from typing import Any

import pytest

from xraybuilder.core.lint import lint, resources
from xraybuilder.core.lint.document import Document, LintContext
from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.managed import managed_policies
from xraybuilder.core.policy.source import parse_json

GROUP = "arn:aws:xray:us-east-1:123456789012:group/checkout/*"
RULE = "arn:aws:xray:us-east-1:123456789012:sampling-rule/checkout"


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


def stmt(action: Any, resource: Any = None, effect: str = "Allow", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": effect, "Action": action}
    if resource is not None:
        out["Resource"] = resource
    out.update(extra)
    return out


def run(text: str) -> list[Finding]:
    """Only this family's findings, in report order."""
    doc = Document(parse_json(text), LintContext())
    resources.check(doc)
    return doc.findings()


def summary(findings: list[Finding]) -> list[tuple[str, Severity, str]]:
    return [(f.code, f.severity, f.path_str) for f in findings]


# -- per-value ARN syntax ----------------------------------------------------------------


def test_star_and_good_arns_are_clean() -> None:
    text = policy(
        stmt(["xray:GetGroup", "xray:UpdateGroup"], GROUP),
        stmt("xray:PutTraceSegments", "*"),
        stmt("xray:DeleteSamplingRule", [RULE, "arn:aws:xray:*:*:sampling-rule/base-*"]),
    )
    assert run(text) == []


@pytest.mark.parametrize(
    ("value", "code", "severity"),
    [
        ("arm:aws:xray:us-east-1:123456789012:group/x/*", "INVALID_ARN_PREFIX", Severity.ERROR),
        ("arn:aws:xray:us-east-1:group/x", "MISSING_ARN_FIELD", Severity.ERROR),
        ("arn:aws-eu:xray:us-east-1:123456789012:group/x/*", "INVALID_PARTITION", Severity.ERROR),
        ("arn:aws:xray:US-EAST-1:123456789012:group/x/*", "INVALID_ARN_REGION", Severity.ERROR),
        ("arn:aws:xray:us-east:123456789012:group/x/*", "INVALID_REGION", Severity.ERROR),
        ("arn:aws:xray:us-eest-1:123456789012:group/x/*", "INVALID_REGION", Severity.ERROR),
        ("arn:aws:xray:me-west-1:123456789012:group/x/*", "SERVICE_UNAVAILABLE_IN_REGION", Severity.WARNING),
        ("arn:aws:xray::123456789012:group/x/*", "MISSING_ARN_REGION", Severity.ERROR),
        ("arn:aws:xray:us-east-1:12345:group/x/*", "INVALID_ARN_ACCOUNT", Severity.ERROR),
        ("arn:aws:XRay:us-east-1:123456789012:group/x/*", "INVALID_ARN_SERVICE_CASE", Severity.ERROR),
        ("arn:aws:xray:us-east-1:123456789012:groups/x/*", "INVALID_ARN_RESOURCE", Severity.ERROR),
        ("arn:aws:xray:us-east-1:123456789012:group/team_a/*", "UNUSUAL_RESOURCE_NAME", Severity.WARNING),
    ],
)
def test_arn_syntax_codes_at_the_value_path(value: str, code: str, severity: Severity) -> None:
    findings = run(policy(stmt(["xray:GetGroup", "xray:GetGroups"], ["*", value])))
    assert summary(findings) == [(code, severity, "Statement[0].Resource[1]")]


def test_region_and_account_not_allowed_for_s3_buckets_and_iam() -> None:
    text = policy(
        stmt("s3:GetObject", "arn:aws:s3:us-east-1:123456789012:my-bucket/*"),
        stmt("iam:PassRole", "arn:aws:iam:us-east-1:123456789012:role/xray-daemon"),
    )
    findings = run(text)
    assert summary(findings) == [
        ("ARN_REGION_NOT_ALLOWED", Severity.ERROR, "Statement[0].Resource"),
        ("ARN_ACCOUNT_NOT_ALLOWED", Severity.ERROR, "Statement[0].Resource"),
        ("ARN_REGION_NOT_ALLOWED", Severity.ERROR, "Statement[1].Resource"),
    ]
    fixes = [f.fix.value if f.fix else None for f in findings]
    assert fixes == [
        "arn:aws:s3::123456789012:my-bucket/*",
        "arn:aws:s3:us-east-1::my-bucket/*",
        "arn:aws:iam::123456789012:role/xray-daemon",
    ]


def test_finding_points_at_the_exact_part() -> None:
    value = "arn:aws:xray:us-eest-1:123456789012:group/checkout/*"
    text = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"xray:GetGroup",'
        f'"Resource":"{value}"}}]}}'
    )
    (finding,) = run(text)
    start = text.index(value) + value.index("us-eest-1")
    assert (finding.line, finding.column, finding.end_column) == (1, start + 1, start + 1 + len("us-eest-1"))
    assert "Did you mean us-east-1?" in finding.message


def test_escaped_json_falls_back_to_the_whole_value() -> None:
    text = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"xray:GetGroup",'
        '"Resource":"arn:aws:xray:us-eest-1:123456789012:group\\/checkout\\/*"}]}'
    )
    (finding,) = run(text)
    quote = text.index('"arn:')
    assert (finding.column, finding.end_column) == (quote + 1, text.index('"}]}') + 2)


def test_fix_for_service_case_and_group_without_id() -> None:
    text = policy(
        stmt("xray:GetGroup", "arn:aws:XRay:us-east-1:123456789012:group/checkout/*"),
        stmt("xray:CreateGroup", "arn:aws:xray:us-east-1:123456789012:group/local-users"),
    )
    first, second = run(text)
    assert (first.code, first.path_str) == ("INVALID_ARN_SERVICE_CASE", "Statement[0].Resource")
    assert first.fix is not None and first.fix.value == GROUP
    assert (second.code, second.severity, second.path_str) == (
        "INVALID_ARN_RESOURCE",
        Severity.ERROR,
        "Statement[1].Resource",
    )
    assert second.fix is not None
    assert second.fix.value == "arn:aws:xray:us-east-1:123456789012:group/local-users/*"
    assert second.fix.path == ("Statement", 1, "Resource")


def test_every_problem_in_one_value_is_reported() -> None:
    findings = run(policy(stmt("xray:GetGroup", "arn:AWS:xray:us-eest-1:12345:group/x/*")))
    assert [f.code for f in findings] == ["INVALID_PARTITION", "INVALID_REGION", "INVALID_ARN_ACCOUNT"]
    assert {f.path_str for f in findings} == {"Statement[0].Resource"}


def test_policy_variables_are_not_bad_characters() -> None:
    text = policy(
        stmt(["xray:GetGroup", "xray:UpdateGroup"], "arn:aws:xray:*:123456789012:group/${aws:username}/*"),
        stmt("s3:GetObject", "arn:aws:s3:::home/${aws:PrincipalTag/team}/*"),
    )
    assert run(text) == []


def test_not_resource_gets_the_same_syntax_checks() -> None:
    text = policy(
        stmt("xray:*", effect="Deny", NotResource=["arn:aws:xray:us-east-1:123456789012:group/ops", GROUP])
    )
    assert summary(run(text)) == [("INVALID_ARN_RESOURCE", Severity.ERROR, "Statement[0].NotResource[0]")]


def test_other_services_get_every_check() -> None:
    text = policy(
        stmt(
            ["ec2:DescribeInstances", "logs:PutLogEvents"],
            [
                "arn:aws:ec2:us-east-1:123456789012:instance/*",
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/xray:*",
                "arn:aws:logs:us-east-1:1234:log-group:x",
            ],
        )
    )
    # DescribeInstances takes only "*", PutLogEvents a log group or stream: no action here
    # uses the instance ARN.
    assert summary(run(text)) == [
        ("INVALID_ARN_ACCOUNT", Severity.ERROR, "Statement[0].Resource[2]"),
        ("RESOURCE_MISMATCH", Severity.WARNING, "Statement[0].Resource[0]"),
    ]


def test_a_statement_of_another_service_that_grants_nothing() -> None:
    (finding,) = run(policy(stmt("logs:PutLogEvents", "arn:aws:s3:::my-bucket/*")))
    assert (finding.code, finding.severity) == ("RESOURCE_MISMATCH", Severity.ERROR)
    assert "logs:PutLogEvents needs an ARN like arn:${Partition}:logs:" in finding.message


def test_resource_star_for_another_service() -> None:
    (finding,) = run(policy(stmt("logs:PutLogEvents", "*")))
    assert (finding.code, finding.severity) == ("RESOURCE_STAR", Severity.SUGGESTION)


@pytest.mark.parametrize(
    ("partition", "region"),
    [
        ("aws", "eu-west-1"),
        ("aws-cn", "cn-northwest-1"),
        ("aws-us-gov", "us-gov-east-1"),
        ("aws-iso", "us-iso-west-1"),
        ("aws-iso-b", "us-isob-east-1"),
        ("aws-iso-e", "eu-isoe-west-1"),
        ("aws-iso-f", "us-isof-south-1"),
        ("aws-eusc", "eusc-de-east-1"),
    ],
)
def test_every_partition(partition: str, region: str) -> None:
    good = f"arn:{partition}:xray:{region}:123456789012:group/ops/*"
    assert run(policy(stmt("xray:GetGroup", good))) == []
    # The same region under another partition is wrong.
    other = "aws-cn" if partition == "aws" else "aws"
    bad = good.replace(f"arn:{partition}:", f"arn:{other}:")
    assert summary(run(policy(stmt("xray:GetGroup", bad)))) == [
        ("INVALID_REGION", Severity.ERROR, "Statement[0].Resource")
    ]


# -- actions against resources -----------------------------------------------------------


def test_put_trace_segments_on_a_group_arn_grants_nothing() -> None:
    (finding,) = run(policy(stmt("xray:PutTraceSegments", GROUP)))
    assert (finding.code, finding.severity, finding.path_str) == (
        "RESOURCE_MISMATCH",
        Severity.ERROR,
        "Statement[0].Resource",
    )
    assert "grants nothing" in finding.message
    assert 'xray:PutTraceSegments works only with "Resource": "*"' in finding.message


def test_group_actions_on_a_sampling_rule_arn() -> None:
    (finding,) = run(policy(stmt(["xray:GetGroup", "xray:DeleteGroup"], RULE)))
    assert (finding.code, finding.severity) == ("RESOURCE_MISMATCH", Severity.ERROR)
    assert "xray:GetGroup and xray:DeleteGroup need an ARN like" in finding.message
    assert "group/${GroupName}/${Id}" in finding.message


def test_some_actions_left_without_a_resource_is_a_warning_naming_them() -> None:
    (finding,) = run(policy(stmt(["xray:GetGroup", "xray:PutTraceSegments", "xray:GetServiceGraph"], GROUP)))
    assert (finding.code, finding.severity, finding.path_str) == (
        "RESOURCE_MISMATCH",
        Severity.WARNING,
        "Statement[0].Resource",
    )
    assert "xray:PutTraceSegments and xray:GetServiceGraph work only with" in finding.message
    assert "xray:GetGroup" not in finding.message


def test_a_wildcard_with_some_usable_actions_is_fine() -> None:
    # xray:* on a group grants the group actions: the rest is the author's intent, not a slip.
    assert run(policy(stmt("xray:*", GROUP))) == []
    (finding,) = run(policy(stmt(["xray:Put*", "xray:GetGroup"], GROUP)))
    assert finding.severity == Severity.WARNING and "xray:Put* (" in finding.message


def test_deny_that_never_applies_is_an_error_too() -> None:
    (finding,) = run(policy(stmt("xray:PutEncryptionConfig", GROUP, effect="Deny")))
    assert (finding.code, finding.severity) == ("RESOURCE_MISMATCH", Severity.ERROR)
    assert "denies nothing" in finding.message


def test_an_arn_no_action_uses() -> None:
    (finding,) = run(policy(stmt("xray:GetGroup", [GROUP, RULE])))
    assert (finding.code, finding.severity, finding.path_str) == (
        "RESOURCE_MISMATCH",
        Severity.WARNING,
        "Statement[0].Resource[1]",
    )
    assert "sampling-rule" in finding.message


def test_actions_of_every_service_are_judged() -> None:
    findings = run(policy(stmt(["xray:GetGroup", "ec2:DescribeInstances"], [GROUP, "arn:aws:ec2:*:*:*"])))
    # ec2:DescribeInstances takes only "*"; no action here uses an EC2 ARN.
    assert summary(findings) == [
        ("RESOURCE_MISMATCH", Severity.WARNING, "Statement[0].Resource"),
        ("RESOURCE_MISMATCH", Severity.WARNING, "Statement[0].Resource[1]"),
    ]
    assert "ec2:DescribeInstances works only with" in findings[0].message
    # "*" stands for every action, of services AWS adds later too: not judged.
    assert run(policy(stmt("*", GROUP))) == []


def test_mismatch_waits_for_the_arn_errors_to_be_fixed() -> None:
    findings = run(policy(stmt("xray:CreateGroup", "arn:aws:xray:us-east-1:123456789012:group/local-users")))
    assert [f.code for f in findings] == ["INVALID_ARN_RESOURCE"]


def test_not_action_and_not_resource_statements_are_not_judged_for_scope() -> None:
    text = policy(
        {"Effect": "Deny", "NotAction": "xray:GetGroup", "Resource": GROUP},
        {"Effect": "Deny", "Action": "xray:PutTraceSegments", "NotResource": GROUP},
    )
    assert run(text) == []


def test_bucket_action_on_object_arns() -> None:
    (finding,) = run(policy(stmt("s3:ListBucket", "arn:aws:s3:::my-bucket/*")))
    assert (finding.code, finding.severity, finding.path_str) == (
        "RESOURCE_MISMATCH",
        Severity.ERROR,
        "Statement[0].Resource",
    )
    assert "arn:${Partition}:s3:::${BucketName}" in finding.message


def test_iam_role_arn_serves_sts_and_iam_actions() -> None:
    text = policy(stmt(["sts:AssumeRole", "iam:PassRole"], "arn:aws:iam::123456789012:role/xray-daemon"))
    assert run(text) == []


# -- "*" where an ARN would do ---------------------------------------------------------------


def test_star_for_resource_level_actions_is_a_suggestion() -> None:
    (finding,) = run(policy(stmt("xray:CreateGroup", "*")))
    assert (finding.code, finding.severity, finding.path_str) == (
        "RESOURCE_STAR",
        Severity.SUGGESTION,
        "Statement[0].Resource",
    )
    assert "arn:${Partition}:xray:${Region}:${Account}:group/${GroupName}/${Id}" in finding.message
    assert "group/NAME/*" in finding.message


def test_star_needed_by_one_action_is_not_flagged() -> None:
    assert run(policy(stmt(["xray:GetGroup", "xray:GetGroups"], "*"))) == []
    assert run(policy(stmt("xray:GetGroup", "*", effect="Deny"))) == []


def test_star_suggestion_names_every_format() -> None:
    (finding,) = run(policy(stmt(["xray:TagResource"], ["*"])))
    assert finding.path_str == "Statement[0].Resource[0]"
    assert "group/${GroupName}/${Id}" in finding.message
    assert "sampling-rule/${SamplingRuleName}" in finding.message


# -- whole policies ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(managed_policies()))
def test_managed_policies_have_no_errors_or_warnings(name: str) -> None:
    text = json.dumps(managed_policies()[name].document, indent=2)
    assert [f for f in run(text) if f.severity in (Severity.ERROR, Severity.WARNING)] == []


def test_cross_account_sharing_policy_is_clean() -> None:
    text = json.dumps(managed_policies()["AWSXrayCrossAccountSharingConfiguration"].document)
    assert run(text) == []


def test_family_runs_inside_lint() -> None:
    findings = lint(policy(stmt("xray:PutTraceSegments", GROUP)))
    assert ("RESOURCE_MISMATCH", Severity.ERROR, "Statement[0].Resource") in summary(findings)


def test_odd_shapes_do_not_raise() -> None:
    for raw in (
        {"Effect": "Allow", "Action": 5, "Resource": [1, None, "", "*"]},
        {"Effect": "Allow", "Action": ["xray:GetGroup"], "Resource": {"a": 1}},
        {"Effect": "Allow", "Action": "xray:GetGroup", "Resource": ["", ":", "arn:"]},
    ):
        run(policy(raw))
    assert [f.code for f in run(policy(stmt("xray:GetGroup", [""])))] == ["INVALID_ARN_PREFIX"]


@pytest.mark.parametrize("name", ["my-rule", "*"])
def test_sampling_rule_arns_end_at_the_name(name: str) -> None:
    arn = f"arn:aws:xray:us-east-1:123456789012:sampling-rule/{name}/*"
    (finding,) = run(policy(stmt("xray:UpdateSamplingRule", arn)))
    assert (finding.code, finding.severity) == ("UNUSUAL_RESOURCE_NAME", Severity.WARNING)
    assert finding.message.startswith("A sampling-rule ARN ends at the rule name (sampling-rule/NAME)")
    assert finding.message.endswith(f"Write sampling-rule/{name}.")
    # The group shape is right for groups.
    assert run(policy(stmt("xray:UpdateGroup", "arn:aws:xray:us-east-1:123456789012:group/web/*"))) == []


@pytest.mark.parametrize("action", ["s3:*", "s3:Get*", "s3:Put*"])
def test_star_only_actions_in_a_wildcard_do_not_silence_the_rest(action: str) -> None:
    findings = [f for f in run(policy(stmt([action], "*"))) if f.code == "RESOURCE_STAR"]
    assert [(f.severity, f.path_str) for f in findings] == [(Severity.SUGGESTION, "Statement[0].Resource")]
    assert 'work only with "*"' in findings[0].message
    assert f"of {action}" in findings[0].message
    assert "arn:${Partition}:s3:::${BucketName}" in findings[0].message


def test_invalid_arn_prefix_example_is_not_only_an_xray_group() -> None:
    [f] = run(policy(stmt("s3:GetObject", "amzn-s3-demo-bucket/*")))
    assert f.code == "INVALID_ARN_PREFIX"
    assert "arn:partition:service:region:account:resource" in f.message
    assert "arn:aws:s3:::amzn-s3-demo-bucket/*" in f.message
