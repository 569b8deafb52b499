"""Findings: plain data with a stable code, a severity, a location and maybe a fix."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from xraybuilder.core.policy.model import format_path
from xraybuilder.core.policy.source import Path


class Severity(StrEnum):
    """The four finding types IAM Access Analyzer uses, most severe first."""

    ERROR = "error"
    SECURITY_WARNING = "security_warning"
    WARNING = "warning"
    SUGGESTION = "suggestion"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 3, Severity.SECURITY_WARNING: 2, Severity.WARNING: 1, Severity.SUGGESTION: 0}


class _Marker(Enum):
    REMOVE = "remove"


# Marker for a fix that removes the element at ``Fix.path``; an enum member, so a
# cached finding that holds it is immutable throughout.
REMOVE = _Marker.REMOVE


@dataclass(frozen=True)
class Fix:
    """A certain repair: set the element at ``path`` to ``value`` (or remove it).

    For a renamed object key (``xray:ResourceTag/x`` -> ``aws:ResourceTag/x``) ``new_key``
    holds the new name and ``value`` is unused.
    """

    description: str
    path: Path
    value: Any = None
    new_key: str | None = None

    @property
    def removes(self) -> bool:
        return self.value is REMOVE

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"description": self.description, "path": format_path(self.path)}
        if self.removes:
            out["action"] = "remove"
        elif self.new_key is not None:
            out["action"] = "rename_key"
            out["new_key"] = self.new_key
        else:
            out["action"] = "replace"
            out["value"] = self.value
        return out


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    path: Path = ()
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    fix: Fix | None = None

    @property
    def path_str(self) -> str:
        return format_path(self.path)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "path": self.path_str,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }
        if self.fix is not None:
            out["fix"] = self.fix.to_json()
        return out
