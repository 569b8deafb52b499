"""What each statement grants or denies, spelled out action by action.

Actions of the services the catalog holds are expanded to the catalog's actions, so
``xray:Get*`` and ``NotAction`` become plain lists. Actions of other services cannot be
expanded; they are kept as the patterns written (:class:`OtherGrant`).

Resources are kept as written but checked against what each action can be requested
on: an action that takes no ARN is requested on the literal ``*``, others on the ARNs
of their resource types. A pattern that can match none of those grants nothing for
that action, and is reported instead of listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from xraybuilder.core import catalog
from xraybuilder.core.catalog import Action
from xraybuilder.core.explain.conditions import Condition, normalize
from xraybuilder.core.explain.patterns import (
    LITERAL_STAR,
    STAR,
    Pattern,
    Scope,
    covered,
    overlaps,
    template_pattern,
)
from xraybuilder.core.patterns import action_matches
from xraybuilder.core.policy.model import Policy, PolicyShapeError, Statement, format_path
from xraybuilder.core.policy.source import Path

EFFECTS = ("Allow", "Deny")
_ONLY_STAR = Scope((LITERAL_STAR,))


@dataclass(frozen=True, slots=True)
class Grant:
    """One action of an expanded service, allowed or denied on some resources, maybe under a condition."""

    effect: str
    action: Action
    resources: tuple[str, ...]
    """Patterns as written that can apply to the action; ``("*",)`` for actions that take no ARN."""
    not_resource: bool
    condition: Condition
    statement: str
    variables: bool = True

    @property
    def scope(self) -> Scope:
        """The resources reached, as a scope."""
        return resource_scope(self.resources, self.not_resource, self.variables)

    @property
    def all_resources(self) -> bool:
        """True when the grant reaches every resource the action can be requested on."""
        return covered((universe(self.action),), (self.scope,))


@dataclass(frozen=True, slots=True)
class OtherGrant:
    """Actions of services the explainer does not expand, kept as the patterns written."""

    effect: str
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    condition: Condition
    statement: str
    variables: bool = True

    @property
    def scope(self) -> Scope:
        """The resources reached, as a scope."""
        return resource_scope(self.resources, self.not_resource, self.variables)

    @property
    def action_scope(self) -> Scope:
        """The actions matched, as a case-folded scope, limited to services the explainer does not expand."""
        return Scope.of(self.actions, negated=self.not_action, fold_case=True)

    @property
    def service(self) -> str:
        """The one service prefix the actions name, or ``*`` when several or a wildcard."""
        prefixes = {a.partition(":")[0].lower() if ":" in a else "*" for a in self.actions}
        if self.not_action or len(prefixes) != 1:
            return "*"
        prefix = prefixes.pop()
        return "*" if "*" in prefix or "?" in prefix else prefix


@dataclass(frozen=True, slots=True)
class Note:
    """Something worth saying about one statement; ``warning`` when it can surprise."""

    statement: str
    path: str
    message: str
    warning: bool = False

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "statement": self.statement,
            "path": self.path,
            "message": self.message,
            "severity": "warning" if self.warning else "info",
        }


@dataclass
class Expansion:
    """Every grant and denial of a set of policies, with what could not be expanded."""

    grants: list[Grant] = field(default_factory=list)
    others: list[OtherGrant] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    unknown_actions: list[tuple[str, str]] = field(default_factory=list)
    statement_count: int = 0
    conditional: bool = False

    index: dict[tuple[str, str], list[Grant]] = field(default_factory=dict, repr=False)

    def add(self, grant: Grant) -> None:
        """Record a grant and index it by effect and action."""
        self.grants.append(grant)
        self.index.setdefault((grant.effect, grant.action.full_name.lower()), []).append(grant)

    def for_action(self, action: Action, effect: str) -> list[Grant]:
        """Grants of one effect on one action, in statement order."""
        return self.index.get((effect, action.full_name.lower()), [])

    def actions(self, effect: str) -> list[Action]:
        """Actions with at least one grant of this effect, in the order first granted."""
        seen: dict[str, Action] = {}
        for g in self.grants:
            if g.effect == effect:
                seen.setdefault(g.action.full_name.lower(), g.action)
        return list(seen.values())

    def others_of(self, effect: str) -> list[OtherGrant]:
        """Grants of one effect on services the explainer does not expand."""
        return [o for o in self.others if o.effect == effect]


@cache
def expanded_services() -> tuple[catalog.Service, ...]:
    """The services explained action by action: X-Ray and those X-Ray policies use with it.

    Grants on any other service are summed up as written (``OtherGrant``): expanding
    ``*`` into every action of every AWS service would say less, and slowly.
    """
    out = []
    for prefix in catalog.related_service_prefixes():
        svc = catalog.service(prefix)
        if svc is not None:
            out.append(svc)
    return tuple(out)


@cache
def outside_catalog() -> Scope:
    """Every action string of a service not explained action by action."""
    return Scope.of(tuple(f"{s.prefix}:*" for s in expanded_services()), negated=True, fold_case=True)


@lru_cache(maxsize=1024)
def universe(action: Action) -> Scope:
    """What a request for ``action`` can name as its resource."""
    if not action.resource_types:
        return _ONLY_STAR
    svc = catalog.service(action.service)
    patterns: list[Pattern] = []
    for rt in action.resource_types:
        known = svc.resource_types.get(rt.resource_type) if svc else None
        patterns.append(template_pattern(known.arn_template) if known else ((STAR, ""),))
    return Scope(tuple(dict.fromkeys(patterns)))


def resource_scope(resources: tuple[str, ...], negated: bool, variables: bool = True) -> Scope:
    """The resources a grant reaches, as a scope."""
    return Scope.of(resources, negated=negated, variables=variables, arn=True)


def statement_path(policy: Policy, index: int) -> Path:
    """Where statement ``index`` sits in the document."""
    if policy.single_statement and len(policy.statements) == 1:
        return ("Statement",)
    return ("Statement", index)


def label(policy: Policy, index: int) -> str:
    """``Statement[1]`` or ``Statement[1] (Sid ReadTraces)``, for people."""
    statement = policy.statements[index]
    base = format_path(statement_path(policy, index))
    return f"{base} (Sid {statement.sid})" if statement.sid else base


def validate(policy: Policy) -> None:
    """Raise PolicyShapeError (with its path) for statements IAM would refuse to read."""
    for i, st in enumerate(policy.statements):
        path = statement_path(policy, i)
        if st.effect not in EFFECTS:
            raise PolicyShapeError(path + ("Effect",), f'Effect must be "Allow" or "Deny", not "{st.effect}"')
        if st.action is not None and st.not_action is not None:
            raise PolicyShapeError(path + ("NotAction",), "a statement has Action or NotAction, not both")
        if st.action is None and st.not_action is None:
            raise PolicyShapeError(path, "the statement has neither Action nor NotAction")
        if st.resource is not None and st.not_resource is not None:
            raise PolicyShapeError(
                path + ("NotResource",), "a statement has Resource or NotResource, not both"
            )
        if st.resource is None and st.not_resource is None:
            raise PolicyShapeError(path, "the statement has neither Resource nor NotResource")
        element = "Action" if st.action is not None else "NotAction"
        value = st.action if st.action is not None else st.not_action
        for j, text in enumerate((value,) if isinstance(value, str) else value or ()):
            prefix, sep, name = text.partition(":")
            if text != "*" and (not sep or not prefix or not name):
                where = path + ((element,) if isinstance(value, str) else (element, j))
                raise PolicyShapeError(
                    where, f'"{text}" is not an action: write service:Action, for example "xray:GetGroup"'
                )


def expand(policies: Sequence[Policy]) -> Expansion:
    """Every grant of every statement of ``policies`` (validated first)."""
    out = Expansion()
    for policy in policies:
        validate(policy)
        variables = policy.version == "2012-10-17"
        for i, st in enumerate(policy.statements):
            out.statement_count += 1
            _expand_statement(out, policy, i, st, variables)
    return out


def _matches(patterns: Iterable[str], action: Action) -> bool:
    name = action.full_name
    return any(action_matches(p, name) for p in patterns)


def _expanded_actions(patterns: tuple[str, ...]) -> tuple[list[Action], list[str]]:
    """Catalog actions matched, and the patterns of expanded services that match nothing."""
    found: dict[str, Action] = {}
    unknown: list[str] = []
    expanded = {s.prefix for s in expanded_services()}
    for text in patterns:
        prefix = text.partition(":")[0].lower() if text != "*" else "*"
        wild = "*" in prefix or "?" in prefix
        if not wild and prefix not in expanded:
            continue
        hits = [
            a
            for s in expanded_services()
            for a in s.actions.values()
            if (wild or s.prefix == prefix) and _matches((text,), a)
        ]
        if not hits and not wild:
            unknown.append(text)
        for a in hits:
            found.setdefault(a.full_name.lower(), a)
    return list(found.values()), unknown


def _expand_statement(out: Expansion, policy: Policy, index: int, st: Statement, variables: bool) -> None:
    name = label(policy, index)
    path = format_path(statement_path(policy, index))
    condition = normalize(st.condition)
    out.conditional = out.conditional or bool(condition)
    not_resource = st.not_resource is not None
    resources = st.not_resources() if not_resource else st.resources()
    allow = st.effect == "Allow"

    if st.principal is not None or st.not_principal is not None:
        out.notes.append(
            Note(
                name,
                path,
                "Principal is ignored here: an identity policy applies "
                "to whoever it is attached to (IAM rejects it there).",
                True,
            )
        )
    if st.not_action is not None:
        excluded = st.not_actions()
        matched_out, _ = _expanded_actions(excluded)
        gone = {a.full_name.lower() for a in matched_out}
        actions = [
            a for s in expanded_services() for a in s.actions.values() if a.full_name.lower() not in gone
        ]
        out.others.append(
            OtherGrant(st.effect, excluded, True, resources, not_resource, condition, name, variables)
        )
        out.notes.append(Note(name, path, _not_action_text(st.effect, excluded, gone), warning=allow))
    else:
        written = st.actions()
        if not written:
            out.notes.append(Note(name, path, "Action is empty: the statement grants nothing.", True))
        actions, unknown = _expanded_actions(written)
        for text in unknown:
            out.unknown_actions.append((text, name))
            service = catalog.service(text.partition(":")[0])
            out.notes.append(
                Note(
                    name,
                    path,
                    f"{text} matches no action of "
                    f"{service.name if service else 'its service'}: it grants nothing.",
                    True,
                )
            )
        expanded = {s.prefix for s in expanded_services()}
        for text in written:
            prefix = text.partition(":")[0].lower() if text != "*" else "*"
            if prefix not in expanded:
                out.others.append(
                    OtherGrant(st.effect, (text,), False, resources, not_resource, condition, name, variables)
                )
    if not_resource:
        verb = "allows" if allow else "denies"
        out.notes.append(
            Note(
                name,
                path,
                f"NotResource: the statement {verb} its actions on every resource except "
                f"{', '.join(resources)}, in every account and Region.",
                warning=allow,
            )
        )

    unmatched: dict[str, list[str]] = {}
    for action in actions:
        kept = _relevant(action, resources, not_resource, variables)
        if not_resource:
            if kept is None:
                unmatched.setdefault(", ".join(resources), []).append(action.full_name)
                continue
            grant_resources, grant_not = kept, bool(action.resource_types)
        else:
            rel = [r for r in resources if _pattern_relevant(action, r, variables)]
            for r in resources:
                if r not in rel:
                    unmatched.setdefault(r, []).append(action.full_name)
            if not rel:
                continue
            grant_resources, grant_not = (("*",) if not action.resource_types else tuple(rel)), False
        out.add(Grant(st.effect, action, grant_resources, grant_not, condition, name, variables))
    for resource, names in unmatched.items():
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        out.notes.append(
            Note(
                name,
                path,
                f"{'NotResource' if not_resource else 'Resource'} {resource} can never match a "
                f"request for {shown}, so the statement gives {'them' if len(names) > 1 else 'it'} "
                "nothing there"
                + (
                    ' (an action that takes no ARN is requested on "*").'
                    if any(not _is_resource_level(n) for n in names)
                    else "."
                ),
                warning=True,
            )
        )


def _is_resource_level(full_name: str) -> bool:
    found = catalog.action(full_name)
    return bool(found and found.resource_types)


def _pattern_relevant(action: Action, pattern: str, variables: bool) -> bool:
    return overlaps(resource_scope((pattern,), False, variables), universe(action))


def _relevant(
    action: Action, resources: tuple[str, ...], negated: bool, variables: bool
) -> tuple[str, ...] | None:
    """For NotResource: what remains for ``action`` (None when nothing does)."""
    if not overlaps(resource_scope(resources, True, variables), universe(action)):
        return None
    # An action that takes no ARN is requested on "*": what remains is exactly that.
    return resources if action.resource_types else ("*",)


def _not_action_text(effect: str, excluded: tuple[str, ...], gone: set[str]) -> str:
    verb = "allows" if effect == "Allow" else "denies"
    parts = []
    for svc in expanded_services():
        out = sorted(a.name for a in svc.actions.values() if a.full_name.lower() in gone)
        if len(out) == len(svc.actions):
            continue
        short = svc.name.removeprefix("AWS ").removeprefix("Amazon ")
        parts.append(f"every {short} action" + (f" except {', '.join(out)}" if out else ""))
    others = [
        e for e in excluded if e.partition(":")[0].lower() not in {s.prefix for s in expanded_services()}
    ]
    parts.append(
        "every action of every other AWS service" + (f" except {', '.join(others)}" if others else "")
    )
    return (
        f"NotAction: the statement {verb} everything except {', '.join(excluded)}: "
        + "; ".join(parts)
        + ". It covers other services too, not only X-Ray."
    )
