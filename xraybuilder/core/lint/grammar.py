"""Lint family: grammar — the structure and JSON types of an identity policy.

Covers what IAM checks before it looks at any action, ARN or condition key: the
elements present and their JSON types, Version, Sid, Effect, the shape of Condition,
the characters IAM accepts, and the syntax of policy variables. Semantics (what an
action, ARN or condition key means) belong to the other families.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from xraybuilder.core.lint.document import Document, StatementView
from xraybuilder.core.lint.finding import REMOVE, Fix, Severity
from xraybuilder.core.policy.model import POLICY_ELEMENTS, STATEMENT_ELEMENTS, VERSIONS, format_path
from xraybuilder.core.policy.source import Path

ERROR = Severity.ERROR
WARNING = Severity.WARNING
SUGGESTION = Severity.SUGGESTION

CURRENT_VERSION = VERSIONS[0]
OLD_VERSION = VERSIONS[1]
_PRINCIPALS = ("Principal", "NotPrincipal")
# Elements an identity-policy statement may hold (Principal is for resource policies).
_IDENTITY_ELEMENTS = tuple(e for e in STATEMENT_ELEMENTS if e not in _PRINCIPALS)
_IDENTITY_ELEMENT_SET = frozenset(_IDENTITY_ELEMENTS)
_ALL_ELEMENT_SET = frozenset(STATEMENT_ELEMENTS)
_EFFECTS = ("Allow", "Deny")

# IAM's policyDocument parameter pattern: [\u0009\u000A\u000D\u0020-\u00FF]+. It applies
# to the text as sent, so a "\u2013" escape passes; a raw en dash does not.
_BAD_CHARS = re.compile(r"[^\t\n\r\x20-\xff]+")
# The characters people paste from word processors, and what they stand for.
_ASCII_FOR = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)

# IAM's error for anything else: "Statement IDs (SID) must be alpha-numeric. Check that
# your input satisfies the regular expression [0-9A-Za-z]*".
_SID_OK = re.compile(r"[0-9A-Za-z]*")
_SID_BAD_CHAR = re.compile(r"[^0-9A-Za-z]")
_SPACE = re.compile(r"\s")
# ${*}, ${?} and ${$} stand for the literal characters *, ? and $.
_SPECIAL_VARIABLES = frozenset("*?$")

_JSON_KIND = {
    str: "a string",
    bool: "true/false",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


def _kind(value: Any) -> str:
    return _JSON_KIND.get(type(value), type(value).__name__)


@dataclass
class _State:
    """What the statement checks need to know about the whole policy."""

    variables_literal: bool
    """Version is missing or 2008-10-17: IAM takes ``${...}`` as plain text."""
    any_variables: bool
    """The statement holds "${" somewhere; when not, no element needs a variable scan."""
    sids: dict[str, Path] = field(default_factory=dict)


def check(doc: Document) -> None:
    """Report grammar findings on doc."""
    check_document(doc)
    for statement in doc.statements:
        check_statement(doc, statement)
    check_across(doc, ())


def check_document(doc: Document) -> None:
    """The policy's own elements: its type, characters, Version, Id and Statement list."""
    policy = doc.value
    if not isinstance(policy, dict):
        doc.report(
            "DATA_TYPE_MISMATCH",
            ERROR,
            f"A policy must be a JSON object ({{...}}) holding Version and Statement, "
            f"but this document is {_kind(policy)}.",
        )
        return
    _check_characters(doc)
    slipped = _check_policy_elements(doc, policy)
    doc.facts["variables_literal"] = _check_version(doc, policy, slipped)
    if doc.context.kind == "identity":
        _check_id(doc, policy)
    _check_statement_list(doc, policy, slipped)


def check_statement(doc: Document, st: StatementView) -> None:
    """One statement's grammar, but for its Sid (which depends on the other statements)."""
    variables_literal = bool(doc.facts.get("variables_literal", False))
    _check_statement(doc, st, _State(variables_literal, _has_variables(doc, st.raw)))


