"""Render lint results for people (compiler-style text) and for tools (JSON, SARIF 2.1.0).

Rendering is pure: every function takes :class:`FileResult` values and returns a string,
so the CLI, the TUI and tests share the same output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.printable import json_safe, printable

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
JSON_FORMAT_VERSION = 1
STDIN_NAME = "<stdin>"

# SARIF has no "security warning" level: it is a warning whose rule carries the
# "security" tag and a security-severity, which code-scanning UIs use to rank it.
_SARIF_LEVEL = {
    Severity.ERROR: "error",
    Severity.SECURITY_WARNING: "warning",
    Severity.WARNING: "warning",
    Severity.SUGGESTION: "note",
}
_SECURITY_SEVERITY = "7.0"

_LABEL = {
    Severity.ERROR: ("error", "errors"),
    Severity.SECURITY_WARNING: ("security warning", "security warnings"),
    Severity.WARNING: ("warning", "warnings"),
    Severity.SUGGESTION: ("suggestion", "suggestions"),
}

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_COLOUR = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.SECURITY_WARNING: "\x1b[1;35m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.SUGGESTION: "\x1b[1;36m",
}
_SEVERITIES = tuple(Severity)


@dataclass(frozen=True)
class FileResult:
    """The findings for one input, or ``error`` saying why it could not be read."""

    name: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    kind: str = "identity"
    """The rules it was linted by: identity, trust, resource or key-policy."""
    skipped: str | None = None
    """Why it was not linted (it is not a policy), or None."""


def counts(results: Iterable[FileResult]) -> dict[Severity, int]:
    """Number of findings per severity, over all files (every severity present)."""
    out = dict.fromkeys(_SEVERITIES, 0)
    for result in results:
        for finding in result.findings:
            out[finding.severity] += 1
    return out


def fails(results: Iterable[FileResult], threshold: Severity) -> bool:
    """True when any finding is at or above ``threshold``."""
    return any(f.severity.rank >= threshold.rank for r in results for f in r.findings)


def _plural(n: int, words: tuple[str, str]) -> str:
    return f"{n} {words[0] if n == 1 else words[1]}"


def summary_line(results: Sequence[FileResult]) -> str:
    """One closing line: files checked, findings per severity, unreadable files."""
    checked = sum(1 for r in results if r.error is None and r.skipped is None)
    skipped = sum(1 for r in results if r.skipped is not None)
    unreadable = sum(1 for r in results if r.error is not None)
    head = f"{_plural(checked, ('file', 'files'))} checked"
    by_severity = counts(results)
    if sum(by_severity.values()) == 0:
        line = f"{head}: no findings"
    else:
        line = f"{head}: " + ", ".join(_plural(by_severity[s], _LABEL[s]) for s in _SEVERITIES)
    if skipped:
        line += f"; {_plural(skipped, ('file', 'files'))} skipped (not a policy)"
    if unreadable:
        line += f"; {_plural(unreadable, ('file', 'files'))} could not be read"
    return line + "."


def _fix_text(finding: Finding) -> str | None:
    if finding.fix is None:
        return None
    fix = finding.fix.to_json()
    text = str(fix["description"])
    if fix["action"] == "replace":
        text += f" (set {fix['path'] or 'the document'} to {json.dumps(fix['value'])})"
    elif fix["action"] == "rename_key":
        text += f" (rename {fix['path']} to {json.dumps(fix['new_key'])})"
    else:
        text += f" (remove {fix['path']})"
    return text


def format_finding(name: str, finding: Finding, *, color: bool = False) -> str:
    """``file:line:col: severity CODE: message`` plus indented path and fix lines.

    What comes from the policy (names, messages quoting it) is escaped before any colour
    is added, so only our own escape sequences reach the terminal.
    """
    where = f"{printable(name, keep_newlines=False)}:{finding.line}:{finding.column}:"
    severity = str(finding.severity)
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        severity = f"{_COLOUR[finding.severity]}{severity}{_RESET}"
    lines = [f"{where} {severity} {finding.code}: {printable(finding.message, keep_newlines=False)}"]
    if finding.path:
        at = f"    at {printable(finding.path_str, keep_newlines=False)}"
        lines.append(f"{_DIM}{at}{_RESET}" if color else at)
    fix = _fix_text(finding)
    if fix is not None:
        lines.append(f"    fix: {printable(fix, keep_newlines=False)}")
    return "\n".join(lines)


def render_text(results: Sequence[FileResult], *, color: bool = False) -> str:
    """Compiler-style listing of every finding, then the summary line.

    Unreadable files are only counted here: the caller says why on standard error.
    """
    lines = [format_finding(r.name, f, color=color) for r in results if r.error is None for f in r.findings]
    lines += [f"{r.name}: note: skipped: {r.skipped}" for r in results if r.skipped is not None]
    lines.append(summary_line(results))
    return "\n".join(lines) + "\n"


def render_json(results: Sequence[FileResult]) -> str:
    """One JSON document for all files: findings per file, then totals."""
    files: list[dict[str, Any]] = []
    for r in results:
        entry: dict[str, Any] = {"file": r.name}
        if r.error is not None:
            entry["error"] = r.error
        if r.skipped is not None:
            entry["skipped"] = r.skipped
        elif r.kind != "identity":
            entry["kind"] = r.kind
        entry["findings"] = [f.to_json() for f in r.findings]
        files.append(entry)
    totals: dict[str, Any] = {str(s): n for s, n in counts(results).items()}
    totals["files"] = len(results)
    totals["unreadable"] = sum(1 for r in results if r.error is not None)
    if any(r.skipped is not None for r in results):
        totals["skipped"] = sum(1 for r in results if r.skipped is not None)
    doc = {"format_version": JSON_FORMAT_VERSION, "files": files, "summary": totals}
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


# Where a developer reading a result learns about the tool (SARIF's informationUri).
INFORMATION_URI = "https://pypi.org/project/xraybuilder/"


def _uri(name: str) -> str:
    """The artifactLocation URI for a file name: a relative reference for a relative path,
    a ``file://`` URI for an absolute one (a reference starting with "/" is invalid SARIF)."""
    if name == STDIN_NAME:
        return "stdin"
    path = PurePath(name)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/:")


