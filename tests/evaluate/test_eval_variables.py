"""Policy variables: substitution, defaults, escapes, missing keys, and Version 2008-10-17."""

from __future__ import annotations

from typing import Any

import pytest

from xraybuilder.core.evaluate import Request, evaluate
from xraybuilder.core.evaluate.variables import (
    QMARK,
    STAR,
    Unresolved,
    Variable,
    parse_template,
    resolve,
)
from xraybuilder.core.policy.model import Policy

PREFIX = "arn:aws:xray:eu-west-1:123456789012:group"


def decide(statement: dict[str, Any], request: Request, version: str | None = "2012-10-17") -> str:
    doc: dict[str, Any] = {"Statement": [statement]}
    if version is not None:
        doc["Version"] = version
    return evaluate([Policy.from_json(doc)], request).outcome


OWN_GROUPS = {"Effect": "Allow", "Action": "xray:GetGroup", "Resource": f"{PREFIX}/${{aws:username}}/*"}


@pytest.mark.parametrize(
    ("context", "resource", "expected"),
    [
        ({"aws:username": "alice"}, f"{PREFIX}/alice/ID1", "allowed"),
        ({"aws:username": "alice"}, f"{PREFIX}/bob/ID1", "implicit_deny"),
        ({"AWS:USERNAME": "alice"}, f"{PREFIX}/alice/ID1", "allowed"),  # key case
        ({"aws:username": "Alice"}, f"{PREFIX}/alice/ID1", "implicit_deny"),  # value case
        ({}, f"{PREFIX}/alice/ID1", "implicit_deny"),  # no such key
        ({}, f"{PREFIX}/${{aws:username}}/ID1", "implicit_deny"),
        ({"aws:username": "a*"}, f"{PREFIX}/abc/ID1", "implicit_deny"),  # values are literal
        ({"aws:username": "a*"}, f"{PREFIX}/a*/ID1", "allowed"),
        ({"aws:username": ["alice"]}, f"{PREFIX}/alice/ID1", "implicit_deny"),  # multivalued: unusable
    ],
)
def test_variable_in_resource(context: dict[str, Any], resource: str, expected: str) -> None:
    assert decide(OWN_GROUPS, Request("xray:GetGroup", resource, context)) == expected


def test_missing_variable_is_explained() -> None:
    decision = evaluate(
        [Policy.from_json({"Version": "2012-10-17", "Statement": [OWN_GROUPS]})],
        Request("xray:GetGroup", f"{PREFIX}/alice/ID1"),
    )
    assert decision.statements[0].reason == (
        "${aws:username} needs aws:username, which the request "
        "does not have, so IAM treats the statement as invalid"
    )


@pytest.mark.parametrize(
    ("version", "resource", "expected"),
    [
        ("2008-10-17", f"{PREFIX}/alice/ID1", "implicit_deny"),
        ("2008-10-17", f"{PREFIX}/${{aws:username}}/ID1", "allowed"),  # literal text
        (None, f"{PREFIX}/alice/ID1", "implicit_deny"),
        (None, f"{PREFIX}/${{aws:username}}/ID1", "allowed"),
        ("2012-10-17", f"{PREFIX}/alice/ID1", "allowed"),
    ],
)
def test_old_or_missing_version_keeps_variables_literal(
    version: str | None, resource: str, expected: str
) -> None:
    request = Request("xray:GetGroup", resource, {"aws:username": "alice"})
    assert decide(OWN_GROUPS, request, version) == expected


def test_literal_variables_are_noted() -> None:
    old = Policy.from_json({"Version": "2008-10-17", "Statement": [OWN_GROUPS]})
    decision = evaluate(
        [("old.json", old)], Request("xray:GetGroup", f"{PREFIX}/alice/ID1", {"aws:username": "alice"})
    )
    assert any(note.startswith("old.json Statement[0]: Version is 2008-10-17") for note in decision.notes)