def check_across(doc: Document, notes: Sequence[object]) -> None:
    """Sids: each a valid name, used by one statement only."""
    state = _State(False, False)
    for statement in doc.statements:
        _check_sid(doc, statement, state)


def _has_variables(doc: Document, raw: Any) -> bool:
    """Whether any string of a statement holds "${", read after JSON unescaping as IAM
    reads it (``$\\u007b`` is a variable too); the document's raw text answers the common
    case, a text without "${" or escapes."""
    if not doc.may_hold_variables:
        return False
    return "${" in json.dumps(raw, ensure_ascii=False)


# -- characters -------------------------------------------------------------------


def _check_characters(doc: Document) -> None:
    text = doc.text
    if text.isascii():
        return  # the common case, decided without a regex scan
    for m in _BAD_CHARS.finditer(text):
        start, end = m.span()
        if start == 0 and text[0] == "\ufeff":
            start += 1  # the byte-order mark is reported by the JSON reader
            if start == end:
                continue
        chars = text[start:end]
        path, fix = _character_fix(doc, start, chars)
        distinct = list(dict.fromkeys(chars))
        names = ", ".join(_char_name(c) for c in distinct[:3]) + (", …" if len(distinct) > 3 else "")
        what = "character" if len(chars) == 1 else f"{len(chars)} characters"
        doc.report(
            "UNSUPPORTED_CHARACTER",
            ERROR,
            f"IAM rejects this {what} ({names}): a policy may hold only tabs, line breaks and "
            "the characters U+0020 to U+00FF (Latin-1). Text pasted from a word processor often "
            "brings typographic quotes or dashes: type them again as plain \" ' or -.",
            path,
            fix=fix,
            offsets=(start, end),
        )


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}"


def _character_fix(doc: Document, offset: int, chars: str) -> tuple[Path, Fix | None]:
    """The innermost element holding ``offset``, and a fix when every bad character has a
    plain equivalent (or is an invisible one that can go)."""
    smap = doc.parsed.source_map
    best: Path = ()
    best_len = len(doc.text) + 1
    for path, (start, end) in smap.values.items():
        if start <= offset < end and end - start < best_len:
            best, best_len = path, end - start
    in_key = any(start <= offset < end for start, end in smap.keys.values())
    value = _value_at(doc.value, best)
    if in_key or not isinstance(value, str) or chars.translate(_ASCII_FOR) == chars:
        return best, None
    if any(c not in "\t\n\r" and not "\x20" <= c <= "\xff" for c in value.translate(_ASCII_FOR)):
        return best, None
    return best, Fix("Replace the typographic characters with plain ones", best, value.translate(_ASCII_FOR))


def _value_at(root: Any, path: Path) -> Any:
    value = root
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


# -- top level ---------------------------------------------------------------------


def _element_suggestion(key: str, allowed: tuple[str, ...]) -> tuple[str | None, bool]:
    """(closest element name, whether the slip is certain).

    Certain: a case or spacing slip, a plural s, or a typo close to one element name
    (similarity >= 0.85) and clearly closer to it than to any other (by 0.1 or more).
    """
    low = key.strip().lower()
    by_lower = {name.lower(): name for name in allowed}
    if low in by_lower:
        return by_lower[low], True
    if low.endswith("s") and low[:-1] in by_lower:
        return by_lower[low[:-1]], True
    scores = sorted(
        ((difflib.SequenceMatcher(None, low, name).ratio(), name) for name in by_lower), reverse=True
    )
    best, name = scores[0]
    if best < 0.75:
        return None, False
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    return by_lower[name], best >= 0.85 and best - runner_up >= 0.1


