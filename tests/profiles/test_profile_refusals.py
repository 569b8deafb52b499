"""Files botocore cannot read are left alone; bad keys are refused; secrets never leak."""

from __future__ import annotations

import os
from pathlib import Path

import botocore.configloader
import botocore.exceptions
import pytest
from profile_samples import (
    CREDENTIALS_WITH_DEV,
    MESSY_CONFIG,
    MESSY_CREDENTIALS,
    NEW_KEY_ID,
    NEW_SECRET,
    OLD_DEV_KEYS,
    OTHER_SECRETS,
    SESSION_TOKEN,
    TEMP_KEY_ID,
    AwsFiles,
)

from xraybuilder.core.export.profiles import (
    ProfileError,
    ProfilePlan,
    access_key_from_json,
    apply_profile,
    plan_profile,
)

GOOD = b"[default]\naws_access_key_id = AKIADEFAULTDEFAULT22\n"

# name -> (file text, line botocore's parser stumbles on, words the message must hold)
BROKEN = {
    "no section header": (b"aws_access_key_id = x\n[dev]\n", 1, "before the first [section]"),
    "comment then no header": (b"# keys\n\nregion = x\n", 3, "before the first [section]"),
    "unterminated header": (GOOD + b"\n[dev\naws_access_key_id = x\n", 4, "closing ']'"),
    "line without =": (GOOD + b"aws_secret_access_key " + NEW_SECRET.encode() + b"\n", 3, "neither"),
    "duplicate section": (GOOD + b"[ci]\nregion = x\n[default]\n", 5, "repeats the section [default]"),
    "duplicate key": (GOOD + b"AWS_ACCESS_KEY_ID = y\n", 3, "repeats the key aws_access_key_id"),
    "nested block without =": (
        b"[profile ci]\ns3 =\n    addressing_style = path\n    virtual\n",
        4,
        "without '=' in the indented block under s3",
    ),
    "byte-order mark": (b"\xef\xbb\xbf" + GOOD, 1, "byte-order mark"),
    "not UTF-8": (GOOD + b"# caf\xe9\n", 3, "not UTF-8"),
    "crlf duplicate section": (b"[a]\r\nx = 1\r\n\r\n[a]\r\n", 4, "repeats the section [a]"),
}


def botocore_refuses(path: Path) -> bool:
    try:
        botocore.configloader.raw_config_parse(str(path))
    except botocore.exceptions.ConfigParseError:
        return True
    return False


@pytest.mark.parametrize("which", ["credentials", "config"])
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_is_left_untouched_with_its_line(aws: AwsFiles, case: str, which: str) -> None:
    text, line, words = BROKEN[case]
    broken = aws.credentials if which == "credentials" else aws.config
    other = aws.config if which == "credentials" else aws.credentials
    broken.write_bytes(text)
    other.write_bytes(b"[profile ci]\nregion = eu-west-1\n" if which == "credentials" else GOOD)
    # The file is one botocore itself refuses.
    assert botocore_refuses(broken)
    before = {p.name: p.read_bytes() for p in broken.parent.iterdir()}

    with pytest.raises(ProfileError) as caught:
        plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")

    message = str(caught.value)
    assert message.startswith(f"{broken} line {line}: ")
    assert words in message
    assert caught.value.line == line and caught.value.path == broken
    assert NEW_SECRET not in message and NEW_SECRET not in repr(caught.value)
    # Neither file was written, and nothing was added beside them.
    assert {p.name: p.read_bytes() for p in broken.parent.iterdir()} == before


@pytest.mark.parametrize(
    "text",
    [MESSY_CREDENTIALS, MESSY_CONFIG, CREDENTIALS_WITH_DEV, b"", b"\n\n# only comments\n", b"[a]\n[b]"],
    ids=["messy-credentials", "messy-config", "with-dev", "empty", "comments", "bare-headers"],
)
def test_files_botocore_reads_are_accepted(aws: AwsFiles, text: bytes) -> None:
    aws.write(text, text.replace(b"[default]", b"[profile x]"))
    assert not botocore_refuses(aws.credentials)
    plan = plan_profile("fresh", NEW_KEY_ID, NEW_SECRET, "eu-west-1")
    assert plan.credentials.after.startswith(text)


