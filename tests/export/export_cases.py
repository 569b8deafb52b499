"""The bundles every export test renders: each preset, in each partition, with its variants."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from xraybuilder.core import catalog
from xraybuilder.core.bundle import Bundle, build
from xraybuilder.core.scenarios import load_library

ACCOUNT = "123456789012"
PRESETS = tuple(sorted(load_library().presets))
PARTITIONS = tuple(catalog.partitions())

# Parameter sets beyond the defaults, so every branch of every preset is exported.
VARIANTS: Mapping[str, tuple[Mapping[str, str], ...]] = {
    "beanstalk": ({}, {"policy": "managed"}),
    "console-read": ({}, {"policy": "managed"}),
    "ec2": (
        {},
        {"daemon_download": "s3-read-only", "policy": "managed"},
        {"daemon_download": "none", "role_name": "orders", "instance_profile_name": "orders-profile"},
    ),
    "ecs": ({}, {"daemon": "instance"}, {"policy": "managed"}),
    "encryption-admin": ({}, {"key": "aws-managed"}, {"key": "default", "require_mfa": "true"}),
    "group-admin": ({}, {"restrict_by_tag": "true", "tag_value": "orders", "list_groups": "false"}),
    "lambda": ({}, {"policy": "managed", "basic_execution": "false"}),
    "local-dev": ({}, {"policy": "managed", "profile": "tracing"}),
    "sampling-rule-admin": ({}, {"restrict_by_tag": "true", "tag_value": "orders"}),
}
ROLE_SCENARIOS = ("beanstalk", "ec2", "ecs", "lambda")


def region_of(partition: str) -> str:
    """A Region of the partition where X-Ray runs."""
    part = catalog.partitions()[partition]
    return (part.xray_regions or part.regions)[0]


def params(preset: str, partition: str = "aws", **extra: str) -> dict[str, str]:
    """Parameters that build ``preset`` in ``partition`` (required ones filled in)."""
    region = region_of(partition)
    out = {"partition": partition, "region": region, "account": ACCOUNT}
    if preset == "encryption-admin" and extra.get("key", "customer-managed") == "customer-managed":
        out["kms_key_arn"] = (
            f"arn:{partition}:kms:{region}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        )
        out["admin_arn"] = f"arn:{partition}:iam::{ACCOUNT}:role/xray-admin"
    out.update(extra)
    return out


def cases(
    partitions: tuple[str, ...] = PARTITIONS, presets: tuple[str, ...] = PRESETS
) -> Iterator[tuple[str, Bundle]]:
    """(test id, bundle) for every preset, variant and partition asked for."""
    for partition in partitions:
        for preset in presets:
            for i, variant in enumerate(VARIANTS.get(preset, ({},))):
                yield f"{preset}-{i}-{partition}", build(preset, params(preset, partition, **variant))
