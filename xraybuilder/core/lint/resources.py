"""Lint family: resources — each Resource/NotResource ARN, and whether the actions can use them.

Per value: ARN syntax part by part (Access Analyzer's codes, pointing at the exact part).
Per statement with ``Action`` and ``Resource``: ``RESOURCE_MISMATCH`` when an action
has no resource it can apply to (an error when the statement can never apply at all),
and ``RESOURCE_STAR`` when ``"*"`` could be narrowed for every action.

Statements with ``NotAction`` or ``NotResource`` get the per-value checks only: which
actions they reach is the point of writing them that way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from xraybuilder.core import arn, catalog
from xraybuilder.core.lint.document import Document, StatementView
from xraybuilder.core.lint.finding import Fix, Severity
from xraybuilder.core.policy.source import Path

_SEVERITY = {"error": Severity.ERROR, "warning": Severity.WARNING}
_STAR = '"Resource": "*"'
_LIST_LIMIT = 6


def check(doc: Document) -> None:
    """Report resource findings for every statement of ``doc``."""
    for st in doc.statements:
        check_statement(doc, st)


def check_statement(doc: Document, st: StatementView) -> None:
    """Report resource findings for one statement."""
    if doc.context.kind == "key-policy":
        return  # Resource "*" is the key itself; the kinds family checks that
    for path, value in st.resource_entries:
        _check_value(doc, path, value)
    for path, value in st.not_resource_entries:
        _check_value(doc, path, value)
    if "NotAction" in st.raw or "NotResource" in st.raw:
        return
    if st.action_entries and st.resource_entries:
        _check_scope(doc, st)


# -- one value -------------------------------------------------------------------------


def _check_value(doc: Document, path: Path, value: str) -> None:
    if arn.is_star(value):
        return
    problems = arn.check_arn(value).problems
    if not problems:
        return
    base = _text_offset(doc, path, value)
    for p in problems:
        fix = Fix(f"Use {p.fix}", path, p.fix) if p.fix is not None else None
        offsets = (base + p.start, base + p.end) if base is not None else None
        doc.report(p.code, _SEVERITY[p.level], p.message, path, fix=fix, offsets=offsets)


def _text_offset(doc: Document, path: Path, value: str) -> int | None:
    """Where the string's characters start in the text, when they are written without escapes."""
    span = doc.parsed.source_map.values.get(path)
    if span is None:
        return None
    start, end = span
    if doc.text[start:end] != f'"{value}"':
        return None
    return start + 1


# -- a statement's actions against its resources ---------------------------------------


@dataclass(frozen=True, slots=True)
class _Note:
    code: str
    severity: Severity
    message: str
    index: int | None  # position among the Resource values; None: the Resource element


@dataclass(frozen=True, slots=True)
class _ActionGroup:
    """One Action value and the catalog actions it stands for."""

    pattern: str
    actions: tuple[catalog.Action, ...]
    explicit: bool  # no wildcard in the action name: name each action in messages


def _check_scope(doc: Document, st: StatementView) -> None:
    entries = st.resource_entries
    notes = _scope_notes(
        tuple(v for _, v in st.action_entries), tuple(v for _, v in entries), st.effect != "Deny"
    )
    for note in notes:
        path = st.path + ("Resource",) if note.index is None else entries[note.index][0]
        doc.report(note.code, note.severity, note.message, path)


def _resolve_actions(patterns: tuple[str, ...]) -> tuple[list[_ActionGroup], bool]:
    """Catalog actions per Action value, and whether some value is beyond the catalog."""
    groups: list[_ActionGroup] = []
    opaque = False
    held = catalog.service_prefixes()
    for pattern in patterns:
        prefix, sep, name = pattern.partition(":")
        if not sep or prefix.lower() not in held:
            # "*", another service, or a wildcard in the prefix: its resources are unknown here.
            opaque = True
            continue
        acts = catalog.expand_action(pattern)
        if acts:  # unknown actions are the actions family's to report
            groups.append(_ActionGroup(pattern, tuple(acts), "*" not in name and "?" not in name))
    return groups, opaque


@lru_cache(maxsize=512)
def _action_keys(action: catalog.Action) -> frozenset[tuple[str, str]]:
    return frozenset((action.service, r.resource_type) for r in action.resource_types)


@lru_cache(maxsize=4096)
def _value_keys(value: str) -> frozenset[tuple[str, str]]:
    return frozenset((t.service, t.name) for t in arn.resource_types_for(value))


