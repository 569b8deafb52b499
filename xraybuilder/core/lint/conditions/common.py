"""What the conditions checks share.

The entry under check, the statement around it, the findings they record, the data
file of value rules, and how values and names are quoted in messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from xraybuilder.core import catalog
from xraybuilder.core.conditions import Operator
from xraybuilder.core.datafiles import read_json
from xraybuilder.core.lint.finding import Fix, Severity
from xraybuilder.core.policy.source import Path

ERROR = Severity.ERROR
SECURITY_WARNING = Severity.SECURITY_WARNING
WARNING = Severity.WARNING
SUGGESTION = Severity.SUGGESTION

_VARIABLE = re.compile(r"\$\{[^}]*\}")


def _value_rules() -> Mapping[str, Any]:
    data: Mapping[str, Any] = read_json("condition_values.json")
    return data


@dataclass
class _Entry:
    """One condition key under one operator, with its scalar values as text."""

    op_name: str
    op_path: Path
    op: Operator | None
    key: str
    path: Path
    values: list[tuple[Path, str]]
    key_info: catalog.ConditionKey | None = None
    bad_key: bool = False
    """The key was reported as malformed or unknown: checks that read it are skipped."""


class _Context(NamedTuple):
    """What the checks need to know of the statement around a Condition."""

    effect: str | None
    actions: tuple[str, ...]
    not_action: bool

    @property
    def xray(self) -> bool:
        return any(text.partition(":")[0].lower() == "xray" for text in self.actions)


_Record = tuple[str, Severity, str, Path, Fix | None, bool]


class _Records(list[_Record]):
    """Findings with paths relative to the statement, kept so a later run can reuse them."""

    def report(
        self,
        code: str,
        severity: Severity,
        message: str,
        path: Path = (),
        *,
        fix: Fix | None = None,
        on_key: bool = False,
    ) -> None:
        self.append((code, severity, message, path, fix, on_key))


# The values of one key as the cache sees them: None when ill-shaped, else whether
# they were a list and their texts.
_Values = tuple[bool, tuple[str, ...]] | None


def _shown(text: str) -> str:
    """A value as quoted in a message: long ones are cut, the finding's path says where."""
    return text if len(text) <= 60 else text[:57] + "..."


def _names(names: Iterable[str]) -> str:
    unique = list(dict.fromkeys(names))
    shown = ", ".join(unique[:5])
    return shown + (f" and {len(unique) - 5} more" if len(unique) > 5 else "")
