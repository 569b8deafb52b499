"""Condition operator names: parsing, canonical spelling, families and absent keys."""

from __future__ import annotations

from typing import Any

import pytest

from xraybuilder.core.conditions import (
    base_operators,
    canonical_operator,
    comparison_words,
    family_accepts_key_type,
    family_accepts_variables,
    is_null_if_exists,
    matches_when_absent,
    operator_for_key_type,
    parse_operator,
    parse_operator_ignoring_case,
    wording,
)


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("StringEquals", ("String", "StringEquals", False, None, False)),
        ("StringNotLikeIfExists", ("String", "StringNotLike", True, None, True)),
        ("ForAnyValue:StringEquals", ("String", "StringEquals", False, "ForAnyValue", False)),
        ("ForAllValues:ArnNotLikeIfExists", ("Arn", "ArnNotLike", True, "ForAllValues", True)),
        ("NotIpAddress", ("IpAddress", "NotIpAddress", False, None, True)),
        ("IpAddressIfExists", ("IpAddress", "IpAddress", True, None, False)),
        ("Null", ("Null", "Null", False, None, False)),
        ("ForAnyValue:Null", ("Null", "Null", False, "ForAnyValue", False)),
        ("BinaryEqualsIfExists", ("Binary", "BinaryEquals", True, None, False)),
        ("DateNotEquals", ("Date", "DateNotEquals", False, None, True)),
        ("NumericGreaterThanEqualsIfExists", ("Numeric", "NumericGreaterThanEquals", True, None, False)),
        ("Bool", ("Bool", "Bool", False, None, False)),
    ],
)
def test_parse_operator(name: str, parts: tuple[Any, ...]) -> None:
    op = parse_operator(name)
    assert op is not None
    assert (op.family, op.base, op.if_exists, op.set_qualifier, op.negated) == parts
    assert op.name == name
    assert op.canonical == name


@pytest.mark.parametrize(
    "name",
    [
        "stringequals",  # IAM: "Invalid Condition type : stringEquals"
        "forAnyValue:StringEquals",
        "StringEqualsifexists",
        "StringEqualz",
        "NullIfExists",
        "ForAllValues:NullIfExists",
        "ForSomeValues:StringEquals",
        "StringEquals:ForAnyValue",
        "ForAnyValue:ForAllValues:StringEquals",
        "IfExists",
        "ForAnyValue:",
        "",
        "StringLikeIgnoreCase",  # not an IAM operator
    ],
)
def test_parse_operator_rejects_what_iam_rejects(name: str) -> None:
    assert parse_operator(name) is None


@pytest.mark.parametrize(
    ("name", "right"),
    [
        ("stringequals", "StringEquals"),
        ("STRINGLIKE", "StringLike"),
        ("foranyvalue:stringlikeifexists", "ForAnyValue:StringLikeIfExists"),
        ("ipaddress", "IpAddress"),
        ("StringEquals", None),  # already right
        ("StringEqualz", None),  # not an operator in any case
        ("nullifexists", None),  # no such operator at all
    ],
)
def test_canonical_operator_names_case_slips_only(name: str, right: str | None) -> None:
    assert canonical_operator(name) == right


def test_parse_ignoring_case_keeps_the_text_as_written() -> None:
    op = parse_operator_ignoring_case("forallvalues:stringNotEquals")
    assert op is not None
    assert (op.name, op.canonical, op.negated) == (
        "forallvalues:stringNotEquals",
        "ForAllValues:StringNotEquals",
        True,
    )


def test_every_base_operator_parses_with_and_without_if_exists() -> None:
    names = base_operators()
    assert len(names) == 27
    for name in names:
        assert parse_operator(name) is not None
        assert (parse_operator(name + "IfExists") is None) == (name == "Null")
        assert parse_operator(f"ForAnyValue:{name}") is not None


@pytest.mark.parametrize(
    ("name", "positive"),
    [
        ("StringNotEquals", "StringEquals"),
        ("StringNotEqualsIgnoreCase", "StringEqualsIgnoreCase"),
        ("StringNotLike", "StringLike"),
        ("NumericNotEquals", "NumericEquals"),
        ("DateNotEquals", "DateEquals"),
        ("NotIpAddress", "IpAddress"),
        ("ArnNotEquals", "ArnEquals"),
        ("ArnNotLike", "ArnLike"),
        ("StringEquals", "StringEquals"),
    ],
)
def test_positive_twin(name: str, positive: str) -> None:
    op = parse_operator(name)
    assert op is not None and op.positive == positive