@pytest.mark.parametrize(
    ("resource_element", "context", "resource", "expected"),
    [
        (f"{PREFIX}/${{aws:username, 'anonymous'}}/*", {}, f"{PREFIX}/anonymous/ID", "allowed"),
        (
            f"{PREFIX}/${{aws:username, 'anonymous'}}/*",
            {"aws:username": "bob"},
            f"{PREFIX}/bob/ID",
            "allowed",
        ),
        (
            f"{PREFIX}/${{aws:username, 'anonymous'}}/*",
            {"aws:username": "bob"},
            f"{PREFIX}/anonymous/ID",
            "implicit_deny",
        ),
        (f"{PREFIX}/${{aws:username,'anon'}}/*", {}, f"{PREFIX}/anon/ID", "allowed"),
        (f"{PREFIX}/${{aws:username, anonymous}}/*", {}, f"{PREFIX}/anonymous/ID", "implicit_deny"),
        (f"{PREFIX}/${{}}/*", {}, f"{PREFIX}/ID/x", "implicit_deny"),
        (
            f"{PREFIX}/${{aws:PrincipalTag/team}}-*",
            {"aws:PrincipalTag/Team": "web"},
            f"{PREFIX}/web-1/ID",
            "allowed",
        ),
        (f"{PREFIX}/${{aws:userid}}/*", {"aws:userid": "AIDAEXAMPLE"}, f"{PREFIX}/AIDAEXAMPLE/ID", "allowed"),
        (f"{PREFIX}/team-${{*}}/*", {}, f"{PREFIX}/team-*/ID", "allowed"),  # ${*} is a literal *
        (f"{PREFIX}/team-${{*}}/*", {}, f"{PREFIX}/team-web/ID", "implicit_deny"),
        (f"{PREFIX}/team${{?}}/*", {}, f"{PREFIX}/team?/ID", "allowed"),
        (f"{PREFIX}/team${{?}}/*", {}, f"{PREFIX}/teamX/ID", "implicit_deny"),
        (f"{PREFIX}/${{$}}{{x}}/*", {}, f"{PREFIX}/${{x}}/ID", "allowed"),  # ${$} is a literal $
        (f"{PREFIX}/${{aws:username/*", {}, f"{PREFIX}/${{aws:username/x", "allowed"),  # no closing brace
    ],
)
def test_defaults_and_escapes(
    resource_element: str, context: dict[str, Any], resource: str, expected: str
) -> None:
    statement = {"Effect": "Allow", "Action": "xray:GetGroup", "Resource": resource_element}
    assert decide(statement, Request("xray:GetGroup", resource, context)) == expected


TEAM_MATCH = {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}


