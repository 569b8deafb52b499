"""``xraybuilder presets list`` and ``presets show ID``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xraybuilder.cli import main

SHIPPED = [
    "console-read",
    "local-dev",
    "ec2",
    "ecs",
    "beanstalk",
    "lambda",
    "encryption-admin",
    "group-admin",
    "sampling-rule-admin",
]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["presets", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_id_title_and_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["list"], capsys)
    assert (code, err) == (0, "")
    rows = out.splitlines()
    assert [r.split()[0] for r in rows[: len(SHIPPED)]] == SHIPPED
    ec2 = rows[SHIPPED.index("ec2")]
    assert "Amazon EC2 instance" in ec2 and "instance profile" in ec2
    assert rows[-1] == "Show one in full: xraybuilder presets show ID"
    # No subcommand means list.
    assert run([], capsys)[1] == out


def test_list_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["list", "--format", "json"], capsys)
    doc: list[dict[str, Any]] = json.loads(out)
    assert code == 0 and [d["id"] for d in doc] == SHIPPED
    assert all(set(d) == {"id", "title", "summary", "shipped"} for d in doc)


def test_show_describes_parameters_defaults_and_what_it_builds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["show", "ec2"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("ec2: Amazon EC2 instance\n")
    assert "instance profile" in out
    flat = " ".join(out.split())  # wrapped to the terminal: compare words, not line breaks
    assert (
        "EC2 role in an instance profile [ec2-instance-role] + instance profile; "
        "trusted by ec2.amazonaws.com (aws-cn: ec2.amazonaws.com.cn)" in flat
    )
    assert "  daemon_download  [choice: narrow | s3-read-only | none]  default 'narrow'" in out
    assert "  instance_profile_name  [instance_profile_name]  default '{role_name}'" in out
    assert "narrow: s3:GetObject on aws-xray-assets.REGION/xray-daemon/* only" in out
    assert "  XRayDaemonDownload (Allow)  (when daemon_download = narrow)" in out
    assert "from the actions of AWSXRayDaemonWriteAccess" in out
    assert "arn:{partition}:s3:::aws-xray-assets.{region}/xray-daemon/*" in out
    assert "Never grants more than AWSXRayDaemonWriteAccess." in out
    assert out.rstrip().endswith("Build it: xraybuilder new ec2")


def test_show_lists_required_parameters_and_catalog_queries(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["show", "console-read"], capsys)
    assert "from access level List and Read of xray except xray:GetEncryptionConfig" in out
    _, out, _ = run(["show", "group-admin"], capsys)
    assert "  account  [account]  required" in out
    assert "  tag_value  [tag_value]  required (when restrict_by_tag = true)" in out
    assert "condition: StringEquals aws:RequestTag/{tag_key} = {tag_value}" in out
    assert out.rstrip().endswith("Build it: xraybuilder new group-admin --param account=…")


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["show", "ecs", "--format", "json"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["id"] == "ecs"
    params = {p["name"]: p for p in doc["parameters"]}
    assert params["daemon"]["choices"] == ["sidecar", "instance"]
    assert params["account"] == {
        "name": "account",
        "type": "account",
        "required": True,
        "default": None,
        "choices": [],
        "when": "daemon = sidecar",
        "description": params["account"]["description"],
    }


def test_show_unknown_id_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["show", "beanstalks"], capsys)
    assert code == 2 and out == ""
    assert "unknown scenario 'beanstalks'. Did you mean 'beanstalk'?" in err


def test_broken_user_presets_are_reported_and_the_rest_listed(
    config_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = config_dir / "presets"
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text('id = "broken"\ncolour = "red"\n', encoding="utf-8")
    code, out, err = run(["list"], capsys)
    assert code == 0
    assert [r.split()[0] for r in out.splitlines()[: len(SHIPPED)]] == SHIPPED
    assert f"warning: preset not loaded: {folder / 'broken.toml'}:2: colour: unknown key 'colour'" in err


def test_user_presets_are_listed_after_the_shipped_ones(
    config_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = config_dir / "presets"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(
        'id = "aaa-mine"\ntitle = "Mine"\nsummary = "Mine."\ndescription = "Mine."\n'
        '[[principal]]\nkind = "existing-identity"\nlabel = "me"\n',
        encoding="utf-8",
    )
    code, out, _ = run(["list"], capsys)
    rows = out.splitlines()
    assert code == 0 and rows[len(SHIPPED)].startswith("aaa-mine") and "(user)" in rows[len(SHIPPED)]
    _, shown, _ = run(["show", "aaa-mine"], capsys)
    assert f"user preset from {folder / 'mine.toml'}" in shown
