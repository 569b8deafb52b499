"""The interactions family, each claim proved by the evaluator.

A finding says part of a policy never takes effect (or takes effect wider than it reads).
The proof: every request that part could match is decided the same way with and without it.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xraybuilder.core.evaluate import Request, evaluate
from xraybuilder.core.evaluate.request import with_requested_region
from xraybuilder.core.lint import LintContext, interactions, lint
from xraybuilder.core.lint.document import Document
from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.lint.fixes import apply_fixes
from xraybuilder.core.policy.model import Policy
from xraybuilder.core.policy.source import parse_json

ACCOUNT = "123456789012"
EU = f"arn:aws:xray:eu-west-1:{ACCOUNT}"
US = f"arn:aws:xray:us-east-1:{ACCOUNT}"
CN = f"arn:aws-cn:xray:cn-north-1:{ACCOUNT}"
TAG = "aws:ResourceTag/team"
MFA_AGE = "aws:MultiFactorAuthAge"

# The request universe: a few actions, concrete resources and contexts.
ACTIONS = ("xray:GetGroup", "xray:CreateGroup", "xray:DeleteGroup", "xray:PutTraceSegments")
RESOURCES = (
    "*",
    f"{EU}:group/web/AB12",
    f"{EU}:group/web/GEN9",
    f"{US}:group/web/AB12",
    f"{US}:group/api/CD34",
    f"{CN}:group/web/AB12",
    f"{EU}:sampling-rule/base",
)
CONTEXTS: tuple[dict[str, str], ...] = tuple(
    {k: v for k, v in ((TAG, tag), (MFA_AGE, age)) if v is not None}
    for tag, age in itertools.product((None, "a", "b", "prod"), (None, "3", "12"))
)
REGIONS_FOR_STAR = ("us-east-1", "eu-west-1", "cn-north-1")


def requests(actions: tuple[str, ...] = ACTIONS, *, without: str | None = None) -> Iterator[Request]:
    """Realistic requests: aws:RequestedRegion is the resource's Region (or one of a few for "*")."""
    for action, resource, context in itertools.product(actions, RESOURCES, CONTEXTS):
        if without is not None and any(k.lower() == without.lower() for k in context):
            continue
        request = Request(action, resource, context)
        if resource == "*":
            for region in REGIONS_FOR_STAR:
                yield with_requested_region(request, region)
        else:
            yield with_requested_region(request)


def outcomes(doc: dict[str, Any], reqs: list[Request]) -> list[str]:
    policy = Policy.from_json(doc)
    return [evaluate([policy], r).outcome for r in reqs]


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def run(doc: dict[str, Any]) -> list[Finding]:
    d = Document(parse_json(json.dumps(doc, indent=2)), LintContext())
    interactions.check(d)
    return d.findings()


def codes(findings: list[Finding]) -> list[tuple[str, Severity, str]]:
    return [(f.code, f.severity, f.path_str) for f in findings]


# Never matches anything the universe holds: stands for "without this entry".
NOTHING_ACTION = "none:Nothing"
NOTHING_RESOURCE = "arn:aws:none:zz-none-1:000000000000:nothing"


def without_part(doc: dict[str, Any], finding: Finding) -> dict[str, Any]:
    """The policy without the part the finding says never takes effect."""
    out = copy.deepcopy(doc)
    path = finding.path
    statements = out["Statement"]
    index = path[1]
    assert isinstance(index, int)
    if len(path) == 2 or path[2] == "Condition":
        statements[index] = {**statements[index], "Action": NOTHING_ACTION}
        return out
    element = path[2]
    assert isinstance(element, str)
    filler = NOTHING_ACTION if element == "Action" else NOTHING_RESOURCE
    if len(path) == 3:
        statements[index][element] = filler
    else:
        statements[index][element][path[3]] = filler
    return out


def without_condition_entry(doc: dict[str, Any], finding: Finding) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    _, index, _, op, key = finding.path
    block = out["Statement"][index]["Condition"]
    del block[op][key]
    if not block[op]:
        del block[op]
    return out


def named_actions(finding: Finding) -> tuple[str, ...]:
    head = re.split(r" never carr(?:y|ies) ", finding.message, maxsplit=1)[0]
    return tuple(n for n in head.split(" and ")[0].split(", ") if ":" in n)


