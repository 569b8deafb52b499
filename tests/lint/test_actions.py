"""The actions family: every Action/NotAction value against the catalog, and the list of
all AWS service prefixes it relies on."""

from __future__ import annotations

import json
from typing import Any

import pytest

from xraybuilder.core import catalog
from xraybuilder.core.lint import actions, grammar, size
from xraybuilder.core.lint.document import Document, LintContext
from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.managed import managed_policies
from xraybuilder.core.policy.source import parse_json

ERROR = Severity.ERROR
SUGGESTION = Severity.SUGGESTION


def run(*statements: dict[str, Any]) -> list[Finding]:
    text = json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)
    doc = Document(parse_json(text), LintContext())
    actions.check(doc)
    return doc.findings()


def allow(action: Any, element: str = "Action") -> dict[str, Any]:
    return {"Effect": "Allow", element: action, "Resource": "*"}


def one(action: str, element: str = "Action") -> Finding:
    findings = run(allow(action, element))
    assert len(findings) == 1, [(f.code, f.path_str, f.message) for f in findings]
    return findings[0]


def fix_value(finding: Finding) -> Any:
    return finding.fix.value if finding.fix is not None else None


# -- valid actions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        "*",
        "xray:GetGroup",
        "xray:Get*",
        "xray:*",
        "xray:Get?roup",
        "xray:CallWithBearerToken",
        "kms:Decrypt",
        "oam:CreateLink",
        "s3:GetObject",
        "iam:PassRole",
        "sts:AssumeRole",
    ],
)
def test_valid_actions(action: str) -> None:
    assert run(allow(action), allow([action], "NotAction")) == []


def test_every_catalog_action_is_valid() -> None:
    every = [
        a.full_name for prefix in catalog.service_prefixes() for a in catalog.service(prefix).actions.values()
    ]  # type: ignore[union-attr]
    assert len(every) > 400
    assert run(allow(every)) == []


def test_message_example_is_a_real_action() -> None:
    assert catalog.action(actions.EXAMPLE_ACTION) is not None


# -- form ---------------------------------------------------------------------------


def test_action_without_prefix_suggests_services_without_fix() -> None:
    f = one("PutTraceSegments")
    assert (f.code, f.severity, f.path_str) == ("INVALID_ACTION", ERROR, "Statement[0].Action")
    assert '"xray:PutTraceSegments"' in f.message
    assert f.fix is None


def test_action_without_prefix_lists_every_held_service_that_has_it() -> None:
    f = one("GetGroup")
    assert '"xray:GetGroup"' in f.message and '"iam:GetGroup"' in f.message


def test_empty_prefix() -> None:
    f = one(":GetSamplingRules")
    assert (f.code, f.severity) == ("INVALID_ACTION", ERROR)
    assert '"xray:GetSamplingRules"' in f.message


@pytest.mark.parametrize(
    ("action", "fixed"),
    [
        ("xray.GetGroup", "xray:GetGroup"),
        ("xray/getgroup", "xray:GetGroup"),
        ("ec2 RunInstances", "ec2:RunInstances"),
    ],
)
def test_wrong_separator_gets_fix(action: str, fixed: str) -> None:
    f = one(action)
    assert (f.code, f.severity) == ("INVALID_ACTION", ERROR)
    assert fix_value(f) == fixed


def test_spaces_around_an_action_get_fix() -> None:
    f = one(" xray:GetGroup ")
    assert (f.code, f.severity) == ("INVALID_ACTION", ERROR)
    assert fix_value(f) == "xray:GetGroup"


def test_spaces_around_an_invalid_action_report_both_problems() -> None:
    findings = run(allow(" xray:GetGroop"))
    assert [(f.code, fix_value(f)) for f in findings] == [
        ("INVALID_ACTION", None),
        ("INVALID_ACTION", "xray:GetGroup"),
    ]


@pytest.mark.parametrize(
    ("action", "words"),
    [
        ("", "empty"),
        ("xray:", "names no action"),
        ("xray:Get:Group", "more than one colon"),
        ("xray:Get Group", "not an action name"),
    ],
)
def test_malformed_actions(action: str, words: str) -> None:
    f = one(action)
    assert (f.code, f.severity) == ("INVALID_ACTION", ERROR)
    assert words in f.message


def test_bad_characters_in_prefix() -> None:
    f = one("x_ray:GetGroup")
    assert (f.code, f.severity) == ("INVALID_SERVICE_IN_ACTION", ERROR)


# -- service prefix -----------------------------------------------------------------


def test_wildcard_in_service_name_matching_one_service_gets_fix() -> None:
    f = one("xr*:Get*")
    assert (f.code, f.severity, f.path_str) == ("WILDCARD_IN_SERVICE_NAME", SUGGESTION, "Statement[0].Action")
    assert fix_value(f) == "xray:Get*"


