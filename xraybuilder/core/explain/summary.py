"""The policy summary: per service, per access level, which actions on which resources.

Grouped the way the IAM console summarises a policy, plus what a user of the X-Ray
console can do with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xraybuilder.core import catalog
from xraybuilder.core.catalog import Action
from xraybuilder.core.catalog.query import level_total
from xraybuilder.core.explain import capabilities as caps
from xraybuilder.core.explain.conditions import Condition, describe, to_json
from xraybuilder.core.explain.grants import Expansion, Grant, Note, OtherGrant, expanded_services, universe
from xraybuilder.core.explain.patterns import overlaps
from xraybuilder.core.explain.text import WIDTH, resources_text, wrap

# A level is shown as "all N actions" rather than by name past this many actions.
_LIST_NAMES_UP_TO = 20


@dataclass(frozen=True, slots=True)
class Scope:
    """Where and when an action is granted: resources, condition, and the statements saying so."""

    resources: tuple[str, ...]
    not_resource: bool
    all_resources: bool
    condition: Condition
    statements: tuple[str, ...]

    @property
    def resource_text(self) -> str:
        """``all resources``, the ARNs, or ``every resource except …``."""
        return resources_text(self.resources, self.not_resource)

    @property
    def condition_text(self) -> str | None:
        """The condition in words, or None."""
        return describe(self.condition) if self.condition else None

    def text(self) -> str:
        """``on all resources when …``."""
        return f"on {self.resource_text}" + (f" when {self.condition_text}" if self.condition else "")

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "resources": list(self.resources),
            "not_resource": self.not_resource,
            "all_resources": self.all_resources,
            "resource_text": self.resource_text,
            "condition": to_json(self.condition),
            "condition_text": self.condition_text,
            "statements": list(self.statements),
        }


@dataclass(frozen=True, slots=True)
class ActionSummary:
    """One action and every scope it is granted (or denied) in."""

    action: Action
    scopes: tuple[Scope, ...]
    denied: tuple[str, ...] = ()
    """For allowed actions: where a Deny statement takes some of it back."""

    @property
    def name(self) -> str:
        """``xray:GetGroup``."""
        return self.action.full_name

    @property
    def all_resources(self) -> bool:
        """Granted on every resource the action can be requested on, without a condition."""
        return any(s.all_resources and not s.condition for s in self.scopes)

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "action": self.action.full_name,
            "name": self.action.name,
            "access_level": self.action.access_level,
            "description": self.action.description,
            "resource_level": self.action.resource_level,
            "grants": [s.to_json() for s in self.scopes],
            "denied": list(self.denied),
        }


@dataclass(frozen=True, slots=True)
class LevelSummary:
    """The actions of one access level of one service."""

    level: str
    actions: tuple[ActionSummary, ...]
    level_total: int

    def names(self) -> list[str]:
        """Action names without the service prefix, sorted."""
        return [a.action.name for a in self.actions]

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "level": self.level,
            "action_count": len(self.actions),
            "level_total": self.level_total,
            "actions": [a.to_json() for a in self.actions],
        }


@dataclass(frozen=True, slots=True)
class ServiceSummary:
    """One expanded service: its access levels in IAM's order."""

    prefix: str
    name: str
    levels: tuple[LevelSummary, ...]
    service_total: int

    @property
    def action_count(self) -> int:
        """How many of the service's actions are granted."""
        return sum(len(level.actions) for level in self.levels)

    def level(self, name: str) -> LevelSummary | None:
        """The summary of one access level (case-insensitive), None when nothing is at it."""
        return next((lv for lv in self.levels if lv.level.lower() == name.lower()), None)

    def actions(self) -> list[ActionSummary]:
        """Every action summary of the service, level by level."""
        return [a for level in self.levels for a in level.actions]

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "service": self.prefix,
            "name": self.name,
            "action_count": self.action_count,
            "service_total": self.service_total,
            "access_levels": [lv.to_json() for lv in self.levels],
        }


