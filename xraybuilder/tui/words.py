"""Short texts the app shows about an assessment, put together from what the core returns."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment

SEVERITY_WORDS = {
    "error": ("error", "errors"),
    "security_warning": ("security warning", "security warnings"),
    "warning": ("warning", "warnings"),
    "suggestion": ("suggestion", "suggestions"),
    "note": ("note", "notes"),
}


def count_text(counts: dict[str, int]) -> str:
    """``1 error, 2 warnings`` or ``no findings``."""
    parts = []
    for severity, (one, many) in SEVERITY_WORDS.items():
        n = counts.get(severity, 0)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts) if parts else "no findings"


def status_text(assessment: Assessment) -> str:
    """The line under the preview: findings, parameter problems, expectations."""
    parts = []
    if assessment.parameter_problems:
        n = len(assessment.parameter_problems)
        parts.append(f"✗ {n} parameter problem{'s' if n != 1 else ''}")
    counts: dict[str, int] = {}
    for finding in assessment.findings:
        counts[finding.finding.severity] = counts.get(finding.finding.severity, 0) + 1
    mark = "✗" if counts.get("error") else "✓"
    parts.append(f"{mark} {count_text(counts)}")
    if assessment.expectations:
        held = sum(1 for e in assessment.expectations if e.holds)
        parts.append(f"{held}/{len(assessment.expectations)} expectations hold")
    return "  ".join(parts)


def summary_text(assessment: Assessment, width: int = 60) -> str:
    """The plain-language summary and the comparison with the managed policy, as the CLI words them."""
    parts = []
    if assessment.summary is not None:
        parts.append(assessment.summary.render_text(width=width))
    if assessment.comparison is not None:
        parts.append(assessment.comparison.render_text(width=width))
    if not parts:
        return "Nothing to summarise yet: the policy does not parse or has no statement."
    return "\n".join(parts)