def assert_proved(doc: dict[str, Any], finding: Finding) -> None:
    """The evaluator agrees with the finding on every request of the universe it concerns."""
    if finding.code == "CONDITION_ALWAYS_TRUE_FOR_ACTIONS":
        key = str(finding.path[-1])
        actions = tuple(a for a in named_actions(finding) if a in ACTIONS)
        reqs = list(requests(actions, without=key))
        assert outcomes(doc, reqs) == outcomes(without_condition_entry(doc, finding), reqs), finding
        return
    if finding.code == "RESOURCE_UNMATCHABLE_AT_CREATION":
        # The Id of a new group is whatever CreateGroup generates: never the one written.
        arn = next(v for p, v in _resources(doc, finding))
        fresh = [arn.rsplit("/", 1)[0] + f"/generated{n}" for n in range(3)]
        reqs = [with_requested_region(Request("xray:CreateGroup", r, c)) for r in fresh for c in CONTEXTS]
        assert outcomes(doc, reqs) == outcomes(without_part(doc, finding), reqs), finding
        return
    reqs = list(requests())
    assert outcomes(doc, reqs) == outcomes(without_part(doc, finding), reqs), finding


def _resources(doc: dict[str, Any], finding: Finding) -> Iterator[tuple[Any, str]]:
    statement = doc["Statement"][finding.path[1]]
    value = statement["Resource"]
    if len(finding.path) == 3:
        yield finding.path, value
    else:
        yield finding.path, value[finding.path[3]]


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


# -- shadowed by a Deny ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            policy(allow("xray:GetGroup", f"{EU}:group/web/*"), deny("xray:Get*", Sid="NoReads")),
            [("SHADOWED_BY_DENY", Severity.WARNING, "Statement[0]")],
        ),
        (
            policy(allow(["xray:GetGroup", "xray:DeleteGroup"]), deny("xray:Delete*")),
            [("SHADOWED_BY_DENY", Severity.WARNING, "Statement[0].Action[1]")],
        ),
        (
            policy(allow("xray:GetGroup", [f"{EU}:group/*", f"{US}:group/*"]), deny("xray:*", f"{US}:*")),
            [("SHADOWED_BY_DENY", Severity.WARNING, "Statement[0].Resource[1]")],
        ),
        (  # the Deny's condition is one of the Allow's: it holds whenever the Allow does
            policy(
                allow(
                    "xray:GetGroup",
                    Condition={"StringEquals": {TAG: ["a", "b"]}, "Bool": {"aws:SecureTransport": "true"}},
                ),
                deny("xray:GetGroup", Condition={"StringEquals": {TAG: ["b", "a"]}}),
            ),
            [("SHADOWED_BY_DENY", Severity.WARNING, "Statement[0]")],
        ),
    ],
)
def test_shadowed_allows_are_reported_and_proved(doc: dict[str, Any], expected: list[Any]) -> None:
    findings = run(doc)
    assert codes(findings) == expected
    for finding in findings:
        assert_proved(doc, finding)


def test_shadow_message_names_the_deny() -> None:
    (finding,) = run(policy(allow("xray:GetGroup"), deny("xray:*", Sid="Lockdown")))
    assert 'Statement[1] ("Lockdown")' in finding.message and "unconditionally" in finding.message


@pytest.mark.parametrize(
    "doc",
    [
        # a conditional Deny the Allow does not imply
        policy(allow("xray:GetGroup"), deny("xray:GetGroup", Condition={"StringEquals": {TAG: "a"}})),
        # the Deny covers only some resources of the action
        policy(allow("xray:GetGroup", "*"), deny("xray:GetGroup", f"{EU}:group/*")),
        # NotAction in the Deny: no claim
        {
            "Version": "2012-10-17",
            "Statement": [allow("xray:GetGroup"), {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}],
        },
        # a variable in the Deny is not covered
        policy(
            allow("xray:GetGroup", f"{EU}:group/web/*"),
            deny("xray:GetGroup", f"{EU}:group/${{aws:username}}/*"),
        ),
    ],
)
def test_no_shadow_without_certainty(doc: dict[str, Any]) -> None:
    assert run(doc) == []


def test_a_deny_for_another_principal_does_not_shadow() -> None:
    doc = policy(
        {**allow("xray:GetGroup"), "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}},
        {**deny("xray:GetGroup"), "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/x"}},
    )
    assert run(doc) == []


