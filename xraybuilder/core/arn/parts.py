"""Checks of one ARN part on its own: partition, service, region, account, X-Ray names.

Each returns :class:`~xraybuilder.core.arn.model.Issue` objects with offsets within the
part; the whole-ARN check and the form fields place them.
"""

from __future__ import annotations

import re

from xraybuilder.core import catalog, names
from xraybuilder.core.arn.model import Issue, closest, did_you_mean, has_variable, has_wildcard
from xraybuilder.core.catalog import Partition
from xraybuilder.core.patterns import matches

# X-Ray API model (botocore xray 2016-04-12): GroupName and RuleName are 1-32 characters.
# Neither the API model nor the CloudFormation schema sets a character rule, so a name
# outside the one ``core.names`` applies when building (the same rule, so a policy that
# ``new`` writes never draws this warning) is only ever a warning.
XRAY_NAME_MAX = 32

REGION_SHAPE = re.compile(r"[a-z]{2,}(?:-[a-z]+)+-\d+")
# Anything else made of lower-case words joined by dashes is a region name, just not a known one.
_REGION_WORDS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SERVICE_CHARS = re.compile(r"[a-z0-9-]+")
_VARIABLE = re.compile(r"\$\{[^}]*\}")
_ACCOUNT_DIGITS = 12


# -- part checks -------------------------------------------------------------------------


def partition_issues(value: str) -> list[Issue]:
    ids = tuple(sorted(catalog.partitions()))
    listing = ", ".join(ids)
    if value == "":
        return [
            Issue(
                "INVALID_PARTITION",
                "error",
                f"The partition is empty. Use aws for the commercial regions, or one of: {listing}.",
            )
        ]
    if has_variable(value) or value in ids:
        return []
    if has_wildcard(value):
        if any(matches(value, p) for p in ids):
            return []
        return [
            Issue(
                "INVALID_PARTITION",
                "error",
                f"The partition pattern '{value}' matches no partition. Partitions are: {listing}.",
            )
        ]
    fixed = value.strip().lower()
    if fixed in ids:
        return [
            Issue(
                "INVALID_PARTITION",
                "error",
                f"Partitions are written in lower case without spaces: use '{fixed}'.",
                fixed,
            )
        ]
    return [
        Issue(
            "INVALID_PARTITION",
            "error",
            f"'{value}' is not an AWS partition.{did_you_mean(closest(value.lower(), ids, 0.6))} "
            f"Partitions are: {listing}.",
        )
    ]


def service_issues(value: str) -> list[Issue]:
    if value == "":
        return [
            Issue(
                "MISSING_ARN_FIELD",
                "error",
                "The service part is empty: name the service the resource belongs to, e.g. xray.",
            )
        ]
    if has_variable(value):
        return []
    if value != value.strip():
        return [
            Issue(
                "INVALID_SERVICE",
                "error",
                "The service part has spaces around it: remove them.",
                value.strip(),
            )
        ]
    if has_wildcard(value):
        return [
            Issue(
                "WILDCARD_IN_ARN_SERVICE",
                "warning",
                "The IAM User Guide says wildcards cannot be used in the service part of an "
                "ARN: name the service (e.g. xray) and put wildcards in the other parts.",
            )
        ]
    lowered = value.lower()
    if lowered != value and _SERVICE_CHARS.fullmatch(lowered):
        return [
            Issue(
                "INVALID_ARN_SERVICE_CASE",
                "error",
                f"The service in an ARN is lower case: use '{lowered}'.",
                lowered,
            )
        ]
    if not _SERVICE_CHARS.fullmatch(value):
        return [
            Issue(
                "INVALID_SERVICE",
                "error",
                f"'{value}' is not a service name: service names hold only lower-case letters, "
                "digits and dashes (e.g. xray).",
            )
        ]
    known = catalog.all_service_prefixes()
    if value not in known and value not in catalog.arn_services():
        near = closest(value, catalog.related_service_prefixes(), 0.7) or closest(value, sorted(known), 0.8)
        return [
            Issue(
                "INVALID_SERVICE",
                "warning",
                f"No AWS service is named '{value}'.{did_you_mean(near)} Check the service part.",
            )
        ]
    return []


