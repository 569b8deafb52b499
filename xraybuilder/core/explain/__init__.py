"""Plain-language explanations of IAM policies: what they grant, and how two compare.

``summarize(policy)`` groups a policy's grants the way the IAM console does and says
what a user of the X-Ray console can do with it; ``compare(policy, baseline)`` lists,
action by action and resource by resource, what one grants beyond or short of the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from xraybuilder.core.explain.capabilities import CapabilityResult
from xraybuilder.core.explain.compare import Comparison, Difference, compare_expansions
from xraybuilder.core.explain.grants import expand
from xraybuilder.core.explain.summary import Summary, build
from xraybuilder.core.managed import ManagedPolicy, managed_policy
from xraybuilder.core.policy.model import Policy

PolicyLike = Policy | ManagedPolicy | Mapping[str, Any] | str
"""A Policy, an AWS managed policy (object, name or ARN), or a parsed JSON document."""
PolicyInput = PolicyLike | Sequence[PolicyLike]

__all__ = ["CapabilityResult", "Comparison", "Difference", "PolicyInput", "Summary", "compare", "summarize"]


def as_policies(value: PolicyInput) -> list[Policy]:
    """One policy or several (as attached to one principal), as model objects."""
    if isinstance(value, Policy | ManagedPolicy | Mapping | str):
        return [_one(value)]
    return [_one(p) for p in value]


def _one(value: PolicyLike) -> Policy:
    if isinstance(value, Policy):
        return value
    if isinstance(value, ManagedPolicy):
        return value.policy
    if isinstance(value, str):
        found = managed_policy(value)
        if found is None:
            raise ValueError(f"{value} is not an AWS managed X-Ray policy")
        return found.policy
    return Policy.from_json(dict(value))


def _name(value: PolicyInput, default: str) -> str:
    if isinstance(value, ManagedPolicy):
        return value.name
    if isinstance(value, str) and (found := managed_policy(value)) is not None:
        return found.name
    return default


def summarize(policy: PolicyInput) -> Summary:
    """What ``policy`` (or several policies together) allows and denies, in plain words."""
    return build(expand(as_policies(policy)))


def compare(
    policy: PolicyInput,
    baseline: PolicyInput,
    *,
    policy_name: str | None = None,
    baseline_name: str | None = None,
) -> Comparison:
    """What ``policy`` grants beyond ``baseline`` and what it falls short of, grant by grant."""
    return compare_expansions(
        expand(as_policies(policy)),
        expand(as_policies(baseline)),
        policy_name=policy_name or _name(policy, "the policy"),
        baseline_name=baseline_name or _name(baseline, "the baseline"),
    )
