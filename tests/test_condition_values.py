"""One grammar for condition values: the linter flags exactly what the evaluator cannot read."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from xraybuilder.core.condition_values import (
    parse_binary,
    parse_bool,
    parse_date,
    parse_network,
    parse_number,
)
from xraybuilder.core.evaluate import Request, evaluate
from xraybuilder.core.lint import lint
from xraybuilder.core.policy.model import Policy


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10", Decimal(10)),
        ("-2.5", Decimal("-2.5")),
        ("+3", Decimal(3)),
        (".5", Decimal("0.5")),
        ("1e3", None),
        (" 7 ", None),
        ("ten", None),
        ("1,000", None),
        ("", None),
    ],
)
def test_numbers(text: str, value: Decimal | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2027-01-01", datetime(2027, 1, 1, tzinfo=UTC)),
        ("2027-03", datetime(2027, 3, 1, tzinfo=UTC)),  # W3C year-month
        ("2027-01-01T12:30:05Z", datetime(2027, 1, 1, 12, 30, 5, tzinfo=UTC)),
        ("2027-01-01T12:30+02:00", datetime(2027, 1, 1, 10, 30, tzinfo=UTC)),
        ("1798761600", datetime(2027, 1, 1, tzinfo=UTC)),  # epoch seconds
        ("2027-13-01", None),
        ("2027-01-01T25:00Z", None),
        ("2027-01-01T10:00+24:00", None),
        ("yesterday", None),
        ("01/02/2027", None),
    ],
)
def test_dates(text: str, value: datetime | None) -> None:
    assert parse_date(text) == value


def test_bools_binary_and_networks() -> None:
    assert (parse_bool("TRUE"), parse_bool("false"), parse_bool("yes")) == (True, False, None)
    assert parse_binary("QmluYXJ5") == b"Binary" and parse_binary("not base64!") is None
    assert str(parse_network("203.0.113.7/24")) == "203.0.113.0/24"
    assert str(parse_network("2001:db8::/32")) == "2001:db8::/32"
    assert parse_network("10.0.0.0/255.0.0.0") is None  # IAM wants a prefix length
    assert parse_network("999.1.1.1") is None


def _policy(operator: str, key: str, value: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "xray:GetGroups",
                    "Resource": "*",
                    "Condition": {operator: {key: value}},
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("operator", "key", "request_value", "code", "parse", "values"),
    [
        (
            "NumericLessThan",
            "aws:MultiFactorAuthAge",
            "1",
            "TYPE_MISMATCH_NUMBER",
            parse_number,
            ["3600", "1e3", "+5", "ten", "1,000", "3600s"],
        ),
        (
            "DateLessThan",
            "aws:CurrentTime",
            "2020-01-01T00:00:00Z",
            "TYPE_MISMATCH_DATE",
            parse_date,
            ["2027-01-01", "2027-03", "1798761600", "2027-13-01", "soon", "2027-01-01T25:00Z"],
        ),
        (
            "IpAddress",
            "aws:SourceIp",
            "203.0.113.9",
            "TYPE_MISMATCH_IP_RANGE",
            parse_network,
            ["203.0.113.0/24", "203.0.113.9", "10.0.0.0/255.0.0.0", "999.1.1.1"],
        ),
    ],
)
def test_linter_flags_exactly_what_the_evaluator_cannot_read(
    operator: str, key: str, request_value: str, code: str, parse: Callable[[str], object], values: list[str]
) -> None:
    # Every readable value here is chosen so that the request satisfies the condition.
    for value in values:
        text = _policy(operator, key, value)
        flagged = any(f.code == code for f in lint(text))
        decision = evaluate([Policy.from_text(text)], Request("xray:GetGroups", context={key: request_value}))
        readable = parse(value) is not None
        assert flagged is not readable, value
        assert decision.allowed is readable, value
