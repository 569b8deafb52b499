"""Checking a whole ARN: :func:`check_arn` (never raises) and :func:`is_star`.

The prefix and every part are checked, then the resource part (and the region and
account with it) against the catalog's ARN formats for the service; each problem is
placed at its offsets in the whole ARN.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from xraybuilder.core import catalog
from xraybuilder.core.arn.model import (
    Arn,
    ArnCheck,
    ArnProblem,
    Issue,
    PartName,
    closest,
    did_you_mean,
    has_wildcard,
    split_spans,
)
from xraybuilder.core.arn.parts import (
    REGION_SHAPE,
    account_issues,
    candidate_partitions,
    name_issues,
    partition_issues,
    region_issues,
    service_issues,
)
from xraybuilder.core.arn.templates import (
    PLACEHOLDER,
    Template,
    aws_owned,
    padded_arn,
    part_fits,
    templates_for,
)

# -- the resource part -------------------------------------------------------------------


@lru_cache(maxsize=64)
def _fields_regex(resource_text: str) -> re.Pattern[str]:
    """Regex with one named group per placeholder; a placeholder stops at the next ``/``."""
    out = []
    pieces = re.split(r"(\$\{[^}]+\})", resource_text)
    for idx, piece in enumerate(pieces):
        m = PLACEHOLDER.fullmatch(piece)
        if m:
            last = all(p == "" for p in pieces[idx + 1 :])
            out.append(f"(?P<{m.group(1)}>{'.*' if last else '[^/]*'})")
        else:
            out.append(re.escape(piece))
    return re.compile("".join(out), re.DOTALL)


def _sampling_rule_tail(value: str) -> Issue:
    """``sampling-rule/NAME/*``: the group ARN's shape (group/NAME/ID) copied to a rule."""
    name, _, rest = value.partition("/")
    return Issue(
        "UNUSUAL_RESOURCE_NAME",
        "warning",
        f"A sampling-rule ARN ends at the rule name (sampling-rule/NAME): unlike a group's "
        f'(group/NAME/ID) it has nothing after the name, so "/{rest}" matches only a rule whose '
        f"name holds '/', which the X-Ray console does not allow. Write sampling-rule/{name or '*'}.",
    )


def _xray_name_issues(resource: str, templates: list[Template]) -> list[Issue]:
    for t in templates:
        if t.rtype.service != "xray":
            continue
        m = _fields_regex(t.resource_text).fullmatch(resource)
        if m is None:
            continue
        out = []
        for key, value in m.groupdict().items():
            if key.endswith("Name"):
                label = "group name" if t.rtype.name == "group" else f"{t.rtype.name} name"
                if t.rtype.name == "sampling-rule" and "/" in value:
                    out.append(replace(_sampling_rule_tail(value), span=(m.start(key), m.end(key))))
                    continue
                for issue in name_issues(value, label):
                    out.append(replace(issue, span=(m.start(key), m.end(key))))
        return out
    return []


def _resource_issues(arn: Arn, service: str) -> list[tuple[PartName, Issue]]:
    """Checks of the resource part (and of region/account against it) against the ARN formats."""
    resource = arn.resource
    if resource == "":
        return [
            (
                "resource",
                Issue(
                    "INVALID_ARN_RESOURCE",
                    "error",
                    "The resource part is empty: say which resource, or use * for all.",
                ),
            )
        ]
    if resource != resource.strip():
        return [
            (
                "resource",
                Issue(
                    "INVALID_ARN_RESOURCE",
                    "error",
                    "The resource part has spaces around it: remove them.",
                    resource.strip(),
                ),
            )
        ]
    own = list(templates_for(service))
    if not own:
        return []  # no resource type has ARNs of this service: nothing to compare with
    by_resource = [t for t in own if part_fits(resource, t.resource)]
    if not by_resource:
        return [("resource", _missing_resource_issue(resource, service, own))]
    out: list[tuple[PartName, Issue]] = []
    by_region = [t for t in by_resource if part_fits(arn.region, t.region)]
    if not by_region:
        out.append(("region", _region_template_issue(arn.region, service, by_resource)))
    by_account = [t for t in by_region or by_resource if part_fits(arn.account, t.account)]
    if not by_account and not aws_owned(arn.account, service):
        out.append(("account", _account_template_issue(arn.account, service, by_region or by_resource)))
    out.extend(("resource", issue) for issue in _xray_name_issues(resource, by_account or by_resource))
    return out


def _formats(templates: list[Template], limit: int = 6) -> str:
    shown = [t.resource_text for t in templates[:limit]]
    more = len(templates) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _service_label(service: str) -> str:
    svc = catalog.service(service)
    return svc.name if svc else service


def _types_label(templates: list[Template]) -> str:
    names = sorted({t.rtype.name for t in templates})
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def _missing_resource_issue(resource: str, service: str, own: list[Template]) -> Issue:
    name = _service_label(service)
    for suffix in ("*", "/*") if resource.endswith("/") else ("/*", "*"):
        hits = [t for t in own if part_fits(resource + suffix, t.resource)]
        if hits:
            t = hits[0]
            last = PLACEHOLDER.findall(t.resource_text)[-1]
            why = ""
            if service == "xray" and last == "Id":
                why = (
                    f" X-Ray generates a {t.rtype.name}'s Id when it is created, so it cannot be "
                    "known in advance."
                )
            return Issue(
                "INVALID_ARN_RESOURCE",
                "error",
                f"{name} {t.rtype.name} ARNs end with {t.resource_text}; this one stops before "
                f"${{{last}}}, so it matches no {t.rtype.name}.{why} End it with '{suffix}' to "
                f"cover every {last}.",
                resource + suffix,
            )
    head = re.split(r"[/:]", resource, maxsplit=1)[0]
    kinds = sorted({re.split(r"[/:]", t.resource_text, maxsplit=1)[0] for t in own} - {""})
    near = closest(head, kinds, 0.6) if head and not has_wildcard(head) else None
    return Issue(
        "INVALID_ARN_RESOURCE",
        "error",
        f"The resource part '{resource}' matches none of the {name} ARN formats "
        f"({_formats(own)}).{did_you_mean(near + '/…' if near else None)}",
    )


def _region_template_issue(region: str, service: str, templates: list[Template]) -> Issue:
    label = f"{_service_label(service)} {_types_label(templates)}"
    if region == "" or is_star(region):
        return Issue(
            "MISSING_ARN_REGION",
            "error",
            f"{label} ARNs include a region: add one (e.g. us-east-1), or * for every region.",
        )
    if all(t.region == "" for t in templates):
        return Issue(
            "ARN_REGION_NOT_ALLOWED",
            "error",
            f"{label} ARNs have no region: leave the region part empty (arn:partition:{service}::…).",
            "",
        )
    allowed = ", ".join(sorted({t.region for t in templates}))
    return Issue("INVALID_ARN_REGION", "error", f"{label} ARNs are only in the region {allowed}.")


def _account_template_issue(account: str, service: str, templates: list[Template]) -> Issue:
    label = f"{_service_label(service)} {_types_label(templates)}"
    if account == "" or is_star(account):
        return Issue(
            "INVALID_ARN_ACCOUNT",
            "error",
            f"{label} ARNs include the owner's 12-digit account ID: add it, or * for any account.",
        )
    if all(t.account == "" for t in templates):
        return Issue(
            "ARN_ACCOUNT_NOT_ALLOWED",
            "error",
            f"{label} ARNs have no account ID: leave the account part empty "
            f"(arn:partition:{service}:region::…).",
            "",
        )
    allowed = ", ".join(sorted({t.account for t in templates}))
    return Issue("INVALID_ARN_ACCOUNT", "error", f"{label} ARNs are only in the account {allowed}.")


# -- the whole ARN -----------------------------------------------------------------------


def _widen(span: tuple[int, int], text: str) -> tuple[int, int]:
    """An empty part has no characters: point at the colons around it instead."""
    start, end = span
    if start < end:
        return span
    return max(0, start - 1), min(len(text), end + 1)


def _place(arn: Arn, part: PartName, issue: Issue) -> ArnProblem:
    pstart, pend = arn.span(part)
    start, end = (pstart + issue.span[0], pstart + issue.span[1]) if issue.span else (pstart, pend)
    start, end = _widen((start, end), arn.text)
    fix = None if issue.fix is None else arn.with_part(part, issue.fix)
    return ArnProblem(issue.code, issue.level, part, issue.message, start, end, fix)


_SIX_PARTS = "arn:partition:service:region:account:resource"


def _too_few_parts(text: str, spans: list[tuple[int, int]]) -> ArnProblem:
    count = len(spans)
    if text.endswith("*") and count >= 2:
        padded = text + ":*" * (6 - count)
        return ArnProblem(
            "MISSING_ARN_FIELD",
            "warning",
            "resource",
            f"This ARN has {count} of the six parts ({_SIX_PARTS}). IAM lets a final * "
            f"stand for the missing parts, but writing all six is clearer: {padded}",
            0,
            len(text),
            padded,
        )
    fields = [text[s:e] for s, e in spans]
    hint = " Keep every colon, even around an empty part (e.g. arn:aws:s3:::my-bucket)."
    if count == 5 and REGION_SHAPE.fullmatch(fields[3]) and not fields[4].isdigit():
        hint = (
            " The account ID seems to be missing between the region and the resource: add it, "
            "or * for any account."
        )
    elif count == 5 and fields[3].isdigit():
        hint = " The region seems to be missing before the account ID: add it, or * for every region."
    return ArnProblem(
        "MISSING_ARN_FIELD",
        "error",
        "resource",
        f"This ARN has {count} of the six parts {_SIX_PARTS}.{hint}",
        0,
        len(text),
    )


@lru_cache(maxsize=4096)
def check_arn(text: str) -> ArnCheck:
    """Split ``text`` as an ARN and report every problem in every part (never raises)."""
    if text == "":
        return ArnCheck(
            text,
            None,
            (
                ArnProblem(
                    "INVALID_ARN_PREFIX",
                    "error",
                    "prefix",
                    'The resource is empty: use "*" or an ARN '
                    "(arn:partition:service:region:account:resource).",
                    0,
                    0,
                ),
            ),
        )
    spans = split_spans(text)
    prefix = text[: spans[0][1]]
    if len(spans) < 6:
        if prefix != "arn":
            return ArnCheck(text, None, (_prefix_problem(text, prefix, spans),))
        few = _too_few_parts(text, spans)
        padded = padded_arn(None, text)
        if few.is_error or padded is None:
            return ArnCheck(text, None, (few,))
        # The padding adds only "*" parts, which hold no problems of their own.
        return ArnCheck(text, None, (few, *(p for p in _part_problems(padded) if p.start < len(text))))
    arn = Arn(text, tuple(spans))
    problems = [_prefix_problem(text, prefix, spans)] if prefix != "arn" else []
    problems.extend(_part_problems(arn))
    return ArnCheck(text, arn, tuple(problems))


def _prefix_problem(text: str, prefix: str, spans: list[tuple[int, int]]) -> ArnProblem:
    end = spans[0][1]
    base = 'A resource is either "*" or an ARN, and an ARN starts with "arn:".'
    if prefix.strip().lower() == "arn":
        return ArnProblem(
            "INVALID_ARN_PREFIX",
            "error",
            "prefix",
            f'{base} Write the prefix as "arn", in lower case and without spaces.',
            0,
            end,
            "arn" + text[end:],
        )
    if len(spans) == 5 and prefix in catalog.partitions():
        return ArnProblem(
            "INVALID_ARN_PREFIX",
            "error",
            "prefix",
            f'{base} This one starts with the partition: add "arn:" in front.',
            0,
            end,
            "arn:" + text,
        )
    if len(spans) == 6:
        start, stop = _widen((0, end), text)
        return ArnProblem(
            "INVALID_ARN_PREFIX",
            "error",
            "prefix",
            f'{base} This one starts with "{prefix}:".',
            start,
            stop,
            "arn" + text[end:],
        )
    return ArnProblem(
        "INVALID_ARN_PREFIX",
        "error",
        "prefix",
        f'{base} "{text}" is not one: use "*" or an ARN '
        "(arn:partition:service:region:account:resource, such as "
        "arn:aws:s3:::amzn-s3-demo-bucket/* or arn:aws:xray:us-east-1:123456789012:group/my-group/*).",
        0,
        len(text),
    )


def _part_problems(arn: Arn) -> list[ArnProblem]:
    out = [_place(arn, "partition", i) for i in partition_issues(arn.partition)]
    service_found = service_issues(arn.service)
    out.extend(_place(arn, "service", i) for i in service_found)
    # Later checks read the service as it was meant, so one slip is not reported twice.
    service = arn.service.strip().lower()
    partitions = candidate_partitions(arn.partition)
    out.extend(_place(arn, "region", i) for i in region_issues(arn.region, partitions, service))
    out.extend(_place(arn, "account", i) for i in account_issues(arn.account, service))
    if not any(i.level == "error" and i.fix is None for i in service_found):
        out.extend(_place(arn, part, i) for part, i in _resource_issues(arn, service))
    return out


def is_star(value: str) -> bool:
    """True for ``*`` (and ``**``…): every resource, including "no specific resource"."""
    return bool(value) and all(c == "*" for c in value)
