"""Policies and requests for cross-checking ``xraybuilder.core.evaluate`` against an
independent IAM evaluator (tests/oracle, run by tests/test_oracle.py).

Every case is one question put to both evaluators: a set of identity policies, an
action, a resource and a request context. The questions are built so that both
evaluators are asked exactly the same thing:

* an action that takes only ``"*"`` (no resource-level permissions) is requested on
  ``"*"``; the oracle refuses any other resource for such an action, and AWS
  authorizes it against ``*`` anyway;
* an action with resource-level permissions is requested on one concrete ARN, never a
  pattern: a ``*`` in the request resource makes the oracle answer "is any matching
  resource allowed?", a different question;
* the principal lives in the account that owns the resource, so the oracle's
  cross-account rules (which need a resource policy) never come into play: both
  evaluators judge identity policies alone;
* the context holds only keys the oracle accepts for the action (global keys, and a
  service key only on the actions the Service Authorization Reference lists it for);
  the runner reports any key the oracle drops and the test fails on one;
* ``aws:CurrentTime`` is fixed, so nothing depends on the clock;
* a scenario preset's expectation on a resource pattern (``group/local-users/*``) is
  asked about one resource of that pattern (the ``*`` replaced by a concrete ID).

Families of cases: the catalog sweep (managed policies, the X-Ray guide's examples and
hand-written Action/Resource edge cases against every catalog action on matching and
non-matching resources), several policies at once, conditions (one policy per condition
shape against a pool of request contexts) and scenario presets.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from xraybuilder.core import catalog
from xraybuilder.core.managed import managed_policies

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "111122223333"
REGION = "eu-west-1"
NOW = "2026-06-15T12:00:00Z"
V2012 = "2012-10-17"

Document = dict[str, Any]
Context = dict[str, Any]


def arn(kind: str, name: str, *, partition: str = "aws", region: str = REGION, account: str = ACCOUNT) -> str:
    return f"arn:{partition}:xray:{region}:{account}:{kind}/{name}"


# Concrete resources to request; each name says how it relates to the guide's examples
# (group local-users, sampling rule base-scorekeep).
GROUPS: dict[str, str] = {
    "group": arn("group", "local-users/AbC123"),
    "group-other-id": arn("group", "local-users/Zz9"),
    "group-other-name": arn("group", "remote-users/AbC123"),
    "group-name-prefix": arn("group", "local-users-2/AbC123"),
    "group-name-case": arn("group", "Local-Users/AbC123"),
    "group-user-alice": arn("group", "alice/AbC123"),
    "group-other-region": arn("group", "local-users/AbC123", region="us-east-1"),
    "group-other-account": arn("group", "local-users/AbC123", account=OTHER_ACCOUNT),
    "group-china": arn("group", "local-users/AbC123", partition="aws-cn", region="cn-north-1"),
    "group-govcloud": arn("group", "local-users/AbC123", partition="aws-us-gov", region="us-gov-west-1"),
}
RULES: dict[str, str] = {
    "rule": arn("sampling-rule", "base-scorekeep"),
    "rule-name-suffix": arn("sampling-rule", "base-scorekeep-2"),
    "rule-other-name": arn("sampling-rule", "other"),
    "rule-name-case": arn("sampling-rule", "Base-Scorekeep"),
    "rule-team-a": arn("sampling-rule", "a-checkout"),
    "rule-other-region": arn("sampling-rule", "base-scorekeep", region="us-east-1"),
    "rule-other-account": arn("sampling-rule", "base-scorekeep", account=OTHER_ACCOUNT),
    "rule-china": arn("sampling-rule", "base-scorekeep", partition="aws-cn", region="cn-northwest-1"),
}
RESOURCES_BY_TYPE = {"group": GROUPS, "sampling-rule": RULES}


@dataclass(frozen=True)
class Case:
    """One question: these policies, this action on this resource, this context."""

    id: str
    family: str
    policies: tuple[str, ...]
    action: str
    resource: str
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def partition(self) -> str:
        return self.resource.split(":")[1] if self.resource.startswith("arn:") else "aws"

    @property
    def account(self) -> str:
        """The account that owns the resource (S3 ARNs name none: the principal's)."""
        parts = self.resource.split(":")
        return parts[4] if self.resource.startswith("arn:") and len(parts) > 5 and parts[4] else ACCOUNT

    @property
    def principal(self) -> str:
        return f"arn:{self.partition}:iam::{self.account}:user/alice"

    def describe(self, documents: Mapping[str, Document]) -> str:
        import json

        policies = "\n".join(f"    {p}: {json.dumps(documents[p])}" for p in self.policies)
        return (
            f"{self.id}\n  action:   {self.action}\n  resource: {self.resource}\n"
            f"  context:  {json.dumps(dict(self.context), default=list)}\n"
            f"  policies:\n{policies}"
        )


# ---------------------------------------------------------------------------------
# Policies
# ---------------------------------------------------------------------------------


def doc(*statements: Document, version: str | None = V2012) -> Document:
    out: Document = {} if version is None else {"Version": version}
    out["Statement"] = list(statements)
    return out


def allow(action: Any = "xray:*", resource: Any = "*", **extra: Any) -> Document:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any = "xray:*", resource: Any = "*", **extra: Any) -> Document:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


ALLOW_ALL = allow("xray:*", "*")


def managed_documents() -> dict[str, Document]:
    """The AWS managed policies for X-Ray, as the package ships them."""
    return {f"managed:{name}": copy.deepcopy(p.document) for name, p in managed_policies().items()}


GUIDE_TAG_DENY_ALLOW = allow("xray:*", "*")
GUIDE_TAG_DENY_CREATE = deny(
    ["xray:CreateGroup", "xray:CreateSamplingRule"],
    "*",
    Condition={"StringEquals": {"aws:RequestTag/stage": ["preprod", "prod"]}},
)
GUIDE_TAG_DENY_CHANGE = deny(
    ["xray:UpdateGroup", "xray:DeleteGroup", "xray:UpdateSamplingRule", "xray:DeleteSamplingRule"],
    "*",
    Condition={"StringEquals": {"aws:ResourceTag/stage": ["preprod", "prod"]}},
)


