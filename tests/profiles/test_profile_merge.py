"""Adding a profile: botocore reads the new keys and Region, and every other byte stays put."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from profile_samples import (
    CI_KEYS,
    CONFIG_WITH_DEV,
    CREDENTIALS_WITH_DEV,
    DEFAULT_KEYS,
    MESSY_CONFIG,
    MESSY_CREDENTIALS,
    NEW_KEY_ID,
    NEW_SECRET,
    OTHER_SECRETS,
    SESSION_TOKEN,
    STAGING_KEYS,
    TEMP_KEY_ID,
    AwsFiles,
    botocore_reads,
)

from xraybuilder.core.export.profiles import ProfileError, apply_profile, plan_profile


def add(name: str = "dev", region: str = "eu-west-1", **kwargs: object) -> list[str]:
    plan = plan_profile(name, kwargs.pop("key_id", NEW_KEY_ID), NEW_SECRET, region, **kwargs)  # type: ignore[arg-type]
    return apply_profile(plan)


def section_span(data: bytes, header: bytes) -> tuple[int, int]:
    """Byte offsets of the section starting at ``header`` up to the next header line."""
    start = data.index(header)
    following = [data.find(b"\n[", start + 1), data.find(b"\r\n[", start + 1)]
    ends = [pos for pos in following if pos != -1]
    end = min(ends) + 1 if ends else len(data)
    if data[end - 1 : end + 1] == b"\r\n":
        end += 1
    return start, end


def test_new_profile_in_messy_crlf_files(aws: AwsFiles) -> None:
    aws.write(MESSY_CREDENTIALS, MESSY_CONFIG)
    before = {name: botocore_reads(name) for name in ("default", "ci", "staging")}

    add("dev", "eu-west-1")

    assert botocore_reads("dev") == (NEW_KEY_ID, NEW_SECRET, None, "eu-west-1")
    assert {name: botocore_reads(name) for name in ("default", "ci", "staging")} == before
    # The old bytes come first, unchanged; the last line only gains its line end.
    creds = aws.credentials.read_bytes()
    assert creds == MESSY_CREDENTIALS + (
        b"\r\n\r\n[dev]\r\n"
        b"aws_access_key_id = " + NEW_KEY_ID.encode() + b"\r\n"
        b"aws_secret_access_key = " + NEW_SECRET.encode() + b"\r\n"
    )
    config = aws.config.read_bytes()
    assert config == MESSY_CONFIG + b"\r\n\r\n[profile dev]\r\nregion = eu-west-1\r\n"
    assert b"\n" not in creds.replace(b"\r\n", b"") and b"\n" not in config.replace(b"\r\n", b"")


def test_the_other_profiles_keep_their_settings_in_botocore(aws: AwsFiles) -> None:
    import botocore.session

    aws.write(MESSY_CREDENTIALS, MESSY_CONFIG)
    add("dev", "eu-west-1")
    assert botocore_reads("default") == (*DEFAULT_KEYS, None, "us-east-1")
    assert botocore_reads("ci") == (*CI_KEYS, None, "eu-central-1")
    assert botocore_reads("staging") == (*STAGING_KEYS, None, "ap-southeast-2")
    ci = botocore.session.Session(profile="ci").get_scoped_config()
    assert ci["s3"] == {"addressing_style": "path", "signature_version": "s3v4"}
    assert botocore.session.Session().full_config["sso_sessions"] == {"corp": {"sso_region": "us-east-1"}}


def test_replacing_a_profile_edits_its_keys_in_place(aws: AwsFiles) -> None:
    aws.write(CREDENTIALS_WITH_DEV, CONFIG_WITH_DEV)
    plan = plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")
    assert plan.replaces
    assert (plan.credentials.existing_line, plan.config.existing_line) == (6, 4)
    apply_profile(plan)

    # The stale session tokens went with the old keys; the Region changed, output stayed.
    assert botocore_reads("dev") == (NEW_KEY_ID, NEW_SECRET, None, "eu-west-1")
    creds = aws.credentials.read_bytes()
    start, end = section_span(CREDENTIALS_WITH_DEV, b"[dev]")
    new_start, new_end = section_span(creds, b"[dev]")
    assert creds[:new_start] == CREDENTIALS_WITH_DEV[:start]
    assert creds[new_end:] == CREDENTIALS_WITH_DEV[end:]
    assert creds[new_start:new_end].decode() == (
        "[dev]\n"
        f"aws_access_key_id = {NEW_KEY_ID}\n"
        "# rotated last spring\n"
        f"aws_secret_access_key = {NEW_SECRET}\n"
        "ca_bundle = /etc/ssl/corp.pem\n"
        "\n"
    )
    assert aws.config.read_bytes() == CONFIG_WITH_DEV.replace(b"region = us-west-2", b"region = eu-west-1")
    assert botocore_reads("ci") == (*CI_KEYS, None, "eu-central-1")


def test_a_line_already_right_is_kept_as_written(aws: AwsFiles) -> None:
    config = b"[profile dev]\nregion=eu-west-1\n"
    aws.write(CREDENTIALS_WITH_DEV, config)
    plan = plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")
    assert not plan.config.changed
    messages = apply_profile(plan)
    assert aws.config.read_bytes() == config
    assert any("unchanged" in m and "config" in m for m in messages)
    # No backup of a file that was not rewritten.
    assert sorted(p.name for p in aws.config.parent.iterdir() if "config" in p.name) == ["config"]


def test_a_second_run_with_the_same_keys_changes_nothing(aws: AwsFiles) -> None:
    aws.write(MESSY_CREDENTIALS, MESSY_CONFIG)
    add("dev")
    creds, config = aws.credentials.read_bytes(), aws.config.read_bytes()
    plan = plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")
    assert not plan.credentials.changed and not plan.config.changed and not plan.replaces
    assert plan.diff() == ""
    apply_profile(plan)
    assert (aws.credentials.read_bytes(), aws.config.read_bytes()) == (creds, config)


def test_default_profile_uses_the_default_header_in_config(aws: AwsFiles) -> None:
    aws.write(b"", b"")
    add("default", "sa-east-1", output="text")
    assert aws.config.read_text() == "[default]\nregion = sa-east-1\noutput = text\n"
    assert aws.credentials.read_text().startswith("[default]\n")
    assert botocore_reads("default") == (NEW_KEY_ID, NEW_SECRET, None, "sa-east-1")


def test_default_profile_written_as_profile_default_is_replaced_where_it_is(aws: AwsFiles) -> None:
    aws.write(b"", b"[profile default]\nregion = us-east-1\n")
    add("default", "eu-north-1")
    assert aws.config.read_bytes() == b"[profile default]\nregion = eu-north-1\n"
    assert botocore_reads("default")[3] == "eu-north-1"


def test_quoted_profile_header_is_found(aws: AwsFiles) -> None:
    aws.write(b"", b'[profile "dev"]\nregion = us-east-1\n')
    add("dev", "eu-west-3")
    assert aws.config.read_bytes() == b'[profile "dev"]\nregion = eu-west-3\n'
    assert botocore_reads("dev")[3] == "eu-west-3"


def test_a_section_header_without_a_final_line_end(aws: AwsFiles) -> None:
    aws.write(b"[default]\naws_access_key_id = x\naws_secret_access_key = y\n[dev]", b"[profile dev]")
    add("dev", "eu-west-1")
    assert aws.credentials.read_bytes().startswith(b"[default]\naws_access_key_id = x\n")
    assert aws.config.read_bytes() == b"[profile dev]\nregion = eu-west-1\n"
    assert botocore_reads("dev") == (NEW_KEY_ID, NEW_SECRET, None, "eu-west-1")


def test_indented_keys_keep_their_indentation(aws: AwsFiles) -> None:
    aws.write(b"[dev]\n  aws_access_key_id = AKIAOLD\n  aws_secret_access_key = old\n", b"")
    add("dev")
    assert aws.credentials.read_text() == (
        f"[dev]\n  aws_access_key_id = {NEW_KEY_ID}\n  aws_secret_access_key = {NEW_SECRET}\n"
    )
    assert botocore_reads("dev")[:2] == (NEW_KEY_ID, NEW_SECRET)


def test_temporary_keys_carry_their_session_token(aws: AwsFiles) -> None:
    aws.write(CREDENTIALS_WITH_DEV, CONFIG_WITH_DEV)
    add("dev", key_id=TEMP_KEY_ID, session_token=SESSION_TOKEN)
    assert botocore_reads("dev") == (TEMP_KEY_ID, NEW_SECRET, SESSION_TOKEN, "eu-west-1")
    assert "aws_security_token" not in aws.credentials.read_text()


def test_files_and_folder_are_created_under_home(home: Path) -> None:
    messages = add("dev", "ca-central-1")
    folder = home / ".aws"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in ("credentials", "config"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert botocore_reads("dev") == (NEW_KEY_ID, NEW_SECRET, None, "ca-central-1")
    assert any("created folder ~/.aws" in m for m in messages)


def test_environment_paths_expand_the_home_folder(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "~/keys/creds")
    monkeypatch.setenv("XB_TEST_DIR", "settings")
    monkeypatch.setenv("AWS_CONFIG_FILE", "~/$XB_TEST_DIR/conf")
    (home / "keys").mkdir()
    (home / "settings").mkdir()
    plan = plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")
    assert plan.credentials.path == home / "keys" / "creds"
    assert plan.config.path == home / "settings" / "conf"
    assert plan.credentials.display == "~/keys/creds"
    apply_profile(plan)
    assert botocore_reads("dev") == (NEW_KEY_ID, NEW_SECRET, None, "eu-west-1")
    assert not (home / ".aws").exists()


def test_explicit_paths_win_over_the_environment(aws: AwsFiles, tmp_path: Path) -> None:
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    plan = plan_profile(
        "dev",
        NEW_KEY_ID,
        NEW_SECRET,
        "eu-west-1",
        credentials_path=elsewhere / "c",
        config_path=elsewhere / "k",
    )
    apply_profile(plan)
    assert (elsewhere / "c").exists() and not aws.credentials.exists()


def test_symlinked_file_is_written_through_and_stays_a_link(aws: AwsFiles, tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "aws-credentials"
    real.write_bytes(MESSY_CREDENTIALS)
    aws.credentials.symlink_to(real)
    messages = add("dev")
    assert aws.credentials.is_symlink() and os.readlink(aws.credentials) == str(real)
    assert real.read_bytes().startswith(MESSY_CREDENTIALS)
    assert botocore_reads("dev")[:2] == (NEW_KEY_ID, NEW_SECRET)
    backups = list(dotfiles.glob("aws-credentials.*.bak"))
    assert len(backups) == 1 and backups[0].read_bytes() == MESSY_CREDENTIALS
    assert any("through the link" in m for m in messages)


def test_dangling_link_creates_its_target(aws: AwsFiles, tmp_path: Path) -> None:
    real = tmp_path / "aws" / "real-config"
    aws.config.symlink_to(real)
    add("dev")
    assert aws.config.is_symlink() and real.read_text() == "[profile dev]\nregion = eu-west-1\n"


def test_wide_mode_is_tightened_and_the_user_told(aws: AwsFiles) -> None:
    aws.write(MESSY_CREDENTIALS, MESSY_CONFIG)
    aws.credentials.chmod(0o644)
    aws.config.chmod(0o600)
    messages = add("dev")
    assert stat.S_IMODE(aws.credentials.stat().st_mode) == 0o600
    assert stat.S_IMODE(aws.config.stat().st_mode) == 0o600
    tightened = [m for m in messages if m.startswith("tightened")]
    assert tightened == [f"tightened mode of {aws.credentials} from 0644 to 0600"]


def test_unchanged_but_too_open_file_is_still_tightened(aws: AwsFiles) -> None:
    aws.write(b"", b"[profile dev]\nregion = eu-west-1\n")
    aws.config.chmod(0o664)
    messages = add("dev")
    assert stat.S_IMODE(aws.config.stat().st_mode) == 0o600
    assert f"tightened mode of {aws.config} from 0664 to 0600" in messages


def test_backup_holds_the_previous_bytes_with_mode_0600(aws: AwsFiles) -> None:
    aws.write(MESSY_CREDENTIALS, MESSY_CONFIG)
    aws.credentials.chmod(0o644)
    messages = add("dev")
    backups = sorted(aws.credentials.parent.glob("*.bak"))
    assert [b.name.split(".")[0] for b in backups] == ["config", "credentials"]
    by_name = {b.name.split(".")[0]: b for b in backups}
    assert by_name["credentials"].read_bytes() == MESSY_CREDENTIALS
    assert by_name["config"].read_bytes() == MESSY_CONFIG
    assert all(stat.S_IMODE(b.stat().st_mode) == 0o600 for b in backups)
    assert any(str(by_name["credentials"]) in m for m in messages)
    # A second run in the same second gets its own backup instead of replacing the first.
    add("dev", "eu-west-2")
    assert len(list(aws.credentials.parent.glob("config.*.bak"))) == 2


def test_no_temporary_files_are_left(aws: AwsFiles) -> None:
    aws.write(MESSY_CREDENTIALS, MESSY_CONFIG)
    add("dev")
    assert not [p for p in aws.credentials.parent.iterdir() if p.name.endswith(".tmp")]


def test_profile_defined_twice_in_config_is_refused(aws: AwsFiles) -> None:
    config = b'[profile dev]\nregion = us-east-1\n\n[profile "dev"]\nregion = us-east-2\n'
    aws.write(b"", config)
    with pytest.raises(ProfileError) as caught:
        plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")
    assert "lines 1 and 4" in str(caught.value)
    assert aws.config.read_bytes() == config


def test_same_file_for_both_is_refused(aws: AwsFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws.credentials))
    with pytest.raises(ProfileError, match="both the credentials file and the config file"):
        plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")


def test_empty_environment_variable_is_refused(aws: AwsFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", "")
    with pytest.raises(ProfileError, match="AWS_CONFIG_FILE is set but empty"):
        plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")


def test_role_settings_in_config_are_pointed_out(aws: AwsFiles) -> None:
    aws.write(b"", b"[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = a\n")
    plan = plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")
    assert plan.notes and "role_arn" in plan.notes[0] and "line 1" in plan.notes[0]
    assert plan.notes[0] in apply_profile(plan)


def test_file_changed_after_the_preview_is_not_overwritten(aws: AwsFiles) -> None:
    aws.write(MESSY_CREDENTIALS, MESSY_CONFIG)
    plan = plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")
    edited = MESSY_CONFIG + b"\r\n[profile late]\r\nregion = us-east-1\r\n"
    aws.config.write_bytes(edited)
    with pytest.raises(ProfileError, match="changed since the preview"):
        apply_profile(plan)
    assert aws.credentials.read_bytes() == MESSY_CREDENTIALS
    assert aws.config.read_bytes() == edited


def test_failed_write_leaves_the_file_as_it_was(aws: AwsFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    aws.write(MESSY_CREDENTIALS, MESSY_CONFIG)
    plan = plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ProfileError) as caught:
        apply_profile(plan)
    message = str(caught.value)
    assert "No space left on device" in message and str(aws.credentials) in message
    assert aws.credentials.read_bytes() == MESSY_CREDENTIALS
    assert aws.config.read_bytes() == MESSY_CONFIG
    assert not [p for p in aws.credentials.parent.iterdir() if p.name.endswith(".tmp")]
    assert NEW_SECRET not in message and all(s not in message for s in OTHER_SECRETS)


def test_headers_of_the_other_file_are_pointed_out(aws: AwsFiles) -> None:
    aws.write(b"[profile dev]\naws_access_key_id = AKIAOLD\n", b"# old\n[dev]\nregion = us-east-1\n")
    plan = plan_profile("dev", NEW_KEY_ID, NEW_SECRET, "eu-west-1")
    assert plan.notes == (
        f"{aws.credentials} line 1: botocore ignores [profile dev] in the credentials file "
        "(it reads [dev]); left as it is",
        f"{aws.config} line 2: botocore ignores [dev] in the config file "
        "(it reads [profile dev]); left as it is",
    )
    apply_profile(plan)
    assert botocore_reads("dev") == (NEW_KEY_ID, NEW_SECRET, None, "eu-west-1")
    assert aws.config.read_bytes().startswith(b"# old\n[dev]\nregion = us-east-1\n")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give files away")
def test_files_and_backups_keep_the_owner_under_sudo(aws: AwsFiles) -> None:
    aws.write(MESSY_CREDENTIALS, MESSY_CONFIG)
    os.chown(aws.credentials, 4321, 4321)
    add("dev")
    assert (aws.credentials.stat().st_uid, aws.credentials.stat().st_gid) == (4321, 4321)
    (backup,) = aws.credentials.parent.glob("credentials.*.bak")
    assert (backup.stat().st_uid, stat.S_IMODE(backup.stat().st_mode)) == (4321, 0o600)
