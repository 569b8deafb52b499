"""Every shipped preset, with its defaults and with the variations that change its shape.

For each case: the identity policy lints with no error or warning of ours (suggestions
are fine) and no parliament finding above LOW; the trust policy passes a structural check
of its own (it holds a Principal, so the identity linter is not the judge of it); every
expectation holds in the evaluator; and the identity policy grants nothing beyond the
managed policy it stands in for (statements marked ``outside_baseline`` are checked on
their own).

parliament false positives: none seen on these policies. Its only finding is
RESOURCE_STAR (LOW) for xray:GetGroup in console-read and local-dev, the same finding it
gives AWSXrayReadOnlyAccess itself: the console lists groups across the account, so the
read-only policy keeps Resource "*". Partitions parliament does not know (aws-iso-b,
aws-iso-e, aws-iso-f, aws-eusc) would be INVALID_ARN false positives; no case here uses
them in an ARN, and the test asserts that rather than excusing anything.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from parliament import analyze_policy_string, enhance_finding

from xraybuilder.core import catalog
from xraybuilder.core.bundle import (
    Bundle,
    baseline_policy,
    build,
    check_expectations,
    within_baseline,
)
from xraybuilder.core.explain import compare
from xraybuilder.core.lint import LintContext, Severity, lint
from xraybuilder.core.managed import managed_policy
from xraybuilder.core.policy.render import TRUST_POLICY_QUOTA, policy_size, render
from xraybuilder.core.scenarios import load_library

ACCOUNT = "123456789012"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ADMIN = "arn:aws:iam::123456789012:role/XRayAdmin"
REQUIRED: dict[str, dict[str, str]] = {
    "ecs": {"account": ACCOUNT},
    "group-admin": {"account": ACCOUNT},
    "sampling-rule-admin": {"account": ACCOUNT},
    "encryption-admin": {"kms_key_arn": KEY_ARN, "admin_arn": ADMIN},
}
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
CN = {"partition": "aws-cn", "region": "cn-north-1"}
# Only what ships: presets in the developer's own config dir must not change the verdict.
SHIPPED_LIBRARY = load_library(include_user=False)
VARIATIONS: list[tuple[str, dict[str, str]]] = [
    ("console-read", {"policy": "managed"}),
    ("console-read", {"partition": "aws-cn"}),
    ("local-dev", {"policy": "managed"}),
    ("local-dev", {"partition": "aws-us-gov", "region": "us-gov-west-1", "profile": "default"}),
    ("ec2", {"daemon_download": "none"}),
    ("ec2", {"daemon_download": "s3-read-only"}),
    ("ec2", {"daemon_download": "narrow", **CN}),
    ("ec2", {"policy": "managed", "daemon_download": "narrow"}),
    ("ecs", {"daemon": "instance"}),
    ("ecs", {"daemon": "sidecar", "partition": "aws-cn"}),
    ("ecs", {"daemon": "instance", "partition": "aws-cn"}),
    ("beanstalk", {"partition": "aws-cn"}),
    ("lambda", {"basic_execution": "false", "partition": "aws-us-gov"}),
    ("lambda", {"policy": "managed"}),
    (
        "encryption-admin",
        {"via_service": "false", "reader_arns": f"{ADMIN},arn:aws:iam::123456789012:user/ana"},
    ),
    ("encryption-admin", {"key": "aws-managed", "require_mfa": "true"}),
    ("encryption-admin", {"key": "default", **CN}),
    ("group-admin", {"restrict_by_tag": "true", "tag_value": "web"}),
    ("group-admin", {"restrict_by_tag": "true", "tag_key": "cost-center", "tag_value": "42", **CN}),
    ("group-admin", {"list_groups": "false", "region": "eu-west-1"}),
    ("sampling-rule-admin", {"restrict_by_tag": "true", "tag_value": "web"}),
    ("sampling-rule-admin", {"partition": "aws-us-gov", "region": "us-gov-east-1"}),
]
CASES: list[tuple[str, dict[str, str]]] = [(pid, {}) for pid in SHIPPED] + VARIATIONS


def case_id(case: tuple[str, dict[str, str]]) -> str:
    pid, extra = case
    return pid + "".join(f"-{k}={v}" for k, v in extra.items()) if extra else f"{pid}-defaults"


def make(pid: str, extra: dict[str, str]) -> Bundle:
    params = {**REQUIRED.get(pid, {}), **extra}
    if params.get("partition") == "aws-cn" and "kms_key_arn" in params:
        params["kms_key_arn"] = KEY_ARN.replace("arn:aws:", "arn:aws-cn:").replace("us-east-1", "cn-north-1")
        params["admin_arn"] = ADMIN.replace("arn:aws:", "arn:aws-cn:")
    return build(SHIPPED_LIBRARY.get(pid), params)


BUNDLES = {case_id(c): make(*c) for c in CASES}
IDS = list(BUNDLES)


@pytest.mark.parametrize("cid", IDS)
def test_identity_policy_lints_clean(cid: str) -> None:
    bundle = BUNDLES[cid]
    if bundle.identity_policy is None:
        assert bundle.managed_policy_arns, "a bundle without a policy of its own attaches managed ones"
        return
    findings = lint(render(bundle.identity_policy), LintContext(target=bundle.lint_target))  # type: ignore[arg-type]
    serious = [f for f in findings if f.severity is not Severity.SUGGESTION]
    assert serious == [], [f"{f.code}: {f.message}" for f in serious]


@pytest.mark.parametrize("cid", IDS)
def test_parliament_finds_nothing_above_low(cid: str) -> None:
    bundle = BUNDLES[cid]
    if bundle.identity_policy is None:
        return
    text = render(bundle.identity_policy)
    findings = [enhance_finding(f) for f in analyze_policy_string(text).findings]
    above = [(f.issue, f.severity, f.detail) for f in findings if f.severity not in ("LOW", "INFO", "MUTE")]
    assert above == []
    # The one LOW finding we expect is parliament's RESOURCE_STAR on GetGroup (see above).
    for f in findings:
        assert (f.issue, f.detail) == ("RESOURCE_STAR", ["xray:GetGroup"]), (f.issue, f.detail)


def check_trust_policy(doc: dict[str, Any], partition: str) -> None:
    """A role trust policy as IAM expects it: one service may assume the role."""
    assert set(doc) == {"Version", "Statement"}
    assert doc["Version"] == "2012-10-17"
    statements = doc["Statement"]
    assert isinstance(statements, list) and len(statements) == 1
    st = statements[0]
    assert set(st) <= {"Sid", "Effect", "Principal", "Action", "Condition"}, "no Resource in a trust policy"
    assert st["Effect"] == "Allow"
    assert st["Action"] == "sts:AssumeRole"
    assert set(st["Principal"]) == {"Service"}
    service = st["Principal"]["Service"]
    suffix = r"amazonaws\.com(\.cn)?"
    assert re.fullmatch(rf"(ec2|ecs-tasks|lambda)\.{suffix}", service), service
    assert service.endswith(".cn") == (partition == "aws-cn" and service.startswith("ec2.")), service
    for operator, keys in st.get("Condition", {}).items():
        assert operator == "StringEquals"
        for key, value in keys.items():
            assert catalog.condition_key(key) is not None, key
            if key == "aws:SourceAccount":
                assert re.fullmatch(r"\d{12}", value)
    assert policy_size(doc) <= TRUST_POLICY_QUOTA


@pytest.mark.parametrize("cid", IDS)
def test_trust_policy_is_structurally_sound(cid: str) -> None:
    bundle = BUNDLES[cid]
    if bundle.lint_target != "role":
        assert bundle.trust_policy is None
        return
    assert bundle.trust_policy is not None
    check_trust_policy(bundle.trust_policy.to_json(), str(bundle.parameters["partition"]))


@pytest.mark.parametrize("cid", IDS)
def test_every_expectation_holds(cid: str) -> None:
    bundle = BUNDLES[cid]
    results = check_expectations(bundle)
    assert results, "every case checks at least one request"
    assert any(r.expectation.allowed for r in results) and any(not r.expectation.allowed for r in results)
    failed = [(r.expectation.describe(), r.outcome) for r in results if not r.holds]
    assert failed == []


@pytest.mark.parametrize("cid", IDS)
def test_grants_nothing_beyond_the_managed_policy_it_replaces(cid: str) -> None:
    bundle = BUNDLES[cid]
    baseline = baseline_policy(bundle)
    assert baseline is not None, "every shipped preset names its baseline"
    mine = within_baseline(bundle)
    if mine is not None:
        comparison = compare(mine, baseline)
        assert comparison.is_subset, comparison.render_text()
    # Attached managed X-Ray policies must stay within the baseline too.
    for arn in bundle.managed_policy_arns:
        found = managed_policy(arn)
        if found is not None:
            assert compare(found.policy, baseline).is_subset, arn


@pytest.mark.parametrize("cid", [c for c in IDS if BUNDLES[c].outside_baseline])
def test_statements_beyond_the_baseline_are_exactly_the_daemon_download(cid: str) -> None:
    bundle = BUNDLES[cid]
    assert set(bundle.outside_baseline) == {"XRayDaemonDownload"}
    assert "daemon" in bundle.outside_baseline["XRayDaemonDownload"]
    assert bundle.identity_policy is not None
    st = next(s for s in bundle.identity_policy.statements if s.sid == "XRayDaemonDownload")
    partition, region = bundle.parameters["partition"], bundle.parameters["region"]
    assert st.to_json() == {
        "Sid": "XRayDaemonDownload",
        "Effect": "Allow",
        "Action": ["s3:GetObject"],
        "Resource": [f"arn:{partition}:s3:::aws-xray-assets.{region}/xray-daemon/*"],
    }
    # Beyond the baseline by exactly that one grant, and nothing else.
    beyond = compare(bundle.identity_policy, baseline_policy(bundle)).beyond_actions()  # type: ignore[arg-type]
    assert beyond == {"s3:GetObject"}


def test_console_read_equals_the_managed_read_only_policy() -> None:
    bundle = BUNDLES["console-read-defaults"]
    managed = managed_policy("AWSXrayReadOnlyAccess")
    assert managed is not None and managed.version == "v8"
    assert bundle.identity_policy is not None
    ours = set(bundle.identity_policy.statements[0].actions())
    theirs = {a for s in managed.policy.statements for a in s.actions()}
    assert len(ours) == len(theirs) == 18
    assert ours == theirs
    assert compare(bundle.identity_policy, managed.policy).same


def test_daemon_write_presets_use_exactly_the_managed_daemon_actions() -> None:
    managed = managed_policy("AWSXRayDaemonWriteAccess")
    assert managed is not None
    theirs = {a for s in managed.policy.statements for a in s.actions()}
    assert len(theirs) == 5
    for cid in ("ec2-defaults", "ecs-defaults", "beanstalk-defaults", "ecs-daemon=instance"):
        policy = BUNDLES[cid].identity_policy
        assert policy is not None
        daemon = next(s for s in policy.statements if s.sid == "XRayDaemonWrite")
        assert set(daemon.actions()) == theirs
        assert compare(within_baseline(BUNDLES[cid]), managed.policy).same  # type: ignore[arg-type]


def test_local_dev_is_read_only_plus_daemon_write() -> None:
    bundle = BUNDLES["local-dev-defaults"]
    both = baseline_policy(bundle)
    assert bundle.identity_policy is not None and both is not None
    assert compare(bundle.identity_policy, both).same


def test_kms_key_policy_statements_are_structurally_sound() -> None:
    for cid, bundle in BUNDLES.items():
        key = bundle.parameters.get("key")
        if key != "customer-managed":
            assert bundle.kms_key_policy_statements == (), cid
            continue
        docs = [s.to_json() for s in bundle.kms_key_policy_statements]
        assert [d["Sid"] for d in docs] == ["AllowXRayEncryptionSetup", "AllowXRayTraceDecryption"]
        for d in docs:
            assert d["Effect"] == "Allow" and d["Resource"] == "*"
            principals = d["Principal"]["AWS"]
            for arn in [principals] if isinstance(principals, str) else principals:
                assert re.fullmatch(r"arn:aws(-cn)?:iam::\d{12}:(role|user)/\S+", arn), arn
            actions = [d["Action"]] if isinstance(d["Action"], str) else d["Action"]
            for action in actions:
                assert catalog.action(action) is not None
            via = d.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService")
            if bundle.parameters["via_service"]:
                assert via == f"xray.{bundle.parameters['region']}.amazonaws.com"
            else:
                assert "Condition" not in d
        assert set(docs[0]["Action"]) == {"kms:CreateGrant", "kms:DescribeKey"}
        assert docs[1]["Action"] == "kms:Decrypt"
        # The identity policy itself holds no KMS permission: it all lives in the key policy.
        assert bundle.identity_policy is not None
        assert all(a.startswith("xray:") for s in bundle.identity_policy.statements for a in s.actions())


def test_no_case_relies_on_partitions_parliament_does_not_know() -> None:
    unknown_to_parliament = {"aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}
    for bundle in BUNDLES.values():
        text = json.dumps(bundle.to_json())
        assert not any(f"arn:{p}:" in text for p in unknown_to_parliament)
