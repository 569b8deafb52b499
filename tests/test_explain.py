"""The plain-language explainer: summaries, comparisons, console capabilities, wildcard sets."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xraybuilder.core import catalog
from xraybuilder.core.evaluate import Request, evaluate, parse_operator
from xraybuilder.core.evaluate.match import resource_matches
from xraybuilder.core.evaluate.variables import parse_template
from xraybuilder.core.explain import Comparison, Summary, compare, summarize
from xraybuilder.core.explain.capabilities import capabilities
from xraybuilder.core.explain.conditions import describe, implies, normalize, wording
from xraybuilder.core.explain.grants import resource_scope, universe
from xraybuilder.core.explain.patterns import Scope, covered, overlaps, witness
from xraybuilder.core.managed import managed_policies, managed_policy
from xraybuilder.core.policy.model import Policy, PolicyShapeError

XRAY_ACTIONS = {a.full_name for a in catalog.xray().actions.values()}
GROUP_ARN = "arn:aws:xray:eu-west-1:123456789012:group/local-users/*"
TAG_POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "xray:*", "Resource": "*"},
        {
            "Effect": "Deny",
            "Action": "xray:CreateGroup",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestTag/stage": ["preprod", "prod"]}},
        },
        {
            "Effect": "Deny",
            "Action": ["xray:UpdateGroup", "xray:DeleteGroup"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/stage": ["preprod", "prod"]}},
        },
    ],
}


def doc(*statements: dict[str, Any]) -> Policy:
    return Policy.from_json({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def managed(name: str) -> Policy:
    found = managed_policy(name)
    assert found is not None
    return found.policy


def document_actions(name: str) -> set[str]:
    """The catalog actions a managed policy's document names, worked out independently."""
    out: set[str] = set()
    for statement in managed(name).statements:
        for pattern in statement.actions():
            out.update(a.full_name for a in catalog.expand_action(pattern))
    return out


def levels(summary: Summary, prefix: str = "xray") -> dict[str, list[str]]:
    svc = summary.service(prefix)
    assert svc is not None
    return {lv.level: lv.names() for lv in svc.levels}


def statuses(summary: Summary) -> dict[str, str]:
    return {c.id: c.status for c in summary.console}


# -- data files -------------------------------------------------------------------------


def test_console_capability_actions_are_catalog_actions() -> None:
    caps = capabilities()
    assert len({c.id for c in caps}) == len(caps) >= 6
    assert {
        "view-traces",
        "view-insights",
        "view-groups",
        "change-sampling-rules",
        "manage-groups",
        "change-encryption",
    } <= {c.id for c in caps}
    for cap in caps:
        assert cap.actions, cap.id
        for name in cap.actions + cap.needs:
            found = catalog.action(name)
            assert found is not None, f"{cap.id}: {name}"
            assert found.full_name == name, f"{cap.id}: spell {name} as {found.full_name}"


def test_condition_wording_names_real_keys_and_operators() -> None:
    table = wording()
    for key in table["keys"]:
        assert catalog.condition_key(key) is not None, key
    for operator, info in table["operators"].items():
        assert parse_operator(operator) is not None, operator
        if info.get("negated"):
            assert "none" in info, operator


# -- summaries of the managed policies ----------------------------------------------------


@pytest.mark.parametrize("name", list(managed_policies()))
def test_summary_lists_exactly_the_documented_actions(name: str) -> None:
    summary = summarize(managed(name))
    assert summary.allowed_actions() == document_actions(name)
    assert summary.denies == ()
    for svc in summary.allows:
        assert [lv.level for lv in svc.levels] == [
            lv for lv in catalog.ACCESS_LEVELS if lv in {x.level for x in svc.levels}
        ]
        for lv in svc.levels:
            assert all(a.action.access_level == lv.level for a in lv.actions)
            assert lv.names() == sorted(lv.names())
    json.dumps(summary.to_json())


def test_read_only_summary() -> None:
    summary = summarize(managed("AWSXrayReadOnlyAccess"))
    by_level = levels(summary)
    assert set(by_level) == {"List", "Read"}
    expected = Counter(
        catalog.action(a).access_level
        for a in document_actions(  # type: ignore[union-attr]
            "AWSXrayReadOnlyAccess"
        )
    )
    assert {lv: len(names) for lv, names in by_level.items()} == dict(expected)
    assert len(by_level["List"]) == 3 and len(by_level["Read"]) == 15
    svc = summary.service("xray")
    assert svc is not None and svc.action_count == 18 and svc.service_total == len(XRAY_ACTIONS)
    assert all(a.all_resources for a in svc.actions())
    assert all(s.resource_text == "all resources" for a in svc.actions() for s in a.scopes)
    assert statuses(summary) == {
        "view-traces": "yes",
        "view-insights": "yes",
        "view-groups": "yes",
        "view-sampling-rules": "yes",
        "change-sampling-rules": "no",
        "manage-groups": "no",
        "change-encryption": "no",
    }
    assert summary.notes == ()


