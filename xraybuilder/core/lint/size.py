"""Lint family: size — the policy against IAM's character quota for where it is attached."""

from __future__ import annotations

from functools import lru_cache

from xraybuilder.core.lint.document import Document
from xraybuilder.core.lint.finding import Severity
from xraybuilder.core.policy.render import KEY_POLICY_QUOTA, SIZE_QUOTAS, TRUST_POLICY_QUOTA, iam_size

# Above this share of the quota a policy still works, but the next edit may not fit.
NEAR_QUOTA = 0.9


@lru_cache(maxsize=64)
def text_size(text: str) -> int:
    """``iam_size(text)``, kept: the linter and ``assess`` both count each document."""
    return iam_size(text)


_WHERE = {
    "managed": "managed policies",
    "user": "inline policies of a user",
    "group": "inline policies of a group",
    "role": "inline policies of a role",
}


def check(doc: Document) -> None:
    """Report size findings on doc."""
    kind = doc.context.kind
    if kind == "trust":
        _check_other(
            doc, TRUST_POLICY_QUOTA, "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", "role trust policies"
        )
        return
    if kind == "key-policy":
        _check_other(doc, KEY_POLICY_QUOTA, "POLICY_SIZE_EXCEEDS_KEY_POLICY_QUOTA", "KMS key policies")
        return
    if kind != "identity":
        return  # each service sets its own resource-policy quota
    target = doc.context.target
    quota = SIZE_QUOTAS[target]
    size = text_size(doc.text)
    inline = target != "managed"
    shared = (
        f" The {target}'s inline policies share this limit: their sizes add up, so the "
        f"{target}'s other inline policies count too."
        if inline
        else ""
    )
    if size > quota:
        # Access Analyzer files this under warnings because ValidatePolicy does not know
        # where the policy will go. Here the target is known, and IAM refuses the policy
        # outright (CreatePolicy: "Cannot exceed quota for PolicySize: 6144";
        # PutRolePolicy: "Maximum policy size of 10240 bytes exceeded"), so it is an error.
        advice = (
            'Shorten it: group actions with wildcards such as "xray:Get*", merge '
            "statements that share Effect, Resource and Condition, or split it into two "
            "managed policies."
        )
        if inline:
            advice = (
                f"Move it into a managed policy ({SIZE_QUOTAS['managed']:,} characters "
                'each), or shorten it with wildcards such as "xray:Get*" and by merging '
                "statements."
            )
        doc.report(
            "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
            Severity.ERROR,
            f"{size:,} characters (whitespace excluded) exceed the {quota:,} limit for "
            f"{_WHERE[target]}: IAM will refuse this policy.{shared} {advice}",
        )
    elif size >= NEAR_QUOTA * quota:
        doc.report(
            "POLICY_SIZE_NEAR_QUOTA",
            Severity.SUGGESTION,
            f"{size:,} characters (whitespace excluded) use {size * 100 // quota}% of the {quota:,} "
            f"limit for {_WHERE[target]}, leaving {quota - size:,} for later changes.{shared}",
        )


def _check_other(doc: Document, quota: int, code: str, where: str) -> None:
    size = text_size(doc.text)
    if size > quota:
        doc.report(
            code,
            Severity.ERROR,
            f"{size:,} characters (whitespace excluded) exceed the {quota:,} limit for {where}: "
            "the service will refuse it. Merge statements or shorten lists.",
        )
    elif size >= NEAR_QUOTA * quota:
        doc.report(
            "POLICY_SIZE_NEAR_QUOTA",
            Severity.SUGGESTION,
            f"{size:,} characters (whitespace excluded) use {size * 100 // quota}% of the {quota:,} "
            f"limit for {where}, leaving {quota - size:,} for later changes.",
        )
