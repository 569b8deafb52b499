"""Lint policies for X-Ray: ``lint(text_or_policy, context) -> list[Finding]``.

Identity policies by default; trust, resource and KMS key policies by their own rules
(``LintContext.kind``, see :mod:`xraybuilder.core.lint.kinds`).

Each check family lives in its own module with a ``check(doc)`` function that reports
through ``doc.report``. Unlike linters that stop at a statement's first problem, every
family runs over every statement, so all problems are reported at once.

A family whose findings mostly concern one statement at a time splits its work in up to
three parts: ``check_document(doc)`` (the policy's own elements), ``check_statement(doc,
st)`` (one statement alone; it may return a note for the third part) and
``check_across(doc, notes)`` (what only several statements show together). The statement
part is what costs, and a shell lints the same statements again on every keystroke: its
findings are kept by statement text, placed relative to the statement, and moved to
wherever the statement sits in the next document, so an edit to one statement of fifty
lints that statement alone again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from enum import Enum
from types import ModuleType
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
from xraybuilder.core.lint.document import KINDS, Document, Kind, LintContext, StatementView, Target
from xraybuilder.core.lint.finding import Finding, Fix, Severity
from xraybuilder.core.policy.model import Policy
from xraybuilder.core.policy.render import render
from xraybuilder.core.policy.source import Parsed, Path, parse_json

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
# The families with a per-statement part, in FAMILIES order.
_SPLIT: tuple[ModuleType, ...] = tuple(family for family in FAMILIES if hasattr(family, "check_statement"))


def lint(source: str | Parsed | Policy | dict[str, Any], context: LintContext | None = None) -> list[Finding]:
    """All findings for a policy, sorted by position then severity.

    ``source`` is policy JSON text (or that text as ``parse_json`` read it), or a
    model/dict (linted as its canonical rendering, so positions refer to that text).
    """
    context = context or LintContext()
    if isinstance(source, Parsed):
        parsed = source
    else:
        parsed = parse_json(source if isinstance(source, str) else render(source))
    doc = Document(parsed, context)
    for problem in parsed.problems:
        doc.report(
            "JSON_SYNTAX_ERROR",
            Severity.ERROR,
            problem.message,
            problem.path,
            offsets=(problem.offset, problem.end),
        )
    findings = doc.findings()
    if parsed.ok:
        # Statements of a text with syntax problems may not parse on their own.
        findings += _run_families(doc, reuse=not parsed.problems)
    findings.sort(key=lambda f: (f.line, f.column, -f.severity.rank, f.code))
    return findings


_Found = tuple[tuple[tuple[tuple[Finding, bool], ...], ...], tuple[Hashable, ...]]
"""Per split family: its (finding, once) pairs on one statement; then its notes."""


def _run_families(doc: Document, *, reuse: bool) -> list[Finding]:
    """Every family's findings, in the order the families would report them one after
    another over the whole document; statement findings reused when ``reuse``."""
    before: dict[ModuleType, list[Finding]] = {}
    for family in _SPLIT:
        if hasattr(family, "check_document"):
            family.check_document(doc)
            before[family] = doc.findings()
    if reuse:
        per_statement = _reused(doc, _Setting(doc.context, tuple(sorted(doc.facts.items()))))
    else:
        per_statement = [_check_statement(doc, st) for st in doc.statements]
    out: list[Finding] = []
    split = 0
    for family in FAMILIES:
        if family not in _SPLIT:
            family.check(doc)
            out += doc.findings()
            continue
        out += before.get(family, [])
        seen: set[tuple[str, str]] = set()
        for found, _notes in per_statement:
            for finding, once in found[split]:
                if once:
                    if (finding.code, finding.message) in seen:
                        continue
                    seen.add((finding.code, finding.message))
                out.append(finding)
        if hasattr(family, "check_across"):
            family.check_across(doc, [notes[split] for _found, notes in per_statement])
            out += doc.findings()
        split += 1
    return out


class _Setting:
    """What statement findings depend on besides the statement: the lint context and the
    document's facts. One cache key part per document, its hash worked out once."""

    __slots__ = ("_hash", "context", "facts")

    def __init__(self, context: LintContext, facts: tuple[tuple[str, Hashable], ...]) -> None:
        self.context = context
        self.facts = facts
        self._hash = hash((context, facts))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Setting) and (self.context, self.facts) == (other.context, other.facts)


