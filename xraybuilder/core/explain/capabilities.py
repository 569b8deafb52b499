"""What a user of the X-Ray console can do with a policy.

Each capability is a list of actions (``data/console_capabilities.json``). An action is
allowed in full when unconditional Allow grants reach every resource it can be
requested on and no Deny touches it; partly when it is allowed only on some
resources, only under a condition, or denied somewhere; otherwise not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from xraybuilder.core import catalog
from xraybuilder.core.catalog import Action
from xraybuilder.core.datafiles import read_json
from xraybuilder.core.explain.conditions import describe
from xraybuilder.core.explain.grants import Expansion, Grant, OtherGrant, universe
from xraybuilder.core.explain.patterns import covered, overlaps
from xraybuilder.core.explain.text import names_list, resources_text

FULL, LIMITED, NONE = "full", "limited", "none"
YES, PARTLY, NO = "yes", "partly", "no"


@dataclass(frozen=True, slots=True)
class Capability:
    """Something the console lets a user do, and the actions it takes."""

    id: str
    name: str
    actions: tuple[str, ...]
    needs: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Access:
    """How far a set of policies allows one action."""

    action: Action
    status: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CapabilityResult:
    """yes / partly / no for one capability, with what is missing or limited."""

    capability: Capability
    status: str
    missing: tuple[str, ...] = ()
    limited: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        """The capability's stable id (``manage-groups``)."""
        return self.capability.id

    @property
    def name(self) -> str:
        """The capability's name for people."""
        return self.capability.name

    def detail(self) -> str:
        """``missing xray:UpdateGroup; xray:CreateGroup only on …`` (empty for a plain yes/no)."""
        if self.status != PARTLY:
            return ""
        parts = []
        if self.missing:
            parts.append("missing " + names_list(self.missing))
        parts.extend(f"{action} {reason}" for action, reason in self.limited)
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "missing": list(self.missing),
            "limited": [{"action": a, "reason": r} for a, r in self.limited],
            "note": self.capability.note,
        }


@cache
def capabilities() -> tuple[Capability, ...]:
    """The console capabilities, in the order the data file lists them."""
    raw = read_json("console_capabilities.json")
    return tuple(
        Capability(c["id"], c["name"], tuple(c["actions"]), tuple(c.get("needs", ())), c.get("note"))
        for c in raw["capabilities"]
    )


def grant_text(grant: Grant | OtherGrant) -> str:
    """``on arn:… when …`` for one grant."""
    text = "on " + resources_text(grant.resources, grant.not_resource)
    return text + (f" when {describe(grant.condition)}" if grant.condition else "")


def access(exp: Expansion, action: Action) -> Access:
    """Whether ``exp`` allows ``action`` everywhere, somewhere, or nowhere, and why."""
    whole = universe(action)
    allows = exp.for_action(action, "Allow")
    denies = exp.for_action(action, "Deny")
    if not allows:
        return Access(action, NONE, ("not allowed",))
    hard = tuple(d.scope for d in denies if not d.condition)
    if all(covered((a.scope, whole), hard) for a in allows):
        return Access(action, NONE, ("denied wherever it is allowed",))
    reasons: list[str] = []
    if not covered((whole,), tuple(a.scope for a in allows if not a.condition)):
        if any(covered((whole,), (a.scope,)) for a in allows):
            conds = [describe(a.condition) for a in allows if a.condition]
            reasons.append("only when " + " or when ".join(dict.fromkeys(conds)))
        else:
            reasons.append("only " + " or ".join(dict.fromkeys(grant_text(a) for a in allows)))
    for d in denies:
        if any(overlaps(a.scope, d.scope, whole) for a in allows):
            reasons.append("denied " + grant_text(d))
    return Access(action, LIMITED if reasons else FULL, tuple(dict.fromkeys(reasons)))


def _lookup(name: str) -> Action:
    found = catalog.action(name)
    if found is None:
        raise ValueError(f"console_capabilities.json names {name}, which the catalog lacks")
    return found


def evaluate(exp: Expansion) -> tuple[CapabilityResult, ...]:
    """Every console capability decided for ``exp``."""
    out = []
    for cap in capabilities():
        core = [access(exp, _lookup(n)) for n in cap.actions]
        extra = [access(exp, _lookup(n)) for n in cap.needs]
        everything = core + [e for e in extra if e.action.full_name not in cap.actions]
        if all(a.status == NONE for a in core):
            out.append(CapabilityResult(cap, NO, tuple(a.action.full_name for a in core)))
            continue
        missing = tuple(a.action.full_name for a in everything if a.status == NONE)
        limited = tuple((a.action.full_name, "; ".join(a.reasons)) for a in everything if a.status == LIMITED)
        status = YES if not missing and not limited else PARTLY
        out.append(CapabilityResult(cap, status, missing, limited))
    return tuple(out)
