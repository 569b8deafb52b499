"""Lint family: conditions — what each Condition entry means, and whether it can work.

The grammar family reports a Condition of the wrong shape; this family reads the
well-shaped entries and checks that IAM knows the operator and the key, that the
operator suits the key's type and the values suit the operator, that the key is in
the request context of the statement's actions, and that values are not repeated.
Ill-shaped entries (objects, null, empty lists) are skipped without a word.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import ipaddress
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any, NamedTuple

from xraybuilder.core import catalog
from xraybuilder.core.conditions import (
    SET_QUALIFIERS,
    Operator,
    base_operators,
    canonical_operator,
    is_null_if_exists,
    matches_when_absent,
    operator_for_key_type,
    parse_operator,
)
from xraybuilder.core.datafiles import read_json
from xraybuilder.core.lint.document import Document
from xraybuilder.core.lint.finding import REMOVE, Fix, Severity
from xraybuilder.core.lint.redundancy import arn_covers, find_redundant, glob_covers, with_placeholders
from xraybuilder.core.policy.source import Path

ERROR = Severity.ERROR
SECURITY_WARNING = Severity.SECURITY_WARNING
WARNING = Severity.WARNING
SUGGESTION = Severity.SUGGESTION

_VARIABLE = re.compile(r"\$\{[^}]*\}")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_EPOCH = re.compile(r"\d+(\.\d+)?")
# W3C profile of ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, then Thh:mm[:ss[.s]] and a zone.
_DATE = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?)?)?"
)
_TAG_KEYS = ("aws:requesttag", "aws:resourcetag", "aws:principaltag")
_FAMILY_WORDS = {
    "String": "text", "Arn": "ARNs", "Numeric": "numbers", "Date": "dates",
    "Bool": "true or false", "Binary": "base64-encoded bytes", "IpAddress": "IP addresses",
}
_TYPE_WORDS = {
    "String": "text", "ARN": "an ARN", "Numeric": "a number", "Date": "a date and time",
    "Bool": "true or false", "Binary": "binary data", "IPAddress": "an IP address",
}


def _value_rules() -> dict[str, Any]:
    data: dict[str, Any] = read_json("condition_values.json")
    return data


@cache
def _private_ranges() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(r) for r in _value_rules()["private_ip_ranges"])


@dataclass
class _Entry:
    """One condition key under one operator, with its scalar values as text."""

    op_name: str
    op_path: Path
    op: Operator | None
    key: str
    path: Path
    values: list[tuple[Path, str]]
    key_info: catalog.ConditionKey | None = None
    bad_key: bool = False
    """The key was reported as malformed or unknown: checks that read it are skipped."""


class _Context(NamedTuple):
    """What the checks need to know of the statement around a Condition."""

    effect: str | None
    actions: tuple[str, ...]
    not_action: bool

    @property
    def xray(self) -> bool:
        return any(text.partition(":")[0].lower() == "xray" for text in self.actions)


_Record = tuple[str, Severity, str, Path, Fix | None, bool]


class _Records(list[_Record]):
    """Findings with paths relative to the statement, kept so a later run can reuse them."""

    def report(self, code: str, severity: Severity, message: str, path: Path = (), *,
               fix: Fix | None = None, on_key: bool = False) -> None:
        self.append((code, severity, message, path, fix, on_key))


def _replay(doc: Document, records: Iterable[_Record], prefix: Path) -> None:
    for code, severity, message, path, fix, on_key in records:
        if fix is not None:
            fix = Fix(fix.description, prefix + fix.path, fix.value, fix.new_key)
        doc.report(code, severity, message, prefix + path, fix=fix, on_key=on_key)


# The values of one key as the cache sees them: None when ill-shaped, else whether
# they were a list and their texts.
_Values = tuple[bool, tuple[str, ...]] | None


def check(doc: Document) -> None:
    """Report condition findings for every statement."""
    for st in doc.statements:
        block = st.raw.get("Condition")
        if not isinstance(block, dict) or not block:
            continue
        context = _Context(st.effect, tuple(text for _, text in st.action_entries),
                           "NotAction" in st.raw and "Action" not in st.raw)
        operators = tuple(block)
        for op_name, keys in block.items():
            if not isinstance(keys, dict) or not keys:
                continue
            items = tuple((key, _freeze(raw)) for key, raw in keys.items())
            _replay(doc, _block_records(op_name, items, operators, context), st.path)


def _freeze(raw: Any) -> _Values:
    if isinstance(raw, list):
        if not raw or not all(_is_scalar(v) for v in raw):
            return None
        return True, tuple(map(_text, raw))
    return (False, (_text(raw),)) if _is_scalar(raw) else None


@lru_cache(maxsize=4096)
def _block_records(op_name: str, items: tuple[tuple[str, _Values], ...], operators: tuple[str, ...],
                   context: _Context) -> tuple[_Record, ...]:
    """Every finding for one operator and its keys, relative to the statement.

    Cached: while someone types, the other conditions of the policy stay the same.
    """
    out = _Records()
    op_path: Path = ("Condition", op_name)
    keys = tuple(key for key, _ in items)
    op = _check_operator(out, op_name, op_path, items, operators)
    _check_duplicate_keys(out, keys, op_path)
    entries = []
    for key, frozen in items:
        if frozen is None:
            continue
        is_list, texts = frozen
        path = op_path + (key,)
        values = [(path + (i,), t) for i, t in enumerate(texts)] if is_list else [(path, texts[0])]
        entry = _Entry(op_name, op_path, op, key, path, values)
        entry.key_info = _check_key(out, entry, keys)
        entries.append(entry)
    if op is None:
        return tuple(out)
    _check_qualifier(out, context, op, entries, keys, operators)
    for entry in entries:
        if entry.key_info is not None:
            _check_key_type(out, entry)
        _check_values(out, entry)
        if entry.bad_key:
            continue
        if context.xray:
            _check_tags(out, entry)
        _check_action_support(out, context, entry)
    return tuple(out)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


# -- operators ------------------------------------------------------------------------

def _check_operator(doc: _Records, name: str, path: Path, items: tuple[tuple[str, _Values], ...],
                    block: tuple[str, ...]) -> Operator | None:
    op = parse_operator(name)
    if op is not None:
        if op.family == "Null" and op.set_qualifier:
            doc.report("NULL_WITH_QUALIFIER", SUGGESTION,
                       f'"{name}" puts {op.set_qualifier}: on Null, which makes it always '
                       f'{"true" if op.set_qualifier == "ForAllValues" else "false"} instead of '
                       'testing whether the key is present. Use plain "Null".',
                       path, on_key=True)
        return op
    if is_null_if_exists(name):
        target = name[: -len("IfExists")]
        values = [v for _, frozen in items if frozen is not None for v in frozen[1]]
        fix = None
        if parse_operator(target) is not None and target not in block and values and \
                all(v.lower() in ("true", "false") for v in values):
            fix = Fix(f'Rename "{name}" to "{target}"', path, new_key=target)
        doc.report("NULL_WITH_IF_EXISTS", ERROR,
                   f'"{name}" is not an operator: Null already asks whether the key is present, '
                   f'so it takes no IfExists suffix. Use "{target}" with "true" (key absent) or '
                   '"false" (key present).', path, fix=fix, on_key=True)
        return None
    right = canonical_operator(name)
    if right is not None:
        fix = Fix(f'Rename "{name}" to "{right}"', path, new_key=right) if right not in block else None
        doc.report("INVALID_CONDITION_OPERATOR", ERROR,
                   f'"{name}" is not an operator: operator names are case-sensitive, and IAM '
                   f'rejects the policy. Write "{right}".', path, fix=fix, on_key=True)
        return None
    hint = _operator_hint(name)
    doc.report("INVALID_CONDITION_OPERATOR", ERROR,
               f'"{name}" is not a condition operator, so IAM rejects the policy.{hint} Operators '
               "are StringEquals, StringLike, ArnLike, NumericLessThan, DateGreaterThan, Bool, "
               "IpAddress, Null and their Not/IfExists forms, optionally prefixed by "
               "ForAllValues: or ForAnyValue:.", path, on_key=True)
    return None


@lru_cache(maxsize=256)
def _operator_hint(name: str) -> str:
    qualifier, colon, rest = name.rpartition(":")
    qualifier = next((q for q in SET_QUALIFIERS if q.lower() == qualifier.lower()), qualifier)
    suffix = "IfExists" if rest.lower().endswith("ifexists") else ""
    core = rest[: -len(suffix)] if suffix else rest
    names = {n.lower(): n for n in base_operators()}
    close = difflib.get_close_matches(core.lower(), list(names), n=1, cutoff=0.75)
    if not close:
        return ""
    return f' Did you mean "{qualifier}{colon}{names[close[0]]}{suffix}"?'


def _check_duplicate_keys(doc: _Records, keys: tuple[str, ...], op_path: Path) -> None:
    first: dict[str, str] = {}
    for key in keys:
        seen = first.setdefault(key.lower(), key)
        if seen != key:
            doc.report("DUPLICATE_KEYS_WITH_DIFFERENT_CASE", ERROR,
                       f'"{key}" and "{seen}" are the same condition key (key names ignore case), '
                       "listed twice under one operator. Keep one and merge their values.",
                       op_path + (key,), on_key=True)


# -- keys -----------------------------------------------------------------------------

def _check_key(doc: _Records, entry: _Entry, keys: tuple[str, ...]) -> catalog.ConditionKey | None:
    key = entry.key
    prefix, colon, name = key.partition(":")
    if not colon or not prefix or not name:
        entry.bad_key = True
        doc.report("INVALID_CONDITION_KEY_FORMAT", ERROR,
                   f'"{key}" is not a condition key: keys are written service:name, '
                   'for example "aws:SourceIp" or "aws:ResourceTag/team".', entry.path, on_key=True)
        return None
    low = key.lower()
    if low.rstrip("/") in _TAG_KEYS:
        entry.bad_key = True
        base = key.rstrip("/")
        doc.report("MISSING_TAG_KEY_IN_CONDITION", ERROR,
                   f'"{key}" needs the tag key it tests: write "{base}/<tag-key>", '
                   f'for example {{"{base}/team": "checkout"}}.', entry.path, on_key=True)
        return None
    found = catalog.condition_key(key)
    if found is not None:
        return found
    if prefix.lower() == "aws":
        entry.bad_key = True
        hint = _global_key_hint(low)
        doc.report("INVALID_GLOBAL_CONDITION_KEY", ERROR,
                   f'"{key}" is not an AWS global condition key, so the condition never matches.'
                   f"{hint} Global keys are listed in the IAM User Guide under "
                   '"AWS global condition context keys".', entry.path, on_key=True)
        return None
    service = catalog.service(prefix)
    if service is None:
        # A service the catalog does not hold: its keys cannot be judged here.
        return None
    entry.bad_key = True
    _report_unknown_service_key(doc, entry, service, keys)
    return None


@lru_cache(maxsize=256)
def _global_key_hint(low: str) -> str:
    names = {k.lower(): k for k in catalog.global_condition_keys() if "${" not in k}
    close = difflib.get_close_matches(low, list(names), n=1, cutoff=0.75)
    return f' Did you mean "{names[close[0]]}"?' if close else ""


def _report_unknown_service_key(doc: _Records, entry: _Entry, service: catalog.Service,
                                keys: tuple[str, ...]) -> None:
    key = entry.key
    name = key.partition(":")[2]
    renamed = "aws:" + name
    target = catalog.condition_key(renamed)
    if target is not None and _is_tag_key(renamed.lower()):
        # The X-Ray guide names "xray:ResourceTag/key-name"; the key IAM evaluates is the
        # global aws:ResourceTag/key-name (the guide's own example uses it).
        clash = any(k.lower() == renamed.lower() for k in keys)
        fix = None if clash else Fix(f'Rename "{key}" to "{renamed}"', entry.path, new_key=renamed)
        slip = (' (the X-Ray guide\'s "xray:ResourceTag/key-name" is a documentation slip)'
                if service.prefix == "xray" else "")
        doc.report("INVALID_SERVICE_CONDITION_KEY", ERROR,
                   f'"{key}" does not exist, so the condition never matches: tags are tested '
                   f'with the global key "{renamed}"{slip}. Rename the key.',
                   entry.path, fix=fix, on_key=True)
        return
    own = sorted(k for k in service.condition_keys if k.lower().startswith(service.prefix + ":"))
    listing = _names(own) if own else "none"
    doc.report("INVALID_SERVICE_CONDITION_KEY", ERROR,
               f'"{key}" is not a condition key of {service.name}, so the condition never '
               f"matches. Its own keys are: {listing}; global aws: keys work too.",
               entry.path, on_key=True)


def _is_tag_key(low: str) -> bool:
    return low.startswith(("aws:requesttag/", "aws:resourcetag/")) or low == "aws:tagkeys"


def _check_qualifier(doc: _Records, context: _Context, op: Operator, entries: list[_Entry],
                     keys: tuple[str, ...], block: tuple[str, ...]) -> None:
    if op.family == "Null":
        return
    # Renaming the operator changes every key under it, so offer it only when all agree.
    all_single = all(e.key_info is not None and not e.key_info.multivalued for e in entries) and \
        len(entries) == len(keys)
    plain = op.base + ("IfExists" if op.if_exists else "")
    for entry in entries:
        info = entry.key_info
        if info is None:
            continue
        if info.multivalued and op.set_qualifier is None:
            doc.report("MISSING_QUALIFIER", ERROR,
                       f'"{entry.key}" can hold several values in one request (a set), and '
                       f'"{entry.op_name}" without a set qualifier cannot compare a set, so the '
                       "condition fails whenever the request has the key. Write "
                       f'"ForAnyValue:{entry.op_name}" (at least one request value must match) or '
                       f'"ForAllValues:{entry.op_name}" (every request value must match; it also '
                       "matches a request without the key).", entry.path, on_key=True)
        elif not info.multivalued and op.set_qualifier == "ForAllValues":
            fix = None
            if all_single and plain not in block:
                fix = Fix(f'Rename "{entry.op_name}" to "{plain}"', entry.op_path, new_key=plain)
            allow = context.effect == "Allow"
            doc.report("FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                       SECURITY_WARNING if allow else WARNING,
                       f'"{entry.key}" holds a single value, and ForAllValues: is true when the '
                       "request lacks the key"
                       + (", so this statement also allows requests without it. " if allow else ". ")
                       + f'Remove the qualifier: "{plain}".', entry.path, fix=fix, on_key=True)
        elif not info.multivalued and op.set_qualifier == "ForAnyValue":
            fix = None
            # Without the qualifier a negated or IfExists operator turns true on an
            # absent key, so the rename is only certain for the plain positive forms.
            if all_single and not op.negated and not op.if_exists and plain not in block:
                fix = Fix(f'Rename "{entry.op_name}" to "{plain}"', entry.op_path, new_key=plain)
            doc.report("FORANYVALUE_WITH_SINGLE_VALUED_KEY", SUGGESTION,
                       f'"{entry.key}" holds a single value; ForAnyValue: is meant for keys that '
                       f'hold a set. Write "{plain}" to say what you mean.',
                       entry.path, fix=fix, on_key=True)


def _check_key_type(doc: _Records, entry: _Entry) -> None:
    op, info = entry.op, entry.key_info
    if op is None or info is None or op.accepts_key_type(info.type):
        return
    wanted = operator_for_key_type(info.type)
    if wanted is None:
        return
    family = parse_operator(wanted)
    family_name = family.family if family is not None else wanted
    holds = _TYPE_WORDS.get(info.base_type, info.base_type)
    compares = _FAMILY_WORDS.get(op.family, op.family)
    doc.report("TYPE_MISMATCH", ERROR,
               f"Use the operator type {family_name} instead of operator {entry.op_name} for the "
               f"condition key {entry.key}. The key holds {holds}, but {op.family} operators "
               f"compare {compares}, so the condition does not test what it seems to. Write, for "
               f'example, "{wanted}".', entry.path, on_key=True)


# -- values ---------------------------------------------------------------------------

def _check_values(doc: _Records, entry: _Entry) -> None:
    op = entry.op
    assert op is not None
    readable: list[tuple[Path, str]] = []
    for path, text in entry.values:
        if "${" in text and not op.accepts_variables and _VARIABLE.search(text):
            doc.report("INVALID_VARIABLE_FOR_OPERATOR", ERROR,
                       f'"{_shown(text)}" holds a policy variable, but {op.base} does not accept '
                       "variables (only String, Arn and Bool operators do), so it is compared as "
                       "literal text. Write a fixed value.", path)
            continue
        problem = _value_problem(op.family, op.base, op.wildcards, text)
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
            doc.report("INVALID_CONDITION_MULTIPLE_BOOLEAN", ERROR,
                       f'"{entry.key}" lists both true and false, so the condition matches any '
                       "request that has the key and tests nothing. Keep the one value you mean.",
                       entry.path, on_key=True)
    if op.family == "IpAddress" and entry.key.lower() == "aws:sourceip":
        _check_private_ips(doc, entry, op, readable)
    if len(readable) > 1:
        _check_redundant_values(doc, entry, op, readable)


@lru_cache(maxsize=4096)
def _value_problem(family: str, base: str, wildcards: bool,
                   text: str) -> tuple[str, Severity, str, str | None] | None:
    """(code, severity, message, replacement) for a value its operator cannot use."""
    if family in ("Bool", "Null"):
        if "${" in text or text.lower() in ("true", "false"):
            return None
        meaning = ('"true" (the request lacks the key) or "false" (the request has it)'
                   if family == "Null" else '"true" or "false"')
        return ("TYPE_MISMATCH_BOOLEAN", ERROR,
                f'{base} takes {meaning}, not "{_shown(text)}", so the condition never matches.', None)
    if family == "Numeric":
        if _NUMBER.fullmatch(text):
            return None
        return ("TYPE_MISMATCH_NUMBER", ERROR,
                f'{base} compares numbers, and "{_shown(text)}" is not one, so the condition never matches. '
                'Write digits, e.g. "3600".', None)
    if family == "Date":
        if _is_date(text):
            return None
        return ("TYPE_MISMATCH_DATE", ERROR,
                f'{base} compares dates, and "{_shown(text)}" is not one, so the condition never matches. '
                'Write an ISO 8601 date such as "2027-01-01" or "2027-01-01T00:00:00Z", or epoch '
                'seconds such as "1798761600".', None)
    if family == "IpAddress":
        return _ip_problem(base, text)
    if family == "Binary":
        try:
            base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return ("TYPE_MISMATCH_STRING", ERROR,
                    f'BinaryEquals compares base64-encoded bytes, and "{_shown(text)}" is not valid base64, '
                    "so the condition never matches. Encode the value with base64.", None)
        return None
    if family == "Arn":
        if _VARIABLE.fullmatch(text) or _looks_like_arn(text):
            return None
        return ("TYPE_MISMATCH_ARN", ERROR,
                f'{base} compares ARNs field by field, and "{_shown(text)}" is not an ARN '
                "(arn:partition:service:region:account:resource, with * or ? inside fields), "
                "so it never matches. Write the full ARN, or use a String operator.", None)
    if family == "String" and not wildcards and _has_wildcard(text):
        return ("WILDCARD_WITHOUT_LIKE_OPERATOR", WARNING,
                f'"{_shown(text)}" holds * or ?, which {base} compares as plain characters, not as '
                f'wildcards. If you meant a pattern, use {_like_twin(base)}.', None)
    return None


def _shown(text: str) -> str:
    """A value as quoted in a message: long ones are cut, the finding's path says where."""
    return text if len(text) <= 60 else text[:57] + "..."


