"""Each condition operator family, value by value, including the edge cases."""

from __future__ import annotations

from typing import Any

import pytest

from xraybuilder.core.evaluate import Request, evaluate
from xraybuilder.core.policy.model import Policy

GROUP = "arn:aws:xray:eu-west-1:123456789012:group/web/ABC123"


def holds(operator: str, key: str, value: Any, context: dict[str, Any]) -> bool:
    """Does a single-condition Allow statement let xray:GetGroup through?"""
    policy = Policy.from_json(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "xray:*",
                    "Resource": "*",
                    "Condition": {operator: {key: value}},
                }
            ],
        }
    )
    return evaluate([policy], Request("xray:GetGroup", GROUP, context)).allowed


@pytest.mark.parametrize(
    ("operator", "policy_value", "request_value", "expected"),
    [
        ("StringEquals", "prod", "prod", True),
        ("StringEquals", "prod", "Prod", False),
        ("StringEquals", ["dev", "prod"], "prod", True),
        ("StringEquals", "pro*", "prod", False),  # no wildcards outside Like
        ("StringEquals", "pro*", "pro*", True),
        ("StringEquals", "", "", True),
        ("StringNotEquals", "prod", "dev", True),
        ("StringNotEquals", "prod", "prod", False),
        ("StringEqualsIgnoreCase", "PROD", "prod", True),
        ("StringEqualsIgnoreCase", "ÉTÉ", "été", True),
        ("StringEqualsIgnoreCase", "prod", "preprod", False),
        ("StringNotEqualsIgnoreCase", "PROD", "prod", False),
        ("StringNotEqualsIgnoreCase", "PROD", "dev", True),
        ("StringLike", "prod-*", "prod-eu", True),
        ("StringLike", "prod-*", "prod-", True),
        ("StringLike", "prod-*", "Prod-eu", False),  # Like is case-sensitive
        ("StringLike", "prod-?", "prod-1", True),
        ("StringLike", "prod-?", "prod-12", False),
        ("StringLike", "prod-?", "prod-", False),
        ("StringLike", "*", "", True),
        ("StringLike", "a.c", "abc", False),  # regex characters are literal
        ("StringLike", "a[b]c", "a[b]c", True),
        ("StringLike", "*/team/*", "x/team/y/z", True),
        ("StringNotLike", "prod-*", "dev", True),
        ("StringNotLike", "prod-*", "prod-eu", False),
    ],
)
def test_string_operators(operator: str, policy_value: Any, request_value: str, expected: bool) -> None:
    assert (
        holds(operator, "aws:RequestTag/stage", policy_value, {"aws:RequestTag/stage": request_value})
        is expected
    )


@pytest.mark.parametrize(
    ("operator", "policy_value", "request_value", "expected"),
    [
        ("NumericEquals", "10", "10", True),
        ("NumericEquals", "10", "10.0", True),
        ("NumericEquals", "1e1", "10", False),  # no exponent: IAM documents integers and decimals only
        ("NumericEquals", 10, "10", True),  # a JSON number in the policy
        ("NumericEquals", "-2.5", "-2.50", True),
        ("NumericEquals", ".5", "0.5", True),
        ("NumericEquals", "10", "11", False),
        ("NumericNotEquals", "10", "11", True),
        ("NumericNotEquals", "10", "10", False),
        ("NumericNotEquals", ["10", "11"], "11", False),  # NOR over the values
        ("NumericLessThan", "10", "9", True),
        ("NumericLessThan", "10", "10", False),
        ("NumericLessThanEquals", "10", "10", True),
        ("NumericLessThanEquals", "10", "10.5", False),
        ("NumericGreaterThan", "10", "10.01", True),
        ("NumericGreaterThan", "10", "10", False),
        ("NumericGreaterThanEquals", "10", "10", True),
        ("NumericGreaterThanEquals", "10", "-11", False),
        ("NumericEquals", "ten", "10", False),  # a bad policy value matches nothing
        ("NumericEquals", "10", "ten", False),  # a bad request value fails the condition
        ("NumericNotEquals", "10", "ten", False),  # whatever the operator
        ("NumericEquals", "10", "0x0a", False),
        ("NumericEquals", "NaN", "NaN", False),
    ],
)
def test_numeric_operators(operator: str, policy_value: Any, request_value: str, expected: bool) -> None:
    assert holds(operator, "s3:max-keys", policy_value, {"s3:max-keys": request_value}) is expected


