"""assess(draft): documents, findings mapped to fields, sizes, expectations, comparison, summary."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xraybuilder.core.assess import AssessedFinding, DraftField, Size, apply_fix, assess, identity_text
from xraybuilder.core.bundle import baseline_policy, build, check_expectations, within_baseline
from xraybuilder.core.draft import Draft, DraftCondition, DraftError, DraftStatement, policy_of
from xraybuilder.core.explain import compare, summarize
from xraybuilder.core.lint import LintContext, Severity, lint
from xraybuilder.core.policy.render import iam_size, render
from xraybuilder.core.scenarios import load_library

ACCOUNT = "123456789012"
POLICY = (
    '{"Version": "2012-10-17", "Statement": '
    '[{"Effect": "Allow", "Action": "xray:GetGroup", "Resource": "*"}]}'
)
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ADMIN = "arn:aws:iam::123456789012:role/XRayAdmin"
REQUIRED: dict[str, dict[str, str]] = {
    "ecs": {"account": ACCOUNT},
    "group-admin": {"account": ACCOUNT},
    "sampling-rule-admin": {"account": ACCOUNT},
    "encryption-admin": {"kms_key_arn": KEY_ARN, "admin_arn": ADMIN},
}
SHIPPED = [p.id for p in load_library(include_user=False).ordered()]


@pytest.mark.parametrize("pid", SHIPPED)
def test_a_preset_draft_assesses_like_the_bundle_it_builds(pid: str) -> None:
    params = REQUIRED.get(pid, {})
    bundle = build(pid, params)
    a = assess(Draft.from_preset(pid, params))
    assert a.ok and a.parameter_problems == ()
    assert a.bundle == bundle
    ids = [d.id for d in a.documents]
    assert ids == [
        i
        for i, present in (
            ("identity", bundle.identity_policy is not None),
            ("trust", bundle.trust_policy is not None),
            ("kms-key-policy", bool(bundle.kms_key_policy_statements)),
        )
        if present
    ]
    files = bundle.files()
    for doc in a.documents:
        exported = {"identity": "policy.json", "trust": "trust-policy.json"}.get(
            doc.id, "kms-key-policy-statements.json"
        )
        assert doc.text == files[exported], "the document text is exactly what is exported"
        assert doc.size is not None and doc.size.characters == iam_size(doc.text)
    identity = a.document("identity")
    if identity is not None:
        assert identity.kind == "identity"
        assert identity.findings == tuple(lint(identity.text, LintContext(target=bundle.lint_target)))  # type: ignore[arg-type]
        assert identity.size == Size(iam_size(identity.text), identity.size.quota, bundle.lint_target)  # type: ignore[union-attr]
        assert a.summary == summarize(bundle.identity_policy)  # type: ignore[arg-type]
    assert [(r.expectation, r.outcome) for r in a.expectations] == [
        (r.expectation, r.outcome) for r in check_expectations(bundle)
    ]
    assert all(r.holds for r in a.expectations)
    mine, baseline = within_baseline(bundle), baseline_policy(bundle)
    if mine is not None and baseline is not None:
        assert a.comparison == compare(mine, baseline) and a.comparison.is_subset
    # Every shipped document passes the rules of its own kind.
    serious = [f for f in a.findings if f.finding.severity is not Severity.SUGGESTION]
    assert serious == []


def test_trust_and_key_policy_documents_have_their_own_kind_and_quota() -> None:
    a = assess(Draft.from_preset("encryption-admin", REQUIRED["encryption-admin"]))
    key = a.document("kms-key-policy")
    assert key is not None and key.kind == "key-policy" and key.size is not None
    assert (key.size.quota, key.size.target) == (32768, "key-policy")
    trust = assess(Draft.from_preset("ec2")).document("trust")
    assert trust is not None and trust.kind == "trust" and trust.size is not None
    assert (trust.size.quota, trust.size.target) == (2048, "trust")
    assert trust.title == "Trust policy"
    identity = assess(Draft.from_preset("ec2")).document("identity")
    assert (
        identity is not None
        and identity.title == "Identity policy (XRayEC2Policy)"
        or identity.title.startswith(  # type: ignore[union-attr]
            "Identity policy ("
        )
    )


def test_parameter_problems_come_back_as_diagnostics_without_a_bundle() -> None:
    a = assess(Draft.from_preset("ecs", {"region": "", "account": "12"}))
    assert not a.ok and a.bundle is None
    by_where = {d.where: d for d in a.parameter_problems}
    assert set(by_where) == {"parameter region", "parameter account"}
    assert by_where["parameter region"].code == "PARAMETER_EMPTY"
    assert by_where["parameter account"].severity == "error"
    assert a.expectations == () and a.comparison is None
    assert a.counts()["error"] == 2


def test_an_unknown_preset_is_a_problem_not_an_exception() -> None:
    a = assess(Draft.from_preset("nope"))
    assert not a.ok and a.documents == ()
    assert [d.code for d in a.parameter_problems] == ["UNKNOWN_PRESET"]
    assert "unknown scenario 'nope'" in a.parameter_problems[0].message


def test_an_unused_shared_parameter_is_a_note() -> None:
    a = assess(Draft.from_preset("console-read", {"account": ACCOUNT}))
    assert a.ok
    assert [n.code for n in a.notes] == ["PARAMETER_NOTE"]
    assert "does not use account" in a.notes[0].message


def test_edited_statements_flow_into_the_bundle_and_expectations() -> None:
    draft = Draft.from_preset("ec2").remove_action(0, "xray:PutTraceSegments")
    a = assess(draft)
    assert a.bundle is not None and a.bundle.identity_policy is not None
    assert "xray:PutTraceSegments" not in a.bundle.identity_policy.statements[0].actions()
    failed = [r.expectation.action for r in a.expectations if not r.holds]
    assert failed == ["xray:PutTraceSegments"], "the preset's expectation now fails"
    assert a.comparison is not None and a.comparison.short_of_actions() == {"xray:PutTraceSegments"}


def test_findings_map_to_draft_fields() -> None:
    draft = (
        Draft.custom()
        .set_actions(0, ["xray:GetGroup", "xray:GetGropus"])
        .add_statement(
            DraftStatement(
                actions=("xray:CreateGroup",),
                resources=(
                    "arn:aws:xray:us-east-1:123456789012:group/g/*",
                    "arn:aws:xray:us-east-1:12:group/h/*",
                ),
                conditions=(
                    DraftCondition("StringEquals", "aws:RequestTag/team", ("web",)),
                    DraftCondition("StringEquals", "xray:ResourceTag/team", ("web",)),
                ),
            )
        )
    )
    a = assess(draft)
    fields = {f.finding.code: f.field for f in a.findings}
    assert fields["INVALID_ACTION"] == DraftField("actions", 0, 1)
    account = next(f for f in a.findings if f.field.step == "resources")
    assert account.field == DraftField("resources", 1, 1)
    condition = next(f for f in a.findings if f.field.step == "conditions")
    assert condition.field == DraftField("conditions", 1, 1), condition.finding
    ranks = [f.finding.severity.rank for f in a.findings]
    assert ranks == sorted(ranks, reverse=True), "most severe first"


def test_findings_of_an_unmaterialised_preset_map_by_built_statement() -> None:
    a = assess(Draft.from_preset("sampling-rule-admin", {"account": ACCOUNT, "rule_name": "web-rule"}))
    assert a.ok
    identity = a.document("identity")
    assert identity is not None
    policy = json.loads(identity.text)
    for f in a.findings:
        if f.field.statement is not None:
            assert f.field.statement < len(policy["Statement"])


def test_a_file_draft_is_linted_by_its_detected_kind() -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    a = assess(Draft.from_text(json.dumps(trust), "trust.json"))
    assert [d.id for d in a.documents] == ["trust"] and a.ok and a.findings == ()
    assert a.documents[0].title == "Trust policy (trust.json)"
    assert a.summary is None, "a summary is of what an identity policy grants"


def test_a_file_draft_is_linted_by_the_kind_it_names() -> None:
    text = json.dumps(
        {
            "Version": "2012-10-17",
            "Id": "TraceWriters",
            "Statement": [{"Effect": "Allow", "Action": "xray:PutTraceSegments", "Resource": "*"}],
        }
    )
    as_identity = assess(Draft.from_text(text, "r.json"))
    assert [f.finding.code for f in as_identity.findings] == ["IGNORED_POLICY_ID"]
    as_resource = assess(Draft.from_text(text, "r.json").with_kind("resource"))
    assert as_resource.documents[0].id == "resource" and as_resource.documents[0].size is None
    assert [f.finding.code for f in as_resource.findings] == ["MISSING_PRINCIPAL"]
    assert as_resource.findings[0].field == DraftField("document", 0)


def test_a_file_draft_keeps_its_text_and_positions() -> None:
    text = (
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n'
        '    {"Effect": "Allow", "Action": "xray:GetGroup",}\n  ]\n}\n'
    )
    a = assess(Draft.from_text(text, "p.json"))
    assert a.documents[0].text == text, "positions refer to the text as typed"
    codes = {f.finding.code: f for f in a.findings}
    assert codes["JSON_SYNTAX_ERROR"].finding.line == 4
    assert not a.ok
    broken = assess(Draft.from_text('{"Statement": [', "b.json"))
    assert broken.documents[0].policy is None and broken.summary is None and not broken.ok


def test_an_empty_custom_draft_says_what_is_missing() -> None:
    a = assess(Draft.custom())
    assert [(f.finding.code, f.field) for f in a.findings] == [
        ("EMPTY_ARRAY_ACTION", DraftField("actions", 0))
    ]


def test_counts_and_document_lookup() -> None:
    a = assess(Draft.custom().set_actions(0, ["xray:GetGropus"]))
    assert a.counts() == {"error": 1}
    assert a.document("trust") is None and a.document("identity") is a.documents[0]


def test_assessments_are_cached_by_draft() -> None:
    draft = Draft.from_preset("local-dev")
    assert assess(draft) is assess(Draft.from_preset("local-dev"))
    assert assess(draft).summary is assess(draft).summary, "worked out once"
    assert assess(draft.with_param("region", "eu-west-1")) is not assess(draft)


# -- apply_fix ------------------------------------------------------------------------


def test_apply_fix_repairs_the_identity_policy() -> None:
    draft = Draft.custom().set_actions(0, ["xray:getgroup"]).set_resources(0, ["*"])
    a = assess(draft)
    finding = next(f for f in a.findings if f.finding.fix is not None)
    fixed = apply_fix(draft, finding)
    assert fixed.statements is not None and fixed.statements[0].actions == ("xray:GetGroup",)
    assert finding.finding.code not in {f.finding.code for f in assess(fixed).findings}


def test_apply_fix_on_a_preset_materialises_it() -> None:
    draft = Draft.from_preset("console-read").set_actions(0, ["xray:GetGroup", "xray:getgroups"])
    finding = next(f for f in assess(draft).findings if f.finding.fix is not None)
    fixed = apply_fix(draft, finding)
    assert fixed.origin == "preset" and fixed.statements is not None
    assert "xray:GetGroups" in fixed.statements[0].actions


def test_apply_fix_on_a_file_edits_the_text() -> None:
    text = POLICY.replace('"Statement"', '"Id": "x", "Statement"')
    draft = Draft.from_text(text, "p.json")
    finding = next(f for f in assess(draft).findings if f.finding.code == "IGNORED_POLICY_ID")
    fixed = apply_fix(draft, finding)
    assert fixed.statements is None and '"Id"' not in (fixed.file_text or "")


def test_apply_fix_without_a_fix_says_so() -> None:
    draft = Draft.custom()
    finding = assess(draft).findings[0]
    assert finding.finding.fix is None
    with pytest.raises(DraftError, match="offers no automatic fix"):
        apply_fix(draft, finding)


def test_apply_fix_on_a_built_document_points_to_the_parameters() -> None:
    a = assess(Draft.from_preset("ec2"))
    trust = a.document("trust")
    assert trust is not None
    from xraybuilder.core.lint.finding import REMOVE, Finding, Fix

    made_up = AssessedFinding(
        "trust",
        Finding("X", Severity.WARNING, "m", ("Statement", 0), fix=Fix("remove", ("Statement", 0), REMOVE)),
        DraftField("document", 0),
    )
    with pytest.raises(DraftError, match="built from the parameters"):
        apply_fix(Draft.from_preset("ec2"), made_up)


# -- never raises ----------------------------------------------------------------------

TEXT = st.text(max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.builds(Draft.from_text, st.text(max_size=300)),
        st.builds(
            Draft.from_preset,
            st.sampled_from([*SHIPPED, "nope"]),
            st.dictionaries(
                st.sampled_from(["region", "account", "partition", "role_name", "x"]), TEXT, max_size=3
            ),
        ),
        st.builds(
            lambda acts, res: Draft.custom().set_actions(0, acts).set_resources(0, res),
            st.lists(TEXT, max_size=4),
            st.lists(TEXT, max_size=3),
        ),
    )
)
def test_assess_never_raises(draft: Draft) -> None:
    a = assess(draft)
    assert all(n.code != "INTERNAL_ERROR" for n in a.notes), a.notes
    assert isinstance(a.ok, bool)
    a.summary, a.comparison  # noqa: B018 - worked out on first access
    assert a.internal_errors == ()


ANY = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
STATEMENTS = st.builds(
    DraftStatement,
    sid=ANY,
    effect=st.sampled_from(["Allow", "Deny"]),
    actions=st.lists(ANY, max_size=3).map(tuple),
    resources=st.lists(ANY, max_size=3).map(tuple),
    conditions=st.lists(
        st.builds(DraftCondition, ANY.filter(bool), ANY.filter(bool), st.lists(ANY, max_size=3).map(tuple)),
        max_size=3,
    ).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(STATEMENTS, max_size=5))
def test_identity_text_is_the_canonical_rendering(statements: list[DraftStatement]) -> None:
    assert identity_text(statements) == render(policy_of(statements))
