"""Parameter values: parsing, defaults, conditions, cross-checks, and the messages users see."""

from __future__ import annotations

import pytest

from xraybuilder.core.bundle import build
from xraybuilder.core.scenarios import BuildError, Preset, load_library, parse_value, resolve

LIB = load_library(include_user=False)
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ADMIN = "arn:aws:iam::123456789012:role/XRayAdmin"


def preset(pid: str) -> Preset:
    return LIB.get(pid)


def problems(pid: str, params: dict[str, str]) -> dict[str, str]:
    return {p.name: p.message for p in resolve(preset(pid), params).problems}


def test_defaults_fill_in_and_may_refer_to_earlier_parameters() -> None:
    values = resolve(preset("ec2"), {"role_name": "web-app"}).values
    assert values["instance_profile_name"] == "web-app"
    assert values["partition"] == "aws" and values["daemon_download"] == "narrow"
    assert (
        resolve(preset("ec2"), {"role_name": "web", "instance_profile_name": "web-ip"}).values[
            "instance_profile_name"
        ]
        == "web-ip"
    )


def test_missing_required_parameters_are_listed_together_in_one_message() -> None:
    with pytest.raises(BuildError) as info:
        build(preset("encryption-admin"), {})
    err = info.value
    assert [p.name for p in err.problems] == ["kms_key_arn", "admin_arn"]
    assert str(err) == "encryption-admin: missing required parameters: kms_key_arn, admin_arn"


def test_conditional_parameters_only_apply_when_their_condition_holds() -> None:
    assert problems("encryption-admin", {"key": "aws-managed"}) == {}
    values = resolve(preset("encryption-admin"), {"key": "aws-managed"}).values
    assert "kms_key_arn" not in values and "reader_arns" not in values
    assert problems("group-admin", {"account": "123456789012", "restrict_by_tag": "yes"}) == {
        "tag_value": "required"
    }
    assert problems("ecs", {"daemon": "instance"}) == {}
    assert problems("ecs", {}) == {"account": "required"}


def test_unknown_parameters_get_a_suggestion_and_the_list_of_real_ones() -> None:
    found = problems("lambda", {"role": "x"})
    assert found["role"].startswith("lambda has no parameter 'role' (did you mean 'role_name'?)")
    assert "it takes partition, role_name, policy, policy_name, basic_execution" in found["role"]


@pytest.mark.parametrize(
    ("pid", "params", "name", "words"),
    [
        (
            "ecs",
            {"account": "12345678901"},
            "account",
            "exactly 12 digits, like 123456789012; '12345678901' has 11",
        ),
        ("ecs", {"account": "my-account"}, "account", "an account ID is 12 digits"),
        ("ec2", {"partition": "aws-china"}, "partition", "unknown partition 'aws-china'; choose one of aws,"),
        ("ec2", {"region": "us-east-7x"}, "region", "not an AWS Region the catalog knows, like us-east-1"),
        ("ec2", {"region": "eu-wset-1"}, "region", "did you mean 'eu-west-1'?"),
        (
            "ec2",
            {"region": "cn-north-1"},
            "region",
            "cn-north-1 is in the aws-cn partition, not aws; set partition=aws-cn",
        ),
        (
            "ec2",
            {"daemon_download": "narow"},
            "daemon_download",
            "'narow' is not one of the choices: narrow, s3-read-only, none (did you mean 'narrow'?)",
        ),
        ("ec2", {"role_name": "x" * 65}, "role_name", "role name has 65 characters; the most allowed is 64"),
        ("ec2", {"instance_profile_name": "a/b"}, "instance_profile_name", "holds '/'"),
        ("lambda", {"basic_execution": "maybe"}, "basic_execution", "'maybe' is not a yes/no value"),
        (
            "group-admin",
            {"account": "123456789012", "group_name": "Default"},
            "group_name",
            "'Default' is reserved",
        ),
        ("group-admin", {"account": "123456789012", "group_name": "web*"}, "group_name", "holds '*'"),
        (
            "sampling-rule-admin",
            {"account": "123456789012", "rule_name": "r" * 33},
            "rule_name",
            "the most allowed is 32",
        ),
        (
            "group-admin",
            {"account": "123456789012", "restrict_by_tag": "true", "tag_key": "aws:team", "tag_value": "x"},
            "tag_key",
            "reserved for AWS",
        ),
        (
            "group-admin",
            {"account": "123456789012", "restrict_by_tag": "true", "tag_value": "a*b"},
            "tag_value",
            "holds '*'",
        ),
        ("local-dev", {"profile": "my profile"}, "profile", "the profile name holds ' '"),
        (
            "encryption-admin",
            {"kms_key_arn": "arn:aws:kms:us-east-1:123456789012:alias/xray", "admin_arn": ADMIN},
            "kms_key_arn",
            "not an alias ARN",
        ),
        (
            "encryption-admin",
            {"kms_key_arn": KEY.replace("us-east-1", "eu-west-1"), "admin_arn": ADMIN},
            "kms_key_arn",
            "is in eu-west-1 but region is us-east-1",
        ),
        (
            "encryption-admin",
            {"kms_key_arn": KEY.replace("123456789012", "12345"), "admin_arn": ADMIN},
            "kms_key_arn",
            "account ID has 5 digits",
        ),
        (
            "encryption-admin",
            {"kms_key_arn": KEY, "admin_arn": "arn:aws:iam::123456789012:group/admins"},
            "admin_arn",
            "must name root, a user/NAME or a role/NAME",
        ),
        (
            "encryption-admin",
            {"kms_key_arn": KEY, "admin_arn": "arn:aws:iam::123456789012:role/*"},
            "admin_arn",
            "no wildcards",
        ),
        (
            "encryption-admin",
            {"kms_key_arn": KEY, "admin_arn": ADMIN, "reader_arns": f"{ADMIN}, bob"},
            "reader_arns",
            "item 2: 'bob' is not an IAM user or role ARN",
        ),
        (
            "encryption-admin",
            {
                "partition": "aws-us-gov",
                "region": "us-gov-west-1",
                "kms_key_arn": KEY.replace("us-east-1", "us-gov-west-1").replace("aws:", "aws-us-gov:"),
                "admin_arn": ADMIN,
            },
            "admin_arn",
            "is in the aws partition but partition is aws-us-gov",
        ),
    ],
)
def test_invalid_values_get_the_validators_message(
    pid: str, params: dict[str, str], name: str, words: str
) -> None:
    found = problems(
        pid, {**({"account": "123456789012"} if pid == "ecs" and "account" not in params else {}), **params}
    )
    assert name in found, found
    assert words in found[name], found[name]
    with pytest.raises(BuildError) as info:
        build(preset(pid), params)
    assert f"parameter {name}: " in str(info.value)