def candidate_partitions(partition: str) -> list[Partition]:
    """Partitions an ARN's partition part can stand for (all of them when it is unusable)."""
    parts = catalog.partitions()
    if partition in parts:
        return [parts[partition]]
    matched = [p for pid, p in parts.items() if has_wildcard(partition) and matches(partition, pid)]
    return matched or list(parts.values())


def _partitions_label(partitions: list[Partition]) -> str:
    if len(partitions) == 1:
        return f"the {partitions[0].id} partition"
    if len(partitions) == len(catalog.partitions()):
        return "any partition"
    return "the " + ", ".join(p.id for p in partitions) + " partitions"


def region_issues(value: str, partitions: list[Partition], service: str) -> list[Issue]:
    if value == "" or has_variable(value):
        return []
    names = _partitions_label(partitions)
    known = [r for p in partitions for r in p.regions]
    if value != value.strip() or " " in value:
        squeezed = "".join(value.split())
        fix = squeezed if REGION_SHAPE.fullmatch(squeezed) or has_wildcard(squeezed) else None
        return [Issue("INVALID_ARN_REGION", "error", "The region has spaces in it: remove them.", fix)]
    if has_wildcard(value):
        if not re.fullmatch(r"[a-z0-9*?-]+", value):
            return [
                Issue(
                    "INVALID_ARN_REGION",
                    "error",
                    f"The region pattern '{value}' holds characters no region has: regions use "
                    "lower-case letters, digits and dashes (e.g. us-east-1 or us-*).",
                )
            ]
        if any(matches(value, r) for r in known) or all(c in "*?" for c in value):
            return []
        return [
            Issue(
                "INVALID_REGION",
                "warning",
                f"The region pattern '{value}' matches none of the regions of {names} that "
                "xraybuilder knows: check it.",
            )
        ]
    if not _REGION_WORDS.fullmatch(value):
        lowered = value.lower()
        if lowered != value and REGION_SHAPE.fullmatch(lowered):
            return [
                Issue(
                    "INVALID_ARN_REGION", "error", f"Region codes are lower case: use '{lowered}'.", lowered
                )
            ]
        near = closest(lowered, known)
        return [
            Issue(
                "INVALID_ARN_REGION",
                "error",
                f"'{value}' is not a region code: codes are lower-case words and a number "
                f"joined by dashes, like us-east-1.{did_you_mean(near)}",
            )
        ]
    owners = [p for p in partitions if p.region_matches(value) or value in p.regions]
    if not owners:
        other = catalog.partition_for_region(value)
        if other is not None and other not in partitions:
            return [
                Issue(
                    "INVALID_REGION",
                    "error",
                    f"{value} is a region of the {other.id} partition, not of {names}: use "
                    f"arn:{other.id}:… or a region of {names}.",
                )
            ]
        shape = "" if REGION_SHAPE.fullmatch(value) else " Region codes end with a number, like us-east-1."
        return [
            Issue(
                "INVALID_REGION",
                "error",
                f"{value} is not a region of {names}.{shape}{did_you_mean(closest(value, known))}",
            )
        ]
    owned = [r for p in owners for r in p.regions]
    if value not in owned:
        stem = value.rsplit("-", 1)[0]
        near = closest(value, owned)
        if any(r.rsplit("-", 1)[0] == stem for r in owned) or near is None:
            # Looks like a region AWS may have opened after the catalog was generated.
            return [
                Issue(
                    "INVALID_REGION",
                    "warning",
                    f"{value} is not a region of {names} that xraybuilder knows (its list may "
                    f"predate a new region): check the spelling.{did_you_mean(near)}",
                )
            ]
        return [Issue("INVALID_REGION", "error", f"{value} is not a region of {names}.{did_you_mean(near)}")]
    if service == "xray" and not any(value in p.xray_regions for p in owners):
        return [
            Issue(
                "SERVICE_UNAVAILABLE_IN_REGION",
                "warning",
                f"AWS X-Ray has no endpoint in {value} (per the endpoint data xraybuilder ships), so "
                "no X-Ray resource can exist there: check the region.",
            )
        ]
    return []


