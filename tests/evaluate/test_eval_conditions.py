"""Condition logic: missing keys, IfExists, set qualifiers, negation, AND/OR, key case."""

from __future__ import annotations

from typing import Any

import pytest

from xraybuilder.core.evaluate import Request, evaluate
from xraybuilder.core.policy.model import Policy

GROUP = "arn:aws:xray:eu-west-1:123456789012:group/web/ABC123"


def allow_with(condition: dict[str, Any]) -> Policy:
    return Policy.from_json(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "xray:*", "Resource": "*", "Condition": condition}],
        }
    )


def holds(condition: dict[str, Any], context: dict[str, Any]) -> bool:
    return evaluate([allow_with(condition)], Request("xray:GetGroup", GROUP, context)).allowed


STAGE = "aws:ResourceTag/stage"


@pytest.mark.parametrize(
    ("operator", "context", "expected"),
    [
        # A missing key: false for positive operators, true for negated ones.
        ("StringEquals", {}, False),
        ("StringLike", {}, False),
        ("NumericLessThan", {}, False),
        ("DateGreaterThan", {}, False),
        ("Bool", {}, False),
        ("IpAddress", {}, False),
        ("ArnLike", {}, False),
        ("BinaryEquals", {}, False),
        ("StringNotEquals", {}, True),
        ("StringNotEqualsIgnoreCase", {}, True),
        ("StringNotLike", {}, True),
        ("NumericNotEquals", {}, True),
        ("DateNotEquals", {}, True),
        ("NotIpAddress", {}, True),
        ("ArnNotEquals", {}, True),
        ("ArnNotLike", {}, True),
        # IfExists: a missing key is a match; a present key is checked as usual.
        ("StringEqualsIfExists", {}, True),
        ("StringEqualsIfExists", {STAGE: "prod"}, True),
        ("StringEqualsIfExists", {STAGE: "dev"}, False),
        ("StringNotEqualsIfExists", {}, True),
        ("StringNotEqualsIfExists", {STAGE: "prod"}, False),
        ("StringNotEqualsIfExists", {STAGE: "dev"}, True),
        ("StringLikeIfExists", {STAGE: "pr*"}, False),
    ],
)
def test_missing_keys_and_if_exists(operator: str, context: dict[str, Any], expected: bool) -> None:
    value = {"StringEquals": "prod"}.get(operator.removesuffix("IfExists"), "prod")
    assert holds({operator: {STAGE: value}}, context) is expected


def test_if_exists_on_other_families() -> None:
    assert holds({"NumericLessThanIfExists": {"s3:max-keys": "10"}}, {})
    assert not holds({"NumericLessThanIfExists": {"s3:max-keys": "10"}}, {"s3:max-keys": "11"})
    assert holds({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}, {})
    assert not holds(
        {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}, {"aws:MultiFactorAuthPresent": False}
    )
    assert holds({"IpAddressIfExists": {"aws:SourceIp": "10.0.0.0/8"}}, {})


TAGS = "aws:TagKeys"


