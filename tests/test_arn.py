"""ARNs: splitting, per-part checks with offsets, X-Ray builders, field validation, type matching."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xraybuilder.core import arn, catalog

ACCOUNT = "123456789012"
GROUP = f"arn:aws:xray:us-east-1:{ACCOUNT}:group/checkout/*"
RULE = f"arn:aws:xray:us-east-1:{ACCOUNT}:sampling-rule/checkout"


def only(text: str) -> arn.ArnProblem:
    """The single problem check_arn finds in ``text``."""
    problems = arn.check_arn(text).problems
    assert len(problems) == 1, problems
    return problems[0]


# -- splitting ---------------------------------------------------------------------------


def test_parse_splits_six_parts_with_offsets() -> None:
    parsed = arn.parse_arn(GROUP)
    assert parsed is not None
    assert (parsed.partition, parsed.service, parsed.region, parsed.account, parsed.resource) == (
        "aws",
        "xray",
        "us-east-1",
        ACCOUNT,
        "group/checkout/*",
    )
    start, end = parsed.span("region")
    assert GROUP[start:end] == "us-east-1"
    assert parsed.with_part("region", "eu-west-1") == GROUP.replace("us-east-1", "eu-west-1")


def test_resource_part_keeps_its_colons() -> None:
    parsed = arn.parse_arn("arn:aws:logs:us-east-1:123456789012:log-group:/aws/x:*")
    assert parsed is not None and parsed.resource == "log-group:/aws/x:*"


def test_colons_inside_policy_variables_do_not_split() -> None:
    text = "arn:aws:xray:${aws:RequestedRegion}:${aws:PrincipalAccount}:group/x/*"
    parsed = arn.parse_arn(text)
    assert parsed is not None
    assert parsed.region == "${aws:RequestedRegion}"
    assert parsed.account == "${aws:PrincipalAccount}"
    assert arn.check_arn(text).problems == ()


def test_too_few_parts_is_not_an_arn() -> None:
    assert arn.parse_arn("arn:aws:xray:us-east-1:group/x") is None


# -- valid ARNs --------------------------------------------------------------------------


@pytest.mark.parametrize("partition", sorted(catalog.partitions()))
def test_every_partition_with_each_of_its_xray_regions_is_valid(partition: str) -> None:
    regions = catalog.partitions()[partition].xray_regions
    assert regions
    for region in regions:
        for text in (
            arn.group_arn(partition, region, ACCOUNT, "ops"),
            arn.sampling_rule_arn(partition, region, ACCOUNT, "Default"),
        ):
            assert arn.check_arn(text).problems == (), text


@pytest.mark.parametrize(
    "text",
    [
        "arn:aws:xray:*:*:*",
        "arn:aws:xray:*:*:group/*",
        "arn:aws:xray:us-east-?:1234567890??:group/check*/*",
        "arn:*:xray:*:*:sampling-rule/*",
        "arn:aws-iso*:xray:us-iso*:*:group/ops/*",
        "arn:aws:xray:*:123456789012:group/${aws:username}/*",
        "arn:aws:oam:*:*:link/*",
        "arn:aws:oam:*:*:sink/*",
        "arn:aws:iam::aws:policy/AWSXrayReadOnlyAccess",
        "arn:aws:iam::123456789012:role/xray-daemon",
        "arn:aws:s3:::my-bucket/*",
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
        "arn:aws:ssm:us-east-1::parameter/aws/service/*",
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x:*",
    ],
)
def test_valid_arns_have_no_problems(text: str) -> None:
    assert arn.check_arn(text).problems == ()


# -- invalid ARNs: code, level, part, the exact characters pointed at, and the fix -------


@pytest.mark.parametrize(
    ("text", "code", "level", "part", "pointed", "fix"),
    [
        (
            "arm:aws:xray:us-east-1:123456789012:group/x/*",
            "INVALID_ARN_PREFIX",
            "error",
            "prefix",
            "arm",
            "arn:aws:xray:us-east-1:123456789012:group/x/*",
        ),
        (
            "ARN:aws:xray:us-east-1:123456789012:group/x/*",
            "INVALID_ARN_PREFIX",
            "error",
            "prefix",
            "ARN",
            "arn:aws:xray:us-east-1:123456789012:group/x/*",
        ),
        (
            "aws:xray:us-east-1:123456789012:group/x/*",
            "INVALID_ARN_PREFIX",
            "error",
            "prefix",
            "aws",
            "arn:aws:xray:us-east-1:123456789012:group/x/*",
        ),
        ("group/checkout", "INVALID_ARN_PREFIX", "error", "prefix", "group/checkout", None),
        (
            "arn:aws:xray:us-east-1:group/checkout",
            "MISSING_ARN_FIELD",
            "error",
            "resource",
            "arn:aws:xray:us-east-1:group/checkout",
            None,
        ),
        (
            "arn:aws:xray:*",
            "MISSING_ARN_FIELD",
            "warning",
            "resource",
            "arn:aws:xray:*",
            "arn:aws:xray:*:*:*",
        ),
        (
            "arn:aws-eu:xray:us-east-1:123456789012:group/x/*",
            "INVALID_PARTITION",
            "error",
            "partition",
            "aws-eu",
            None,
        ),
        (
            "arn:AWS:xray:us-east-1:123456789012:group/x/*",
            "INVALID_PARTITION",
            "error",
            "partition",
            "AWS",
            "arn:aws:xray:us-east-1:123456789012:group/x/*",
        ),
        ("arn::xray:us-east-1:123456789012:group/x/*", "INVALID_PARTITION", "error", "partition", "::", None),
        (
            "arn:aws:XRay:us-east-1:123456789012:group/x/*",
            "INVALID_ARN_SERVICE_CASE",
            "error",
            "service",
            "XRay",
            "arn:aws:xray:us-east-1:123456789012:group/x/*",
        ),
        (
            "arn:aws:xrya:us-east-1:123456789012:group/x/*",
            "INVALID_SERVICE",
            "warning",
            "service",
            "xrya",
            None,
        ),
        ("arn:aws:*:*:*:*", "WILDCARD_IN_ARN_SERVICE", "warning", "service", "*", None),
        ("arn:aws:xray:us-east:123456789012:group/x/*", "INVALID_REGION", "error", "region", "us-east", None),
        (
            "arn:aws:xray:us_east_1:123456789012:group/x/*",
            "INVALID_ARN_REGION",
            "error",
            "region",
            "us_east_1",
            None,
        ),
        (
            "arn:aws:xray:US-EAST-1:123456789012:group/x/*",
            "INVALID_ARN_REGION",
            "error",
            "region",
            "US-EAST-1",
            "arn:aws:xray:us-east-1:123456789012:group/x/*",
        ),
        (
            "arn:aws:xray:us-eest-1:123456789012:group/x/*",
            "INVALID_REGION",
            "error",
            "region",
            "us-eest-1",
            None,
        ),
        (
            "arn:aws:xray:cn-north-1:123456789012:group/x/*",
            "INVALID_REGION",
            "error",
            "region",
            "cn-north-1",
            None,
        ),
        (
            "arn:aws:xray:ap-southeast-9:123456789012:group/x/*",
            "INVALID_REGION",
            "warning",
            "region",
            "ap-southeast-9",
            None,
        ),
        (
            "arn:aws:xray:me-west-1:123456789012:group/x/*",
            "SERVICE_UNAVAILABLE_IN_REGION",
            "warning",
            "region",
            "me-west-1",
            None,
        ),
        ("arn:aws:xray::123456789012:group/x/*", "MISSING_ARN_REGION", "error", "region", "::", None),
        ("arn:aws:xray:us-east-1:12345:group/x/*", "INVALID_ARN_ACCOUNT", "error", "account", "12345", None),
        (
            "arn:aws:xray:us-east-1:1234-5678-9012:group/x/*",
            "INVALID_ARN_ACCOUNT",
            "error",
            "account",
            "1234-5678-9012",
            "arn:aws:xray:us-east-1:123456789012:group/x/*",
        ),
        ("arn:aws:xray:us-east-1:aws:group/x/*", "INVALID_ARN_ACCOUNT", "error", "account", "aws", None),
        (
            "arn:aws:xray:us-east-1:12345678901234*:group/x/*",
            "INVALID_ARN_ACCOUNT",
            "error",
            "account",
            "12345678901234*",
            None,
        ),
        ("arn:aws:xray:us-east-1::group/x/*", "INVALID_ARN_ACCOUNT", "error", "account", "::", None),
        (
            "arn:aws:s3:us-east-1::my-bucket",
            "ARN_REGION_NOT_ALLOWED",
            "error",
            "region",
            "us-east-1",
            "arn:aws:s3:::my-bucket",
        ),
        (
            "arn:aws:iam:us-east-1:123456789012:role/x",
            "ARN_REGION_NOT_ALLOWED",
            "error",
            "region",
            "us-east-1",
            "arn:aws:iam::123456789012:role/x",
        ),
        ("arn:aws:s3:::my-bucket", None, None, None, None, None),
        (
            "arn:aws:s3::123456789012:my-bucket",
            "ARN_ACCOUNT_NOT_ALLOWED",
            "error",
            "account",
            "123456789012",
            "arn:aws:s3:::my-bucket",
        ),
        (
            "arn:aws:xray:us-east-1:123456789012:groups/checkout/*",
            "INVALID_ARN_RESOURCE",
            "error",
            "resource",
            "groups/checkout/*",
            None,
        ),
        (
            "arn:aws:xray:us-east-1:123456789012:group/local-users",
            "INVALID_ARN_RESOURCE",
            "error",
            "resource",
            "group/local-users",
            "arn:aws:xray:us-east-1:123456789012:group/local-users/*",
        ),
        (
            "arn:aws:xray:us-east-1:123456789012:group/local-users/",
            "INVALID_ARN_RESOURCE",
            "error",
            "resource",
            "group/local-users/",
            "arn:aws:xray:us-east-1:123456789012:group/local-users/*",
        ),
        ("arn:aws:xray:us-east-1:123456789012:", "INVALID_ARN_RESOURCE", "error", "resource", ":", None),
        (
            "arn:aws:xray:us-east-1:123456789012:group/" + "n" * 33 + "/*",
            "INVALID_ARN_RESOURCE",
            "error",
            "resource",
            "n" * 33,
            None,
        ),
        (
            "arn:aws:xray:us-east-1:123456789012:group/my_group/*",
            "UNUSUAL_RESOURCE_NAME",
            "warning",
            "resource",
            "my_group",
            None,
        ),
        (
            "arn:aws:xray:us-east-1:123456789012:sampling-rule/base.rule",
            "UNUSUAL_RESOURCE_NAME",
            "warning",
            "resource",
            "base.rule",
            None,
        ),
    ],
)
def test_each_problem_names_its_part_and_points_at_it(
    text: str,
    code: str | None,
    level: str | None,
    part: str | None,
    pointed: str | None,
    fix: str | None,
) -> None:
    if code is None:
        assert arn.check_arn(text).problems == ()
        return
    problem = only(text)
    assert (problem.code, problem.level, problem.part) == (code, level, part)
    assert text[problem.start : problem.end] == pointed
    assert problem.fix == fix
    if fix is not None:
        assert arn.check_arn(fix).ok


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = "arn:aws:XRay:us-eest-1:12345:group/x"
    codes = [p.code for p in arn.check_arn(text).problems]
    assert codes == [
        "INVALID_ARN_SERVICE_CASE",
        "INVALID_REGION",
        "INVALID_ARN_ACCOUNT",
        "INVALID_ARN_RESOURCE",
    ]


def test_messages_say_what_to_do() -> None:
    assert "Did you mean us-east-1?" in only("arn:aws:xray:us-eest-1:123456789012:group/x/*").message
    assert "end with a number" in only("arn:aws:xray:us-east:123456789012:group/x/*").message
    assert "arn:aws-cn:" in only("arn:aws:xray:cn-north-1:123456789012:group/x/*").message
    missing_id = only("arn:aws:xray:us-east-1:123456789012:group/local-users").message
    assert "${Id}" in missing_id and "'/*'" in missing_id
    assert "group/${GroupName}/${Id}" in only("arn:aws:xray:us-east-1:123456789012:groups/x/*").message
    assert "account ID seems to be missing" in only("arn:aws:xray:us-east-1:group/checkout").message


def test_names_are_one_to_32_characters_wildcards_aside() -> None:
    base = "arn:aws:xray:us-east-1:123456789012:sampling-rule/"
    assert arn.check_arn(base + "r" * 32).problems == ()
    assert only(base + "r" * 33).code == "INVALID_ARN_RESOURCE"
    assert arn.check_arn(base + "r" * 32 + "*").problems == ()  # * may match nothing
    assert only(base + "r" * 32 + "?").code == "INVALID_ARN_RESOURCE"  # ? is one more character
    assert only("arn:aws:xray:us-east-1:123456789012:group//*").code == "INVALID_ARN_RESOURCE"


def test_a_broken_variable_is_left_to_the_grammar_family() -> None:
    text = "arn:aws:xray:*:123456789012:group/${aws:username/*"
    assert [p.code for p in arn.check_arn(text).problems] == []


def test_empty_and_odd_input_never_raises() -> None:
    for text in ("", ":", ":::::", "arn", "arn:", "${", "arn:aws:xray:${aws:x:y:z", "\u00ff" * 3):
        result = arn.check_arn(text)
        assert all(0 <= p.start <= p.end <= len(text) for p in result.problems)
    assert only("").code == "INVALID_ARN_PREFIX"


# -- builders and fields -----------------------------------------------------------------


def test_builders_fill_the_catalog_formats() -> None:
    assert arn.group_arn("aws", "us-east-1", ACCOUNT, "local-users") == (
        "arn:aws:xray:us-east-1:123456789012:group/local-users/*"
    )
    assert arn.group_arn("aws-cn", "cn-north-1", ACCOUNT, "ops", "abc123") == (
        "arn:aws-cn:xray:cn-north-1:123456789012:group/ops/abc123"
    )
    assert arn.sampling_rule_arn("aws-us-gov", "us-gov-west-1", ACCOUNT, "Default") == (
        "arn:aws-us-gov:xray:us-gov-west-1:123456789012:sampling-rule/Default"
    )
    with pytest.raises(ValueError, match="needs a value"):
        arn.fill_template(catalog.xray().resource_types["group"], "aws", "us-east-1", ACCOUNT, "ops")


@pytest.mark.parametrize(
    ("field", "value", "partition", "expected"),
    [
        ("region", "us-eest-1", "aws", "did you mean us-east-1?"),
        ("region", "us-east-1", "aws", None),
        ("region", "cn-north-1", "aws-cn", None),
        ("region", "cn-north-1", "aws", "aws-cn partition"),
        ("region", "me-west-1", "aws", "no endpoint"),
        ("region", "", "aws", "region"),
        ("partition", "aws-iso-f", "aws", None),
        ("partition", "aws-gov", "aws", "did you mean aws-us-gov?"),
        ("account", "123456789012", "aws", None),
        ("account", "12345678901", "aws", "11 digits"),
        ("account", "", "aws", "12-digit"),
        ("group_name", "local-users", "aws", None),
        ("group_name", "x" * 33, "aws", "at most 32"),
        ("group_name", "", "aws", "empty"),
        ("group_name", "team_a", "aws", "letters, digits and dashes"),
        ("group_id", "*", "aws", None),
        ("group_id", "", "aws", "use *"),
        ("sampling_rule_name", "base-scorekeep", "aws", None),
    ],
)
def test_validate_field_per_keystroke(field: str, value: str, partition: str, expected: str | None) -> None:
    message = arn.validate_field(field, value, partition=partition)
    if expected is None:
        assert message is None
    else:
        assert message is not None and expected.lower() in message.lower()


def test_field_problems_carry_level_and_fix() -> None:
    (problem,) = arn.field_problems("account", "1234 5678 9012")
    assert (problem.code, problem.level, problem.fix) == ("INVALID_ARN_ACCOUNT", "error", "123456789012")
    (warning,) = arn.field_problems("region", "me-west-1")
    assert warning.level == "warning"
    with pytest.raises(ValueError, match="unknown ARN field"):
        arn.field_problems("colour", "blue")


# -- which resource types an ARN can denote ----------------------------------------------


def names(text: str) -> set[str]:
    return {f"{t.service}:{t.name}" for t in arn.resource_types_for(text)}


def test_resource_types_for_x_ray_arns() -> None:
    assert names(GROUP) == {"xray:group"}
    assert names(RULE) == {"xray:sampling-rule"}
    assert names("arn:aws:xray:*:*:*") == {"xray:group", "xray:sampling-rule"}
    assert names("arn:aws:xray:*:*:gr*") == {"xray:group"}
    assert names("arn:aws:xray:*") == {"xray:group", "xray:sampling-rule"}
    assert names("arn:aws:xray:us-east-1:123456789012:group/local-users") == set()
    assert names("arn:aws:xray::123456789012:group/x/*") == set()  # a group ARN has a region
    assert names("arn:aws:xray:*:*:group/${aws:username}/*") == {"xray:group"}


def test_resource_types_for_other_services() -> None:
    # sts's role type has IAM's ARN format, so an IAM role ARN is both (and EC2's and
    # Systems Manager's role types too).
    assert names("arn:aws:iam::123456789012:role/x") == {"iam:role", "sts:role", "ec2:role", "ssm:iam-role"}
    assert names("arn:aws:oam:*:*:link/*") == {"oam:Link"}
    # Systems Manager has a bucket type of its own with S3's ARN format.
    assert names("arn:aws:s3:::bucket") == {"s3:bucket", "ssm:bucket"}
    # A bucket name never holds "/" (the object format follows it with one).
    assert {n for n in names("arn:aws:s3:::bucket/*") if n.startswith("s3:")} == {"s3:object"}
    assert {n for n in names("arn:aws:s3:::bucket*") if n.startswith("s3:")} == {"s3:bucket", "s3:object"}
    # An alias name may hold "/" (alias/aws/xray is X-Ray's AWS managed key).
    assert {
        n for n in names("arn:aws:kms:us-east-1:123456789012:alias/aws/xray") if n.startswith("kms:")
    } == {"kms:alias"}
    assert "ec2:instance" in names("arn:aws:ec2:us-east-1:123456789012:instance/i-1")
    assert names("arn:aws:logs:*:*:log-group:/aws/xray:*") >= {"logs:log-group"}
    assert names("group/x") == set()
    held = [catalog.service(p) for p in catalog.service_prefixes()]
    assert len(arn.resource_types_for("*")) == sum(len(s.resource_types) for s in held if s is not None)


def test_can_denote() -> None:
    group = catalog.xray().resource_types["group"]
    rule = catalog.xray().resource_types["sampling-rule"]
    assert arn.can_denote(GROUP, group) and not arn.can_denote(GROUP, rule)
    assert arn.can_denote("arn:aws:xray:*:*:*", rule)


# -- properties --------------------------------------------------------------------------

_name = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=arn.XRAY_NAME_MAX
)
_account = st.text("0123456789", min_size=12, max_size=12)
_place = st.sampled_from(sorted(catalog.partitions())).flatmap(
    lambda p: st.tuples(st.just(p), st.sampled_from(catalog.partitions()[p].xray_regions))
)


@settings(max_examples=100, deadline=None)
@given(_place, _account, _name, st.one_of(st.just("*"), st.text("abcdef0123456789", min_size=1)))
def test_group_round_trip(place: tuple[str, str], account: str, name: str, group_id: str) -> None:
    partition, region = place
    text = arn.group_arn(partition, region, account, name, group_id)
    parsed = arn.parse_arn(text)
    assert parsed is not None
    assert (parsed.partition, parsed.service, parsed.region, parsed.account) == (
        partition,
        "xray",
        region,
        account,
    )
    assert parsed.resource == f"group/{name}/{group_id}"
    assert arn.check_arn(text).problems == ()
    assert names(text) == {"xray:group"}


@settings(max_examples=100, deadline=None)
@given(_place, _account, _name)
def test_sampling_rule_round_trip(place: tuple[str, str], account: str, name: str) -> None:
    partition, region = place
    text = arn.sampling_rule_arn(partition, region, account, name)
    parsed = arn.parse_arn(text)
    assert parsed is not None and parsed.resource == f"sampling-rule/{name}"
    assert arn.check_arn(text).problems == ()
    assert names(text) == {"xray:sampling-rule"}
    for field, value in (
        ("partition", partition),
        ("region", region),
        ("account", account),
        ("sampling_rule_name", name),
    ):
        assert arn.validate_field(field, value, partition=partition) is None


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)
    | st.lists(
        st.sampled_from(
            ["arn", "aws", "xray", "*", "?", "", "${aws:x}", "us-east-1", "group/a", ACCOUNT, "X", "/", "${"]
        ),
        max_size=8,
    ).map(":".join)
)
def test_any_text_is_checked_without_raising(text: str) -> None:
    result = arn.check_arn(text)
    for p in result.problems:
        assert 0 <= p.start <= p.end <= len(text)
        assert p.level in ("error", "warning") and p.message
    arn.resource_types_for(text)


@settings(max_examples=150, deadline=None)
@given(_name, st.text("abcdef0123456789", min_size=1, max_size=12), st.data())
def test_a_wildcarded_group_arn_still_denotes_groups(name: str, group_id: str, data: st.DataObject) -> None:
    resource = f"group/{name}/{group_id}"
    # Replace any slice of the resource part with "*", and any one character with "?".
    i = data.draw(st.integers(0, len(resource)))
    j = data.draw(st.integers(i, len(resource)))
    pattern = resource[:i] + "*" + resource[j:]
    k = data.draw(st.integers(0, len(pattern) - 1))
    if pattern[k] != "*":
        pattern = pattern[:k] + "?" + pattern[k + 1 :]
    text = f"arn:aws:xray:us-east-1:{ACCOUNT}:{pattern}"
    assert "xray:group" in names(text)
    assert "xray:group" not in names(text.replace(":xray:", ":oam:"))


def test_sts_assumed_role_session_arn_is_valid() -> None:
    # The catalog's overlay adds STS's own session ARN form beside IAM's.
    from xraybuilder.core.arn import check_arn

    assert check_arn("arn:aws:sts::123456789012:assumed-role/app-role/session-1").ok
    assert not check_arn("arn:aws:sts::123456789012:assumed-rolx/app-role/session-1").ok