def _like_twin(base: str) -> str:
    return "StringNotLike" if base.startswith("StringNot") else "StringLike"


def _has_wildcard(text: str) -> bool:
    # "${*}" and "${?}" are the escapes for a literal * and ?.
    stripped = _VARIABLE.sub("", text) if "${" in text else text
    return "*" in stripped or "?" in stripped


def _looks_like_arn(text: str) -> bool:
    plain = _VARIABLE.sub("x", text) if "${" in text else text
    fields = plain.split(":", 5)
    return len(fields) == 6 and fields[0] == "arn"


def _is_date(text: str) -> bool:
    if _EPOCH.fullmatch(text):
        return True
    match = _DATE.fullmatch(text)
    if match is None:
        return False
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                 int(second or 0))
    except ValueError:
        return False
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        if int(digits[:2]) > 23 or int(digits[2:]) > 59:
            return False
    return True


@lru_cache(maxsize=1024)
def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    # IAM wants CIDR notation; Python would also accept a netmask after the slash.
    address, slash, bits = text.partition("/")
    if slash and not bits.isdigit():
        return None
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def _ip_problem(base: str, text: str) -> tuple[str, Severity, str, str | None] | None:
    network = _network(text)
    if network is None:
        return ("TYPE_MISMATCH_IP_RANGE", ERROR,
                f'{base} compares IP addresses, and "{_shown(text)}" is not one, so the condition never '
                'matches. Write an address or a CIDR range, e.g. "203.0.113.0/24" or '
                '"2001:db8::/32".', None)
    try:
        ipaddress.ip_network(text, strict=True)
    except ValueError:
        return ("IMPROVE_IP_RANGE", SUGGESTION,
                f'"{_shown(text)}" sets bits after the /{network.prefixlen} mask, which IAM ignores: '
                f'the range is "{network}". Write that to say what is matched.', str(network))
    return None


