"""Condition keys: known, listed once, qualified as they need, of the operator's type.

Unknown global or service keys (with the ``xray:ResourceTag`` rename), tag keys without
a tag name, keys repeated in another case under one operator, ForAllValues/ForAnyValue
against single- and multivalued keys, and operators that do not suit the key's type.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from xraybuilder.core import catalog
from xraybuilder.core.conditions import Operator, operator_for_key_type, parse_operator
from xraybuilder.core.lint.conditions.common import (
    ERROR,
    SECURITY_WARNING,
    SUGGESTION,
    WARNING,
    _Context,
    _Entry,
    _names,
    _Records,
)
from xraybuilder.core.lint.finding import Fix
from xraybuilder.core.policy.source import Path

_TAG_KEYS = ("aws:requesttag", "aws:resourcetag", "aws:principaltag")
_FAMILY_WORDS = {
    "String": "text",
    "Arn": "ARNs",
    "Numeric": "numbers",
    "Date": "dates",
    "Bool": "true or false",
    "Binary": "base64-encoded bytes",
    "IpAddress": "IP addresses",
}
_TYPE_WORDS = {
    "String": "text",
    "ARN": "an ARN",
    "Numeric": "a number",
    "Date": "a date and time",
    "Bool": "true or false",
    "Binary": "binary data",
    "IPAddress": "an IP address",
}


def _check_duplicate_keys(doc: _Records, keys: tuple[str, ...], op_path: Path) -> None:
    first: dict[str, str] = {}
    for key in keys:
        seen = first.setdefault(key.lower(), key)
        if seen != key:
            doc.report(
                "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
                ERROR,
                f'"{key}" and "{seen}" are the same condition key (key names ignore case), '
                "listed twice under one operator. Keep one and merge their values.",
                op_path + (key,),
                on_key=True,
            )


def _check_key(doc: _Records, entry: _Entry, keys: tuple[str, ...]) -> catalog.ConditionKey | None:
    key = entry.key
    prefix, colon, name = key.partition(":")
    if not colon or not prefix or not name:
        entry.bad_key = True
        doc.report(
            "INVALID_CONDITION_KEY_FORMAT",
            ERROR,
            f'"{key}" is not a condition key: keys are written service:name, '
            'for example "aws:SourceIp" or "aws:ResourceTag/team".',
            entry.path,
            on_key=True,
        )
        return None
    low = key.lower()
    if low.rstrip("/") in _TAG_KEYS:
        entry.bad_key = True
        base = key.rstrip("/")
        doc.report(
            "MISSING_TAG_KEY_IN_CONDITION",
            ERROR,
            f'"{key}" needs the tag key it tests: write "{base}/<tag-key>", '
            f'for example {{"{base}/team": "checkout"}}.',
            entry.path,
            on_key=True,
        )
        return None
    found = catalog.condition_key(key)
    if found is not None:
        return found
    if prefix.lower() == "aws":
        entry.bad_key = True
        hint = _global_key_hint(low)
        doc.report(
            "INVALID_GLOBAL_CONDITION_KEY",
            ERROR,
            f'"{key}" is not an AWS global condition key, so the condition never matches.'
            f"{hint} Global keys are listed in the IAM User Guide under "
            '"AWS global condition context keys".',
            entry.path,
            on_key=True,
        )
        return None
    service = catalog.service(prefix)
    if service is None:
        # No AWS service has this prefix (saml:, accounts.google.com: and the like were
        # found above, through the services that document them): nothing to judge by.
        return None
    entry.bad_key = True
    _report_unknown_service_key(doc, entry, service, keys)
    return None


@lru_cache(maxsize=256)
def _global_key_hint(low: str) -> str:
    names = {k.lower(): k for k in catalog.global_condition_keys() if "${" not in k}
    close = difflib.get_close_matches(low, list(names), n=1, cutoff=0.75)
    return f' Did you mean "{names[close[0]]}"?' if close else ""


def _report_unknown_service_key(
    doc: _Records, entry: _Entry, service: catalog.Service, keys: tuple[str, ...]
) -> None:
    key = entry.key
    name = key.partition(":")[2]
    renamed = "aws:" + name
    target = catalog.condition_key(renamed)
    if target is not None and _is_tag_key(renamed.lower()):
        # The X-Ray guide names "xray:ResourceTag/key-name"; the key IAM evaluates is the
        # global aws:ResourceTag/key-name (the guide's own example uses it).
        clash = any(k.lower() == renamed.lower() for k in keys)
        fix = None if clash else Fix(f'Rename "{key}" to "{renamed}"', entry.path, new_key=renamed)
        slip = (
            ' (the X-Ray guide\'s "xray:ResourceTag/key-name" is a documentation slip)'
            if service.prefix == "xray"
            else ""
        )
        doc.report(
            "INVALID_SERVICE_CONDITION_KEY",
            ERROR,
            f'"{key}" does not exist, so the condition never matches: tags are tested '
            f'with the global key "{renamed}"{slip}. Rename the key.',
            entry.path,
            fix=fix,
            on_key=True,
        )
        return
    own = sorted(k for k in service.condition_keys if k.lower().startswith(service.prefix + ":"))
    listing = _names(own) if own else "none"
    doc.report(
        "INVALID_SERVICE_CONDITION_KEY",
        ERROR,
        f'"{key}" is not a condition key of {service.name}, so the condition never '
        f"matches. Its own keys are: {listing}; global aws: keys work too.",
        entry.path,
        on_key=True,
    )


def _is_tag_key(low: str) -> bool:
    return low.startswith(("aws:requesttag/", "aws:resourcetag/")) or low == "aws:tagkeys"


def _check_qualifier(
    doc: _Records,
    context: _Context,
    op: Operator,
    entries: list[_Entry],
    keys: tuple[str, ...],
    block: tuple[str, ...],
) -> None:
    if op.family == "Null":
        return
    # Renaming the operator changes every key under it, so offer it only when all agree.
    all_single = all(e.key_info is not None and not e.key_info.multivalued for e in entries) and len(
        entries
    ) == len(keys)
    plain = op.base + ("IfExists" if op.if_exists else "")
    for entry in entries:
        info = entry.key_info
        if info is None:
            continue
        if info.multivalued and op.set_qualifier is None:
            doc.report(
                "MISSING_QUALIFIER",
                ERROR,
                f'"{entry.key}" can hold several values in one request (a set), and '
                f'"{entry.op_name}" without a set qualifier cannot compare a set, so the '
                "condition fails whenever the request has the key. Write "
                f'"ForAnyValue:{entry.op_name}" (at least one request value must match) or '
                f'"ForAllValues:{entry.op_name}" (every request value must match; it also '
                "matches a request without the key).",
                entry.path,
                on_key=True,
            )
        elif not info.multivalued and op.set_qualifier == "ForAllValues":
            fix = None
            if all_single and plain not in block:
                fix = Fix(f'Rename "{entry.op_name}" to "{plain}"', entry.op_path, new_key=plain)
            allow = context.effect == "Allow"
            doc.report(
                "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                SECURITY_WARNING if allow else WARNING,
                f'"{entry.key}" holds a single value, and ForAllValues: is true when the '
                "request lacks the key"
                + (", so this statement also allows requests without it. " if allow else ". ")
                + f'Remove the qualifier: "{plain}".',
                entry.path,
                fix=fix,
                on_key=True,
            )
        elif not info.multivalued and op.set_qualifier == "ForAnyValue":
            fix = None
            # Without the qualifier a negated or IfExists operator turns true on an
            # absent key, so the rename is only certain for the plain positive forms.
            if all_single and not op.negated and not op.if_exists and plain not in block:
                fix = Fix(f'Rename "{entry.op_name}" to "{plain}"', entry.op_path, new_key=plain)
            doc.report(
                "FORANYVALUE_WITH_SINGLE_VALUED_KEY",
                SUGGESTION,
                f'"{entry.key}" holds a single value; ForAnyValue: is meant for keys that '
                f'hold a set. Write "{plain}" to say what you mean.',
                entry.path,
                fix=fix,
                on_key=True,
            )


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
    doc.report(
        "TYPE_MISMATCH",
        ERROR,
        f"Use the operator type {family_name} instead of operator {entry.op_name} for the "
        f"condition key {entry.key}. The key holds {holds}, but {op.family} operators "
        f"compare {compares}, so the condition does not test what it seems to. Write, for "
        f'example, "{wanted}".',
        entry.path,
        on_key=True,
    )