@pytest.mark.parametrize(
    ("operator", "policy_value", "request_value", "expected"),
    [
        ("DateEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", True),
        ("DateEquals", "2020-01-01T00:00:00Z", "2020-01-01T01:00:00+01:00", True),  # same instant
        ("DateEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00-0100", False),
        ("DateEquals", "2020-01-01", "2020-01-01T00:00:00Z", True),  # a date is midnight UTC
        ("DateEquals", "2020-01-01T00:00Z", "2020-01-01T00:00:00Z", True),  # minutes precision
        ("DateEquals", "2020-01-01T00:00:00.500Z", "2020-01-01T00:00:00.5Z", True),
        ("DateEquals", "2020-01-01T00:00:00", "2020-01-01T00:00:00Z", True),  # no zone means UTC
        ("DateEquals", "1577836800", "2020-01-01T00:00:00Z", True),  # epoch seconds
        ("DateEquals", 1577836800, "2020-01-01T00:00:00Z", True),
        ("DateNotEquals", "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", True),
        ("DateNotEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", False),
        ("DateLessThan", "2020-01-01T00:00:00Z", "2019-12-31T23:59:59Z", True),
        ("DateLessThan", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", False),
        ("DateLessThanEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", True),
        ("DateGreaterThan", "2020-01-01T00:00:00Z", "2020-06-01T12:00:00Z", True),
        ("DateGreaterThan", "1577836800", "1577836801", True),
        ("DateGreaterThan", "2020-01-01T00:00:00Z", "2019-06-01T12:00:00Z", False),
        ("DateGreaterThanEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", True),
        ("DateGreaterThanEquals", "2020-01-01T00:00:00Z", "not a date", False),
        ("DateEquals", "2020-02-30T00:00:00Z", "2020-02-30T00:00:00Z", False),  # no such day
        ("DateEquals", "2020-01-01T00:00:00Z*", "2020-01-01T00:00:00Z", False),  # no wildcards
    ],
)
def test_date_operators(operator: str, policy_value: Any, request_value: str, expected: bool) -> None:
    assert holds(operator, "aws:CurrentTime", policy_value, {"aws:CurrentTime": request_value}) is expected


def test_date_operator_on_epoch_time_key() -> None:
    assert holds("DateLessThan", "aws:EpochTime", "2030-01-01T00:00:00Z", {"aws:EpochTime": "1577836800"})
    assert not holds(
        "DateGreaterThan", "aws:EpochTime", "2030-01-01T00:00:00Z", {"aws:EpochTime": 1577836800}
    )


@pytest.mark.parametrize(
    ("policy_value", "request_value", "expected"),
    [
        ("true", True, True),
        ("true", "true", True),
        ("TRUE", "true", True),
        (True, "true", True),
        ("false", False, True),
        ("false", "true", False),
        ("true", "yes", False),  # not a boolean: the condition fails
        ("yes", "true", False),
    ],
)
def test_bool(policy_value: Any, request_value: Any, expected: bool) -> None:
    assert (
        holds("Bool", "aws:SecureTransport", policy_value, {"aws:SecureTransport": request_value}) is expected
    )


@pytest.mark.parametrize(
    ("policy_value", "request_value", "expected"),
    [
        ("QmluYXJ5VmFsdWVJbkJhc2U2NA==", "QmluYXJ5VmFsdWVJbkJhc2U2NA==", True),
        ("QmluYXJ5VmFsdWVJbkJhc2U2NA==", "QmluYXJ5VmFsdWVJbkJhc2U2NQ==", False),
        ("QmluYXJ5VmFsdWVJbkJhc2U2NA==", "not base64!", False),
        ("not base64!", "not base64!", False),
    ],
)
def test_binary_equals(policy_value: str, request_value: str, expected: bool) -> None:
    assert holds("BinaryEquals", "ex:blob", policy_value, {"ex:blob": request_value}) is expected


@pytest.mark.parametrize(
    ("operator", "policy_value", "request_value", "expected"),
    [
        ("IpAddress", "203.0.113.0/24", "203.0.113.7", True),
        ("IpAddress", "203.0.113.0/24", "203.0.114.7", False),
        ("IpAddress", "203.0.113.7", "203.0.113.7", True),  # no prefix means /32
        ("IpAddress", "203.0.113.7", "203.0.113.8", False),
        ("IpAddress", "203.0.113.7/24", "203.0.113.200", True),  # host bits set still works
        ("IpAddress", "0.0.0.0/0", "198.51.100.1", True),
        ("IpAddress", "2001:DB8:1234:5678::/64", "2001:db8:1234:5678::1", True),
        ("IpAddress", "2001:DB8:1234:5678::/64", "2001:db8:1234:5679::1", False),
        ("IpAddress", "2001:db8::1", "2001:0db8:0000::0001", True),  # /128, any spelling
        ("IpAddress", "203.0.113.0/24", "2001:db8::1", False),  # IPv4 range, IPv6 caller
        ("IpAddress", ["10.0.0.0/8", "2001:db8::/32"], "2001:db8::5", True),
        ("IpAddress", "not-a-range", "203.0.113.7", False),
        ("IpAddress", "203.0.113.0/24", "not-an-ip", False),
        ("NotIpAddress", "10.0.0.0/8", "203.0.113.7", True),
        ("NotIpAddress", "10.0.0.0/8", "10.1.2.3", False),
        ("NotIpAddress", ["10.0.0.0/8", "203.0.113.0/24"], "203.0.113.7", False),
    ],
)
def test_ip_address(operator: str, policy_value: Any, request_value: str, expected: bool) -> None:
    assert holds(operator, "aws:SourceIp", policy_value, {"aws:SourceIp": request_value}) is expected


SNS = "arn:aws:sns:us-east-1:123456789012:topic-a"


@pytest.mark.parametrize(
    ("operator", "policy_value", "request_value", "expected"),
    [
        ("ArnLike", "arn:aws:sns:*:123456789012:topic-*", SNS, True),
        ("ArnEquals", "arn:aws:sns:*:123456789012:topic-*", SNS, True),  # identical to ArnLike
        ("ArnEquals", SNS, SNS, True),
        ("ArnLike", "arn:aws:sns:us-east-?:123456789012:topic-a", SNS, True),
        ("ArnLike", "arn:aws:sns:us-east-1:123456789012:Topic-a", SNS, False),  # case-sensitive
        ("ArnLike", "arn:aws:SNS:us-east-1:123456789012:topic-a", SNS, False),
        ("ArnLike", "arn:aws:sns:*", SNS, False),  # fewer than six components
        ("ArnLike", "*", SNS, True),
        ("ArnLike", "arn:aws:sns:*:*:*", "not-an-arn", False),
        ("ArnLike", "arn:aws:sns:*:*:*", "arn:aws:sns:us-east-1", False),
        # The User Guide's example: the first * stays inside the Region component.
        (
            "ArnLike",
            "arn:aws:someservice:*:111122223333:finance/*",
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
            False,
        ),
        (
            "StringLike",
            "arn:aws:someservice:*:111122223333:finance/*",
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
            True,
        ),
        (
            "ArnLike",
            "arn:aws:logs:*:*:log-group:*",
            "arn:aws:logs:us-east-1:1:log-group:a:log-stream:b",
            True,
        ),
        ("ArnNotLike", "arn:aws:sns:*:123456789012:*", "arn:aws:sns:us-east-1:999999999999:t", True),
        ("ArnNotLike", "arn:aws:sns:*:123456789012:*", SNS, False),
        ("ArnNotEquals", SNS, SNS, False),
    ],
)
def test_arn_operators(operator: str, policy_value: Any, request_value: str, expected: bool) -> None:
    assert holds(operator, "aws:SourceArn", policy_value, {"aws:SourceArn": request_value}) is expected


@pytest.mark.parametrize(
    ("policy_value", "context", "expected"),
    [
        ("true", {}, True),
        ("true", {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}, False),
        ("false", {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}, True),
        ("false", {}, False),
        (True, {}, True),
        ("TRUE", {}, True),
        ("maybe", {}, False),
        ("true", {"aws:TokenIssueTime": []}, True),  # an empty set counts as absent
        (["true", "false"], {}, True),
    ],
)
def test_null(policy_value: Any, context: dict[str, Any], expected: bool) -> None:
    assert holds("Null", "aws:TokenIssueTime", policy_value, context) is expected


def test_wrongly_cased_operator_never_holds() -> None:
    # IAM matches operator names exactly, so the condition cannot hold (nor deny).
    assert not holds("stringEquals", "aws:RequestTag/stage", "prod", {"aws:RequestTag/stage": "prod"})
    policy = Policy.from_json(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "xray:*",
                    "Resource": "*",
                    "Condition": {"stringEquals": {"aws:RequestTag/stage": "prod"}},
                }
            ],
        }
    )
    decision = evaluate([policy], Request("xray:GetGroup", GROUP, {"aws:RequestTag/stage": "prod"}))
    assert decision.statements[0].reason == (
        "condition stringEquals aws:RequestTag/stage: stringEquals is not a condition operator IAM "
        "accepts (IAM spells it StringEquals), so it never holds"
    )
    assert holds("StringNotEquals", "aws:RequestTag/stage", "prod", {"aws:RequestTag/stage": "dev"})
    assert not holds("stringNotEquals", "aws:RequestTag/stage", "prod", {"aws:RequestTag/stage": "dev"})