# -- cannot match at request time ----------------------------------------------------------


def test_create_group_on_a_concrete_id_is_reported_with_its_fix() -> None:
    doc = policy(allow(["xray:CreateGroup", "xray:GetGroup"], [f"{EU}:group/web/AB12", f"{EU}:group/api/*"]))
    (finding,) = run(doc)
    assert codes([finding]) == [
        ("RESOURCE_UNMATCHABLE_AT_CREATION", Severity.WARNING, "Statement[0].Resource[0]")
    ]
    assert finding.fix is not None and finding.fix.value == f"{EU}:group/web/*"
    assert_proved(doc, finding)
    # The fix makes creating the group possible, and GetGroup still works on it.
    fixed = json.loads(apply_fixes(json.dumps(doc, indent=2), [finding.fix]))
    created = with_requested_region(Request("xray:CreateGroup", f"{EU}:group/web/generated1"))
    read = with_requested_region(Request("xray:GetGroup", f"{EU}:group/web/AB12"))
    assert [evaluate([Policy.from_json(fixed)], r).outcome for r in (created, read)] == ["allowed", "allowed"]
    assert evaluate([Policy.from_json(doc)], created).outcome == "implicit_deny"
    assert not [f for f in lint(json.dumps(fixed)) if f.code == "RESOURCE_UNMATCHABLE_AT_CREATION"]


@pytest.mark.parametrize(
    "resource",
    [f"{EU}:group/web/*", f"{EU}:group/web/AB*", f"{EU}:sampling-rule/base", f"{EU}:group/web"],
)
def test_create_group_on_a_pattern_or_other_resource_is_fine(resource: str) -> None:
    assert run(policy(allow("xray:CreateGroup", resource))) == []


def test_concrete_id_is_fine_for_actions_on_an_existing_group() -> None:
    # The guide: GetGroup, UpdateGroup and DeleteGroup may name the exact ARN.
    assert run(policy(allow(["xray:GetGroup", "xray:DeleteGroup"], f"{EU}:group/web/AB12"))) == []


def test_a_sampling_rule_arn_has_no_generated_part() -> None:
    assert run(policy(allow("xray:CreateSamplingRule", f"{EU}:sampling-rule/base-scorekeep"))) == []


# -- unsatisfiable conditions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "why"),
    [
        ({"StringEquals": {TAG: "a"}, "StringLike": {TAG: "b*"}}, "no such value"),
        ({"StringEquals": {TAG: ["a", "b"]}, "StringNotEquals": {TAG: ["a", "b"]}}, "no such value"),
        ({"StringEquals": {TAG: "a"}, "StringEqualsIfExists": {TAG: "b"}}, "no such value"),
        ({"NumericLessThan": {MFA_AGE: "5"}, "NumericGreaterThan": {MFA_AGE: "10"}}, "range"),
        ({"NumericLessThan": {MFA_AGE: "5"}, "NumericGreaterThanEquals": {MFA_AGE: "5"}}, "range"),
        ({"NumericEquals": {MFA_AGE: "3"}, "NumericGreaterThan": {MFA_AGE: "10"}}, "no such value"),
        (
            {
                "DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
                "DateLessThan": {"aws:CurrentTime": "2029-01-01T00:00:00Z"},
            },
            "range",
        ),
        (  # epoch seconds (2030) against an ISO date (2029)
            {
                "DateGreaterThan": {"aws:CurrentTime": "1893456000"},
                "DateLessThan": {"aws:CurrentTime": "2029-01-01T00:00:00Z"},
            },
            "range",
        ),
        ({"Null": {TAG: "true"}, "StringEquals": {TAG: "a"}}, "absent"),
        ({"Null": {TAG: "true"}, "StringLike": {"aws:resourcetag/TEAM": "*"}}, "absent"),  # keys ignore case
    ],
)
def test_unsatisfiable_conditions_are_errors_and_proved(condition: dict[str, Any], why: str) -> None:
    doc = policy(allow(["xray:GetGroup", "xray:PutTraceSegments"], Condition=condition))
    (finding,) = run(doc)
    assert (finding.code, finding.severity) == ("UNSATISFIABLE_CONDITION", Severity.ERROR)
    assert why in finding.message and "never allows anything" in finding.message
    assert_proved(doc, finding)
    # A statement that can never apply gets no other finding of the family.
    others = run(policy(allow("xray:CreateGroup", f"{EU}:group/web/AB12", Condition=condition)))
    assert [f.code for f in others] == ["UNSATISFIABLE_CONDITION"]


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {TAG: "a"}, "StringLike": {TAG: "a*"}},
        {"StringEquals": {TAG: "a"}, "StringNotEquals": {TAG: "b"}},
        {"NumericLessThan": {MFA_AGE: "10"}, "NumericGreaterThan": {MFA_AGE: "5"}},
        {"NumericLessThanEquals": {MFA_AGE: "5"}, "NumericGreaterThanEquals": {MFA_AGE: "5"}},
        {
            "NumericLessThanIfExists": {MFA_AGE: "5"},
            "NumericGreaterThanIfExists": {MFA_AGE: "10"},
        },  # absent key
        {"Null": {TAG: "true"}, "StringNotEquals": {TAG: "a"}},
        {"Null": {TAG: "false"}, "StringEquals": {TAG: "a"}},
        {"StringEquals": {TAG: "${aws:username}"}, "StringLike": {TAG: "b*"}},  # a variable: no claim
        {"ForAnyValue:StringEquals": {"aws:TagKeys": "a"}, "ForAllValues:StringEquals": {"aws:TagKeys": "b"}},
        {
            "StringEquals": {"xray:SomeFutureKey": "a"},
            "StringLike": {"xray:SomeFutureKey": "b*"},
        },  # unknown key
    ],
)
def test_satisfiable_conditions_are_not_reported(condition: dict[str, Any]) -> None:
    assert run(policy(allow("xray:GetGroup", Condition=condition))) == []