def _check_private_ips(doc: _Records, entry: _Entry, op: Operator,
                       readable: list[tuple[Path, str]]) -> None:
    private: list[tuple[Path, str]] = []
    public: list[tuple[Path, str]] = []
    for path, text in readable:
        network = _network(text)
        if network is None:
            continue
        inside = any(network.version == r.version and network.subnet_of(r)  # type: ignore[arg-type]
                     for r in _private_ranges())
        (private if inside else public).append((path, text))
    if not private:
        return
    negated = op.base == "NotIpAddress"
    if not public:
        code = "PRIVATE_NOT_IP_ADDRESS" if negated else "PRIVATE_IP_ADDRESS"
        effect = ("is true for every request, so it excludes nothing" if negated
                  else "never matches")
        doc.report(code, ERROR,
                   f"aws:SourceIp holds the public address a request comes from, never a private "
                   f"one, so this condition {effect}. For traffic through a VPC endpoint use "
                   "aws:VpcSourceIp; otherwise list public addresses.", entry.path, on_key=True)
        return
    code = "PRIVATE_NOT_IP_ADDRESS_SUBSET" if negated else "PRIVATE_IP_ADDRESS_SUBSET"
    for path, text in private:
        doc.report(code, SUGGESTION,
                   f'"{_shown(text)}" is a private range, which aws:SourceIp never holds, so this value '
                   "has no effect. Remove it, or test it with aws:VpcSourceIp in another "
                   "condition.", path)