def _report_unknown_element(
    doc: Document,
    key: str,
    path: Path,
    allowed: tuple[str, ...],
    present: dict[str, Any],
    slipped: set[str],
    where: str,
) -> None:
    suggestion, certain = _element_suggestion(key, allowed)
    fix = None
    if suggestion is not None and suggestion in present:
        hint = f' It looks like a second "{suggestion}", which this {where} already has: remove one of them.'
    elif suggestion is not None and certain and suggestion not in slipped:
        slipped.add(suggestion)
        hint = f' Did you mean "{suggestion}"? Element names are spelt exactly, case included.'
        fix = Fix(f'Rename "{key}" to "{suggestion}"', path, new_key=suggestion)
    elif suggestion is not None:
        hint = f' Did you mean "{suggestion}"?'
    else:
        hint = " A " + where + " may hold only " + ", ".join(allowed) + "."
    doc.report(
        "INVALID_POLICY_ELEMENT",
        ERROR,
        f'"{key}" is not a valid {where} element.{hint}',
        path,
        fix=fix,
        on_key=True,
    )


def _check_policy_elements(doc: Document, policy: dict[str, Any]) -> set[str]:
    """Report unknown top-level keys; return the element names they stand for."""
    slipped: set[str] = set()
    for key in policy:
        if key in POLICY_ELEMENTS:
            continue
        if key in STATEMENT_ELEMENTS:
            doc.report(
                "INVALID_POLICY_ELEMENT",
                ERROR,
                f'"{key}" belongs inside a statement, not at the top of the policy. Write '
                f'"Statement": [{{"Effect": ..., "Action": ..., "Resource": ...}}].',
                (key,),
                on_key=True,
            )
            continue
        _report_unknown_element(doc, key, (key,), POLICY_ELEMENTS, policy, slipped, "policy")
    return slipped


def _check_version(doc: Document, policy: dict[str, Any], slipped: set[str]) -> bool:
    """Check Version; True when IAM will take policy variables literally."""
    fix = Fix(f'Set Version to "{CURRENT_VERSION}"', ("Version",), CURRENT_VERSION)
    if "Version" not in policy:
        if doc.context.kind == "key-policy" and list(policy) == ["Statement"]:
            # Statements to add to a key's policy: that policy's Version applies to them.
            return False
        if "Version" in slipped:
            return False  # a misspelt "version" key: its value is unknown until renamed
        doc.report(
            "MISSING_VERSION",
            WARNING,
            f"The policy has no Version. IAM then applies the old {OLD_VERSION} rules, where "
            "policy variables such as ${aws:username} are plain text. Add "
            f'"Version": "{CURRENT_VERSION}" at the top of the policy.',
            (),
            fix=fix,
        )
        return True
    version = policy["Version"]
    if not isinstance(version, str):
        doc.report(
            "DATA_TYPE_MISMATCH",
            ERROR,
            f'Version must be the string "{CURRENT_VERSION}", not {_kind(version)}.',
            ("Version",),
            fix=fix,
        )
        return False
    if version == OLD_VERSION:
        doc.report(
            "OLD_VERSION",
            SUGGESTION,
            f"Version {OLD_VERSION} is the old policy language: policy variables such as "
            f'${{aws:username}} are plain text there. Use "{CURRENT_VERSION}".',
            ("Version",),
            fix=fix,
        )
        return True
    if version not in VERSIONS:
        certain = version.strip() in VERSIONS
        doc.report(
            "INVALID_VERSION",
            ERROR,
            f'Version "{version}" is not valid. Version names the policy language, not a date: '
            f'IAM accepts only "{CURRENT_VERSION}" (current) and "{OLD_VERSION}" (old).',
            ("Version",),
            fix=Fix(f'Set Version to "{version.strip()}"', ("Version",), version.strip())
            if certain
            else None,
        )
    return False