def test_wildcard_in_service_name_matching_many_services() -> None:
    f = one("*:GetGroup")
    assert (f.code, f.severity) == ("WILDCARD_IN_SERVICE_NAME", SUGGESTION)
    assert f"{len(catalog.all_service_prefixes())} services" in f.message
    assert f.fix is None


def test_wildcard_in_service_name_matching_nothing() -> None:
    f = one("zz*:Get*")
    assert (f.code, f.severity) == ("INVALID_SERVICE_IN_ACTION", ERROR)


def test_unknown_service_with_one_close_prefix_gets_fix() -> None:
    f = one("xary:GetGroup")
    assert (f.code, f.severity, f.path_str) == ("INVALID_SERVICE_IN_ACTION", ERROR, "Statement[0].Action")
    assert 'Did you mean "xray"?' in f.message
    assert fix_value(f) == "xray:GetGroup"


def test_unknown_service_fix_keeps_canonical_action_case() -> None:
    assert fix_value(one("x-ray:puttracesegments")) == "xray:PutTraceSegments"


def test_unknown_service_fix_withheld_when_action_would_not_exist() -> None:
    f = one("xary:GetGroop")
    assert f.code == "INVALID_SERVICE_IN_ACTION" and f.fix is None


def test_unknown_service_with_several_close_prefixes_gets_no_fix() -> None:
    f = one("ecz:DescribeRepositories")
    assert f.code == "INVALID_SERVICE_IN_ACTION" and f.fix is None
    assert '"ec2"' in f.message and '"ecr"' in f.message and '"ecs"' in f.message


def test_unknown_service_far_from_everything() -> None:
    f = one("qqqqqqqq:Get")
    assert (f.code, f.severity) == ("INVALID_SERVICE_IN_ACTION", ERROR)
    assert "Did you mean" not in f.message
    assert "newer than this catalog" in f.message


def test_every_service_is_in_the_catalog_so_none_gets_a_note() -> None:
    findings = run(
        allow(["ec2:DescribeInstances", "logs:PutLogEvents", "ec2:RunInstances"]),
        allow(["logs:CreateLogGroup", "ec2:Describe*"], "NotAction"),
    )
    assert findings == []
    assert {catalog.service(p) is not None for p in catalog.service_prefixes()} == {True}


def test_other_services_get_form_checks() -> None:
    findings = run(allow(["EC2:DescribeInstances", "ec2:Describe Instances"]))
    assert [(f.code, f.severity, f.path_str, fix_value(f)) for f in findings] == [
        ("NONSTANDARD_ACTION_CASE", SUGGESTION, "Statement[0].Action[0]", "ec2:DescribeInstances"),
        ("INVALID_ACTION", ERROR, "Statement[0].Action[1]", "ec2:DescribeInstances"),
    ]


def test_unknown_action_of_another_service_is_an_error_with_a_fix() -> None:
    findings = run(allow(["logs:CreateLogStream", "logs:PutLogEvent"]))
    assert [(f.code, f.severity, f.path_str, fix_value(f)) for f in findings] == [
        ("INVALID_ACTION", ERROR, "Statement[0].Action[1]", "logs:PutLogEvents"),
    ]
    assert 'Did you mean "logs:PutLogEvents"?' in findings[0].message


def test_wildcard_of_another_service_must_match_an_action() -> None:
    findings = run(allow(["ec2:Describe*", "ec2:Frobnicate*"]))
    assert [(f.code, f.severity, f.path_str) for f in findings] == [
        ("INVALID_ACTION", ERROR, "Statement[0].Action[1]"),
    ]
    assert "matches no action of Amazon EC2" in findings[0].message


def test_every_service_has_action_names() -> None:
    for prefix in catalog.all_service_prefixes():
        names = catalog.action_names(prefix)
        assert names is not None, prefix
    assert catalog.action_names("no-such-service") is None
    assert catalog.action_names("xray")["puttracesegments"] == "PutTraceSegments"


# -- action names in held services --------------------------------------------------


def test_unknown_action_with_one_close_candidate_gets_fix() -> None:
    f = one("xray:PutTraceSegment")
    assert (f.code, f.severity, f.path_str) == ("INVALID_ACTION", ERROR, "Statement[0].Action")
    assert 'Did you mean "xray:PutTraceSegments"?' in f.message
    assert fix_value(f) == "xray:PutTraceSegments"


def test_unknown_action_with_two_close_candidates_gets_no_fix() -> None:
    f = one("xray:GetGroupz")
    assert '"xray:GetGroup"' in f.message and '"xray:GetGroups"' in f.message
    assert f.fix is None


def test_one_typo_gets_fix_but_a_distant_candidate_is_a_hint_only() -> None:
    f = one("xray:GetTraceSumaries")
    assert f.code == "INVALID_ACTION"
    assert fix_value(f) == "xray:GetTraceSummaries"
    g = one("xray:GetTraceSummary")
    assert '"xray:GetTraceSummaries"' in g.message and g.fix is None


