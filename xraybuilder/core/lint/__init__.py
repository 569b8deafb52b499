"""Lint policies for X-Ray: ``lint(text_or_policy, context) -> list[Finding]``.

Identity policies by default; trust, resource and KMS key policies by their own rules
(``LintContext.kind``, see :mod:`xraybuilder.core.lint.kinds`).

Each check family lives in its own module with a ``check(doc)`` function that reports
through ``doc.report``. Unlike linters that stop at a statement's first problem, every
family runs over every statement, so all problems are reported at once.
"""

from __future__ import annotations

from typing import Any, Literal

from xraybuilder.core.lint import (
    actions,
    conditions,
    escalation,
    grammar,
    interactions,
    kinds,
    redundancy,
    resources,
    security,
    size,
)
from xraybuilder.core.lint.document import KINDS, Document, Kind, LintContext, Target
from xraybuilder.core.lint.finding import Finding, Fix, Severity
from xraybuilder.core.policy.model import Policy
from xraybuilder.core.policy.render import render
from xraybuilder.core.policy.source import parse_json

__all__ = [
    "FAMILIES",
    "KINDS",
    "Finding",
    "Fix",
    "Kind",
    "LintContext",
    "Severity",
    "Target",
    "lint",
    "lint_as",
]

# Order matters only for the order of findings of equal position.
FAMILIES = (
    grammar,
    kinds,
    actions,
    resources,
    conditions,
    security,
    escalation,
    size,
    redundancy,
    interactions,
)


def lint(source: str | Policy | dict[str, Any], context: LintContext | None = None) -> list[Finding]:
    """All findings for a policy, sorted by position then severity.

    ``source`` is policy JSON text, or a model/dict (linted as its canonical rendering,
    so positions refer to that text).
    """
    context = context or LintContext()
    text = source if isinstance(source, str) else render(source)
    parsed = parse_json(text)
    doc = Document(parsed, context)
    for problem in parsed.problems:
        doc.report(
            "JSON_SYNTAX_ERROR",
            Severity.ERROR,
            problem.message,
            problem.path,
            offsets=(problem.offset, problem.end),
        )
    if parsed.ok:
        for family in FAMILIES:
            family.check(doc)
    findings = doc.findings()
    findings.sort(key=lambda f: (f.line, f.column, -f.severity.rank, f.code))
    return findings


def lint_as(
    text: str, *, target: Target = "managed", kind: Kind | Literal["auto"] = "auto"
) -> tuple[Kind | None, list[Finding]]:
    """Lint ``text`` by the rules of ``kind``, or of the kind its shape shows (``auto``).

    With ``auto``, a JSON object that is not a policy at all (no Version, Statement or
    Id) is not linted: the kind comes back None and there are no findings.
    """
    if kind == "auto":
        parsed = parse_json(text)
        if parsed.ok and not kinds.is_policy(parsed.value):
            return None, []
        kind = (kinds.detect_kind(parsed.value) if parsed.ok else None) or "identity"
    return kind, lint(text, LintContext(target=target, kind=kind))
