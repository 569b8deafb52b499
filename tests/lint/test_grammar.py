"""The grammar family: structure, JSON types, Sid, Effect, condition shape, characters,
policy-variable syntax."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xraybuilder.core.lint import grammar
from xraybuilder.core.lint.document import Document, LintContext
from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.policy.source import parse_json

ERROR = Severity.ERROR
WARNING = Severity.WARNING
SUGGESTION = Severity.SUGGESTION
MISSING = object()


def run(policy: Any) -> list[Finding]:
    text = policy if isinstance(policy, str) else json.dumps(policy, indent=2, ensure_ascii=False)
    parsed = parse_json(text)
    assert parsed.ok, parsed.problems
    doc = Document(parsed, LintContext())
    grammar.check(doc)
    return doc.findings()


def triples(findings: list[Finding]) -> list[tuple[str, Severity, str]]:
    return [(f.code, f.severity, f.path_str) for f in findings]


def one(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, triples(findings)
    return findings[0]


def stmt(**changes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": "Allow", "Action": "xray:GetGroup", "Resource": "*"}
    for key, value in changes.items():
        if value is MISSING:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def policy(*statements: Any, **top: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"Version": "2012-10-17", "Statement": list(statements) or [stmt()]}
    for key, value in top.items():
        if value is MISSING:
            out.pop(key, None)
        else:
            out[key] = value
    return out


# -- valid input ------------------------------------------------------------------


def test_valid_policy_has_no_findings() -> None:
    assert run(policy(stmt(Sid="Read1", Condition={"StringEquals": {"aws:ResourceTag/team": "a"}}))) == []


def test_single_statement_object_is_valid() -> None:
    assert run({"Version": "2012-10-17", "Statement": stmt()}) == []


def test_not_elements_are_valid() -> None:
    doc = policy(stmt(Action=MISSING, NotAction=["xray:Put*"], Resource=MISSING, NotResource="arn:x"))
    assert run(doc) == []


# -- top level --------------------------------------------------------------------


@pytest.mark.parametrize("doc", ["[]", '"text"', "42", "null"])
def test_policy_not_an_object(doc: str) -> None:
    f = one(run(doc))
    assert (f.code, f.severity, f.path_str) == ("DATA_TYPE_MISMATCH", ERROR, "")
    assert "JSON object" in f.message


def test_unknown_top_level_element_is_reported_on_its_key() -> None:
    text = '{\n  "Version": "2012-10-17",\n  "Foo": 1,\n  "Statement": [' + json.dumps(stmt()) + "]\n}"
    f = one(run(text))
    assert (f.code, f.severity, f.path_str) == ("INVALID_POLICY_ELEMENT", ERROR, "Foo")
    assert (f.line, f.column, f.end_column) == (3, 3, 8)
    assert f.fix is None


def test_top_level_case_slip_gets_rename_fix_and_no_missing_statement() -> None:
    f = one(run({"Version": "2012-10-17", "statement": [stmt()]}))
    assert (f.code, f.severity, f.path_str) == ("INVALID_POLICY_ELEMENT", ERROR, "statement")
    assert f.fix is not None and f.fix.new_key == "Statement" and f.fix.path == ("statement",)


def test_top_level_typo_statment_gets_rename_fix() -> None:
    f = one(run({"Version": "2012-10-17", "Statment": [stmt()]}))
    assert f.fix is not None and f.fix.new_key == "Statement"


def test_statement_element_at_top_level() -> None:
    findings = run({"Version": "2012-10-17", "Effect": "Allow", "Statement": [stmt()]})
    f = one(findings)
    assert (f.code, f.path_str) == ("INVALID_POLICY_ELEMENT", "Effect")
    assert "inside a statement" in f.message


def test_missing_version_is_a_warning_with_fix() -> None:
    f = one(run(policy(Version=MISSING)))
    assert (f.code, f.severity, f.path_str) == ("MISSING_VERSION", WARNING, "")
    assert "2008-10-17" in f.message
    assert f.fix is not None and f.fix.path == ("Version",) and f.fix.value == "2012-10-17"


def test_invalid_version_is_an_error() -> None:
    f = one(run(policy(Version="2024-01-01")))
    assert (f.code, f.severity, f.path_str) == ("INVALID_VERSION", ERROR, "Version")
    assert f.fix is None
    assert "2012-10-17" in f.message


def test_invalid_version_with_spaces_gets_fix() -> None:
    f = one(run(policy(Version=" 2012-10-17 ")))
    assert f.code == "INVALID_VERSION"
    assert f.fix is not None and f.fix.value == "2012-10-17"


def test_version_not_a_string() -> None:
    f = one(run(policy(Version=2012)))
    assert (f.code, f.severity, f.path_str) == ("DATA_TYPE_MISMATCH", ERROR, "Version")


def test_old_version_is_a_suggestion_about_variables() -> None:
    f = one(run(policy(Version="2008-10-17")))
    assert (f.code, f.severity, f.path_str) == ("OLD_VERSION", SUGGESTION, "Version")
    assert "plain text" in f.message


def test_id_is_ignored_in_identity_policies() -> None:
    f = one(run(policy(Id="MyPolicy")))
    assert (f.code, f.severity, f.path_str) == ("IGNORED_POLICY_ID", SUGGESTION, "Id")
    assert f.fix is not None and f.fix.removes


def test_id_not_a_string() -> None:
    f = one(run(policy(Id=["x"])))
    assert (f.code, f.severity, f.path_str) == ("DATA_TYPE_MISMATCH", ERROR, "Id")


def test_missing_statement() -> None:
    f = one(run({"Version": "2012-10-17"}))
    assert (f.code, f.severity, f.path_str) == ("MISSING_STATEMENT", ERROR, "")


def test_statement_of_wrong_type() -> None:
    f = one(run(policy(Statement="xray:GetGroup")))
    assert (f.code, f.severity, f.path_str) == ("DATA_TYPE_MISMATCH", ERROR, "Statement")


def test_empty_statement_list() -> None:
    f = one(run(policy(Statement=[])))
    assert (f.code, f.severity, f.path_str) == ("MISSING_STATEMENT", ERROR, "Statement")


def test_statement_item_not_an_object() -> None:
    findings = run(policy(Statement=[stmt(), "xray:GetGroup", None]))
    assert triples(findings) == [
        ("DATA_TYPE_MISMATCH", ERROR, "Statement[1]"),
        ("DATA_TYPE_MISMATCH", ERROR, "Statement[2]"),
    ]


# -- statement elements -------------------------------------------------------------


def test_unknown_statement_element_without_suggestion() -> None:
    f = one(run(policy(stmt(Foo="bar"))))
    assert (f.code, f.severity, f.path_str) == ("INVALID_POLICY_ELEMENT", ERROR, "Statement[0].Foo")
    assert f.fix is None
    assert "Action" in f.message


@pytest.mark.parametrize(
    ("key", "element"),
    [
        ("action", "Action"),
        ("Actions", "Action"),
        ("Resources", "Resource"),
        ("effect", "Effect"),
        ("Acton", "Action"),
        ("condition", "Condition"),
    ],
)
def test_statement_element_slip_gets_rename_fix(key: str, element: str) -> None:
    value = {"StringEquals": {"aws:username": "a"}} if element == "Condition" else stmt()[element]
    doc = policy(stmt(**{element: MISSING, key: value}))
    f = one(run(doc))
    assert (f.code, f.severity, f.path_str) == ("INVALID_POLICY_ELEMENT", ERROR, f"Statement[0].{key}")
    assert f.fix is not None and f.fix.new_key == element and f.fix.path == ("Statement", 0, key)


def test_slip_for_an_element_already_present_gets_no_fix() -> None:
    f = one(run(policy(stmt(action="xray:GetGroups"))))
    assert f.fix is None
    assert "already has" in f.message


def test_ambiguous_typo_is_a_hint_without_fix() -> None:
    findings = run(policy(stmt(Action=MISSING, NoAction="xray:GetGroup")))
    assert triples(findings) == [
        ("INVALID_POLICY_ELEMENT", ERROR, "Statement[0].NoAction"),
        ("MISSING_ACTION", ERROR, "Statement[0]"),
    ]
    assert findings[0].fix is None and '"NotAction"' in findings[0].message


@pytest.mark.parametrize("key", ["Principal", "NotPrincipal", "principal"])
def test_principal_is_unsupported_in_identity_policy(key: str) -> None:
    f = one(run(policy(stmt(**{key: {"AWS": "*"}}))))
    assert (f.code, f.severity, f.path_str) == ("UNSUPPORTED_PRINCIPAL", ERROR, f"Statement[0].{key}")


def test_policy_element_inside_statement() -> None:
    f = one(run(policy(stmt(Version="2012-10-17"))))
    assert (f.code, f.path_str) == ("INVALID_POLICY_ELEMENT", "Statement[0].Version")


# -- Effect ---------------------------------------------------------------------------


def test_missing_effect() -> None:
    f = one(run(policy(stmt(Effect=MISSING))))
    assert (f.code, f.severity, f.path_str) == ("MISSING_EFFECT", ERROR, "Statement[0]")


@pytest.mark.parametrize(("value", "fixed"), [("allow", "Allow"), ("DENY", "Deny"), (" Allow", "Allow")])
def test_effect_case_slip_gets_fix(value: str, fixed: str) -> None:
    f = one(run(policy(stmt(Effect=value))))
    assert (f.code, f.severity, f.path_str) == ("INVALID_EFFECT", ERROR, "Statement[0].Effect")
    assert f.fix is not None and f.fix.value == fixed


def test_invalid_effect_without_fix() -> None:
    f = one(run(policy(stmt(Effect="Permit"))))
    assert (f.code, f.severity) == ("INVALID_EFFECT", ERROR)
    assert f.fix is None


def test_effect_not_a_string() -> None:
    f = one(run(policy(stmt(Effect=True))))
    assert (f.code, f.severity, f.path_str) == ("DATA_TYPE_MISMATCH", ERROR, "Statement[0].Effect")


# -- Action / Resource ------------------------------------------------------------------


def test_action_and_notaction_together() -> None:
    f = one(run(policy(stmt(NotAction="xray:Put*"))))
    assert (f.code, f.severity, f.path_str) == (
        "UNSUPPORTED_ELEMENT_COMBINATION",
        ERROR,
        "Statement[0].NotAction",
    )


def test_resource_and_notresource_together() -> None:
    f = one(run(policy(stmt(NotResource="arn:aws:s3:::b"))))
    assert (f.code, f.severity, f.path_str) == (
        "UNSUPPORTED_ELEMENT_COMBINATION",
        ERROR,
        "Statement[0].NotResource",
    )


def test_missing_action_and_resource() -> None:
    findings = run(policy(stmt(Action=MISSING, Resource=MISSING)))
    assert triples(findings) == [
        ("MISSING_ACTION", ERROR, "Statement[0]"),
        ("MISSING_RESOURCE", ERROR, "Statement[0]"),
    ]


def test_empty_action_list_is_one_error() -> None:
    f = one(run(policy(stmt(Action=[]))))
    assert (f.code, f.severity, f.path_str) == ("EMPTY_ARRAY_ACTION", ERROR, "Statement[0].Action")
    assert "rejects" in f.message


def test_empty_resource_list_is_one_error() -> None:
    f = one(run(policy(stmt(Resource=[]))))
    assert (f.code, f.severity, f.path_str) == ("EMPTY_ARRAY_RESOURCE", ERROR, "Statement[0].Resource")


def test_empty_list_next_to_its_negation_is_a_suggestion_to_remove() -> None:
    findings = run(policy(stmt(Action=[], NotAction="xray:Put*")))
    assert triples(findings) == [
        ("UNSUPPORTED_ELEMENT_COMBINATION", ERROR, "Statement[0].NotAction"),
        ("EMPTY_ARRAY_ACTION", SUGGESTION, "Statement[0].Action"),
    ]
    assert findings[1].fix is not None and findings[1].fix.removes


def test_action_items_not_strings() -> None:
    findings = run(policy(stmt(Action=["xray:GetGroup", 3, None, ["x"]])))
    assert triples(findings) == [
        ("DATA_TYPE_MISMATCH", ERROR, f"Statement[0].Action[{i}]") for i in (1, 2, 3)
    ]


@pytest.mark.parametrize("element", ["Action", "NotResource"])
def test_element_of_wrong_type(element: str) -> None:
    doc = policy(stmt(**{element: {"a": 1}}, **({"Resource": MISSING} if element == "NotResource" else {})))
    f = one(run(doc))
    assert (f.code, f.severity, f.path_str) == ("DATA_TYPE_MISMATCH", ERROR, f"Statement[0].{element}")


# -- Sid ----------------------------------------------------------------------------------


def test_sid_with_unsupported_characters_gets_fix() -> None:
    f = one(run(policy(stmt(Sid="Read X-Ray traces"))))
    assert (f.code, f.severity, f.path_str) == ("UNSUPPORTED_SID", ERROR, "Statement[0].Sid")
    assert f.fix is not None and f.fix.value == "ReadXRaytraces"


def test_sid_fix_withheld_when_it_would_collide() -> None:
    findings = run(policy(stmt(Sid="Read_1"), stmt(Sid="Read1")))
    assert triples(findings) == [("UNSUPPORTED_SID", ERROR, "Statement[0].Sid")]
    assert findings[0].fix is None


def test_empty_sid_is_a_suggestion() -> None:
    f = one(run(policy(stmt(Sid=""))))
    assert (f.code, f.severity, f.path_str) == ("EMPTY_SID_VALUE", SUGGESTION, "Statement[0].Sid")
    assert f.fix is not None and f.fix.removes


def test_duplicate_sid_is_an_error_on_the_second() -> None:
    findings = run(policy(stmt(Sid="Read"), stmt(Sid="Write"), stmt(Sid="Read")))
    f = one(findings)
    assert (f.code, f.severity, f.path_str) == ("UNIQUE_SIDS_REQUIRED", ERROR, "Statement[2].Sid")
    assert "Statement[0]" in f.message


def test_sid_not_a_string() -> None:
    f = one(run(policy(stmt(Sid=7))))
    assert (f.code, f.severity, f.path_str) == ("DATA_TYPE_MISMATCH", ERROR, "Statement[0].Sid")


# -- Condition shape ----------------------------------------------------------------------


def test_condition_not_an_object() -> None:
    f = one(run(policy(stmt(Condition=["aws:SecureTransport"]))))
    assert (f.code, f.severity, f.path_str) == ("DATA_TYPE_MISMATCH", ERROR, "Statement[0].Condition")


def test_empty_condition() -> None:
    f = one(run(policy(stmt(Condition={}))))
    assert (f.code, f.severity, f.path_str) == (
        "EMPTY_OBJECT_CONDITION",
        SUGGESTION,
        "Statement[0].Condition",
    )
    assert f.fix is not None and f.fix.removes


def test_operator_value_not_an_object_and_empty_operator() -> None:
    findings = run(policy(stmt(Condition={"StringEquals": "aws:username", "Bool": {}})))
    assert triples(findings) == [
        ("DATA_TYPE_MISMATCH", ERROR, "Statement[0].Condition.StringEquals"),
        ("EMPTY_OBJECT_CONDITION", SUGGESTION, "Statement[0].Condition.Bool"),
    ]


@pytest.mark.parametrize(
    ("operator", "code"),
    [
        ("StringEquals", "EMPTY_ARRAY_CONDITION"),
        ("ForAllValues:StringEquals", "EMPTY_ARRAY_CONDITION_FORALLVALUES"),
        ("ForAnyValue:StringLike", "EMPTY_ARRAY_CONDITION_FORANYVALUE"),
        ("StringEqualsIfExists", "EMPTY_ARRAY_CONDITION_IFEXISTS"),
    ],
)
def test_empty_condition_value_list(operator: str, code: str) -> None:
    f = one(run(policy(stmt(Condition={operator: {"aws:TagKeys": []}}))))
    assert (f.code, f.severity) == (code, SUGGESTION)
    assert f.path == ("Statement", 0, "Condition", operator, "aws:TagKeys")


def test_condition_values_of_wrong_json_type() -> None:
    doc = policy(
        stmt(
            Condition={
                "StringEquals": {
                    "aws:username": None,
                    "aws:userid": {"a": 1},
                    "aws:PrincipalTag/x": ["ok", None, ["n"], 3, True],
                }
            }
        )
    )
    assert triples(run(doc)) == [
        ("DATA_TYPE_MISMATCH", ERROR, 'Statement[0].Condition.StringEquals["aws:username"]'),
        ("DATA_TYPE_MISMATCH", ERROR, 'Statement[0].Condition.StringEquals["aws:userid"]'),
        ("DATA_TYPE_MISMATCH", ERROR, 'Statement[0].Condition.StringEquals["aws:PrincipalTag/x"][1]'),
        ("DATA_TYPE_MISMATCH", ERROR, 'Statement[0].Condition.StringEquals["aws:PrincipalTag/x"][2]'),
    ]


# -- characters ---------------------------------------------------------------------------


def test_character_outside_latin1_with_position_and_fix() -> None:
    text = (
        '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "xray:GetGroup",\n'
        '    "Resource": "arn:aws:xray:us-east-1:123456789012:group/a\u2013b/*"}]\n}'
    )
    f = one(run(text))
    assert (f.code, f.severity, f.path_str) == ("UNSUPPORTED_CHARACTER", ERROR, "Statement[0].Resource")
    assert (f.line, f.column, f.end_line, f.end_column) == (4, 61, 4, 62)
    assert "U+2013 EN DASH" in f.message
    assert f.fix is not None and f.fix.value == "arn:aws:xray:us-east-1:123456789012:group/a-b/*"


def test_characters_in_a_key_have_no_fix_and_runs_are_one_finding() -> None:
    doc = policy(stmt(Condition={"StringEquals": {"aws:ResourceTag/\u56e2\u961f": "a"}}))
    f = one(run(doc))
    assert f.code == "UNSUPPORTED_CHARACTER" and f.fix is None
    assert "2 characters" in f.message


def test_latin1_characters_are_accepted() -> None:
    assert run(policy(stmt(Condition={"StringEquals": {"aws:username": "J\u00fcrgen\u00a0\u00ff"}}))) == []


def test_byte_order_mark_is_left_to_the_json_reader() -> None:
    assert run("\ufeff" + json.dumps(policy())) == []


# -- policy variables ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("arn:aws:s3:::b/${aws:username", "MISSING_BRACE_IN_VARIABLE"),
        ("arn:aws:s3:::b/${aws:username/${aws:userid}", "MISSING_BRACE_IN_VARIABLE"),
        ("arn:aws:s3:::b/${ aws:username}", "UNSUPPORTED_SPACE_IN_VARIABLE"),
        ("arn:aws:s3:::b/${}", "EMPTY_VARIABLE"),
        ("arn:aws:s3:::b/${aws:PrincipalTag/team, default}", "MISSING_QUOTE_IN_VARIABLE"),
    ],
)
def test_variable_syntax_in_resource(value: str, code: str) -> None:
    f = one(run(policy(stmt(Resource=["*", value]))))
    assert (f.code, f.severity, f.path_str) == (code, ERROR, "Statement[0].Resource[1]")


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:s3:::b/${aws:username}/*",
        "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}",
        "arn:aws:s3:::b/${*}${?}${$}",
    ],
)
def test_valid_variables(value: str) -> None:
    assert run(policy(stmt(Resource=value))) == []


def test_variable_syntax_in_condition_value() -> None:
    doc = policy(stmt(Condition={"StringLike": {"s3:prefix": ["home/${aws:username", "ok"]}}))
    f = one(run(doc))
    assert (f.code, f.path_str) == (
        "MISSING_BRACE_IN_VARIABLE",
        'Statement[0].Condition.StringLike["s3:prefix"][0]',
    )


def test_variable_in_action_is_unsupported() -> None:
    f = one(run(policy(stmt(Action=["xray:GetGroup", "xray:${aws:username}"]))))
    assert (f.code, f.severity, f.path_str) == (
        "VARIABLE_UNSUPPORTED_IN_ELEMENT",
        ERROR,
        "Statement[0].Action[1]",
    )


def test_variable_in_sid_is_unsupported() -> None:
    f = one(run(policy(stmt(Sid="${aws:username}"))))
    assert (f.code, f.severity, f.path_str) == ("VARIABLE_UNSUPPORTED_IN_ELEMENT", ERROR, "Statement[0].Sid")


def test_variable_with_old_version_is_taken_literally() -> None:
    findings = run(policy(stmt(Resource="arn:aws:s3:::b/${aws:username}"), Version="2008-10-17"))
    assert triples(findings) == [
        ("OLD_VERSION", SUGGESTION, "Version"),
        ("VARIABLE_UNSUPPORTED_IN_VERSION", ERROR, "Statement[0].Resource"),
    ]
    fix = findings[1].fix
    assert fix is not None and fix.path == ("Version",) and fix.value == "2012-10-17"


def test_variable_without_version_is_taken_literally() -> None:
    doc = policy(
        stmt(Condition={"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}), Version=MISSING
    )
    assert triples(run(doc)) == [
        ("MISSING_VERSION", WARNING, ""),
        (
            "VARIABLE_UNSUPPORTED_IN_VERSION",
            ERROR,
            'Statement[0].Condition.StringEquals["aws:ResourceTag/owner"]',
        ),
    ]


# -- all problems at once -----------------------------------------------------------------


def test_every_problem_in_one_statement_is_reported() -> None:
    doc = policy(
        {
            "Sid": "bad sid",
            "Effect": "allow",
            "Action": [],
            "Resource": [1],
            "Principal": "*",
            "Foo": 1,
            "Condition": {"StringEquals": {"aws:username": None}},
        },
        stmt(Sid="bad sid"),
    )
    assert sorted(triples(run(doc))) == sorted(
        [
            ("UNSUPPORTED_SID", ERROR, "Statement[0].Sid"),
            ("INVALID_EFFECT", ERROR, "Statement[0].Effect"),
            ("EMPTY_ARRAY_ACTION", ERROR, "Statement[0].Action"),
            ("DATA_TYPE_MISMATCH", ERROR, "Statement[0].Resource[0]"),
            ("UNSUPPORTED_PRINCIPAL", ERROR, "Statement[0].Principal"),
            ("INVALID_POLICY_ELEMENT", ERROR, "Statement[0].Foo"),
            ("DATA_TYPE_MISMATCH", ERROR, 'Statement[0].Condition.StringEquals["aws:username"]'),
            ("UNSUPPORTED_SID", ERROR, "Statement[1].Sid"),
            ("UNIQUE_SIDS_REQUIRED", ERROR, "Statement[1].Sid"),
        ]
    )


def test_positions_point_at_the_offending_element() -> None:
    text = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Alow",
      "Action": "xray:GetGroup",
      "Resource": "*",
      "principal": "*"
    }
  ]
}"""
    by_code = {f.code: f for f in run(text)}
    assert (by_code["INVALID_EFFECT"].line, by_code["INVALID_EFFECT"].column) == (5, 17)
    assert (by_code["UNSUPPORTED_PRINCIPAL"].line, by_code["UNSUPPORTED_PRINCIPAL"].column) == (8, 7)


