"""A Decision in plain text: the outcome, what decided it, and why the rest did not."""

from __future__ import annotations

from xraybuilder.core.evaluate.decision import Decision, StatementResult

OUTCOME_WORDS = {
    "allowed": "ALLOWED",
    "explicit_deny": "DENIED (explicit deny)",
    "implicit_deny": "DENIED (implicit deny: no statement allows it)",
}


def _context_line(decision: Decision) -> str:
    parts = []
    for key, value in decision.request.context.items():
        shown = "[" + ", ".join(value) + "]" if isinstance(value, tuple) else value
        parts.append(f"{key}={shown}")
    return ", ".join(parts)


def _why_not(result: StatementResult, decision: Decision) -> str:
    if result.matched:
        if decision.outcome == "explicit_deny" and result.effect == "Allow":
            return "matches, but an explicit Deny wins over any Allow"
        return "matches"
    return f"does not apply: {result.reason}"


def render_text(decision: Decision, indent: str = "") -> str:
    """The decision as readable lines (no trailing newline)."""
    req = decision.request
    lines = [f"{indent}Request:  {req.action} on {req.resource}"]
    if decision.resource != req.resource:
        lines.append(f"{indent}          evaluated against resource {decision.resource}")
    lines.append(f"{indent}Context:  {_context_line(decision)}")
    for key, source in req.assumed:
        lines.append(f"{indent}Assumed:  {key}={req.context[key]}, from {source}")
    lines.append(f"{indent}Decision: {OUTCOME_WORDS[decision.outcome]}")
    if decision.deciding:
        verb = "Allowed by" if decision.allowed else "Denied by"
        for result in decision.deciding:
            lines.append(f"{indent}  {verb} {result.label}:")
            for detail in result.details:
                lines.append(f"{indent}    - {detail}")
    # By position, not by equality: comparing each result with every deciding one is
    # quadratic when thousands of statements match.
    deciding = {(r.policy_index, r.statement_index) for r in decision.deciding}
    others = [r for r in decision.statements if (r.policy_index, r.statement_index) not in deciding]
    if others:
        lines.append(f"{indent}Other statements:")
        for result in others:
            lines.append(f"{indent}  {result.label}, {result.effect}: {_why_not(result, decision)}")
    if not decision.statements:
        lines.append(f"{indent}  (no statements)")
    if decision.notes:
        lines.append(f"{indent}Notes:")
        for note in decision.notes:
            lines.append(f"{indent}  - {note}")
    return "\n".join(lines)
