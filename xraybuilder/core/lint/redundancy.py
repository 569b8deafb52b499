"""Lint family: redundancy — list entries and statements that change nothing.

An entry is redundant when another entry of the same list already matches everything
it matches (``xray:Get*`` holds ``xray:GetGroup``); a statement is redundant when it
repeats another or another statement of the same effect, without conditions (or with
the same ones), grants or denies at least as much. Each finding offers a fix that
removes the redundant element.

Coverage is decided on the patterns themselves, never on today's catalog, so a
removal stays right when AWS adds actions. Action names match case-insensitively,
ARNs case-sensitively and field by field. Only certain coverage is reported: when
in doubt, an entry is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from xraybuilder.core.lint.document import Document, StatementView
from xraybuilder.core.lint.finding import REMOVE, Fix, Severity
from xraybuilder.core.patterns import (
    arn_covers,
    arn_fields,
    has_wildcard,
    has_wildcard_or_placeholder,
    literal_prefix,
    with_placeholders,
)
from xraybuilder.core.patterns import covers as glob_covers
from xraybuilder.core.policy.source import Path

SUGGESTION = Severity.SUGGESTION

_STATEMENT_ELEMENTS = frozenset(
    {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)


def find_redundant(
    items: Sequence[str],
    covers: Callable[[str, str], bool],
    candidates: Callable[[int], Iterable[int]] | None = None,
) -> dict[int, int]:
    """Indexes of items another item covers, each mapped to one item that covers it.

    When two items cover each other the later one is redundant. An item is never excused
    by one already found redundant, so every chain of "covered by" ends at an item that
    stays; coverage being transitive, removing every redundant item changes nothing.
    """
    flagged: dict[int, int] = {}
    for i, item in enumerate(items):
        pool = candidates(i) if candidates is not None else range(len(items))
        for j in pool:
            if j == i or j in flagged:
                continue
            other = items[j]
            if covers(other, item) and (j < i or not covers(item, other)):
                flagged[i] = j
                break
    return flagged


# -- the family -------------------------------------------------------------------------

# A finding on a list entry: (code, message, index of the entry, fix description).
_Record = tuple[str, str, int, str]


_ELEMENTS = ("Action", "NotAction", "Resource", "NotResource")
# A JSON value made immutable (see _freeze).
_Frozen = Any


def check(doc: Document) -> None:
    """Report redundant actions, resources and statements."""
    check_across(doc, [check_statement(doc, st) for st in doc.statements])


def check_statement(doc: Document, st: StatementView) -> _Grants | None:
    """Report the redundant entries of one statement's lists; return what it grants or
    denies, for the comparison of whole statements (None: not comparable)."""
    texts: dict[str, tuple[str, ...]] = {}
    raw = st.raw
    for element in _ELEMENTS:
        if element not in raw:
            continue
        entries = _entries(st, element)
        texts[element] = tuple([text for _, text in entries])
        if len(entries) < 2:
            continue
        for code, message, index, description in _list_records(element, texts[element]):
            path = entries[index][0]
            doc.report(code, SUGGESTION, message, path, fix=Fix(description, path, REMOVE))
    return _grants(st, texts)


def check_across(doc: Document, notes: Sequence[object]) -> None:
    """Report statements another one repeats or covers; ``notes`` holds what
    ``check_statement`` returned for each statement."""
    grants = tuple(
        (st.index, note) for st, note in zip(doc.statements, notes, strict=True) if isinstance(note, _Grants)
    )
    if len(grants) > 1:
        for index, other, same in _redundant_statements(grants):
            _report_statement(doc, index, other, same)


def _entries(st: StatementView, element: str) -> list[tuple[Path, str]]:
    if element == "Action":
        return st.action_entries
    if element == "NotAction":
        return st.not_action_entries
    return st.resource_entries if element == "Resource" else st.not_resource_entries


@lru_cache(maxsize=4096)
def _list_records(element: str, texts: tuple[str, ...]) -> tuple[_Record, ...]:
    """Redundant entries of one Action/NotAction/Resource/NotResource list (cached)."""
    if element in ("Action", "NotAction"):
        return _action_records(element, texts)
    return _resource_records(element, texts)


def _action_groups(norms: Sequence[str]) -> Callable[[int], list[int]]:
    """Candidates that could cover entry i: the same text, or a wildcard of its service."""
    same: dict[str, list[int]] = {}
    wild: dict[str, list[int]] = {}
    anywhere: list[int] = []
    for i, text in enumerate(norms):
        same.setdefault(text, []).append(i)
        prefix, colon, _ = text.partition(":")
        if not has_wildcard(text):
            continue
        if not colon or has_wildcard(prefix):
            anywhere.append(i)
        else:
            wild.setdefault(prefix, []).append(i)

    def candidates(i: int) -> list[int]:
        text = norms[i]
        return same[text] + wild.get(text.partition(":")[0], []) + anywhere

    return candidates


def _action_records(element: str, texts: tuple[str, ...]) -> tuple[_Record, ...]:
    norms = [text.lower() for text in texts]
    redundant = find_redundant(norms, glob_covers, _action_groups(norms))
    verb = "allows" if element == "Action" else "excludes"
    out = []
    for i, j in sorted(redundant.items()):
        text, other = texts[i], texts[j]
        if norms[i] == norms[j]:
            why = (
                f'"{text}" repeats "{other}" (action names ignore case)'
                if text != other
                else f'"{text}" is listed twice'
            )
        else:
            why = f'"{text}" is already matched by "{other}"'
        out.append(
            (
                "REDUNDANT_ACTION",
                f"{why} in {element}, so it changes nothing: remove it. The statement "
                f"{verb} exactly the same actions without it.",
                i,
                f'Remove "{text}" from {element}',
            )
        )
    return tuple(out)


def _resource_groups(norms: Sequence[str]) -> Callable[[int], list[int]]:
    same: dict[str, list[int]] = {}
    wild: dict[str, list[int]] = {}
    anywhere: list[int] = []
    for i, text in enumerate(norms):
        same.setdefault(text, []).append(i)
        if not has_wildcard_or_placeholder(text):
            continue
        fields = arn_fields(text)
        if fields is None or has_wildcard_or_placeholder(fields[2]):
            anywhere.append(i)
        else:
            wild.setdefault(fields[2], []).append(i)

    def candidates(i: int) -> list[int]:
        fields = arn_fields(norms[i])
        service = fields[2] if fields is not None else None
        return same[norms[i]] + (wild.get(service, []) if service is not None else []) + anywhere

    return candidates


def _resource_records(element: str, texts: tuple[str, ...]) -> tuple[_Record, ...]:
    norms = with_placeholders(texts)
    redundant = find_redundant(norms, arn_covers, _resource_groups(norms))
    out = []
    for i, j in sorted(redundant.items()):
        text, other = texts[i], texts[j]
        if norms[i] == norms[j]:
            why = f'"{text}" is listed twice in {element}'
        else:
            why = f'"{other}" already matches every resource "{text}" names'
        advice = ""
        if other == "*" and element == "Resource":
            advice = (
                " For least privilege, consider the opposite: keep the specific ARNs and "
                'drop "*" where the actions allow it.'
            )
        out.append(
            (
                "REDUNDANT_RESOURCE",
                f"{why}, so it changes nothing: remove it (ARNs match case-sensitively, "
                f"so only exact or wildcard matches count).{advice}",
                i,
                f'Remove "{text}" from {element}',
            )
        )
    return tuple(out)


# -- whole statements -------------------------------------------------------------------


@dataclass(frozen=True)
class _Grant:
    """The actions and resources of a statement, normalised for comparison (cached)."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    key: str
    """Actions and resources in one string, whose hash Python keeps: cheap to compare."""
    action_prefixes: tuple[str | None, ...]
    resource_prefixes: tuple[str | None, ...]
    """For each entry, the text before its first wildcard; None when it has none."""

    def __hash__(self) -> int:
        # The key says it all, and its hash is kept: a policy's grants are a cache key.
        return hash(self.key)


