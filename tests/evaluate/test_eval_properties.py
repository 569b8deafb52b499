"""Properties of IAM's logic that must hold for any policy and request."""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xraybuilder.core.evaluate import Request, evaluate
from xraybuilder.core.policy.model import Policy

ACCOUNT = "123456789012"
ACTIONS = [
    "xray:GetGroup",
    "xray:CreateGroup",
    "xray:DeleteGroup",
    "xray:UpdateGroup",
    "xray:PutTraceSegments",
    "xray:GetSamplingRules",
    "xray:CreateSamplingRule",
    "xray:TagResource",
    "s3:GetObject",
]
ACTION_PATTERNS = ACTIONS + ["xray:*", "xray:Get*", "xray:*Group", "xray:Put*", "*", "xray:?etGroup"]
RESOURCES = [
    "*",
    f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/web/ID1",
    f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/prod/ID2",
    "arn:aws:xray:us-east-1:999999999999:group/alice/ID3",
    f"arn:aws:xray:eu-west-1:{ACCOUNT}:sampling-rule/r1",
]
RESOURCE_PATTERNS = RESOURCES + [
    f"arn:aws:xray:*:{ACCOUNT}:group/*",
    f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/web/*",
    "arn:aws:xray:*:*:sampling-rule/*",
    "arn:aws:xray:*",
    "arn:aws:xray:*:*:group/${aws:username}/*",
    "arn:aws:xray:eu-west-?:*:*",
]
CONDITIONS: list[dict[str, Any]] = [
    {"StringEquals": {"aws:RequestTag/stage": ["prod", "preprod"]}},
    {"StringNotEquals": {"aws:ResourceTag/stage": "prod"}},
    {"StringLike": {"aws:ResourceTag/stage": "p*"}},
    {"ForAnyValue:StringEquals": {"aws:TagKeys": ["stage"]}},
    {"ForAllValues:StringLike": {"aws:TagKeys": ["st*", "team"]}},
    {"Null": {"aws:ResourceTag/stage": "true"}},
    {"StringEqualsIfExists": {"aws:PrincipalTag/team": "a"}},
    {"StringNotEqualsIfExists": {"aws:PrincipalTag/team": "b"}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}},
    {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
    {"StringEquals": {"aws:RequestTag/stage": "dev"}, "Bool": {"aws:SecureTransport": "false"}},
]
TAG_VALUES = st.sampled_from(["prod", "preprod", "dev", "a", "b"])


def lists(pool: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(pool), min_size=1, max_size=3)


@st.composite
def statements(draw: st.DrawFn, effect: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": effect or draw(st.sampled_from(["Allow", "Deny"]))}
    out["NotAction" if draw(st.integers(0, 5)) == 0 else "Action"] = draw(lists(ACTION_PATTERNS))
    out["NotResource" if draw(st.integers(0, 5)) == 0 else "Resource"] = draw(lists(RESOURCE_PATTERNS))
    if draw(st.booleans()):
        out["Condition"] = draw(st.sampled_from(CONDITIONS))
    return out


@st.composite
def requests(draw: st.DrawFn) -> Request:
    maybe_tags = st.dictionaries(st.sampled_from(["stage", "team", "owner"]), TAG_VALUES, max_size=2)
    context: dict[str, Any] = {}
    if draw(st.booleans()):
        context["aws:SecureTransport"] = draw(st.booleans())
    if draw(st.booleans()):
        context["aws:SourceIp"] = draw(st.sampled_from(["10.1.2.3", "203.0.113.7", "2001:db8::1"]))
    if draw(st.booleans()):
        context["aws:username"] = draw(st.sampled_from(["alice", "web", "bob"]))
    return Request.build(
        draw(st.sampled_from(ACTIONS)),
        draw(st.sampled_from(RESOURCES)),
        request_tags=draw(maybe_tags),
        resource_tags=draw(maybe_tags),
        principal_tags=draw(maybe_tags),
        context=context,
    )


def make(stmts: list[dict[str, Any]]) -> Policy:
    return Policy.from_json({"Version": "2012-10-17", "Statement": stmts})


POLICIES = st.lists(statements(), max_size=4)


@settings(max_examples=300, deadline=None)
@given(POLICIES, statements(effect="Deny"), requests(), st.booleans())
def test_adding_a_deny_never_allows_more(
    stmts: list[dict[str, Any]], deny: dict[str, Any], request: Request, separate_policy: bool
) -> None:
    before = evaluate([make(stmts)], request)
    after_policies = [make(stmts), make([deny])] if separate_policy else [make(stmts + [deny])]
    after = evaluate(after_policies, request)
    if after.allowed:
        assert before.allowed
    if before.outcome == "explicit_deny":
        assert after.outcome == "explicit_deny"
    added = after.statements[-1]
    if added.matched:
        # A Deny that applies decides the request, whatever allows it elsewhere.
        assert after.outcome == "explicit_deny"
        assert added in after.deciding


@settings(max_examples=200, deadline=None)
@given(POLICIES, requests(), st.randoms(use_true_random=False))
def test_statement_and_policy_order_do_not_matter(
    stmts: list[dict[str, Any]], request: Request, rng: Any
) -> None:
    shuffled = list(stmts)
    rng.shuffle(shuffled)
    expected = evaluate([make(stmts)], request).outcome
    assert evaluate([make(shuffled)], request).outcome == expected
    one_per_policy = [make([s]) for s in shuffled]
    assert evaluate(one_per_policy, request).outcome == expected


@settings(max_examples=300, deadline=None)
@given(POLICIES, requests(), st.integers(0, 3))
def test_removing_an_allow_never_allows_more(
    stmts: list[dict[str, Any]], request: Request, pick: int
) -> None:
    allows = [i for i, s in enumerate(stmts) if s["Effect"] == "Allow"]
    if not allows:
        return
    drop = allows[pick % len(allows)]
    before = evaluate([make(stmts)], request)
    after = evaluate([make(stmts[:drop] + stmts[drop + 1 :])], request)
    if after.allowed:
        assert before.allowed


def _split(statement: dict[str, Any], element: str, cut: int) -> list[dict[str, Any]] | None:
    values = statement.get(element)
    if not isinstance(values, list) or len(values) < 2:
        return None
    cut = 1 + cut % (len(values) - 1)
    return [{**statement, element: values[:cut]}, {**statement, element: values[cut:]}]


@settings(max_examples=300, deadline=None)
@given(POLICIES, statements(), requests(), st.sampled_from(["Action", "Resource"]), st.integers(0, 5))
def test_splitting_a_statement_changes_nothing(
    stmts: list[dict[str, Any]], target: dict[str, Any], request: Request, element: str, cut: int
) -> None:
    halves = _split(target, element, cut)
    if halves is None:
        return
    # A variable the request cannot fill invalidates the whole statement that holds it,
    # so splitting one off changes the rest: the property holds when every variable resolves.
    variables = ("aws:username", "aws:principaltag/team")  # the only ones the pools use
    assume("${" not in str(target) or all(request.variable(v) is not None for v in variables))
    whole = evaluate([make(stmts + [target])], request)
    split = evaluate([make(stmts + halves)], request)
    assert split.outcome == whole.outcome
