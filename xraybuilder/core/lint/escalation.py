"""Lint family: escalation — allowed actions that, together, let an identity raise its own privileges.

Policy-wide, across Allow statements (``core/data/privilege_escalation.json``):

- ``PRIVILEGE_ESCALATION``: the IAM escalation paths documented publicly (a new default
  policy version, a policy attached to oneself, ``iam:PassRole`` with a compute service's
  create action, …), when every action of one is allowed and no unconditional Deny on
  every resource takes one away.
- ``RESOURCE_POLICY_PRIVILEGE_ESCALATION``: the right to rewrite a resource's own policy
  (``s3:PutBucketPolicy`` on a bucket) without the access it can hand out there
  (``s3:GetObject`` on the bucket's objects): whoever holds the first can grant
  themselves the rest.
- ``DELETE_DENY_BYPASSED_BY_LIFECYCLE``: a Deny on deleting objects while a lifecycle rule
  may be set on their bucket; S3 then deletes them itself, and the Deny does not apply.

Conditions on the Allow statements are not read: a condition the holder can meet once is
enough to escalate. A ``"*"`` action is left to the security family (full administrator).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from typing import Any

from xraybuilder.core import arn, catalog, patterns
from xraybuilder.core.datafiles import read_json
from xraybuilder.core.lint.document import Document, StatementView
from xraybuilder.core.lint.finding import Severity
from xraybuilder.core.policy.model import format_path
from xraybuilder.core.policy.source import Path

SECURITY_WARNING = Severity.SECURITY_WARNING


@cache
def _data() -> Any:
    return read_json("privilege_escalation.json")


def check(doc: Document) -> None:
    """Report privilege escalation across the Allow statements of an identity policy."""
    check_across(doc, [check_statement(doc, st) for st in doc.statements])


def check_statement(doc: Document, st: StatementView) -> _Prefixes:
    """Nothing to report on one statement alone: the service prefixes its Action names."""
    return _prefixes([st])


def check_across(doc: Document, notes: Sequence[object]) -> None:
    """Report privilege escalation; ``notes`` holds what ``check_statement`` returned for
    each statement."""
    if doc.context.kind != "identity":
        return
    allows = [st for st in doc.statements if st.effect == "Allow" and "NotAction" not in st.raw]
    denies = [st for st in doc.statements if st.effect == "Deny" and "NotAction" not in st.raw]
    if not allows:
        return
    prefixes: frozenset[str] | None = frozenset()
    for st, note in zip(doc.statements, notes, strict=True):
        if prefixes is None or not (st.effect == "Allow" and "NotAction" not in st.raw):
            continue
        prefixes = prefixes | note if isinstance(note, frozenset) else None
    _check_methods(doc, allows, denies, prefixes)
    _check_resource_policies(doc, allows, denies, prefixes)


def _action_entry(st: StatementView, action: str) -> tuple[Path, str] | None:
    """The statement's first Action entry that grants ``action`` (a bare "*" does not count)."""
    for path, text in st.action_entries:
        if text != "*" and _matches(text, action):
            return path, text
    return None


@lru_cache(maxsize=16384)
def _matches(pattern: str, action: str) -> bool:
    return patterns.action_matches(pattern, action)


# A statement note: the service prefixes its Action entries name, or _ANY_SERVICE.
_Prefixes = frozenset[str] | str
_ANY_SERVICE = "*"


def _prefixes(statements: list[StatementView]) -> _Prefixes:
    """Service prefixes the statements' Action entries name; _ANY_SERVICE when one has a
    wildcard in its prefix (it may name any service)."""
    out: set[str] = set()
    for st in statements:
        for _, text in st.action_entries:
            if text == "*":
                continue
            prefix = text.partition(":")[0].lower()
            if patterns.has_wildcard(prefix):
                return _ANY_SERVICE
            out.add(prefix)
    return frozenset(out)


def _named(prefixes: frozenset[str] | None, actions: tuple[str, ...]) -> bool:
    """Whether every action's service is named at all (a cheap test before matching)."""
    return prefixes is None or _services(actions) <= prefixes


@lru_cache(maxsize=64)
def _services(actions: tuple[str, ...]) -> frozenset[str]:
    return frozenset(a.partition(":")[0].lower() for a in actions)


def _covers(general: str, specific: str) -> bool:
    return general == "*" or patterns.arn_covers(general, specific)


def _overlaps(a: str, b: str) -> bool:
    return _covers(a, b) or _covers(b, a)


def _resources(st: StatementView) -> list[tuple[Path, str]]:
    return [] if "NotResource" in st.raw else st.resource_entries