def _check_redundant_values(doc: _Records, entry: _Entry, op: Operator,
                            readable: list[tuple[Path, str]]) -> None:
    texts = [t for _, t in readable]
    family = op.family
    if family == "Numeric" and op.base in ("NumericLessThan", "NumericLessThanEquals",
                                           "NumericGreaterThan", "NumericGreaterThanEquals"):
        _check_numeric_bounds(doc, entry, op, readable)
        return
    norms: list[str]
    covers: Callable[[str, str], bool] = _equal
    if family in ("Bool", "Null") or op.base.endswith("IgnoreCase"):
        norms = [t.lower() for t in texts]
    elif family == "Numeric":
        norms = [_decimal_text(t) for t in texts]
    elif family == "IpAddress":
        norms = [str(_network(t) or t) for t in texts]
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
        why = (f'"{_shown(text)}" repeats "{_shown(other)}"' if norms[i] == norms[j]
               else f'"{_shown(other)}" already matches everything "{_shown(text)}" matches')
        doc.report("REDUNDANT_CONDITION_VALUE", SUGGESTION,
                   f"{why} in the values of {entry.key}, so it changes nothing: remove it.",
                   path, fix=Fix(f'Remove "{_shown(text)}"', path, REMOVE))


def _equal(a: str, b: str) -> bool:
    return a == b


