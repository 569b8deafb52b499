"""Per-field validation of an X-Ray ARN typed into a form one field at a time.

Offsets and fixes are within the field's value, not a whole ARN.
"""

from __future__ import annotations

from xraybuilder.core.arn.model import ArnProblem, Issue
from xraybuilder.core.arn.parts import (
    account_issues,
    candidate_partitions,
    name_issues,
    partition_issues,
    region_issues,
)

FIELDS = ("partition", "region", "account", "group_name", "group_id", "sampling_rule_name")


def _field_issues(field: str, value: str, partition: str, service: str) -> list[Issue]:
    if field == "partition":
        return partition_issues(value)
    if field == "region":
        if value == "":
            return [
                Issue(
                    "MISSING_ARN_REGION",
                    "error",
                    "X-Ray resources live in a region: type one (e.g. us-east-1), or * for all.",
                )
            ]
        return region_issues(value, candidate_partitions(partition), service)
    if field == "account":
        if value == "":
            return [Issue("INVALID_ARN_ACCOUNT", "error", "Type the 12-digit account ID, or * for any.")]
        return account_issues(value, service)
    if field == "group_name":
        return name_issues(value, "group name")
    if field == "sampling_rule_name":
        return name_issues(value, "sampling-rule name")
    if field == "group_id":
        if value == "":
            return [
                Issue(
                    "INVALID_ARN_RESOURCE",
                    "error",
                    "X-Ray generates a group's Id when the group is created: use * unless you know it.",
                    "*",
                )
            ]
        if "/" in value or ":" in value:
            return [
                Issue(
                    "INVALID_ARN_RESOURCE",
                    "error",
                    "A group Id holds no '/' or ':': paste only the part after the group name.",
                )
            ]
        return []
    raise ValueError(f"unknown ARN field {field!r}; fields are {', '.join(FIELDS)}")


def field_problems(
    field: str, value: str, *, partition: str = "aws", service: str = "xray"
) -> tuple[ArnProblem, ...]:
    """Problems in one field of an X-Ray ARN typed on its own; offsets and fixes are within ``value``."""
    return tuple(
        ArnProblem(i.code, i.level, field, i.message, *(i.span or (0, len(value))), i.fix)
        for i in _field_issues(field, value, partition, service)
    )


def validate_field(field: str, value: str, *, partition: str = "aws", service: str = "xray") -> str | None:
    """The message of a field's worst problem (errors before warnings), or None when it is fine."""
    problems = sorted(
        field_problems(field, value, partition=partition, service=service), key=lambda p: not p.is_error
    )
    return problems[0].message if problems else None
