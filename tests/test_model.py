"""The policy model: read, render, read again gives the same policy; bad shapes name
their place."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xraybuilder.core.policy.model import (
    VERSIONS,
    Policy,
    PolicyShapeError,
    Statement,
    format_path,
)
from xraybuilder.core.policy.render import iam_size, policy_size, render

# -- strategies for every policy the model can hold --------------------------------------

names = st.text(min_size=0, max_size=12)
str_or_list = st.none() | names | st.lists(names, max_size=4).map(tuple)
scalars = (
    names | st.booleans() | st.integers(-(10**9), 10**9) | st.floats(allow_nan=False, allow_infinity=False)
)
condition_values = scalars | st.lists(scalars, max_size=3).map(tuple)
conditions = st.none() | st.dictionaries(
    names, st.dictionaries(names, condition_values, max_size=3), max_size=3
)
principals = (
    st.none()
    | st.just("*")
    | st.dictionaries(
        st.sampled_from(["AWS", "Service", "Federated"]),
        names | st.lists(names, max_size=2),
        min_size=1,
        max_size=2,
    )
)
statements = st.builds(
    Statement,
    effect=st.sampled_from(["Allow", "Deny"]) | names,
    sid=st.none() | names,
    action=str_or_list,
    not_action=str_or_list,
    resource=str_or_list,
    not_resource=str_or_list,
    condition=conditions,
    principal=principals,
    not_principal=principals,
)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    stmts = tuple(draw(st.lists(statements, max_size=4)))
    single = len(stmts) == 1 and draw(st.booleans())
    version = draw(st.none() | st.sampled_from(VERSIONS) | names)
    return Policy(stmts, version, draw(st.none() | names), single)


@settings(max_examples=200, deadline=None)
@given(policies(), st.booleans())
def test_round_trip_through_text(policy: Policy, compact: bool) -> None:
    text = render(policy, compact=compact)
    again = Policy.from_text(text)
    assert again == policy
    assert again.single_statement == policy.single_statement
    # Rendering is a fixed point: the canonical text of the re-read policy is the same.
    assert render(again, compact=compact) == text


@settings(max_examples=100, deadline=None)
@given(policies())
def test_round_trip_through_json_value(policy: Policy) -> None:
    doc = json.loads(render(policy))
    assert Policy.from_json(doc) == policy
    assert Policy.from_json(doc).to_json() == doc


@settings(max_examples=100, deadline=None)
@given(policies())
def test_size_counts_every_character_but_whitespace(policy: Policy) -> None:
    pretty, compact = render(policy), render(policy, compact=True)
    assert iam_size(pretty) == iam_size(compact) == policy_size(policy)
    assert iam_size(compact) <= len(compact)


# -- shape and order --------------------------------------------------------------------


def test_canonical_element_order() -> None:
    text = json.dumps(
        {
            "Statement": [
                {
                    "Resource": "*",
                    "Condition": {"Bool": {"aws:SecureTransport": "true"}},
                    "Action": "xray:GetGroups",
                    "Effect": "Allow",
                    "Sid": "S1",
                }
            ],
            "Version": "2012-10-17",
        }
    )
    out = render(Policy.from_text(text))
    assert list(json.loads(out)) == ["Version", "Statement"]
    assert list(json.loads(out)["Statement"][0]) == ["Sid", "Effect", "Action", "Resource", "Condition"]


def test_shape_is_kept() -> None:
    text = (
        '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", '
        '"Action": "xray:GetGroups", "Resource": ["*"]}}'
    )
    policy = Policy.from_text(text)
    assert policy.single_statement
    stmt = policy.statements[0]
    assert stmt.action == "xray:GetGroups" and stmt.actions() == ("xray:GetGroups",)
    assert stmt.resource == ("*",) and stmt.resources() == ("*",)
    assert stmt.not_actions() == () and stmt.not_resources() == ()
    doc = json.loads(render(policy))
    assert isinstance(doc["Statement"], dict)
    assert doc["Statement"]["Resource"] == ["*"]


def test_compact_rendering_is_one_line() -> None:
    policy = Policy((Statement(action="xray:GetGroups", resource="*"),))
    text = render(policy, compact=True)
    assert "\n" not in text and " " not in text
    assert render(policy).endswith("}\n")


@pytest.mark.parametrize(
    ("doc", "path", "words"),
    [
        ([], (), "must be a JSON object"),
        ({"Version": "2012-10-17"}, (), "no Statement"),
        ({"Statment": []}, ("Statment",), 'unknown policy element "Statment"'),
        ({"Version": 2012, "Statement": []}, ("Version",), "Version must be a string"),
        ({"Statement": "x"}, ("Statement",), "object or a list"),
        ({"Statement": ["x"]}, ("Statement", 0), "must be a JSON object"),
        (
            {"Statement": [{"Effect": "Allow"}, {"Actions": []}]},
            ("Statement", 1, "Actions"),
            'unknown statement element "Actions"',
        ),
        ({"Statement": [{"Action": "x"}]}, ("Statement", 0, "Effect"), "Effect is missing"),
        (
            {"Statement": [{"Effect": "Allow", "Action": 5}]},
            ("Statement", 0, "Action"),
            "string or a list of strings",
        ),
        (
            {"Statement": [{"Effect": "Allow", "Resource": ["*", 1]}]},
            ("Statement", 0, "Resource"),
            "string or a list of strings",
        ),
        (
            {"Statement": [{"Effect": "Allow", "Condition": "x"}]},
            ("Statement", 0, "Condition"),
            "object of operators",
        ),
        (
            {"Statement": [{"Effect": "Allow", "Condition": {"Bool": "x"}}]},
            ("Statement", 0, "Condition", "Bool"),
            "map keys to values",
        ),
        (
            {"Statement": [{"Effect": "Allow", "Condition": {"Bool": {"k": {"a": 1}}}}]},
            ("Statement", 0, "Condition", "Bool", "k"),
            "strings, numbers or booleans",
        ),
        ({"Statement": {"Effect": "Allow", "Sid": 3}}, ("Statement", "Sid"), "Sid must be a string"),
    ],
)
def test_shapes_the_model_cannot_hold(doc: Any, path: tuple[Any, ...], words: str) -> None:
    with pytest.raises(PolicyShapeError) as err:
        Policy.from_json(doc)
    assert err.value.path == path
    assert words in str(err.value)
    if path:
        assert str(err.value).startswith(format_path(path) + ":")


def test_from_text_names_line_and_column_of_a_syntax_error() -> None:
    with pytest.raises(PolicyShapeError, match=r"line 3, column 16: Expected a value but found"):
        Policy.from_text('{\n  "Version": "2012-10-17",\n  "Statement": ]\n}')


def test_from_text_accepts_recoverable_mistakes() -> None:
    policy = Policy.from_text('{"Statement": [{"Effect": "Allow", "Action": "xray:GetGroups",},]}')
    assert policy.statements[0].action == "xray:GetGroups"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("Statement", 1, "Resource", 0), "Statement[1].Resource[0]"),
        (
            ("Statement", "Condition", "StringEquals", "aws:ResourceTag/team"),
            'Statement.Condition.StringEquals["aws:ResourceTag/team"]',
        ),
        ((0, "a_b"), "[0].a_b"),
        (("ForAnyValue:StringLike",), '["ForAnyValue:StringLike"]'),
    ],
)
def test_format_path(path: tuple[Any, ...], text: str) -> None:
    assert format_path(path) == text


def test_a_text_read_again_reuses_the_statements_it_did_not_change() -> None:
    def text(sid: str, resource: str) -> str:
        statements = [
            {"Sid": sid, "Effect": "Allow", "Action": "xray:GetGroup", "Resource": resource},
            {
                "Effect": "Allow",
                "Action": ["xray:GetGroups"],
                "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "true"}},
            },
            {"Effect": "Deny", "NotAction": "xray:Put*", "Resource": "*"},
        ]
        return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)

    first = Policy.from_text(text("One", "arn:aws:xray:eu-west-1:123456789012:group/a/*"))
    second = Policy.from_text(text("Two", "arn:aws:xray:eu-west-1:123456789012:group/a/*"))
    third = Policy.from_text(text("Two", "arn:aws:xray:eu-west-1:123456789012:group/b/*"))
    for policy, doc in ((first, "One"), (second, "Two"), (third, "Two")):
        assert policy == Policy.from_json(json.loads(render(policy)))
        assert policy.statements[0].sid == doc
    assert second.statements[1] is first.statements[1] and second.statements[2] is first.statements[2]
    assert second.statements[0] is not first.statements[0]
    assert third.statements[0].resource == "arn:aws:xray:eu-west-1:123456789012:group/b/*"
    # A statement that cannot be modelled is reported at its place, whichever it is.
    broken = text("One", "x").replace('"Effect": "Deny"', '"Effect": 7')
    with pytest.raises(PolicyShapeError) as err:
        Policy.from_text(broken)
    assert err.value.path == ("Statement", 2, "Effect")