def _ip_covers(general: str, specific: str) -> bool:
    g, s = _network(general), _network(specific)
    if g is None or s is None or g.version != s.version:
        return general == specific
    return s.subnet_of(g)  # type: ignore[arg-type]


def _decimal_text(text: str) -> str:
    try:
        return str(Decimal(text).normalize())
    except InvalidOperation:
        return text


def _check_numeric_bounds(doc: _Records, entry: _Entry, op: Operator,
                          readable: list[tuple[Path, str]]) -> None:
    # The values are alternatives: "less than 2700 or less than 3600" is "less than 3600".
    numbers = [(p, t, Decimal(t)) for p, t in readable if _NUMBER.fullmatch(t)]
    if len(numbers) < 2:
        return
    upper = "LessThan" in op.base
    best = max(numbers, key=lambda n: n[2]) if upper else min(numbers, key=lambda n: n[2])
    word = "greatest" if upper else "least"
    for path, text, _ in numbers:
        if path == best[0]:
            continue
        doc.report("REDUNDANT_CONDITION_VALUE_NUM", SUGGESTION,
                   f"The values of {entry.key} are alternatives, so only the {word} one, "
                   f'"{best[1]}", counts for {op.base}: "{_shown(text)}" is redundant. Remove it.',
                   path, fix=Fix(f'Remove "{_shown(text)}"', path, REMOVE))


