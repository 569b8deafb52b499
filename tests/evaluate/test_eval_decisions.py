"""Whole decisions: Deny over Allow across policies, the X-Ray guide's examples, the AWS
managed policies, the request context, and the Decision's own shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from xraybuilder.core.evaluate import Request, compile_policy, evaluate, render_text
from xraybuilder.core.managed import managed_policy
from xraybuilder.core.policy.model import Policy

ACCOUNT = "123456789012"
GROUP = f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/local-users/ABC123"
RULE = f"arn:aws:xray:eu-west-1:{ACCOUNT}:sampling-rule/base-scorekeep"


def policy(*statements: dict[str, Any], version: str | None = "2012-10-17") -> Policy:
    doc: dict[str, Any] = {"Statement": list(statements)}
    if version:
        doc["Version"] = version
    return Policy.from_json(doc)


ALLOW_XRAY = policy({"Sid": "AllowAll", "Effect": "Allow", "Action": "xray:*", "Resource": "*"})
DENY_DELETE = policy({"Sid": "NoDelete", "Effect": "Deny", "Action": "xray:Delete*", "Resource": "*"})


@pytest.mark.parametrize("order", [(ALLOW_XRAY, DENY_DELETE), (DENY_DELETE, ALLOW_XRAY)])
def test_deny_in_one_policy_overrides_allow_in_another(order: tuple[Policy, Policy]) -> None:
    decision = evaluate(list(order), Request("xray:DeleteGroup", GROUP))
    assert decision.outcome == "explicit_deny"
    assert not decision.allowed and decision.denied
    assert [r.sid for r in decision.deciding] == ["NoDelete"]
    assert evaluate(list(order), Request("xray:GetGroup", GROUP)).outcome == "allowed"


def test_implicit_deny_without_policies_or_statements() -> None:
    assert evaluate([], Request("xray:GetGroup", GROUP)).outcome == "implicit_deny"
    assert evaluate([policy()], Request("xray:GetGroup", GROUP)).outcome == "implicit_deny"
    assert evaluate([DENY_DELETE], Request("xray:GetGroup", GROUP)).outcome == "implicit_deny"
    assert evaluate([DENY_DELETE], Request("xray:GetGroup", GROUP)).deciding == ()


def test_deciding_lists_every_matching_statement_of_the_winning_effect() -> None:
    reads = policy(
        {"Sid": "A", "Effect": "Allow", "Action": "xray:Get*", "Resource": "*"},
        {"Sid": "B", "Effect": "Allow", "Action": "xray:GetGroup", "Resource": GROUP},
    )
    decision = evaluate([("reads.json", reads), ("all.json", ALLOW_XRAY)], Request("xray:GetGroup", GROUP))
    assert [(r.policy_name, r.statement_index, r.sid) for r in decision.deciding] == [
        ("reads.json", 0, "A"),
        ("reads.json", 1, "B"),
        ("all.json", 0, "AllowAll"),
    ]
    assert decision.summary() == (
        "allowed by reads.json Statement[0] (Sid A), reads.json Statement[1] "
        "(Sid B), all.json Statement[0] (Sid AllowAll)"
    )


# The X-Ray Developer Guide's tag example: allow everything, but not creating, updating or
# deleting groups tagged stage=prod or stage=preprod.
GUIDE = policy(
    {"Effect": "Allow", "Action": ["xray:*"], "Resource": "*"},
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
)


@pytest.mark.parametrize(
    ("action", "request_tags", "resource_tags", "expected", "deciding"),
    [
        ("xray:CreateGroup", {"stage": "prod"}, {}, "explicit_deny", 1),
        ("xray:CreateGroup", {"stage": "preprod"}, {}, "explicit_deny", 1),
        ("xray:CreateGroup", {"stage": "dev"}, {}, "allowed", 0),
        ("xray:CreateGroup", {}, {}, "allowed", 0),
        ("xray:CreateGroup", {"Stage": "prod"}, {}, "explicit_deny", 1),  # tag key case
        ("xray:CreateGroup", {"stage": "Prod"}, {}, "allowed", 0),  # tag value case
        ("xray:CreateGroup", {}, {"stage": "prod"}, "allowed", 0),  # wrong kind of tag
        ("xray:UpdateGroup", {}, {"stage": "prod"}, "explicit_deny", 2),
        ("xray:DeleteGroup", {}, {"stage": "preprod"}, "explicit_deny", 2),
        ("xray:DeleteGroup", {}, {"stage": "dev"}, "allowed", 0),
        ("xray:DeleteGroup", {"stage": "prod"}, {}, "allowed", 0),
        ("xray:GetGroup", {}, {"stage": "prod"}, "allowed", 0),
        ("xray:PutTraceSegments", {}, {}, "allowed", 0),
    ],
)
def test_xray_guide_tag_example(
    action: str, request_tags: dict[str, str], resource_tags: dict[str, str], expected: str, deciding: int
) -> None:
    request = Request.build(action, GROUP, request_tags=request_tags, resource_tags=resource_tags)
    decision = evaluate([GUIDE], request)
    assert decision.outcome == expected
    assert [r.statement_index for r in decision.deciding] == [deciding]


def test_xray_guide_resource_level_examples() -> None:
    create = policy(
        {
            "Effect": "Allow",
            "Action": ["xray:CreateGroup"],
            "Resource": [f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/local-users/*"],
        }
    )
    rule = policy({"Effect": "Allow", "Action": ["xray:CreateSamplingRule"], "Resource": [RULE]})
    assert evaluate([create], Request("xray:CreateGroup", GROUP)).allowed
    other = f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/remote-users/ABC123"
    assert not evaluate([create], Request("xray:CreateGroup", other)).allowed
    assert evaluate([rule], Request("xray:CreateSamplingRule", RULE)).allowed
    assert not evaluate([rule], Request("xray:CreateSamplingRule", RULE + "2")).allowed


@pytest.mark.parametrize(
    ("name", "action", "resource", "allowed"),
    [
        ("AWSXRayDaemonWriteAccess", "xray:PutTraceSegments", "*", True),
        ("AWSXRayDaemonWriteAccess", "xray:PutTelemetryRecords", "*", True),
        ("AWSXRayDaemonWriteAccess", "xray:GetSamplingRules", "*", True),
        ("AWSXRayDaemonWriteAccess", "xray:GetSamplingTargets", "*", True),
        ("AWSXRayDaemonWriteAccess", "xray:GetSamplingStatisticSummaries", "*", True),
        ("AWSXRayDaemonWriteAccess", "xray:CreateGroup", GROUP, False),
        ("AWSXRayDaemonWriteAccess", "xray:GetGroup", GROUP, False),
        ("AWSXRayDaemonWriteAccess", "xray:PutEncryptionConfig", "*", False),
        ("AWSXrayReadOnlyAccess", "xray:GetGroup", GROUP, True),
        ("AWSXrayReadOnlyAccess", "xray:BatchGetTraces", "*", True),
        ("AWSXrayReadOnlyAccess", "xray:PutTraceSegments", "*", False),
        ("AWSXrayReadOnlyAccess", "xray:DeleteGroup", GROUP, False),
        ("AWSXrayWriteOnlyAccess", "xray:PutTraceSegments", "*", True),
        ("AWSXrayWriteOnlyAccess", "xray:GetTraceSummaries", "*", False),
        ("AWSXrayFullAccess", "xray:PutEncryptionConfig", "*", True),
        ("AWSXrayFullAccess", "xray:DeleteSamplingRule", RULE, True),
        ("AWSXrayFullAccess", "kms:Decrypt", "*", False),
        ("AWSXrayCrossAccountSharingConfiguration", "xray:Link", "*", True),
        (
            "AWSXrayCrossAccountSharingConfiguration",
            "oam:CreateLink",
            f"arn:aws:oam:us-east-1:{ACCOUNT}:sink/abc",
            True,
        ),
        (
            "AWSXrayCrossAccountSharingConfiguration",
            "oam:DeleteLink",
            f"arn:aws:oam:us-east-1:{ACCOUNT}:sink/abc",
            False,
        ),
        ("arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess", "xray:PutTraceSegments", "*", True),
    ],
)
def test_managed_policies(name: str, action: str, resource: str, allowed: bool) -> None:
    managed = managed_policy(name)
    assert managed is not None
    decision = evaluate([(managed.name, managed.policy)], Request(action, resource))
    assert decision.allowed is allowed
    assert decision.outcome in (("allowed",) if allowed else ("implicit_deny",))


# -- the request ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "GetGroup"}, "action must be service:ActionName"),
        ({"action": "xray:Get*"}, "without wildcards"),
        ({"action": "xray:GetGroup", "resource": "group/web"}, "resource must be * or an ARN"),
        ({"action": "xray:GetGroup", "resource": "arn:aws:xray"}, "has 3 of the 6"),
        (
            {"action": "xray:GetGroup", "context": {"aws:username": "a", "AWS:UserName": "b"}},
            "differ only in case",
        ),
        ({"action": "xray:GetGroup", "context": {"aws:username": {"a": 1}}}, "must be a string, number"),
        ({"action": "xray:GetGroup", "context": {"": "x"}}, "non-empty strings"),
    ],
)
def test_bad_requests_say_what_is_wrong(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("*", r"\*")):
        Request(**kwargs)


def test_build_fills_tag_keys() -> None:
    request = Request.build(
        "xray:CreateGroup",
        GROUP,
        request_tags={"stage": "prod", "team": "a"},
        resource_tags={"owner": "x"},
        principal_tags={"dept": "d"},
    )
    assert request.get("aws:RequestTag/stage") == "prod"
    assert request.get("AWS:REQUESTTAG/TEAM") == "a"
    assert request.get("aws:TagKeys") == ("stage", "team")
    assert request.get("aws:ResourceTag/owner") == "x"
    assert request.get("aws:PrincipalTag/dept") == "d"
    assert Request.build("xray:CreateGroup", GROUP).get("aws:TagKeys") is None
    given = Request.build(
        "xray:CreateGroup",
        GROUP,
        request_tags={"stage": "prod"},
        context={"aws:tagkeys": ["other"], "aws:RequestTag/Stage": "dev"},
    )
    assert given.get("aws:TagKeys") == ("other",)
    assert given.get("aws:RequestTag/stage") == "dev"
    with pytest.raises(ValueError, match="must have a string value"):
        Request.build("xray:CreateGroup", GROUP, request_tags={"stage": 1})  # type: ignore[dict-item]


def test_context_values_are_normalised() -> None:
    request = Request(
        "xray:GetGroup",
        GROUP,
        {
            "aws:SecureTransport": True,
            "s3:max-keys": 10,
            "aws:TagKeys": "stage",
            "aws:CalledVia": ["a", "b"],
            "aws:TokenIssueTime": datetime(2020, 1, 1, tzinfo=UTC),
        },
    )
    assert request.get("aws:SecureTransport") == "true"
    assert request.get("s3:max-keys") == "10"
    assert request.get("aws:TagKeys") == ("stage",)  # the catalog knows it is multivalued
    assert request.get("aws:CalledVia") == ("a", "b")
    assert request.get("aws:TokenIssueTime") == "2020-01-01T00:00:00Z"
    assert request.variable("aws:calledvia") is None
    assert request.variable("aws:securetransport") == "true"


def test_current_time_defaults_to_now_and_can_be_set() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    request = Request("xray:GetGroup", GROUP)
    current = request.get("aws:CurrentTime")
    assert isinstance(current, str) and current.endswith("Z")
    stamp = datetime.strptime(current, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= stamp <= datetime.now(UTC)
    assert request.get("aws:EpochTime") == str(int(stamp.timestamp()))
    fixed = Request("xray:GetGroup", GROUP, {"aws:CurrentTime": "2020-01-01T00:00:00Z"})
    assert fixed.get("aws:EpochTime") == "1577836800"
    from_epoch = Request("xray:GetGroup", GROUP, {"aws:EpochTime": 1577836800})
    assert from_epoch.get("aws:CurrentTime") == "2020-01-01T00:00:00Z"


def test_time_window_policy() -> None:
    window = policy(
        {
            "Effect": "Allow",
            "Action": "xray:*",
            "Resource": "*",
            "Condition": {
                "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
                "DateLessThan": {"aws:CurrentTime": "2020-12-31T23:59:59Z"},
            },
        }
    )
    inside = Request("xray:GetGroups", "*", {"aws:CurrentTime": "2020-06-01T00:00:00Z"})
    outside = Request("xray:GetGroups", "*", {"aws:CurrentTime": "2021-06-01T00:00:00Z"})
    assert evaluate([window], inside).allowed
    assert not evaluate([window], outside).allowed


# -- statements IAM would reject ------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        (
            {"Effect": "allow", "Action": "xray:*", "Resource": "*"},
            "Effect 'allow' is neither Allow nor Deny",
        ),
        (
            {"Effect": "Allow", "Action": "xray:*", "NotAction": "s3:*", "Resource": "*"},
            "both Action and NotAction",
        ),
        ({"Effect": "Allow", "Resource": "*"}, "neither Action nor NotAction"),
        (
            {"Effect": "Allow", "Action": "xray:*", "Resource": "*", "NotResource": GROUP},
            "both Resource and NotResource",
        ),
        ({"Effect": "Allow", "Action": "xray:*"}, "neither Resource nor NotResource"),
    ],
)
def test_statements_iam_rejects_never_apply(statement: dict[str, Any], problem: str) -> None:
    decision = evaluate([("p.json", policy(statement))], Request("xray:GetGroup", GROUP))
    assert decision.outcome == "implicit_deny"
    assert problem in decision.statements[0].reason
    assert any(note.startswith("p.json Statement[0]:") and problem in note for note in decision.notes)


def test_principal_is_ignored_with_a_note() -> None:
    trust = policy(
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Resource": "*",
        }
    )
    decision = evaluate([("trust.json", trust)], Request("sts:AssumeRole", "*"))
    assert decision.allowed
    assert any("trust.json Statement[0]: an identity policy has no Principal" in n for n in decision.notes)


def test_a_malformed_deny_does_not_deny() -> None:
    bad_deny = policy({"Effect": "deny", "Action": "xray:*", "Resource": "*"})
    assert evaluate([ALLOW_XRAY, bad_deny], Request("xray:GetGroup", GROUP)).allowed


def test_evaluate_rejects_what_is_not_a_policy() -> None:
    with pytest.raises(TypeError, match="policy 2: expected a Policy"):
        evaluate([ALLOW_XRAY, {"Statement": []}], Request("xray:GetGroup", GROUP))  # type: ignore[list-item]


# -- the answer -----------------------------------------------------------------------


def test_to_json_is_serialisable_and_complete() -> None:
    decision = evaluate(
        [("guide.json", GUIDE)], Request.build("xray:CreateGroup", GROUP, request_tags={"stage": "prod"})
    )
    data = json.loads(json.dumps(decision.to_json()))
    assert data["outcome"] == "explicit_deny" and data["allowed"] is False
    assert data["request"]["action"] == "xray:CreateGroup"
    assert data["request"]["context"]["aws:TagKeys"] == ["stage"]
    assert data["evaluated_resource"] == GROUP
    assert [d["statement_index"] for d in data["deciding"]] == [1]
    assert [s["matched"] for s in data["statements"]] == [True, True, False]
    assert data["statements"][2]["reason"] == "action xray:CreateGroup is not in Action"
    assert data["statements"][1]["policy_name"] == "guide.json"


def test_unnamed_policies_get_numbered_names() -> None:
    decision = evaluate([ALLOW_XRAY, DENY_DELETE], Request("xray:DeleteGroup", GROUP))
    assert [r.policy_name for r in decision.statements] == ["policy 1", "policy 2"]
    assert [r.policy_index for r in decision.statements] == [0, 1]


def test_text_report_names_the_deciding_statement_and_the_others() -> None:
    decision = evaluate(
        [("guide.json", GUIDE)], Request.build("xray:CreateGroup", GROUP, request_tags={"stage": "prod"})
    )
    text = render_text(decision)
    assert "Decision: DENIED (explicit deny)" in text
    assert "Denied by guide.json Statement[1]:" in text
    assert "condition StringEquals aws:RequestTag/stage: 'prod' equals 'prod'" in text
    assert "guide.json Statement[0], Allow: matches, but an explicit Deny wins over any Allow" in text
    assert "guide.json Statement[2], Deny: does not apply: action xray:CreateGroup is not in Action" in text


def test_compiled_policies_are_cached_per_object() -> None:
    fresh = policy({"Effect": "Allow", "Action": "xray:*", "Resource": "*"})
    assert compile_policy(fresh) is compile_policy(fresh)
    twin = policy({"Effect": "Allow", "Action": "xray:*", "Resource": "*"})
    assert compile_policy(twin) is not compile_policy(fresh)