def _check_id(doc: Document, policy: dict[str, Any]) -> None:
    if "Id" not in policy:
        return
    value = policy["Id"]
    if not isinstance(value, str):
        doc.report("DATA_TYPE_MISMATCH", ERROR, f"Id must be a string, not {_kind(value)}.", ("Id",))
        return
    # IAM's grammar reserves Id for resource policies, yet IAM accepts an identity policy
    # that has one and simply ignores it. Nothing breaks and no access changes, so this
    # is a suggestion (remove the noise), not an error.
    doc.report(
        "IGNORED_POLICY_ID",
        SUGGESTION,
        "IAM ignores Id in identity policies (it is meant for resource policies such as "
        "bucket or queue policies). Remove it, or describe the policy in its name or "
        "description instead.",
        ("Id",),
        fix=Fix("Remove Id", ("Id",), REMOVE),
        on_key=True,
    )


def _check_statement_list(doc: Document, policy: dict[str, Any], slipped: set[str]) -> None:
    if "Statement" not in policy:
        if "Statement" not in slipped:
            doc.report(
                "MISSING_STATEMENT",
                ERROR,
                'The policy has no Statement. Add "Statement": [ ... ] with at least one statement object.',
            )
        return
    raw = policy["Statement"]
    if isinstance(raw, dict):
        return
    if not isinstance(raw, list):
        doc.report(
            "DATA_TYPE_MISMATCH",
            ERROR,
            f"Statement must be a list of statement objects (or one object), not {_kind(raw)}.",
            ("Statement",),
        )
        return
    if not raw:
        doc.report(
            "MISSING_STATEMENT",
            ERROR,
            "Statement is an empty list: IAM rejects a policy without statements. Add "
            'at least one {"Effect": ..., "Action": ..., "Resource": ...} object.',
            ("Statement",),
        )
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            doc.report(
                "DATA_TYPE_MISMATCH",
                ERROR,
                f'Each statement must be an object {{"Effect": ..., "Action": ..., '
                f'"Resource": ...}}, not {_kind(item)}.',
                ("Statement", i),
            )


# -- statements ---------------------------------------------------------------------


def _check_statement(doc: Document, st: StatementView, state: _State) -> None:
    raw = st.raw
    slipped: set[str] = set()
    identity = doc.context.kind == "identity"
    known = _IDENTITY_ELEMENT_SET if identity else _ALL_ELEMENT_SET
    for key in raw:
        if key in known:
            continue
        if identity and key.strip().lower() in ("principal", "notprincipal"):
            doc.report(
                "UNSUPPORTED_PRINCIPAL",
                ERROR,
                f"{key} is not allowed in an identity policy: the policy applies to the user, "
                "group or role it is attached to. Remove it (Principal belongs in resource and "
                "trust policies).",
                st.path + (key,),
                on_key=True,
            )
            continue
        if key in POLICY_ELEMENTS:
            doc.report(
                "INVALID_POLICY_ELEMENT",
                ERROR,
                f'"{key}" belongs at the top of the policy, not inside a statement.',
                st.path + (key,),
                on_key=True,
            )
            continue
        allowed = _IDENTITY_ELEMENTS if identity else STATEMENT_ELEMENTS
        _report_unknown_element(doc, key, st.path + (key,), allowed, raw, slipped, "statement")
    _check_effect(doc, st, slipped)
    _check_pair(doc, st, slipped, "Action", "NotAction", "ACTION", "action")
    if doc.context.kind != "trust":  # a trust policy's resource is the role itself
        _check_pair(doc, st, slipped, "Resource", "NotResource", "RESOURCE", "resource")
    if state.any_variables:
        _check_statement_variables(doc, st, state)
    if "Condition" in raw:
        _check_condition(doc, st, state)


def _check_statement_variables(doc: Document, st: StatementView, state: _State) -> None:
    for path, value in st.action_entries + st.not_action_entries:
        if "${" in value:
            doc.report(
                "VARIABLE_UNSUPPORTED_IN_ELEMENT",
                ERROR,
                f"Policy variables work only in Resource, NotResource and condition values; "
                f'in {path[len(st.path)]} IAM does not replace "${{...}}", so "{value}" matches '
                "no action.",
                path,
            )
    for path, value in st.resource_entries + st.not_resource_entries:
        if "${" in value:
            _check_variables(doc, value, path, state)


