"""Context every real request carries (aws:RequestedRegion) and context values of a type."""

from __future__ import annotations

import pytest

from xraybuilder.core.evaluate import Request, evaluate
from xraybuilder.core.evaluate.request import arn_region, check_context, with_requested_region
from xraybuilder.core.policy.model import Policy

GROUP = "arn:aws:xray:eu-west-1:123456789012:group/web/ABC"


@pytest.mark.parametrize(
    ("resource", "region"),
    [
        (GROUP, "eu-west-1"),
        ("arn:aws-cn:xray:cn-north-1:123456789012:sampling-rule/r", "cn-north-1"),
        ("arn:aws:iam::123456789012:role/r", None),
        ("arn:aws:s3:::bucket/key", None),
        ("arn:aws:xray:*:123456789012:group/web/*", None),
        ("*", None),
    ],
)
def test_the_region_of_a_resource(resource: str, region: str | None) -> None:
    assert arn_region(resource) == region


def test_requested_region_is_filled_and_recorded() -> None:
    request = with_requested_region(Request.build("xray:GetGroup", GROUP))
    assert request.get("aws:requestedregion") == "eu-west-1"
    assert request.assumed == (("aws:RequestedRegion", "the Region of the resource ARN"),)
    given = with_requested_region(Request.build("xray:GetGroup", GROUP), "us-west-2")
    assert given.get("aws:RequestedRegion") == "us-west-2"
    assert given.assumed == (("aws:RequestedRegion", "the Region given"),)
    # Nothing to go on, or a value already given: the request is left as it is.
    bare = Request.build("xray:GetGroups")
    assert with_requested_region(bare) is bare
    explicit = Request.build("xray:GetGroup", GROUP, context={"AWS:RequestedRegion": "us-east-1"})
    assert with_requested_region(explicit, "eu-west-1") is explicit
    assert request.to_json()["assumed"] == {"aws:RequestedRegion": "the Region of the resource ARN"}
    assert "assumed" not in bare.to_json()


def test_a_region_condition_decides_with_the_filled_key() -> None:
    policy = Policy.from_json(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "xray:GetGroup",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
                }
            ],
        }
    )
    request = Request.build("xray:GetGroup", GROUP)
    assert evaluate([policy], request).outcome == "implicit_deny"
    assert evaluate([policy], with_requested_region(request)).outcome == "allowed"


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"aws:SourceIp": "notanip"}, "'notanip' for aws:SourceIp is not an IP address"),
        ({"aws:sourceip": ["203.0.113.7", "x"]}, "'x' for aws:sourceip is not an IP address"),
        ({"aws:CurrentTime": "yesterday"}, "'yesterday' for aws:CurrentTime is not a date"),
        ({"aws:MultiFactorAuthPresent": "yes"}, "'yes' for aws:MultiFactorAuthPresent is not true or false"),
        ({"aws:MultiFactorAuthAge": "1h"}, "'1h' for aws:MultiFactorAuthAge is not a number"),
    ],
)
def test_context_values_outside_their_type_are_refused(context: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_context(Request.build("xray:GetGroups", context=context))


def test_context_values_of_the_right_type_pass() -> None:
    check_context(
        Request.build(
            "xray:GetGroups",
            context={
                "aws:SourceIp": "2001:db8::1",
                "aws:CurrentTime": "2027-01-01",
                "aws:EpochTime": "1798761600",
                "aws:MultiFactorAuthPresent": True,
                "aws:MultiFactorAuthAge": 300,
                "aws:username": "anything at all",
                "aws:RequestTag/stage": "prod",
            },
        )
    )