# -- tags -----------------------------------------------------------------------------

def _check_tags(doc: _Records, entry: _Entry) -> None:
    op = entry.op
    assert op is not None
    low = entry.key.lower()
    if low.startswith(("aws:requesttag/", "aws:resourcetag/")):
        tag_key = entry.key.split("/", 1)[1]
        request = low.startswith("aws:requesttag/")
        problem = _tag_text_problem(tag_key, "key", False, request)
        if problem:
            doc.report("INVALID_TAG_KEY", WARNING,
                       f'The tag key "{_shown(tag_key)}" in {_shown(entry.key)} {problem}, so the '
                       "condition never matches an X-Ray tag.", entry.path, on_key=True)
        if op.family == "String":
            for path, text in entry.values:
                problem = _tag_text_problem(text, "value", op.wildcards, False)
                if problem:
                    doc.report("INVALID_TAG_VALUE", WARNING,
                               f'The tag value "{_shown(text)}" {problem}, so it never matches an X-Ray tag.',
                               path)
    elif low == "aws:tagkeys" and op.family == "String":
        for path, text in entry.values:
            problem = _tag_text_problem(text, "key", op.wildcards, True)
            if problem:
                doc.report("INVALID_TAG_KEY", WARNING,
                           f'The tag key "{_shown(text)}" {problem}, so it never matches an X-Ray tag key.',
                           path)