def test_requested_region_excluding_some_resources_is_a_warning() -> None:
    doc = policy(
        allow(
            "xray:GetGroup",
            [f"{EU}:group/web/*", f"{US}:group/web/*"],
            Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
        )
    )
    (finding,) = run(doc)
    assert codes([finding]) == [
        ("REQUESTED_REGION_EXCLUDES_RESOURCE", Severity.WARNING, "Statement[0].Resource[0]")
    ]
    assert_proved(doc, finding)


@pytest.mark.parametrize(
    ("resources", "condition"),
    [
        ([f"{EU}:group/web/*"], {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]}}),
        ([f"{EU}:group/web/*"], {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}),
        ([f"{EU}:group/web/*"], {"StringLike": {"aws:RequestedRegion": "us-*"}}),
        # a Region of another partition than the ARN's
        (
            [f"arn:aws-cn:xray:*:{ACCOUNT}:group/web/*"],
            {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
        ),
    ],
)
def test_requested_region_excluding_every_resource_is_an_error(
    resources: list[str], condition: dict[str, Any]
) -> None:
    doc = policy(allow("xray:GetGroup", resources, Condition=condition))
    (finding,) = run(doc)
    assert (finding.code, finding.severity) == ("REQUESTED_REGION_EXCLUDES_RESOURCE", Severity.ERROR)
    assert_proved(doc, finding)


@pytest.mark.parametrize(
    "resources",
    [["*"], [f"{US}:group/web/*"], [f"arn:aws:xray:*:{ACCOUNT}:group/web/*"], ["arn:aws:s3:::bucket/*"]],
)
def test_requested_region_that_a_resource_can_be_in_is_fine(resources: list[str]) -> None:
    condition = {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}
    assert run(policy(allow(["xray:GetGroup", "s3:GetObject"], resources, Condition=condition))) == []


# -- wider than it looks ---------------------------------------------------------------------


def test_negated_condition_on_a_key_some_actions_lack_is_a_security_warning() -> None:
    doc = policy(
        allow(["xray:GetGroup", "xray:PutTraceSegments"], Condition={"StringNotEquals": {TAG: "prod"}})
    )
    (finding,) = run(doc)
    assert codes([finding]) == [
        (
            "CONDITION_ALWAYS_TRUE_FOR_ACTIONS",
            Severity.SECURITY_WARNING,
            f'Statement[0].Condition.StringNotEquals["{TAG}"]',
        )
    ]
    assert named_actions(finding) == ("xray:PutTraceSegments",)
    assert_proved(doc, finding)
    # ...and the evaluator allows PutTraceSegments even on a "prod" request it could see.
    req = Request("xray:PutTraceSegments", "*")
    assert evaluate([Policy.from_json(doc)], req).outcome == "allowed"