def _check_sid(doc: Document, st: StatementView, state: _State) -> None:
    if "Sid" not in st.raw:
        return
    path = st.path + ("Sid",)
    sid = st.raw["Sid"]
    if not isinstance(sid, str):
        doc.report(
            "DATA_TYPE_MISMATCH",
            ERROR,
            f"Sid must be a string of letters and digits, not {_kind(sid)}.",
            path,
        )
        return
    if sid == "":
        doc.report(
            "EMPTY_SID_VALUE",
            SUGGESTION,
            'The Sid is empty: give the statement a short name such as "ReadTraces", or remove the Sid.',
            path,
            fix=Fix("Remove the empty Sid", path, REMOVE),
        )
        return
    if "${" in sid:
        doc.report(
            "VARIABLE_UNSUPPORTED_IN_ELEMENT",
            ERROR,
            "Policy variables are not allowed in Sid: a Sid holds only letters and digits (A-Z, a-z, 0-9).",
            path,
        )
    elif not _SID_OK.fullmatch(sid):
        cleaned = _SID_BAD_CHAR.sub("", sid)
        fix = None
        if cleaned and cleaned not in state.sids and not _sid_used_later(doc, st, cleaned):
            fix = Fix(f'Rename the Sid to "{cleaned}"', path, cleaned)
        bad = "".join(dict.fromkeys(_SID_BAD_CHAR.findall(sid)))
        doc.report(
            "UNSUPPORTED_SID",
            ERROR,
            f'Sid "{sid}" holds characters IAM rejects ({bad!r}): a Sid may hold only '
            "letters and digits (A-Z, a-z, 0-9), no spaces, dashes or underscores.",
            path,
            fix=fix,
        )
    # IAM refuses a policy whose Sids repeat ("Statement IDs (SID) in a single policy must
    # be unique", MalformedPolicyDocument from CreatePolicy and PutRolePolicy alike), so
    # this is Access Analyzer's UNIQUE_SIDS_REQUIRED error, not the warning it gives
    # for policy types that tolerate duplicates.
    first = state.sids.get(sid)
    if first is None:
        state.sids[sid] = st.path
        return
    doc.report(
        "UNIQUE_SIDS_REQUIRED",
        ERROR,
        f'Sid "{sid}" is already used by {format_path(first)}: IAM requires every Sid in '
        "a policy to be unique. Rename one of them or remove it.",
        path,
    )


def _sid_used_later(doc: Document, st: StatementView, sid: str) -> bool:
    return any(other.sid == sid for other in doc.statements if other.index > st.index)


def _check_effect(doc: Document, st: StatementView, slipped: set[str]) -> None:
    path = st.path + ("Effect",)
    if "Effect" not in st.raw:
        if "Effect" not in slipped:
            doc.report(
                "MISSING_EFFECT",
                ERROR,
                'The statement has no Effect: add "Effect": "Allow" or "Effect": "Deny".',
                st.path,
            )
        return
    effect = st.raw["Effect"]
    if not isinstance(effect, str):
        doc.report(
            "DATA_TYPE_MISMATCH",
            ERROR,
            f'Effect must be the string "Allow" or "Deny", not {_kind(effect)}.',
            path,
        )
        return
    if effect in _EFFECTS:
        return
    canonical = {e.lower(): e for e in _EFFECTS}.get(effect.strip().lower())
    hint = (
        f' Effect is case-sensitive: write "{canonical}".'
        if canonical
        else ' Use "Allow" to grant access or "Deny" to refuse it.'
    )
    doc.report(
        "INVALID_EFFECT",
        ERROR,
        f'Effect "{effect}" is not valid.{hint}',
        path,
        fix=Fix(f'Set Effect to "{canonical}"', path, canonical) if canonical else None,
    )


