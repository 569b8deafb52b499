"""The draft: starting points, immutable edits, TOML round trip, and no secrets."""

from __future__ import annotations

import dataclasses
import tomllib

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from xraybuilder.core.bundle import build
from xraybuilder.core.draft import Draft, DraftCondition, DraftError, DraftStatement, policy_of
from xraybuilder.core.policy.render import render

ACCOUNT = "123456789012"
POLICY = (
    '{"Version": "2012-10-17", "Statement": '
    '[{"Effect": "Allow", "Action": "xray:GetGroup", "Resource": "*"}]}'
)
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ADMIN = "arn:aws:iam::123456789012:role/XRayAdmin"


# -- starting points -------------------------------------------------------------------


def test_from_preset_keeps_raw_text_in_entry_order() -> None:
    draft = Draft.from_preset("ec2", {"region": "eu-west-1", "role_name": " app "})
    assert draft.origin == "preset" and draft.preset_id == "ec2"
    assert draft.params == (("region", "eu-west-1"), ("role_name", " app "))
    assert draft.statements is None
    assert draft.param("region") == "eu-west-1" and draft.param("account") is None
    assert draft.params_dict() == {"region": "eu-west-1", "role_name": " app "}


def test_custom_starts_with_one_empty_allow_statement() -> None:
    draft = Draft.custom("role")
    assert draft.origin == "custom" and draft.target == "role"
    assert draft.statements == (DraftStatement(sid="", effect="Allow", actions=(), resources=("*",)),)


def test_from_text_keeps_text_that_does_not_parse() -> None:
    draft = Draft.from_text('{"Version": "2012-10-17", "Statement": [', "broken.json")
    assert draft.origin == "file" and draft.file_name == "broken.json"
    assert draft.file_text == '{"Version": "2012-10-17", "Statement": ['
    with pytest.raises(DraftError, match="broken.json"):
        draft.editable()


def test_drafts_are_frozen_and_hashable() -> None:
    draft = Draft.from_preset("ec2")
    with pytest.raises(dataclasses.FrozenInstanceError):
        draft.target = "role"  # type: ignore[misc]
    assert hash(draft) == hash(Draft.from_preset("ec2"))
    assert {draft: 1}[Draft.from_preset("ec2")] == 1


@pytest.mark.parametrize(
    "bad", [{"origin": "nowhere"}, {"origin": "custom", "target": "bucket"}, {"origin": "preset"}]
)
def test_invalid_drafts_are_refused(bad: dict[str, str]) -> None:
    with pytest.raises(DraftError):
        Draft(**bad)  # type: ignore[arg-type]


# -- parameters and target ----------------------------------------------------------------


def test_with_param_replaces_in_place_and_appends_new_ones() -> None:
    draft = Draft.from_preset("ec2", {"region": "eu-west-1", "role_name": "a"})
    changed = draft.with_param("region", "us-west-2").with_param("daemon_download", "none")
    assert changed.params == (("region", "us-west-2"), ("role_name", "a"), ("daemon_download", "none"))
    assert draft.param("region") == "eu-west-1", "the original draft is unchanged"
    assert changed.without_param("role_name").params == (("region", "us-west-2"), ("daemon_download", "none"))


def test_only_preset_drafts_have_parameters() -> None:
    with pytest.raises(DraftError, match="only a preset draft"):
        Draft.custom().with_param("region", "eu-west-1")


def test_with_target_checks_the_target() -> None:
    assert Draft.custom().with_target("user").target == "user"
    with pytest.raises(DraftError, match="target must be one of"):
        Draft.custom().with_target("bucket")


def test_with_text_only_for_file_drafts_and_drops_materialised_statements() -> None:
    text = POLICY
    draft = Draft.from_text(text, "p.json").editable()
    assert draft.statements is not None and draft.statements[0].actions == ("xray:GetGroup",)
    edited = draft.with_text("{}")
    assert edited.file_text == "{}" and edited.statements is None
    with pytest.raises(DraftError):
        Draft.custom().with_text("{}")