@pytest.mark.parametrize(
    ("condition", "context", "expected"),
    [
        (TEAM_MATCH, {"aws:PrincipalTag/team": "a", "aws:ResourceTag/team": "a"}, "allowed"),
        (TEAM_MATCH, {"aws:PrincipalTag/team": "a", "aws:ResourceTag/team": "b"}, "implicit_deny"),
        (TEAM_MATCH, {"aws:ResourceTag/team": "a"}, "implicit_deny"),
        (
            {"StringLike": {"aws:ResourceTag/owner": "${aws:username}-*"}},
            {"aws:username": "alice", "aws:ResourceTag/owner": "alice-1"},
            "allowed",
        ),
        (
            {"StringEqualsIgnoreCase": {"aws:ResourceTag/owner": "${aws:username}"}},
            {"aws:username": "alice", "aws:ResourceTag/owner": "ALICE"},
            "allowed",
        ),
        (
            {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:${aws:username}"}},
            {"aws:username": "alice", "aws:SourceArn": "arn:aws:sns:us-east-1:1:alice"},
            "allowed",
        ),
        (
            {"ArnEquals": {"aws:SourceArn": "${aws:PrincipalArn}"}},
            {"aws:PrincipalArn": "arn:aws:iam::1:role/r", "aws:SourceArn": "arn:aws:iam::1:role/r"},
            "allowed",
        ),
        (
            {"Bool": {"aws:SecureTransport": "${ex:flag}"}},
            {"ex:flag": "true", "aws:SecureTransport": True},
            "allowed",
        ),
        # Numeric, Date, IP, Binary and Null take no variables: the text stays literal.
        (
            {"NumericEquals": {"s3:max-keys": "${ex:limit}"}},
            {"ex:limit": "5", "s3:max-keys": "5"},
            "implicit_deny",
        ),
        (
            {"IpAddress": {"aws:SourceIp": "${ex:net}"}},
            {"ex:net": "10.0.0.0/8", "aws:SourceIp": "10.1.1.1"},
            "implicit_deny",
        ),
        # A variable the request cannot fill makes the statement invalid, whatever the
        # operator, the other values or whether the key is there.
        (
            {"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
            {"aws:ResourceTag/team": "a"},
            "implicit_deny",
        ),
        ({"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}, {}, "implicit_deny"),
        (
            {"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
            {"aws:ResourceTag/team": "a", "aws:PrincipalTag/team": "b"},
            "allowed",
        ),
        (
            {"StringNotEquals": {"aws:ResourceTag/team": ["${aws:PrincipalTag/team}", "b"]}},
            {"aws:ResourceTag/team": "c"},
            "implicit_deny",
        ),
        (
            {"ForAllValues:StringNotLike": {"aws:TagKeys": "${aws:PrincipalTag/team}-*"}},
            {"aws:TagKeys": ["x"]},
            "implicit_deny",
        ),
        (
            {"StringEquals": {"aws:ResourceTag/team": ["${aws:PrincipalTag/team}", "shared"]}},
            {"aws:ResourceTag/team": "shared"},
            "implicit_deny",
        ),
        ({"StringEqualsIfExists": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}, {}, "implicit_deny"),
        (
            {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team, 'shared'}"}},
            {"aws:ResourceTag/team": "shared"},
            "allowed",
        ),
    ],
)
def test_variables_in_conditions(condition: dict[str, Any], context: dict[str, Any], expected: str) -> None:
    statement = {"Effect": "Allow", "Action": "xray:*", "Resource": "*", "Condition": condition}
    assert decide(statement, Request("xray:GetGroup", f"{PREFIX}/web/ID", context)) == expected


@pytest.mark.parametrize(
    ("context", "resource", "expected"),
    [
        ({"aws:username": "alice"}, f"{PREFIX}/alice/ID", "implicit_deny"),
        ({"aws:username": "alice"}, f"{PREFIX}/bob/ID", "allowed"),
        # Without aws:username the statement is invalid, even for an ARN the entry could
        # never match (another account or partition).
        ({}, f"{PREFIX}/bob/ID", "implicit_deny"),
        ({}, "arn:aws:xray:eu-west-1:999999999999:group/bob/ID", "implicit_deny"),
        ({}, "arn:aws-cn:xray:cn-north-1:123456789012:group/bob/ID", "implicit_deny"),
    ],
)
def test_variable_in_not_resource(context: dict[str, Any], resource: str, expected: str) -> None:
    statement = {"Effect": "Allow", "Action": "xray:GetGroup", "NotResource": f"{PREFIX}/${{aws:username}}/*"}
    assert decide(statement, Request("xray:GetGroup", resource, context)) == expected


def test_one_unfillable_variable_invalidates_the_whole_statement() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "xray:GetGroup",
        "Resource": [f"{PREFIX}/${{aws:username}}/*", f"{PREFIX}/shared/*"],
    }
    assert decide(statement, Request("xray:GetGroup", f"{PREFIX}/shared/ID")) == "implicit_deny"
    with_user = Request("xray:GetGroup", f"{PREFIX}/shared/ID", {"aws:username": "alice"})
    assert decide(statement, with_user) == "allowed"
    # An invalid Deny denies nothing.
    deny = Policy.from_json(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "xray:*", "Resource": "*"},
                {
                    "Effect": "Deny",
                    "Action": "xray:*",
                    "Resource": "*",
                    "Condition": {"StringNotEquals": {"aws:ResourceTag/owner": "${aws:username}"}},
                },
            ],
        }
    )
    request = Request("xray:GetGroup", f"{PREFIX}/shared/ID", {"aws:ResourceTag/owner": "alice"})
    decision = evaluate([deny], request)
    assert decision.outcome == "allowed"
    assert decision.statements[1].reason == (
        "${aws:username} needs aws:username, which the request "
        "does not have, so IAM treats the statement as invalid"
    )


def test_condition_variables_literal_under_2008() -> None:
    statement = {"Effect": "Allow", "Action": "xray:*", "Resource": "*", "Condition": TEAM_MATCH}
    context = {"aws:PrincipalTag/team": "a", "aws:ResourceTag/team": "a"}
    assert (
        decide(statement, Request("xray:GetGroup", f"{PREFIX}/web/ID", context), "2008-10-17")
        == "implicit_deny"
    )
    literal = {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}
    assert decide(statement, Request("xray:GetGroup", f"{PREFIX}/web/ID", literal), "2008-10-17") == "allowed"


def test_template_pieces() -> None:
    template = parse_template("a*${aws:username, 'x''y'}?${*}", variables=True, wildcards=True)
    assert template.pieces == (
        "a",
        STAR,
        Variable("${aws:username, 'x''y'}", "aws:username", "x'y"),
        QMARK,
        "*",
    )
    assert resolve(template, lambda key: None) == ("a", STAR, "x'y", QMARK, "*")
    assert resolve(template, {"aws:username": "u"}.get) == ("a", STAR, "u", QMARK, "*")
    with pytest.raises(Unresolved, match="no key"):
        resolve(parse_template("${ }", variables=True, wildcards=False), lambda key: "v")
    # Without live variables the text is kept as written.
    assert parse_template("${aws:username}", variables=False, wildcards=False).pieces == ("${aws:username}",)