def _check_pair(
    doc: Document, st: StatementView, slipped: set[str], element: str, negated: str, code: str, noun: str
) -> None:
    """Action/NotAction or Resource/NotResource: exactly one, of the right JSON type."""
    raw = st.raw
    has, has_not = element in raw, negated in raw
    if has and has_not:
        doc.report(
            "UNSUPPORTED_ELEMENT_COMBINATION",
            ERROR,
            f"A statement may have {element} or {negated}, not both: keep one and move "
            "the other into a statement of its own.",
            st.path + (negated,),
            on_key=True,
        )
    elif not has and not has_not:
        if element not in slipped and negated not in slipped:
            doc.report(
                f"MISSING_{code}",
                ERROR,
                f"The statement has no {element} (or {negated}): IAM rejects a statement "
                f"that names no {noun}.",
                st.path,
            )
        return
    for name in (element, negated):
        if name not in raw:
            continue
        path = st.path + (name,)
        value = raw[name]
        if isinstance(value, str):
            continue
        if not isinstance(value, list):
            doc.report(
                "DATA_TYPE_MISMATCH",
                ERROR,
                f"{name} must be a string or a list of strings, not {_kind(value)}.",
                path,
            )
            continue
        if not value:
            if has and has_not:
                # The other element still names something, so dropping the empty list is
                # certain and also resolves the combination error.
                doc.report(
                    f"EMPTY_ARRAY_{code}",
                    SUGGESTION,
                    f"{name} is an empty list: remove it.",
                    path,
                    fix=Fix(f"Remove the empty {name}", path, REMOVE),
                )
            else:
                # Access Analyzer lists an empty array as a suggestion, but with nothing else
                # naming an action (resource) IAM refuses the statement ("Policy statement
                # must contain actions"), so it is an error; MISSING_* is not added on top.
                doc.report(
                    f"EMPTY_ARRAY_{code}",
                    ERROR,
                    f"{name} is an empty list, so the statement names no {noun} and IAM "
                    f"rejects it. List at least one {noun}, or remove the statement.",
                    path,
                )
            continue
        for i, item in enumerate(value):
            if not isinstance(item, str):
                doc.report(
                    "DATA_TYPE_MISMATCH",
                    ERROR,
                    f"Each item of {name} must be a string, not {_kind(item)}.",
                    path + (i,),
                )


# -- conditions (shape only; meaning is checked by the conditions family) ----------


def _check_condition(doc: Document, st: StatementView, state: _State) -> None:
    cpath = st.path + ("Condition",)
    block = st.raw["Condition"]
    if not isinstance(block, dict):
        doc.report(
            "DATA_TYPE_MISMATCH",
            ERROR,
            "Condition must be an object of operators, e.g. "
            f'{{"StringEquals": {{"aws:ResourceTag/team": "dev"}}}}, not {_kind(block)}.',
            cpath,
        )
        return
    if not block:
        doc.report(
            "EMPTY_OBJECT_CONDITION",
            SUGGESTION,
            "Condition is empty, so it restricts nothing: remove it or add an operator.",
            cpath,
            fix=Fix("Remove the empty Condition", cpath, REMOVE),
        )
        return
    for op, keys in block.items():
        opath = cpath + (op,)
        if not isinstance(keys, dict):
            doc.report(
                "DATA_TYPE_MISMATCH",
                ERROR,
                f'The operator "{op}" must map condition keys to values, e.g. '
                f'{{"aws:ResourceTag/team": "dev"}}, not {_kind(keys)}.',
                opath,
            )
            continue
        if not keys:
            doc.report(
                "EMPTY_OBJECT_CONDITION",
                SUGGESTION,
                f'The operator "{op}" has no condition keys, so it restricts nothing: '
                "remove it or add a key.",
                opath,
                fix=Fix(f'Remove the empty "{op}"', opath, REMOVE),
            )
            continue
        for key, value in keys.items():
            kpath = opath + (key,)
            if isinstance(value, list):
                if not value:
                    doc.report(
                        _empty_condition_code(op),
                        SUGGESTION,
                        f'"{key}" has an empty list of values, so the condition has nothing '
                        "to compare and does not do what it seems to: give at least one "
                        "value, or remove the key.",
                        kpath,
                    )
                for i, item in enumerate(value):
                    _check_condition_value(doc, item, kpath + (i,), state)
            else:
                _check_condition_value(doc, value, kpath, state)