@pytest.mark.parametrize(
    ("operator", "policy_values", "request_values", "expected"),
    [
        # ForAllValues: every request value must match a policy value; no key or an empty set is true.
        ("ForAllValues:StringEquals", ["stage", "team"], None, True),
        ("ForAllValues:StringEquals", ["stage", "team"], [], True),
        ("ForAllValues:StringEquals", ["stage", "team"], ["stage"], True),
        ("ForAllValues:StringEquals", ["stage", "team"], ["team", "stage"], True),
        ("ForAllValues:StringEquals", ["stage", "team"], ["stage", "owner"], False),
        ("ForAllValues:StringLike", ["key1*"], ["key1a", "key1b"], True),
        ("ForAllValues:StringLike", ["key1*"], ["key1a", "key2"], False),
        # ForAnyValue: at least one request value must match; no key or an empty set is false.
        ("ForAnyValue:StringEquals", ["stage", "team"], None, False),
        ("ForAnyValue:StringEquals", ["stage", "team"], [], False),
        ("ForAnyValue:StringEquals", ["stage", "team"], ["owner", "team"], True),
        ("ForAnyValue:StringEquals", ["stage", "team"], ["owner"], False),
        ("ForAnyValue:StringEqualsIgnoreCase", ["STAGE"], ["stage"], True),
        # Negated operators inside a qualifier are applied to each request value.
        ("ForAllValues:StringNotEquals", ["secret"], ["stage", "team"], True),
        ("ForAllValues:StringNotEquals", ["secret"], ["stage", "secret"], False),
        ("ForAllValues:StringNotEquals", ["secret"], None, True),
        ("ForAnyValue:StringNotEquals", ["secret"], ["stage", "secret"], True),
        ("ForAnyValue:StringNotEquals", ["secret"], ["secret"], False),
        ("ForAnyValue:StringNotEquals", ["secret"], None, False),
        # IfExists does not rescue ForAnyValue from a missing key or an empty set.
        ("ForAnyValue:StringEqualsIfExists", ["stage"], None, False),
        ("ForAnyValue:StringEqualsIfExists", ["stage"], [], False),
        ("ForAnyValue:StringEqualsIfExists", ["stage"], ["owner", "stage"], True),
        ("ForAnyValue:StringEqualsIfExists", ["stage"], ["owner"], False),
        ("ForAllValues:StringEqualsIfExists", ["stage"], None, True),
        ("ForAllValues:StringEqualsIfExists", ["stage"], ["owner"], False),
        # A qualifier on one value treats it as a one-element set.
        ("ForAnyValue:StringEquals", ["stage"], "stage", True),
        ("ForAllValues:StringEquals", ["stage"], "owner", False),
        # Without a qualifier a multivalued request value matches only when it holds one value.
        ("StringEquals", ["stage"], ["stage"], True),
        ("StringEquals", ["stage"], ["stage", "team"], False),
        ("StringNotEquals", ["secret"], ["stage", "team"], False),
        ("StringLike", ["*"], ["a", "b"], False),
    ],
)
def test_set_qualifiers(operator: str, policy_values: list[str], request_values: Any, expected: bool) -> None:
    context = {} if request_values is None else {TAGS: request_values}
    assert holds({operator: {TAGS: policy_values}}, context) is expected


@pytest.mark.parametrize(
    ("operator", "request_value", "expected"),
    [
        # Several values for one key: OR; for a negated operator NOT of that OR (NOR).
        ("StringEquals", "preprod", True),
        ("StringEquals", "prod", True),
        ("StringEquals", "dev", False),
        ("StringNotEquals", "preprod", False),
        ("StringNotEquals", "prod", False),
        ("StringNotEquals", "dev", True),
        ("StringNotLike", "prod", False),
        ("StringNotLike", "qa", True),
    ],
)
def test_several_values_or_and_nor(operator: str, request_value: str, expected: bool) -> None:
    assert holds({operator: {STAGE: ["preprod", "prod"]}}, {STAGE: request_value}) is expected


def test_several_keys_and_operators_all_must_hold() -> None:
    condition = {
        "StringEquals": {STAGE: "prod", "aws:ResourceTag/team": "a"},
        "Bool": {"aws:SecureTransport": "true"},
    }
    full = {STAGE: "prod", "aws:ResourceTag/team": "a", "aws:SecureTransport": True}
    assert holds(condition, full)
    for key in full:
        partial = {k: v for k, v in full.items() if k != key}
        assert not holds(condition, partial), key
    assert not holds(condition, {**full, "aws:SecureTransport": False})
    assert not holds(condition, {**full, "aws:ResourceTag/team": "b"})


def test_condition_keys_are_case_insensitive_values_are_not() -> None:
    assert holds({"StringEquals": {"AWS:RESOURCETAG/STAGE": "prod"}}, {"aws:ResourceTag/stage": "prod"})
    assert holds({"StringEquals": {"aws:resourcetag/stage": "prod"}}, {"aws:ResourceTag/Stage": "prod"})
    assert not holds({"StringEquals": {STAGE: "prod"}}, {STAGE: "Prod"})