def guide_documents() -> dict[str, Document]:
    """The X-Ray Developer Guide's identity-policy examples (xray-iam-guide.txt, facts §8)."""
    return {
        "guide:create-group-local-users": doc(
            allow(["xray:CreateGroup"], ["arn:aws:xray:eu-west-1:123456789012:group/local-users/*"])
        ),
        "guide:create-sampling-rule-base-scorekeep": doc(
            allow(
                ["xray:CreateSamplingRule"],
                ["arn:aws:xray:eu-west-1:123456789012:sampling-rule/base-scorekeep"],
            )
        ),
        "guide:tag-deny-prod": doc(GUIDE_TAG_DENY_ALLOW, GUIDE_TAG_DENY_CREATE, GUIDE_TAG_DENY_CHANGE),
        # The same policy split in two: the Deny must win across policies too.
        "guide:tag-allow-part": doc(GUIDE_TAG_DENY_ALLOW),
        "guide:tag-deny-part": doc(GUIDE_TAG_DENY_CREATE, GUIDE_TAG_DENY_CHANGE),
    }


def action_resource_documents() -> dict[str, Document]:
    """Hand-written edge cases on Action/NotAction and Resource/NotResource."""
    group_any = "arn:aws:xray:*:123456789012:group/*"
    return {
        "edge:action-get-star": doc(allow("xray:Get*")),
        "edge:action-lowercase": doc(allow(["xray:get*", "xray:createsamplingrule"])),
        "edge:action-uppercase": doc(allow(["XRAY:GETGROUP", "XRay:GetGroups", "XRAY:PUTTRACESEGMENTS"])),
        "edge:action-inner-star-on-groups": doc(allow("xray:*Group*", group_any)),
        "edge:action-question-mark": doc(
            allow(["xray:Get?roup", "xray:?etSampling*", "xray:Put????Segments"])
        ),
        "edge:action-every-service": doc(allow("*", "arn:aws:xray:eu-west-1:123456789012:*")),
        "edge:action-list-mixed-resources": doc(
            allow(
                ["xray:GetGroups", "xray:GetGroup", "xray:PutTraceSegments", "xray:DeleteGroup"],
                ["arn:aws:xray:eu-west-1:123456789012:group/*", "*"],
            )
        ),
        "edge:resource-star-only-actions-on-arn": doc(
            allow(
                ["xray:GetGroups", "xray:PutTraceSegments", "xray:GetSamplingRules", "xray:GetGroup"],
                "arn:aws:xray:eu-west-1:123456789012:group/*",
            )
        ),
        "edge:resource-any-partition": doc(allow("xray:*", "arn:*:xray:*:*:*")),
        "edge:resource-short-arn": doc(allow("xray:*", "arn:aws:xray:*")),
        "edge:resource-question-marks": doc(
            allow(
                "xray:*",
                [
                    "arn:aws:xray:eu-west-?:123456789012:sampling-rule/base-*",
                    "arn:aws:xray:eu-west-1:123456789012:group/local-users/???123",
                ],
            )
        ),
        "edge:resource-case": doc(
            allow(
                "xray:*",
                [
                    "arn:aws:xray:eu-west-1:123456789012:group/LOCAL-USERS/*",
                    "arn:aws:xray:eu-west-1:123456789012:sampling-rule/base-scorekeep",
                ],
            )
        ),
        "edge:resource-star-in-name": doc(
            allow(
                "xray:*",
                [
                    "arn:aws:xray:eu-west-1:123456789012:group/*/AbC123",
                    "arn:aws:xray:*:*:sampling-rule/*-scorekeep",
                ],
            )
        ),
        "edge:resource-account-wildcard": doc(allow("xray:*", "arn:aws:xray:eu-west-1:*:sampling-rule/*")),
        "edge:resource-region-prefix": doc(allow("xray:*", "arn:aws:xray:eu-*:123456789012:*")),
        "edge:not-action-allow": doc(
            {"Effect": "Allow", "NotAction": ["xray:Put*", "xray:Delete*", "xray:Update*"], "Resource": "*"}
        ),
        "edge:not-action-deny": doc(
            ALLOW_ALL, {"Effect": "Deny", "NotAction": ["xray:Get*", "xray:BatchGet*"], "Resource": "*"}
        ),
        "edge:not-resource-allow": doc(
            {"Effect": "Allow", "Action": "xray:*", "NotResource": "arn:aws:xray:*:*:group/local-users/*"}
        ),
        "edge:not-resource-deny-region-lock": doc(
            ALLOW_ALL,
            {"Effect": "Deny", "Action": "xray:*", "NotResource": ["arn:aws:xray:eu-west-1:123456789012:*"]},
        ),
        "edge:not-resource-star": doc({"Effect": "Allow", "Action": "xray:*", "NotResource": "*"}),
        "edge:not-action-not-resource": doc(
            {"Effect": "Allow", "NotAction": "xray:Get*", "NotResource": "arn:aws:xray:*:*:sampling-rule/*"}
        ),
        "edge:deny-specific-rule": doc(
            ALLOW_ALL, deny(["xray:Delete*", "xray:Update*"], "arn:aws:xray:*:*:sampling-rule/base-scorekeep")
        ),
        "edge:deny-groups-in-other-regions": doc(
            ALLOW_ALL,
            deny("xray:*", "arn:aws:xray:*:*:group/*"),
            allow("xray:*", "arn:aws:xray:eu-west-1:*:group/*"),
        ),
        "edge:single-statement-object": {
            "Version": V2012,
            "Statement": allow("xray:*Sampling*", "arn:aws:xray:eu-west-1:123456789012:sampling-rule/*"),
        },
        "edge:variable-username": doc(
            allow(["xray:*Group", "xray:TagResource"], "arn:aws:xray:*:*:group/${aws:username}/*")
        ),
        "edge:variable-username-2008": doc(
            allow(["xray:*Group", "xray:TagResource"], "arn:aws:xray:*:*:group/${aws:username}/*"),
            version="2008-10-17",
        ),
        "edge:variable-username-no-version": doc(
            allow(["xray:*Group", "xray:TagResource"], "arn:aws:xray:*:*:group/${aws:username}/*"),
            version=None,
        ),
        "edge:variable-default-value": doc(
            allow("xray:*Group", "arn:aws:xray:*:*:group/${aws:username, 'local-users'}/*")
        ),
        "edge:variable-principal-tag": doc(
            ALLOW_ALL, deny("xray:*SamplingRule", "arn:aws:xray:*:*:sampling-rule/${aws:PrincipalTag/team}-*")
        ),
        "edge:variable-not-resource": doc(
            {
                "Effect": "Allow",
                "Action": "xray:*Group",
                "NotResource": "arn:aws:xray:*:*:group/${aws:username}/*",
            }
        ),
        "edge:variable-escapes": doc(
            allow("xray:*", "arn:aws:xray:*:*:group/${$}{aws:username}/*"),
            allow("xray:*Group", "arn:aws:xray:*:*:group/local-users/${*}"),
        ),
    }


