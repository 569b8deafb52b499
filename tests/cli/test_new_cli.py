"""``xraybuilder new``: one JSON object on standard output, or files in a folder."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from xraybuilder.cli import main

ACCOUNT = "123456789012"


@pytest.fixture(autouse=True)
def empty_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the developer's own presets out of these tests."""
    folder = tmp_path / "config"
    monkeypatch.setenv("XRAYBUILDER_CONFIG_DIR", str(folder))
    return folder


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["new", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def printed(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "")
    doc: dict[str, Any] = json.loads(out)  # one object, nothing else on stdout
    return doc


def test_print_json_is_one_object_with_stable_keys(capsys: pytest.CaptureFixture[str]) -> None:
    doc = printed(["ec2", "--format", "json", "--print"], capsys)
    assert list(doc) == [
        "preset",
        "principal",
        "parameters",
        "identity_policy",
        "trust_policy",
        "managed_policy_arns",
        "kms_key_policy_statements",
        "instance_profile",
        "names",
        "notes",
        "snippets",
        "lint_target",
    ]
    assert doc["instance_profile"] == "xray-ec2"
    assert doc["trust_policy"]["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert doc["identity_policy"]["Statement"][0]["Sid"] == "XRayDaemonWrite"
    # --print is the default.
    assert printed(["ec2"], capsys) == doc


def test_params_are_applied(capsys: pytest.CaptureFixture[str]) -> None:
    doc = printed(
        ["ecs", "--param", "daemon=sidecar", "-p", f"account={ACCOUNT}", "--param", "role_name=orders-task"],
        capsys,
    )
    assert doc["names"]["role"] == "orders-task"
    assert doc["trust_policy"]["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT}
    }
    user = printed(["local-dev"], capsys)
    assert user["trust_policy"] is None and user["principal"]["kind"] == "iam-user"


def test_missing_required_parameters_are_listed_in_one_message(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["encryption-admin"], capsys)
    assert code == 2 and out == ""
    assert "error: encryption-admin: missing required parameters: kms_key_arn, admin_arn" in err
    assert "xraybuilder presets show encryption-admin" in err
    assert "Traceback" not in err


def test_invalid_values_print_the_validators_message(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["ecs", "-p", "account=1234", "-p", "daemon=sidekick"], capsys)
    assert code == 2 and out == ""
    assert "parameter daemon: 'sidekick' is not one of the choices: sidecar, instance" in err
    code, _, err = run(["ec2", "-p", "regoin=eu-west-1"], capsys)
    assert code == 2 and "parameter regoin: ec2 has no parameter 'regoin' (did you mean 'region'?)" in err


def test_unknown_scenario_lists_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["lamda"], capsys)
    assert code == 2 and out == ""
    assert "unknown scenario 'lamda'. Did you mean 'lambda'?" in err
    assert "Known scenarios: beanstalk, console-read, ec2, ecs, encryption-admin" in err


@pytest.mark.parametrize(
    ("fmt", "words"),
    [
        ("terraform", "--format terraform is not available yet; only json is supported for now"),
        ("yaml", "--format 'yaml' is unknown; only json is supported for now"),
    ],
)
def test_only_json_is_accepted_for_now(capsys: pytest.CaptureFixture[str], fmt: str, words: str) -> None:
    code, out, err = run(["ec2", "--format", fmt], capsys)
    assert (code, out) == (2, "")
    assert words in err


def test_malformed_and_repeated_params(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["ec2", "--param", "region"], capsys)
    assert code == 2 and "--param 'region': write KEY=VALUE" in err
    code, _, err = run(["ec2", "-p", "region=eu-west-1", "-p", "region=us-east-1"], capsys)
    assert code == 2 and "--param region is given twice ('eu-west-1' and 'us-east-1')" in err


def test_values_may_hold_equals_signs(capsys: pytest.CaptureFixture[str]) -> None:
    doc = printed(["ec2", "-p", "role_name=a=b"], capsys)
    assert doc["names"]["role"] == "a=b"


def test_out_writes_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "bundle"
    code, out, err = run(["ec2", "--out", str(out_dir)], capsys)
    assert (code, err) == (0, "")
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["README.txt", "bundle.json", "policy.json", "trust-policy.json"]
    assert out.splitlines() == [
        f"wrote {out_dir / n}" for n in ("policy.json", "trust-policy.json", "README.txt", "bundle.json")
    ]
    policy = json.loads((out_dir / "policy.json").read_text())
    assert policy["Statement"][1]["Resource"] == ["arn:aws:s3:::aws-xray-assets.us-east-1/xray-daemon/*"]
    assert json.loads((out_dir / "bundle.json").read_text())["preset"] == "ec2"


def test_out_never_overwrites_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "bundle"
    out_dir.mkdir()
    (out_dir / "policy.json").write_text("mine", encoding="utf-8")
    (out_dir / "README.txt").write_text("mine too", encoding="utf-8")
    code, out, err = run(["lambda", "--out", str(out_dir)], capsys)
    assert code == 2 and out == ""
    assert f"--out {out_dir}: would overwrite policy.json, README.txt; use --force" in err
    # Nothing was written, not even the files that did not clash.
    assert sorted(p.name for p in out_dir.iterdir()) == ["README.txt", "policy.json"]
    assert (out_dir / "policy.json").read_text() == "mine"
    code, _, err = run(["lambda", "--out", str(out_dir), "--force"], capsys)
    assert (code, err) == (0, "")
    assert json.loads((out_dir / "policy.json").read_text())["Statement"][0]["Sid"] == "XRayActiveTracing"
    assert (out_dir / "trust-policy.json").exists()


def test_out_onto_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "taken"
    target.write_text("x", encoding="utf-8")
    code, _, err = run(["ec2", "--out", str(target)], capsys)
    assert code == 2 and "exists and is not a folder" in err


def test_local_dev_out_writes_placeholder_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "dev"
    code, _, _ = run(["local-dev", "--out", str(out_dir), "-p", "profile=tracing"], capsys)
    assert code == 0
    assert (out_dir / "credentials-tracing.ini").read_text().startswith("[tracing]\naws_access_key_id = <")
    assert (out_dir / "config-tracing.ini").read_text() == "[profile tracing]\nregion = us-east-1\n"
    assert (out_dir / "credentials-default.ini").exists()


def test_print_and_out_are_exclusive(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["new", "ec2", "--print", "--out", str(tmp_path)])
    assert info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_a_broken_user_preset_is_named_when_its_id_is_asked_for(
    empty_config_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (empty_config_dir / "presets").mkdir(parents=True)
    (empty_config_dir / "presets" / "mine.toml").write_text('id = "mine"\ntitle = \n', encoding="utf-8")
    code, _, err = run(["mine"], capsys)
    assert code == 2
    assert "mine.toml:2: column 9: TOML syntax error" in err
    assert "unknown scenario 'mine'" in err
    # Other scenarios still build, and a script's stderr is not cluttered by an unrelated file.
    code, out, err = run(["lambda"], capsys)
    assert (code, err) == (0, "") and json.loads(out)["preset"] == "lambda"


def test_new_does_not_import_the_tui() -> None:
    code = textwrap.dedent("""
        import contextlib, io, sys
        from xraybuilder.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["new", "ec2"]) == 0
            assert main(["presets", "list"]) == 0
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "prompt_toolkit")))
    """)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_an_empty_parameter_is_an_error_not_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    # As with -p region=$REGION when REGION is unset.
    code, out, err = run(["ec2", "-p", "region="], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == (
        "xraybuilder new: error: ec2: parameter region: is empty; give a value, "
        "or leave it out to use the default, us-east-1"
    )


def test_a_sampling_rule_name_new_accepts_is_one_lint_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    code, _, err = run(
        ["sampling-rule-admin", "-p", f"account={ACCOUNT}", "-p", "rule_name=my_rule", "--out", str(out_dir)],
        capsys,
    )
    assert (code, err) == (0, "")
    assert main(["lint", "--fail-on", "suggestion", str(out_dir / "policy.json")]) == 0
    assert capsys.readouterr().out == "1 file checked: no findings.\n"
    # A name new refuses is one lint warns about, with the same reason.
    code, _, err = run(
        ["sampling-rule-admin", "-p", f"account={ACCOUNT}", "-p", "rule_name=base.rule"], capsys
    )
    assert code == 2 and "holds '.'; only letters, digits, _ and - are allowed" in err
    policy = tmp_path / "dotted.json"
    text = (out_dir / "policy.json").read_text(encoding="utf-8").replace("my_rule", "base.rule")
    policy.write_text(text, encoding="utf-8")
    assert main(["lint", str(policy)]) == 0
    out = capsys.readouterr().out
    assert "UNUSUAL_RESOURCE_NAME" in out and "letters, digits, _ and - only" in out


USER_PRESET = """\
id = "team-groups"
title = "Team groups"
summary = "Read one group of the team."
description = "Read one group."
baseline = ["AWSXrayReadOnlyAccess"]

[parameters.account]
type = "account"
required = true
description = "Account."

[[principal]]
kind = "existing-identity"
label = "the team"

[[statement]]
sid = "ReadGroup"
actions = ["xray:GetGroup"]
resources = ["arn:aws:xray:us-east-1:{account}:group/team_a/*"]

[[expect.allowed]]
action = "xray:GetGroup"
resource = "arn:aws:xray:us-east-1:{account}:group/team_a/x"

[[expect.denied]]
action = "xray:DeleteGroup"
resource = "arn:aws:xray:us-east-1:{account}:group/team_a/x"
"""


def test_findings_on_what_new_builds_go_to_stderr(
    empty_config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (empty_config_dir / "presets").mkdir(parents=True)
    (empty_config_dir / "presets" / "team-groups.toml").write_text(USER_PRESET, encoding="utf-8")
    code, out, err = run(["team-groups", "-p", f"account={ACCOUNT}"], capsys)
    assert code == 0, err
    assert json.loads(out)["preset"] == "team-groups", "stdout still holds only the JSON object"
    assert err.startswith(
        "xraybuilder new: warning: Identity policy at Statement[0].Resource[0]: UNUSUAL_RESOURCE_NAME: "
        "The group name holds '_'"
    )