def _prefix(entry: str) -> str | None:
    return literal_prefix(entry)


@lru_cache(maxsize=4096)
def _grant(actions: tuple[str, ...], resources: tuple[str, ...]) -> _Grant:
    norm_actions = tuple(sorted({a.lower() for a in actions}))
    norm_resources = tuple(sorted(set(with_placeholders(resources))))
    key = "\x00".join(norm_actions) + "\x01" + "\x00".join(norm_resources)
    return _Grant(
        norm_actions,
        norm_resources,
        key,
        tuple(map(_prefix, norm_actions)),
        tuple(map(_prefix, norm_resources)),
    )


class _CoverIndex:
    """Which statements have an entry that covers a given action or resource.

    A pattern can only cover texts that start with its literal prefix (the part before
    its first wildcard), so patterns are filed by prefix and only those whose prefix
    starts the text are tried: no comparison of every statement with every other.
    """

    def __init__(self, covers: Callable[[str, str], bool]) -> None:
        self.covers = covers
        self.exact: dict[str, set[int]] = {}
        self.patterns: dict[int, dict[str, dict[str, set[int]]]] = {}
        self.memo: dict[str, set[int]] = {}

    def add(self, entries: tuple[str, ...], prefixes: tuple[str | None, ...], index: int) -> None:
        for entry, prefix in zip(entries, prefixes, strict=True):
            self.exact.setdefault(entry, set()).add(index)
            if prefix is not None:
                by_prefix = self.patterns.setdefault(len(prefix), {})
                by_prefix.setdefault(prefix, {}).setdefault(entry, set()).add(index)

    def covering(self, text: str) -> set[int]:
        found = self.memo.get(text)
        if found is None:
            found = set(self.exact.get(text, ()))
            for length, by_prefix in self.patterns.items():
                for pattern, holders in by_prefix.get(text[:length], {}).items():
                    if pattern != text and self.covers(pattern, text):
                        found |= holders
            self.memo[text] = found
        return found