def test_if_exists_behind_a_wildcard_names_the_actions() -> None:
    doc = policy(allow("xray:*Group", Condition={"StringEqualsIfExists": {TAG: "web"}}))
    (finding,) = run(doc)
    assert finding.code == "CONDITION_ALWAYS_TRUE_FOR_ACTIONS"
    assert "xray:CreateGroup" in named_actions(finding)  # a new group has no tags yet
    assert "xray:GetGroup" not in named_actions(finding)
    assert_proved(doc, finding)


@pytest.mark.parametrize(
    "doc",
    [
        policy(allow("xray:GetGroup", Condition={"StringNotEquals": {TAG: "prod"}})),  # GetGroup carries it
        policy(
            allow("xray:PutTraceSegments", Condition={"StringNotEquals": {"aws:SourceVpc": "vpc-1"}})
        ),  # global
        policy(deny("xray:PutTraceSegments", Condition={"StringNotEquals": {TAG: "prod"}})),  # a Deny
        policy(
            allow("xray:PutTraceSegments", Condition={"StringEquals": {TAG: "prod"}})
        ),  # positive: never true
    ],
)
def test_not_wider_than_it_looks(doc: dict[str, Any]) -> None:
    assert [f for f in run(doc) if f.code == "CONDITION_ALWAYS_TRUE_FOR_ACTIONS"] == []


# -- the property: the evaluator never contradicts a finding ---------------------------------

ACTION_ALPHABET = (
    "xray:GetGroup",
    "xray:CreateGroup",
    "xray:Get*",
    "xray:*",
    "xray:PutTraceSegments",
    "xray:Delete*",
)
RESOURCE_ALPHABET = (
    "*",
    f"{EU}:group/web/*",
    f"{EU}:group/web/AB12",
    f"{US}:group/*",
    f"arn:aws-cn:xray:*:{ACCOUNT}:group/web/*",
    f"arn:aws:xray:*:{ACCOUNT}:*",
    f"{EU}:sampling-rule/base",
)
CONDITION_ALPHABET = (
    ("StringEquals", TAG, "a"),
    ("StringEquals", TAG, "b"),
    ("StringLike", TAG, "b*"),
    ("StringNotEquals", TAG, "prod"),
    ("StringEqualsIfExists", TAG, "a"),
    ("Null", TAG, "true"),
    ("Null", TAG, "false"),
    ("NumericLessThan", MFA_AGE, "5"),
    ("NumericGreaterThan", MFA_AGE, "10"),
    ("NumericGreaterThanEquals", MFA_AGE, "3"),
    ("StringEquals", "aws:RequestedRegion", "us-east-1"),
    ("StringEquals", "aws:RequestedRegion", "eu-west-1"),
    ("StringNotEquals", "aws:RequestedRegion", "cn-north-1"),
)


@st.composite
def statements(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Effect": draw(st.sampled_from(("Allow", "Deny"))),
        "Action": draw(st.lists(st.sampled_from(ACTION_ALPHABET), min_size=1, max_size=3, unique=True)),
        "Resource": draw(st.lists(st.sampled_from(RESOURCE_ALPHABET), min_size=1, max_size=3, unique=True)),
    }
    entries = draw(
        st.lists(st.sampled_from(CONDITION_ALPHABET), max_size=3, unique_by=lambda e: (e[0], e[1]))
    )
    if entries:
        block: dict[str, dict[str, str]] = {}
        for op, key, value in entries:
            block.setdefault(op, {})[key] = value
        out["Condition"] = block
    return out


@settings(max_examples=120, deadline=None)
@given(st.lists(statements(), min_size=1, max_size=3))
def test_the_evaluator_never_contradicts_a_finding(stmts: list[dict[str, Any]]) -> None:
    doc = policy(*stmts)
    for finding in run(doc):
        assert_proved(doc, finding)


def test_the_family_runs_in_lint() -> None:
    doc = policy(allow("xray:GetGroup"), deny("xray:*"))
    assert "SHADOWED_BY_DENY" in {f.code for f in lint(json.dumps(doc, indent=2))}