def _reused(doc: Document, setting: _Setting) -> list[_Found]:
    """The split families' findings on each statement: from the cache when its text was
    linted before in the same setting, else found in place and kept."""
    smap = doc.parsed.source_map
    text = doc.text
    out = []
    line, counted = 1, 0
    statements = doc.statements
    items = smap.item_spans(("Statement",)) if statements and len(statements[0].path) == 2 else []
    for st in statements:
        start, end = items[st.index] if items else smap.values[st.path]
        # Statements come in text order: count lines from the previous one.
        line += text.count("\n", counted, start)
        counted = start
        column = start - text.rfind("\n", 0, start)
        key = (text[start:end], setting)
        kept = _STATEMENTS.get(key)
        if isinstance(kept, _StatementLint):
            out.append((kept.placed(st.path, line, column), kept.notes))
            continue
        found = _check_statement(doc, st)
        if kept is _ABSENT_ENTRY:
            _STATEMENTS.put(key, _relative(found, st.path, line, column))
        out.append(found)
    return out


def _check_statement(doc: Document, st: StatementView) -> _Found:
    found: list[tuple[tuple[Finding, bool], ...]] = []
    notes = []
    for family in _SPLIT:
        notes.append(family.check_statement(doc, st))
        pending = doc.take()
        if pending:
            found.append(tuple(zip(doc.resolve(pending), [p.once for p in pending], strict=True)))
        else:
            found.append(())
    return tuple(found), tuple(notes)


@dataclass(frozen=True, slots=True)
class _Local:
    """A finding on one statement, placed relative to it: its path (and its fix's, when
    ``fix_below``) below the statement, line 1 the statement's first line and, on that
    line, column 1 its opening brace."""

    finding: Finding
    fix_below: bool
    once: bool

    def placed(self, base: Path, line: int, column: int) -> tuple[Finding, bool]:
        f = self.finding
        fix = f.fix
        if fix is not None and self.fix_below:
            fix = Fix(fix.description, base + fix.path, fix.value, fix.new_key)
        return (
            Finding(
                f.code,
                f.severity,
                f.message,
                base + f.path,
                f.line + line - 1,
                f.column + column - 1 if f.line == 1 else f.column,
                f.end_line + line - 1,
                f.end_column + column - 1 if f.end_line == 1 else f.end_column,
                fix,
            ),
            self.once,
        )


@dataclass(frozen=True, slots=True)
class _StatementLint:
    """What the split families found on one statement text, placed relative to it."""

    findings: tuple[tuple[_Local, ...], ...]
    notes: tuple[Hashable, ...]
    any: bool
    """Whether any family found anything (most statements: none)."""

    def placed(self, base: Path, line: int, column: int) -> tuple[tuple[tuple[Finding, bool], ...], ...]:
        if not self.any:
            return _NOTHING
        return tuple(tuple(local.placed(base, line, column) for local in found) for found in self.findings)


_NOTHING: tuple[tuple[tuple[Finding, bool], ...], ...] = ((),) * len(_SPLIT)


def _relative(found: _Found, base: Path, line: int, column: int) -> _StatementLint | None:
    """The statement's findings placed relative to it (at ``base``, starting at ``line``
    and ``column``); None when one points outside it (it is then linted in place, every
    time)."""
    depth = len(base)
    out = []
    for family_found in found[0]:
        local = []
        for f, once in family_found:
            if (
                f.path[:depth] != base
                or (f.line, f.column) < (line, column)
                or (f.end_line, f.end_column) < (line, column)
            ):
                return None
            fix, fix_below = f.fix, False
            if fix is not None and fix.path[:depth] == base:
                fix, fix_below = Fix(fix.description, fix.path[depth:], fix.value, fix.new_key), True
            moved = Finding(
                f.code,
                f.severity,
                f.message,
                f.path[depth:],
                f.line - line + 1,
                f.column - column + 1 if f.line == line else f.column,
                f.end_line - line + 1,
                f.end_column - column + 1 if f.end_line == line else f.end_column,
                fix,
            )
            local.append(_Local(moved, fix_below, once))
        out.append(tuple(local))
    return _StatementLint(tuple(out), found[1], any(out))


class _StatementCache:
    """Statement findings by statement text and setting, least recently used first out.

    Not a ``functools.lru_cache``: a missing entry is worked out in the document at hand
    (where the statement's findings are needed anyway) and then put. Values are frozen.
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[tuple[str, _Setting], _StatementLint | None] = OrderedDict()

    def get(self, key: tuple[str, _Setting]) -> _StatementLint | None | _Absent:
        """The entry for ``key`` (None: a statement that cannot be cached), else _ABSENT_ENTRY."""
        found = self._data.get(key, _ABSENT_ENTRY)
        if found is _ABSENT_ENTRY:
            self.misses += 1
        else:
            self.hits += 1
            self._data.move_to_end(key)
        return found

    def put(self, key: tuple[str, _Setting], value: _StatementLint | None) -> None:
        self._data[key] = value
        if len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def values(self) -> list[_StatementLint | None]:
        return list(self._data.values())

    def clear(self) -> None:
        self._data.clear()
        self.hits = self.misses = 0


class _Absent(Enum):
    ABSENT = "absent"


_ABSENT_ENTRY = _Absent.ABSENT
_STATEMENTS = _StatementCache(maxsize=4096)


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