# -- fixes and robustness -----------------------------------------------------------------


def test_applying_the_fixes_gives_a_policy_without_findings() -> None:
    from xraybuilder.core.lint import actions
    from xraybuilder.core.lint.fixes import apply_fixes

    text = json.dumps(
        {
            "version": "2012-10-17",
            "Id": "x",
            "Statement": [
                {
                    "Sid": "Read traces",
                    "effect": "allow",
                    "Actions": ["xray.GetGroup", "XRAY:gettracesummaries"],
                    "Resource": "arn:aws:xray:us-east-1:123456789012:group/a\u2013b/*",
                    "Condition": {},
                }
            ],
        },
        ensure_ascii=False,
    )
    for _ in range(4):
        doc = Document(parse_json(text), LintContext())
        grammar.check(doc)
        actions.check(doc)
        fixes = [f.fix for f in doc.findings() if f.fix is not None]
        if not fixes:
            break
        text = apply_fixes(text, fixes)
    assert triples(doc.findings()) == []
    assert json.loads(text)["Statement"][0]["Action"] == ["xray:GetGroup", "xray:GetTraceSummaries"]


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(
        ["", "*", "Allow", "allow", "xray:GetGroup", "${aws:username", "2012-10-17", "a b", "\u2013"]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "Version",
                    "Statement",
                    "Sid",
                    "Effect",
                    "Action",
                    "NotAction",
                    "Resource",
                    "NotResource",
                    "Condition",
                    "StringEquals",
                    "aws:TagKeys",
                    "Id",
                    "x",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=100, deadline=None)