@pytest.mark.parametrize(
    ("key_id", "words"),
    [
        ("AKIAIOSFODNN7EXAMPL", "this one has 19"),
        ("AKIAIOSFODNN7EXAMPLEX", "this one has 21"),
        ("akiaiosfodnn7example", "AKIA or ASIA"),
        ("AKIBIOSFODNN7EXAMPLE", "AKIA or ASIA"),
        ("AKIAIOSFODNN1EXAMPLE", "A-Z and 2-7"),  # 1 is not a base32 digit
        ("AKIAIOSFODNN8EXAMPLE", "A-Z and 2-7"),
        ("", "this one has 0"),
    ],
)
def test_bad_access_key_ids_are_refused(aws: AwsFiles, key_id: str, words: str) -> None:
    with pytest.raises(ProfileError, match=words.replace("(", r"\(")):
        plan_profile("dev", key_id, NEW_SECRET, "eu-west-1")


@pytest.mark.parametrize(
    ("secret", "words"),
    [
        (NEW_SECRET[:-1], "expected 40 characters, got 39"),
        (NEW_SECRET + "A", "expected 40 characters, got 41"),
        (NEW_SECRET[:-1] + " ", "only A-Z, a-z, 0-9, / and +"),
        (NEW_SECRET[:-1] + "=", "only A-Z, a-z, 0-9, / and +"),
        ("", "got 0"),
    ],
)
def test_bad_secrets_are_refused_without_showing_them(aws: AwsFiles, secret: str, words: str) -> None:
    with pytest.raises(ProfileError) as caught:
        plan_profile("dev", NEW_KEY_ID, secret, "eu-west-1")
    assert words in str(caught.value)
    if secret:
        assert secret not in str(caught.value) and secret not in repr(caught.value)
        assert secret[:20] not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "region", "words"),
    [
        ("my dev", "eu-west-1", "profile name 'my dev'"),
        ("[dev]", "eu-west-1", "profile name"),
        ("DEFAULT", "eu-west-1", "holds defaults"),
        ("", "eu-west-1", "profile name"),
        ("dev", "eu-west", "Region 'eu-west'"),
        ("dev", "EU-WEST-1", "Region"),
        ("dev", "eu-west-1\n[x]", "Region"),
    ],
)
def test_bad_names_and_regions_are_refused(aws: AwsFiles, name: str, region: str, words: str) -> None:
    with pytest.raises(ProfileError, match=words.replace("[", r"\[")):
        plan_profile(name, NEW_KEY_ID, NEW_SECRET, region)


def test_session_token_only_with_temporary_keys(aws: AwsFiles) -> None:
    with pytest.raises(ProfileError, match="only temporary keys") as caught:
        plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1", session_token=SESSION_TOKEN)
    assert SESSION_TOKEN not in str(caught.value)
    # Temporary keys without a token are accepted: the token is optional.
    plan_profile("dev", TEMP_KEY_ID, NEW_SECRET, "eu-west-1")


def test_unknown_output_format_is_refused(aws: AwsFiles) -> None:
    with pytest.raises(ProfileError, match="choose one of json"):
        plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1", output="xml")


def _plan(aws: AwsFiles) -> ProfilePlan:
    aws.write(CREDENTIALS_WITH_DEV, MESSY_CONFIG)
    return plan_profile(
        "dev", TEMP_KEY_ID, NEW_SECRET, "eu-west-1", session_token=SESSION_TOKEN, output="json"
    )