def _empty_condition_code(operator: str) -> str:
    low = operator.lower()
    if low.startswith("forallvalues:"):
        return "EMPTY_ARRAY_CONDITION_FORALLVALUES"
    if low.startswith("foranyvalue:"):
        return "EMPTY_ARRAY_CONDITION_FORANYVALUE"
    if low.endswith("ifexists"):
        return "EMPTY_ARRAY_CONDITION_IFEXISTS"
    return "EMPTY_ARRAY_CONDITION"


def _check_condition_value(doc: Document, value: Any, path: Path, state: _State) -> None:
    if isinstance(value, str):
        if state.any_variables:
            _check_variables(doc, value, path, state)
    elif value is None or isinstance(value, dict | list):
        doc.report(
            "DATA_TYPE_MISMATCH",
            ERROR,
            f"A condition value must be a string, a number or true/false (or a list of "
            f"them), not {_kind(value)}.",
            path,
        )


# -- policy variables -----------------------------------------------------------------


def _check_variables(doc: Document, value: str, path: Path, state: _State) -> None:
    if "${" not in value:
        return
    problems, has_variable = _variable_problems(value)
    for code, message in problems:
        doc.report(code, ERROR, message, path)
    if has_variable and state.variables_literal:
        doc.report(
            "VARIABLE_UNSUPPORTED_IN_VERSION",
            ERROR,
            f'"{value}" uses a policy variable, but without Version "{CURRENT_VERSION}" IAM '
            'takes "${...}" as plain text, so it will not match what you expect. Set '
            f'"Version": "{CURRENT_VERSION}".',
            path,
            fix=Fix(f'Set Version to "{CURRENT_VERSION}"', ("Version",), CURRENT_VERSION),
        )


@lru_cache(maxsize=2048)
def _variable_problems(value: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """(syntax problems as (code, message), whether a variable is present) for ``${...}``."""
    problems: list[tuple[str, str]] = []
    has_variable = False
    start = value.find("${")
    while start >= 0:
        close = value.find("}", start + 2)
        following = value.find("${", start + 2)
        if close < 0 or 0 <= following < close:
            problems.append(
                (
                    "MISSING_BRACE_IN_VARIABLE",
                    f'The policy variable starting at "{value[start : start + 20]}" has no closing '
                    '"}": write it as ${aws:username}.',
                )
            )
            start = following
            continue
        has_variable = True
        body = value[start + 2 : close]
        variable = value[start : close + 1]
        name, comma, default = body.partition(",")
        if body in _SPECIAL_VARIABLES:
            pass
        elif not body.strip():
            problems.append(
                ("EMPTY_VARIABLE", f'"{variable}" names no variable: write e.g. ${{aws:username}}.')
            )
        else:
            if _SPACE.search(name):
                problems.append(
                    (
                        "UNSUPPORTED_SPACE_IN_VARIABLE",
                        f'"{variable}" holds a space in the variable name: write '
                        f'"${{{name.strip()}{comma}{default}}}".',
                    )
                )
            if comma:
                fallback = default.strip()
                if len(fallback) < 2 or fallback[0] != "'" or fallback[-1] != "'":
                    problems.append(
                        (
                            "MISSING_QUOTE_IN_VARIABLE",
                            f'The default value in "{variable}" must be in single quotes, e.g. '
                            f"${{{name.strip()}, 'default'}}.",
                        )
                    )
        start = value.find("${", close + 1)
    return tuple(problems), has_variable
