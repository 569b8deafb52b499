"""``xraybuilder profile add``: keys from JSON or hidden prompts into the AWS files."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from profile_samples import (
    CONFIG_WITH_DEV,
    CREDENTIALS_WITH_DEV,
    MESSY_CONFIG,
    MESSY_CREDENTIALS,
    NEW_KEY_ID,
    NEW_SECRET,
    OTHER_SECRETS,
    SESSION_TOKEN,
    TEMP_KEY_ID,
    AwsFiles,
    botocore_reads,
)

from xraybuilder.cli import main


def create_access_key_json(key_id: str = NEW_KEY_ID, secret: str = NEW_SECRET, status: str = "Active") -> str:
    """What ``aws iam create-access-key --user-name dev`` prints."""
    return json.dumps(
        {
            "AccessKey": {
                "UserName": "dev",
                "AccessKeyId": key_id,
                "Status": status,
                "SecretAccessKey": secret,
                "CreateDate": "2026-12-01T09:30:00+00:00",
            }
        },
        indent=4,
    )


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["profile", "add", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def no_secret(*texts: str) -> None:
    for text in texts:
        assert NEW_SECRET not in text and SESSION_TOKEN not in text
        assert all(secret not in text for secret in OTHER_SECRETS)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "key.json"
    path.write_text(create_access_key_json())
    return path


def test_keys_from_a_json_file(aws: AwsFiles, key_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    aws.write(MESSY_CREDENTIALS, MESSY_CONFIG)
    code, out, err = run(["dev", "--region", "eu-west-1", "--from-json", str(key_file)], capsys)
    assert (code, err) == (0, "")
    assert botocore_reads("dev") == (NEW_KEY_ID, NEW_SECRET, None, "eu-west-1")
    assert f"added [dev] in {aws.credentials}" in out and f"added [profile dev] in {aws.config}" in out
    assert "backup of the previous" in out
    assert out.rstrip().endswith("Try it: aws sts get-caller-identity --profile dev")
    no_secret(out, err)


def test_keys_from_standard_input(
    aws: AwsFiles, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(create_access_key_json()))
    code, out, err = run(["dev", "--region", "us-east-2", "--output", "json", "--from-json", "-"], capsys)
    assert (code, err) == (0, "")
    assert botocore_reads("dev") == (NEW_KEY_ID, NEW_SECRET, None, "us-east-2")
    assert aws.config.read_text() == "[profile dev]\nregion = us-east-2\noutput = json\n"
    no_secret(out, err)


def test_a_real_pipe_into_the_installed_command(aws: AwsFiles) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "xraybuilder",
            "profile",
            "add",
            "dev",
            "--region",
            "eu-west-1",
            "--from-json",
            "-",
        ],
        input=create_access_key_json(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    no_secret(proc.stdout)
    # The AWS CLI, with its own botocore, reads the profile back.
    for key, expected in (("aws_access_key_id", NEW_KEY_ID), ("region", "eu-west-1")):
        got = subprocess.run(
            [sys.executable, "-m", "awscli", "configure", "get", key, "--profile", "dev"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert got.stdout.strip() == expected


def test_session_credentials_json(aws: AwsFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # What 'aws sts get-session-token' prints: temporary keys with their token.
    path = tmp_path / "session.json"
    path.write_text(
        json.dumps(
            {
                "Credentials": {
                    "AccessKeyId": TEMP_KEY_ID,
                    "SecretAccessKey": NEW_SECRET,
                    "SessionToken": SESSION_TOKEN,
                    "Expiration": "2026-12-01T21:30:00+00:00",
                }
            }
        )
    )
    code, out, err = run(["dev", "--region", "eu-west-1", "--from-json", str(path)], capsys)
    assert code == 0
    assert botocore_reads("dev") == (TEMP_KEY_ID, NEW_SECRET, SESSION_TOKEN, "eu-west-1")
    no_secret(out, err)


def test_dry_run_shows_a_masked_diff_and_writes_nothing(
    aws: AwsFiles, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aws.write(CREDENTIALS_WITH_DEV, CONFIG_WITH_DEV)
    code, out, err = run(["dev", "--region", "eu-west-1", "--from-json", str(key_file), "--dry-run"], capsys)
    assert code == 0
    assert f"--- {aws.credentials}" in out and f"+aws_access_key_id = {NEW_KEY_ID}" in out
    assert "+aws_secret_access_key = ********" in out and "+region = eu-west-1" in out
    assert "dry run: nothing was written" in err and "needs --replace" in err
    no_secret(out, err)
    assert aws.credentials.read_bytes() == CREDENTIALS_WITH_DEV
    assert aws.config.read_bytes() == CONFIG_WITH_DEV
    assert sorted(p.name for p in aws.credentials.parent.iterdir()) == ["config", "credentials"]


def test_existing_profile_needs_replace(
    aws: AwsFiles, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aws.write(CREDENTIALS_WITH_DEV, CONFIG_WITH_DEV)
    code, out, err = run(["dev", "--region", "eu-west-1", "--from-json", str(key_file)], capsys)
    assert code == 2 and out == ""
    assert f"profile dev already exists ({aws.credentials} line 6, {aws.config} line 4)" in err
    assert "--replace" in err
    assert aws.credentials.read_bytes() == CREDENTIALS_WITH_DEV
    code, out, err = run(["dev", "--region", "eu-west-1", "--from-json", str(key_file), "--replace"], capsys)
    assert code == 0 and f"replaced [dev] in {aws.credentials}" in out
    assert botocore_reads("dev") == (NEW_KEY_ID, NEW_SECRET, None, "eu-west-1")
    no_secret(out, err)


def test_broken_file_exits_2_with_its_line(
    aws: AwsFiles, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = (
        b"[default]\naws_access_key_id = AKIADEFAULTDEFAULT22\naws_secret_access_key " + NEW_SECRET.encode()
    )
    aws.write(broken, b"")
    code, out, err = run(["dev", "--region", "eu-west-1", "--from-json", str(key_file)], capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"xraybuilder profile add: error: {aws.credentials} line 3: ")
    assert "Traceback" not in err
    no_secret(out, err)
    assert aws.credentials.read_bytes() == broken


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"AccessKey": {"AccessKeyId": "AKIA', "line 1 column"),
        ("[]", "expected the JSON 'aws iam create-access-key' prints"),
        (json.dumps({"AccessKey": {"AccessKeyId": NEW_KEY_ID}}), "no SecretAccessKey"),
        (create_access_key_json(key_id="AKIA123"), "access key id 'AKIA123'"),
        (create_access_key_json(secret=NEW_SECRET[:30]), "expected 40 characters, got 30"),
    ],
)
def test_bad_json_exits_2(
    aws: AwsFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, words: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    code, out, err = run(["dev", "--region", "eu-west-1", "--from-json", str(path)], capsys)
    assert code == 2 and out == "" and words in err
    no_secret(err)
    assert NEW_SECRET[:30] not in err
    assert not aws.credentials.exists()


def test_missing_json_file(aws: AwsFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["dev", "--region", "eu-west-1", "--from-json", str(tmp_path / "nope.json")], capsys)
    assert code == 2 and "No such file or directory" in err


def test_inactive_key_is_written_with_a_warning(
    aws: AwsFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "key.json"
    path.write_text(create_access_key_json(status="Inactive"))
    code, _, err = run(["dev", "--region", "eu-west-1", "--from-json", str(path)], capsys)
    assert code == 0 and f"warning: access key {NEW_KEY_ID} is Inactive" in err


def test_no_terminal_and_no_json(
    aws: AwsFiles, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = run(["dev", "--region", "eu-west-1"], capsys)
    assert code == 2 and "no terminal to ask for the keys" in err


@pytest.mark.parametrize("option", ["--secret", "--secret-access-key", "--aws-secret-access-key"])
def test_the_secret_is_never_an_argument(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["profile", "add", "dev", "--region", "eu-west-1", option, NEW_SECRET])
    assert caught.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def _read_until(fd: int, marker: bytes, seen: bytearray, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while marker not in seen:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"no {marker!r} in {bytes(seen)!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        seen += chunk


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_hidden_prompts_in_a_real_terminal(aws: AwsFiles) -> None:
    primary, secondary = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "xraybuilder", "profile", "add", "dev", "--region", "eu-west-1"],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        start_new_session=True,
    )
    os.close(secondary)
    seen = bytearray()
    try:
        _read_until(primary, b"access key id (hidden): ", seen)
        os.write(primary, TEMP_KEY_ID.encode() + b"\n")
        _read_until(primary, b"secret access key (hidden): ", seen)
        os.write(primary, NEW_SECRET.encode() + b"\n")
        _read_until(primary, b"Session token (hidden; empty for none): ", seen)
        os.write(primary, SESSION_TOKEN.encode() + b"\n")
        _read_until(primary, b"Try it", seen)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(primary)
    # The terminal never echoed what was typed.
    assert NEW_SECRET.encode() not in seen and SESSION_TOKEN.encode() not in seen
    assert botocore_reads("dev") == (TEMP_KEY_ID, NEW_SECRET, SESSION_TOKEN, "eu-west-1")


def test_dry_run_passes_on_the_notes(
    aws: AwsFiles, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aws.write(b"", b"[dev]\nregion = us-east-1\n")
    code, out, err = run(["dev", "--region", "eu-west-1", "--from-json", str(key_file), "--dry-run"], capsys)
    assert code == 0 and "+[profile dev]" in out
    assert f"note: {aws.config} line 1: botocore ignores [dev] in the config file" in err