@pytest.mark.parametrize(
    ("name", "wildcards"),
    [
        ("StringLike", True),
        ("StringNotLike", True),
        ("ArnEquals", True),
        ("ArnLike", True),
        ("StringEquals", False),
        ("StringEqualsIgnoreCase", False),
        ("NumericEquals", False),
    ],
)
def test_which_operators_read_wildcards(name: str, wildcards: bool) -> None:
    op = parse_operator(name)
    assert op is not None and op.wildcards is wildcards


@pytest.mark.parametrize(
    ("family", "variables"),
    [
        ("String", True),
        ("Arn", True),
        ("Bool", True),
        ("Numeric", False),
        ("Date", False),
        ("Binary", False),
        ("IpAddress", False),
        ("Null", False),
    ],
)
def test_which_families_accept_policy_variables(family: str, variables: bool) -> None:
    assert family_accepts_variables(family) is variables


@pytest.mark.parametrize(
    ("family", "key_type", "accepted"),
    [
        ("String", "String", True),
        ("String", "ARN", True),  # String operators work on ARN keys
        ("String", "ArrayOfString", True),
        ("Arn", "ArrayOfARN", True),
        ("Arn", "String", False),
        ("String", "IPAddress", False),
        ("IpAddress", "IPAddress", True),
        ("Numeric", "Date", False),
        ("Date", "Date", True),
        ("Bool", "Bool", True),
        ("String", "Bool", False),
        ("Null", "Numeric", True),  # Null tests presence, whatever the type
        ("Numeric", "Long", True),  # a type the table does not know is not judged
    ],
)
def test_family_accepts_key_type(family: str, key_type: str, accepted: bool) -> None:
    assert family_accepts_key_type(family, key_type) is accepted


@pytest.mark.parametrize(
    ("key_type", "operator"),
    [
        ("IPAddress", "IpAddress"),
        ("ArrayOfString", "StringEquals"),
        ("ARN", "ArnLike"),
        ("Bool", "Bool"),
        ("Date", "DateEquals"),
        ("Numeric", "NumericEquals"),
        ("Long", None),
    ],
)
def test_operator_for_key_type(key_type: str, operator: str | None) -> None:
    assert operator_for_key_type(key_type) == operator


@pytest.mark.parametrize(
    ("name", "values", "result"),
    [
        ("StringEquals", (), False),
        ("StringNotEquals", (), True),  # negated operators hold on an absent key
        ("StringEqualsIfExists", (), True),
        ("ForAllValues:StringEquals", (), True),  # vacuously true on an empty set
        ("ForAnyValue:StringEquals", (), False),
        ("ForAnyValue:StringNotEquals", (), False),
        ("ForAnyValue:StringEqualsIfExists", (), False),  # IfExists does not rescue ForAnyValue
        ("NotIpAddress", (), True),
        ("Null", ("true",), True),
        ("Null", ("false",), False),
        ("Null", ("TRUE",), True),
    ],
)
def test_matches_when_absent(name: str, values: tuple[str, ...], result: bool) -> None:
    op = parse_operator(name)
    assert op is not None
    assert matches_when_absent(op, values) is result


@pytest.mark.parametrize(
    ("name", "answer"),
    [
        ("NullIfExists", True),
        ("nullifexists", True),
        ("ForAnyValue:NullIfExists", True),
        ("Null", False),
        ("StringEqualsIfExists", False),
    ],
)
def test_is_null_if_exists(name: str, answer: bool) -> None:
    assert is_null_if_exists(name) is answer


def test_every_operator_has_wording_and_every_positive_one_its_comparison_words() -> None:
    table = wording()["operators"]
    for base in base_operators():
        assert base in table, base
        op = parse_operator(base)
        assert op is not None
        if op.family == "Null":  # decided on presence, never by comparing values
            continue
        holds, fails = comparison_words(op.positive)
        assert holds and fails and holds != fails, base


def test_comparison_words_are_what_the_evaluator_says() -> None:
    from xraybuilder.core.evaluate import Request, evaluate
    from xraybuilder.core.policy.model import Policy

    statement = {
        "Effect": "Allow",
        "Action": "xray:GetGroup",
        "Resource": "*",
        "Condition": {"NumericGreaterThan": {"s3:max-keys": "10"}},
    }
    policy = Policy.from_json({"Version": "2012-10-17", "Statement": [statement]})
    decision = evaluate([policy], Request.build("xray:GetGroup", context={"s3:max-keys": "3"}))
    _holds, fails = comparison_words("NumericGreaterThan")
    assert f"'3' {fails} '10'" in decision.statements[0].reason
