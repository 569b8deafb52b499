"""The finding codes the linter reports, each with its default severity, family and title.

The registry is data (``data/lint_codes.json``). The rule it keeps: a finding is reported
at its code's default severity; a check may report it at another severity only when the
registry lists that severity under ``also``, saying when (``RESOURCE_MISMATCH`` is an
error when a statement grants nothing at all, a warning when only some of it is unusable).
A test holds every code the linter can report to this registry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from xraybuilder.core.datafiles import read_json
from xraybuilder.core.lint.finding import Severity


@dataclass(frozen=True, slots=True)
class Code:
    """One finding code as the registry describes it."""

    code: str
    severity: Severity
    """The default severity."""
    family: str
    """The check family that reports it (``grammar``, ``actions``, ``resources``, …)."""
    title: str
    also: Mapping[Severity, str]
    """Other severities a check may use for this code, each with when it does."""

    def allows(self, severity: Severity) -> bool:
        """Whether a finding with this code may have ``severity``."""
        return severity == self.severity or severity in self.also


@cache
def codes() -> Mapping[str, Code]:
    """Every registered code, by family in the order the linter runs them, then by name."""
    raw = read_json("lint_codes.json")["codes"]
    return MappingProxyType(
        {
            name: Code(
                name,
                Severity(info["severity"]),
                info["family"],
                info["title"],
                MappingProxyType({Severity(s): why for s, why in info.get("also", {}).items()}),
            )
            for name, info in raw.items()
        }
    )


def render_text() -> str:
    """The registry as text: a section per family, a line per code (name, default severity, title)."""
    lines: list[str] = []
    families: dict[str, list[Code]] = {}
    for entry in codes().values():
        families.setdefault(entry.family, []).append(entry)
    for family, entries in families.items():
        width = max(len(e.code) for e in entries)
        lines.append(f"{family}:" if not lines else f"\n{family}:")
        for entry in entries:
            lines.append(f"  {entry.code:<{width}}  {entry.severity:<16}  {entry.title}")
            for severity, when in entry.also.items():
                lines.append(f"  {'':<{width}}  also {severity}: {when}")
    return "\n".join(lines) + "\n"


def render_json() -> str:
    """The registry as a JSON document: ``{"codes": [{"code", "severity", "family", "title", "also"}]}``."""
    items = [
        {
            "code": entry.code,
            "severity": str(entry.severity),
            "family": entry.family,
            "title": entry.title,
            "also": {str(s): when for s, when in entry.also.items()},
        }
        for entry in codes().values()
    ]
    return json.dumps({"codes": items}, indent=2, ensure_ascii=False) + "\n"
