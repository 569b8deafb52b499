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


@pytest.mark.parametrize(("context", "resource", "expected"), [
    ({"aws:username": "alice"}, f"{PREFIX}/alice/ID1", "allowed"),
    ({"aws:username": "alice"}, f"{PREFIX}/bob/ID1", "implicit_deny"),
    ({"AWS:USERNAME": "alice"}, f"{PREFIX}/alice/ID1", "allowed"),        # key case
    ({"aws:username": "Alice"}, f"{PREFIX}/alice/ID1", "implicit_deny"),  # value case
    ({}, f"{PREFIX}/alice/ID1", "implicit_deny"),                        # no such key
    ({}, f"{PREFIX}/${{aws:username}}/ID1", "implicit_deny"),
    ({"aws:username": "a*"}, f"{PREFIX}/abc/ID1", "implicit_deny"),      # values are literal
    ({"aws:username": "a*"}, f"{PREFIX}/a*/ID1", "allowed"),
    ({"aws:username": ["alice"]}, f"{PREFIX}/alice/ID1", "implicit_deny"),  # multivalued: unusable
])
def test_variable_in_resource(context: dict[str, Any], resource: str, expected: str) -> None:
    assert decide(OWN_GROUPS, Request("xray:GetGroup", resource, context)) == expected


def test_missing_variable_is_explained() -> None:
    decision = evaluate([Policy.from_json({"Version": "2012-10-17", "Statement": [OWN_GROUPS]})],
                        Request("xray:GetGroup", f"{PREFIX}/alice/ID1"))
    assert "${aws:username} needs aws:username, which the request does not have" in \
        decision.statements[0].reason


@pytest.mark.parametrize(("version", "resource", "expected"), [
    ("2008-10-17", f"{PREFIX}/alice/ID1", "implicit_deny"),
    ("2008-10-17", f"{PREFIX}/${{aws:username}}/ID1", "allowed"),   # literal text
    (None, f"{PREFIX}/alice/ID1", "implicit_deny"),
    (None, f"{PREFIX}/${{aws:username}}/ID1", "allowed"),
    ("2012-10-17", f"{PREFIX}/alice/ID1", "allowed"),
])
def test_old_or_missing_version_keeps_variables_literal(version: str | None, resource: str,
                                                        expected: str) -> None:
    request = Request("xray:GetGroup", resource, {"aws:username": "alice"})
    assert decide(OWN_GROUPS, request, version) == expected


def test_literal_variables_are_noted() -> None:
    old = Policy.from_json({"Version": "2008-10-17", "Statement": [OWN_GROUPS]})
    decision = evaluate([("old.json", old)],
                        Request("xray:GetGroup", f"{PREFIX}/alice/ID1", {"aws:username": "alice"}))
    assert any(note.startswith("old.json Statement[0]: Version is 2008-10-17") for note in decision.notes)


@pytest.mark.parametrize(("resource_element", "context", "resource", "expected"), [
    (f"{PREFIX}/${{aws:username, 'anonymous'}}/*", {}, f"{PREFIX}/anonymous/ID", "allowed"),
    (f"{PREFIX}/${{aws:username, 'anonymous'}}/*", {"aws:username": "bob"}, f"{PREFIX}/bob/ID", "allowed"),
    (f"{PREFIX}/${{aws:username, 'anonymous'}}/*", {"aws:username": "bob"}, f"{PREFIX}/anonymous/ID",
     "implicit_deny"),
    (f"{PREFIX}/${{aws:username,'anon'}}/*", {}, f"{PREFIX}/anon/ID", "allowed"),
    (f"{PREFIX}/${{aws:username, anonymous}}/*", {}, f"{PREFIX}/anonymous/ID", "implicit_deny"),
    (f"{PREFIX}/${{}}/*", {}, f"{PREFIX}/ID/x", "implicit_deny"),
    (f"{PREFIX}/${{aws:PrincipalTag/team}}-*", {"aws:PrincipalTag/Team": "web"}, f"{PREFIX}/web-1/ID",
     "allowed"),
    (f"{PREFIX}/${{aws:userid}}/*", {"aws:userid": "AIDAEXAMPLE"}, f"{PREFIX}/AIDAEXAMPLE/ID", "allowed"),
    (f"{PREFIX}/team-${{*}}/*", {}, f"{PREFIX}/team-*/ID", "allowed"),     # ${*} is a literal *
    (f"{PREFIX}/team-${{*}}/*", {}, f"{PREFIX}/team-web/ID", "implicit_deny"),
    (f"{PREFIX}/team${{?}}/*", {}, f"{PREFIX}/team?/ID", "allowed"),
    (f"{PREFIX}/team${{?}}/*", {}, f"{PREFIX}/teamX/ID", "implicit_deny"),
    (f"{PREFIX}/${{$}}{{x}}/*", {}, f"{PREFIX}/${{x}}/ID", "allowed"),      # ${$} is a literal $
    (f"{PREFIX}/${{aws:username/*", {}, f"{PREFIX}/${{aws:username/x", "allowed"),  # no closing brace
])
def test_defaults_and_escapes(resource_element: str, context: dict[str, Any], resource: str,
                              expected: str) -> None:
    statement = {"Effect": "Allow", "Action": "xray:GetGroup", "Resource": resource_element}
    assert decide(statement, Request("xray:GetGroup", resource, context)) == expected