def test_a_file_draft_may_name_its_kind() -> None:
    draft = Draft.from_text("{}", "p.json").with_kind("resource")
    assert draft.kind == "resource" and Draft.from_toml(draft.to_toml()) == draft
    assert draft.with_kind(None).kind is None
    with pytest.raises(DraftError, match="kind must be one of"):
        draft.with_kind("bucket")
    with pytest.raises(DraftError, match="only a draft read from a file"):
        Draft.custom().with_kind("trust")


# -- secrets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, value",
    [
        ("aws_secret_access_key", "anything"),
        ("secret", "x"),
        ("access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("session_token", "abc"),
    ],
)
def test_a_draft_never_holds_a_secret(key: str, value: str) -> None:
    with pytest.raises(DraftError, match="never holds secrets") as err:
        Draft.from_preset("local-dev").with_param(key, value)
    assert value not in str(err.value), "the secret is not repeated in the message"
    with pytest.raises(DraftError, match="never holds secrets"):
        Draft.from_preset("local-dev", {key: value})
    saved = f'format = 1\norigin = "preset"\npreset = "local-dev"\n\n[params]\n{key} = "{value}"\n'
    with pytest.raises(DraftError, match="never holds secrets"):
        Draft.from_toml(saved)


def test_a_forty_character_name_is_not_taken_for_a_secret() -> None:
    name = "a" * 40
    assert Draft.from_preset("ec2").with_param("role_name", name).param("role_name") == name


# -- statement edits -------------------------------------------------------------------


def test_the_first_statement_edit_materialises_the_preset_statements() -> None:
    draft = Draft.from_preset("group-admin", {"account": ACCOUNT})
    built = build("group-admin", {"account": ACCOUNT}).identity_policy
    assert built is not None
    editable = draft.editable()
    assert editable.statements is not None
    assert render(policy_of(editable.statements)) == render(built), "same text before any edit"
    edited = draft.add_action(2, "xray:GetGroup")
    assert edited.statements is not None
    assert edited.statements[2].actions == ("xray:GetGroups", "xray:GetGroup")
    assert edited.statements[:2] == editable.statements[:2]


def test_materialising_keeps_typed_conditions_as_text() -> None:
    params = {"kms_key_arn": KEY_ARN, "admin_arn": ADMIN, "require_mfa": "true"}
    draft = Draft.from_preset("encryption-admin", params).editable()
    built = build("encryption-admin", params).identity_policy
    assert draft.statements is not None and built is not None
    conditions = [c for s in draft.statements for c in s.conditions]
    assert DraftCondition("Bool", "aws:MultiFactorAuthPresent", ("true",)) in conditions
    assert render(policy_of(draft.statements)) == render(built)


def test_a_preset_with_bad_parameters_cannot_be_materialised() -> None:
    with pytest.raises(DraftError, match="fix the parameters") as err:
        Draft.from_preset("ecs").editable()
    assert err.value.key == "params"


