"""``xraybuilder simulate``: single requests, batches with expectations, and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from xraybuilder.cli import main

GROUP = "arn:aws:xray:eu-west-1:123456789012:group/web/ABC123"
GUIDE = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "AllowAll", "Effect": "Allow", "Action": "xray:*", "Resource": "*"},
        {
            "Sid": "DenyProdCreate",
            "Effect": "Deny",
            "Action": "xray:CreateGroup",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestTag/stage": ["preprod", "prod"]}},
        },
        {
            "Sid": "DenyProdChange",
            "Effect": "Deny",
            "Action": ["xray:UpdateGroup", "xray:DeleteGroup"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/stage": ["preprod", "prod"]}},
        },
    ],
}


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    path = tmp_path / "guide.json"
    path.write_text(json.dumps(GUIDE, indent=2))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["simulate", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_single_request_explains_an_explicit_deny(guide: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, str(guide), "--action", "xray:CreateGroup", "--resource", GROUP, "--request-tag", "stage=prod"
    )
    assert code == 0 and err == ""
    assert f"Request:  xray:CreateGroup on {GROUP}" in out
    assert "Decision: DENIED (explicit deny)" in out
    assert f"Denied by {guide} Statement[1] (Sid DenyProdCreate):" in out
    assert "condition StringEquals aws:RequestTag/stage: 'prod' equals 'prod'" in out
    assert (
        f"{guide} Statement[2] (Sid DenyProdChange), Deny: does not apply: action "
        "xray:CreateGroup is not in Action" in out
    )


def test_single_request_allowed_and_json(guide: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        str(guide),
        "--action",
        "xray:DeleteGroup",
        "--resource",
        GROUP,
        "--resource-tag",
        "stage=dev",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["outcome"] == "allowed"
    assert [d["sid"] for d in data["deciding"]] == ["AllowAll"]
    assert data["request"]["context"]["aws:ResourceTag/stage"] == "dev"


@pytest.mark.parametrize(
    ("expect", "code"),
    [
        ("explicit_deny", 0),
        ("denied", 0),
        ("allowed", 1),
        ("implicit_deny", 1),
    ],
)
def test_expect_sets_the_exit_code(
    guide: Path, capsys: pytest.CaptureFixture[str], expect: str, code: int
) -> None:
    got, out, _ = run(
        capsys,
        str(guide),
        "--action",
        "xray:UpdateGroup",
        "--resource",
        GROUP,
        "--resource-tag",
        "stage=preprod",
        "--expect",
        expect,
    )
    assert got == code
    assert f"Expected: {expect} -> {'PASS' if code == 0 else 'FAIL'}" in out


@pytest.mark.parametrize(
    "name", ["AWSXRayDaemonWriteAccess", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]
)
def test_managed_policy_by_name_or_arn(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run(capsys, name, "--action", "xray:PutTraceSegments", "--expect", "allowed")
    assert code == 0
    assert "Allowed by AWSXRayDaemonWriteAccess Statement[0] (Sid AWSXRayDaemonWriteAccess)" in out
    code, out, _ = run(
        capsys, name, "--action", "xray:CreateGroup", "--resource", GROUP, "--expect", "implicit_deny"
    )
    assert code == 0
    assert "DENIED (implicit deny" in out


def test_star_only_action_on_an_arn_is_explained(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    policy = tmp_path / "scoped.json"
    policy.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "xray:PutTraceSegments", "Resource": GROUP}],
            }
        )
    )
    code, out, _ = run(capsys, str(policy), "--action", "xray:PutTraceSegments", "--resource", GROUP)
    assert code == 0
    assert "evaluated against resource *" in out
    assert "does not support resource-level permissions" in out
    assert "DENIED (implicit deny" in out


def test_context_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    policy = tmp_path / "ctx.json"
    policy.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "xray:*",
                        "Resource": "*",
                        "Condition": {
                            "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
                            "ForAnyValue:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"},
                            "StringEquals": {"aws:PrincipalTag/team": "web"},
                        },
                    }
                ],
            }
        )
    )
    base = [
        str(policy),
        "--action",
        "xray:GetGroups",
        "--principal-tag",
        "team=web",
        "--context",
        "aws:SourceIp=203.0.113.9",
        "--context",
        "aws:CalledVia=athena.amazonaws.com",
        "--context",
        "aws:CalledVia=cloudformation.amazonaws.com",
    ]
    assert run(capsys, *base, "--expect", "allowed")[0] == 0
    assert run(capsys, *base, "--context", "aws:sourceip=198.51.100.1")[0] == 2  # same key twice
    changed = [a.replace("203.0.113.9", "198.51.100.1") for a in base]
    assert run(capsys, *changed, "--expect", "implicit_deny")[0] == 0


def test_policy_from_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(GUIDE).encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "-", "--action", "xray:GetGroups", "--expect", "allowed")
    assert code == 0
    assert "Allowed by <stdin> Statement[0] (Sid AllowAll)" in out


CHECKS_TOML = textwrap.dedent(f"""\
    [[requests]]
    name = "dev groups can be created"
    action = "xray:CreateGroup"
    resource = "{GROUP}"
    request_tags = {{ stage = "dev" }}
    expect = "allowed"

    [[requests]]
    name = "prod groups cannot be created"
    action = "xray:CreateGroup"
    resource = "{GROUP}"
    request_tags = {{ stage = "prod" }}
    expect = "explicit_deny"

    [[requests]]
    action = "xray:DeleteGroup"
    resource = "{GROUP}"
    resource_tags = {{ stage = "preprod" }}
    context = {{ "aws:SecureTransport" = true }}
    expect = "denied"
    """)


def test_batch_all_pass(guide: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    checks = tmp_path / "checks.toml"
    checks.write_text(CHECKS_TOML)
    code, out, err = run(capsys, str(guide), "--requests", str(checks))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        f"PASS  requests[0] dev groups can be created: xray:CreateGroup on {GROUP} "
        "-> allowed (expected allowed)"
    )
    assert lines[2].startswith("PASS  requests[2]: xray:DeleteGroup")
    assert lines[-1] == "3 requests: 3 passed, 0 failed"


def test_batch_mismatch_exits_1_and_explains(
    guide: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checks = tmp_path / "checks.toml"
    checks.write_text(CHECKS_TOML.replace('expect = "explicit_deny"', 'expect = "allowed"'))
    code, out, _ = run(capsys, str(guide), "--requests", str(checks))
    assert code == 1
    assert "FAIL  requests[1] prod groups cannot be created: xray:CreateGroup on" in out
    assert "-> explicit_deny (expected allowed)" in out
    assert "Denied by" in out and "Sid DenyProdCreate" in out
    assert out.splitlines()[-1] == "3 requests: 2 passed, 1 failed"


@pytest.mark.parametrize("wrap", [False, True])
def test_batch_json_file_and_json_output(
    guide: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], wrap: bool
) -> None:
    entries = [
        {"action": "xray:PutTraceSegments", "expect": "allowed"},
        {
            "name": "no prod",
            "action": "xray:UpdateGroup",
            "resource": GROUP,
            "resource_tags": {"stage": "prod"},
            "expect": "implicit_deny",
        },
    ]
    checks = tmp_path / "checks.json"
    checks.write_text(json.dumps({"requests": entries} if wrap else entries))
    code, out, _ = run(
        capsys, str(guide), "AWSXRayDaemonWriteAccess", "--requests", str(checks), "--format", "json"
    )
    assert code == 1
    data = json.loads(out)
    assert (data["passed"], data["failed"]) == (1, 1)
    assert [r["outcome"] for r in data["results"]] == ["allowed", "explicit_deny"]
    assert data["results"][1]["name"] == "no prod"
    assert data["results"][1]["passed"] is False
    assert data["results"][1]["decision"]["deciding"][0]["sid"] == "DenyProdChange"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"Version": "2012-10-17", "Statement": [\n  {"Effect": "Allow",, }]}',
            "bad.json:2:22: Expected a quoted key",
        ),
        (
            '{"Version": "2012-10-17", "Statement": [\n  {"Effect": 3, "Action": "xray:*"}]}',
            "bad.json:2:14: Statement[0].Effect: Effect is missing or not a string",
        ),
        ('{"Version": "2012-10-17", "Statment": []}', "bad.json:1:27: Statment: unknown policy element"),
        ("", "bad.json:1:1:"),
    ],
)
def test_bad_policy_file_gives_file_line_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "bad.json").write_text(content)
    code, out, err = run(capsys, str(tmp_path / "bad.json"), "--action", "xray:GetGroup")
    assert code == 2 and out == ""
    assert err.startswith("xraybuilder simulate: error: ")
    assert message in err.replace(str(tmp_path) + "/", "")


def test_policy_that_is_not_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "latin.json").write_bytes(b'{"Version": "2012-10-17",\n "Sid": "caf\xe9"}')
    code, _, err = run(capsys, str(tmp_path / "latin.json"), "--action", "xray:GetGroup")
    assert code == 2
    assert "latin.json:2:13: not valid UTF-8" in err


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('action = "xray:GetGroup"\nexpct = "allowed"', "requests[0]: unknown field 'expct'"),
        ('action = "xray:GetGroup"\nexpect = "permitted"', "requests[0]: expect must be one of"),
        ('expect = "allowed"', "requests[0]: action is missing or not a string"),
        ('name = "x"\naction = "GetGroup"\nexpect = "allowed"', "requests[0] (x): action must be service:"),
        (
            'action = "xray:GetGroup"\nresource = "group/web"\nexpect = "allowed"',
            "requests[0]: resource must be * or an ARN",
        ),
        (
            'action = "xray:CreateGroup"\nrequest_tags = { stage = 1 }\nexpect = "allowed"',
            "requests[0]: request_tags.stage must be a string",
        ),
        (
            'action = "xray:CreateGroup"\ncontext = { "aws:SourceIp" = { a = 1 } }\nexpect = "allowed"',
            "requests[0]: context value for aws:SourceIp must be",
        ),
    ],
)
def test_bad_toml_entry_names_the_entry(
    guide: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, message: str
) -> None:
    checks = tmp_path / "checks.toml"
    first = '[[requests]]\naction = "xray:GetGroups"\nexpect = "allowed"\n\n'
    checks.write_text(f"{first}[[requests]]\n{entry}\n")
    code, out, err = run(capsys, str(guide), "--requests", str(checks))
    assert code == 2 and out == ""
    assert message.replace("requests[0]", "requests[1]") in err


def test_bad_json_entry_has_a_line_and_column(
    guide: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checks = tmp_path / "checks.json"
    checks.write_text('[\n  {"action": "xray:GetGroups", "expect": "allowed"},\n  {"action": 5}\n]')
    code, _, err = run(capsys, str(guide), "--requests", str(checks))
    assert code == 2
    assert f"{checks}:3:3: requests[1]: action is missing or not a string" in err


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ('[[requests]\naction = "x"', ".toml", "not valid TOML"),
        ("[]", ".json", "must be a non-empty list"),
        ('{"checks": []}', ".json", 'expected a list of requests under "requests"'),
        ("title = 'x'", ".toml", 'expected a list of requests under "requests"'),
        ('[{"action": "xray:GetGroups", "expect": "allowed"},]', ".json", "checks.json:1:"),
    ],
)
def test_bad_requests_file(
    guide: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, suffix: str, message: str
) -> None:
    checks = tmp_path / f"checks{suffix}"
    checks.write_text(content)
    code, _, err = run(capsys, str(guide), "--requests", str(checks))
    assert code == 2
    assert message in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--action", "xray:GetGroup", "--requests", "x.toml"], "not both"),
        ([], "give --action"),
        (["--action", "xray:GetGroup", "--context", "aws:SourceIp"], "expected KEY=VALUE"),
        (["--action", "xray:GetGroup", "--request-tag", "=x"], "expected KEY=VALUE"),
        (["--action", "xray:GetGroup", "--resource", "group/web"], "resource must be * or an ARN"),
        (["--requests", "missing.toml"], "error: missing.toml: no such file"),
        (["--requests", "x.toml", "--expect", "allowed"], "come from the file"),
    ],
)
def test_usage_errors_exit_2(
    guide: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, str(guide), *argv)
    assert code == 2 and out == ""
    assert message in err


def test_unknown_policy_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "AWSXRayNoSuchPolicy", "--action", "xray:GetGroup")
    assert code == 2
    assert "AWSXRayNoSuchPolicy: no such file, and not an AWS managed X-Ray policy" in err
    assert "AWSXRayDaemonWriteAccess" in err


def test_simulate_does_not_load_the_tui() -> None:
    code = textwrap.dedent("""
        import contextlib, io, sys
        from xraybuilder.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            rc = main(["simulate", "AWSXRayDaemonWriteAccess", "--action", "xray:PutTraceSegments",
                       "--expect", "allowed"])
        ui = [m for m in sys.modules if m.split(".")[0] in ("textual", "prompt_toolkit")]
        print(rc, ui)
        """)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0 []"


def _encryption_admin_policy(tmp_path: Path) -> Path:
    out = tmp_path / "enc"
    code = main(
        [
            "new",
            "encryption-admin",
            "-p",
            "region=eu-west-1",
            "-p",
            "kms_key_arn=arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "-p",
            "admin_arn=arn:aws:iam::123456789012:role/Admin",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out / "policy.json"


def test_requested_region_comes_from_the_resource_arn(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = str(_encryption_admin_policy(tmp_path))
    capsys.readouterr()
    arn = "arn:aws:xray:eu-west-1:123456789012:group/admins/ABC"
    code, out, _ = run(capsys, policy, "--action", "xray:PutEncryptionConfig", "--resource", arn)
    assert code == 0
    assert "Decision: ALLOWED" in out
    assert "Assumed:  aws:RequestedRegion=eu-west-1, from the Region of the resource ARN" in out
    # Another Region's ARN is another Region's request.
    other = arn.replace("eu-west-1", "us-east-1")
    code, out, _ = run(capsys, policy, "--action", "xray:PutEncryptionConfig", "--resource", other)
    assert "Decision: DENIED" in out and "aws:RequestedRegion=us-east-1" in out
    # --region says where the call goes when the resource does not; JSON records it too.
    code, out, _ = run(
        capsys, policy, "--action", "xray:PutEncryptionConfig", "--region", "eu-west-1", "--format", "json"
    )
    data = json.loads(out)
    assert data["outcome"] == "allowed"
    assert data["request"]["assumed"] == {"aws:RequestedRegion": "the Region given"}
    # A value given in the context is never replaced.
    code, out, _ = run(
        capsys,
        policy,
        "--action",
        "xray:PutEncryptionConfig",
        "--resource",
        arn,
        "--context",
        "aws:RequestedRegion=us-east-1",
    )
    assert "Decision: DENIED" in out and "Assumed:" not in out


def test_requests_file_fills_the_region_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    policy = str(_encryption_admin_policy(tmp_path))
    checks = tmp_path / "checks.toml"
    checks.write_text(
        textwrap.dedent("""\
            [[requests]]
            action = "xray:PutEncryptionConfig"
            resource = "arn:aws:xray:eu-west-1:123456789012:group/admins/ABC"
            expect = "allowed"

            [[requests]]
            action = "xray:PutEncryptionConfig"
            region = "eu-west-1"
            expect = "allowed"

            [[requests]]
            action = "xray:PutEncryptionConfig"
            region = "us-west-2"
            expect = "implicit_deny"
            """)
    )
    capsys.readouterr()
    code, out, _ = run(capsys, policy, "--requests", str(checks))
    assert code == 0 and "3 requests: 3 passed, 0 failed" in out


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("aws:SourceIp=notanip", "context value 'notanip' for aws:SourceIp is not an IP address"),
        ("aws:CurrentTime=yesterday", "context value 'yesterday' for aws:CurrentTime is not a date"),
        (
            "aws:MultiFactorAuthPresent=yes",
            "context value 'yes' for aws:MultiFactorAuthPresent is not true or",
        ),
        (
            "aws:MultiFactorAuthAge=an hour",
            "context value 'an hour' for aws:MultiFactorAuthAge is not a number",
        ),
    ],
)
def test_context_values_are_checked_against_their_keys_type(
    guide: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, item: str, message: str
) -> None:
    code, out, err = run(capsys, str(guide), "--action", "xray:GetGroups", "--context", item)
    assert (code, out) == (2, "")
    assert err.startswith(f"xraybuilder simulate: error: {message}")
    key, _, value = item.partition("=")
    checks = tmp_path / "checks.toml"
    checks.write_text(
        f'[[requests]]\naction = "xray:GetGroups"\ncontext = {{ "{key}" = "{value}" }}\nexpect = "allowed"\n'
    )
    code, out, err = run(capsys, str(guide), "--requests", str(checks))
    assert (code, out) == (2, "")
    assert f"requests[0]: {message}" in err


def test_good_context_values_of_every_type_pass(guide: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        str(guide),
        "--action",
        "xray:GetGroups",
        "--context",
        "aws:SourceIp=2001:db8::1",
        "--context",
        "aws:CurrentTime=2027-01-01T00:00:00Z",
        "--context",
        "aws:MultiFactorAuthPresent=TRUE",
        "--context",
        "aws:MultiFactorAuthAge=300",
        "--expect",
        "allowed",
    )
    assert code == 0, out