@dataclass(frozen=True, slots=True)
class OtherSummary:
    """Actions of a service not expanded action by action, as written."""

    grant: OtherGrant

    @property
    def service(self) -> str:
        """The service prefix, or ``*`` for several or a wildcard."""
        return self.grant.service

    @property
    def actions_text(self) -> str:
        """The actions in words (NotAction and ``*`` spelled out)."""
        g = self.grant
        if g.not_action:
            outside = [
                a
                for a in g.actions
                if a.partition(":")[0].lower() not in {s.prefix for s in expanded_services()}
            ]
            return "every action of every other service" + (
                f" except {', '.join(outside)}" if outside else ""
            )
        if g.actions == ("*",):
            return "every action of every other service"
        return ", ".join(g.actions)

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        g = self.grant
        return {
            "effect": g.effect,
            "service": self.service,
            "actions": list(g.actions),
            "not_action": g.not_action,
            "actions_text": self.actions_text,
            "resources": list(g.resources),
            "not_resource": g.not_resource,
            "resource_text": resources_text(g.resources, g.not_resource),
            "condition": to_json(g.condition),
            "condition_text": describe(g.condition) if g.condition else None,
            "statement": g.statement,
        }


@dataclass(frozen=True)
class Summary:
    """What a policy allows and denies, in the IAM console's grouping, and what the console can do."""

    statement_count: int
    allows: tuple[ServiceSummary, ...]
    denies: tuple[ServiceSummary, ...]
    others: tuple[OtherSummary, ...]
    notes: tuple[Note, ...]
    console: tuple[caps.CapabilityResult, ...]

    def service(self, prefix: str, effect: str = "Allow") -> ServiceSummary | None:
        """The allowed (or denied) part of one service."""
        pool = self.allows if effect == "Allow" else self.denies
        return next((s for s in pool if s.prefix == prefix.lower()), None)

    def capability(self, capability_id: str) -> caps.CapabilityResult:
        """The console verdict for one capability id (``view-traces``, ``change-encryption``…)."""
        return next(c for c in self.console if c.id == capability_id)

    def allowed_actions(self) -> set[str]:
        """Full names of every action of the expanded services allowed somewhere."""
        return {a.name for s in self.allows for a in s.actions()}

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "statements": self.statement_count,
            "allows": [s.to_json() for s in self.allows],
            "denies": [s.to_json() for s in self.denies],
            "other_services": [o.to_json() for o in self.others],
            "notes": [n.to_json() for n in self.notes],
            "console": [c.to_json() for c in self.console],
        }

    def render_text(self, *, width: int = WIDTH, descriptions: bool = False) -> str:
        """The summary for a terminal ``width`` columns wide."""
        lines: list[str] = []
        count = f"{self.statement_count} statement{'s' if self.statement_count != 1 else ''}"
        lines.append(f"What it allows ({count})")
        _render_services(lines, self.allows, width, descriptions)
        if not self.allows and not self.others_of("Allow"):
            lines.append("  nothing")
        _render_others(lines, self.others_of("Allow"), width)
        lines.append("")
        lines.append("What it denies")
        _render_services(lines, self.denies, width, descriptions)
        if not self.denies and not self.others_of("Deny"):
            lines.append("  nothing")
        _render_others(lines, self.others_of("Deny"), width)
        if self.notes:
            lines.append("")
            lines.append("Notes")
            for note in self.notes:
                mark = "!" if note.warning else "-"
                lines.extend(wrap(f"{mark} {note.statement}: {note.message}", 2, width))
        lines.append("")
        lines.append("In the X-Ray console")
        for result in self.console:
            lines.append(f"  {result.status:<7} {result.name}")
            detail = result.detail()
            if detail:
                lines.extend(wrap(detail, 10, width))
            if result.capability.note and result.status != caps.NO:
                lines.extend(wrap("Note: " + result.capability.note, 10, width))
        return "\n".join(lines) + "\n"

    def others_of(self, effect: str) -> list[OtherSummary]:
        """Grants of one effect on services the explainer does not expand."""
        return [o for o in self.others if o.grant.effect == effect]


def _render_services(
    lines: list[str], services: tuple[ServiceSummary, ...], width: int, descriptions: bool
) -> None:
    for svc in services:
        whole = _whole_service_scope(svc)
        if whole is not None:
            # Every action of another service, all alike (what NotAction and "svc:*" give):
            # one line says it; listing them by level would bury the X-Ray ones.
            scope_texts, denied = whole
            lines.append(f"  {svc.name}: all {svc.service_total} actions")
            lines.extend(line for text in scope_texts for line in wrap(text, 4, width))
            lines.extend(line for text in denied for line in wrap("but denied " + text, 4, width))
            continue
        lines.append(f"  {svc.name}: {svc.action_count} of {svc.service_total} actions")
        for level in svc.levels:
            _render_level(lines, level, width, descriptions)


