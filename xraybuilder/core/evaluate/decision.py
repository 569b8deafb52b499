"""The evaluator's answer: the outcome, the statements that decided it, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from xraybuilder.core.evaluate.request import Request

Outcome = Literal["allowed", "explicit_deny", "implicit_deny"]
OUTCOMES: tuple[Outcome, ...] = ("allowed", "explicit_deny", "implicit_deny")


@dataclass(frozen=True, slots=True)
class StatementResult:
    """How one statement fared against the request."""

    policy_index: int
    policy_name: str
    statement_index: int
    sid: str | None
    effect: str
    matched: bool
    reason: str
    """Plain language: the first element that did not match, or everything that did."""
    details: tuple[str, ...] = ()
    """Each element checked, in order (Action, Resource, each condition)."""

    @property
    def path(self) -> str:
        """``Statement[2]``, in the form the linter uses."""
        return f"Statement[{self.statement_index}]"

    @property
    def label(self) -> str:
        """``policy.json Statement[2] (Sid DenyProd)``."""
        sid = f" (Sid {self.sid})" if self.sid else ""
        return f"{self.policy_name} {self.path}{sid}"

    def to_json(self) -> dict[str, Any]:
        return {
            "policy_index": self.policy_index,
            "policy_name": self.policy_name,
            "statement_index": self.statement_index,
            "sid": self.sid,
            "effect": self.effect,
            "matched": self.matched,
            "reason": self.reason,
            "details": list(self.details),
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """IAM's answer for a request under a set of identity policies."""

    outcome: Outcome
    request: Request
    resource: str
    """The resource the request was evaluated against (``*`` for actions that take only ``*``)."""
    deciding: tuple[StatementResult, ...]
    """The matching Deny statements for an explicit deny, the matching Allow statements
    for an allow, nothing for an implicit deny."""
    statements: tuple[StatementResult, ...]
    notes: tuple[str, ...] = ()
    """Things worth knowing about the request or the policies (ignored statements…)."""

    @property
    def allowed(self) -> bool:
        return self.outcome == "allowed"

    @property
    def denied(self) -> bool:
        return self.outcome != "allowed"

    def summary(self) -> str:
        """One line: ``explicit deny by policy.json Statement[1] (Sid DenyProd)``."""
        if self.outcome == "implicit_deny":
            return "implicit deny: no statement allows this request"
        word = "allowed by" if self.allowed else "explicit deny by"
        return f"{word} {', '.join(r.label for r in self.deciding)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "allowed": self.allowed,
            "request": self.request.to_json(),
            "evaluated_resource": self.resource,
            "deciding": [r.to_json() for r in self.deciding],
            "statements": [r.to_json() for r in self.statements],
            "notes": list(self.notes),
        }