def _denied_everywhere(denies: Sequence[StatementView], action: str) -> bool:
    """An unconditional Deny of ``action`` on every resource."""
    return any(
        "Condition" not in st.raw
        and _action_entry(st, action) is not None
        and any(text == "*" for _, text in _resources(st))
        for st in denies
    )


def _check_methods(
    doc: Document, allows: list[StatementView], denies: list[StatementView], prefixes: frozenset[str] | None
) -> None:
    found: list[tuple[frozenset[str], Any, list[tuple[str, Path]]]] = []
    for method in _data()["methods"]:
        if not _named(prefixes, method["actions"]):
            continue
        grants: list[tuple[str, Path]] = []
        for action in method["actions"]:
            entry = next((e for st in allows if (e := _action_entry(st, action)) is not None), None)
            if entry is None or _denied_everywhere(denies, action):
                break
            grants.append((action, entry[0]))
        else:
            found.append((frozenset(a.lower() for a in method["actions"]), method, grants))
    for actions, method, grants in found:
        if any(other < actions for other, _, _ in found):
            continue  # a smaller path that holds already says it
        where = "; ".join(f"{action} by {format_path(path)}" for action, path in grants)
        together = "This policy allows " if len(grants) == 1 else "Together, these allow "
        doc.report(
            "PRIVILEGE_ESCALATION",
            SECURITY_WARNING,
            f"{together}a known privilege escalation ({method['name']}: {where}): whoever holds "
            f"{'it' if len(grants) == 1 else 'them'} can {method['how']}. Limit the Resource to "
            "what this identity manages, add conditions, or remove the action.",
            grants[0][1],
        )


def _allowed(allows: list[StatementView], action: str, target: str) -> bool:
    return any(
        _action_entry(st, action) is not None and any(_covers(text, target) for _, text in _resources(st))
        for st in allows
    )


def _deny_of(
    denies: list[StatementView], action: str, target: str, *, any_condition: bool
) -> StatementView | None:
    """A Deny of ``action`` on resources that overlap ``target`` (unconditional unless asked)."""
    for st in denies:
        if not any_condition and "Condition" in st.raw:
            continue
        if _action_entry(st, action) is None:
            continue
        if any(_overlaps(text, target) for _, text in _resources(st)):
            return st
    return None


def _policy_grants(
    allows: list[StatementView], prefixes: frozenset[str] | None
) -> Iterator[tuple[Any, StatementView, Path, str]]:
    """(rule, statement, Resource entry path, resource) for each resource a policy-rewriting
    action is allowed on."""
    for rule in _data()["resource_policy"]:
        if not _named(prefixes, (rule["action"],)):
            continue
        for st in allows:
            if _action_entry(st, rule["action"]) is None:
                continue
            for path, text in _resources(st):
                if _applies(rule["action"], text):
                    yield rule, st, path, text


@lru_cache(maxsize=1024)
def _applies(action: str, resource: str) -> bool:
    """Whether ``action`` can act on ``resource`` (an object ARN is not a bucket)."""
    if resource == "*":
        return True
    found = catalog.action(action)
    if found is None:
        return False
    wanted = {(found.service, r.resource_type) for r in found.resource_types}
    return any((t.service, t.name) in wanted for t in arn.resource_types_for(resource))


def _check_resource_policies(
    doc: Document, allows: list[StatementView], denies: list[StatementView], prefixes: frozenset[str] | None
) -> None:
    for rule, _st, path, resource in _policy_grants(allows, prefixes):
        action = rule["action"]
        if _deny_of(denies, action, resource, any_condition=False) is not None:
            continue
        target = resource if resource == "*" else resource + rule["suffix"]
        missing: list[str] = []
        bypassed: list[tuple[str, StatementView]] = []
        for granted in rule["grants"]:
            if _allowed(allows, granted, target):
                continue
            deny = _deny_of(denies, granted, target, any_condition=rule["by_service"])
            if deny is None:
                missing.append(granted)
            elif rule["by_service"]:
                bypassed.append((granted, deny))
        if bypassed:
            names = ", ".join(name for name, _ in bypassed)
            deny_where = format_path(bypassed[0][1].path)
            doc.report(
                "DELETE_DENY_BYPASSED_BY_LIFECYCLE",
                SECURITY_WARNING,
                f'{deny_where} denies {names} on "{target}", but this statement allows {action} on '
                f'"{resource}": whoever holds it can {rule["how"]}, and S3 deletes them itself, so the '
                f"Deny does not stop it. Deny {action} on the same resources too.",
                path,
            )
        if missing:
            names = ", ".join(missing)
            doc.report(
                "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
                SECURITY_WARNING,
                f'This policy allows {action} on "{resource}" but not {names} on "{target}": whoever '
                f"holds {action} can {rule['how']} and so give {names} there to themselves "
                f"or to anyone. Remove {action}, or keep it for the people who manage access.",
                path,
            )