def _whole_service_scope(svc: ServiceSummary) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The one scope every action of a service other than X-Ray has, if all are granted alike."""
    if svc.prefix == "xray" or svc.action_count != svc.service_total:
        return None
    shapes = {(tuple(s.text() for s in a.scopes), a.denied) for a in svc.actions()}
    return shapes.pop() if len(shapes) == 1 else None


def _render_level(lines: list[str], level: LevelSummary, width: int, descriptions: bool) -> None:
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[ActionSummary]] = {}
    for a in level.actions:
        groups.setdefault((tuple(s.text() for s in a.scopes), a.denied), []).append(a)
    head = f"{level.level} ({len(level.actions)} of {level.level_total})"
    # One group reads best on the level's own line; several get a line each below it.
    single = len(groups) == 1 and not descriptions
    indent = 4 if single else 6
    if not single:
        lines.append(f"    {head}")
    for (scope_texts, denied), members in groups.items():
        if descriptions:
            for a in members:
                lines.extend(wrap(f"{a.action.name}: {a.action.description}", indent, width, hang=4))
        else:
            if len(members) == level.level_total and len(members) > _LIST_NAMES_UP_TO:
                names = f"all {len(members)} {level.level} actions"
            else:
                names = ", ".join(a.action.name for a in members)
            lines.extend(wrap(f"{head}: {names}" if single else names, indent, width))
        for text in scope_texts:
            lines.extend(wrap(text, indent + 2, width))
        for text in denied:
            lines.extend(wrap("but denied " + text, indent + 2, width))


def _render_others(lines: list[str], others: list[OtherSummary], width: int) -> None:
    if not others:
        return
    lines.append("  Services outside xraybuilder's catalog (access levels unknown):")
    for o in others:
        lines.extend(wrap(o.actions_text, 4, width))
        lines.extend(wrap(caps.grant_text(o.grant), 6, width))


def _scopes(grants: list[Grant]) -> tuple[Scope, ...]:
    merged: dict[tuple[Any, ...], tuple[Grant, list[str]]] = {}
    for g in grants:
        key = (g.resources, g.not_resource, frozenset(g.condition))
        merged.setdefault(key, (g, []))[1].append(g.statement)
    return tuple(
        Scope(g.resources, g.not_resource, g.all_resources, g.condition, tuple(dict.fromkeys(statements)))
        for g, statements in merged.values()
    )


def _denied(exp: Expansion, action: Action, allows: list[Grant]) -> tuple[str, ...]:
    whole = universe(action)
    out = []
    for d in exp.for_action(action, "Deny"):
        if any(overlaps(a.scope, d.scope, whole) for a in allows):
            out.append(caps.grant_text(d))
    return tuple(dict.fromkeys(out))


def services_of(exp: Expansion, effect: str) -> tuple[ServiceSummary, ...]:
    """The expanded services with grants of ``effect``, levels in IAM's order."""
    by_service: dict[str, list[Action]] = {}
    for action in exp.actions(effect):
        by_service.setdefault(action.service, []).append(action)
    out = []
    for svc in expanded_services():
        actions = by_service.get(svc.prefix)
        if not actions:
            continue
        levels = []
        for level in catalog.ACCESS_LEVELS:
            at_level = sorted((a for a in actions if a.access_level == level), key=lambda a: a.name)
            if not at_level:
                continue
            total = level_total(svc.prefix, level)
            summaries = []
            for a in at_level:
                grants = exp.for_action(a, effect)
                denied = _denied(exp, a, grants) if effect == "Allow" else ()
                summaries.append(ActionSummary(a, _scopes(grants), denied))
            levels.append(LevelSummary(level, tuple(summaries), total))
        out.append(ServiceSummary(svc.prefix, svc.name, tuple(levels), len(svc.actions)))
    return tuple(out)


def build(exp: Expansion) -> Summary:
    """The summary of an expansion."""
    return Summary(
        exp.statement_count,
        services_of(exp, "Allow"),
        services_of(exp, "Deny"),
        tuple(OtherSummary(o) for o in exp.others),
        tuple(exp.notes),
        caps.evaluate(exp),
    )