def _rule_text(code: str) -> str:
    return code.replace("_", " ").capitalize() + "."


def _sarif_rule(code: str, severity: Severity) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": code,
        "shortDescription": {"text": _rule_text(code)},
        "defaultConfiguration": {"level": _SARIF_LEVEL[severity]},
        "properties": {"severity": str(severity)},
    }
    if severity is Severity.SECURITY_WARNING:
        rule["properties"]["tags"] = ["security"]
        rule["properties"]["security-severity"] = _SECURITY_SEVERITY
    return rule


def _sarif_result(name: str, finding: Finding, rule_index: int) -> dict[str, Any]:
    region = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
    }
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": _uri(name)}, "region": region},
    }
    if finding.path:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.path_str, "kind": "element"}]
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "properties": {"severity": str(finding.severity)},
    }
    # A SARIF "fix" needs byte-exact replacements; ours is a structural edit, so it
    # travels as a property that tools (and `xraybuilder lint`) can apply.
    if finding.fix is not None:
        result["properties"]["fix"] = finding.fix.to_json()
    return result


def render_sarif(results: Sequence[FileResult], *, tool_version: str) -> str:
    """A SARIF 2.1.0 log with one run: rule ids are finding codes, regions 1-based."""
    rules: dict[str, int] = {}
    rule_list: list[dict[str, Any]] = []
    sarif_results: list[dict[str, Any]] = []
    for r in results:
        for f in r.findings:
            if f.code not in rules:
                rules[f.code] = len(rule_list)
                rule_list.append(_sarif_rule(f.code, f.severity))
            sarif_results.append(_sarif_result(r.name, f, rules[f.code]))
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{r.name}: {r.error}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.name)}}}],
        }
        for r in results
        if r.error is not None
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "xraybuilder",
                "version": tool_version,
                "informationUri": INFORMATION_URI,
                "rules": rule_list,
            }
        },
        # Our columns count characters (code points), not UTF-16 units.
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
        ],
        "results": sarif_results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return json_safe(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"
