"""Statement findings kept by statement text and moved to where the statement sits.

Linting with a warm cache (other documents holding some of the same statements linted
first) must give exactly what a cold lint gives, and what the families give when each
runs over the whole document: same findings, same order, same positions, same fixes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import xraybuilder.core.lint as lint_module
from xraybuilder.core.lint import FAMILIES, KINDS, LintContext, lint
from xraybuilder.core.lint.document import Document
from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.managed import managed_policies
from xraybuilder.core.policy.source import parse_json

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _corpus_statements() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    texts = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.json"))]
    texts += [json.dumps(m.document) for m in managed_policies().values()]
    for text in texts:
        try:
            value = json.loads(text)
        except ValueError:
            continue
        statements = value.get("Statement") if isinstance(value, dict) else None
        if isinstance(statements, dict):
            statements = [statements]
        if isinstance(statements, list):
            found += [s for s in statements if isinstance(s, dict)]
    return found


POOL = _corpus_statements()

ACTIONS = st.sampled_from(
    ["xray:GetGroup", "xray:Get*", "xray:*", "*", "xray:PutTraceSegments", "xray:getgroup", "xray:Nope"]
    + ["s3:GetObject", "ec2:RunInstances", "iam:PassRole", "kms:Decrypt", "xray: GetGroup", "GetGroup"]
)
RESOURCES = st.sampled_from(
    ["*", "arn:aws:xray:us-east-1:123456789012:group/web/*", "arn:aws:xray:eu-west-1:123456789012:group/a/1"]
    + ["arn:aws:xray:*:*:sampling-rule/x", "arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:xray:us-east-1"]
)
CONDITIONS = st.sampled_from(
    [
        {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
        {
            "StringEquals": {"aws:RequestedRegion": "us-east-1"},
            "StringNotEquals": {"aws:RequestedRegion": "us-east-1"},
        },
        {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
        {"StringNotEqualsIfExists": {"aws:ResourceTag/team": "web"}},
        {"StringEquals": {"xray:ResourceTag/team": "web"}},
        {"StringLike": {"aws:PrincipalTag/team": []}},
    ]
)
GENERATED = st.fixed_dictionaries(
    {
        "Effect": st.sampled_from(["Allow", "Deny", "allow"]),
        "Action": st.lists(ACTIONS, min_size=1, max_size=3),
        "Resource": st.one_of(RESOURCES, st.lists(RESOURCES, min_size=1, max_size=2)),
    },
    optional={
        "Sid": st.sampled_from(["One", "Two", "One", "bad sid", ""]),
        "Condition": CONDITIONS,
        "Principal": st.just({"Service": "ec2.amazonaws.com"}),
    },
)
STATEMENT = st.one_of(st.sampled_from(POOL), GENERATED)
LAYOUT = st.sampled_from([None, 0, 2, 4])  # None: all on one line, statements mid-line
VERSION = st.sampled_from(["2012-10-17", "2008-10-17", None])


def text_of(statements: list[dict[str, Any]], indent: int | None, version: str | None, single: bool) -> str:
    policy: dict[str, Any] = {} if version is None else {"Version": version}
    policy["Statement"] = statements[0] if single and len(statements) == 1 else statements
    return json.dumps(policy, indent=indent, ensure_ascii=False)


def by_families(text: str, context: LintContext) -> list[Finding]:
    """Each family over the whole document in turn: no statement cache involved."""
    parsed = parse_json(text)
    doc = Document(parsed, context)
    for problem in parsed.problems:
        doc.report("JSON_SYNTAX_ERROR", Severity.ERROR, problem.message, problem.path)
    if parsed.ok:
        for family in FAMILIES:
            family.check(doc)
    findings = doc.findings()
    findings.sort(key=lambda f: (f.line, f.column, -f.severity.rank, f.code))
    return findings


@settings(max_examples=150, deadline=None)
@given(
    statements=st.lists(STATEMENT, min_size=1, max_size=6),
    edited=STATEMENT,
    layout=LAYOUT,
    other_layout=LAYOUT,
    version=VERSION,
    kind=st.sampled_from(KINDS),
    data=st.data(),
)
def test_a_warm_cache_gives_what_a_cold_lint_gives(
    statements: list[dict[str, Any]],
    edited: dict[str, Any],
    layout: int | None,
    other_layout: int | None,
    version: str | None,
    kind: Any,
    data: st.DataObject,
) -> None:
    context = LintContext(kind=kind)
    text = text_of(statements, layout, version, single=data.draw(st.booleans()))
    lint_module._STATEMENTS.clear()
    cold = lint(text, context)
    assert cold == by_families(text, context)

    # Warm the cache with variants: the same statements in another order and layout,
    # one statement edited, one left out.
    shuffled = data.draw(st.permutations(statements))
    index = data.draw(st.integers(0, len(statements) - 1))
    variants = [
        shuffled,
        statements[:index] + [edited] + statements[index + 1 :],
        statements[:index] + statements[index + 1 :] or [edited],
    ]
    lint_module._STATEMENTS.clear()
    for variant in variants:
        lint(text_of(variant, other_layout, version, single=False), context)
    assert lint(text, context) == cold


def test_an_edit_to_one_statement_lints_that_statement_again_only() -> None:
    statements = [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": "xray:GetGroup", "Resource": "*"} for i in range(5)
    ]
    cache = lint_module._STATEMENTS
    lint(text_of(statements, 2, "2012-10-17", single=False))
    before = (cache.misses, cache.hits)
    statements[3] = {**statements[3], "Sid": "Edited"}
    lint(text_of(statements, 2, "2012-10-17", single=False))
    assert (cache.misses - before[0], cache.hits - before[1]) == (1, 4)


def test_a_moved_statement_keeps_its_findings_at_its_new_place() -> None:
    bad = {"Effect": "Allow", "Action": "xray:GetGroup", "Resource": "arn:aws:xray:us-east-1"}
    good = {"Effect": "Allow", "Action": "xray:GetSamplingRules", "Resource": "*"}
    first = lint(text_of([bad, good], 2, "2012-10-17", single=False))
    second = lint(text_of([good, bad], None, "2012-10-17", single=False))
    arn_first = [f for f in first if f.path[:2] == ("Statement", 0) and f.path[2:3] == ("Resource",)]
    arn_second = [f for f in second if f.path[:2] == ("Statement", 1) and f.path[2:3] == ("Resource",)]
    assert arn_first and [f.code for f in arn_first] == [f.code for f in arn_second]
    text = text_of([good, bad], None, "2012-10-17", single=False)
    # On one line, the column is the resource value's own in the new text.
    assert {f.line for f in arn_second} == {1}
    value_at = text.index('"arn:aws:xray:us-east-1"') + 1
    assert min(f.column for f in arn_second) >= value_at


def test_a_service_note_is_given_once_per_policy_even_from_the_cache() -> None:
    statements = [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": ["xray:GetGroup", "ec2:RunInstances"], "Resource": "*"}
        for i in range(3)
    ]
    text = text_of(statements, 2, "2012-10-17", single=False)
    lint(text)
    warm = lint(text)
    assert [f.code for f in warm].count("SERVICE_NOT_IN_CATALOG") <= 1
    assert warm == by_families(text, LintContext())