def test_every_problem_is_reported_not_just_the_first() -> None:
    found = problems(
        "group-admin", {"account": "1", "group_name": "a b", "list_groups": "perhaps", "colour": "red"}
    )
    assert set(found) == {"account", "group_name", "list_groups", "colour"}


def test_a_default_depending_on_an_invalid_value_is_not_reported_twice() -> None:
    found = problems("ec2", {"role_name": "bad name"})
    assert set(found) == {"role_name"}


def test_region_outside_xray_endpoints_is_a_note_not_an_error() -> None:
    result = resolve(preset("ec2"), {"region": "me-west-1"})
    assert result.ok
    assert any("X-Ray has no endpoint in me-west-1" in n for n in result.notes)
    bundle = build(preset("ec2"), {"region": "me-west-1"})
    assert any("me-west-1" in n and "endpoint" in n for n in bundle.notes)


def test_bools_accept_the_usual_spellings_and_python_booleans() -> None:
    param = preset("lambda").parameters["basic_execution"]
    for text, value in (
        ("true", True),
        ("Yes", True),
        ("on", True),
        ("1", True),
        ("false", False),
        ("NO", False),
        ("off", False),
        ("0", False),
    ):
        assert parse_value(param, text) is value
    assert resolve(preset("lambda"), {"basic_execution": False}).values["basic_execution"] is False


def test_principal_lists_split_on_commas_and_spaces_and_drop_repeats() -> None:
    param = preset("encryption-admin").parameters["reader_arns"]
    value = parse_value(param, f"{ADMIN}, arn:aws:iam::123456789012:user/ana  {ADMIN}")
    assert value == (ADMIN, "arn:aws:iam::123456789012:user/ana")
    with pytest.raises(ValueError, match="at least one"):
        parse_value(param, " , ")


def test_an_empty_value_is_an_error_not_the_default() -> None:
    # With -p region=$REGION and REGION unset, the default would be the wrong Region.
    result = resolve(preset("ec2"), {"role_name": "", "region": " "})
    assert "region" not in result.values and "role_name" not in result.values
    region = result.problem_for("region")
    assert region is not None and region.kind == "empty"
    assert region.message == "is empty; give a value, or leave it out to use the default, us-east-1"
    role = result.problem_for("role_name")
    assert (
        role is not None
        and role.message == "is empty; give a value, or leave it out to use the default, xray-ec2"
    )


def test_an_empty_tag_value_is_a_value() -> None:
    result = resolve(
        preset("group-admin"), {"account": "123456789012", "restrict_by_tag": "true", "tag_value": ""}
    )
    assert result.ok and result.values["tag_value"] == ""


def test_a_left_out_value_takes_the_default() -> None:
    values = resolve(preset("ec2"), {}).values
    assert values["role_name"] == "xray-ec2" and values["region"] == "us-east-1"


def test_problem_lookup_for_forms() -> None:
    result = resolve(preset("ecs"), {"account": "x"})
    assert not result.ok
    problem = result.problem_for("account")
    assert problem is not None and problem.kind == "invalid"
    assert result.problem_for("role_name") is None


@pytest.mark.parametrize("pid", [p.id for p in LIB.ordered()])
def test_every_preset_accepts_the_shared_parameters(pid: str) -> None:
    shared = {"partition": "aws", "region": "eu-west-1", "account": "123456789012"}
    resolution = resolve(preset(pid), shared)
    assert [p for p in resolution.problems if p.name in shared] == []
    for name in shared:
        if name not in preset(pid).parameters:
            assert f"{pid} does not use {name}: nothing it builds depends on it." in resolution.notes


def test_shared_parameters_are_validated_even_where_unused() -> None:
    assert problems("ec2", {"account": "12345"}) == {
        "account": "an account ID has exactly 12 digits, like 123456789012; '12345' has 5"
    }


def test_a_parameter_outside_the_chosen_branch_is_noted_as_ignored() -> None:
    resolution = resolve(preset("ecs"), {"daemon": "instance", "account": "123456789012"})
    assert resolution.problems == ()
    assert "account is ignored with these choices: it applies only when daemon is sidecar." in (
        resolution.notes
    )