def test_unknown_action_in_notaction_explains_it_excludes_nothing() -> None:
    f = one("xray:DeleteEverything", "NotAction")
    assert (f.code, f.severity, f.path_str) == ("INVALID_ACTION", ERROR, "Statement[0].NotAction")
    assert "excludes nothing" in f.message


@pytest.mark.parametrize(
    ("action", "canonical"),
    [
        ("xray:getgroup", "xray:GetGroup"),
        ("XRAY:GetGroup", "xray:GetGroup"),
        ("Xray:Get*", "xray:Get*"),
        ("KMS:decrypt", "kms:Decrypt"),
    ],
)
def test_case_differences_are_a_suggestion_with_fix(action: str, canonical: str) -> None:
    f = one(action)
    assert (f.code, f.severity, f.path_str) == ("NONSTANDARD_ACTION_CASE", SUGGESTION, "Statement[0].Action")
    assert fix_value(f) == canonical


def test_wildcard_matching_no_action_is_an_error() -> None:
    f = one("xray:Describe*")
    assert (f.code, f.severity, f.path_str) == ("INVALID_ACTION", ERROR, "Statement[0].Action")
    assert "matches no action of AWS X-Ray" in f.message


def test_variables_are_left_to_the_grammar_family() -> None:
    assert run(allow("xray:${aws:username}")) == []


def test_non_string_items_are_skipped() -> None:
    findings = run(allow(["xray:GetGroup", 4, "xray:Nope"]))
    assert [(f.code, f.path_str) for f in findings] == [("INVALID_ACTION", "Statement[0].Action[2]")]


def test_every_problem_in_one_statement_is_reported() -> None:
    findings = run(
        allow(
            ["xary:GetGroup", "xray:getgroup", "GetGroup", "xray:Nope*", "xr*:Get*", "xray:PutTraceSegment"]
        )
    )
    assert [(f.code, f.severity, f.path_str) for f in findings] == [
        ("INVALID_SERVICE_IN_ACTION", ERROR, "Statement[0].Action[0]"),
        ("NONSTANDARD_ACTION_CASE", SUGGESTION, "Statement[0].Action[1]"),
        ("INVALID_ACTION", ERROR, "Statement[0].Action[2]"),
        ("INVALID_ACTION", ERROR, "Statement[0].Action[3]"),
        ("WILDCARD_IN_SERVICE_NAME", SUGGESTION, "Statement[0].Action[4]"),
        ("INVALID_ACTION", ERROR, "Statement[0].Action[5]"),
    ]


def test_position_of_an_invalid_action() -> None:
    text = (
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
        '      "Action": ["xray:GetGroup", "xray:GetGroop"],\n      "Resource": "*"\n    }\n  ]\n}'
    )
    doc = Document(parse_json(text), LintContext())
    actions.check(doc)
    (f,) = doc.findings()
    assert (f.line, f.column, f.end_line, f.end_column) == (6, 35, 6, 50)


# -- the managed policies and the service list ---------------------------------------


@pytest.mark.parametrize("name", sorted(managed_policies()))
def test_aws_managed_policies_have_no_errors(name: str) -> None:
    text = json.dumps(managed_policies()[name].document, indent=2)
    doc = Document(parse_json(text), LintContext())
    for family in (grammar, actions, size):
        family.check(doc)
    assert [f for f in doc.findings() if f.severity is ERROR] == []


def test_all_service_prefixes_cover_the_held_services_and_more() -> None:
    prefixes = catalog.all_service_prefixes()
    assert set(catalog.service_prefixes()) <= prefixes
    assert {"ec2", "logs", "lambda", "execute-api", "cloudwatch"} <= prefixes
    assert catalog.all_services()["xray"] == "AWS X-Ray"
    assert all(p == p.lower() for p in prefixes)


# -- what is missing, said plainly ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "service"), [("xray", "AWS X-Ray"), ("XRay", "AWS X-Ray"), ("s3", "Amazon S3")]
)
def test_a_service_prefix_alone_lacks_the_action(value: str, service: str) -> None:
    finding = one(value)
    prefix = value.lower()
    assert finding.code == "INVALID_ACTION"
    assert finding.message.startswith(
        f'"{value}" names the service but no action: write "{prefix}:ActionName"'
    )
    assert f'"{prefix}:*" for every {service} action' in finding.message
    assert "no service prefix" not in finding.message


@pytest.mark.parametrize("value", ["xray:Get Group", "xray:Get.Group", "xray:get group", "xray:Get-Group"])
def test_stray_characters_in_a_name_get_a_did_you_mean(value: str) -> None:
    finding = one(value)
    assert finding.code == "INVALID_ACTION"
    assert 'Did you mean "xray:GetGroup"?' in finding.message
    assert fix_value(finding) == "xray:GetGroup"


def test_stray_characters_with_no_action_behind_them_get_no_guess() -> None:
    finding = one("xray:Get Nothing")
    assert "Did you mean" not in finding.message and fix_value(finding) is None
