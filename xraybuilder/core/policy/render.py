"""Render policies as JSON text and measure them the way IAM does."""

from __future__ import annotations

import json
from typing import Any

from xraybuilder.core.policy.model import Policy

# Quotas for identity policies, whitespace excluded (IAM User Guide, IAM quotas).
# Inline quotas are per entity, summed over all its inline policies.
SIZE_QUOTAS = {"managed": 6144, "user": 2048, "group": 5120, "role": 10240}
TRUST_POLICY_QUOTA = 2048
# AWS KMS: a key policy document holds at most 32 KB (32,768 bytes).
KEY_POLICY_QUOTA = 32768

_WHITESPACE = str.maketrans("", "", " \t\n\r\f\v")


def render(policy: Policy | dict[str, Any], *, compact: bool = False) -> str:
    """Canonical JSON: stable element order, 2-space indent (or compact, one line)."""
    doc = policy.to_json() if isinstance(policy, Policy) else policy
    if compact:
        return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def iam_size(text: str) -> int:
    """Characters IAM counts against the quota: every character except whitespace."""
    return len(text.translate(_WHITESPACE))


def policy_size(policy: Policy | dict[str, Any]) -> int:
    return iam_size(render(policy, compact=True))
