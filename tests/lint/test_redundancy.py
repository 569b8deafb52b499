"""The redundancy family: list entries and statements that change nothing, each with a fix."""

from __future__ import annotations

import fnmatch
import itertools
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xraybuilder.core.lint import redundancy
from xraybuilder.core.lint.document import Document, LintContext
from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.lint.fixes import apply_fixes
from xraybuilder.core.lint.redundancy import find_redundant
from xraybuilder.core.managed import managed_policies
from xraybuilder.core.patterns import arn_covers
from xraybuilder.core.patterns import covers as glob_covers
from xraybuilder.core.policy.source import parse_json

SUGGESTION = Severity.SUGGESTION
GROUP = "arn:aws:xray:us-east-1:123456789012:group"


def run(*statements: dict[str, Any]) -> list[Finding]:
    return run_text(policy(*statements))


def run_text(text: str) -> list[Finding]:
    doc = Document(parse_json(text), LintContext())
    redundancy.check(doc)
    return doc.findings()


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def triples(findings: list[Finding]) -> list[tuple[str, Severity, str]]:
    return [(f.code, f.severity, f.path_str) for f in findings]


# -- actions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actions", "redundant"),
    [
        (["xray:Get*", "xray:GetGroup", "xray:GetGroups"], [1, 2]),
        (["xray:GetGroup", "xray:GetGroup"], [1]),
        (["xray:GetGroup", "xray:getgroup"], [1]),  # action names ignore case
        (["XRAY:get*", "xray:Get*"], [1]),  # equal patterns: keep the first
        (["xray:GetGroup", "xray:*"], [0]),
        (["xray:Get*", "*"], [0]),
        (["xray:Get*", "xray:*"], [0]),
        (["xray:GetGroup?", "xray:GetGroups"], [1]),
        (["xray:Get?roup", "xray:GetGroup"], [1]),
        (["xr*:GetGroup", "xray:GetGroup"], [1]),  # a wildcard in the service part
        (["xray:Get*", "xray:*Group"], []),  # overlap is not coverage
        (["xray:GetGroup", "xray:GetGroups"], []),
        (["xray:Get*", "iam:GetRole"], []),
        (["xray:GetGroup?", "xray:GetGroup"], []),  # ? needs exactly one character
    ],
)
def test_redundant_actions(actions: list[str], redundant: list[int]) -> None:
    found = run(allow(actions))
    assert triples(found) == [
        ("REDUNDANT_ACTION", SUGGESTION, f"Statement[0].Action[{i}]") for i in redundant
    ]
    for f in found:
        assert f.fix is not None and f.fix.removes and f.fix.path == f.path


def test_redundant_action_message_names_what_covers_it() -> None:
    [finding] = run(allow(["xray:Get*", "xray:GetGroup"]))
    assert '"xray:GetGroup" is already matched by "xray:Get*"' in finding.message
    [finding] = run(allow(["xray:GetGroup", "xray:getgroup"]))
    assert "ignore case" in finding.message


def test_not_action_entries_are_redundant_the_same_way() -> None:
    found = run({"Effect": "Deny", "NotAction": ["xray:Get*", "xray:GetGroup"], "Resource": "*"})
    assert triples(found) == [("REDUNDANT_ACTION", SUGGESTION, "Statement[0].NotAction[1]")]
    assert "excludes" in found[0].message


def test_applying_the_fixes_removes_every_redundant_action_and_nothing_else() -> None:
    text = policy(
        allow(["xray:GetGroup", "xray:Get*", "xray:getgroup", "xray:PutTraceSegments", "xray:GetGroups"])
    )
    fixed = json.loads(apply_fixes(text, [f.fix for f in run_text(text) if f.fix]))
    assert fixed["Statement"][0]["Action"] == ["xray:Get*", "xray:PutTraceSegments"]


# -- resources ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resources", "redundant"),
    [
        ([f"{GROUP}/a/1", f"{GROUP}/a/1"], [1]),
        ([f"{GROUP}/a/*", f"{GROUP}/a/1"], [1]),
        (["*", f"{GROUP}/a/1"], [1]),
        ([f"{GROUP}/a/1", "arn:aws:xray:*:123456789012:group/*"], [0]),  # field by field
        ([f"{GROUP}/a/1", "arn:aws:xray:us-east-1:123456789012:*"], [0]),
        ([f"{GROUP}/Checkout/*", f"{GROUP}/checkout/1"], []),  # ARNs are case-sensitive
        ([f"{GROUP}/a/*", f"{GROUP}/b/*"], []),
        ([f"{GROUP}/*", f"{GROUP}/" + "${aws:username}/*"], [1]),  # "*" covers a variable
        ([f"{GROUP}/" + "${aws:username}/*", f"{GROUP}/alice/*"], []),  # a variable covers nothing
        ([f"{GROUP}/?", f"{GROUP}/" + "${aws:username}"], []),  # "?" is one character only
        ([f"{GROUP}/" + "${aws:username}/*", f"{GROUP}/" + "${aws:username}/*"], [1]),
        (["arn:aws:xray", "arn:aws:xray"], [1]),  # not ARNs: equality only
        (["arn:aws:*", f"{GROUP}/a/1"], []),
    ],
)
def test_redundant_resources(resources: list[str], redundant: list[int]) -> None:
    found = run(allow("xray:GetGroup", resources))
    assert triples(found) == [
        ("REDUNDANT_RESOURCE", SUGGESTION, f"Statement[0].Resource[{i}]") for i in redundant
    ]


