"""Condition values: does each suit its operator, and is any of them redundant.

Type mismatches per operator family (Bool, Numeric, Date, IP ranges, Binary, ARN),
* and ? without a Like operator, policy variables under operators that take none,
Bool keys given both true and false, private ranges in aws:SourceIp, and values
another value already covers.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from xraybuilder.core.condition_values import parse_binary, parse_date, parse_network, parse_number
from xraybuilder.core.conditions import Operator
from xraybuilder.core.lint.conditions.common import (
    _VARIABLE,
    ERROR,
    SUGGESTION,
    WARNING,
    _Entry,
    _Records,
    _shown,
    _value_rules,
)
from xraybuilder.core.lint.finding import REMOVE, Fix, Severity
from xraybuilder.core.lint.redundancy import find_redundant
from xraybuilder.core.patterns import arn_covers, with_placeholders
from xraybuilder.core.patterns import covers as glob_covers
from xraybuilder.core.policy.source import Path


@cache
def _private_ranges() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(r) for r in _value_rules()["private_ip_ranges"])


def _check_values(doc: _Records, entry: _Entry) -> None:
    op = entry.op
    assert op is not None
    readable: list[tuple[Path, str]] = []
    for path, text in entry.values:
        if "${" in text and not op.accepts_variables and _VARIABLE.search(text):
            doc.report(
                "INVALID_VARIABLE_FOR_OPERATOR",
                ERROR,
                f'"{_shown(text)}" holds a policy variable, but {entry.op_name} does not accept '
                "variables (only String, Arn and Bool operators do), so it is compared as "
                "literal text. Write a fixed value.",
                path,
            )
            continue
        problem = _value_problem(op.family, entry.op_name, op.wildcards, text)
        if problem is None:
            readable.append((path, text))
            continue
        code, severity, message, replacement = problem
        fix = None
        if replacement is not None:
            fix = Fix(f'Replace "{_shown(text)}" with "{replacement}"', path, value=replacement)
        doc.report(code, severity, message, path, fix=fix)
        if severity is not ERROR:
            readable.append((path, replacement or text))
    if op.family == "Bool":
        distinct = {t.lower() for _, t in readable if "${" not in t}
        if len(distinct) > 1:
            doc.report(
                "INVALID_CONDITION_MULTIPLE_BOOLEAN",
                ERROR,
                f'"{entry.key}" lists both true and false, so the condition matches any '
                "request that has the key and tests nothing. Keep the one value you mean.",
                entry.path,
                on_key=True,
            )
    if op.family == "IpAddress" and entry.key.lower() == "aws:sourceip":
        _check_private_ips(doc, entry, op, readable)
    if len(readable) > 1:
        _check_redundant_values(doc, entry, op, readable)


@lru_cache(maxsize=4096)
def _value_problem(
    family: str, base: str, wildcards: bool, text: str
) -> tuple[str, Severity, str, str | None] | None:
    """(code, severity, message, replacement) for a value its operator cannot use.

    ``base`` is the operator as written (with its qualifier and IfExists), for messages.
    """
    if family in ("Bool", "Null"):
        if "${" in text or text.lower() in ("true", "false"):
            return None
        meaning = (
            '"true" (the request lacks the key) or "false" (the request has it)'
            if family == "Null"
            else '"true" or "false"'
        )
        return (
            "TYPE_MISMATCH_BOOLEAN",
            ERROR,
            f'{base} takes {meaning}, not "{_shown(text)}", so the condition never matches.',
            None,
        )
    if family == "Numeric":
        if parse_number(text) is not None:
            return None
        return (
            "TYPE_MISMATCH_NUMBER",
            ERROR,
            f'{base} compares numbers, and "{_shown(text)}" is not one, so the condition never matches. '
            'Write digits, e.g. "3600".',
            None,
        )
    if family == "Date":
        if parse_date(text) is not None:
            return None
        return (
            "TYPE_MISMATCH_DATE",
            ERROR,
            f'{base} compares dates, and "{_shown(text)}" is not one, so the condition never matches. '
            'Write an ISO 8601 date such as "2027-01-01" or "2027-01-01T00:00:00Z", or epoch '
            'seconds such as "1798761600".',
            None,
        )
    if family == "IpAddress":
        return _ip_problem(base, text)
    if family == "Binary":
        if parse_binary(text) is None:
            return (
                "TYPE_MISMATCH_STRING",
                ERROR,
                f'BinaryEquals compares base64-encoded bytes, and "{_shown(text)}" is not valid base64, '
                "so the condition never matches. Encode the value with base64.",
                None,
            )
        return None
    if family == "Arn":
        if _VARIABLE.fullmatch(text) or _looks_like_arn(text):
            return None
        return (
            "TYPE_MISMATCH_ARN",
            ERROR,
            f'{base} compares ARNs field by field, and "{_shown(text)}" is not an ARN '
            "(arn:partition:service:region:account:resource, with * or ? inside fields), "
            "so it never matches. Write the full ARN, or use a String operator.",
            None,
        )
    if family == "String" and not wildcards and _has_wildcard(text):
        return (
            "WILDCARD_WITHOUT_LIKE_OPERATOR",
            WARNING,
            f'"{_shown(text)}" holds * or ?, which {base} compares as plain characters, not as '
            f"wildcards. If you meant a pattern, use {_like_twin(base)}.",
            None,
        )
    return None


def _like_twin(written: str) -> str:
    """The Like operator for an Equals one, keeping its set qualifier and IfExists."""
    return re.sub(r"String(Not)?Equals(IgnoreCase)?", lambda m: f"String{m[1] or ''}Like", written)


def _has_wildcard(text: str) -> bool:
    # "${*}" and "${?}" are the escapes for a literal * and ?.
    stripped = _VARIABLE.sub("", text) if "${" in text else text
    return "*" in stripped or "?" in stripped


def _looks_like_arn(text: str) -> bool:
    plain = _VARIABLE.sub("x", text) if "${" in text else text
    fields = plain.split(":", 5)
    return len(fields) == 6 and fields[0] == "arn"


def _ip_problem(base: str, text: str) -> tuple[str, Severity, str, str | None] | None:
    network = parse_network(text)
    if network is None:
        return (
            "TYPE_MISMATCH_IP_RANGE",
            ERROR,
            f'{base} compares IP addresses, and "{_shown(text)}" is not one, so the condition never '
            'matches. Write an address or a CIDR range, e.g. "203.0.113.0/24" or '
            '"2001:db8::/32".',
            None,
        )
    try:
        ipaddress.ip_network(text, strict=True)
    except ValueError:
        return (
            "IMPROVE_IP_RANGE",
            SUGGESTION,
            f'"{_shown(text)}" sets bits after the /{network.prefixlen} mask, which IAM ignores: '
            f'the range is "{network}". Write that to say what is matched.',
            str(network),
        )
    return None


def _check_private_ips(doc: _Records, entry: _Entry, op: Operator, readable: list[tuple[Path, str]]) -> None:
    private: list[tuple[Path, str]] = []
    public: list[tuple[Path, str]] = []
    for path, text in readable:
        network = parse_network(text)
        if network is None:
            continue
        inside = any(
            network.version == r.version and network.subnet_of(r)  # type: ignore[arg-type]
            for r in _private_ranges()
        )
        (private if inside else public).append((path, text))
    if not private:
        return
    negated = op.base == "NotIpAddress"
    if not public:
        code = "PRIVATE_NOT_IP_ADDRESS" if negated else "PRIVATE_IP_ADDRESS"
        effect = "is true for every request, so it excludes nothing" if negated else "never matches"
        doc.report(
            code,
            ERROR,
            f"aws:SourceIp holds the public address a request comes from, never a private "
            f"one, so this condition {effect}. For traffic through a VPC endpoint use "
            "aws:VpcSourceIp; otherwise list public addresses.",
            entry.path,
            on_key=True,
        )
        return
    code = "PRIVATE_NOT_IP_ADDRESS_SUBSET" if negated else "PRIVATE_IP_ADDRESS_SUBSET"
    for path, text in private:
        doc.report(
            code,
            SUGGESTION,
            f'"{_shown(text)}" is a private range, which aws:SourceIp never holds, so this value '
            "has no effect. Remove it, or test it with aws:VpcSourceIp in another "
            "condition.",
            path,
        )


def _check_redundant_values(
    doc: _Records, entry: _Entry, op: Operator, readable: list[tuple[Path, str]]
) -> None:
    texts = [t for _, t in readable]
    family = op.family
    if family == "Numeric" and op.base in (
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
    ):
        _check_numeric_bounds(doc, entry, op, readable)
        return
    norms: list[str]
    covers: Callable[[str, str], bool] = _equal
    if family in ("Bool", "Null") or op.base.endswith("IgnoreCase"):
        norms = [t.lower() for t in texts]
    elif family == "Numeric":
        norms = [_decimal_text(t) for t in texts]
    elif family == "IpAddress":
        norms = [str(parse_network(t) or t) for t in texts]
        covers = _ip_covers
    elif family == "Arn":
        norms = with_placeholders(texts)
        covers = arn_covers
    elif family == "String" and op.wildcards:
        norms = with_placeholders(texts)
        covers = glob_covers
    else:
        norms = texts
    redundant = find_redundant(norms, covers)
    for i, j in sorted(redundant.items()):
        path, text = readable[i]
        other = readable[j][1]
        why = (
            f'"{_shown(text)}" repeats "{_shown(other)}"'
            if norms[i] == norms[j]
            else f'"{_shown(other)}" already matches everything "{_shown(text)}" matches'
        )
        doc.report(
            "REDUNDANT_CONDITION_VALUE",
            SUGGESTION,
            f"{why} in the values of {entry.key}, so it changes nothing: remove it.",
            path,
            fix=Fix(f'Remove "{_shown(text)}"', path, REMOVE),
        )


def _equal(a: str, b: str) -> bool:
    return a == b


def _ip_covers(general: str, specific: str) -> bool:
    g, s = parse_network(general), parse_network(specific)
    if g is None or s is None or g.version != s.version:
        return general == specific
    return s.subnet_of(g)  # type: ignore[arg-type]


def _decimal_text(text: str) -> str:
    try:
        return str(Decimal(text).normalize())
    except InvalidOperation:
        return text


def _check_numeric_bounds(
    doc: _Records, entry: _Entry, op: Operator, readable: list[tuple[Path, str]]
) -> None:
    # The values are alternatives: "less than 2700 or less than 3600" is "less than 3600".
    numbers = [(p, t, n) for p, t in readable if (n := parse_number(t)) is not None]
    if len(numbers) < 2:
        return
    upper = "LessThan" in op.base
    best = max(numbers, key=lambda n: n[2]) if upper else min(numbers, key=lambda n: n[2])
    word = "greatest" if upper else "least"
    for path, text, _ in numbers:
        if path == best[0]:
            continue
        doc.report(
            "REDUNDANT_CONDITION_VALUE_NUM",
            SUGGESTION,
            f"The values of {entry.key} are alternatives, so only the {word} one, "
            f'"{best[1]}", counts for {entry.op_name}: "{_shown(text)}" is redundant. Remove it.',
            path,
            fix=Fix(f'Remove "{_shown(text)}"', path, REMOVE),
        )