TEAM_MATCH = {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}


@pytest.mark.parametrize(("condition", "context", "expected"), [
    (TEAM_MATCH, {"aws:PrincipalTag/team": "a", "aws:ResourceTag/team": "a"}, "allowed"),
    (TEAM_MATCH, {"aws:PrincipalTag/team": "a", "aws:ResourceTag/team": "b"}, "implicit_deny"),
    (TEAM_MATCH, {"aws:ResourceTag/team": "a"}, "implicit_deny"),
    ({"StringLike": {"aws:ResourceTag/owner": "${aws:username}-*"}},
     {"aws:username": "alice", "aws:ResourceTag/owner": "alice-1"}, "allowed"),
    ({"StringEqualsIgnoreCase": {"aws:ResourceTag/owner": "${aws:username}"}},
     {"aws:username": "alice", "aws:ResourceTag/owner": "ALICE"}, "allowed"),
    ({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:${aws:username}"}},
     {"aws:username": "alice", "aws:SourceArn": "arn:aws:sns:us-east-1:1:alice"}, "allowed"),
    ({"ArnEquals": {"aws:SourceArn": "${aws:PrincipalArn}"}},
     {"aws:PrincipalArn": "arn:aws:iam::1:role/r", "aws:SourceArn": "arn:aws:iam::1:role/r"}, "allowed"),
    ({"Bool": {"aws:SecureTransport": "${ex:flag}"}},
     {"ex:flag": "true", "aws:SecureTransport": True}, "allowed"),
    # Numeric, Date, IP, Binary and Null take no variables: the text stays literal.
    ({"NumericEquals": {"s3:max-keys": "${ex:limit}"}}, {"ex:limit": "5", "s3:max-keys": "5"},
     "implicit_deny"),
    ({"IpAddress": {"aws:SourceIp": "${ex:net}"}},
     {"ex:net": "10.0.0.0/8", "aws:SourceIp": "10.1.1.1"}, "implicit_deny"),
    # An unresolvable value drops out of the comparison; for a negated operator the
    # remaining values decide.
    ({"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
     {"aws:ResourceTag/team": "a"}, "allowed"),
    ({"StringEquals": {"aws:ResourceTag/team": ["${aws:PrincipalTag/team}", "shared"]}},
     {"aws:ResourceTag/team": "shared"}, "allowed"),
])
def test_variables_in_conditions(condition: dict[str, Any], context: dict[str, Any], expected: str) -> None:
    statement = {"Effect": "Allow", "Action": "xray:*", "Resource": "*", "Condition": condition}
    assert decide(statement, Request("xray:GetGroup", f"{PREFIX}/web/ID", context)) == expected


def test_condition_variables_literal_under_2008() -> None:
    statement = {"Effect": "Allow", "Action": "xray:*", "Resource": "*", "Condition": TEAM_MATCH}
    context = {"aws:PrincipalTag/team": "a", "aws:ResourceTag/team": "a"}
    assert decide(statement, Request("xray:GetGroup", f"{PREFIX}/web/ID", context), "2008-10-17") == \
        "implicit_deny"
    literal = {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}
    assert decide(statement, Request("xray:GetGroup", f"{PREFIX}/web/ID", literal), "2008-10-17") == \
        "allowed"


def test_template_pieces() -> None:
    template = parse_template("a*${aws:username, 'x''y'}?${*}", variables=True, wildcards=True)
    assert template.pieces == ("a", STAR, Variable("${aws:username, 'x''y'}", "aws:username", "x'y"),
                               QMARK, "*")
    assert resolve(template, lambda key: None) == ("a", STAR, "x'y", QMARK, "*")
    assert resolve(template, {"aws:username": "u"}.get) == ("a", STAR, "u", QMARK, "*")
    with pytest.raises(Unresolved, match="no key"):
        resolve(parse_template("${ }", variables=True, wildcards=False), lambda key: "v")
    # Without live variables the text is kept as written.
    assert parse_template("${aws:username}", variables=False, wildcards=False).pieces == ("${aws:username}",)