def test_full_access_summary() -> None:
    summary = summarize(managed("AWSXrayFullAccess"))
    by_level = levels(summary)
    assert by_level["Permissions management"] == ["PutEncryptionConfig"]
    assert sum(len(v) for v in by_level.values()) == len(XRAY_ACTIONS)
    assert set(by_level) == set(catalog.ACCESS_LEVELS)
    assert set(statuses(summary).values()) == {"yes"}
    assert summary.capability("change-encryption").capability.note


@pytest.mark.parametrize("name", ["AWSXRayDaemonWriteAccess", "AWSXrayWriteOnlyAccess"])
def test_write_summaries(name: str) -> None:
    summary = summarize(managed(name))
    assert levels(summary) == {
        "Read": ["GetSamplingRules", "GetSamplingStatisticSummaries", "GetSamplingTargets"],
        "Write": ["PutTelemetryRecords", "PutTraceSegments"],
    }
    got = statuses(summary)
    assert got.pop("view-sampling-rules") == "yes"
    assert set(got.values()) == {"no"}


def test_cross_account_summary_keeps_resources_per_action() -> None:
    summary = summarize(managed("AWSXrayCrossAccountSharingConfiguration"))
    assert summary.statement_count == 3
    assert levels(summary) == {"Write": ["Link"]}
    oam = summary.service("oam")
    assert oam is not None
    scopes = {a.action.name: [s.resources for s in a.scopes] for a in oam.actions()}
    assert scopes["ListLinks"] == [("*",)]
    assert scopes["GetLink"] == [("arn:aws:oam:*:*:link/*",)]
    # CreateLink acts on a sink and UpdateLink on a link: each keeps only the ARN that applies,
    # and the one that never can is pointed out.
    assert scopes["CreateLink"] == [("arn:aws:oam:*:*:sink/*",)]
    assert scopes["UpdateLink"] == [("arn:aws:oam:*:*:link/*",)]
    assert any(
        "arn:aws:oam:*:*:link/* can never match a request for oam:CreateLink" in n.message
        for n in summary.notes
    )
    assert not next(a for a in oam.actions() if a.action.name == "GetLink").all_resources
    assert set(statuses(summary).values()) == {"no"}


def test_api_key_summary() -> None:
    summary = summarize(managed("AWSXRayAPIKeyAccess"))
    assert levels(summary) == {"Write": ["CallWithBearerToken", "PutTraceSegments"]}


# -- summary details ----------------------------------------------------------------------


def test_conditions_are_said_in_words() -> None:
    summary = summarize(Policy.from_json(TAG_POLICY))
    denied = summary.service("xray", "Deny")
    assert denied is not None
    create = next(a for a in denied.actions() if a.action.name == "CreateGroup")
    assert create.scopes[0].condition_text == "the request tag stage is preprod or prod"
    allowed = summary.service("xray")
    assert allowed is not None
    create_allowed = next(a for a in allowed.actions() if a.action.name == "CreateGroup")
    assert create_allowed.denied == ("on all resources when the request tag stage is preprod or prod",)
    manage = summary.capability("manage-groups")
    assert manage.status == "partly"
    assert {a for a, _ in manage.limited} == {"xray:CreateGroup", "xray:UpdateGroup", "xray:DeleteGroup"}
    assert summary.capability("view-traces").status == "yes"
    text = " ".join(summary.render_text().split())
    assert "but denied on all resources when the resource tag stage is preprod or prod" in text


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ({"StringNotEquals": {"aws:ResourceTag/team": ["a", "b"]}}, "the resource tag team is none of a, b"),
        (
            {"StringLikeIfExists": {"aws:RequestTag/app": "web-*"}},
            "the request tag app, if present, matches web-*",
        ),
        (
            {"ForAllValues:StringEquals": {"aws:TagKeys": ["stage", "team"]}},
            "every tag key in the request is stage or team (or the request has none)",
        ),
        (
            {"ForAnyValue:StringEquals": {"aws:TagKeys": "stage"}},
            "at least one tag key in the request is stage",
        ),
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, "the caller signed in with MFA"),
        ({"Bool": {"aws:SecureTransport": False}}, "the request does not use HTTPS"),
        ({"Null": {"aws:ResourceTag/stage": "true"}}, "the resource tag stage is absent"),
        (
            {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"]}},
            "the caller's IP address is in 10.0.0.0/8, 192.168.0.0/16 or 172.16.0.0/12",
        ),
        (
            {"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}},
            "the seconds since the caller signed in with MFA is less than 3600",
        ),
        ({"StringEquals": {"xray:Unheard": "x"}}, "xray:Unheard is x"),
        (
            {
                "StringEquals": {"aws:RequestTag/stage": "prod"},
                "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
            },
            "the request tag stage is prod and the time of the request is before 2030-01-01T00:00:00Z",
        ),
    ],
)
def test_condition_words(condition: dict[str, Any], words: str) -> None:
    statement = doc(allow("xray:GetGroups", Condition=condition)).statements[0]
    assert describe(normalize(statement.condition)) == words


