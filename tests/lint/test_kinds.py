"""Lint by document kind: trust, resource and KMS key policies by their own rules.

The CLI cases write the files with ``xraybuilder new --out`` and lint them back, the way
a user would; the trust policy must come out clean and bundle.json must be skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xraybuilder.cli import main
from xraybuilder.core.lint import LintContext, Severity, lint, lint_as
from xraybuilder.core.lint.fixes import apply_fix
from xraybuilder.core.lint.kinds import detect_kind, is_policy, is_trust_action

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ADMIN = "arn:aws:iam::123456789012:role/XRayAdmin"

EC2 = {"Service": "ec2.amazonaws.com"}


def policy(*statements: dict[str, Any], **top: Any) -> str:
    return json.dumps({"Version": "2012-10-17", **top, "Statement": list(statements)}, indent=2)


def codes(text: str, kind: str, target: str = "managed") -> dict[str, Severity]:
    return {f.code: f.severity for f in lint(text, LintContext(target=target, kind=kind))}  # type: ignore[arg-type]


TRUST = policy({"Effect": "Allow", "Principal": EC2, "Action": "sts:AssumeRole"})
KEY = policy(
    {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": ADMIN}, "Action": ["kms:Decrypt"], "Resource": "*"}
)


# -- detection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind",
    [
        (TRUST, "trust"),
        (
            policy({"Effect": "Allow", "Principal": EC2, "Action": ["sts:AssumeRole", "sts:TagSession"]}),
            "trust",
        ),
        (policy({"Effect": "Allow", "Principal": EC2, "Action": "sts:AssumeRole*"}), "trust"),
        (KEY, "key-policy"),
        (json.dumps({"Statement": json.loads(KEY)["Statement"]}), "key-policy"),
        # A Principal in an identity policy is a mistake to report, not a reason to guess.
        ((CORPUS / "error_principal_in_identity_policy.json").read_text("utf-8"), None),
        (policy({"Effect": "Allow", "Action": "xray:GetGroup", "Resource": "*"}), None),
        # A trust policy with a Resource is a trust policy with a mistake (IAM: "Has prohibited field").
        (policy({"Effect": "Allow", "Principal": EC2, "Action": "sts:AssumeRole", "Resource": "*"}), "trust"),
        (
            policy({"Effect": "Allow", "Principal": EC2, "Action": "kms:Decrypt", "Resource": KEY_ARN}),
            "key-policy",
        ),
        (policy({"Effect": "Allow", "Principal": EC2, "Action": ["kms:Decrypt", "xray:GetGroup"]}), None),
        (policy({"Effect": "Allow", "Principal": EC2, "NotAction": "sts:AssumeRole"}), None),
        ("{not json", None),
    ],
)
def test_the_kind_is_detected_only_where_it_is_clear(text: str, kind: str | None) -> None:
    assert detect_kind(text) == kind


def test_trust_actions() -> None:
    assert is_trust_action("sts:AssumeRoleWithWebIdentity") and is_trust_action("STS:assumerole")
    assert is_trust_action("sts:Assume*") and not is_trust_action("sts:GetCallerIdentity")
    assert not is_trust_action("*") and not is_trust_action("s3:*")


@pytest.mark.parametrize(
    "value, expected",
    [
        ({"preset": "ec2", "identity_policy": {}}, False),
        ({"name": "x", "version": "1"}, True),  # "version" in any case is a policy element
        ({}, True),
        ([1, 2], True),
        ({"statement": []}, True),
    ],
)
def test_is_policy(value: Any, expected: bool) -> None:
    assert is_policy(value) is expected


def test_lint_as_skips_what_is_not_a_policy_unless_told() -> None:
    bundle = json.dumps({"preset": "ec2", "principal": {"kind": "ec2-instance-role"}})
    assert lint_as(bundle) == (None, [])
    kind, findings = lint_as(bundle, kind="identity")
    assert kind == "identity" and {f.code for f in findings} >= {"MISSING_STATEMENT"}


# -- trust policies ---------------------------------------------------------------------


def test_a_trust_policy_is_clean_as_a_trust_policy_and_wrong_as_an_identity_policy() -> None:
    assert codes(TRUST, "trust") == {}
    assert set(codes(TRUST, "identity")) == {"MISSING_RESOURCE", "UNSUPPORTED_PRINCIPAL"}


def test_a_trust_policy_has_no_resource_and_the_fix_removes_it() -> None:
    text = policy({"Effect": "Allow", "Principal": EC2, "Action": "sts:AssumeRole", "Resource": "*"})
    findings = lint(text, LintContext(kind="trust"))
    [finding] = [f for f in findings if f.code == "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"]
    assert finding.severity is Severity.ERROR and "Has prohibited field Resource" in finding.message
    assert finding.fix is not None
    assert lint(apply_fix(text, finding.fix), LintContext(kind="trust")) == []


def test_a_trust_policy_grants_only_role_taking_actions() -> None:
    text = policy(
        {"Effect": "Allow", "Principal": EC2, "Action": ["sts:AssumeRole", "xray:PutTraceSegments"]}
    )
    findings = [
        f for f in lint(text, LintContext(kind="trust")) if f.code == "UNSUPPORTED_ACTION_IN_TRUST_POLICY"
    ]
    assert [f.path for f in findings] == [("Statement", 0, "Action", 1)]
    assert "identity policy" in findings[0].message


def test_trust_policy_principal_rules() -> None:
    missing = policy({"Effect": "Allow", "Action": "sts:AssumeRole"})
    assert codes(missing, "trust") == {"MISSING_PRINCIPAL": Severity.ERROR}
    not_principal = policy({"Effect": "Deny", "NotPrincipal": EC2, "Action": "sts:AssumeRole"})
    assert codes(not_principal, "trust") == {"ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL": Severity.ERROR}
    anyone = policy({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"})
    assert codes(anyone, "trust") == {"PUBLIC_PRINCIPAL": Severity.SECURITY_WARNING}
    scoped = policy(
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}},
        }
    )
    assert "PUBLIC_PRINCIPAL" not in codes(scoped, "trust")


def test_a_trust_policy_has_its_own_size_quota() -> None:
    services = [f"svc{i:04d}.amazonaws.com" for i in range(90)]
    text = policy({"Effect": "Allow", "Principal": {"Service": services}, "Action": "sts:AssumeRole"})
    found = codes(text, "trust")
    assert found.get("POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA") is Severity.ERROR
    assert "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA" not in found


# -- resource and key policies ------------------------------------------------------------


def test_a_resource_policy_needs_a_principal_and_a_resource() -> None:
    text = policy(
        {"Effect": "Allow", "Action": "xray:PutTraceSegments"},
        {
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "xray:PutTraceSegments",
            "Resource": "*",
        },
        Id="MyPolicy",
    )
    findings = {(f.code, f.path) for f in lint(text, LintContext(kind="resource"))}
    assert ("MISSING_PRINCIPAL", ("Statement", 0)) in findings
    assert ("MISSING_RESOURCE", ("Statement", 0)) in findings
    assert not any(code in ("IGNORED_POLICY_ID", "UNSUPPORTED_PRINCIPAL") for code, _ in findings)


def test_allow_with_not_principal_is_a_security_warning() -> None:
    text = policy(
        {"Effect": "Allow", "NotPrincipal": {"AWS": ADMIN}, "Action": "kms:Decrypt", "Resource": "*"}
    )
    assert codes(text, "key-policy")["ALLOW_WITH_NOT_PRINCIPAL"] is Severity.SECURITY_WARNING


def test_key_policy_statements() -> None:
    assert codes(KEY, "key-policy") == {}
    narrowed = KEY.replace('"Resource": "*"', f'"Resource": "{KEY_ARN}"')
    found = lint(narrowed, LintContext(kind="key-policy"))
    [finding] = [f for f in found if f.code == "KEY_POLICY_RESOURCE_NOT_STAR"]
    assert finding.severity is Severity.WARNING and finding.fix is not None
    assert lint(apply_fix(narrowed, finding.fix), LintContext(kind="key-policy")) == []
    statements_only = json.dumps({"Statement": json.loads(KEY)["Statement"]})
    assert codes(statements_only, "key-policy") == {}, "statements to add take the key policy's Version"
    assert "MISSING_VERSION" in codes(statements_only, "identity")
    whole = json.dumps({"Id": "key-default-1", "Statement": json.loads(KEY)["Statement"]})
    assert "MISSING_VERSION" in codes(whole, "key-policy")
    other = KEY.replace('"kms:Decrypt"', '"kms:Decrypt", "xray:GetGroup"')
    assert codes(other, "key-policy") == {"KEY_POLICY_ACTION_NOT_KMS": Severity.WARNING}


# -- the CLI ----------------------------------------------------------------------------


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "pid, params",
    [
        ("ec2", []),
        ("lambda", []),
        ("encryption-admin", ["-p", f"kms_key_arn={KEY_ARN}", "-p", f"admin_arn={ADMIN}"]),
    ],
)
def test_what_new_writes_lints_clean(
    pid: str, params: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["new", pid, *params, "--out", str(out)]) == 0
    capsys.readouterr()
    files = sorted(str(p) for p in out.glob("*.json"))
    code, text, err = run(["lint", "--fail-on", "warning", *files], capsys)
    assert code == 0, text
    assert f"{out / 'bundle.json'}: note: skipped: not a policy" in text
    assert "1 file skipped (not a policy)" in text
    assert " 0 warnings" in text or "no findings" in text


def test_kind_option_chooses_the_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trust = tmp_path / "trust.json"
    trust.write_text(TRUST, encoding="utf-8")
    code, out, _ = run(["lint", "--kind", "identity", str(trust)], capsys)
    assert code == 1 and "MISSING_RESOURCE" in out and "UNSUPPORTED_PRINCIPAL" in out
    code, out, _ = run(["lint", "--kind", "trust", "--format", "json", str(trust)], capsys)
    assert code == 0
    assert json.loads(out)["files"] == [{"file": str(trust), "kind": "trust", "findings": []}]
    identity = CORPUS / "valid_daemon_write.json"
    code, out, _ = run(["lint", "--kind", "trust", str(identity)], capsys)
    assert code == 1 and "MISSING_PRINCIPAL" in out and "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE" in out


def test_auto_keeps_reporting_a_principal_in_an_identity_policy(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["lint", str(CORPUS / "error_principal_in_identity_policy.json")], capsys)
    assert code == 1 and "UNSUPPORTED_PRINCIPAL" in out


def test_bad_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["lint", "--kind", "bucket", str(CORPUS / "valid_daemon_write.json")])
    assert exit_.value.code == 2
    assert "invalid choice: 'bucket'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "principal, action, wanted",
    [
        (
            {"Federated": "arn:aws:iam::123456789012:saml-provider/Okta"},
            "sts:AssumeRole",
            "sts:AssumeRoleWithSAML",
        ),
        (
            {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
            "sts:AssumeRoleWithSAML",
            "sts:AssumeRoleWithWebIdentity",
        ),
        ({"Service": "lambda.amazonaws.com"}, "sts:AssumeRoleWithWebIdentity", "sts:AssumeRole"),
        ({"Federated": "cognito-identity.amazonaws.com"}, "sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"),
    ],
)
def test_the_assume_role_action_must_fit_the_principal(
    principal: dict[str, str], action: str, wanted: str
) -> None:
    text = policy({"Effect": "Allow", "Principal": principal, "Action": [action, "sts:TagSession"]})
    [finding] = lint(text, LintContext(kind="trust"))
    assert (finding.code, finding.severity, finding.path) == (
        "MISMATCHED_ACTION_FOR_PRINCIPAL",
        Severity.ERROR,
        ("Statement", 0, "Action", 0),
    )
    assert finding.fix is not None and finding.fix.value == wanted
    assert lint(apply_fix(text, finding.fix), LintContext(kind="trust")) == []


def test_a_mixed_principal_block_is_left_alone() -> None:
    principal = {"AWS": ADMIN, "Federated": "cognito-identity.amazonaws.com"}
    text = policy({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRoleWithWebIdentity"})
    assert "MISMATCHED_ACTION_FOR_PRINCIPAL" not in codes(text, "trust")


def test_key_policies_have_their_own_size_quota_and_resource_policies_none_of_ours() -> None:
    readers = [f"arn:aws:iam::123456789012:role/reader-{i:04d}" for i in range(800)]
    statement = {"Effect": "Allow", "Principal": {"AWS": readers}, "Action": "kms:Decrypt", "Resource": "*"}
    text = policy(statement)
    assert 32768 < len(text.replace(" ", "").replace("\n", "")) < 65536
    assert codes(text, "key-policy") == {"POLICY_SIZE_EXCEEDS_KEY_POLICY_QUOTA": Severity.ERROR}
    # Each service sets its own resource-policy quota: no size finding is guessed.
    assert not any(c.startswith("POLICY_SIZE") for c in codes(text, "resource"))


def test_a_trust_policy_with_a_resource_is_told_so_without_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The common mistake: a Resource copied into a role's trust policy.
    path = tmp_path / "trust.json"
    path.write_text(
        policy({"Effect": "Allow", "Principal": EC2, "Action": "sts:AssumeRole", "Resource": "*"}),
        encoding="utf-8",
    )
    code, out, _ = run(["lint", str(path)], capsys)
    assert code == 1
    assert "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE" in out and "UNSUPPORTED_PRINCIPAL" not in out
