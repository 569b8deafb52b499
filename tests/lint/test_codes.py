"""The code registry: every code the linter can report is registered, at an allowed severity."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from xraybuilder.core.lint import LintContext, lint
from xraybuilder.core.lint.codes import codes
from xraybuilder.core.lint.finding import Severity
from xraybuilder.core.managed import managed_policies

CORE = Path(__file__).resolve().parents[2] / "xraybuilder" / "core"
# Code-shaped strings in the checks that are not codes: an export list, a limit's name,
# and the element names the MISSING_/EMPTY_ARRAY_ codes are built from.
NOT_CODES = {"FAMILIES", "KINDS", "XRAY_NAME_MAX", "ACTION", "RESOURCE"}
_CODE = re.compile(r"[A-Z][A-Z0-9_]{3,}")
_SEVERITY_NAMES = {s.name: s for s in Severity}
# ARN problems are reported by the resources family.
_FAMILY_OF_PACKAGE = {"arn": "resources"}


def checker_files() -> Iterator[Path]:
    yield from sorted((CORE / "lint").rglob("*.py"))
    yield from sorted((CORE / "arn").rglob("*.py"))


def family_of(path: Path) -> str:
    relative = path.relative_to(CORE).parts
    if relative[0] in _FAMILY_OF_PACKAGE:
        return _FAMILY_OF_PACKAGE[relative[0]]
    if len(relative) > 2:
        return relative[1]
    return "grammar" if relative[1] == "__init__.py" else relative[1].removesuffix(".py")


def severity_of(node: ast.expr) -> Severity | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in set(Severity):
        return Severity(node.value)
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
    return _SEVERITY_NAMES.get(name or "")


def code_sites() -> Iterator[tuple[str, Path, int, Severity | None]]:
    """(code, file, line, severity written next to it) for every code literal in the checks.

    A prefix of a built code (``f"MISSING_{element}"``) comes back ending in ``_``.
    """
    for path in checker_files():
        tree = ast.parse(path.read_text("utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if not _CODE.fullmatch(node.value) or node.value in NOT_CODES:
                continue
            anchor: ast.AST = node
            parent = parents.get(node)
            if isinstance(parent, ast.IfExp):  # "A" if negated else "B", then the severity
                anchor, parent = parent, parents.get(parent)
            items = parent.args if isinstance(parent, ast.Call) else getattr(parent, "elts", None)
            severity = None
            if isinstance(items, list) and anchor in items and items.index(anchor) + 1 < len(items):  # type: ignore[arg-type]
                severity = severity_of(items[items.index(anchor) + 1])  # type: ignore[arg-type]
            yield node.value, path, node.lineno, severity


def test_every_code_in_the_checks_is_registered_with_its_family() -> None:
    registry = codes()
    for code, path, line, _severity in code_sites():
        where = f"{path.relative_to(CORE)}:{line}"
        if code.endswith("_"):
            assert any(c.startswith(code) for c in registry), f"{where}: no code starts with {code}"
            continue
        assert code in registry, f"{where}: {code} is not in data/lint_codes.json"
        assert registry[code].family == family_of(path), where


def test_every_call_site_uses_an_allowed_severity() -> None:
    registry = codes()
    for code, path, line, severity in code_sites():
        if severity is not None and code in registry:
            assert registry[code].allows(severity), f"{path.relative_to(CORE)}:{line}: {code} as {severity}"


def test_the_registry_lists_no_code_the_checks_never_write() -> None:
    literal = {code for code, *_ in code_sites()}
    built = tuple(code for code in literal if code.endswith("_"))
    stale = [c for c in codes() if c not in literal and not c.startswith(built)]
    assert stale == []


def corpus_texts(corpus: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(corpus.glob("*.json")):
        yield path.name, path.read_bytes().decode("utf-8", errors="replace")
    for name, policy in managed_policies().items():
        yield name, policy.text


def test_every_finding_of_the_corpus_is_registered_at_an_allowed_severity(corpus: Path) -> None:
    registry = codes()
    reported: set[str] = set()
    for name, text in corpus_texts(corpus):
        for target in ("managed", "role"):
            for finding in lint(text, LintContext(target=target)):
                reported.add(finding.code)
                assert finding.code in registry, (name, finding.code)
                assert registry[finding.code].allows(finding.severity), (name, finding.code, finding.severity)
    assert len(reported) > 60


def test_every_entry_is_complete() -> None:
    for code, entry in codes().items():
        assert entry.title and not entry.title.endswith("."), code
        assert entry.severity not in entry.also, code
        assert all(when for when in entry.also.values()), code


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_lint_list_codes(fmt: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "xraybuilder", "lint", "--list-codes", "--format", fmt],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    if fmt == "json":
        listed = json.loads(proc.stdout)["codes"]
        assert [c["code"] for c in listed] == list(codes())
        mismatch = next(c for c in listed if c["code"] == "RESOURCE_MISMATCH")
        assert mismatch["severity"] == "error" and "warning" in mismatch["also"]
    else:
        for code, entry in codes().items():
            assert re.search(rf"^  {code} +{entry.severity} +{re.escape(entry.title)}$", proc.stdout, re.M)


def test_lint_without_files_still_says_file_is_required(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, _out, err = cli("lint")
    assert code == 2
    assert "the following arguments are required: FILE" in err