def test_not_action_is_expanded_and_warned_about() -> None:
    summary = summarize(doc({"Effect": "Allow", "NotAction": "xray:PutEncryptionConfig", "Resource": "*"}))
    xray = summary.service("xray")
    assert xray is not None
    assert {a.name for a in xray.actions()} == XRAY_ACTIONS - {"xray:PutEncryptionConfig"}
    kms = summary.service("kms")
    assert kms is not None and kms.action_count == kms.service_total
    (note,) = summary.notes
    assert note.warning
    assert "every X-Ray action except PutEncryptionConfig" in note.message
    assert "other services too" in note.message
    (other,) = summary.others
    assert other.grant.not_action and other.actions_text.startswith("every action of every other service")
    assert summary.capability("change-encryption").status == "no"
    assert summary.capability("manage-groups").status == "yes"


def test_not_resource_is_expanded_and_warned_about() -> None:
    summary = summarize(
        doc(
            {
                "Effect": "Allow",
                "Action": ["xray:GetGroup", "xray:GetGroups"],
                "NotResource": "arn:aws:xray:*:*:group/secret/*",
            }
        )
    )
    xray = summary.service("xray")
    assert xray is not None
    by_name = {a.action.name: a.scopes[0] for a in xray.actions()}
    assert by_name["GetGroup"].not_resource
    assert by_name["GetGroup"].resource_text == "every resource except arn:aws:xray:*:*:group/secret/*"
    assert not by_name["GetGroup"].all_resources
    # GetGroups is requested on "*", which the NotResource entry does not exclude.
    assert by_name["GetGroups"].resources == ("*",) and by_name["GetGroups"].all_resources
    assert any(n.warning and "NotResource" in n.message for n in summary.notes)
    assert summary.capability("view-groups").status == "partly"


def test_other_services_are_listed_as_such() -> None:
    summary = summarize(doc(allow(["logs:CreateLogGroup", "xray:GetGroups"], "*")))
    assert [s.prefix for s in summary.allows] == ["xray"]
    (other,) = summary.others
    assert other.service == "logs" and other.actions_text == "logs:CreateLogGroup"
    assert "outside xraybuilder's catalog" in summary.render_text()


def test_unknown_action_and_resource_mismatch_are_noted() -> None:
    summary = summarize(
        doc(allow("xray:GetTraceSummary"), allow(["xray:PutTraceSegments", "xray:GetGroup"], GROUP_ARN))
    )
    assert summary.allowed_actions() == {"xray:GetGroup"}
    messages = " ".join(n.message for n in summary.notes)
    assert "xray:GetTraceSummary matches no action" in messages
    assert f"Resource {GROUP_ARN} can never match a request for xray:PutTraceSegments" in messages


def test_deny_takes_capabilities_away() -> None:
    full_but_key = doc(allow("xray:*"), deny("xray:PutEncryptionConfig"))
    summary = summarize(full_but_key)
    result = summary.capability("change-encryption")
    assert result.status == "no"
    assert summary.capability("manage-groups").status == "yes"


def test_limited_capabilities_say_why() -> None:
    summary = summarize(doc(allow("xray:CreateGroup", GROUP_ARN)))
    manage = summary.capability("manage-groups")
    assert manage.status == "partly"
    assert set(manage.missing) == {"xray:UpdateGroup", "xray:DeleteGroup", "xray:GetGroups", "xray:GetGroup"}
    assert manage.limited == (("xray:CreateGroup", f"only on {GROUP_ARN}"),)
    conditional = summarize(
        doc(allow(["xray:GetGroups", "xray:GetGroup"], Condition={"Bool": {"aws:SecureTransport": "true"}}))
    )
    groups = conditional.capability("view-groups")
    assert groups.status == "partly"
    assert groups.limited[0][1] == "only when the request uses HTTPS"


