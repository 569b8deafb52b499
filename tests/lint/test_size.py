"""The size family: the policy against IAM's quota for where it is attached."""

from __future__ import annotations

import json

import pytest

from xraybuilder.core.lint import size
from xraybuilder.core.lint.document import Document, LintContext, Target
from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.policy.render import SIZE_QUOTAS, iam_size
from xraybuilder.core.policy.source import parse_json

_HEAD = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "xray:GetGroup",\n'
    '  "Resource": "arn:aws:xray:us-east-1:123456789012:group/'
)
_TAIL = '/*"}]}\n'


def policy_of_size(n: int) -> str:
    """A valid policy whose size, as IAM counts it, is exactly ``n``."""
    pad = n - iam_size(_HEAD + _TAIL)
    assert pad >= 1
    text = _HEAD + "g" * pad + _TAIL
    assert iam_size(text) == n
    return text


def run(text: str, target: Target = "managed") -> list[Finding]:
    doc = Document(parse_json(text), LintContext(target=target))
    size.check(doc)
    return doc.findings()


def test_small_policy_has_no_findings() -> None:
    assert run(policy_of_size(300)) == []


@pytest.mark.parametrize("target", ["managed", "user", "group", "role"])
def test_at_the_quota_is_allowed_and_one_over_is_an_error(target: Target) -> None:
    quota = SIZE_QUOTAS[target]
    assert all(f.severity is not Severity.ERROR for f in run(policy_of_size(quota), target))
    (f,) = run(policy_of_size(quota + 1), target)
    assert (f.code, f.severity, f.path_str) == (
        "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
        Severity.ERROR,
        "",
    )
    assert f"{quota + 1:,} characters (whitespace excluded) exceed the {quota:,} limit" in f.message


def test_managed_message_gives_the_figures() -> None:
    (f,) = run(policy_of_size(6300))
    assert f.message.startswith(
        "6,300 characters (whitespace excluded) exceed the 6,144 limit for managed policies"
    )
    assert "inline" not in f.message


@pytest.mark.parametrize("target", ["user", "group", "role"])
def test_inline_message_says_the_quota_is_per_entity(target: Target) -> None:
    (f,) = run(policy_of_size(SIZE_QUOTAS[target] + 50), target)
    assert f"inline policies of a {target}" in f.message
    assert "other inline policies count too" in f.message
    assert "managed policy" in f.message


def test_whitespace_is_not_counted() -> None:
    text = policy_of_size(1800).replace(", ", ",\n\t" + " " * 2000)
    assert len(text) > 2 * SIZE_QUOTAS["user"]
    assert run(text, "user") == []


def test_near_the_quota_is_a_suggestion() -> None:
    quota = SIZE_QUOTAS["managed"]
    near = -(-quota * 9 // 10)  # 90 %, rounded up
    assert run(policy_of_size(near - 1)) == []
    (f,) = run(policy_of_size(near))
    assert (f.code, f.severity, f.path_str) == ("POLICY_SIZE_NEAR_QUOTA", Severity.SUGGESTION, "")
    assert f"{near:,} characters (whitespace excluded) use 90% of the 6,144 limit" in f.message
    (g,) = run(policy_of_size(quota))
    assert g.code == "POLICY_SIZE_NEAR_QUOTA" and "use 100%" in g.message and "leaving 0" in g.message


def test_target_changes_the_verdict() -> None:
    text = policy_of_size(3000)
    assert run(text, "managed") == [] and run(text, "role") == []
    assert [f.code for f in run(text, "user")] == ["POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"]
    assert [f.code for f in run(text, "group")] == []


def test_size_is_measured_on_the_text_as_written() -> None:
    doc = json.loads(policy_of_size(5000))
    compact = json.dumps(doc, separators=(",", ":"))
    assert iam_size(compact) == 5000
    assert run(compact) == []
