"""One shape for every problem a shell shows: ``Diagnostic``, and converters onto it.

Findings, ARN problems, parameter problems, preset errors, JSON syntax problems and
explainer notes each grew their own type and severity words; a shell renders them all
through this one shape. Severities are the linter's four plus ``note``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xraybuilder.core.arn.model import ArnProblem
    from xraybuilder.core.draft import DraftError
    from xraybuilder.core.explain.grants import Note
    from xraybuilder.core.lint.finding import Finding
    from xraybuilder.core.policy.source import SyntaxProblem
    from xraybuilder.core.scenarios.model import ParameterProblem, PresetError

SEVERITIES = ("error", "security_warning", "warning", "suggestion", "note")
_RANK = {name: len(SEVERITIES) - i for i, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Diagnostic:
    """A problem (or a note): how bad, which code, what, and where."""

    severity: str
    code: str
    message: str
    where: str = ""
    line: int | None = None
    column: int | None = None
    offset: int | None = None
    end: int | None = None

    @property
    def rank(self) -> int:
        """Higher is more severe (error highest, note lowest)."""
        return _RANK.get(self.severity, 0)

    def text(self) -> str:
        """``where: severity: message [CODE]`` on one line, as the CLI prints it."""
        head = f"{self.where}: " if self.where else ""
        return f"{head}{self.severity.replace('_', ' ')}: {self.message} [{self.code}]"

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON output (unset positions left out)."""
        out: dict[str, Any] = {"severity": self.severity, "code": self.code, "message": self.message}
        for name in ("where", "line", "column", "offset", "end"):
            value = getattr(self, name)
            if value not in (None, ""):
                out[name] = value
        return out


def from_finding(finding: Finding, *, where_prefix: str = "") -> Diagnostic:
    """A lint finding, placed by its path and line/column."""
    return Diagnostic(
        str(finding.severity),
        finding.code,
        finding.message,
        where_prefix + finding.path_str,
        finding.line,
        finding.column,
    )


def from_arn_problem(problem: ArnProblem, *, where: str = "", base: int = 0) -> Diagnostic:
    """An ARN problem; ``base`` shifts its offsets when the ARN sits inside a longer text."""
    return Diagnostic(
        problem.level,
        problem.code,
        problem.message,
        where,
        offset=base + problem.start,
        end=base + problem.end,
    )


def from_parameter_problem(problem: ParameterProblem) -> tuple[Diagnostic, ...]:
    """Every message of a parameter problem, each with its offsets in the typed text."""
    where = f"parameter {problem.name}"
    code = f"PARAMETER_{problem.kind.upper()}"
    parts = problem.parts
    if not parts:
        return (Diagnostic("error", code, problem.message, where),)
    return tuple(
        Diagnostic("error" if level == "error" else "warning", code, message, where, offset=start, end=end)
        for level, message, start, end in parts
    )


def from_parameter_problems(problems: Sequence[ParameterProblem]) -> tuple[Diagnostic, ...]:
    """All problems of a resolution, in order."""
    return tuple(d for p in problems for d in from_parameter_problem(p))


def from_preset_error(error: PresetError) -> Diagnostic:
    """A preset file that cannot be used, placed by file, line and key."""
    where = error.file + (f":{error.line}" if error.line else "")
    if error.key:
        where += f" {error.key}"
    return Diagnostic("error", "PRESET_ERROR", error.message, where, line=error.line)


def from_draft_error(error: DraftError, *, file: str = "") -> Diagnostic:
    """A draft file that cannot be read, or an edit that cannot be made."""
    where = file + (f":{error.line}" if error.line else "") if file else ""
    if error.key:
        where = f"{where} {error.key}".strip()
    return Diagnostic("error", "DRAFT_ERROR", error.message, where, line=error.line)


def from_syntax_problem(problem: SyntaxProblem, text: str | None = None) -> Diagnostic:
    """A JSON syntax problem; with ``text``, its line and column too."""
    from xraybuilder.core.policy.model import format_path

    line = column = None
    if text is not None:
        line = text.count("\n", 0, problem.offset) + 1
        column = problem.offset - text.rfind("\n", 0, problem.offset)
    return Diagnostic(
        "error",
        "JSON_SYNTAX_ERROR",
        problem.message,
        format_path(problem.path),
        line,
        column,
        problem.offset,
        problem.end,
    )


def from_note(note: Note | str, *, where: str = "") -> Diagnostic:
    """An explainer note (a warning when it can surprise), or a plain note text."""
    if isinstance(note, str):
        return Diagnostic("note", "NOTE", note, where)
    return Diagnostic("warning" if note.warning else "note", "NOTE", note.message, where or note.path)
