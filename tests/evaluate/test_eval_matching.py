"""Action/NotAction and Resource/NotResource matching, and the "*"-only action model."""

from __future__ import annotations

from typing import Any

import pytest

from xraybuilder.core.evaluate import Request, evaluate, request_resource
from xraybuilder.core.evaluate.match import action_matches, arn_like, resource_matches, split_arn
from xraybuilder.core.evaluate.variables import parse_template
from xraybuilder.core.policy.model import Policy

ACCOUNT = "123456789012"
GROUP = f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/local-users/ABC123"
RULE = f"arn:aws:xray:eu-west-1:{ACCOUNT}:sampling-rule/base-scorekeep"


def policy(*statements: dict[str, Any]) -> Policy:
    return Policy.from_json({"Version": "2012-10-17", "Statement": list(statements)})


def outcome(statements: list[dict[str, Any]], action: str, resource: str = "*") -> str:
    return evaluate([policy(*statements)], Request(action, resource)).outcome


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("xray:GetGroup", "xray:GetGroup", True),
        ("xray:getgroup", "xray:GetGroup", True),  # case-insensitive
        ("XRAY:GetGroup", "xray:GetGroup", True),
        ("xray:Get*", "xray:GetGroup", True),
        ("xray:Get*", "xray:BatchGetTraces", False),
        ("xray:*Group", "xray:GetGroup", True),
        ("xray:*Group", "xray:GetGroups", False),
        ("xray:?etGroup", "xray:GetGroup", True),
        ("xray:?GetGroup", "xray:GetGroup", False),
        ("xray:*", "xray:PutTraceSegments", True),
        ("*", "xray:PutTraceSegments", True),
        ("xr*:GetGroup", "xray:GetGroup", True),
        ("xray:GetGroup", "xray:GetGroups", False),
        ("xray:Get.roup", "xray:GetGroup", False),  # regex characters are literal
        ("s3:*", "xray:GetGroup", False),
    ],
)
def test_action_patterns(pattern: str, action: str, expected: bool) -> None:
    assert action_matches(pattern, action) is expected