def test_statement_edits() -> None:
    draft = Draft.custom()
    draft = (
        draft.add_action(0, "xray:GetGroup").add_action(0, "xray:GetGroups").add_action(0, "xray:GetGroup")
    )
    assert draft.statements is not None and draft.statements[0].actions == ("xray:GetGroup", "xray:GetGroups")
    draft = draft.remove_action(0, "xray:GetGroup")
    assert draft.statements is not None and draft.statements[0].actions == ("xray:GetGroups",)
    draft = draft.set_actions(0, ["xray:A", " ", "xray:B", "xray:A"]).set_resources(0, ["arn:1", "", "arn:2"])
    assert draft.statements is not None
    assert draft.statements[0].actions == ("xray:A", "xray:B")
    assert draft.statements[0].resources == ("arn:1", "arn:2")
    draft = draft.set_effect(0, "Deny").set_sid(0, "NoWrites")
    assert draft.statements is not None and (draft.statements[0].effect, draft.statements[0].sid) == (
        "Deny",
        "NoWrites",
    )
    cond = DraftCondition("StringEquals", "aws:RequestTag/team", ("web",))
    draft = draft.add_condition(0, cond)
    assert draft.statements is not None and draft.statements[0].conditions == (cond,)
    assert draft.remove_condition(0, 0).statements[0].conditions == ()  # type: ignore[index]
    draft = draft.add_statement().add_statement(DraftStatement(sid="Two", actions=("xray:C",)))
    assert draft.statements is not None and [s.sid for s in draft.statements] == ["NoWrites", "", "Two"]
    assert [s.sid for s in draft.remove_statement(1).statements or ()] == ["NoWrites", "Two"]


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d.remove_statement(3), "there is no statement 3"),
        (lambda d: d.add_action(0, " "), "cannot be empty"),
        (lambda d: d.remove_action(0, "xray:Nope"), "no action"),
        (lambda d: d.set_effect(0, "allow"), "Allow or Deny"),
        (lambda d: d.remove_condition(0, 0), "no condition 0"),
        (lambda d: d.add_condition(0, DraftCondition("", "k", ())), "operator and a key"),
        (lambda d: d.add_action(-1, "xray:GetGroup"), "no statement -1"),
    ],
)
def test_bad_edits_say_what_and_where(edit: object, message: str) -> None:
    with pytest.raises(DraftError, match=message) as err:
        edit(Draft.custom())  # type: ignore[operator]
    assert err.value.key.startswith("Statement[")


def test_split_moves_actions_into_a_new_statement_after_it() -> None:
    draft = Draft.custom().set_actions(0, ["xray:A", "xray:B", "xray:C"]).set_sid(0, "Main")
    draft = draft.add_condition(0, DraftCondition("StringEquals", "aws:ResourceTag/t", ("x",)))
    draft = draft.add_statement(DraftStatement(sid="Last", actions=("xray:Z",)))
    split = draft.split_statement(0, ["xray:C", "xray:A"])
    assert split.statements is not None
    first, new, last = split.statements
    assert first.actions == ("xray:B",) and first.sid == "Main"
    assert new.actions == ("xray:C", "xray:A") and new.sid == ""
    assert new.conditions == first.conditions and new.resources == first.resources
    assert last.sid == "Last"
    with pytest.raises(DraftError, match="some, not all"):
        draft.split_statement(0, ["xray:A", "xray:B", "xray:C"])
    with pytest.raises(DraftError, match="no action xray:Q"):
        draft.split_statement(0, ["xray:Q"])


def test_merge_joins_statements_with_the_same_scope() -> None:
    draft = Draft.custom().set_actions(0, ["xray:A", "xray:B"]).split_statement(0, ["xray:B"])
    merged = draft.add_action(1, "xray:C").merge_statements(0, 1)
    assert merged.statements is not None and len(merged.statements) == 1
    assert merged.statements[0].actions == ("xray:A", "xray:B", "xray:C")
    other = draft.set_resources(1, ["arn:aws:xray:us-east-1:123456789012:group/g/*"])
    with pytest.raises(DraftError, match="same Effect, Resource and Condition"):
        other.merge_statements(0, 1)
    with pytest.raises(DraftError, match="itself"):
        draft.merge_statements(1, 1)


# -- TOML ----------------------------------------------------------------------------


def test_to_toml_is_readable_and_loads_back_equal() -> None:
    draft = Draft.from_preset("group-admin", {"account": ACCOUNT}).set_effect(1, "Deny")
    text = draft.to_toml()
    assert tomllib.loads(text)["preset"] == "group-admin"
    assert 'effect = "Deny"' in text
    assert Draft.from_toml(text) == draft


def test_none_and_no_statements_stay_apart() -> None:
    assert Draft.from_toml(Draft.from_preset("ec2").to_toml()).statements is None
    empty = Draft.custom().remove_statement(0)
    assert Draft.from_toml(empty.to_toml()).statements == ()


