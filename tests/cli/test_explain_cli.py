"""``xraybuilder explain``: plain-language summaries and comparisons from the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from xraybuilder.cli import main
from xraybuilder.core.explain import compare, summarize
from xraybuilder.core.managed import managed_policies, managed_policy

GROUP_ARN = "arn:aws:xray:eu-west-1:123456789012:group/local-users/*"
SCOPED = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["xray:CreateGroup"], "Resource": [GROUP_ARN]}],
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["explain", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, content: str | dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
    return path


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``text``."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_managed_policy_by_name_in_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["AWSXrayReadOnlyAccess"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("Policy: AWSXrayReadOnlyAccess\n")
    assert "AWS X-Ray: 18 of 44 actions" in out
    assert "What it denies\n  nothing" in out
    console = out[out.index("In the X-Ray console") :].splitlines()[1:]
    verdicts = {
        line[10:].strip(): line.split()[0]
        for line in console
        if line.startswith("  ") and not line.startswith("          ")
    }
    assert verdicts["View the service map and traces"] == "yes"
    assert verdicts["Change sampling rules"] == "no"
    assert verdicts["Change encryption settings"] == "no"
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("name", list(managed_policies()))
def test_json_is_the_core_summary(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    found = managed_policy(name)
    assert found is not None
    code, out, _ = run([found.arn("aws-us-gov"), "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["policy"] == name
    assert data["summary"] == summarize(found.policy).to_json()
    assert "comparison" not in data


def test_file_and_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "scoped.json", SCOPED)
    code, from_file, _ = run([str(path), "--format", "json"], capsys)
    assert code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(SCOPED)))
    code, from_stdin, _ = run(["-", "--format", "json"], capsys)
    assert code == 0
    a, b = json.loads(from_file), json.loads(from_stdin)
    assert (a["policy"], b["policy"]) == (str(path), "<stdin>")
    assert a["summary"] == b["summary"]
    manage = next(c for c in a["summary"]["console"] if c["id"] == "manage-groups")
    assert manage["status"] == "partly"
    assert manage["limited"] == [{"action": "xray:CreateGroup", "reason": f"only on {GROUP_ARN}"}]


def test_compare_with_managed_policies(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["AWSXrayWriteOnlyAccess", "--compare", "AWSXRayDaemonWriteAccess", "--format", "json"], capsys
    )
    assert code == 0
    comparison = json.loads(out)["comparison"]
    assert comparison["same"] is True and comparison["beyond"] == comparison["short_of"] == []
    code, out, _ = run(["AWSXrayReadOnlyAccess", "--compare", "AWSXrayFullAccess"], capsys)
    assert code == 0
    assert "Compared with AWSXrayFullAccess" in out
    assert "Nothing beyond AWSXrayFullAccess: AWSXrayReadOnlyAccess is a subset of it." in out


def test_compare_with_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "scoped.json", SCOPED)
    code, out, _ = run([str(path), "--compare", "AWSXrayReadOnlyAccess", "--format", "json"], capsys)
    assert code == 0
    comparison = json.loads(out)["comparison"]
    readonly = managed_policy("AWSXrayReadOnlyAccess")
    assert readonly is not None
    expected = compare(
        summarize_input(path), readonly.policy, policy_name=str(path), baseline_name="AWSXrayReadOnlyAccess"
    )
    assert comparison == expected.to_json()
    assert [(d["action"], d["resources"]) for d in comparison["beyond"]] == [
        ("xray:CreateGroup", [GROUP_ARN])
    ]
    code, out, _ = run(["AWSXrayFullAccess", "--compare", str(path)], capsys)
    # The text is wrapped, and a long path (a test worker's tmp_path) may be broken anywhere.
    assert code == 0
    assert "".join(f"Beyond {path}, AWSXrayFullAccess allows:".split()) in "".join(out.split())


def summarize_input(path: Path) -> Any:
    from xraybuilder.core.policy.model import Policy

    return Policy.from_json(json.loads(path.read_text()))


def test_fail_on_beyond(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "scoped.json", SCOPED)
    assert run([str(path), "--compare", "AWSXrayFullAccess", "--fail-on-beyond"], capsys)[0] == 0
    assert run([str(path), "--compare", "AWSXrayReadOnlyAccess", "--fail-on-beyond"], capsys)[0] == 1
    code, out, err = run([str(path), "--fail-on-beyond"], capsys)
    assert (code, out) == (2, "")
    assert "--fail-on-beyond needs --compare" in err


def test_descriptions_on_demand(capsys: pytest.CaptureFixture[str]) -> None:
    _, plain, _ = run(["AWSXrayReadOnlyAccess"], capsys)
    _, described, _ = run(["AWSXrayReadOnlyAccess", "--descriptions"], capsys)
    assert "GetGroup: Grants permission to retrieve group resource details" not in plain
    assert "GetGroup: Grants permission to retrieve group resource details" in described
    assert max(len(line) for line in described.splitlines()) <= 80


def test_invalid_json_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = '{"Version": "2012-10-17"\n  "Statement": []}'
    path = write(tmp_path, "broken.json", text)
    code, out, err = run([str(path)], capsys)
    assert (code, out) == (2, "")
    line, col = position(text, '"Statement"')
    message = "Missing comma between two object members."
    assert err == f"xraybuilder explain: error: {path}:{line}:{col}: {message}\n"


@pytest.mark.parametrize(
    ("statement", "needle", "message"),
    [
        (
            {"Effect": "Allowed", "Action": "xray:GetGroups", "Resource": "*"},
            '"Allowed"',
            'Statement[0].Effect: Effect must be "Allow" or "Deny", not "Allowed"',
        ),
        (
            {"Effect": "Allow", "Action": ["xray:GetGroups", "xray.GetGroup"], "Resource": "*"},
            '"xray.GetGroup"',
            'Statement[0].Action[1]: "xray.GetGroup" is not an action',
        ),
        (
            {"Effect": "Allow", "Action": "xray:GetGroups", "Resources": "*"},
            '"Resources"',
            'Statement[0].Resources: unknown statement element "Resources"',
        ),
        (
            {"Effect": "Allow", "Action": "xray:GetGroups", "Resource": "*", "Condition": ["x"]},
            '[\n        "x"',
            "Statement[0].Condition: Condition must be an object of operators",
        ),
    ],
)
def test_invalid_policy_says_where(
    statement: dict[str, Any], needle: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)
    path = write(tmp_path, "bad.json", text)
    code, out, err = run([str(path)], capsys)
    assert (code, out) == (2, "")
    line, col = position(text, needle)
    assert err.startswith(f"xraybuilder explain: error: {path}:{line}:{col}: {message}")
    assert "Traceback" not in err


def test_invalid_baseline_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "base.json", '{"Version": "2012-10-17", "Statement": [}')
    code, out, err = run(["AWSXrayReadOnlyAccess", "--compare", str(path)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"xraybuilder explain: error: {path}:1:")


def test_recoverable_slips_are_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        '{"Version": "2012-10-17", "Statement": [\n'
        '  {"Effect": "Allow", "Action": "xray:GetGroups", "Resource": "*"},\n]}'
    )
    path = write(tmp_path, "slip.json", text)
    code, out, err = run([str(path)], capsys)
    assert code == 0 and "GetGroups" in out
    line, col = position(text, ",\n]")
    assert err == f"{path}:{line}:{col}: warning: Trailing comma before ']': IAM rejects it.\n"


def test_unknown_name_directory_and_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["AWSXrayReadOnly"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("xraybuilder explain: error: AWSXrayReadOnly: no such file, and not an AWS managed")
    assert "AWSXrayReadOnlyAccess" in err
    code, _, err = run([str(tmp_path)], capsys)
    assert code == 2 and "is a directory" in err
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"Statement": "\xe9"}')
    code, _, err = run([str(latin)], capsys)
    assert code == 2 and f"error: {latin}:1:16: not valid UTF-8 (byte 0xe9)" in err


def test_only_one_input_can_be_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["-", "--compare", "-"], capsys)
    assert (code, out) == (2, "")
    assert "only one of POLICY and BASELINE" in err


def test_runs_without_the_tui() -> None:
    probe = (
        "import sys; from xraybuilder.cli import main; code = main(['explain', "
        "'AWSXrayFullAccess', '--compare', 'AWSXrayReadOnlyAccess']); "
        "ui = ('textual', 'prompt_toolkit'); "
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ui))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []"
    assert "Compared with AWSXrayReadOnlyAccess" in done.stdout


def test_a_deny_with_notaction_is_summarised_by_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "xray:*", "Resource": "*"},
            {"Effect": "Deny", "NotAction": ["xray:GetGroup", "xray:GetGroups"], "Resource": "*"},
        ],
    }
    path = write(tmp_path, "deny.json", json.dumps(policy))
    code, out, _ = run([str(path)], capsys)
    assert code == 0
    denies = out.split("What it denies\n", 1)[1].split("\n\n", 1)[0].splitlines()
    from xraybuilder.core import catalog

    def total(prefix: str) -> int:
        svc = catalog.service(prefix)
        assert svc is not None
        return len(svc.actions)

    # X-Ray in detail; every other held service in one line and its scope.
    assert f"  AWS X-Ray: {total('xray') - 2} of {total('xray')} actions" in denies
    others = [line for line in denies if line.startswith("  ") and not line.startswith("   ")][1:]
    assert f"  AWS Key Management Service: all {total('kms')} actions" in others
    assert f"  Amazon S3: all {total('s3')} actions" in others
    for line in others[:-1]:
        assert line.endswith(" actions")
        assert denies[denies.index(line) + 1] == "    on all resources"
    assert len(denies) < 40
    # JSON keeps every action.
    code, out, _ = run([str(path), "--format", "json"], capsys)
    kms = next(s for s in json.loads(out)["summary"]["denies"] if s["service"] == "kms")
    assert kms["action_count"] == kms["service_total"] == total("kms")