@dataclass(frozen=True)
class _Grants:
    """What a statement grants or denies, wherever it sits in the policy."""

    effect: str
    elements: tuple[str, str]
    grant: _Grant
    condition: _Frozen | None
    """The Condition block frozen: equal exactly when the blocks are equal."""


@dataclass(frozen=True)
class _Shape:
    """What a statement grants or denies."""

    index: int
    effect: str
    elements: tuple[str, str]
    grant: _Grant
    condition: _Frozen | None

    @property
    def plain(self) -> bool:
        """Action and Resource lists (coverage is only judged for these)."""
        return self.elements == ("Action", "Resource")


def _grants(st: StatementView, texts: dict[str, tuple[str, ...]]) -> _Grants | None:
    raw = st.raw
    effect = raw.get("Effect")
    if (effect != "Allow" and effect != "Deny") or not raw.keys() <= _STATEMENT_ELEMENTS:
        return None
    actions = texts.get("Action")
    action_element = "Action"
    if actions is None:
        actions, action_element = texts.get("NotAction"), "NotAction"
    elif "NotAction" in texts:
        return None
    resources = texts.get("Resource")
    resource_element = "Resource"
    if resources is None:
        resources, resource_element = texts.get("NotResource"), "NotResource"
    elif "NotResource" in texts:
        return None
    # Ill-typed or empty elements are the grammar family's business.
    if (
        not actions
        or not resources
        or _count(raw[action_element]) != len(actions)
        or _count(raw[resource_element]) != len(resources)
    ):
        return None
    condition = raw.get("Condition")
    if condition is not None and not isinstance(condition, dict):
        return None
    return _Grants(
        effect, (action_element, resource_element), _grant(actions, resources), _freeze(condition or None)
    )