def account_issues(value: str, service: str) -> list[Issue]:
    if value == "" or has_variable(value):
        return []
    if has_wildcard(value):
        fixed_len = sum(1 for c in value if c != "*")
        if not re.fullmatch(r"[0-9*?]+", value):
            return [
                Issue(
                    "INVALID_ARN_ACCOUNT",
                    "error",
                    f"The account pattern '{value}' holds characters other than digits, * and ?: "
                    "an account ID is 12 digits.",
                )
            ]
        if fixed_len > _ACCOUNT_DIGITS or ("*" not in value and fixed_len != _ACCOUNT_DIGITS):
            return [
                Issue(
                    "INVALID_ARN_ACCOUNT",
                    "error",
                    f"The account pattern '{value}' can never match a 12-digit account ID.",
                )
            ]
        return []
    if value == "aws":
        # AWS managed policies live in the pseudo-account "aws". Of the services X-Ray
        # policies use, only IAM has such ARNs; other services have some (SageMaker's
        # public hub), so elsewhere "aws" is left alone.
        if service == "iam" or service not in catalog.related_service_prefixes():
            return []
        return [
            Issue(
                "INVALID_ARN_ACCOUNT",
                "error",
                f"'aws' is only the account of AWS managed IAM policies: a {service} ARN needs a "
                "12-digit account ID (or * for any account).",
            )
        ]
    digits = re.sub(r"[\s-]", "", value)
    if digits != value and digits.isdigit() and len(digits) == _ACCOUNT_DIGITS:
        return [
            Issue(
                "INVALID_ARN_ACCOUNT",
                "error",
                f"Write the account ID as 12 digits without dashes or spaces: {digits}.",
                digits,
            )
        ]
    if value.isdigit():
        if len(value) == _ACCOUNT_DIGITS:
            return []
        return [
            Issue(
                "INVALID_ARN_ACCOUNT",
                "error",
                f"The account ID has {len(value)} digits; AWS account IDs have exactly 12 "
                "(keep any leading zeros).",
            )
        ]
    return [
        Issue(
            "INVALID_ARN_ACCOUNT",
            "error",
            f"'{value}' is not an account ID: use the 12-digit account ID, or * for any account.",
        )
    ]


def name_issues(value: str, label: str) -> list[Issue]:
    """Length and character rules for an X-Ray group or sampling-rule name (pattern allowed)."""
    if has_variable(value):
        # A variable's value is only known per request; check the literal rest.
        value = _VARIABLE.sub("*", value)
        if "${" in value:
            return []  # a broken variable: the grammar family reports its syntax
    if value == "":
        return [
            Issue(
                "INVALID_ARN_RESOURCE",
                "error",
                f"The {label} is empty: X-Ray names are 1-{XRAY_NAME_MAX} characters.",
            )
        ]
    fixed = sum(1 for c in value if c != "*")
    if fixed > XRAY_NAME_MAX:
        return [
            Issue(
                "INVALID_ARN_RESOURCE",
                "error",
                f"The {label} is {fixed} characters long; X-Ray names have at most {XRAY_NAME_MAX}, "
                "so this ARN matches nothing.",
            )
        ]
    rule = names.GROUP_RULE if label.startswith("group") else names.SAMPLING_RULE_RULE
    odd = sorted({c for c in value if c not in "*?" and not rule.pattern.fullmatch(c)})
    if odd:
        shown = " ".join(repr(c) for c in odd)
        return [
            Issue(
                "UNUSUAL_RESOURCE_NAME",
                "warning",
                f"The {label} holds {shown}: {rule.source}, so xraybuilder builds names of "
                f"{rule.allowed} only. Check that a resource with this name can exist.",
            )
        ]
    return []