@pytest.mark.parametrize(
    ("pattern", "resource", "expected"),
    [
        ("*", GROUP, True),
        ("*", "*", True),
        (f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/local-users/*", GROUP, True),
        (f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/other/*", GROUP, False),
        (f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/Local-users/*", GROUP, False),  # case-sensitive
        (f"arn:aws:XRAY:eu-west-1:{ACCOUNT}:group/local-users/*", GROUP, False),
        (GROUP, GROUP, True),
        (f"arn:aws:xray:*:{ACCOUNT}:group/*", GROUP, True),
        ("arn:aws:xray:*:999999999999:group/*", GROUP, False),
        ("arn:aws:xray:*:*:*", GROUP, True),
        ("arn:aws:xray:*:*:sampling-rule/*", GROUP, False),
        (f"arn:aws:xray:eu-west-?:{ACCOUNT}:group/*", GROUP, True),
        (f"arn:aws:xray:eu-west-?:{ACCOUNT}:group/*", GROUP.replace("eu-west-1", "eu-west-10"), False),
        (f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/*/ABC123", GROUP, True),  # * crosses / in the resource part
        (f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/local-users/ABC12?", GROUP, True),
        (f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/local-users/ABC12?", GROUP + "4", False),
        # A pattern that stops early: its trailing * expands over the remaining parts.
        ("arn:aws:xray:*", GROUP, True),
        ("arn:aws:*", GROUP, True),
        ("arn:*", GROUP, True),
        ("arn:aws:xray:eu-*", GROUP, True),
        ("arn:aws:s3:*", GROUP, False),
        (f"arn:aws:xray:eu-west-1:{ACCOUNT}", GROUP, False),  # short and no trailing *
        # Inside a full six-part pattern a * stays within its part.
        (
            f"arn:aws:xray:*:{ACCOUNT}:group/*",
            f"arn:aws:xray:eu-west-1:999999999999:group/x:{ACCOUNT}:group/y",
            False,
        ),
        ("arn:aws:xray:*:group/*", GROUP, False),  # the account part is missing
        ("arn:aws:logs:*:*:log-group:app:*", "arn:aws:logs:us-east-1:1:log-group:app:log-stream:s", True),
        (f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/*", "*", False),  # an ARN never matches "*"
        ("arn:aws:xray:*", "*", False),
    ],
)
def test_resource_patterns(pattern: str, resource: str, expected: bool) -> None:
    resolved = parse_template(pattern, variables=False, wildcards=True).pieces
    assert resource_matches(resolved, resource) is expected  # type: ignore[arg-type]


def test_arn_like_needs_six_components() -> None:
    resolved = parse_template("arn:aws:xray:*", variables=False, wildcards=True).pieces
    assert not arn_like(resolved, GROUP)  # type: ignore[arg-type]
    assert split_arn(GROUP) == ("arn", "aws", "xray", "eu-west-1", ACCOUNT, "group/local-users/ABC123")
    assert split_arn("arn:aws:xray") is None
    assert split_arn("urn:a:b:c:d:e") is None


ALLOW_ALL: dict[str, Any] = {"Effect": "Allow", "Action": "xray:*", "Resource": "*"}


@pytest.mark.parametrize(
    ("statement", "action", "expected"),
    [
        ({"Effect": "Allow", "NotAction": "xray:Delete*", "Resource": "*"}, "xray:GetGroup", "allowed"),
        (
            {"Effect": "Allow", "NotAction": "xray:Delete*", "Resource": "*"},
            "xray:DeleteGroup",
            "implicit_deny",
        ),
        (
            {"Effect": "Allow", "NotAction": ["xray:Delete*", "xray:Put*"], "Resource": "*"},
            "xray:PutEncryptionConfig",
            "implicit_deny",
        ),
        ({"Effect": "Allow", "NotAction": "xray:Delete*", "Resource": "*"}, "s3:GetObject", "allowed"),
    ],
)
def test_not_action(statement: dict[str, Any], action: str, expected: str) -> None:
    assert outcome([statement], action, GROUP if "Group" in action else "*") == expected


def test_deny_with_not_action_denies_everything_else() -> None:
    statements = [
        ALLOW_ALL,
        {"Effect": "Deny", "NotAction": ["xray:Get*", "xray:BatchGet*"], "Resource": "*"},
    ]
    assert outcome(statements, "xray:GetGroup", GROUP) == "allowed"
    assert outcome(statements, "xray:CreateGroup", GROUP) == "explicit_deny"


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        (f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/prod-web/ID", "implicit_deny"),
        (f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/dev-web/ID", "allowed"),
        (RULE, "allowed"),
    ],
)
def test_not_resource(resource: str, expected: str) -> None:
    statement = {
        "Effect": "Allow",
        "Action": "xray:*",
        "NotResource": f"arn:aws:xray:*:{ACCOUNT}:group/prod-*",
    }
    action = "xray:GetGroup" if "group" in resource else "xray:DeleteSamplingRule"
    assert outcome([statement], action, resource) == expected


@pytest.mark.parametrize(
    ("resource_element", "request_resource_arn", "expected"),
    [
        # PutTraceSegments takes "*" only: AWS checks it against "*", whatever ARN is named.
        ("*", "*", "allowed"),
        ("*", GROUP, "allowed"),
        (GROUP, GROUP, "implicit_deny"),
        (f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/*", GROUP, "implicit_deny"),
        ("arn:aws:xray:*", "*", "implicit_deny"),
        ("arn:*", "*", "implicit_deny"),
    ],
)
def test_star_only_actions_are_checked_against_star(
    resource_element: str, request_resource_arn: str, expected: str
) -> None:
    statement = {"Effect": "Allow", "Action": "xray:PutTraceSegments", "Resource": resource_element}
    assert outcome([statement], "xray:PutTraceSegments", request_resource_arn) == expected


def test_star_only_action_with_not_resource_and_group_deny() -> None:
    # A NotResource listing only ARNs covers "*"; a Deny scoped to a group never hits.
    statements = [
        {"Effect": "Allow", "Action": "xray:PutTraceSegments", "NotResource": GROUP},
        {"Effect": "Deny", "Action": "xray:*", "Resource": f"arn:aws:xray:*:{ACCOUNT}:group/*"},
    ]
    assert outcome(statements, "xray:PutTraceSegments", GROUP) == "allowed"
    assert outcome(statements, "xray:GetGroup", GROUP) == "explicit_deny"


def test_star_only_reason_and_note() -> None:
    decision = evaluate(
        [policy({"Effect": "Allow", "Action": "xray:PutTraceSegments", "Resource": GROUP})],
        Request("xray:PutTraceSegments", GROUP),
    )
    assert decision.resource == "*"
    assert 'takes only "*" as its resource' in decision.statements[0].reason
    assert any("does not support resource-level permissions" in n for n in decision.notes)


@pytest.mark.parametrize(
    ("action", "resource", "evaluated", "note"),
    [
        ("xray:PutTraceSegments", GROUP, "*", "does not support resource-level permissions"),
        ("xray:PutTraceSegments", "*", "*", None),
        ("xray:GetGroup", GROUP, GROUP, None),
        ("xray:GetGroup", "*", "*", "give the ARN"),
        ("xray:GetGroup", RULE, RULE, "is not a group ARN"),
        ("xray:CreateSamplingRule", RULE, RULE, None),
        ("xray:TagResource", RULE, RULE, None),
        ("xray:NoSuchAction", GROUP, GROUP, "not an action the catalog knows"),
        (
            "ec2:RunInstances",
            "arn:aws:ec2:us-east-1:1:instance/i-1",
            "arn:aws:ec2:us-east-1:1:instance/i-1",
            None,
        ),
    ],
)
def test_request_resource_model(action: str, resource: str, evaluated: str, note: str | None) -> None:
    got, _star_only, notes = request_resource(Request(action, resource))
    assert got == evaluated
    if note is None:
        assert notes == []
    else:
        assert any(note in n for n in notes), notes


def test_reasons_for_action_and_resource() -> None:
    decision = evaluate(
        [
            policy(
                {"Sid": "Reads", "Effect": "Allow", "Action": "xray:Get*", "Resource": RULE},
                {"Effect": "Allow", "Action": "xray:BatchGetTraces", "Resource": "*"},
            )
        ],
        Request("xray:GetGroup", GROUP),
    )
    first, second = decision.statements
    assert first.reason == f"resource {GROUP} does not match Resource"
    assert first.details[0] == "action xray:GetGroup is in Action (xray:Get*)"
    assert second.reason == "action xray:GetGroup is not in Action"
    assert first.sid == "Reads" and second.sid is None