def test_several_policies_summarize_together() -> None:
    summary = summarize([managed("AWSXrayReadOnlyAccess"), managed("AWSXRayDaemonWriteAccess")])
    assert summary.allowed_actions() == (
        document_actions("AWSXrayReadOnlyAccess") | document_actions("AWSXRayDaemonWriteAccess")
    )


def test_text_fits_80_columns_and_descriptions_come_on_demand() -> None:
    policies = [m.policy for m in managed_policies().values()] + [
        Policy.from_json(TAG_POLICY),
        doc(
            {"Effect": "Allow", "NotAction": ["iam:*", "logs:*"], "Resource": "*"},
            allow("xray:CreateGroup", "arn:aws:xray:eu-west-1:123456789012:group/" + "a" * 90 + "/*"),
        ),
    ]
    for policy in policies:
        for text in (summarize(policy).render_text(), summarize(policy).render_text(descriptions=True)):
            assert max(len(line) for line in text.splitlines()) <= 80, text
    plain = summarize(managed("AWSXrayReadOnlyAccess")).render_text()
    described = summarize(managed("AWSXrayReadOnlyAccess")).render_text(descriptions=True)
    description = catalog.xray().actions["getgroup"].description
    assert description[:30] not in plain
    assert description[:30] in described


def test_summary_json_shape() -> None:
    data = summarize(Policy.from_json(TAG_POLICY)).to_json()
    assert set(data) == {"statements", "allows", "denies", "other_services", "notes", "console"}
    xray = data["denies"][0]
    assert xray["service"] == "xray" and xray["action_count"] == 3
    level = xray["access_levels"][0]
    assert level["level"] == "Write"
    grant = level["actions"][0]["grants"][0]
    assert grant["condition"] == {"StringEquals": {"aws:RequestTag/stage": ["preprod", "prod"]}}
    assert grant["statements"] == ["Statement[1]"]
    assert {c["status"] for c in data["console"]} <= {"yes", "partly", "no"}


def test_invalid_statements_are_refused_with_their_path() -> None:
    with pytest.raises(PolicyShapeError) as err:
        summarize(doc({"Effect": "allow", "Action": "xray:GetGroups", "Resource": "*"}))
    assert err.value.path == ("Statement", 0, "Effect")
    with pytest.raises(PolicyShapeError) as err:
        summarize(doc(allow(["xray:GetGroups", "GetGroup"])))
    assert err.value.path == ("Statement", 0, "Action", 1)
    with pytest.raises(PolicyShapeError) as err:
        summarize(doc({"Effect": "Allow", "Action": "xray:GetGroups"}))
    assert "neither Resource nor NotResource" in str(err.value)


# -- comparisons --------------------------------------------------------------------------


def test_write_only_and_daemon_write_grant_the_same() -> None:
    c = compare(managed("AWSXrayWriteOnlyAccess"), managed("AWSXRayDaemonWriteAccess"))
    assert c.same and c.is_subset and c.beyond == () and c.short_of == ()
    assert "Same grants: the policy grants exactly what the baseline grants." in c.render_text()


def test_read_only_is_a_subset_of_full_access() -> None:
    c = compare(managed("AWSXrayReadOnlyAccess"), managed("AWSXrayFullAccess"))
    assert c.is_subset and not c.same
    assert c.short_of_actions() == XRAY_ACTIONS - document_actions("AWSXrayReadOnlyAccess")
    assert all(d.reasons == ("the policy does not allow it",) for d in c.short_of)
    back = compare(managed("AWSXrayFullAccess"), managed("AWSXrayReadOnlyAccess"))
    assert not back.is_subset and back.is_superset
    assert back.beyond_actions() == c.short_of_actions()


