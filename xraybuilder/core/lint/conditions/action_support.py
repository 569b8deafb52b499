"""Is the key in the request context of the statement's actions?

A service or tag key that an action does not document is never in its request, so the
condition is always false (or, when it matches an absent key, always true) for it.
"""

from __future__ import annotations

from functools import lru_cache

from xraybuilder.core import catalog
from xraybuilder.core.conditions import matches_when_absent
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
from xraybuilder.core.lint.conditions.keys import _is_tag_key


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
        elif total and not supported:
            # A wildcard none of whose actions has the key: name it, with how many it stands for.
            unsupported.append(f"{text} ({total} action{'s' if total != 1 else ''})")
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
    plural = all_of or len(unsupported) > 1 or any(" action" in name for name in unsupported)
    them = "them" if plural else "it"
    lacking = f'"{entry.key}" is not in the request context of {subject}'
    if effect == "Allow" and not absent:
        code, severity = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", ERROR
        result = f"so {entry.op_name} is never true for {them} and this statement never allows {them}"
    elif effect == "Deny" and not absent:
        code, severity = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", SECURITY_WARNING
        result = (
            f"so {entry.op_name} is never true for {them} and this Deny silently never "
            f"denies {them}, whatever the request"
        )
    elif effect == "Allow" and entry.op_name != "Null":
        # A negated or ...IfExists operator holds for these actions: the statement allows
        # them unconditionally. The interactions family reports that (CONDITION_ALWAYS_TRUE_FOR_ACTIONS).
        return
    elif effect == "Allow":
        code, severity = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", SECURITY_WARNING
        result = (
            f"so {entry.op_name} is always true for {them}: this statement allows {them} "
            "without the restriction the condition seems to add"
        )
    else:
        code, severity = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", WARNING
        result = f"so {entry.op_name} is always true for {them}: this statement always denies {them}"
    doc.report(
        code,
        severity,
        f"{lacking}, {result}. Move {them} to a statement without this condition key.",
        entry.path,
        on_key=True,
    )


def _check_not_action_tags(doc: _Records, context: _Context, entry: _Entry, low: str) -> None:
    if not _is_tag_key(low):
        return
    if context.effect == "Allow":
        doc.report(
            "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
            SUGGESTION,
            f'NotAction matches actions of every service, and many lack "{entry.key}" in '
            "their request context, so this statement allows only the actions that have it. "
            "List the actions you mean in Action instead.",
            entry.path,
            on_key=True,
        )
    else:
        doc.report(
            "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
            SECURITY_WARNING,
            f'NotAction matches actions of every service, and many lack "{entry.key}" in '
            "their request context, so this Deny silently never denies them. List the "
            "actions to deny in Action instead.",
            entry.path,
            on_key=True,
        )


@lru_cache(maxsize=8192)
def _support(pattern: str, key: str) -> tuple[int, int, tuple[str, ...]]:
    """For one Action entry and key: (known actions, how many support the key, names that don't)."""
    if pattern == "*":
        return _support_of_every_action(key)
    actions = catalog.expand_action(pattern)
    supported = 0
    missing: list[str] = []
    for action in actions:
        if any(catalog.key_matches_template(key, t) for t in _action_keys(action)):
            supported += 1
        else:
            missing.append(action.full_name)
    return len(actions), supported, tuple(missing)


def _support_of_every_action(key: str) -> tuple[int, int, tuple[str, ...]]:
    """``_support`` for ``"*"``: whether any action of any service has the key.

    Only that matters for ``"*"``, and reading every action of every service to count
    them is slow, so the services that document the key are asked first: its own (with
    those that document keys of its prefix) or, for a global tag key, the services X-Ray
    policies use, then every other. The first action with the key answers (1, 1, ());
    only when none has it are all actions counted.
    """
    prefix = key.partition(":")[0]
    if prefix == "aws":
        candidates: tuple[str, ...] = (*catalog.related_service_prefixes(), *catalog.service_prefixes())
    else:
        candidates = catalog.services_documenting(prefix)
    for owner in candidates:
        svc = catalog.service(owner)
        if svc is not None and any(_has_key(a, key) for a in svc.actions.values()):
            return 1, 1, ()
    total = sum(len(s.actions) for p in catalog.service_prefixes() if (s := catalog.service(p)) is not None)
    return total, 0, ()


def _has_key(action: catalog.Action, key: str) -> bool:
    return any(catalog.key_matches_template(key, t) for t in _action_keys(action))


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