def test_masked_diff_shows_the_change_without_any_secret(aws: AwsFiles) -> None:
    diff = _plan(aws).diff()
    assert NEW_SECRET not in diff and SESSION_TOKEN not in diff
    # Secrets of the replaced section and of neighbouring profiles are masked too.
    assert all(secret not in diff for secret in OTHER_SECRETS)
    assert f"-aws_access_key_id = {OLD_DEV_KEYS[0]}" in diff
    assert f"+aws_access_key_id = {TEMP_KEY_ID}" in diff
    assert "-aws_secret_access_key = ********" in diff
    assert "+aws_secret_access_key = ********" in diff
    assert "+aws_session_token = ********" in diff
    assert "+[profile dev]" in diff and "+region = eu-west-1" in diff and "+output = json" in diff
    assert diff.count("--- ") == 2 and f"+++ {aws.config}" in diff


def test_unmasked_diff_only_when_asked(aws: AwsFiles) -> None:
    diff = _plan(aws).diff(masked=False)
    assert f"+aws_secret_access_key = {NEW_SECRET}" in diff
    assert f"+aws_session_token = {SESSION_TOKEN}" in diff


def test_new_file_diff_starts_from_nothing(aws: AwsFiles) -> None:
    diff = plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1").diff()
    assert diff.startswith(f"--- /dev/null\n+++ {aws.credentials}\n@@ -0,0 +1,3 @@\n+[dev]\n")


def test_plan_and_messages_never_hold_a_secret(aws: AwsFiles) -> None:
    plan = _plan(aws)
    for text in (repr(plan), repr(plan.credentials), repr(plan.config), str(plan.notes)):
        assert NEW_SECRET not in text and SESSION_TOKEN not in text
    messages = apply_profile(plan)
    joined = "\n".join(messages)
    assert NEW_SECRET not in joined and SESSION_TOKEN not in joined
    assert all(secret not in joined for secret in OTHER_SECRETS)


def test_errors_after_a_valid_secret_never_hold_it(aws: AwsFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    failures: list[ProfileError] = []
    for region in ("nowhere", "eu-west-1"):
        try:
            plan_profile("bad name", NEW_KEY_ID, NEW_SECRET, region)
        except ProfileError as err:
            failures.append(err)
    plan = _plan(aws)
    aws.credentials.write_bytes(CREDENTIALS_WITH_DEV + b"\n")
    try:
        apply_profile(plan)
    except ProfileError as err:
        failures.append(err)
    aws.credentials.write_bytes(CREDENTIALS_WITH_DEV)
    plan = _plan(aws)

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    try:
        apply_profile(plan)
    except ProfileError as err:
        failures.append(err)
    assert len(failures) == 4
    for err in failures:
        for text in (str(err), repr(err), repr(err.args)):
            assert NEW_SECRET not in text and SESSION_TOKEN not in text
            assert all(secret not in text for secret in OTHER_SECRETS)
    assert aws.credentials.read_bytes() == CREDENTIALS_WITH_DEV


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"AccessKey": {"SecretAccessKey": "' + NEW_SECRET + '", ', "the pasted JSON line 1 column"),
        ('{"AccessKey": {"SecretAccessKey": "' + NEW_SECRET + '"}}', "no AccessKeyId"),
        ('{"AccessKey": {"AccessKeyId": "x", "SecretAccessKey": 7}}', "no SecretAccessKey"),
        ('{"Credentials": "' + NEW_SECRET + '"}', "expected the JSON"),
    ],
)
def test_pasted_json_problems_never_quote_it(text: str, words: str) -> None:
    with pytest.raises(ProfileError) as caught:
        access_key_from_json(text)
    assert words in str(caught.value)
    assert NEW_SECRET not in str(caught.value) and NEW_SECRET not in repr(caught.value)


def test_pasted_json_gives_the_key() -> None:
    key = access_key_from_json(
        '{"Credentials": {"AccessKeyId": " ' + TEMP_KEY_ID + ' ", "SecretAccessKey": "' + NEW_SECRET + '",'
        ' "SessionToken": "' + SESSION_TOKEN + '"}}'
    )
    assert (key.key_id, key.secret, key.session_token) == (TEMP_KEY_ID, NEW_SECRET, SESSION_TOKEN)
    assert NEW_SECRET not in repr(key) and SESSION_TOKEN not in repr(key)
