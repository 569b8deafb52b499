"""Names AWS will accept: IAM users, roles, instance profiles and policies, X-Ray groups and
sampling rules, tags, and AWS CLI profile names.

Each ``check_*`` function returns ``None`` for a good value and otherwise one sentence
saying what is wrong and what is allowed, so callers can prefix the parameter's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NameRule:
    """Length limits and allowed characters for one kind of name."""

    label: str
    min_length: int
    max_length: int
    pattern: re.Pattern[str]
    allowed: str
    """The allowed characters, in words, for messages."""
    source: str = ""
    """Where the rule comes from, in words, for messages about names outside it."""


# botocore's IAM model: RoleName and UserName 1-64, InstanceProfileName and PolicyName
# 1-128, all ``[\w+=,.@-]+``. AWS means ASCII word characters, hence re.ASCII.
_IAM_CHARS = re.compile(r"[\w+=,.@-]+", re.ASCII)
_IAM_ALLOWED = "letters, digits and + = , . @ _ -"

IAM_RULES = {
    "role": NameRule("role name", 1, 64, _IAM_CHARS, _IAM_ALLOWED),
    "user": NameRule("user name", 1, 64, _IAM_CHARS, _IAM_ALLOWED),
    "instance_profile": NameRule("instance profile name", 1, 128, _IAM_CHARS, _IAM_ALLOWED),
    "policy": NameRule("policy name", 1, 128, _IAM_CHARS, _IAM_ALLOWED),
}

# X-Ray's API model (botocore xray 2016-04-12, GroupName and RuleName) and the
# CloudFormation schemas (AWS::XRay::Group GroupName, AWS::XRay::SamplingRule RuleName)
# give only the 1-32 length, with no character rule. For groups the X-Ray developer guide
# asks for "alphanumeric characters and dashes"; sampling rules have no documented rule,
# so underscores, common in rule names, are accepted. * and ? stay out because the
# name becomes part of a policy ARN, where IAM would read them as wildcards, and / stays
# out because a sampling-rule ARN ends at the name. The linter warns about names outside
# these same rules (arn.parts.name_issues), so what ``new`` builds, ``lint`` accepts.
GROUP_RULE = NameRule(
    "group name",
    1,
    32,
    re.compile(r"[A-Za-z0-9-]+"),
    "letters, digits and -",
    "the X-Ray developer guide allows letters, digits and dashes in group names",
)
SAMPLING_RULE_RULE = NameRule(
    "sampling rule name",
    1,
    32,
    re.compile(r"[A-Za-z0-9_-]+"),
    "letters, digits, _ and -",
    "X-Ray documents no character rule for sampling-rule names (only 1-32 characters)",
)
# "Default" names the built-in group and the built-in sampling rule.
RESERVED_XRAY_NAMES = frozenset({"default"})

# X-Ray tags: key 1-128, value 0-256, letters, digits, space and _ . : / = + - @;
# the aws: prefix is reserved for AWS.
_TAG_CHARS = re.compile(r"[A-Za-z0-9 _.:/=+\-@]*")
_TAG_ALLOWED = "letters, digits, spaces and _ . : / = + - @"
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256

# Profile names become INI section headers; keep to characters every tool reads back.
_PROFILE_CHARS = re.compile(r"[A-Za-z0-9_.+@-]+")
_PROFILE_ALLOWED = "letters, digits and _ . + @ -"
PROFILE_MAX = 64


def _check(rule: NameRule, value: str) -> str | None:
    if not value:
        return f"the {rule.label} is empty; it needs {rule.min_length} to {rule.max_length} characters"
    if len(value) > rule.max_length:
        return f"the {rule.label} has {len(value)} characters; the most allowed is {rule.max_length}"
    if not rule.pattern.fullmatch(value):
        bad = _first_bad(rule.pattern, value)
        return f"the {rule.label} holds {bad!r}; only {rule.allowed} are allowed"
    return None


def _first_bad(pattern: re.Pattern[str], value: str) -> str:
    for ch in value:
        if not pattern.fullmatch(ch):
            return ch
    return value


def check_iam_name(kind: str, value: str) -> str | None:
    """Check an IAM name; ``kind`` is role, user, instance_profile or policy."""
    return _check(IAM_RULES[kind], value)


def check_role_name(value: str) -> str | None:
    """IAM role name: 1-64 of ``[\\w+=,.@-]``."""
    return check_iam_name("role", value)


def check_user_name(value: str) -> str | None:
    """IAM user name: 1-64 of ``[\\w+=,.@-]``."""
    return check_iam_name("user", value)


def check_instance_profile_name(value: str) -> str | None:
    """Instance profile name: 1-128 of ``[\\w+=,.@-]``."""
    return check_iam_name("instance_profile", value)


def check_policy_name(value: str) -> str | None:
    """IAM policy name: 1-128 of ``[\\w+=,.@-]``."""
    return check_iam_name("policy", value)


def _check_xray(rule: NameRule, value: str) -> str | None:
    problem = _check(rule, value)
    if problem is None and value.lower() in RESERVED_XRAY_NAMES:
        return f"{value!r} is reserved for X-Ray's built-in {rule.label.removesuffix(' name')}"
    return problem


def check_group_name(value: str) -> str | None:
    """X-Ray group name: 1-32 letters, digits and dashes, not "Default"."""
    return _check_xray(GROUP_RULE, value)


def check_sampling_rule_name(value: str) -> str | None:
    """X-Ray sampling rule name: 1-32 letters, digits, _ and -, not "Default"."""
    return _check_xray(SAMPLING_RULE_RULE, value)


def check_tag_key(value: str) -> str | None:
    """Tag key: 1-128 allowed characters, not starting with ``aws:``."""
    if not value:
        return f"the tag key is empty; it needs 1 to {TAG_KEY_MAX} characters"
    if len(value) > TAG_KEY_MAX:
        return f"the tag key has {len(value)} characters; the most allowed is {TAG_KEY_MAX}"
    if not _TAG_CHARS.fullmatch(value):
        return f"the tag key holds {_first_bad(_TAG_CHARS, value)!r}; only {_TAG_ALLOWED} are allowed"
    if value.lower().startswith("aws:"):
        return "tag keys starting with 'aws:' are reserved for AWS"
    return None


def check_tag_value(value: str) -> str | None:
    """Tag value: 0-256 allowed characters."""
    if len(value) > TAG_VALUE_MAX:
        return f"the tag value has {len(value)} characters; the most allowed is {TAG_VALUE_MAX}"
    if not _TAG_CHARS.fullmatch(value):
        return f"the tag value holds {_first_bad(_TAG_CHARS, value)!r}; only {_TAG_ALLOWED} are allowed"
    return None


def check_profile_name(value: str) -> str | None:
    """AWS CLI/SDK profile name as written in ~/.aws/credentials and ~/.aws/config."""
    if not value:
        return "the profile name is empty"
    if len(value) > PROFILE_MAX:
        return f"the profile name has {len(value)} characters; the most allowed here is {PROFILE_MAX}"
    if not _PROFILE_CHARS.fullmatch(value):
        return (
            f"the profile name holds {_first_bad(_PROFILE_CHARS, value)!r}; "
            f"only {_PROFILE_ALLOWED} are allowed"
        )
    return None