def test_group_scoped_create_group() -> None:
    scoped = doc(allow("xray:CreateGroup", GROUP_ARN))
    assert compare(scoped, managed("AWSXrayFullAccess")).is_subset
    c = compare(scoped, managed("AWSXrayReadOnlyAccess"), baseline_name="AWSXrayReadOnlyAccess")
    (diff,) = c.beyond
    assert (diff.action, diff.resources, diff.access_level) == ("xray:CreateGroup", (GROUP_ARN,), "Write")
    assert diff.reasons == ("AWSXrayReadOnlyAccess does not allow it",)
    # The other way round, FullAccess grants CreateGroup on every group, the scoped policy on some.
    short = compare(scoped, managed("AWSXrayFullAccess")).short_of
    create = next(d for d in short if d.action == "xray:CreateGroup")
    assert create.all_resources and create.reasons == (f"the policy allows it only on {GROUP_ARN}",)


def test_wildcard_resources_cover_narrower_ones_only() -> None:
    everywhere = doc(allow("xray:GetGroup", "*"))
    aws_groups = doc(allow("xray:GetGroup", "arn:aws:xray:*:*:group/*"))
    one_region = doc(allow("xray:GetGroup", "arn:aws:xray:eu-west-1:*:group/*"))
    assert compare(aws_groups, everywhere).is_subset
    assert compare(one_region, aws_groups).is_subset
    c = compare(everywhere, aws_groups)
    (diff,) = c.beyond
    assert diff.reasons == ("the baseline allows it only on arn:aws:xray:*:*:group/*",)
    assert not compare(aws_groups, one_region).is_subset
    # Every group ARN in any partition, spelled out, covers "*" for a group action.
    assert compare(everywhere, doc(allow("xray:GetGroup", "arn:*:xray:*:*:group/*"))).same


def test_resources_are_compared_one_by_one_and_as_a_union() -> None:
    other = "arn:aws:xray:eu-west-1:123456789012:group/other/*"
    c = compare(doc(allow("xray:CreateGroup", [GROUP_ARN, other])), doc(allow("xray:CreateGroup", GROUP_ARN)))
    (diff,) = c.beyond
    assert diff.resources == (other,)
    assert c.is_superset
    # Two baseline statements together cover what one pattern of the policy names.
    regions = doc(
        allow("xray:GetGroup", "arn:aws:xray:eu-*:*:group/*"),
        allow("xray:GetGroup", "arn:aws:xray:us-*:*:group/*"),
    )
    assert compare(
        doc(allow("xray:GetGroup", ["arn:aws:xray:eu-west-1:*:group/*", "arn:aws:xray:us-east-1:*:group/*"])),
        regions,
    ).is_subset


def test_actions_that_take_no_arn_are_compared_on_star() -> None:
    # A statement scoped to an ARN grants PutTraceSegments nothing: it is requested on "*".
    scoped = doc(allow("xray:PutTraceSegments", "arn:aws:xray:*"))
    assert compare(scoped, doc(allow("xray:GetGroups"))).is_subset
    c = compare(managed("AWSXRayDaemonWriteAccess"), scoped)
    assert "xray:PutTraceSegments" in c.beyond_actions()


def test_conditions_narrow_grants_conservatively() -> None:
    prod = {"StringEquals": {"aws:RequestTag/stage": "prod"}}
    prod_or_dev = {"StringEquals": {"aws:RequestTag/stage": ["prod", "dev"]}}
    team = {"StringEquals": {"aws:RequestTag/team": "web"}}
    plain = doc(allow("xray:CreateGroup"))
    assert compare(doc(allow("xray:CreateGroup", Condition=prod)), plain).is_subset
    c = compare(plain, doc(allow("xray:CreateGroup", Condition=prod)))
    (diff,) = c.beyond
    assert diff.reasons == ("the baseline allows it only when the request tag stage is prod",)
    assert any("conservatively" in n for n in c.notes)
    assert compare(
        doc(allow("xray:CreateGroup", Condition=prod)), doc(allow("xray:CreateGroup", Condition=prod_or_dev))
    ).is_subset
    different = compare(
        doc(allow("xray:CreateGroup", Condition=prod)), doc(allow("xray:CreateGroup", Condition=team))
    )
    assert not different.is_subset and not different.is_superset
    (diff,) = different.beyond
    assert diff.condition_text == "the request tag stage is prod"
    other_case = {"StringEquals": {"aws:requesttag/STAGE": "prod"}}
    assert compare(
        doc(allow("xray:CreateGroup", Condition=prod)), doc(allow("xray:CreateGroup", Condition=other_case))
    ).same
    assert "conservatively" in c.render_text()


