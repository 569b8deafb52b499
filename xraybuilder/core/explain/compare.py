"""What one policy grants beyond, or short of, another: action by action, resource by resource.

Resources are compared as sets of strings, wildcards included: a grant on ``*`` covers a
grant on a group ARN, not the reverse, and each resource of a grant is checked on its
own. Each action is compared only over what it can be requested on (its resource
types' ARNs, or the literal ``*`` for actions that take no ARN).

Conditions and Deny statements are treated conservatively, so that a difference is
never missed (one may be reported that a closer reading would rule out):

* a grant is covered only by a grant whose condition its own condition implies
  (see :mod:`xraybuilder.core.explain.conditions`); two different conditions never
  cover each other;
* the other side's Deny statements subtract even when they have a condition, unless
  this side denies the same thing under a condition at least as broad;
* this side's own Deny statements subtract only when they have no condition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from xraybuilder.core import catalog
from xraybuilder.core.catalog.query import level_rank, level_total
from xraybuilder.core.explain.capabilities import grant_text
from xraybuilder.core.explain.conditions import Condition, describe, implies, to_json
from xraybuilder.core.explain.grants import (
    Expansion,
    Grant,
    OtherGrant,
    expanded_services,
    outside_catalog,
    resource_scope,
    universe,
)
from xraybuilder.core.explain.patterns import EVERYTHING, Scope, covered, overlaps
from xraybuilder.core.explain.text import WIDTH, resources_text, service_name, wrap

_LIST_NAMES_UP_TO = 20
# A reason quotes at most this many of the other side's grants.
_REASON_GRANTS = 3

NOTE_CONDITIONS = (
    "Conditions were compared conservatively: a grant counts as covered only by a grant "
    "with no condition or with a condition its own implies (same operator and key, values "
    "within the other's). Two different conditions never cover each other, so a "
    "difference may be listed that the conditions would not really make."
)
NOTE_DENIES = (
    "A Deny with a condition was counted as always applying when it belongs to the side "
    "a grant is checked against, and as never applying to the side that makes the grant."
)


@dataclass(frozen=True, slots=True)
class Difference:
    """One grant one side has and the other lacks (wholly or in part)."""

    action: str
    """``xray:CreateGroup``; for services the explainer does not expand, the actions as written."""
    service: str
    access_level: str | None
    resources: tuple[str, ...]
    not_resource: bool
    condition: Condition
    reasons: tuple[str, ...]
    statements: tuple[str, ...]

    @property
    def resource_text(self) -> str:
        """``all resources``, the ARNs, or ``every resource except …``."""
        return resources_text(self.resources, self.not_resource)

    @property
    def condition_text(self) -> str | None:
        """The condition in words, or None."""
        return describe(self.condition) if self.condition else None

    @property
    def all_resources(self) -> bool:
        """True when the grant is on ``*``."""
        return not self.not_resource and "*" in self.resources

    def text(self) -> str:
        """``on … when …``."""
        return f"on {self.resource_text}" + (f" when {self.condition_text}" if self.condition else "")

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "action": self.action,
            "service": self.service,
            "access_level": self.access_level,
            "resources": list(self.resources),
            "not_resource": self.not_resource,
            "resource_text": self.resource_text,
            "condition": to_json(self.condition),
            "condition_text": self.condition_text,
            "reasons": list(self.reasons),
            "statements": list(self.statements),
        }


@dataclass(frozen=True)
class Comparison:
    """The grants a policy has beyond a baseline, and those it falls short of."""

    beyond: tuple[Difference, ...]
    short_of: tuple[Difference, ...]
    policy_name: str = "the policy"
    baseline_name: str = "the baseline"
    notes: tuple[str, ...] = field(default=())

    @property
    def is_subset(self) -> bool:
        """Nothing beyond the baseline."""
        return not self.beyond

    @property
    def is_superset(self) -> bool:
        """Nothing short of the baseline."""
        return not self.short_of

    @property
    def same(self) -> bool:
        """The same grants both ways."""
        return not self.beyond and not self.short_of

    def beyond_actions(self) -> set[str]:
        """Names of the actions with a grant beyond the baseline."""
        return {d.action for d in self.beyond}

    def short_of_actions(self) -> set[str]:
        """Names of the actions with a grant the policy lacks."""
        return {d.action for d in self.short_of}

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "policy": self.policy_name,
            "baseline": self.baseline_name,
            "is_subset": self.is_subset,
            "is_superset": self.is_superset,
            "same": self.same,
            "beyond": [d.to_json() for d in self.beyond],
            "short_of": [d.to_json() for d in self.short_of],
            "notes": list(self.notes),
        }

    def render_text(self, *, width: int = WIDTH) -> str:
        """The comparison for a terminal ``width`` columns wide."""
        p, b = self.policy_name, self.baseline_name
        lines = [f"Compared with {b}"]
        if self.same:
            lines.extend(wrap(f"Same grants: {p} grants exactly what {b} grants.", 2, width))
        else:
            if self.beyond:
                lines.extend(wrap(f"Beyond {b}, {p} allows:", 2, width))
                _render(lines, self.beyond, width)
            else:
                lines.extend(wrap(f"Nothing beyond {b}: {p} is a subset of it.", 2, width))
            if self.short_of:
                lines.extend(wrap(f"Short of {b}, which also allows:", 2, width))
                _render(lines, self.short_of, width)
            else:
                lines.extend(wrap(f"Nothing short of {b}: {p} allows all it allows.", 2, width))
        for note in self.notes:
            lines.extend(wrap("Note: " + note, 2, width))
        return "\n".join(lines) + "\n"


def _render(lines: list[str], diffs: Iterable[Difference], width: int) -> None:
    by_service: dict[str, list[Difference]] = {}
    for d in diffs:
        by_service.setdefault(d.service, []).append(d)
    for prefix, items in by_service.items():
        svc = catalog.service(prefix)
        lines.append(
            "    "
            + (
                service_name(prefix)
                if svc
                else "services outside xraybuilder's catalog"
                if prefix == "*"
                else prefix
            )
        )
        levels = [lv for lv in catalog.ACCESS_LEVELS if any(d.access_level == lv for d in items)]
        for level in [*levels, None]:
            groups: dict[tuple[str, tuple[str, ...]], list[Difference]] = {}
            for d in items:
                if d.access_level == level:
                    groups.setdefault((d.text(), d.reasons), []).append(d)
            for (scope_text, reasons), members in groups.items():
                names = [m.action.partition(":")[2] if svc else m.action for m in members]
                total = level_total(svc.prefix, level) if svc else 0
                if svc and len(members) == total and total > _LIST_NAMES_UP_TO:
                    head = f"{level}: all {total} {level} actions"
                else:
                    head = (f"{level}: " if level else "") + ", ".join(dict.fromkeys(names))
                lines.extend(wrap(head, 6, width))
                lines.extend(wrap(scope_text, 8, width))
                for reason in reasons:
                    lines.extend(wrap(f"({reason})", 8, width))


def compare_expansions(
    mine: Expansion,
    theirs: Expansion,
    *,
    policy_name: str = "the policy",
    baseline_name: str = "the baseline",
) -> Comparison:
    """Compare two expansions (see :func:`xraybuilder.core.explain.compare`)."""
    notes = []
    if mine.conditional or theirs.conditional:
        notes.append(NOTE_CONDITIONS)
    if any(g.condition for e in (mine, theirs) for g in e.grants if g.effect == "Deny") or any(
        o.condition for e in (mine, theirs) for o in e.others if o.effect == "Deny"
    ):
        notes.append(NOTE_DENIES)
    return Comparison(
        tuple(_excess(mine, theirs, baseline_name)),
        tuple(_excess(theirs, mine, policy_name)),
        policy_name,
        baseline_name,
        tuple(notes),
    )


def _matched(own: Grant | OtherGrant, other: Grant | OtherGrant, whole: Scope) -> bool:
    """``own`` denies at least wherever and whenever ``other`` does."""
    return covered((other.scope, whole), (own.scope,)) and implies(other.condition, own.condition)


def _why_not(subject: tuple[Scope, ...], allows: list[Grant] | list[OtherGrant], other: str) -> str:
    if not allows:
        return f"{other} does not allow it"
    # Only a conditional grant can cover the resources and still not count.
    wide = [a for a in allows if a.condition and covered(subject, (a.scope,))]
    if wide:
        conds = dict.fromkeys(describe(a.condition) for a in wide)
        return f"{other} allows it only when " + " or when ".join(conds)
    texts = list(dict.fromkeys(_brief(a) for a in allows))
    shown = " or ".join(texts[:_REASON_GRANTS])
    if len(texts) > _REASON_GRANTS:
        shown += f" (and {len(texts) - _REASON_GRANTS} more grants)"
    return f"{other} allows it only {shown}"


def _brief(grant: Grant | OtherGrant) -> str:
    """``grant_text`` with at most a few resources quoted."""
    if len(grant.resources) <= _REASON_GRANTS:
        return grant_text(grant)
    more = len(grant.resources) - _REASON_GRANTS
    shortened = replace(grant, resources=grant.resources[:_REASON_GRANTS])
    text = "on " + resources_text(shortened.resources, grant.not_resource) + f" and {more} more"
    return text + (f" when {describe(grant.condition)}" if grant.condition else "")


def _parts(grant: Grant | OtherGrant) -> list[tuple[str, ...]]:
    # Each resource on its own, so that the answer is resource by resource; a NotResource
    # list only means something as a whole.
    return [grant.resources] if grant.not_resource else [(r,) for r in grant.resources]


def _excess(mine: Expansion, theirs: Expansion, other: str) -> list[Difference]:
    found: dict[tuple[Any, ...], Difference] = {}

    def add(diff: Difference) -> None:
        """Record ``diff``, merging it with an identical one from another statement."""
        key = (diff.action, diff.resources, diff.not_resource, frozenset(diff.condition), diff.reasons)
        if key in found:
            old = found[key]
            diff = Difference(
                old.action,
                old.service,
                old.access_level,
                old.resources,
                old.not_resource,
                old.condition,
                old.reasons,
                tuple(dict.fromkeys(old.statements + diff.statements)),
            )
        found[key] = diff

    for g in mine.grants:
        if g.effect != "Allow":
            continue
        whole = universe(g.action)
        own_denies = mine.for_action(g.action, "Deny")
        their_allows = theirs.for_action(g.action, "Allow")
        their_denies = [
            d
            for d in theirs.for_action(g.action, "Deny")
            if not any(_matched(o, d, whole) for o in own_denies)
        ]
        for part in _parts(g):
            reasons = _uncovered(
                resource_scope(part, g.not_resource, g.variables),
                whole,
                g.condition,
                own_denies,
                their_allows,
                their_denies,
                other,
            )
            if reasons:
                add(
                    Difference(
                        g.action.full_name,
                        g.action.service,
                        g.action.access_level,
                        part,
                        g.not_resource,
                        g.condition,
                        reasons,
                        (g.statement,),
                    )
                )

    outside = outside_catalog()
    for o in mine.others_of("Allow"):
        acts = (o.action_scope, outside)
        if not overlaps(*acts):
            continue
        own_denies_o = [d for d in mine.others_of("Deny") if covered(acts, (d.action_scope,))]
        their_allows_o = [b for b in theirs.others_of("Allow") if covered(acts, (b.action_scope,))]
        their_denies_o = [
            d
            for d in theirs.others_of("Deny")
            if overlaps(o.action_scope, outside, d.action_scope)
            and not any(_matched(x, d, EVERYTHING) for x in own_denies_o)
        ]
        for part in _parts(o):
            reasons = _uncovered(
                resource_scope(part, o.not_resource, o.variables),
                EVERYTHING,
                o.condition,
                own_denies_o,
                their_allows_o,
                their_denies_o,
                other,
            )
            if reasons:
                add(
                    Difference(
                        _other_text(o),
                        o.service,
                        None,
                        part,
                        o.not_resource,
                        o.condition,
                        reasons,
                        (o.statement,),
                    )
                )
    return sorted(found.values(), key=_order)


def _order(d: Difference) -> tuple[int, int, str]:
    services = [s.prefix for s in expanded_services()]
    return (
        services.index(d.service) if d.service in services else len(services),
        level_rank(d.access_level),
        d.action.lower(),
    )


def _uncovered(
    scope: Scope,
    whole: Scope,
    condition: Condition,
    own_denies: list[Grant] | list[OtherGrant],
    their_allows: list[Grant] | list[OtherGrant],
    their_denies: list[Grant] | list[OtherGrant],
    other: str,
) -> tuple[str, ...]:
    """Why ``scope`` (under ``condition``) is not granted by the other side; () when it is."""
    subject = (scope, whole)
    own_hard = tuple(d.scope for d in own_denies if not d.condition)
    if covered(subject, own_hard):
        return ()  # this side takes it back itself
    usable = tuple(b.scope for b in their_allows if implies(condition, b.condition))
    reasons = []
    if not covered(subject, usable + own_hard):
        reasons.append(_why_not(subject, their_allows, other))
    for d in their_denies:
        if overlaps(scope, whole, d.scope) and not covered((scope, whole, d.scope), own_hard):
            reasons.append(f"{other} denies it {grant_text(d)}")
    return tuple(dict.fromkeys(reasons))


def _other_text(o: OtherGrant) -> str:
    expanded = {s.prefix for s in expanded_services()}
    if o.not_action:
        outside = [a for a in o.actions if a.partition(":")[0].lower() not in expanded]
        return "every action of every other service" + (f" except {', '.join(outside)}" if outside else "")
    if o.actions == ("*",):
        return "every action of every other service"
    return ", ".join(o.actions)