@lru_cache(maxsize=2048)
def _tag_text_problem(text: str, kind: str, wildcards: bool, request: bool) -> str | None:
    """Why a tag key or value can never be an X-Ray tag, or None."""
    rules = _value_rules()["xray_tags"]
    plain = _VARIABLE.sub("", text) if "${" in text else text
    if "${" in text and not plain:
        return None
    # A * or ? in a non-Like value gets its own finding (WILDCARD_WITHOUT_LIKE_OPERATOR).
    literal = plain.replace("*", "").replace("?", "")
    low_max, high_max = rules[f"{kind}_min"], rules[f"{kind}_max"]
    if "${" not in text and not (wildcards and literal != plain):
        if len(plain) < low_max:
            return f"is empty; X-Ray tag {kind}s have 1 to {high_max} characters"
    if len(literal) > high_max:
        return f"is {len(literal)} characters long; X-Ray allows at most {high_max}"
    allowed = rules["punctuation"]
    bad = sorted({c for c in literal if not (c.isalnum() or c in allowed)})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        return (f"holds {shown}; X-Ray tags allow letters, digits, spaces and "
                f"{' '.join(allowed.strip())}")
    if kind == "key" and request and plain.lower().startswith(rules["reserved_prefix"]):
        return f'starts with "{rules["reserved_prefix"]}", which is reserved for tags AWS sets'
    return None


# -- is the key in the request context of the statement's actions? ---------------------

def _is_action_specific(low: str) -> bool:
    """Service keys and tag keys exist only for the actions that document them."""
    return not low.startswith("aws:") or _is_tag_key(low)