def test_condition_implication() -> None:
    def c(block: dict[str, Any]) -> Any:
        return normalize(block)

    assert implies(
        c({"StringLike": {"aws:RequestTag/app": "web-prod"}}),
        c({"StringLike": {"aws:RequestTag/app": "web-*"}}),
    )
    assert not implies(
        c({"StringLike": {"aws:RequestTag/app": "web-*"}}),
        c({"StringLike": {"aws:RequestTag/app": "web-prod"}}),
    )
    assert implies(
        c({"StringNotEquals": {"aws:RequestTag/app": ["a", "b"]}}),
        c({"StringNotEquals": {"aws:RequestTag/app": "a"}}),
    )
    assert implies(
        c({"IpAddress": {"aws:SourceIp": "10.1.0.0/16"}}), c({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})
    )
    assert not implies(
        c({"IpAddressIfExists": {"aws:SourceIp": "10.1.0.0/16"}}),
        c({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
    )
    assert implies(
        c({"StringEquals": {"aws:RequestTag/a": "1", "aws:RequestTag/b": "2"}}),
        c({"StringEquals": {"aws:RequestTag/b": "2"}}),
    )
    # Ordered comparisons count only when identical.
    assert not implies(
        c({"NumericLessThan": {"aws:MultiFactorAuthAge": 60}}),
        c({"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}),
    )


def test_deny_subtracts() -> None:
    no_key = doc(allow("xray:*"), deny("xray:PutEncryptionConfig"))
    c = compare(managed("AWSXrayFullAccess"), no_key)
    (diff,) = c.beyond
    assert diff.action == "xray:PutEncryptionConfig"
    assert diff.reasons == ("the baseline denies it on all resources",)
    assert compare(no_key, managed("AWSXrayFullAccess")).is_subset
    assert compare(no_key, no_key).same
    # A Deny the policy itself makes removes the grant entirely.
    assert compare(doc(allow("xray:PutEncryptionConfig"), deny("xray:*")), doc()).same


def test_conditional_denies() -> None:
    tags = Policy.from_json(TAG_POLICY)
    full = managed("AWSXrayFullAccess")
    assert compare(tags, full).is_subset
    c = compare(full, tags)
    assert c.beyond_actions() == {"xray:CreateGroup", "xray:UpdateGroup", "xray:DeleteGroup"}
    create = next(d for d in c.beyond if d.action == "xray:CreateGroup")
    assert create.reasons == (
        "the baseline denies it on all resources when the request tag stage is preprod or prod",
    )
    assert any("Deny with a condition" in n for n in c.notes)
    # The same conditional Deny on both sides cancels out.
    assert compare(tags, tags).same
    # The policy's own conditional Deny is not trusted to cover a plain omission.
    without_create = doc(allow([a for a in sorted(XRAY_ACTIONS) if a != "xray:CreateGroup"]))
    assert compare(tags, without_create).beyond_actions() == {"xray:CreateGroup"}


def test_not_resource_and_not_action_compare() -> None:
    but_secret = doc(
        {"Effect": "Allow", "Action": "xray:GetGroup", "NotResource": "arn:aws:xray:*:*:group/secret/*"}
    )
    everywhere = doc(allow("xray:GetGroup"))
    assert compare(but_secret, everywhere).is_subset
    (diff,) = compare(everywhere, but_secret).beyond
    assert diff.reasons[0].startswith("the baseline allows it only on every resource except")
    assert compare(doc(allow("xray:GetGroup", "arn:aws:xray:*:*:group/public/*")), but_secret).is_subset
    assert not compare(doc(allow("xray:GetGroup", "arn:aws:xray:*:*:group/*")), but_secret).is_subset
    all_but_key = doc({"Effect": "Allow", "NotAction": "xray:PutEncryptionConfig", "Resource": "*"})
    c = compare(all_but_key, managed("AWSXrayFullAccess"))
    assert "xray:PutEncryptionConfig" not in c.beyond_actions()
    assert {d.service for d in c.beyond} >= {"kms", "s3", "iam", "sts", "oam", "*"}


def test_services_not_expanded_action_by_action() -> None:
    one = doc(allow("logs:CreateLogGroup"))
    every = doc(allow("logs:*"))
    assert compare(one, every).is_subset
    (diff,) = compare(every, one).beyond
    assert (diff.action, diff.service, diff.access_level) == ("logs:*", "logs", None)
    c = compare(doc(allow("*")), every)
    other = [d for d in c.beyond if d.service == "*"]
    assert [d.action for d in other] == ["every action of every other service"]
    assert compare(every, doc(allow("*"))).is_subset


def test_managed_policies_by_name_or_object() -> None:
    daemon = managed_policy("AWSXRayDaemonWriteAccess")
    assert daemon is not None
    c = compare("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess", daemon)
    assert c.same
    assert (c.policy_name, c.baseline_name) == ("AWSXrayWriteOnlyAccess", "AWSXRayDaemonWriteAccess")
    scoped = compare(doc(allow("xray:CreateGroup", GROUP_ARN)), "AWSXrayReadOnlyAccess")
    assert scoped.beyond[0].reasons == ("AWSXrayReadOnlyAccess does not allow it",)
    assert summarize("awsxrayfullaccess").allowed_actions() == XRAY_ACTIONS
    with pytest.raises(ValueError, match="not an AWS managed X-Ray policy"):
        compare("AWSXrayReadOnly", "AWSXrayFullAccess")


def test_comparison_json_and_text() -> None:
    c = compare(
        doc(allow("xray:CreateGroup", GROUP_ARN)),
        managed("AWSXrayReadOnlyAccess"),
        policy_name="scoped.json",
        baseline_name="AWSXrayReadOnlyAccess",
    )
    data = c.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["is_subset"] is False and data["same"] is False
    assert data["beyond"][0] == {
        "action": "xray:CreateGroup",
        "service": "xray",
        "access_level": "Write",
        "resources": [GROUP_ARN],
        "not_resource": False,
        "resource_text": GROUP_ARN,
        "condition": None,
        "condition_text": None,
        "reasons": ["AWSXrayReadOnlyAccess does not allow it"],
        "statements": ["Statement[0]"],
    }
    text = c.render_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Beyond AWSXrayReadOnlyAccess, scoped.json allows:" in text
    assert "Short of AWSXrayReadOnlyAccess, which also allows:" in text
    big = compare(doc(allow("*")), managed("AWSXrayCrossAccountSharingConfiguration")).render_text()
    assert max(len(line) for line in big.splitlines()) <= 80
    assert "all 62 Read actions" in big or "Read: all" in big


# -- wildcard sets --------------------------------------------------------------------------


def _resolved(text: str) -> Any:
    return parse_template(text, variables=False, wildcards=True).pieces


_SEGMENT_TEXT = st.text(alphabet="ab*?", min_size=0, max_size=3)


@st.composite
def resource_patterns(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.text(alphabet="ab:*?", min_size=0, max_size=5))
    parts = [draw(_SEGMENT_TEXT) for _ in range(draw(st.integers(2, 5)))]
    return "arn:" + ":".join(parts)


def _matches(pattern: str, value: str) -> bool:
    return resource_matches(_resolved(pattern), value)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(resource_patterns(), st.lists(resource_patterns(), max_size=2), st.booleans(), st.booleans())
def test_witness_agrees_with_the_evaluators_matching(
    subject: str, by: list[str], neg_subject: bool, neg_by: bool
) -> None:
    s_scope = resource_scope((subject,), neg_subject)
    b_scope = resource_scope(tuple(by), neg_by)
    found = witness((s_scope,), (b_scope,))
    if found is not None:
        # The witness really is in the subject and outside the other scope.
        assert _matches(subject, found) != neg_subject
        assert any(_matches(b, found) for b in by) == neg_by
    else:
        # Covered: no sample string in the subject escapes.
        samples = {"", "a", "ab", "*", "arn:a", "arn:a:b", "arn:ab:a:b:a:b", "arn::::::", "arn:a:b:a:b:a:b"}
        for value in samples:
            if _matches(subject, value) != neg_subject:
                assert any(_matches(b, value) for b in by) != neg_by, value


def test_pattern_sets() -> None:
    star = Scope.of(("*",))
    assert covered((Scope.of(("arn:aws:xray:*:*:group/*",)),), (star,))
    assert not covered((star,), (Scope.of(("arn:*",)),))
    assert covered((Scope.of(("*?",)),), (Scope.of(("?*",)),))
    assert overlaps(Scope.of(("a*",)), Scope.of(("*b",)))
    assert not overlaps(Scope.of(("a*",)), Scope.of(("b*",)))
    # A policy variable is covered only by "*" at its place, never by a fixed text.
    user = Scope.of(("group/${aws:username}/*",))
    assert covered((user,), (Scope.of(("group/*",)),))
    assert not covered((Scope.of(("group/*/x",)),), (user,))
    assert not covered((user,), (Scope.of(("group/alice/*",)),))
    group = universe(catalog.action("xray:GetGroup"))  # type: ignore[arg-type]
    assert covered((star, group), (resource_scope(("arn:*:xray:*:*:group/*",), False),))
    assert not covered((star, group), (resource_scope(("arn:aws:xray:*:*:group/*",), False),))


# -- cross-check against the evaluator ---------------------------------------------------------

_ACTIONS = [
    "xray:GetGroup",
    "xray:CreateGroup",
    "xray:PutTraceSegments",
    "xray:GetSamplingRules",
    "xray:UpdateSamplingRule",
]
_ACTION_PATTERNS = _ACTIONS + ["xray:*", "xray:Get*", "xray:*Group"]
_RESOURCES = [
    "*",
    "arn:aws:xray:*:*:group/*",
    GROUP_ARN,
    "arn:aws:xray:us-east-1:*:*",
    "arn:aws:xray:*:*:sampling-rule/base",
    "arn:aws:xray:*",
]
_CONDITIONS: list[dict[str, Any] | None] = [
    None,
    None,
    {"StringEquals": {"aws:RequestTag/stage": "prod"}},
    {"StringEquals": {"aws:ResourceTag/stage": ["prod", "dev"]}},
]
_REQUEST_RESOURCES = [
    "*",
    "arn:aws:xray:eu-west-1:123456789012:group/local-users/abc",
    "arn:aws:xray:us-east-1:123456789012:group/web/abc",
    "arn:aws-cn:xray:cn-north-1:1:group/x/y",
    "arn:aws:xray:us-east-1:123456789012:sampling-rule/base",
    "arn:aws:xray:eu-west-1:123456789012:sampling-rule/other",
]
_CONTEXTS = [{}, {"request_tags": {"stage": "prod"}}, {"resource_tags": {"stage": "dev"}}]


@st.composite
def statements(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Effect": draw(st.sampled_from(["Allow", "Allow", "Deny"])),
        "Action": draw(st.lists(st.sampled_from(_ACTION_PATTERNS), min_size=1, max_size=2, unique=True)),
        ("NotResource" if draw(st.integers(0, 5)) == 0 else "Resource"): draw(
            st.lists(st.sampled_from(_RESOURCES), min_size=1, max_size=2, unique=True)
        ),
    }
    condition = draw(st.sampled_from(_CONDITIONS))
    if condition:
        out["Condition"] = condition
    return out


def _allowed(policy: Policy, action: str, resource: str, context: dict[str, Any]) -> bool:
    return evaluate([policy], Request.build(action, resource, **context)).allowed


def _requestable(name: str) -> list[str]:
    """The sample resources AWS could send a request for ``name`` with."""
    found = catalog.action(name)
    assert found is not None
    if not found.resource_level:
        return ["*"]
    types = [catalog.xray().resource_types[rt.resource_type] for rt in found.resource_types]
    return [r for r in _REQUEST_RESOURCES if any(t.arn_regex.fullmatch(r) for t in types)]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(statements(), min_size=1, max_size=3), st.lists(statements(), min_size=1, max_size=3))
@example(  # an Allow and a Deny on the same resources: the Deny wins
    [
        {"Effect": "Allow", "Action": ["xray:GetGroup"], "NotResource": ["arn:aws:xray:*:*:group/*"]},
        {"Effect": "Deny", "Action": ["xray:GetGroup"], "NotResource": ["arn:aws:xray:*:*:group/*"]},
    ],
    [{"Effect": "Allow", "Action": ["xray:GetGroup"], "NotResource": ["*"]}],
)
def test_comparison_never_misses_what_the_evaluator_allows(
    mine: list[dict[str, Any]], theirs: list[dict[str, Any]]
) -> None:
    policy, baseline = doc(*mine), doc(*theirs)
    result: Comparison = compare(policy, baseline)
    reported = result.beyond_actions()
    for action in _ACTIONS:
        for resource in _requestable(action):
            for context in _CONTEXTS:
                if _allowed(policy, action, resource, context) and not _allowed(
                    baseline, action, resource, context
                ):
                    assert action in reported, (action, resource, context)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(statements(), min_size=1, max_size=3))
def test_capability_verdicts_match_the_evaluator(items: list[dict[str, Any]]) -> None:
    policy = doc(*items)
    summary = summarize(policy)
    for cap in summary.console:
        names = cap.capability.actions + cap.capability.needs
        for name in names:
            verdicts = {_allowed(policy, name, r, c) for r in _requestable(name) for c in _CONTEXTS}
            if cap.status == "yes":
                assert verdicts == {True}, (cap.id, name)
            if name in cap.missing or (cap.status == "no" and name in cap.capability.actions):
                assert True not in verdicts, (cap.id, name)