def test_a_resource_covered_by_star_suggests_least_privilege_too() -> None:
    [finding] = run(allow("xray:GetGroup", ["*", f"{GROUP}/a/1"]))
    assert "least privilege" in finding.message


def test_not_resource_entries_are_redundant_the_same_way() -> None:
    found = run(
        {"Effect": "Deny", "Action": "xray:GetGroup", "NotResource": [f"{GROUP}/a/*", f"{GROUP}/a/1"]}
    )
    assert triples(found) == [("REDUNDANT_RESOURCE", SUGGESTION, "Statement[0].NotResource[1]")]


# -- statements ---------------------------------------------------------------------------


def test_a_repeated_statement_is_redundant_whatever_its_sid() -> None:
    found = run(
        {"Sid": "A", **allow(["xray:GetGroup", "xray:GetGroups"])},
        {"Sid": "B", **allow(["xray:GetGroups", "xray:getgroup"])},
    )
    assert triples(found) == [("REDUNDANT_STATEMENT", SUGGESTION, "Statement[1]")]
    assert "repeats Statement[0]" in found[0].message
    assert found[0].fix is not None and found[0].fix.removes


def test_a_statement_covered_by_a_broader_unconditional_one_is_redundant() -> None:
    tagged = allow("xray:GetGroup", f"{GROUP}/a/*", Condition={"StringEquals": {"aws:ResourceTag/team": "a"}})
    found = run(tagged, allow(["xray:Get*", "xray:PutTraceSegments"]))
    assert triples(found) == [("REDUNDANT_STATEMENT", SUGGESTION, "Statement[0]")]
    assert "Statement[1] allows" in found[0].message


def test_a_statement_with_conditions_covers_only_statements_with_the_same_conditions() -> None:
    condition = {"Bool": {"aws:SecureTransport": "true"}}
    broad = allow("xray:*", Condition=condition)
    assert triples(run(broad, allow("xray:GetGroup"))) == []
    found = run(broad, allow("xray:GetGroup", Condition=condition))
    assert triples(found) == [("REDUNDANT_STATEMENT", SUGGESTION, "Statement[1]")]


@pytest.mark.parametrize(
    "other",
    [
        {"Effect": "Deny", "Action": "xray:GetGroup", "Resource": "*"},  # another effect
        allow("xray:GetGroup", f"{GROUP}/b/*"),  # other resources
        allow(["xray:GetGroup", "xray:DeleteGroup"], f"{GROUP}/a/*"),  # more actions
    ],
)
def test_statements_that_grant_something_else_are_kept(other: dict[str, Any]) -> None:
    assert triples(run(allow(["xray:GetGroup", "xray:UpdateGroup"], f"{GROUP}/a/*"), other)) == []


def test_deny_statements_cover_each_other_too() -> None:
    found = run(
        {"Effect": "Deny", "Action": "xray:Delete*", "Resource": "*"},
        {"Effect": "Deny", "Action": "xray:DeleteGroup", "Resource": f"{GROUP}/a/*"},
    )
    assert triples(found) == [("REDUNDANT_STATEMENT", SUGGESTION, "Statement[1]")]


def test_two_statements_granting_the_same_keep_the_first() -> None:
    # Not the same text, but each covers the other.
    found = run(allow("xray:Get**", f"{GROUP}/*"), allow("xray:Get*", f"{GROUP}/**"))
    assert triples(found) == [("REDUNDANT_STATEMENT", SUGGESTION, "Statement[1]")]
    assert "already covered" in found[0].message


def test_a_statement_is_excused_only_by_one_that_stays() -> None:
    text = policy(allow("xray:GetGroup"), allow("xray:GetGroup"), allow("xray:Get*"))
    found = run_text(text)
    assert sorted(f.path_str for f in found) == ["Statement[0]", "Statement[1]"]
    fixed = json.loads(apply_fixes(text, [f.fix for f in found if f.fix]))
    assert fixed["Statement"] == [allow("xray:Get*")]


def test_not_action_statements_are_only_compared_for_repeats() -> None:
    st = {"Effect": "Deny", "NotAction": "xray:Get*", "Resource": "*"}
    assert triples(run(st, dict(st))) == [("REDUNDANT_STATEMENT", SUGGESTION, "Statement[1]")]
    assert triples(run(st, allow("xray:*"))) == []


