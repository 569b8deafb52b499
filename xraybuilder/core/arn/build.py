"""Building X-Ray ARNs by filling in the catalog's ARN formats."""

from __future__ import annotations

import re

from xraybuilder.core import catalog
from xraybuilder.core.arn.templates import PLACEHOLDER
from xraybuilder.core.catalog import ResourceType

# -- building X-Ray ARNs -----------------------------------------------------------------


def fill_template(rtype: ResourceType, partition: str, region: str, account: str, *values: str) -> str:
    """The resource type's catalog ARN format with its placeholders filled in order."""
    fixed = {"Partition": partition, "Region": region, "Account": account}
    rest = iter(values)

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in fixed:
            return fixed[key]
        value = next(rest, None)
        if value is None:
            raise ValueError(f"{rtype.arn_template} needs a value for ${{{key}}}")
        return value

    return PLACEHOLDER.sub(sub, rtype.arn_template)


def group_arn(partition: str, region: str, account: str, name: str, group_id: str = "*") -> str:
    """An X-Ray group ARN; the Id is generated at creation, so it defaults to ``*``."""
    return fill_template(catalog.xray().resource_types["group"], partition, region, account, name, group_id)


def sampling_rule_arn(partition: str, region: str, account: str, name: str) -> str:
    """An X-Ray sampling-rule ARN (a rule's ARN is defined by its name alone)."""
    return fill_template(catalog.xray().resource_types["sampling-rule"], partition, region, account, name)