def test_tag_keys_from_build_are_case_insensitive() -> None:
    policy = allow_with({"StringEquals": {"aws:RequestTag/stage": "prod"}})
    assert evaluate(
        [policy], Request.build("xray:CreateGroup", GROUP, request_tags={"Stage": "prod"})
    ).allowed
    assert not evaluate(
        [policy], Request.build("xray:CreateGroup", GROUP, request_tags={"stage": "PROD"})
    ).allowed


def test_unknown_operator_never_holds_and_is_noted() -> None:
    policy = allow_with({"StringEqualz": {STAGE: "prod"}})
    decision = evaluate([policy], Request("xray:GetGroup", GROUP, {STAGE: "prod"}))
    assert decision.outcome == "implicit_deny"
    assert "StringEqualz" in decision.statements[0].reason
    assert any("StringEqualz" in note for note in decision.notes)
    # A Deny with an unknown operator does not deny either.
    deny = Policy.from_json(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "xray:*", "Resource": "*"},
                {
                    "Effect": "Deny",
                    "Action": "xray:*",
                    "Resource": "*",
                    "Condition": {"NullIfExists": {STAGE: "true"}},
                },
            ],
        }
    )
    assert evaluate([deny], Request("xray:GetGroup", GROUP)).allowed


def test_empty_condition_value_list() -> None:
    assert not holds({"StringEquals": {STAGE: []}}, {STAGE: "prod"})
    assert holds({"StringNotEquals": {STAGE: []}}, {STAGE: "prod"})


@pytest.mark.parametrize(
    ("condition", "context", "reason"),
    [
        (
            {"StringEquals": {STAGE: "prod"}},
            {},
            "condition StringEquals aws:ResourceTag/stage: request has no such key",
        ),
        (
            {"StringEquals": {STAGE: ["preprod", "prod"]}},
            {STAGE: "dev"},
            "condition StringEquals aws:ResourceTag/stage: 'dev' does not equal any of 'preprod', 'prod'",
        ),
        (
            {"StringNotEquals": {STAGE: "prod"}},
            {STAGE: "prod"},
            "condition StringNotEquals aws:ResourceTag/stage: 'prod' equals 'prod', so StringNotEquals "
            "does not hold",
        ),
        (
            {"NumericLessThan": {"s3:max-keys": "10"}},
            {"s3:max-keys": "12"},
            "condition NumericLessThan s3:max-keys: '12' is not less than '10'",
        ),
        (
            {"NumericLessThan": {"s3:max-keys": "10"}},
            {"s3:max-keys": "many"},
            "condition NumericLessThan s3:max-keys: request value 'many' is not a number",
        ),
        (
            {"ForAnyValue:StringEquals": {TAGS: ["stage"]}},
            {},
            "condition ForAnyValue:StringEquals aws:TagKeys: request has no such key; ForAnyValue needs "
            "at least one value",
        ),
        (
            {"ForAllValues:StringEquals": {TAGS: ["stage"]}},
            {TAGS: ["stage", "owner"]},
            "condition ForAllValues:StringEquals aws:TagKeys: request value 'owner' does not equal 'stage'",
        ),
        (
            {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
            {"aws:SourceIp": "192.0.2.1"},
            "condition IpAddress aws:SourceIp: '192.0.2.1' is not in '10.0.0.0/8'",
        ),
        (
            {"Null": {STAGE: "false"}},
            {},
            "condition Null aws:ResourceTag/stage: request has no aws:ResourceTag/stage",
        ),
    ],
)
def test_reasons_say_why_a_condition_failed(
    condition: dict[str, Any], context: dict[str, Any], reason: str
) -> None:
    decision = evaluate([allow_with(condition)], Request("xray:GetGroup", GROUP, context))
    assert not decision.allowed
    assert decision.statements[0].reason == reason