def _check_action_support(doc: _Records, context: _Context, entry: _Entry) -> None:
    low = entry.key.lower()
    effect = context.effect
    if effect not in ("Allow", "Deny") or ":" not in low or not _is_action_specific(low):
        return
    op = entry.op
    assert op is not None
    absent = matches_when_absent(op, tuple(t for _, t in entry.values))
    if context.not_action:
        _check_not_action_tags(doc, context, entry, low)
        return
    any_supported = unknown_entry = False
    unsupported: list[str] = []
    for text in context.actions:
        total, supported, missing = _support(text.lower(), low)
        unknown_entry = unknown_entry or total == 0
        any_supported = any_supported or supported > 0
        if not any(c in "*?" for c in text):
            unsupported.extend(missing)
    if not context.actions or any_supported and not unsupported:
        return
    if not any_supported and not unknown_entry:
        named = _names(context.actions)
        subject = f"any of the actions in this statement ({named})"
        all_of = True
    elif unsupported:
        subject = _names(unsupported)
        all_of = False
    else:
        return
    them = "them" if all_of or len(unsupported) > 1 else "it"
    lacking = f'"{entry.key}" is not in the request context of {subject}'
    if effect == "Allow" and not absent:
        code, severity = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", ERROR
        result = (f"so {entry.op_name} is never true for {them} and this statement never allows "
                  f"{them}")
    elif effect == "Deny" and not absent:
        code, severity = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", SECURITY_WARNING
        result = (f"so {entry.op_name} is never true for {them} and this Deny silently never "
                  f"denies {them}, whatever the request")
    elif effect == "Allow":
        code, severity = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", SECURITY_WARNING
        result = (f"so {entry.op_name} is always true for {them}: this statement allows {them} "
                  "without the restriction the condition seems to add")
    else:
        code, severity = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", WARNING
        result = f"so {entry.op_name} is always true for {them}: this statement always denies {them}"
    doc.report(code, severity,
               f"{lacking}, {result}. Move {them} to a statement without this condition key.",
               entry.path, on_key=True)


def _names(names: Iterable[str]) -> str:
    unique = list(dict.fromkeys(names))
    shown = ", ".join(unique[:5])
    return shown + (f" and {len(unique) - 5} more" if len(unique) > 5 else "")


def _check_not_action_tags(doc: _Records, context: _Context, entry: _Entry, low: str) -> None:
    if not _is_tag_key(low):
        return
    if context.effect == "Allow":
        doc.report("ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", SUGGESTION,
                   f'NotAction matches actions of every service, and many lack "{entry.key}" in '
                   "their request context, so this statement allows only the actions that have it. "
                   "List the actions you mean in Action instead.", entry.path, on_key=True)
    else:
        doc.report("DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", SECURITY_WARNING,
                   f'NotAction matches actions of every service, and many lack "{entry.key}" in '
                   "their request context, so this Deny silently never denies them. List the "
                   "actions to deny in Action instead.", entry.path, on_key=True)


@lru_cache(maxsize=8192)
def _support(pattern: str, key: str) -> tuple[int, int, tuple[str, ...]]:
    """For one Action entry and key: (known actions, how many support the key, names that don't)."""
    if pattern == "*":
        actions = [a for p in catalog.service_prefixes() for a in _service_actions(p)]
    else:
        actions = catalog.expand_action(pattern)
    supported = 0
    missing: list[str] = []
    for action in actions:
        if any(catalog.key_matches_template(key, t) for t in _action_keys(action)):
            supported += 1
        else:
            missing.append(action.full_name)
    return len(actions), supported, tuple(missing)


def _service_actions(prefix: str) -> list[catalog.Action]:
    svc = catalog.service(prefix)
    return list(svc.actions.values()) if svc is not None else []


@lru_cache(maxsize=4096)
def _action_keys(action: catalog.Action) -> tuple[str, ...]:
    """Keys in the request context of an action.

    Besides the keys its own row documents, the keys of the resource types it acts on
    (the resource's tags), except for a resource the action creates: ``CreateGroup``
    makes the group, which has no tags yet when IAM authorizes the call.
    """
    keys = list(action.condition_keys)
    svc = catalog.service(action.service)
    for rt in action.resource_types:
        keys.extend(rt.condition_keys)
        if svc is None or rt.resource_type not in svc.resource_types:
            continue
        created = _squash("Create" + rt.resource_type) == _squash(action.name)
        if not created:
            keys.extend(svc.resource_types[rt.resource_type].condition_keys)
    return tuple(dict.fromkeys(keys))


def _squash(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())