def _freeze(value: Any) -> _Frozen:
    """A JSON value as an immutable one that compares as the value does (objects as
    frozensets of their members, lists as tuples)."""
    if isinstance(value, dict):
        return frozenset((key, _freeze(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


def _count(value: Any) -> int:
    return len(value) if isinstance(value, list) else 1


def _covers(general: _Shape, specific: _Shape) -> bool:
    """Whether ``general`` grants (or denies) all ``specific`` does, under its conditions."""
    if general.effect != specific.effect or not general.plain or not specific.plain:
        return False
    if general.condition is not None and general.condition != specific.condition:
        return False
    g, s = general.grant, specific.grant
    return all(any(glob_covers(p, a) for p in g.actions) for a in s.actions) and all(
        any(arn_covers(r, x) for r in g.resources) for x in s.resources
    )


@lru_cache(maxsize=256)
def _redundant_statements(grants: tuple[tuple[int, _Grants], ...]) -> tuple[tuple[int, _Shape, bool], ...]:
    """(index, the statement that repeats or covers it, whether it repeats it) for each
    redundant statement, from what each statement (by index) grants; cached, as an edit
    that changes no grant (a Sid, the layout) gives the same grants."""
    shapes = [_Shape(index, g.effect, g.elements, g.grant, g.condition) for index, g in grants]
    flagged: dict[int, tuple[_Shape, bool]] = {}
    # Exact repeats first: cheap, and the message can say so.
    groups: dict[tuple[Any, ...], list[_Shape]] = {}
    for shape in shapes:
        group = groups.setdefault((shape.effect, shape.elements, shape.grant.key), [])
        twin = next((g for g in group if g.condition == shape.condition), None)
        if twin is not None:
            flagged[shape.index] = (twin, True)
        else:
            group.append(shape)
    # Then coverage: a statement's candidates are those covering each of its actions
    # and each of its resources.
    plain = [s for s in shapes if s.plain and s.index not in flagged]
    actions = _CoverIndex(glob_covers)
    resources = _CoverIndex(arn_covers)
    for shape in plain:
        grant = shape.grant
        actions.add(grant.actions, grant.action_prefixes, shape.index)
        resources.add(grant.resources, grant.resource_prefixes, shape.index)
    by_index = {s.index: s for s in plain}
    for shape in plain:
        candidates: set[int] | None = None
        pairs = ((resources, shape.grant.resources), (actions, shape.grant.actions))
        # Start with the dimension that narrows most (statements often share actions and
        # differ in resources, or the other way round).
        if len(actions.covering(shape.grant.actions[0])) < len(resources.covering(shape.grant.resources[0])):
            pairs = pairs[::-1]
        for index_, entries in pairs:
            for entry in entries:
                found = index_.covering(entry)
                candidates = set(found) if candidates is None else candidates & found
                if len(candidates) <= 1:
                    break
            if candidates is not None and len(candidates) <= 1:
                break
        for index in sorted(candidates or ()):
            other = by_index[index]
            if index == shape.index or index in flagged or other.effect != shape.effect:
                continue
            if other.condition is not None and other.condition != shape.condition:
                continue
            # Two statements that cover each other: keep the first.
            if index > shape.index and _covers(shape, other):
                continue
            flagged[shape.index] = (other, False)
            break
    return tuple((index, *flagged[index]) for index in sorted(flagged))


def _report_statement(doc: Document, index: int, other: _Shape, same: bool) -> None:
    path: Path = ("Statement", index)
    where = f"Statement[{other.index}]"
    if same:
        why = f"repeats {where}"
    else:
        verb = "allows" if other.effect == "Allow" else "denies"
        extra = " under the same conditions" if other.condition else " unconditionally"
        why = (
            f"is already covered: {where} {verb} the same or more actions on the same "
            f"or more resources{extra}"
        )
    doc.report(
        "REDUNDANT_STATEMENT",
        SUGGESTION,
        f"This statement {why}, so removing it changes nothing. Keeping both "
        "invites edits to one that the other silently undoes.",
        path,
        fix=Fix(f"Remove Statement[{index}]", path, REMOVE),
    )