@pytest.mark.parametrize(
    "odd",
    [
        {"Effect": "Allow", "Action": "xray:GetGroup"},  # no Resource
        {"Effect": "Allow", "Action": ["xray:GetGroup", 3], "Resource": "*"},  # ill-typed entry
        {"Effect": "Permit", "Action": "xray:GetGroup", "Resource": "*"},
        {"Effect": "Allow", "Action": "xray:GetGroup", "NotAction": "x:y", "Resource": "*"},
        {"Effect": "Allow", "Action": "xray:GetGroup", "Resource": "*", "Condition": "x"},
    ],
)
def test_ill_formed_statements_are_left_to_the_grammar_family(odd: dict[str, Any]) -> None:
    assert triples(run(odd, dict(odd), allow("*"))) == []


def test_the_managed_policies_hold_nothing_redundant() -> None:
    for managed in managed_policies().values():
        assert run_text(json.dumps(managed.document)) == [], managed.name


def test_a_policy_with_one_statement_object_is_fine() -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": allow(["xray:Get*", "xray:GetGroup"])})
    assert triples(run_text(text)) == [("REDUNDANT_ACTION", SUGGESTION, "Statement.Action[1]")]


# -- the coverage functions ----------------------------------------------------------------

ALPHABET = "ab"
SAMPLES = ["".join(p) for n in range(5) for p in itertools.product(ALPHABET, repeat=n)]
patterns = st.text(alphabet="ab*?", max_size=5)


@settings(max_examples=300, deadline=None)
@given(patterns, patterns)
def test_glob_covers_is_never_wrong(general: str, specific: str) -> None:
    # Whenever it says "covers", every sample string the specific pattern matches is
    # matched by the general one (fnmatch reads * and ? the way IAM does here).
    if glob_covers(general, specific):
        for sample in SAMPLES:
            if fnmatch.fnmatchcase(sample, specific):
                assert fnmatch.fnmatchcase(sample, general), (general, specific, sample)


@settings(max_examples=200, deadline=None)
@given(st.lists(patterns, min_size=1, max_size=6))
def test_removing_what_find_redundant_flags_keeps_what_the_list_matches(items: list[str]) -> None:
    flagged = find_redundant(items, glob_covers)
    kept = [p for i, p in enumerate(items) if i not in flagged]
    assert kept
    for sample in SAMPLES:
        before = any(fnmatch.fnmatchcase(sample, p) for p in items)
        after = any(fnmatch.fnmatchcase(sample, p) for p in kept)
        assert before == after, (items, kept, sample)


@pytest.mark.parametrize(
    ("general", "specific", "covers"),
    [
        ("a*", "ab*", True),
        ("*b", "a*b", True),
        ("a?c", "abc", True),
        ("a*c", "a?c", True),
        ("a?c", "a*c", False),
        ("ab", "a*", False),
        ("*", "", True),
        ("?*", "a", True),
    ],
)
def test_glob_covers_examples(general: str, specific: str, covers: bool) -> None:
    assert glob_covers(general, specific) is covers


def test_arn_covers_compares_field_by_field() -> None:
    assert arn_covers("arn:aws:xray:*:*:group/*", f"{GROUP}/a/b")
    assert not arn_covers("arn:aws:xray:*:*:group/*", "arn:aws:xray:us-east-1:1:sampling-rule/x")
    assert not arn_covers("arn:aws:s3:::b/*", "arn:aws:s3:::B/x")


_PARTS = st.text(alphabet="ab*?", min_size=1, max_size=3)
_STATEMENTS = st.lists(
    st.fixed_dictionaries(
        {
            "Effect": st.sampled_from(["Allow", "Deny"]),
            "Action": st.lists(_PARTS.map(lambda p: f"xray:{p}"), min_size=1, max_size=3),
            "Resource": st.lists(_PARTS.map(lambda p: f"arn:aws:xray:r:1:{p}"), min_size=1, max_size=3),
            "Condition": st.sampled_from([None, {"Bool": {"aws:SecureTransport": "true"}}]),
        }
    ),
    min_size=2,
    max_size=5,
)
_NAMES = ["".join(p) for n in range(1, 4) for p in itertools.product(ALPHABET, repeat=n)]


def _decisions(statements: list[dict[str, Any]]) -> set[tuple[str, str, str, bool]]:
    """Which (effect, action, resource, secure) each statement list allows or denies."""
    out = set()
    for statement in statements:
        for name, res, secure in itertools.product(_NAMES, _NAMES, (True, False)):
            if statement.get("Condition") and not secure:
                continue
            if any(fnmatch.fnmatchcase(f"xray:{name}", a.lower()) for a in statement["Action"]) and any(
                fnmatch.fnmatchcase(f"arn:aws:xray:r:1:{res}", r) for r in statement["Resource"]
            ):
                out.add((statement["Effect"], name, res, secure))
    return out


@settings(max_examples=150, deadline=None)
@given(_STATEMENTS)
def test_removing_redundant_statements_keeps_every_decision(statements: list[dict[str, Any]]) -> None:
    cleaned = [{k: v for k, v in s.items() if v is not None} for s in statements]
    found = [f for f in run(*cleaned) if f.code == "REDUNDANT_STATEMENT"]
    removed = {f.path[1] for f in found}
    kept = [s for i, s in enumerate(cleaned) if i not in removed]
    assert _decisions(kept) == _decisions(cleaned)
