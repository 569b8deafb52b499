"""parliament on every exported JSON policy: nothing above LOW.

Identity policies and the KMS key-policy statements are checked. Trust policies are not:
parliament reads every document as an identity policy and requires a Resource, which a
trust policy never has (cfn-lint's E3530 checks them in the CloudFormation tests). The
ISO partitions and aws-eusc are left out because parliament's ARN check rejects their
Region names (``us-iso-east-1``: "Region expected to be of form like us-east-1").
"""

from __future__ import annotations

import pytest
from export_cases import cases

from xraybuilder.core.bundle import Bundle
from xraybuilder.core.export.jsondocs import TRUST_FILE, document_texts

parliament = pytest.importorskip("parliament")

CASES = list(cases(("aws", "aws-cn", "aws-us-gov")))
ALLOWED = {"INFO", "LOW"}


def findings(text: str) -> list[tuple[str, str, str]]:
    policy = parliament.analyze_policy_string(text, include_community_auditors=False)
    out = []
    for finding in policy.findings:
        finding = parliament.enhance_finding(finding)
        out.append((finding.issue, finding.severity, str(finding.detail)))
    return out


@pytest.mark.parametrize(("case_id", "bundle"), CASES, ids=[c for c, _ in CASES])
def test_nothing_above_low(case_id: str, bundle: Bundle) -> None:
    checked = 0
    for compact in (False, True):
        for name, text in document_texts(bundle, compact=compact).items():
            if name == TRUST_FILE:
                continue
            assert [f for f in findings(text) if f[1] not in ALLOWED] == [], (case_id, name)
            checked += 1
    assert checked >= 2 * (bundle.identity_policy is not None)


def test_parliament_does_report_a_broken_policy() -> None:
    """The check is live: a misspelt condition operator is reported above LOW."""
    found = findings(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
        '"Resource": "*", "Condition": {"StringEqualz": {"aws:SourceAccount": "1"}}}]}'
    )
    assert any(severity not in ALLOWED for _, severity, _ in found), found