def test_bad_toml_names_the_line() -> None:
    with pytest.raises(DraftError) as err:
        Draft.from_toml('format = 1\norigin = "custom"\ntarget = \n')
    assert err.value.line == 3 and "not valid TOML" in str(err.value) and str(err.value).startswith("line 3")


@pytest.mark.parametrize(
    "text, line, key, message",
    [
        ('format = 1\norigin = "custom"\ncolour = "red"\n', 3, "colour", "unknown key"),
        ('format = 2\norigin = "custom"\n', 1, "format", "format 2 is not known"),
        ('format = 1\ntarget = "role"\n', None, "origin", "origin is missing"),
        ('format = 1\norigin = "custom"\ntarget = "bucket"\n', 3, "target", "target must be one of"),
        (
            'format = 1\norigin = "custom"\n\n[[statements]]\nsid = ""\neffect = "Maybe"\n',
            6,
            "statements[0].effect",
            "Allow or Deny",
        ),
        (
            'format = 1\norigin = "custom"\n\n[[statements]]\nactions = ["a"]\n\n'
            "[[statements]]\nactions = [1]\n",
            8,
            "statements[1].actions[0]",
            "must be a string",
        ),
        (
            'format = 1\norigin = "preset"\npreset = "ec2"\n[params]\nregion = 3\n',
            5,
            "params.region",
            "must be a string",
        ),
    ],
)
def test_schema_problems_name_line_and_key(text: str, line: int | None, key: str, message: str) -> None:
    with pytest.raises(DraftError, match=message) as err:
        Draft.from_toml(text)
    assert (err.value.line, err.value.key) == (line, key)


# -- the round-trip property -------------------------------------------------------------

# Any Unicode text a user can type (surrogates cannot be written as UTF-8 at all).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
CONDITIONS = st.builds(
    DraftCondition, TEXT.filter(bool), TEXT.filter(bool), st.lists(TEXT, max_size=3).map(tuple)
)
STATEMENTS = st.builds(
    DraftStatement,
    sid=TEXT,
    effect=st.sampled_from(["Allow", "Deny"]),
    actions=st.lists(TEXT, max_size=4).map(tuple),
    resources=st.lists(TEXT, max_size=3).map(tuple),
    conditions=st.lists(CONDITIONS, max_size=3).map(tuple),
)
SAFE_KEYS = TEXT.filter(
    lambda k: bool(k.strip()) and not any(w in k.lower() for w in ("secret", "password", "token", "key"))
)
DRAFTS = st.one_of(
    st.builds(
        Draft,
        origin=st.just("preset"),
        preset_id=TEXT.filter(bool),
        params=st.dictionaries(SAFE_KEYS, TEXT, max_size=4).map(lambda d: tuple(d.items())),
        statements=st.none() | st.lists(STATEMENTS, max_size=3).map(tuple),
        target=st.sampled_from(["managed", "role", "user", "group"]),
    ),
    st.builds(
        Draft,
        origin=st.just("custom"),
        statements=st.none() | st.lists(STATEMENTS, max_size=3).map(tuple),
        target=st.sampled_from(["managed", "role", "user", "group"]),
    ),
    st.builds(
        Draft,
        origin=st.just("file"),
        file_name=st.none() | TEXT,
        file_text=st.none() | st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
        statements=st.none() | st.lists(STATEMENTS, max_size=2).map(tuple),
        kind=st.none() | st.sampled_from(["identity", "trust", "resource", "key-policy"]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(DRAFTS)
def test_every_draft_loads_back_equal_from_toml(draft: Draft) -> None:
    assert Draft.from_toml(draft.to_toml()) == draft


@settings(max_examples=100, deadline=None)
@given(DRAFTS)
def test_saved_drafts_are_plain_toml(draft: Draft) -> None:
    doc = tomllib.loads(draft.to_toml())
    assert doc["origin"] == draft.origin
    assert tomllib.loads(tomli_w.dumps(doc)) == doc