def condition_documents() -> dict[str, Document]:
    """One policy per condition shape: ``allow:<name>`` (Allow xray:* when it holds) and,
    for the shapes usually written as guards, ``deny:<name>`` (Allow all, Deny when it holds)."""
    out: dict[str, Document] = {}
    for name, condition, as_deny in CONDITIONS:
        out[f"allow:{name}"] = doc(allow("xray:*", "*", Condition=condition))
        if as_deny:
            out[f"deny:{name}"] = doc(ALLOW_ALL, deny("xray:*", "*", Condition=condition))
    # Statement-level combinations that are not one condition.
    out["cond:two-allows-one-conditional"] = doc(
        allow("xray:Get*", "*"),
        allow("xray:*", "*", Condition={"StringEquals": {"aws:RequestTag/stage": "dev"}}),
    )
    out["cond:deny-if-exists-and-allow-if"] = doc(
        allow("xray:*", "*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
        deny("xray:*", "*", Condition={"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}),
    )
    return out


# (name, Condition element, also as a Deny)
CONDITIONS: list[tuple[str, dict[str, Any], bool]] = [
    # String operators
    ("string-equals", {"StringEquals": {"aws:RequestTag/stage": "prod"}}, True),
    ("string-equals-any-of", {"StringEquals": {"aws:RequestTag/stage": ["prod", "preprod"]}}, True),
    ("string-not-equals", {"StringNotEquals": {"aws:RequestTag/stage": ["prod", "preprod"]}}, True),
    ("string-equals-ignore-case", {"StringEqualsIgnoreCase": {"aws:RequestTag/stage": "PROD"}}, False),
    ("string-not-equals-ignore-case", {"StringNotEqualsIgnoreCase": {"aws:RequestTag/stage": "Prod"}}, True),
    ("string-like-star", {"StringLike": {"aws:RequestTag/stage": "pr*"}}, False),
    ("string-like-question", {"StringLike": {"aws:RequestTag/stage": "?rod"}}, False),
    ("string-not-like", {"StringNotLike": {"aws:RequestTag/stage": "*prod"}}, True),
    ("string-equals-star-is-literal", {"StringEquals": {"aws:RequestTag/stage": "pr*"}}, False),
    ("string-equals-if-exists", {"StringEqualsIfExists": {"aws:RequestTag/stage": "dev"}}, True),
    ("string-not-equals-if-exists", {"StringNotEqualsIfExists": {"aws:RequestTag/stage": "prod"}}, True),
    ("string-like-if-exists", {"StringLikeIfExists": {"aws:ResourceTag/stage": "d*"}}, True),
    ("string-not-like-if-exists", {"StringNotLikeIfExists": {"aws:ResourceTag/stage": "pr*"}}, True),
    ("string-tag-key-case", {"StringEquals": {"aws:RequestTag/STAGE": "prod"}}, True),
    ("string-key-prefix-case", {"StringEquals": {"AWS:ResourceTag/stage": "prod"}}, False),
    ("string-empty-value", {"StringEquals": {"aws:RequestTag/stage": ""}}, False),
    ("string-two-keys", {"StringEquals": {"aws:RequestTag/stage": "prod", "aws:RequestTag/team": "a"}}, True),
    (
        "string-and-bool",
        {"StringEquals": {"aws:RequestTag/stage": "prod"}, "Bool": {"aws:SecureTransport": "true"}},
        False,
    ),
    ("string-variable-username", {"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}, True),
    ("string-not-equals-variable", {"StringNotEquals": {"aws:ResourceTag/owner": "${aws:username}"}}, True),
    (
        "string-variable-principal-tag",
        {"StringEquals": {"aws:RequestTag/team": "${aws:PrincipalTag/team}"}},
        True,
    ),
    (
        "string-variable-default",
        {"StringEquals": {"aws:RequestTag/stage": "${aws:RequestTag/env, 'prod'}"}},
        False,
    ),
    ("string-like-escaped-star", {"StringLike": {"aws:UserAgent": "aws-cli/${*}*"}}, False),
    (
        "string-like-variable",
        {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/${aws:username}"}},
        False,
    ),
    ("string-on-multivalued-key", {"StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}}, False),
    # Numeric operators
    ("numeric-less-than", {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, False),
    ("numeric-less-than-equals", {"NumericLessThanEquals": {"aws:MultiFactorAuthAge": "3600"}}, False),
    ("numeric-greater-than", {"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}}, True),
    ("numeric-greater-than-equals", {"NumericGreaterThanEquals": {"aws:MultiFactorAuthAge": "3600"}}, False),
    ("numeric-equals-any-of", {"NumericEquals": {"aws:MultiFactorAuthAge": ["300", "7200"]}}, False),
    ("numeric-not-equals", {"NumericNotEquals": {"aws:MultiFactorAuthAge": "300"}}, True),
    ("numeric-less-than-if-exists", {"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}, True),
    ("numeric-json-number", {"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}, False),
    ("numeric-decimal", {"NumericGreaterThan": {"aws:MultiFactorAuthAge": "299.5"}}, False),
    # Date operators
    ("date-greater-than", {"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}, True),
    ("date-less-than", {"DateLessThan": {"aws:CurrentTime": "2026-12-31T23:59:59Z"}}, True),
    (
        "date-window",
        {
            "DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"},
            "DateLessThan": {"aws:CurrentTime": "2026-12-31T23:59:59Z"},
        },
        False,
    ),
    ("date-equals", {"DateEquals": {"aws:CurrentTime": NOW}}, False),
    ("date-not-equals", {"DateNotEquals": {"aws:CurrentTime": NOW}}, True),
    ("date-day-only", {"DateGreaterThanEquals": {"aws:CurrentTime": "2026-06-15"}}, False),
    ("date-offset", {"DateLessThan": {"aws:CurrentTime": "2026-06-15T13:00:00+02:00"}}, False),
    ("date-fraction", {"DateLessThanEquals": {"aws:CurrentTime": "2026-06-15T12:00:00.000Z"}}, False),
    ("date-epoch-value", {"DateLessThanEquals": {"aws:CurrentTime": "1781524800"}}, True),
    ("date-epoch-key", {"DateGreaterThan": {"aws:EpochTime": "2026-01-01T00:00:00Z"}}, False),
    ("date-token-issue-time", {"DateGreaterThan": {"aws:TokenIssueTime": "2026-06-15T06:00:00Z"}}, False),
    ("date-token-if-exists", {"DateLessThanIfExists": {"aws:TokenIssueTime": "2026-06-15T06:00:00Z"}}, True),
    # Bool
    ("bool-true", {"Bool": {"aws:SecureTransport": "true"}}, False),
    ("bool-false", {"Bool": {"aws:SecureTransport": "false"}}, True),
    ("bool-if-exists-false", {"BoolIfExists": {"aws:SecureTransport": "false"}}, True),
    ("bool-json-true", {"Bool": {"aws:MultiFactorAuthPresent": True}}, False),
    ("bool-upper-case", {"Bool": {"aws:MultiFactorAuthPresent": "TRUE"}}, False),
    ("bool-missing-key", {"Bool": {"aws:ViaAWSService": "false"}}, True),
    # Null
    ("null-true", {"Null": {"aws:MultiFactorAuthAge": "true"}}, True),
    ("null-false", {"Null": {"aws:MultiFactorAuthAge": "false"}}, False),
    ("null-request-tag", {"Null": {"aws:RequestTag/stage": "false"}}, True),
    ("null-tag-keys-true", {"Null": {"aws:TagKeys": "true"}}, True),
    ("null-tag-keys-false", {"Null": {"aws:TagKeys": "false"}}, False),
    ("null-resource-tag", {"Null": {"aws:ResourceTag/stage": "true"}}, False),
    # IP addresses
    ("ip-cidr", {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, False),
    ("ip-v4-or-v6", {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}, False),
    ("ip-single-address", {"IpAddress": {"aws:SourceIp": "203.0.113.5"}}, False),
    ("ip-private-range", {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, False),
    ("not-ip", {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}, True),
    ("ip-if-exists", {"IpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}}, False),
    ("not-ip-if-exists", {"NotIpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}}, True),
    # ARN operators
    ("arn-like", {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:user/*"}}, False),
    ("arn-equals", {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:user/alice"}}, False),
    (
        "arn-equals-wildcard",
        {"ArnEquals": {"aws:SourceArn": "arn:aws:lambda:*:123456789012:function:*"}},
        False,
    ),
    ("arn-not-like", {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}, True),
    (
        "arn-not-equals",
        {"ArnNotEquals": {"aws:SourceArn": "arn:aws:lambda:eu-west-1:123456789012:function:fn"}},
        True,
    ),
    ("arn-like-variable", {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/${aws:username}"}}, False),
    ("arn-like-if-exists", {"ArnLikeIfExists": {"aws:SourceArn": "arn:aws:lambda:*:*:*"}}, True),
    ("arn-string-operator", {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:*"}}, False),
    ("arn-other-account", {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:*"}}, True),
    # Binary
    ("binary-equals", {"BinaryEquals": {"aws:UserAgent": "YXdzLWNsaQ=="}}, False),
    # Set operators on multivalued keys
    ("for-all-values", {"ForAllValues:StringEquals": {"aws:TagKeys": ["stage", "team"]}}, True),
    ("for-any-value", {"ForAnyValue:StringEquals": {"aws:TagKeys": ["stage"]}}, True),
    ("for-all-values-like", {"ForAllValues:StringLike": {"aws:TagKeys": ["st*", "te?m"]}}, False),
    ("for-any-value-not-equals", {"ForAnyValue:StringNotEquals": {"aws:TagKeys": "stage"}}, True),
    ("for-all-values-not-equals", {"ForAllValues:StringNotEquals": {"aws:TagKeys": ["owner"]}}, True),
    ("for-any-value-ignore-case", {"ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": "STAGE"}}, False),
    (
        "for-all-values-called-via",
        {"ForAllValues:StringEquals": {"aws:CalledVia": ["cloudformation.amazonaws.com"]}},
        False,
    ),
    (
        "for-any-value-called-via",
        {"ForAnyValue:StringEquals": {"aws:CalledVia": "athena.amazonaws.com"}},
        True,
    ),
    ("for-any-value-not-like", {"ForAnyValue:StringNotLike": {"aws:CalledVia": "cloud*"}}, True),
    (
        "for-any-value-single-valued-key",
        {"ForAnyValue:StringEquals": {"aws:RequestTag/stage": ["prod"]}},
        False,
    ),
    (
        "for-all-values-single-valued-key",
        {"ForAllValues:StringEquals": {"aws:RequestTag/stage": "prod"}},
        False,
    ),
    ("for-all-values-if-exists", {"ForAllValues:StringEqualsIfExists": {"aws:TagKeys": ["stage"]}}, False),
    ("for-any-value-like-if-exists", {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": "own*"}}, True),
    (
        "for-all-values-with-null-guard",
        {"ForAllValues:StringEquals": {"aws:TagKeys": ["stage", "team"]}, "Null": {"aws:TagKeys": "false"}},
        False,
    ),
    (
        "for-all-and-for-any",
        {
            "ForAllValues:StringEquals": {"aws:TagKeys": ["stage", "team"]},
            "ForAnyValue:StringEquals": {"aws:TagKeys": "stage"},
        },
        False,
    ),
]


def policy_documents() -> dict[str, Document]:
    """Every policy the cases use, by id."""
    out: dict[str, Document] = {}
    for part in (managed_documents(), guide_documents(), action_resource_documents(), condition_documents()):
        out.update(part)
    return out


# Several policies attached at once: the Deny in one must beat the Allow in another.
COMBINATIONS: dict[str, tuple[str, ...]] = {
    "full-access+deny-specific-rule": ("managed:AWSXrayFullAccess", "edge:deny-specific-rule"),
    "read-only+create-group": ("managed:AWSXrayReadOnlyAccess", "guide:create-group-local-users"),
    "tag-allow-part+tag-deny-part": ("guide:tag-allow-part", "guide:tag-deny-part"),
    "daemon+api-key+create-rule": (
        "managed:AWSXRayDaemonWriteAccess",
        "managed:AWSXRayAPIKeyAccess",
        "guide:create-sampling-rule-base-scorekeep",
    ),
    "not-resource-allow+not-action-deny": ("edge:not-resource-allow", "edge:not-action-deny"),
    "full-access+region-lock": ("managed:AWSXrayFullAccess", "edge:not-resource-deny-region-lock"),
}


# ---------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------

# Service keys the Service Authorization Reference lists for X-Ray actions, with values
# to send on the actions that take them.
SERVICE_KEY_VALUES: dict[str, tuple[Any, Any]] = {
    "xray:ResourcePolicyName": ("team-a-policy", "other"),
    "xray:TraceSegmentDestination": ("CloudWatchLogs", "XRay"),
    "logs:LogGeneratingResourceArns": (
        ["arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc"],
        ["arn:aws:lambda:eu-west-1:111122223333:function:fn"],
    ),
}


def action_keys(action: catalog.Action) -> set[str]:
    return {k.lower() for k in action.all_condition_keys()}


def resources_for(action: catalog.Action) -> list[tuple[str, str]]:
    """(label, resource) pairs to request ``action`` on."""
    if not action.resource_level:
        return [("star", "*")]
    out: list[tuple[str, str]] = []
    for rt in action.resource_types:
        out.extend(RESOURCES_BY_TYPE[rt.resource_type].items())
    return out


def sweep_contexts(action: catalog.Action) -> list[tuple[str, Context]]:
    """A few realistic contexts per action: bare, tagged "prod", tagged "dev"."""
    keys = action_keys(action)
    takes_request_tags = "aws:requesttag/${tagkey}" in keys
    takes_tag_keys = "aws:tagkeys" in keys
    takes_resource_tags = "aws:resourcetag/${tagkey}" in keys or action.resource_level
    out: list[tuple[str, Context]] = [("bare", {})]
    for label, stage, extra_tags, user, secure, ip in (
        ("prod", "prod", {}, "alice", "true", "203.0.113.5"),
        ("dev", "dev", {"team": "a"}, "bob", "false", "198.51.100.7"),
    ):
        ctx: Context = {
            "aws:username": user,
            "aws:PrincipalTag/team": "a" if user == "alice" else "b",
            "aws:SecureTransport": secure,
            "aws:SourceIp": ip,
        }
        if user == "alice":
            ctx["aws:MultiFactorAuthPresent"] = "true"
            ctx["aws:MultiFactorAuthAge"] = "300"
        tags = {"stage": stage, **extra_tags}
        if takes_request_tags:
            ctx.update({f"aws:RequestTag/{k}": v for k, v in tags.items()})
        if takes_tag_keys:
            ctx["aws:TagKeys"] = list(tags)
        if takes_resource_tags and not action.name.startswith("Create"):
            ctx["aws:ResourceTag/stage"] = stage
        for key, values in SERVICE_KEY_VALUES.items():
            if key.lower() in keys:
                ctx[key] = values[0] if label == "prod" else values[1]
        out.append((label, ctx))
    return out


def sweep_requests() -> Iterator[tuple[str, str, str, Context]]:
    """Every X-Ray action in the catalog, on each resource it can take, in each sweep context."""
    for action in sorted(catalog.xray().actions.values(), key=lambda a: a.name):
        for res_label, resource in resources_for(action):
            for ctx_label, ctx in sweep_contexts(action):
                yield f"{action.full_name} {res_label} {ctx_label}", action.full_name, resource, ctx


# The requests each condition policy is asked about: one action that takes only "*",
# one create (request tags) and one change of an existing group (resource tags).
CONDITION_PROBES: list[tuple[str, str]] = [
    ("xray:GetGroups", "*"),
    ("xray:CreateGroup", GROUPS["group"]),
    ("xray:DeleteGroup", GROUPS["group"]),
]

# Request contexts for the condition policies: present/absent/different values for every
# key the conditions test, empty sets and case variants.
CONDITION_CONTEXTS: list[tuple[str, Context]] = [
    ("empty", {}),
    ("req-stage-prod", {"aws:RequestTag/stage": "prod", "aws:TagKeys": ["stage"]}),
    ("req-stage-preprod", {"aws:RequestTag/stage": "preprod", "aws:TagKeys": ["stage"]}),
    ("req-stage-dev", {"aws:RequestTag/stage": "dev", "aws:TagKeys": ["stage"]}),
    ("req-stage-upper", {"aws:RequestTag/stage": "PROD", "aws:TagKeys": ["stage"]}),
    ("req-stage-star", {"aws:RequestTag/stage": "pr*", "aws:TagKeys": ["stage"]}),
    ("req-stage-empty", {"aws:RequestTag/stage": "", "aws:TagKeys": ["stage"]}),
    (
        "req-stage-prod-team-a",
        {"aws:RequestTag/stage": "prod", "aws:RequestTag/team": "a", "aws:TagKeys": ["stage", "team"]},
    ),
    ("req-team-only", {"aws:RequestTag/team": "a", "aws:TagKeys": ["team"]}),
    (
        "req-stage-dev-owner",
        {"aws:RequestTag/stage": "dev", "aws:RequestTag/owner": "alice", "aws:TagKeys": ["stage", "owner"]},
    ),
    ("req-tag-key-upper", {"aws:RequestTag/Stage": "prod", "aws:TagKeys": ["Stage"]}),
    (
        "req-env-given",
        {"aws:RequestTag/stage": "dev", "aws:RequestTag/env": "dev", "aws:TagKeys": ["stage", "env"]},
    ),
    ("tag-keys-empty", {"aws:TagKeys": []}),
    ("tag-keys-without-tags", {"aws:TagKeys": ["stage", "team"]}),
    ("res-stage-prod", {"aws:ResourceTag/stage": "prod"}),
    ("res-stage-dev", {"aws:ResourceTag/stage": "dev"}),
    ("res-owner-alice-user-alice", {"aws:ResourceTag/owner": "alice", "aws:username": "alice"}),
    ("res-owner-alice-user-bob", {"aws:ResourceTag/owner": "alice", "aws:username": "bob"}),
    ("res-owner-alice-no-user", {"aws:ResourceTag/owner": "alice"}),
    (
        "principal-tag-matches",
        {"aws:PrincipalTag/team": "a", "aws:RequestTag/team": "a", "aws:TagKeys": ["team"]},
    ),
    (
        "principal-tag-differs",
        {"aws:PrincipalTag/team": "b", "aws:RequestTag/team": "a", "aws:TagKeys": ["team"]},
    ),
    ("mfa-recent", {"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "300"}),
    ("mfa-boundary", {"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "3600"}),
    ("mfa-old", {"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "7200"}),
    ("mfa-none", {"aws:MultiFactorAuthPresent": "false"}),
    ("tls", {"aws:SecureTransport": "true"}),
    ("no-tls", {"aws:SecureTransport": "false"}),
    ("ip-in", {"aws:SourceIp": "203.0.113.5"}),
    ("ip-out", {"aws:SourceIp": "198.51.100.7"}),
    ("ip6-in", {"aws:SourceIp": "2001:db8::1"}),
    ("ip6-out", {"aws:SourceIp": "2001:db9::1"}),
    ("ip-private", {"aws:SourceIp": "10.1.2.3"}),
    ("time-before", {"aws:CurrentTime": "2025-12-31T23:59:59Z"}),
    ("time-after", {"aws:CurrentTime": "2027-01-01T00:00:00Z"}),
    ("time-one-second-later", {"aws:CurrentTime": "2026-06-15T12:00:01Z"}),
    ("epoch-only", {"aws:EpochTime": "1798761600"}),
    ("token-early", {"aws:TokenIssueTime": "2026-06-15T00:00:00Z"}),
    ("token-recent", {"aws:TokenIssueTime": "2026-06-15T11:30:00Z"}),
    ("user-alice", {"aws:username": "alice", "aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:user/alice"}),
    ("user-bob", {"aws:username": "bob", "aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:user/bob"}),
    ("role-session", {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/xray-app"}),
    (
        "principal-other-account",
        {"aws:PrincipalArn": f"arn:aws:iam::{OTHER_ACCOUNT}:user/alice", "aws:username": "alice"},
    ),
    ("source-arn-fn", {"aws:SourceArn": f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:fn"}),
    ("source-arn-other-fn", {"aws:SourceArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:other"}),
    ("source-arn-s3", {"aws:SourceArn": "arn:aws:s3:::bucket"}),
    ("called-via-cfn", {"aws:CalledVia": ["cloudformation.amazonaws.com"]}),
    ("called-via-two", {"aws:CalledVia": ["cloudformation.amazonaws.com", "athena.amazonaws.com"]}),
    ("called-via-empty", {"aws:CalledVia": []}),
    ("user-agent-literal-star", {"aws:UserAgent": "aws-cli/*"}),
    ("user-agent-star-and-more", {"aws:UserAgent": "aws-cli/*2.15"}),
    ("user-agent-plain", {"aws:UserAgent": "aws-cli/2.15"}),
    ("user-agent-base64", {"aws:UserAgent": "YXdzLWNsaQ=="}),
    (
        "everything-good",
        {
            "aws:RequestTag/stage": "prod",
            "aws:TagKeys": ["stage"],
            "aws:SecureTransport": "true",
            "aws:SourceIp": "203.0.113.5",
            "aws:MultiFactorAuthPresent": "true",
            "aws:MultiFactorAuthAge": "300",
            "aws:username": "alice",
            "aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:user/alice",
        },
    ),
]


def condition_cases(documents: Mapping[str, Document]) -> Iterator[Case]:
    for pid in documents:
        if not pid.startswith(("allow:", "deny:", "cond:")):
            continue
        for action, resource in CONDITION_PROBES:
            for ctx_label, ctx in CONDITION_CONTEXTS:
                yield Case(
                    f"{pid} | {action} {resource} | {ctx_label}",
                    "conditions",
                    (pid,),
                    action,
                    resource,
                    with_time(ctx),
                )


def with_time(ctx: Mapping[str, Any]) -> Context:
    """The context with a fixed clock, unless it sets one itself."""
    out = dict(ctx)
    if not any(k.lower() in ("aws:currenttime", "aws:epochtime") for k in out):
        out["aws:CurrentTime"] = NOW
    return out


def sweep_cases(policy_sets: Mapping[str, tuple[str, ...]], family: str) -> Iterator[Case]:
    requests = list(sweep_requests())
    for set_name, pids in policy_sets.items():
        for label, action, resource, ctx in requests:
            yield Case(f"{set_name} | {label}", family, pids, action, resource, with_time(ctx))


# ---------------------------------------------------------------------------------
# Where the oracle and IAM part ways
# ---------------------------------------------------------------------------------

IAM_UG = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"


@dataclass(frozen=True)
class DocumentedException:
    """A place where AWS's documentation says the oracle answers differently from IAM.

    The case is not dropped: the oracle is asked a translated question that means, in
    the oracle's reading, what the original means in IAM's (``rewrite_policy`` /
    ``rewrite_context``), and its answer to that is compared with ours. The raw answer is
    kept too, so a stale exception (the oracle no longer differs) is noticed.
    """

    name: str
    reason: str
    reference: str
    applies: Callable[[Case, Mapping[str, Document]], bool]
    rewrite_policy: Callable[[Document, Mapping[str, Any]], Document | None] | None = None
    """(policy, request context) -> the policy to give the oracle; None leaves the policy out."""
    rewrite_context: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {fn(k): _map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    return value


def _literal_variables(document: Mapping[str, Any]) -> bool:
    return document.get("Version") != V2012 and any("${" in s for s in _strings(document))


def _variables_as_literal_text(document: Document) -> Document:
    """The same policy under 2012-10-17 with every ``${`` written as the ``${$}`` escape."""
    out = _map_strings(copy.deepcopy(document), lambda s: s.replace("${", "${$}{"))
    out.pop("Version", None)
    return {"Version": V2012, **out}


def statements_of(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    raw = document.get("Statement", [])
    return [raw] if isinstance(raw, dict) else list(raw)


def _date_blocks(document: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for st in statements_of(document):
        for op, block in (st.get("Condition") or {}).items():
            if op.split(":")[-1].lower().startswith("date"):
                yield op, block


def _is_epoch(text: str) -> bool:
    return text.strip().lstrip("-").isdigit()


def _epoch_key(key: str) -> bool:
    return key.lower() == "aws:epochtime"


def _to_epoch(text: str) -> str:
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return str(int(moment.timestamp()))


def _to_iso(text: str) -> str:
    return datetime.fromtimestamp(int(text), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _mixed_date_formats(document: Mapping[str, Any]) -> bool:
    """A Date condition whose policy value is not written the way the request value is
    (epoch seconds for ``aws:EpochTime``, ISO 8601 for every other date key here)."""
    for _op, block in _date_blocks(document):
        for key, values in block.items():
            for value in values if isinstance(values, list) else [values]:
                if _is_epoch(str(value)) != _epoch_key(key):
                    return True
    return False


def _dates_in_request_format(document: Document) -> Document:
    out = copy.deepcopy(document)
    for st in statements_of(out):
        for op, block in (st.get("Condition") or {}).items():
            if not op.split(":")[-1].lower().startswith("date"):
                continue
            for key, values in block.items():
                convert = _to_epoch if _epoch_key(key) else _to_iso
                fixed = [
                    v if _is_epoch(str(v)) == _epoch_key(key) else convert(str(v))
                    for v in (values if isinstance(values, list) else [values])
                ]
                block[key] = fixed if isinstance(values, list) else fixed[0]
    return out


_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def _unresolvable(statement: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    """Does the statement use, in Resource, NotResource or a condition value, a policy
    variable the request cannot fill (a missing or multivalued key, no default value)?"""
    lowered = {k.lower(): v for k, v in context.items()}
    places: list[Any] = [statement.get("Resource"), statement.get("NotResource")]
    places += [list(block.values()) for block in (statement.get("Condition") or {}).values()]
    for text in _strings(places):
        for inner in _VARIABLE.findall(text):
            if inner in ("*", "?", "$") or "," in inner:
                continue
            value = lowered.get(inner.strip().lower())
            if value is None or isinstance(value, list | tuple):
                return True
    return False


def _has_unresolvable_variable(document: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    return document.get("Version") == V2012 and any(
        _unresolvable(st, context) for st in statements_of(document)
    )


def _without_unresolvable_statements(document: Document, context: Mapping[str, Any]) -> Document | None:
    kept = [st for st in statements_of(document) if not _unresolvable(st, context)]
    if not kept:
        return None
    return {**document, "Statement": kept}


def _has_empty_set(case: Case) -> bool:
    return any(isinstance(v, list | tuple) and not v for v in case.context.values())


def _without_empty_sets(context: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in context.items() if not (isinstance(v, list | tuple) and not v)}


DOCUMENTED_EXCEPTIONS: tuple[DocumentedException, ...] = (
    DocumentedException(
        name="variables are literal text outside Version 2012-10-17",
        reason=(
            "IAM reads ${...} as a policy variable only under Version 2012-10-17; under "
            "2008-10-17 (or with no Version) it is literal text. The oracle resolves "
            "variables whatever the Version, so it is asked the same policy with each "
            "${ written as the ${$} escape."
        ),
        reference=(
            IAM_UG + 'reference_policies_elements_version.html ("2008-10-17 ... variables '
            "such as ${aws:username} aren't recognized as variables and are instead treated "
            'as literal strings"; without 2012-10-17 "you cannot use features such as '
            'policy variables"); tooling-notes.md, Independent IAM evaluation oracle'
        ),
        applies=lambda case, docs: any(_literal_variables(docs[p]) for p in case.policies),
        rewrite_policy=lambda d, _ctx: _variables_as_literal_text(d) if _literal_variables(d) else d,
    ),
    DocumentedException(
        name="date values in epoch seconds and ISO 8601 compare as the same instant",
        reason=(
            "IAM accepts Date condition values as ISO 8601 or epoch (UNIX) time, and "
            "aws:EpochTime as seconds since 1970. The oracle reads an all-digit value as "
            "seconds but an ISO value as milliseconds, so mixing the two compares "
            "different units. It is asked the same instants written in the request "
            "value's format."
        ),
        reference=(
            IAM_UG + "reference_policies_elements_condition_operators.html#Conditions_Date "
            '("You must specify date/time values with one of the W3C implementations of '
            'the ISO 8601 date formats or in epoch (UNIX) time"); '
            + IAM_UG
            + "reference_policies_condition-keys.html#condition-keys-epochtime"
        ),
        applies=lambda case, docs: any(_mixed_date_formats(docs[p]) for p in case.policies),
        rewrite_policy=lambda d, _ctx: _dates_in_request_format(d) if _mixed_date_formats(d) else d,
    ),
    DocumentedException(
        name="an empty multivalued key is null",
        reason=(
            "IAM treats a multivalued key whose value is an empty set like a missing "
            "key: Null with false does not hold for it. The oracle treats an empty list "
            "as a present key; it is asked with the empty key left out."
        ),
        reference=(
            IAM_UG + "reference_policies_condition_examples-multi-valued-context-keys.html "
            '("You can prevent missing context keys or context keys with empty values '
            "from evaluating to true by including a Null condition operator ... with a "
            'value of false"); ' + IAM_UG + "reference_policies_elements_condition_operators"
            '.html#Conditions_Null ("false (the key exists and its value is not null)")'
        ),
        applies=lambda case, docs: _has_empty_set(case),
        rewrite_context=_without_empty_sets,
    ),
    DocumentedException(
        name="a variable the request cannot fill makes the statement invalid",
        reason=(
            'IAM: a policy variable whose key is not in the request "fails and causes the '
            'statement to be invalid", so the statement never applies, whatever else it '
            "says. The oracle resolves a variable only when it gets that far: it checks an "
            "ARN's partition, service, Region and account first (so a NotResource entry "
            "arn:aws:xray:*:*:group/${aws:username}/* does not match an aws-cn ARN and the "
            "Allow applies), and a negated or ...IfExists operator on a key the request lacks "
            "holds before the policy value is read. It is asked with such statements left out."
        ),
        reference=(
            IAM_UG + 'reference_policies_variables.html#policy-vars-infotouse ("not present '
            "means that the value is not in the current request information, and any attempt "
            'to match it fails and causes the statement to be invalid"; "If AWS cannot '
            'resolve a variable this might cause the entire statement to be invalid")'
        ),
        applies=lambda case, docs: any(
            _has_unresolvable_variable(docs[p], case.context) for p in case.policies
        ),
        rewrite_policy=lambda d, ctx: (
            _without_unresolvable_statements(d, ctx) if _has_unresolvable_variable(d, ctx) else d
        ),
    ),
)


@dataclass(frozen=True)
class Undecided:
    """A disagreement AWS's documentation does not settle either way: reported with both
    answers, not counted as agreement or failure."""

    policy: str
    key: str
    """The multivalued key whose one-value set the evaluators read differently."""
    reason: str
    reference: str

    def applies(self, case: Case) -> bool:
        value = next((v for k, v in case.context.items() if k.lower() == self.key.lower()), None)
        return self.policy in case.policies and isinstance(value, list | tuple) and len(value) == 1


UNDECIDED: tuple[Undecided, ...] = (
    Undecided(
        policy="allow:string-on-multivalued-key",
        key="aws:CalledVia",
        reason=(
            "StringEquals (no ForAllValues:/ForAnyValue:) on aws:CalledVia when the request "
            "holds one value: xraybuilder reads a one-value set as that value (match); the "
            "oracle never matches a multivalued key without a set operator."
        ),
        reference=(
            IAM_UG + "reference_policies_condition-single-vs-multi-valued-context-keys.html "
            'says only "Multivalued context keys require a condition set operator"; '
            "Access Analyzer reports MISSING_QUALIFIER as an error. How IAM evaluates such "
            "a condition is not documented."
        ),
    ),
)


# Actions the oracle's Service Authorization data does not have; it refuses requests for them.
ORACLE_UNKNOWN_ACTIONS: dict[str, str] = {
    "xray:CallWithBearerToken": "added to X-Ray with API-key ingestion (facts.md §1.6); not in iam-data",
}


# ---------------------------------------------------------------------------------
# Scenario presets (joined in once xraybuilder.core.scenarios exists)
# ---------------------------------------------------------------------------------


def presets_missing() -> str | None:
    """Why the scenario presets cannot join the cases yet, or None when they can."""
    for name in ("xraybuilder.core.scenarios", "xraybuilder.core.bundle"):
        if importlib.util.find_spec(name) is None:
            return f"{name} does not exist yet"
    return None


# Values for required parameters that have no default, by parameter type.
REQUIRED_VALUES: dict[str, str] = {
    "account": ACCOUNT,
    "tag_value": "team-a",
    "kms_key_arn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "principal_arn": f"arn:aws:iam::{ACCOUNT}:role/xray-admin",
}

# Stands in for a ``*`` in an expectation's resource: the request names one resource.
CONCRETE_ID = "AbC123"


def preset_variants(preset: Any) -> list[dict[str, Any]]:
    """Default parameters (plus values for required ones), then each boolean flipped and
    each other choice taken, one at a time."""
    base: dict[str, Any] = {
        name: REQUIRED_VALUES[p.type]
        for name, p in preset.parameters.items()
        if p.required and p.default is None and p.type in REQUIRED_VALUES
    }
    out = [base]
    for name, p in preset.parameters.items():
        if p.type == "bool" and isinstance(p.default, bool):
            out.append({**base, name: not p.default})
        elif p.type == "choice":
            out.extend({**base, name: c} for c in p.choices if c != p.default)
    return out


def expectation_request(expectation: Any) -> tuple[str, str, Context]:
    """An expectation as a concrete request (action, resource, context)."""
    from xraybuilder.core.evaluate import Request

    action = catalog.action(expectation.action)
    resource = expectation.resource
    if action is not None and not action.resource_level:
        resource = "*"
    elif resource != "*":
        resource = resource.replace("*", CONCRETE_ID)
    built = Request.build(
        expectation.action,
        resource,
        request_tags=dict(expectation.request_tags),
        resource_tags=dict(expectation.resource_tags),
        context=dict(expectation.context),
    )
    context = {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in built.context.items()
        if k.lower() not in ("aws:currenttime", "aws:epochtime")
    }
    return expectation.action, resource, context


def preset_material() -> tuple[dict[str, Document], list[Case]] | None:
    """Policies built from every shipped scenario preset (defaults, then one parameter
    changed at a time), each distinct set asked the catalog sweep plus the preset's own
    expectations; None while the presets cannot be built."""
    if presets_missing() is not None:
        return None
    from xraybuilder.core import bundle, scenarios

    documents: dict[str, Document] = {}
    sets: dict[str, tuple[str, ...]] = {}
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for preset in scenarios.load_library().ordered():
        if not preset.shipped:
            continue
        for params in preset_variants(preset):
            built = bundle.build(preset, params)
            label = preset.id + "".join(
                f" {k}={v}" for k, v in params.items() if not preset.parameters[k].required
            )
            pids: list[str] = []
            for name, policy in bundle.evaluation_policies(built):
                pid = f"preset:{label}:{name}"
                documents[pid] = policy.to_json()
                pids.append(pid)
            if not pids:
                continue
            fingerprint = repr([documents[p] for p in pids])
            if fingerprint not in seen:
                seen[fingerprint] = label
                sets[f"preset {label}"] = tuple(pids)
            for i, expectation in enumerate(built.expectations):
                action, resource, context = expectation_request(expectation)
                cases.append(
                    Case(
                        f"preset {label} | expectation {i} {action} {resource}",
                        "scenario presets",
                        tuple(pids),
                        action,
                        resource,
                        with_time(context),
                    )
                )
    cases.extend(sweep_cases(sets, "scenario presets"))
    return documents, cases


# ---------------------------------------------------------------------------------
# Everything
# ---------------------------------------------------------------------------------


@dataclass
class CaseSet:
    documents: dict[str, Document]
    cases: list[Case]
    presets_included: bool


def all_cases() -> CaseSet:
    documents = policy_documents()
    sweep_sets: dict[str, tuple[str, ...]] = {
        pid: (pid,) for pid in documents if pid.startswith(("managed:", "guide:", "edge:"))
    }
    cases: list[Case] = []
    cases.extend(sweep_cases(sweep_sets, "catalog sweep"))
    cases.extend(sweep_cases(COMBINATIONS, "several policies"))
    cases.extend(condition_cases(documents))
    presets = preset_material()
    if presets is not None:
        preset_docs, preset_cases = presets
        documents.update(preset_docs)
        cases.extend(preset_cases)
    ids = [c.id for c in cases]
    if len(ids) != len(set(ids)):
        raise AssertionError("case ids must be unique")
    return CaseSet(documents, cases, presets is not None)


def family_counts(cases: Iterable[Case]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for case in cases:
        counts[case.family] = counts.get(case.family, 0) + 1
    return counts