@given(_json)
def test_never_raises_on_any_json(value: Any) -> None:
    from xraybuilder.core.lint import actions, size

    for shape in (value, {"Version": "2012-10-17", "Statement": value}, {"Statement": [value]}):
        doc = Document(parse_json(json.dumps(shape, ensure_ascii=False)), LintContext())
        for family in (grammar, actions, size):
            family.check(doc)
        for finding in doc.findings():
            assert finding.severity in Severity and finding.message


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # IAM reads the policy after JSON unescaping: "$\u007b" is "${".
        (
            '{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", '
            '"Resource": "arn:aws:s3:::b/$\\u007baws:username}/*"}}',
            "VARIABLE_UNSUPPORTED_IN_VERSION",
        ),
        (
            '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", '
            '"Action": "xray:$\\u007baws:username}", "Resource": "*"}}',
            "VARIABLE_UNSUPPORTED_IN_ELEMENT",
        ),
        (
            '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "xray:GetGroup", '
            '"Resource": "*", "Condition": {"StringEquals": '
            '{"aws:PrincipalTag/team": "\\u0024{ aws:username}"}}}}',
            "UNSUPPORTED_SPACE_IN_VARIABLE",
        ),
    ],
)
def test_variables_written_with_json_escapes(text: str, code: str) -> None:
    doc = Document(parse_json(text), LintContext())
    grammar.check(doc)
    assert code in [f.code for f in doc.findings()]
