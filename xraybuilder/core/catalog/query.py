"""Questions asked of the catalog: which actions of a service, by access level, resource
type, name and words.

One place for the presets' ``[query]`` tables, ``xraybuilder actions`` and the
explainer's per-level counts. Names match with IAM's wildcards, ignoring case
(:mod:`xraybuilder.core.patterns`); access levels come in the IAM console's order
(``core/data/catalog_scope.json``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from xraybuilder.core import catalog, patterns
from xraybuilder.core.catalog import ACCESS_LEVELS, Action

NO_RESOURCE = "none"
"""The resource-type filter for actions that take ``"Resource": "*"`` only."""


def parse_access_level(text: str) -> str | None:
    """An access level as typed (any case, ``-``/``_`` for spaces), or None: ``permissions-management``."""
    wanted = text.replace("-", " ").replace("_", " ").strip().lower()
    return next((level for level in ACCESS_LEVELS if level.lower() == wanted), None)


def level_rank(level: str | None) -> int:
    """Where an access level comes in the console's order; unknown levels last."""
    return ACCESS_LEVELS.index(level) if level in ACCESS_LEVELS else len(ACCESS_LEVELS)


def by_access_level(actions: Iterable[Action]) -> tuple[Action, ...]:
    """The actions by access level (console order), then by name ignoring case."""
    return tuple(sorted(actions, key=lambda a: (level_rank(a.access_level), a.name.lower())))


def level_total(service: str, level: str | None) -> int:
    """How many actions of ``service`` the catalog has at this access level."""
    return len(catalog.actions_by_access_level(service, level)) if level is not None else 0


@dataclass(frozen=True)
class ActionQuery:
    """Actions of a service by access level, resource type, name and words.

    Every filter left empty lets every action through; within a filter any entry may
    match (``access_levels=("Read", "List")``), while ``words`` must all be found in the
    action's name or description.
    """

    service: str
    access_levels: tuple[str, ...] = ()
    resource_types: tuple[str, ...] = ()
    """Resource type names, or ``none`` for actions that take ``"Resource": "*"`` only."""
    match: tuple[str, ...] = ()
    """Action name patterns (the part after ``service:``)."""
    exclude: tuple[str, ...] = ()
    """Full action names to leave out."""
    words: tuple[str, ...] = ()

    def select(self) -> tuple[Action, ...]:
        """The matching actions, by access level then name."""
        svc = catalog.service(self.service)
        if svc is None:
            return ()
        wanted = [patterns.compile(p, ignore_case=True) for p in self.match]
        excluded = {e.lower() for e in self.exclude}
        terms = [w.lower() for w in self.words]
        out = []
        for act in svc.actions.values():
            if self.access_levels and act.access_level not in self.access_levels:
                continue
            types = {rt.resource_type for rt in act.resource_types}
            if self.resource_types and not any(
                (t == NO_RESOURCE and not types) or t in types for t in self.resource_types
            ):
                continue
            if wanted and not any(p.fullmatch(act.name) for p in wanted):
                continue
            if act.full_name.lower() in excluded:
                continue
            haystack = f"{act.full_name} {act.description}".lower()
            if not all(term in haystack for term in terms):
                continue
            out.append(act)
        return by_access_level(out)

    def run(self) -> list[str]:
        """The matching actions' full names, sorted by name."""
        return sorted((a.full_name for a in self.select()), key=str.lower)

    def describe(self) -> str:
        """The query in words, for ``presets show``."""
        parts = []
        if self.access_levels:
            parts.append("access level " + " and ".join(self.access_levels))
        else:
            parts.append("every action")
        parts.append(f"of {self.service}")
        if self.resource_types:
            parts.append(
                "scoped to " + " or ".join("'*' only" if t == NO_RESOURCE else t for t in self.resource_types)
            )
        if self.match:
            parts.append("named " + " or ".join(self.match))
        if self.exclude:
            parts.append("except " + ", ".join(self.exclude))
        if self.words:
            parts.append("mentioning " + " and ".join(self.words))
        return " ".join(parts)
