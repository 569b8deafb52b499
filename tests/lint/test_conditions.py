"""The conditions family: operators, keys, key types, values, tags and action support."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xraybuilder.core.lint import conditions, lint
from xraybuilder.core.lint.document import Document, LintContext
from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.lint.fixes import apply_fix
from xraybuilder.core.managed import managed_policies
from xraybuilder.core.policy.source import parse_json

ERROR = Severity.ERROR
SECURITY_WARNING = Severity.SECURITY_WARNING
WARNING = Severity.WARNING
SUGGESTION = Severity.SUGGESTION
GROUPS = "arn:aws:xray:us-east-1:123456789012:group/checkout/*"


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2, ensure_ascii=False)


def run_text(text: str) -> list[Finding]:
    doc = Document(parse_json(text), LintContext())
    conditions.check(doc)
    return doc.findings()


def when(condition: Any, action: Any = "xray:GetGroup", effect: str = "Allow") -> list[Finding]:
    """Findings for one statement with this Condition."""
    return run_text(policy({"Effect": effect, "Action": action, "Resource": "*", "Condition": condition}))


def triples(findings: list[Finding]) -> list[tuple[str, Severity, str]]:
    return [(f.code, f.severity, f.path_str) for f in findings]


def one(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, triples(findings)
    return findings[0]


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


# -- operators ----------------------------------------------------------------------------


def test_unknown_operator() -> None:
    f = one(when({"StringEqualz": {"aws:ResourceTag/team": "checkout"}}))
    assert (f.code, f.severity, f.path_str) == (
        "INVALID_CONDITION_OPERATOR",
        ERROR,
        "Statement[0].Condition.StringEqualz",
    )
    assert 'Did you mean "StringEquals"?' in f.message
    assert f.fix is None


def test_unknown_operator_points_at_the_operator_name() -> None:
    text = policy(
        {
            "Effect": "Allow",
            "Action": "xray:GetGroup",
            "Resource": "*",
            "Condition": {"Stringequalz": {"aws:SourceIp": "203.0.113.0/24"}},
        }
    )
    f = one(run_text(text))
    line = text.splitlines()[f.line - 1]
    assert line[f.column - 1 :].startswith('"Stringequalz"')


@pytest.mark.parametrize(
    ("written", "right"),
    [
        ("stringequals", "StringEquals"),
        ("forAnyValue:StringEquals", "ForAnyValue:StringEquals"),
        ("StringEqualsifexists", "StringEqualsIfExists"),
    ],
)
def test_wrong_case_operator_is_fixed_by_renaming(written: str, right: str) -> None:
    key = "aws:TagKeys" if written.startswith("for") else "aws:RequestTag/team"
    text = policy(
        {
            "Effect": "Allow",
            "Action": "xray:CreateGroup",
            "Resource": "*",
            "Condition": {written: {key: "checkout"}},
        }
    )
    f = one(run_text(text))
    assert (f.code, f.severity) == ("INVALID_CONDITION_OPERATOR", ERROR)
    assert f.fix is not None and f.fix.new_key == right
    assert run_text(apply_fix(text, f.fix)) == []


def test_wrong_case_operator_is_not_renamed_onto_an_operator_already_there() -> None:
    found = when(
        {
            "StringEquals": {"aws:RequestedRegion": "us-east-1"},
            "stringequals": {"aws:SourceAccount": "123456789012"},
        }
    )
    f = one(found)
    assert f.code == "INVALID_CONDITION_OPERATOR" and f.fix is None


def test_null_if_exists() -> None:
    text = policy(
        {
            "Effect": "Allow",
            "Action": "xray:CreateGroup",
            "Resource": GROUPS,
            "Condition": {"NullIfExists": {"aws:RequestTag/team": "false"}},
        }
    )
    f = one(run_text(text))
    assert (f.code, f.severity, f.path_str) == (
        "NULL_WITH_IF_EXISTS",
        ERROR,
        "Statement[0].Condition.NullIfExists",
    )
    assert f.fix is not None and f.fix.new_key == "Null"
    assert run_text(apply_fix(text, f.fix)) == []


def test_null_if_exists_with_values_that_are_not_booleans_gets_no_fix() -> None:
    f = one(when({"NullIfExists": {"aws:SourceIp": "203.0.113.0/24"}}))
    assert f.code == "NULL_WITH_IF_EXISTS" and f.fix is None


@pytest.mark.parametrize("qualifier", ["ForAllValues", "ForAnyValue"])
def test_null_with_qualifier(qualifier: str) -> None:
    f = one(when({f"{qualifier}:Null": {"aws:SourceIp": "true"}}))
    assert (f.code, f.severity, f.path_str) == (
        "NULL_WITH_QUALIFIER",
        SUGGESTION,
        f'Statement[0].Condition["{qualifier}:Null"]',
    )


# -- values against the operator ----------------------------------------------------------


@pytest.mark.parametrize("value", ["true", "false", "True", True, False])
def test_bool_values_that_work(value: Any) -> None:
    assert when({"Bool": {"aws:SecureTransport": value}}) == []


def test_bool_value_that_is_not_a_boolean() -> None:
    f = one(when({"Bool": {"aws:SecureTransport": "no"}}))
    assert (f.code, f.severity, f.path_str) == (
        "TYPE_MISMATCH_BOOLEAN",
        ERROR,
        'Statement[0].Condition.Bool["aws:SecureTransport"]',
    )


def test_bool_with_both_values() -> None:
    f = one(when({"Bool": {"aws:SecureTransport": ["true", "false"]}}))
    assert (f.code, f.severity, f.path_str) == (
        "INVALID_CONDITION_MULTIPLE_BOOLEAN",
        ERROR,
        'Statement[0].Condition.Bool["aws:SecureTransport"]',
    )


def test_null_value_that_is_not_a_boolean() -> None:
    f = one(when({"Null": {"aws:SourceIp": "maybe"}}))
    assert (f.code, f.severity) == ("TYPE_MISMATCH_BOOLEAN", ERROR)
    assert '"true" (the request lacks the key)' in f.message


@pytest.mark.parametrize("value", ["3600", 3600, "1.5", "-1"])
def test_numbers_that_work(value: Any) -> None:
    assert when({"NumericLessThan": {"aws:MultiFactorAuthAge": value}}) == []


@pytest.mark.parametrize("value", ["one hour", "1e3", "", "3600s"])
def test_numbers_that_do_not(value: str) -> None:
    f = one(when({"NumericLessThan": {"aws:MultiFactorAuthAge": value}}))
    assert (f.code, f.severity, f.path_str) == (
        "TYPE_MISMATCH_NUMBER",
        ERROR,
        'Statement[0].Condition.NumericLessThan["aws:MultiFactorAuthAge"]',
    )


@pytest.mark.parametrize(
    "value",
    [
        "2027-01-01",
        "2027-01-01T00:00:00Z",
        "2027-01-01T10:30Z",
        "2027-01-01T00:00:00.123+02:00",
        "2027",
        "2027-06",
        "2027-01-01T00:00:00",
        "1798761600",
    ],
)
def test_dates_that_work(value: str) -> None:
    assert when({"DateLessThan": {"aws:CurrentTime": value}}) == []


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2027-13-01",
        "2027-02-30",
        "2027-01-01T25:00:00Z",
        "01/02/2027",
        "2027-01-01 00:00:00",
        "2027-01-01T00:00:00+25:00",
    ],
)
def test_dates_that_do_not(value: str) -> None:
    f = one(when({"DateLessThan": {"aws:CurrentTime": [value]}}))
    assert (f.code, f.severity, f.path_str) == (
        "TYPE_MISMATCH_DATE",
        ERROR,
        'Statement[0].Condition.DateLessThan["aws:CurrentTime"][0]',
    )


@pytest.mark.parametrize("value", ["203.0.113.0/24", "203.0.113.7", "2001:db8::/32", "0.0.0.0/0"])
def test_ip_ranges_that_work(value: str) -> None:
    assert when({"IpAddress": {"aws:SourceIp": value}}) == []


@pytest.mark.parametrize(
    "value", ["office-network", "203.0.113.300/24", "10.0.0.0/255.0.0.0", "203.0.113.0/33", " 203.0.113.7"]
)
def test_ip_ranges_that_do_not(value: str) -> None:
    f = one(when({"NotIpAddress": {"aws:SourceIp": value}}))
    assert (f.code, f.severity, f.path_str) == (
        "TYPE_MISMATCH_IP_RANGE",
        ERROR,
        'Statement[0].Condition.NotIpAddress["aws:SourceIp"]',
    )


def test_ip_range_with_host_bits_set_is_improved() -> None:
    text = policy(
        {
            "Effect": "Allow",
            "Action": "xray:GetServiceGraph",
            "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.7/24"]}},
        }
    )
    f = one(run_text(text))
    assert (f.code, f.severity, f.path_str) == (
        "IMPROVE_IP_RANGE",
        SUGGESTION,
        'Statement[0].Condition.IpAddress["aws:SourceIp"][0]',
    )
    assert f.fix is not None and f.fix.value == "203.0.113.0/24"
    assert run_text(apply_fix(text, f.fix)) == []


@pytest.mark.parametrize(
    ("operator", "code"), [("IpAddress", "PRIVATE_IP_ADDRESS"), ("NotIpAddress", "PRIVATE_NOT_IP_ADDRESS")]
)
def test_source_ip_with_private_ranges_only(operator: str, code: str) -> None:
    f = one(when({operator: {"aws:SourceIp": ["10.0.0.0/8", "192.168.1.10"]}}))
    assert (f.code, f.severity, f.path_str) == (
        code,
        ERROR,
        f'Statement[0].Condition.{operator}["aws:SourceIp"]',
    )


def test_source_ip_mixing_private_and_public_ranges() -> None:
    f = one(when({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "172.16.0.0/12"]}}))
    assert (f.code, f.severity, f.path_str) == (
        "PRIVATE_IP_ADDRESS_SUBSET",
        SUGGESTION,
        'Statement[0].Condition.IpAddress["aws:SourceIp"][1]',
    )
    f = one(when({"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "fd00::/8"]}}))
    assert f.code == "PRIVATE_NOT_IP_ADDRESS_SUBSET"


def test_private_ranges_are_fine_for_the_vpc_source_ip() -> None:
    assert when({"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}}) == []


def test_binary_values_must_be_base64() -> None:
    bad = [f for f in when({"BinaryEquals": {"aws:UserAgent": "not base64!"}}) if f.code != "TYPE_MISMATCH"]
    assert triples(bad) == [
        ("TYPE_MISMATCH_STRING", ERROR, 'Statement[0].Condition.BinaryEquals["aws:UserAgent"]')
    ]
    assert codes(when({"BinaryEquals": {"aws:UserAgent": "QmluYXJ5"}})) == {"TYPE_MISMATCH"}


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:s3:::bucket",
        "arn:aws:iam::*:role/xray-*",
        "${aws:PrincipalArn}",
        "arn:aws:iam::${aws:PrincipalAccount}:role/x",
    ],
)
def test_arn_values_that_work(value: str) -> None:
    assert when({"ArnLike": {"aws:PrincipalArn": value}}) == []


@pytest.mark.parametrize("value", ["not-an-arn", "*", "arn:aws:iam::123456789012"])
def test_arn_values_that_do_not(value: str) -> None:
    f = one(when({"ArnEquals": {"aws:SourceArn": value}}))
    assert (f.code, f.severity, f.path_str) == (
        "TYPE_MISMATCH_ARN",
        ERROR,
        'Statement[0].Condition.ArnEquals["aws:SourceArn"]',
    )


@pytest.mark.parametrize("operator", ["NumericEquals", "DateLessThan", "IpAddress", "BinaryEquals", "Null"])
def test_policy_variables_with_operators_that_do_not_take_them(operator: str) -> None:
    key = {
        "NumericEquals": "aws:MultiFactorAuthAge",
        "DateLessThan": "aws:CurrentTime",
        "IpAddress": "aws:SourceIp",
        "BinaryEquals": "aws:UserAgent",
        "Null": "aws:SourceIp",
    }[operator]
    found = [f for f in when({operator: {key: "${aws:username}"}}) if f.code != "TYPE_MISMATCH"]
    assert triples(found) == [
        ("INVALID_VARIABLE_FOR_OPERATOR", ERROR, f'Statement[0].Condition.{operator}["{key}"]')
    ]


@pytest.mark.parametrize(
    ("operator", "key"),
    [
        ("StringEquals", "aws:PrincipalTag/team"),
        ("ArnLike", "aws:PrincipalArn"),
        ("Bool", "aws:SecureTransport"),
    ],
)
def test_policy_variables_where_they_work(operator: str, key: str) -> None:
    assert when({operator: {key: "${aws:PrincipalTag/flag}"}}) == []


def test_wildcard_without_like_operator() -> None:
    f = one(when({"StringEquals": {"aws:ResourceTag/team": ["check*"]}}))
    assert (f.code, f.severity, f.path_str) == (
        "WILDCARD_WITHOUT_LIKE_OPERATOR",
        WARNING,
        'Statement[0].Condition.StringEquals["aws:ResourceTag/team"][0]',
    )
    assert "StringLike" in f.message
    assert "StringNotLike" in one(when({"StringNotEquals": {"aws:ResourceTag/team": "a?"}})).message


@pytest.mark.parametrize(
    "condition",
    [
        {"StringLike": {"aws:ResourceTag/team": "check*"}},
        {"StringEquals": {"aws:ResourceTag/team": "${*}checkout"}},  # the escape for a literal *
        {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"}},  # ArnEquals reads wildcards
    ],
)
def test_wildcards_where_they_are_meant(condition: dict[str, Any]) -> None:
    assert when(condition) == []


# -- keys ----------------------------------------------------------------------------------


def test_unknown_global_key() -> None:
    f = one(when({"IpAddress": {"aws:SourceIpAddress": "203.0.113.0/24"}}))
    assert (f.code, f.severity, f.path_str) == (
        "INVALID_GLOBAL_CONDITION_KEY",
        ERROR,
        'Statement[0].Condition.IpAddress["aws:SourceIpAddress"]',
    )
    assert 'Did you mean "aws:SourceIp"?' in f.message


def test_global_keys_ignore_case() -> None:
    assert when({"IpAddress": {"AWS:SOURCEIP": "203.0.113.0/24"}}) == []


def test_xray_resource_tag_is_renamed_to_the_global_key() -> None:
    text = policy(
        {
            "Effect": "Allow",
            "Action": ["xray:GetGroup", "xray:UpdateGroup"],
            "Resource": GROUPS,
            "Condition": {"StringEquals": {"xray:ResourceTag/team": "checkout"}},
        }
    )
    f = one(run_text(text))
    assert (f.code, f.severity, f.path_str) == (
        "INVALID_SERVICE_CONDITION_KEY",
        ERROR,
        'Statement[0].Condition.StringEquals["xray:ResourceTag/team"]',
    )
    assert f.fix is not None and f.fix.new_key == "aws:ResourceTag/team"
    assert "documentation slip" in f.message
    assert run_text(apply_fix(text, f.fix)) == []


def test_xray_resource_tag_is_not_renamed_onto_a_key_already_there() -> None:
    found = when({"StringEquals": {"xray:ResourceTag/team": "a", "aws:ResourceTag/team": "b"}})
    f = one(found)
    assert f.code == "INVALID_SERVICE_CONDITION_KEY" and f.fix is None


def test_unknown_xray_key_lists_the_real_ones() -> None:
    f = one(when({"StringEquals": {"xray:GroupName": "checkout"}}))
    assert (f.code, f.severity, f.fix) == ("INVALID_SERVICE_CONDITION_KEY", ERROR, None)
    assert "xray:ResourcePolicyName" in f.message and "xray:TraceSegmentDestination" in f.message


def test_unknown_key_of_another_held_service() -> None:
    f = one(when({"StringEquals": {"kms:ViaServce": "xray.us-east-1.amazonaws.com"}}, action="kms:Decrypt"))
    assert (f.code, f.severity) == ("INVALID_SERVICE_CONDITION_KEY", ERROR)


@pytest.mark.parametrize(
    ("action", "condition"),
    [
        ("ec2:RunInstances", {"StringEquals": {"ec2:InstanceType": "t3.micro"}}),
        (
            "lambda:CreateEventSourceMapping",
            {"ArnLike": {"lambda:FunctionArn": "arn:aws:lambda:*:*:function:x"}},
        ),
    ],
)
def test_keys_of_other_services_are_judged_and_pass(action: str, condition: dict[str, Any]) -> None:
    assert when(condition, action=action) == []


def test_a_key_another_service_does_not_document_for_the_action() -> None:
    # The Service Authorization Reference lists lambda:FunctionArn for the event source
    # mapping actions only, not for InvokeFunction.
    condition = {"ArnLike": {"lambda:FunctionArn": "arn:aws:lambda:*:*:function:x"}}
    f = one(when(condition, action="lambda:InvokeFunction"))
    assert (f.code, f.severity) == ("UNSUPPORTED_ACTION_FOR_CONDITION_KEY", ERROR)


def test_an_unknown_key_of_another_service() -> None:
    f = one(when({"StringEquals": {"ec2:InstanceTyp": "t3.micro"}}, action="ec2:RunInstances"))
    assert (f.code, f.severity) == ("INVALID_SERVICE_CONDITION_KEY", ERROR)


@pytest.mark.parametrize("key", ["aws:ResourceTag", "aws:RequestTag/", "aws:PrincipalTag"])
def test_tag_key_without_a_tag(key: str) -> None:
    f = one(when({"StringEquals": {key: "checkout"}}, action="xray:TagResource"))
    assert (f.code, f.severity, f.path_str) == (
        "MISSING_TAG_KEY_IN_CONDITION",
        ERROR,
        f'Statement[0].Condition.StringEquals["{key}"]',
    )


def test_key_without_a_service_prefix() -> None:
    f = one(when({"StringEquals": {"SourceIp": "203.0.113.0/24"}}))
    assert (f.code, f.severity, f.path_str) == (
        "INVALID_CONDITION_KEY_FORMAT",
        ERROR,
        "Statement[0].Condition.StringEquals.SourceIp",
    )


def test_keys_repeated_with_another_case() -> None:
    text = policy(
        {
            "Effect": "Allow",
            "Action": "xray:GetGroup",
            "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24", "aws:sourceip": "198.51.100.0/24"}},
        }
    )
    f = one(run_text(text))
    assert (f.code, f.severity, f.path_str) == (
        "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
        ERROR,
        'Statement[0].Condition.IpAddress["aws:sourceip"]',
    )
    assert text.splitlines()[f.line - 1][f.column - 1 :].startswith('"aws:sourceip"')


# -- key types -----------------------------------------------------------------------------


def test_string_operator_on_an_ip_key() -> None:
    f = one(when({"StringEquals": {"aws:SourceIp": "203.0.113.7"}}))
    assert (f.code, f.severity, f.path_str) == (
        "TYPE_MISMATCH",
        ERROR,
        'Statement[0].Condition.StringEquals["aws:SourceIp"]',
    )
    assert f.message.startswith(
        "Use the operator type IpAddress instead of operator StringEquals for the condition key aws:SourceIp."
    )


@pytest.mark.parametrize(
    ("operator", "key", "wanted"),
    [
        ("NumericEquals", "aws:username", "String"),
        ("StringEquals", "aws:CurrentTime", "Date"),
        ("StringEquals", "aws:SecureTransport", "Bool"),
        ("DateEquals", "aws:MultiFactorAuthAge", "Numeric"),
        ("ArnEquals", "aws:RequestedRegion", "String"),
    ],
)
def test_operator_of_the_wrong_type(operator: str, key: str, wanted: str) -> None:
    found = [f for f in when({operator: {key: "1"}}) if f.code == "TYPE_MISMATCH"]
    assert f"Use the operator type {wanted} instead of operator {operator}" in one(found).message


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringEquals", "aws:PrincipalArn", "arn:aws:iam::123456789012:role/x"),  # String on ARN
        ("StringLike", "aws:SourceArn", "arn:aws:s3:::b*"),
        ("ArnLike", "aws:SourceArn", "arn:aws:s3:::b*"),
        ("Null", "aws:MultiFactorAuthAge", "true"),
        ("StringEqualsIfExists", "aws:RequestedRegion", "us-east-1"),
    ],
)
def test_operators_that_suit_their_key(operator: str, key: str, value: str) -> None:
    assert when({operator: {key: value}}) == []


def test_multivalued_key_without_qualifier() -> None:
    f = one(when({"StringEquals": {"aws:TagKeys": ["team", "stage"]}}, action="xray:TagResource"))
    assert (f.code, f.severity, f.path_str) == (
        "MISSING_QUALIFIER",
        ERROR,
        'Statement[0].Condition.StringEquals["aws:TagKeys"]',
    )
    assert "ForAnyValue:StringEquals" in f.message


@pytest.mark.parametrize("operator", ["ForAnyValue:StringEquals", "ForAllValues:StringLike", "Null"])
def test_multivalued_key_with_qualifier(operator: str) -> None:
    value = "true" if operator == "Null" else ["team"]
    assert when({operator: {"aws:TagKeys": value}}, action="xray:TagResource") == []


def test_for_all_values_on_a_single_valued_key_with_allow() -> None:
    text = policy(
        {
            "Effect": "Allow",
            "Action": "xray:GetGroup",
            "Resource": GROUPS,
            "Condition": {"ForAllValues:StringEquals": {"aws:ResourceTag/team": ["checkout"]}},
        }
    )
    f = one(run_text(text))
    assert (f.code, f.severity, f.path_str) == (
        "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
        SECURITY_WARNING,
        'Statement[0].Condition["ForAllValues:StringEquals"]["aws:ResourceTag/team"]',
    )
    assert f.fix is not None and f.fix.new_key == "StringEquals"
    assert f.fix.path == ("Statement", 0, "Condition", "ForAllValues:StringEquals")
    assert run_text(apply_fix(text, f.fix)) == []


def test_for_all_values_on_a_single_valued_key_with_deny() -> None:
    f = one(when({"ForAllValues:StringEquals": {"aws:ResourceTag/team": "x"}}, effect="Deny"))
    assert (f.code, f.severity) == ("FORALLVALUES_WITH_SINGLE_VALUED_KEY", WARNING)


def test_no_rename_when_the_operator_also_holds_a_multivalued_key() -> None:
    found = when(
        {"ForAllValues:StringEquals": {"aws:RequestTag/team": "x", "aws:TagKeys": "team"}},
        action="xray:TagResource",
    )
    f = one(found)
    assert f.code == "FORALLVALUES_WITH_SINGLE_VALUED_KEY" and f.fix is None


def test_for_any_value_on_a_single_valued_key() -> None:
    f = one(when({"ForAnyValue:StringEquals": {"aws:ResourceTag/team": "x"}}))
    assert (f.code, f.severity) == ("FORANYVALUE_WITH_SINGLE_VALUED_KEY", SUGGESTION)
    assert f.fix is not None and f.fix.new_key == "StringEquals"
    # Without the qualifier a negated operator would match an absent key: no certain fix.
    f = one(when({"ForAnyValue:StringNotEquals": {"aws:ResourceTag/team": "x"}}))
    assert f.code == "FORANYVALUE_WITH_SINGLE_VALUED_KEY" and f.fix is None


# -- is the key there for the statement's actions? ----------------------------------------


@pytest.mark.parametrize(
    ("action", "key", "named"),
    [
        ("xray:GetGroup", "aws:RequestTag/team", "xray:GetGroup"),
        ("xray:CreateGroup", "aws:ResourceTag/team", "xray:CreateGroup"),
        (["xray:CreateGroup", "xray:GetGroup"], "aws:ResourceTag/team", "xray:CreateGroup"),
        (["xray:DeleteGroup", "xray:TagResource"], "aws:TagKeys", "xray:DeleteGroup"),
        ("xray:GetGroup", "xray:TraceSegmentDestination", "xray:GetGroup"),
    ],
)
def test_key_not_in_the_request_context_with_allow(action: Any, key: str, named: str) -> None:
    operator = "ForAnyValue:StringEquals" if key == "aws:TagKeys" else "StringEquals"
    f = one(when({operator: {key: "x"}}, action=action))
    assert (f.code, f.severity, f.path_str) == (
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
        ERROR,
        f'Statement[0].Condition["{operator}"]["{key}"]'
        if ":" in operator
        else f'Statement[0].Condition.{operator}["{key}"]',
    )
    assert named in f.message and "never allows" in f.message


def test_only_the_actions_without_the_key_are_named() -> None:
    f = one(
        when(
            {"StringEquals": {"aws:ResourceTag/team": "x"}},
            action=["xray:GetGroup", "xray:CreateGroup", "xray:UpdateGroup"],
        )
    )
    assert "xray:CreateGroup" in f.message
    assert "xray:GetGroup" not in f.message and "xray:UpdateGroup" not in f.message


def test_key_not_in_the_request_context_with_deny_is_a_security_warning() -> None:
    f = one(
        when({"StringEquals": {"aws:RequestTag/stage": "prod"}}, action="xray:UpdateGroup", effect="Deny")
    )
    assert (f.code, f.severity) == ("UNSUPPORTED_ACTION_FOR_CONDITION_KEY", SECURITY_WARNING)
    assert "never denies" in f.message


def test_key_absent_with_deny_but_the_condition_holds_anyway() -> None:
    f = one(when({"StringEqualsIfExists": {"aws:RequestTag/team": "x"}}, effect="Deny"))
    assert (f.code, f.severity) == ("UNSUPPORTED_ACTION_FOR_CONDITION_KEY", WARNING)
    assert "always denies" in f.message


@pytest.mark.parametrize("operator", ["StringEqualsIfExists", "StringNotEquals"])
def test_key_absent_with_allow_is_reported_once_as_wider_than_it_looks(operator: str) -> None:
    # The conditions family leaves it to the interactions family, so the policy gets one finding.
    condition = {operator: {"aws:RequestTag/team": "x"}}
    assert when(condition) == []
    text = policy({"Effect": "Allow", "Action": "xray:GetGroup", "Resource": "*", "Condition": condition})
    found = [f for f in lint(text) if "aws:RequestTag/team" in f.path_str]
    assert [(f.code, f.severity) for f in found] == [("CONDITION_ALWAYS_TRUE_FOR_ACTIONS", SECURITY_WARNING)]
    assert "xray:GetGroup" in found[0].message


def test_null_on_an_absent_key() -> None:
    assert one(when({"Null": {"aws:RequestTag/team": "false"}})).severity is ERROR
    assert one(when({"Null": {"aws:RequestTag/team": "true"}})).severity is SECURITY_WARNING


def test_a_wildcard_that_matches_no_action_with_the_key() -> None:
    f = one(when({"StringEquals": {"aws:RequestTag/team": "x"}}, action="xray:Get*"))
    assert (f.code, f.severity) == ("UNSUPPORTED_ACTION_FOR_CONDITION_KEY", ERROR)
    assert "any of the actions in this statement (xray:Get*)" in f.message


@pytest.mark.parametrize(
    ("action", "condition"),
    [
        ("xray:*", {"StringEquals": {"aws:ResourceTag/team": "x"}}),  # some actions have it
        ("xray:GetGroup", {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),  # global key
        (["kms:Decrypt", "kms:DescribeKey"], {"StringEquals": {"aws:ResourceTag/team": "x"}}),
        (
            ["kms:CreateGrant", "kms:DescribeKey"],
            {"StringEquals": {"kms:ViaService": "xray.us-east-1.amazonaws.com"}},
        ),
        ("iam:PassRole", {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}),
        (
            "xray:PutTraceSegments",
            {"ForAnyValue:ArnLike": {"logs:LogGeneratingResourceArns": "arn:aws:ec2:*:*:instance/*"}},
        ),
        (
            ["xray:PutResourcePolicy", "xray:DeleteResourcePolicy"],
            {"StringEquals": {"xray:ResourcePolicyName": "sharing"}},
        ),
        (["xray:TagResource", "xray:CreateSamplingRule"], {"StringEquals": {"aws:RequestTag/x": "y"}}),
        (["xray:UpdateSamplingRule", "xray:DeleteGroup"], {"StringEquals": {"aws:ResourceTag/x": "y"}}),
        (["logs:PutLogEvents"], {"StringEquals": {"aws:ResourceTag/x": "y"}}),  # service not held
    ],
)
def test_keys_the_actions_have(action: Any, condition: dict[str, Any]) -> None:
    assert when(condition, action=action) == []


@pytest.mark.parametrize(
    ("effect", "code", "severity"),
    [
        ("Allow", "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", SUGGESTION),
        ("Deny", "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", SECURITY_WARNING),
    ],
)
def test_tag_keys_with_not_action(effect: str, code: str, severity: Severity) -> None:
    text = policy(
        {
            "Effect": effect,
            "NotAction": "xray:GetGroup",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "x"}},
        }
    )
    assert triples(run_text(text)) == [
        (code, severity, 'Statement[0].Condition.StringEquals["aws:ResourceTag/team"]')
    ]


# -- X-Ray tags ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("aws:ResourceTag/team", "a" * 256),
        ("aws:ResourceTag/" + "k" * 128, "x"),
        ("aws:ResourceTag/équipe", "café"),  # letters of any script
        ("aws:ResourceTag/a_b.c:d/e=f+g-h@i j", "v_1.2:3/4=5+6-7@8 9"),
        ("aws:ResourceTag/team", ""),  # values may be empty
        ("aws:ResourceTag/aws:cloudformation:stack-name", "x"),  # AWS sets these on resources
    ],
)
def test_tags_x_ray_accepts(key: str, value: str) -> None:
    assert when({"StringEquals": {key: value}}) == []


@pytest.mark.parametrize(
    ("key", "value", "code", "path"),
    [
        ("aws:ResourceTag/team", "a" * 257, "INVALID_TAG_VALUE", None),
        ("aws:ResourceTag/" + "k" * 129, "x", "INVALID_TAG_KEY", "key"),
        ("aws:ResourceTag/bad#key", "x", "INVALID_TAG_KEY", "key"),
        ("aws:ResourceTag/team", "a|b", "INVALID_TAG_VALUE", None),
        ("aws:RequestTag/aws:owner", "x", "INVALID_TAG_KEY", "key"),  # reserved for AWS
    ],
)
def test_tags_x_ray_rejects(key: str, value: str, code: str, path: str | None) -> None:
    action = "xray:CreateGroup" if key.startswith("aws:RequestTag") else "xray:GetGroup"
    f = one(when({"StringEquals": {key: value}}, action=action))
    assert (f.code, f.severity, f.path_str) == (
        code,
        WARNING,
        f'Statement[0].Condition.StringEquals["{key}"]',
    )
    assert "X-Ray" in f.message


def test_tag_keys_listed_in_tag_keys() -> None:
    found = when(
        {"ForAnyValue:StringLike": {"aws:TagKeys": ["team*", "aws:owner", "a#b"]}}, action="xray:TagResource"
    )
    assert triples(found) == [
        ("INVALID_TAG_KEY", WARNING, 'Statement[0].Condition["ForAnyValue:StringLike"]["aws:TagKeys"][1]'),
        ("INVALID_TAG_KEY", WARNING, 'Statement[0].Condition["ForAnyValue:StringLike"]["aws:TagKeys"][2]'),
    ]


def test_tag_rules_apply_to_x_ray_statements_only() -> None:
    assert when({"StringEquals": {"aws:ResourceTag/a#b": "x"}}, action="kms:Decrypt") == []


# -- repeated values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "key", "values", "redundant"),
    [
        ("StringEquals", "aws:ResourceTag/team", ["prod", "prod"], [1]),
        ("StringEquals", "aws:ResourceTag/team", ["Prod", "prod"], []),  # case-sensitive
        ("StringEqualsIgnoreCase", "aws:ResourceTag/team", ["Prod", "prod"], [1]),
        ("StringLike", "aws:ResourceTag/team", ["prod-1", "prod*"], [0]),
        ("StringLike", "aws:ResourceTag/team", ["prod*", "pre*"], []),
        ("IpAddress", "aws:SourceIp", ["203.0.113.128/25", "203.0.113.0/24"], [0]),
        ("NumericEquals", "aws:MultiFactorAuthAge", ["3600", "3600.0"], [1]),
        ("ArnLike", "aws:PrincipalArn", ["arn:aws:iam::1:role/*", "arn:aws:iam::1:role/x"], [1]),
    ],
)
def test_redundant_values(operator: str, key: str, values: list[str], redundant: list[int]) -> None:
    found = when({operator: {key: values}})
    assert triples(found) == [
        ("REDUNDANT_CONDITION_VALUE", SUGGESTION, f'Statement[0].Condition.{operator}["{key}"][{i}]')
        for i in redundant
    ]
    for f in found:
        assert f.fix is not None and f.fix.removes


@pytest.mark.parametrize(
    ("operator", "values", "redundant"),
    [
        ("NumericLessThan", ["2700", "3600"], 0),
        ("NumericGreaterThanEquals", ["10", "20"], 1),
    ],
)
def test_numeric_bounds_keep_the_widest(operator: str, values: list[str], redundant: int) -> None:
    f = one(when({operator: {"aws:MultiFactorAuthAge": values}}))
    assert (f.code, f.severity, f.path_str) == (
        "REDUNDANT_CONDITION_VALUE_NUM",
        SUGGESTION,
        f'Statement[0].Condition.{operator}["aws:MultiFactorAuthAge"][{redundant}]',
    )


# -- input the grammar family owns ---------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        "not an object",
        {},
        {"StringEquals": "not an object"},
        {"StringEquals": {}},
        {"StringEquals": {"aws:SourceIp": {"nested": "object"}}},
        {"StringEquals": {"aws:SourceIp": None}},
        {"StringEquals": {"aws:SourceIp": []}},
        {"Bool": {"aws:SecureTransport": ["true", {"x": 1}]}},
    ],
)
def test_ill_shaped_conditions_are_skipped_silently(condition: Any) -> None:
    assert when(condition) == []


# -- whole policies ------------------------------------------------------------------------

TAG_EXAMPLES = [
    # X-Ray guide: allow xray:*, deny changing groups tagged stage=prod/preprod.
    [
        {"Effect": "Allow", "Action": "xray:*", "Resource": "*"},
        {
            "Effect": "Deny",
            "Action": "xray:CreateGroup",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestTag/stage": ["preprod", "prod"]}},
        },
        {
            "Effect": "Deny",
            "Action": ["xray:UpdateGroup", "xray:DeleteGroup"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/stage": ["preprod", "prod"]}},
        },
    ],
    # Creating groups only with a team tag.
    [
        {
            "Effect": "Allow",
            "Action": "xray:CreateGroup",
            "Resource": GROUPS,
            "Condition": {
                "StringEquals": {"aws:RequestTag/team": "checkout"},
                "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "stage"]},
            },
        }
    ],
]


@pytest.mark.parametrize("statements", TAG_EXAMPLES)
def test_the_x_ray_guide_tag_examples_have_no_errors(statements: list[dict[str, Any]]) -> None:
    found = run_text(policy(*statements))
    assert [f for f in found if f.severity is ERROR] == []
    assert triples(found) == []


def test_the_managed_policies_have_no_condition_findings() -> None:
    for managed in managed_policies().values():
        assert run_text(json.dumps(managed.document)) == [], managed.name


def test_the_full_linter_reports_condition_findings_with_positions() -> None:
    text = policy(
        {
            "Effect": "Allow",
            "Action": "xray:GetGroup",
            "Resource": GROUPS,
            "Condition": {"StringEquals": {"xray:ResourceTag/team": "checkout"}},
        }
    )
    found = [f for f in lint(text) if f.code == "INVALID_SERVICE_CONDITION_KEY"]
    f = one(found)
    assert text.splitlines()[f.line - 1][f.column - 1 :].startswith('"xray:ResourceTag/team"')


def test_findings_are_the_same_when_the_policy_is_linted_again() -> None:
    text = policy(
        {
            "Effect": "Allow",
            "Action": "xray:GetGroup",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestTag/team": "x"}},
        },
        {
            "Effect": "Allow",
            "Action": "xray:GetGroup",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestTag/team": "x"}},
        },
    )
    first = triples(run_text(text))
    assert first == triples(run_text(text))
    assert [p for _, _, p in first] == [
        'Statement[0].Condition.StringEquals["aws:RequestTag/team"]',
        'Statement[1].Condition.StringEquals["aws:RequestTag/team"]',
    ]


# -- never a traceback -----------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "StringEquals",
        "stringequals",
        "NullIfExists",
        "ForAnyValue:StringLike",
        "ForAllValues:Null",
        "IpAddress",
        "Bool",
        "DateLessThan",
        "NumericLessThan",
        "BinaryEquals",
        "ArnLike",
        "Null",
        "aws:SourceIp",
        "aws:TagKeys",
        "aws:ResourceTag/",
        "aws:RequestTag/a#b",
        "xray:ResourceTag/t",
        "xray:Foo",
        "ec2:Region",
        "nokey",
        "*",
        "${aws:username}",
        "${",
        "10.0.0.1/8",
        "true",
        "",
        "arn:aws:xray:*:*:group/*",
        "xray:*",
        "xray:Get*",
        "iam:PassRole",
        "x" * 300,
    ]
)
_SCALARS = st.one_of(
    _WORDS,
    st.text(max_size=6),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
)
_CONDITIONS = st.dictionaries(
    _WORDS,
    st.one_of(
        _SCALARS, st.dictionaries(_WORDS, st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3)), max_size=3)
    ),
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "Effect": st.sampled_from(["Allow", "Deny", "Maybe"]),
                "Action": st.one_of(_WORDS, st.lists(_WORDS, max_size=3)),
                "Resource": _WORDS,
                "Condition": _CONDITIONS,
            }
        ),
        max_size=3,
    )
)
def test_any_condition_is_read_without_a_traceback(statements: list[dict[str, Any]]) -> None:
    for finding in run_text(policy(*statements)):
        assert finding.message and finding.code.isupper()


def test_unsupported_key_names_each_wildcard_entry() -> None:
    found = lint(
        policy(
            {
                "Effect": "Allow",
                "Action": ["ec2:*", "s3:*"],
                "Resource": "*",
                "Condition": {"StringNotEquals": {"iam:ResourceTag/status": "prod"}},
            }
        )
    )
    # Reported once, as the interactions family's "wider than it looks" finding, naming the actions.
    assert not [f for f in found if f.code == "UNSUPPORTED_ACTION_FOR_CONDITION_KEY"]
    [f] = [f for f in found if f.code == "CONDITION_ALWAYS_TRUE_FOR_ACTIONS"]
    assert f.severity == Severity.SECURITY_WARNING
    # Neither EC2 nor S3 actions carry an IAM resource tag.
    assert "ec2:AcceptAddressTransfer" in f.message and "never carry" in f.message


@pytest.mark.parametrize(
    ("operator", "value", "code"),
    [
        ("StringEqualsIfExists", "a*", "WILDCARD_WITHOUT_LIKE_OPERATOR"),
        ("NumericLessThanIfExists", "soon", "TYPE_MISMATCH_NUMBER"),
        ("BoolIfExists", "yes", "TYPE_MISMATCH_BOOLEAN"),
    ],
)
def test_messages_name_the_operator_as_written(operator: str, value: str, code: str) -> None:
    key = {"String": "aws:PrincipalTag/team", "Numeric": "aws:MultiFactorAuthAge"}.get(
        operator[:6] if operator.startswith("String") else operator[:7], "aws:SecureTransport"
    )
    [f] = [f for f in when({operator: {key: value}}) if f.code == code]
    assert f"{operator} " in f.message
    if code == "WILDCARD_WITHOUT_LIKE_OPERATOR":
        assert "use StringLikeIfExists." in f.message


def test_source_owner_is_a_global_key_aws_still_sets() -> None:
    # Undocumented on the global keys page, but set by AWS services and used in the SNS
    # console's default topic policy (see scripts/catalog_overlay.toml).
    found = when({"StringEquals": {"aws:SourceOwner": "123456789012"}})
    assert not [f for f in found if f.severity == Severity.ERROR]
