"""IAM wildcard semantics, in one module, as the catalog, linter, evaluator and explainer use it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xraybuilder.core import catalog, patterns
from xraybuilder.core.evaluate import Request, evaluate
from xraybuilder.core.explain import summarize
from xraybuilder.core.lint import lint
from xraybuilder.core.policy.model import Policy


@pytest.mark.parametrize(
    ("pattern", "text", "ignore_case", "expected"),
    [
        ("xray:Get*", "xray:GetGroup", False, True),
        ("xray:get*", "XRAY:GETGROUP", True, True),
        ("xray:get*", "xray:GetGroup", False, False),
        ("xray:Get?roup", "xray:GetGroup", False, True),
        ("xray:Get?roup", "xray:Getroup", False, False),
        ("*", "", False, True),
        ("a*b", "a:\nb", False, True),
        # Everything but * and ? is literal: no character classes, no escapes.
        ("xray:Get[G]roup", "xray:GetGroup", True, False),
        ("xray:Get[G]roup", "xray:Get[G]roup", True, True),
        ("xray:Get[!x]*", "xray:GetGroup", True, False),
        ("a.b", "axb", False, False),
        ("a\\*", "a\\xyz", False, True),
        ("a+", "aa", False, False),
    ],
)
def test_matches(pattern: str, text: str, ignore_case: bool, expected: bool) -> None:
    assert patterns.matches(pattern, text, ignore_case=ignore_case) is expected


def test_action_matches_ignores_case_and_arns_do_not() -> None:
    assert patterns.action_matches("XRAY:getgroup", "xray:GetGroup")
    assert not patterns.matches("arn:aws:s3:::B/*", "arn:aws:s3:::b/x")


def test_arn_pieces_keep_wildcards_inside_a_part() -> None:
    parts = patterns.pieces("arn:aws:xray:*:123456789012:group/*")
    rx = patterns.compile_pieces(parts, arn=True)
    assert rx.fullmatch("arn:aws:xray:eu-west-1:123456789012:group/a/b")
    assert not rx.fullmatch("arn:aws:xray:eu-west-1:x:123456789012:group/a")
    trailing = patterns.compile_pieces(patterns.pieces("arn:aws:xray:*"), arn=True, expand_trailing=True)
    assert trailing.fullmatch("arn:aws:xray:eu-west-1:123456789012:group/a")


def test_select_keeps_order_and_treats_brackets_literally() -> None:
    names = ("getgroup", "getgroups", "get[g]roup")
    assert patterns.select("get*", names) == names
    assert patterns.select("get[g]roup", names) == ("get[g]roup",)
    assert patterns.select("GET?ROUP", names, ignore_case=True) == ("getgroup",)


def test_covers() -> None:
    assert patterns.covers("xray:get*", "xray:getgroup")
    assert patterns.covers("xray:*", "xray:get*")
    assert not patterns.covers("xray:get*", "xray:*")
    assert not patterns.covers("xray:get[g]*", "xray:getgroup")
    assert patterns.arn_covers("arn:aws:xray:*:*:group/*", "arn:aws:xray:us-east-1:1:group/a/b")
    assert not patterns.arn_covers("arn:aws:xray:*:*:group/*", "arn:aws:xray:us-east-1:1:sampling-rule/x")


def test_a_variable_is_covered_only_by_star_or_itself() -> None:
    [general, specific, same] = patterns.with_placeholders(["group/?", "group/${aws:username}", "group/*"])
    assert not patterns.covers(general, specific)
    assert patterns.covers(same, specific)
    assert patterns.with_placeholders(["${aws:username}"]) == patterns.with_placeholders(["${aws:username}"])


def test_catalog_expansion_treats_brackets_literally() -> None:
    assert not catalog.expand_action("xray:Get[G]roup*")
    assert [a.name for a in catalog.expand_action("xray:GetGroup*")] == ["GetGroup", "GetGroups"]


def test_explain_and_lint_treat_brackets_literally() -> None:
    statement = '{"Effect": "Allow", "Action": "xray:Get[G]roup*", "Resource": "*"}'
    text = '{"Version": "2012-10-17", "Statement": [' + statement + "]}"
    summary = summarize(Policy.from_text(text))
    assert summary.service("xray") is None
    assert "INVALID_ACTION" in {f.code for f in lint(text)}


_XRAY = tuple(a.full_name for a in catalog.xray().actions.values())
_NAME_CHARS = st.sampled_from([*"GetPuSamplingRuleGroupTrace", "*", "?", "[", "]", "!", "-", "g", "r", "."])


@settings(max_examples=300, deadline=None)
@given(st.lists(_NAME_CHARS, min_size=1, max_size=12).map("".join))
def test_catalog_expansion_agrees_with_the_evaluator(name: str) -> None:
    """Whatever the pattern, expand_action lists exactly the actions the evaluator allows."""
    pattern = f"xray:{name}"
    policy = Policy.from_json(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": pattern, "Resource": "*"}]}
    )
    allowed = {full for full in _XRAY if evaluate([policy], Request.build(full, "*")).outcome == "allowed"}
    assert {a.full_name for a in catalog.expand_action(pattern)} == allowed