@lru_cache(maxsize=1024)
def _scope_notes(patterns: tuple[str, ...], resources: tuple[str, ...], allow: bool) -> tuple[_Note, ...]:
    """Findings for one statement's Action and Resource values (cached: lint runs per keystroke)."""
    groups, opaque = _resolve_actions(patterns)
    if not groups:
        return ()
    star_at = [i for i, v in enumerate(resources) if arn.is_star(v)]
    usable_arns: list[tuple[int, frozenset[tuple[str, str]]]] = []
    uncertain = False
    for i, value in enumerate(resources):
        if i in star_at:
            continue
        if arn.check_arn(value).ok:
            usable_arns.append((i, _value_keys(value)))
        else:
            uncertain = True  # an ARN with errors is reported already; fixing it may fix the rest

    def usable(action: catalog.Action) -> bool:
        keys = _action_keys(action)
        return bool(star_at) or any(keys & k for _, k in usable_arns)

    notes: list[_Note] = []
    missing = _unusable(groups, usable)
    every_action_unusable = not any(usable(a) for g in groups for a in g.actions)
    verb = "grants" if allow else "denies"
    if missing and not uncertain:
        detail = _needs(missing)
        if every_action_unusable and not opaque:
            notes.append(
                _Note(
                    "RESOURCE_MISMATCH",
                    Severity.ERROR,
                    f"This statement {verb} nothing: none of its actions applies to its "
                    f"resources. {detail} Change the Resource to fit the actions.",
                    None,
                )
            )
        else:
            notes.append(
                _Note(
                    "RESOURCE_MISMATCH",
                    Severity.WARNING,
                    f"This statement never {verb} some of its actions, because no resource "
                    f"here fits them: {detail} Move them to a statement with the resource "
                    "they need, or remove them.",
                    None,
                )
            )
    if not opaque and not (every_action_unusable and not uncertain):
        wanted = frozenset().union(*(_action_keys(a) for g in groups for a in g.actions))
        for i, keys in usable_arns:
            if not keys & wanted:
                notes.append(_Note("RESOURCE_MISMATCH", Severity.WARNING, _unused_arn_message(keys), i))
    # A wildcard's few "*"-only actions must not hide that the rest of it could be narrowed
    # (s3:Get*); a list of named actions that needs "*" for one of them is left alone.
    narrowable = all(a.resource_types for g in groups for a in g.actions) or any(
        not g.explicit and any(a.resource_types for a in g.actions) for g in groups
    )
    if allow and star_at and not opaque and narrowable:
        notes.append(_Note("RESOURCE_STAR", Severity.SUGGESTION, _star_message(groups), star_at[0]))
    return tuple(notes)


def _unusable(
    groups: list[_ActionGroup], usable: Callable[[catalog.Action], bool]
) -> list[tuple[str, list[catalog.Action]]]:
    """(label, actions) with no usable resource: each named action, or a wildcard none of whose fit."""
    out: list[tuple[str, list[catalog.Action]]] = []
    seen: set[str] = set()
    for g in groups:
        if g.explicit:
            for a in g.actions:
                if a.full_name not in seen and not usable(a):
                    seen.add(a.full_name)
                    out.append((a.full_name, [a]))
        elif not any(usable(a) for a in g.actions):
            count = len(g.actions)
            out.append((f"{g.pattern} ({count} action{'s' if count != 1 else ''})", list(g.actions)))
    return out


def _need(action: catalog.Action) -> str:
    """What resource an action takes, as a phrase."""
    if not action.resource_types:
        return f"works only with {_STAR}"
    svc = catalog.service(action.service)
    formats = []
    for r in action.resource_types:
        rtype = svc.resource_types.get(r.resource_type) if svc else None
        formats.append(rtype.arn_template if rtype else r.resource_type)
    return "needs an ARN like " + " or ".join(formats)


def _needs(missing: list[tuple[str, list[catalog.Action]]]) -> str:
    """Group the actions by what they need: ``A and B need …; C works only with "*"``."""
    by_need: dict[str, list[str]] = {}
    for label, actions in missing:
        needs = {_need(a) for a in actions}
        need = needs.pop() if len(needs) == 1 else f"each need {_STAR} or their own resource ARN"
        by_need.setdefault(need, []).append(label)
    parts = []
    for need, labels in by_need.items():
        if len(labels) > 1 and need.startswith("needs "):
            need = "need " + need.removeprefix("needs ")
        elif len(labels) > 1 and need.startswith("works "):
            need = "work " + need.removeprefix("works ")
        parts.append(f"{_join(labels)} {need}")
    return "; ".join(parts) + "."


def _join(labels: list[str]) -> str:
    shown = labels[:_LIST_LIMIT]
    more = len(labels) - len(shown)
    if more:
        return ", ".join(shown) + f" and {more} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _unused_arn_message(keys: frozenset[tuple[str, str]]) -> str:
    what = "this ARN"
    if keys:
        labels = sorted({f"{_service_name(s)} {n}" for s, n in keys})
        what = f"this ARN (an {' or '.join(labels)})" if len(labels) <= 2 else what
    return f"No action in this statement applies to {what}: remove it, or add the action it was meant for."


def _service_name(prefix: str) -> str:
    svc = catalog.service(prefix)
    return svc.name if svc else prefix


def _star_only(groups: list[_ActionGroup]) -> list[str]:
    """Labels for the actions that take only "*": each named one, or a wildcard with its count."""
    labels: list[str] = []
    for g in groups:
        only = [a for a in g.actions if not a.resource_types]
        if not only:
            continue
        if g.explicit:
            labels.extend(a.full_name for a in only)
        else:
            labels.append(f"{len(only)} of {g.pattern}")
    return list(dict.fromkeys(labels))


def _star_message(groups: list[_ActionGroup]) -> str:
    formats: dict[str, None] = {}
    group_id_hint = False
    for g in groups:
        for a in g.actions:
            svc = catalog.service(a.service)
            for r in a.resource_types:
                rtype = svc.resource_types.get(r.resource_type) if svc else None
                if rtype is not None:
                    formats.setdefault(rtype.arn_template)
                    group_id_hint |= rtype.service == "xray" and rtype.arn_template.endswith("/${Id}")
    shown = list(formats)[:_LIST_LIMIT]
    star_only = _star_only(groups)
    if star_only:
        return (
            f'Some actions here work only with "*" ({_join(star_only)}), but the others can be '
            f"limited to specific resources: move those to a statement with {' or '.join(shown)}."
        )
    hint = (
        " A group's ${Id} is generated when the group is created: write group/NAME/* to cover it."
        if group_id_hint
        else ""
    )
    return (
        'Every action here can be limited to specific resources instead of "*": use '
        f"{' or '.join(shown)}.{hint}"
    )
