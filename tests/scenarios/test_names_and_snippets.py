"""IAM and X-Ray name rules, and ~/.aws snippets read back by botocore's own parser."""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.configloader import raw_config_parse

from xraybuilder.core import credentials, names


@pytest.mark.parametrize(
    ("kind", "limit"), [("role", 64), ("user", 64), ("instance_profile", 128), ("policy", 128)]
)
def test_iam_name_lengths(kind: str, limit: int) -> None:
    assert names.check_iam_name(kind, "a" * limit) is None
    too_long = names.check_iam_name(kind, "a" * (limit + 1))
    assert too_long is not None and f"the most allowed is {limit}" in too_long
    empty = names.check_iam_name(kind, "")
    assert empty is not None and "is empty" in empty


def test_iam_name_characters_are_ascii_word_characters_and_plus_equals_comma_dot_at_dash() -> None:
    assert names.check_role_name("Ab9_+=,.@-") is None
    for bad in ("a b", "a/b", "a:b", "é", "a*b", "a#b"):
        problem = names.check_role_name(bad)
        assert problem is not None and "only letters, digits and + = , . @ _ - are allowed" in problem, bad
    assert "holds 'é'" in (names.check_user_name("josé") or "")


def test_xray_group_and_rule_names() -> None:
    assert names.check_group_name("local-users") is None
    assert names.check_group_name("a" * 32) is None
    assert "most allowed is 32" in (names.check_group_name("a" * 33) or "")
    assert "holds '_'" in (names.check_group_name("local_users") or "")
    assert "reserved" in (names.check_group_name("default") or "")
    assert names.check_sampling_rule_name("base-scorekeep") is None
    assert names.check_sampling_rule_name("base_scorekeep") is None
    assert "holds '?'" in (names.check_sampling_rule_name("base?") or "")
    assert "reserved" in (names.check_sampling_rule_name("Default") or "")


def test_tag_keys_and_values() -> None:
    assert names.check_tag_key("cost-center:team/a b=c+d@e_f.g") is None
    assert "reserved for AWS" in (names.check_tag_key("AWS:team") or "")
    assert "most allowed is 128" in (names.check_tag_key("k" * 129) or "")
    assert names.check_tag_value("") is None
    assert names.check_tag_value("v" * 256) is None
    assert "most allowed is 256" in (names.check_tag_value("v" * 257) or "")
    assert "holds '*'" in (names.check_tag_value("web*") or "")


def test_profile_names() -> None:
    assert names.check_profile_name("xray-dev.eu_1") is None
    assert "holds ']'" in (names.check_profile_name("a]b") or "")
    assert "empty" in (names.check_profile_name("") or "")


@pytest.mark.parametrize("profile", ["xray-dev", "default"])
def test_snippets_are_read_back_by_botocore_as_intended(tmp_path: Path, profile: str) -> None:
    creds = tmp_path / "credentials"
    config = tmp_path / "config"
    creds.write_text(credentials.credentials_snippet(profile), encoding="utf-8")
    config.write_text(credentials.config_snippet(profile, "eu-west-1", "json"), encoding="utf-8")
    parsed_creds = raw_config_parse(str(creds))
    parsed_config = raw_config_parse(str(config))
    # Credentials: [name]; config: [profile name], except [default].
    assert parsed_creds == {
        profile: {
            "aws_access_key_id": credentials.ACCESS_KEY_PLACEHOLDER,
            "aws_secret_access_key": credentials.SECRET_KEY_PLACEHOLDER,
        }
    }
    section = "default" if profile == "default" else f"profile {profile}"
    assert parsed_config == {section: {"region": "eu-west-1", "output": "json"}}


def test_snippets_only_ever_hold_placeholders() -> None:
    text = credentials.credentials_snippet("dev")
    assert "AKIA" not in text and "<your-access-key-id>" in text and "<your-secret-access-key>" in text
