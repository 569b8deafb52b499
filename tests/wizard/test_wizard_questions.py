"""The wizard's questions: their fixed order, defaults, checks and help, without a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from xraybuilder.core import catalog
from xraybuilder.core.scenarios import PARAMETER_TYPES, load_library, resolve
from xraybuilder.core.scenarios.values import SHARED_PARAMETERS
from xraybuilder.wizard.questions import (
    CUSTOM,
    Interview,
    Question,
    condition_operator,
    help_texts,
    label_of,
    parse_conditions,
)

ACCOUNT = "123456789012"


@pytest.fixture(autouse=True)
def empty_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("XRAYBUILDER_CONFIG_DIR", str(folder))
    return folder


def walk(answers: dict[str, str], scenario: str) -> tuple[Interview, list[Question]]:
    """Answer every question (Enter unless ``answers`` says otherwise); the questions asked."""
    interview = Interview(load_library())
    asked: list[Question] = []
    for question in interview.questions():
        asked.append(question)
        typed = scenario if question.key == "scenario" else answers.get(question.key, "")
        assert question.check(question.resolve_answer(typed)) is None, (question.key, typed)
        interview.record(question, typed)
    return interview, asked


@pytest.mark.parametrize("preset", [p.id for p in load_library().ordered()])
def test_fixed_order_then_the_preset_parameters_in_declared_order(preset: str) -> None:
    spec = load_library().get(preset)
    answers = {"parameter account": ACCOUNT, "parameter region": "eu-west-1"}
    # Required values without a default, so every preset can be walked with Enter.
    answers["parameter kms_key_arn"] = (
        "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    answers["parameter admin_arn"] = "arn:aws:iam::123456789012:role/XRayAdmin"
    interview, asked = walk(answers, preset)
    keys = [q.key for q in asked]
    assert keys[:3] == ["scenario", "parameter account", "parameter region"]
    # The partition follows from the Region, so it is not asked.
    assert "parameter partition" not in keys
    assert interview.params["partition"] == "aws"
    values = resolve(spec, interview.params).values
    expected = [
        f"parameter {p.name}"
        for p in spec.parameters.values()
        if p.name not in SHARED_PARAMETERS and p.applies(values)
    ]
    assert keys[3:] == expected


def test_defaults_are_shown_in_brackets_and_follow_earlier_answers() -> None:
    interview = Interview(load_library())
    questions = interview.questions()
    for question in questions:
        if question.key == "scenario":
            interview.record(question, "ec2")
        elif question.key == "parameter role_name":
            assert question.prompt() == "Role name [xray-ec2]: "
            interview.record(question, "my-role")
        elif question.key == "parameter instance_profile_name":
            # Its default is {role_name}: the answer just given.
            assert question.default == "my-role"
            break
        else:
            interview.record(question, "")
    else:
        pytest.fail("the instance profile name was not asked")


def test_required_question_has_no_default() -> None:
    interview = Interview(load_library())
    interview.scenario = "group-admin"
    question = interview.shared_question("account")
    assert question.default is None
    assert question.prompt() == "Account ID: "
    assert question.check("") == "group-admin needs a value here; ? explains the question"


def test_region_check_is_the_core_validator_with_its_suggestion() -> None:
    interview = Interview(load_library())
    interview.scenario = "ec2"
    problem = interview.shared_question("region").check("eu-wset-1")
    assert problem is not None and "did you mean 'eu-west-1'?" in problem


def test_region_brings_its_partition() -> None:
    interview = Interview(load_library())
    interview.scenario = "local-dev"
    question = interview.shared_question("region")
    interview.record(question, "us-gov-east-1")
    assert interview.params == {"region": "us-gov-east-1", "partition": "aws-us-gov"}
    assert catalog.partition_for_region("us-gov-east-1") is not None


def test_every_parameter_type_and_question_has_help() -> None:
    help_ = help_texts()
    assert set(PARAMETER_TYPES) <= set(help_["type"])
    for key in ("scenario", "account", "region", "partition", "actions", "resources", "conditions", "export"):
        assert help_["question"][key]


def test_custom_asks_actions_resources_and_conditions() -> None:
    answers = {
        "parameter region": "us-east-1",
        "actions": "xray:GetGroup",
        "resources": f"arn:aws:xray:us-east-1:{ACCOUNT}:group/web/*",
        "conditions": "aws:ResourceTag/team=web",
    }
    interview, asked = walk(answers, CUSTOM)
    assert [q.key for q in asked][3:] == ["actions", "resources", "conditions"]
    draft = interview.draft()
    assert draft.statements is not None
    statement = draft.statements[0]
    assert statement.actions == ("xray:GetGroup",)
    assert statement.conditions[0].key == "aws:ResourceTag/team"


def test_resource_completion_fills_the_answers_into_the_catalog_formats() -> None:
    interview = Interview(
        load_library(), CUSTOM, {"account": ACCOUNT, "region": "eu-west-1", "partition": "aws"}
    )
    interview.actions = ("xray:GetGroup",)
    words = [c.word for c in interview.resource_choices()]
    assert words[0] == "*"
    assert f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/*/*" in words


def test_conditions_syntax() -> None:
    assert parse_conditions("") == ()
    assert parse_conditions("aws:RequestTag/team=web, aws:RequestTag/team=web") == (
        ("aws:RequestTag/team", ("web",)),
    )
    with pytest.raises(ValueError, match="not a condition key the catalog knows"):
        parse_conditions("aws:Tag/team=web")
    with pytest.raises(ValueError, match="aws:"):
        parse_conditions("aws:ResourceTag/aws:team=web")
    assert condition_operator("aws:TagKeys") == "ForAllValues:StringEquals"
    assert condition_operator("aws:ResourceTag/team") == "StringEquals"


def test_labels_use_iam_capitals() -> None:
    assert label_of("kms_key_arn") == "KMS key ARN"
    assert label_of("reader_arns") == "Reader ARNs"
    assert label_of("role_name") == "Role name"
