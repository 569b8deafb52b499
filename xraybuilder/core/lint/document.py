"""What every check family reads: the parsed document, its statements, and a finding sink.

Checks never raise on odd input: a value of the wrong JSON type is reported once by the
grammar family and skipped by the others (``StatementView`` only yields well-typed items).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from xraybuilder.core import catalog
from xraybuilder.core.lint.finding import Finding, Fix, Severity
from xraybuilder.core.policy.source import Parsed, Path, Span

Target = Literal["managed", "user", "group", "role"]
Kind = Literal["identity", "trust", "resource", "key-policy"]
KINDS: tuple[Kind, ...] = ("identity", "trust", "resource", "key-policy")


@dataclass(frozen=True)
class LintContext:
    """What kind of policy this is (which rules apply) and, for identity policies, where it
    will be attached (which size quota applies)."""

    target: Target = "managed"
    kind: Kind = "identity"


@dataclass
class Pending:
    code: str
    severity: Severity
    message: str
    path: Path
    fix: Fix | None
    on_key: bool
    offsets: tuple[int, int] | None
    once: bool = False


@dataclass
class StatementView:
    """One statement as the checks see it, with normalised, well-typed element lists."""

    index: int
    path: Path
    raw: dict[str, Any]

    @property
    def effect(self) -> str | None:
        value = self.raw.get("Effect")
        return value if isinstance(value, str) else None

    @property
    def sid(self) -> str | None:
        value = self.raw.get("Sid")
        return value if isinstance(value, str) else None

    def strings(self, element: str) -> list[tuple[Path, str]]:
        """(path, value) for each string in Action/NotAction/Resource/NotResource."""
        value = self.raw.get(element)
        base = self.path + (element,)
        if isinstance(value, str):
            return [(base, value)]
        if isinstance(value, list):
            return [(base + (i,), v) for i, v in enumerate(value) if isinstance(v, str)]
        return []

    @cached_property
    def action_entries(self) -> list[tuple[Path, str]]:
        return self.strings("Action")

    @cached_property
    def not_action_entries(self) -> list[tuple[Path, str]]:
        return self.strings("NotAction")

    @cached_property
    def resource_entries(self) -> list[tuple[Path, str]]:
        return self.strings("Resource")

    @cached_property
    def not_resource_entries(self) -> list[tuple[Path, str]]:
        return self.strings("NotResource")

    @cached_property
    def actions(self) -> list[catalog.Action]:
        """Catalog actions the statement's Action element grants (wildcards expanded)."""
        seen: dict[str, catalog.Action] = {}
        for _, pattern in self.action_entries:
            if pattern == "*":
                for prefix in catalog.service_prefixes():
                    svc = catalog.service(prefix)
                    if svc is not None:
                        for act in svc.actions.values():
                            seen.setdefault(act.full_name, act)
                continue
            for act in catalog.expand_action(pattern):
                seen.setdefault(act.full_name, act)
        return list(seen.values())

    @cached_property
    def conditions(self) -> list[tuple[Path, str, str, list[tuple[Path, Any]]]]:
        """(path of key, operator, key, [(path, value)…]) for each well-formed condition entry."""
        block = self.raw.get("Condition")
        out: list[tuple[Path, str, str, list[tuple[Path, Any]]]] = []
        if not isinstance(block, dict):
            return out
        for op, keys in block.items():
            if not isinstance(keys, dict):
                continue
            for key, value in keys.items():
                kpath = self.path + ("Condition", op, key)
                if isinstance(value, list):
                    values = [(kpath + (i,), v) for i, v in enumerate(value)]
                else:
                    values = [(kpath, value)]
                out.append((kpath, op, key, values))
        return out


@dataclass
class Document:
    parsed: Parsed
    context: LintContext
    _pending: list[Pending] = field(default_factory=list)
    facts: dict[str, Hashable] = field(default_factory=dict)
    """What the whole-document checks learnt that statement checks depend on (the
    Version's meaning for policy variables): statement findings are reused only for
    equal facts."""

    @property
    def value(self) -> Any:
        return self.parsed.value

    @property
    def text(self) -> str:
        return self.parsed.text

    @cached_property
    def may_hold_variables(self) -> bool:
        """The text holds "${" or a JSON escape: some string may hold a policy variable."""
        return "${" in self.text or "\\u" in self.text

    @cached_property
    def statement_list_path(self) -> Path:
        return ("Statement",)

    @cached_property
    def statements(self) -> list[StatementView]:
        """Statements that are JSON objects (others are reported by the grammar family)."""
        doc = self.value
        if not isinstance(doc, dict):
            return []
        raw = doc.get("Statement")
        if isinstance(raw, dict):
            return [StatementView(0, ("Statement",), raw)]
        if isinstance(raw, list):
            return [
                StatementView(i, ("Statement", i), item)
                for i, item in enumerate(raw)
                if isinstance(item, dict)
            ]
        return []

    def report(
        self,
        code: str,
        severity: Severity,
        message: str,
        path: Path = (),
        *,
        fix: Fix | None = None,
        on_key: bool = False,
        offsets: tuple[int, int] | None = None,
        once: bool = False,
    ) -> None:
        """Record a finding; its line/column are resolved once, at the end of the lint run.

        ``on_key`` points at the object key of ``path`` rather than its value (useful for
        unknown elements and operators); ``offsets`` gives an explicit text span. A
        finding reported ``once`` is kept only the first time its code and message come
        up in the document (a note worth one mention per policy).
        """
        self._pending.append(Pending(code, severity, message, path, fix, on_key, offsets, once))

    def take(self) -> list[Pending]:
        """The findings recorded so far, removed from the document."""
        taken, self._pending = self._pending, []
        return taken

    def findings(self) -> list[Finding]:
        """The findings recorded so far (each ``once`` finding the first time only), removed
        from the document, with their line/column spans."""
        seen: set[tuple[str, str]] = set()
        kept = []
        for p in self.take():
            if p.once:
                if (p.code, p.message) in seen:
                    continue
                seen.add((p.code, p.message))
            kept.append(p)
        return self.resolve(kept)

    def locate(self, pending: Pending) -> Span:
        """Where a recorded finding points in the document's text."""
        smap = self.parsed.source_map
        if pending.offsets:
            return smap.offset_span(*pending.offsets)
        return smap.span(pending.path, key=pending.on_key)

    def resolve(self, pending: list[Pending]) -> list[Finding]:
        """Findings with their line/column spans in the document's text."""
        if not pending:
            return []
        out = []
        for p in pending:
            span = self.locate(p)
            out.append(
                Finding(
                    p.code,
                    p.severity,
                    p.message,
                    p.path,
                    span.line,
                    span.column,
                    span.end_line,
                    span.end_column,
                    p.fix,
                )
            )
        return out
