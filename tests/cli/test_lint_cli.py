"""``xraybuilder lint``: exit codes, the three output formats, reading files and stdin."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from xraybuilder.cli import main
from xraybuilder.core.lint import Finding, Fix, LintContext, Severity, lint
from xraybuilder.core.lint.output import (
    FileResult,
    counts,
    fails,
    render_json,
    render_sarif,
    render_text,
    summary_line,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CLEAN = CORPUS / "valid_daemon_write.json"
TRAILING_COMMA = CORPUS / "error_json_trailing_comma.json"
UNTERMINATED = CORPUS / "error_json_unterminated_string.json"
ALL_FILES = sorted(CORPUS.glob("*.json"))
SEVERITIES = ["error", "security_warning", "warning", "suggestion"]
LINE = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|security_warning|warning|suggestion)"
    r" (?P<code>[A-Z0-9_]+): (?P<msg>.+)$"
)
ENV = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def findings_of(path: Path, target: str = "managed") -> list[Finding]:
    return lint(path.read_text(encoding="utf-8"), LintContext(target=target))  # type: ignore[arg-type]


# -- exit codes -------------------------------------------------------------------------


def test_clean_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["lint", str(CLEAN)], capsys)
    assert code == 0 and err == ""
    assert out == "1 file checked: no findings.\n"


def test_syntax_error_is_reported_like_a_compiler(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["lint", str(TRAILING_COMMA)], capsys)
    assert code == 1
    first = out.splitlines()[0]
    m = LINE.match(first)
    assert m is not None, first
    assert m["file"] == str(TRAILING_COMMA)
    assert (m["line"], m["col"]) == ("9", "35")
    assert (m["sev"], m["code"]) == ("error", "JSON_SYNTAX_ERROR")
    assert "Trailing comma" in m["msg"]
    assert out.splitlines()[1] == "    at Statement[0].Action"
    assert out.splitlines()[-1].startswith("1 file checked: 1 error")


def test_fatal_syntax_error_has_its_position(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["lint", str(UNTERMINATED)], capsys)
    assert code == 1
    m = LINE.match(out.splitlines()[0])
    assert m is not None
    assert (m["line"], m["col"], m["code"]) == ("7", "17", "JSON_SYNTAX_ERROR")
    assert m["msg"].startswith("Unterminated string")


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_exit_status_follows_fail_on(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = findings_of(path)
    for threshold in SEVERITIES:
        code, _, _ = run(["lint", "--fail-on", threshold, str(path)], capsys)
        rank = Severity(threshold).rank
        assert code == (1 if any(f.severity.rank >= rank for f in found) else 0), threshold
    code, _, _ = run(["lint", str(path)], capsys)
    assert code == (1 if any(f.severity is Severity.ERROR for f in found) else 0)


def test_fail_on_counts_findings_at_or_above_the_threshold() -> None:
    warning = FileResult("a.json", (Finding("W", Severity.WARNING, "w"),))
    assert not fails([warning], Severity.ERROR)
    assert not fails([warning], Severity.SECURITY_WARNING)
    assert fails([warning], Severity.WARNING)
    assert fails([warning], Severity.SUGGESTION)
    assert not fails([FileResult("b.json")], Severity.SUGGESTION)


# -- reading ----------------------------------------------------------------------------


def test_missing_file_exits_2_and_still_reports_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.json"
    code, out, err = run(["lint", str(missing), str(TRAILING_COMMA)], capsys)
    assert code == 2
    assert err == f"xraybuilder lint: error: {missing}: no such file\n"
    assert f"{TRAILING_COMMA}:9:35: error JSON_SYNTAX_ERROR" in out
    assert out.splitlines()[-1].endswith("; 1 file could not be read.")


def test_directory_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["lint", str(tmp_path)], capsys)
    assert code == 2
    assert f"{tmp_path}: is a directory" in err


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked.json"
    locked.write_text("{}")
    locked.chmod(0)
    code, _, err = run(["lint", str(locked)], capsys)
    assert code == 2 and "permission denied" in err


def test_invalid_utf8_names_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{\n  "Sid": "caf\xe9"\n}\n')
    code, out, err = run(["lint", str(bad)], capsys)
    assert code == 2
    message = "not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    assert err == f"xraybuilder lint: error: {bad}: line 2, column 14: {message}\n"
    assert "Traceback" not in err + out


def test_utf16_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "utf16.json"
    bad.write_bytes(CLEAN.read_text().encode("utf-16"))
    code, _, err = run(["lint", str(bad)], capsys)
    assert code == 2 and "UTF-16" in err


def test_utf8_bom_is_a_finding_not_a_read_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["lint", str(CORPUS / "error_json_bom.json")], capsys)
    assert code == 1 and err == ""
    assert ":1:1: error JSON_SYNTAX_ERROR:" in out and "byte-order mark" in out


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    data = TRAILING_COMMA.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(["lint", "-"], capsys)
    assert code == 1
    assert out.startswith("<stdin>:9:35: error JSON_SYNTAX_ERROR")


def test_stdin_only_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["lint", "-", "-"], capsys)
    assert code == 2 and out == ""
    assert "only once" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["lint"],
        ["lint", "--format", "xml", "a.json"],
        ["lint", "--fail-on", "fatal", "a.json"],
        ["lint", "--target", "account", "a.json"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage: xraybuilder lint" in capsys.readouterr().err


def test_a_checker_crash_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import xraybuilder.core.lint as core_lint

    def broken(*args: Any, **kwargs: Any) -> list[Finding]:
        raise KeyError("Effect")

    monkeypatch.setattr(core_lint, "lint", broken)
    code, _, err = run(["lint", str(CLEAN)], capsys)
    assert code == 2
    assert "internal error while checking (KeyError: 'Effect')" in err


# -- formats ----------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["managed", "user", "group", "role"])
def test_json_is_one_document_with_the_linters_findings(
    target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["lint", "--format", "json", "--target", target, *map(str, ALL_FILES)], capsys)
    doc = json.loads(out)
    assert [f["file"] for f in doc["files"]] == [str(p) for p in ALL_FILES]
    total: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for entry, path in zip(doc["files"], ALL_FILES, strict=True):
        expected = [f.to_json() for f in findings_of(path, target)]
        assert entry["findings"] == expected
        for f in entry["findings"]:
            assert {"code", "severity", "message", "path", "line", "column"} <= set(f)
            assert f["severity"] in SEVERITIES
            assert ("fix" in f) == (f.get("fix") is not None)
            total[f["severity"]] += 1
    assert doc["summary"] == {**total, "files": len(ALL_FILES), "unreadable": 0}
    assert code == (1 if total["error"] else 0)


def test_json_for_a_file_that_is_not_json(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["lint", "--format", "json", str(CORPUS / "error_json_yaml_not_json.json")], capsys)
    (entry,) = json.loads(out)["files"]
    (finding,) = entry["findings"]
    assert finding["code"] == "JSON_SYNTAX_ERROR" and finding["severity"] == "error"
    assert (finding["line"], finding["column"]) == (1, 1)
    assert finding["path"] == ""


def test_json_keeps_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["lint", "--format", "json", str(tmp_path / "x.json"), str(CLEAN)], capsys)
    doc = json.loads(out)
    assert code == 2 and "no such file" in err
    assert doc["files"][0] == {"file": str(tmp_path / "x.json"), "error": "no such file", "findings": []}
    assert doc["summary"]["unreadable"] == 1


def test_sarif_log(capsys: pytest.CaptureFixture[str]) -> None:
    files = [TRAILING_COMMA, UNTERMINATED, CORPUS / "error_json_comment.json", CLEAN]
    code, out, _ = run(["lint", "--format", "sarif", *map(str, files)], capsys)
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (sarif_run,) = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "xraybuilder"
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    results = sarif_run["results"]
    expected = [(str(p), f) for p in files for f in findings_of(p)]
    assert len(results) == len(expected) > 0
    assert {r["id"] for r in rules} == {f.code for _, f in expected}
    assert len({r["id"] for r in rules}) == len(rules)
    levels = {"error": "error", "security_warning": "warning", "warning": "warning", "suggestion": "note"}
    for result, (name, finding) in zip(results, expected, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.code
        assert result["level"] == levels[str(finding.severity)]
        assert result["message"]["text"] == finding.message
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        # Absolute paths are file:// URIs: a relative reference must not start with "/".
        assert physical["artifactLocation"]["uri"] == Path(name).as_uri()
        assert physical["region"] == {
            "startLine": finding.line,
            "startColumn": finding.column,
            "endLine": finding.end_line,
            "endColumn": finding.end_column,
        }
    assert sarif_run["invocations"][0]["executionSuccessful"] is True
    assert code == 1


def test_sarif_security_warning_rule_and_unreadable_file() -> None:
    results = [
        FileResult(
            "dir/a b.json",
            (
                Finding(
                    "PASS_ROLE_WITH_STAR_IN_RESOURCE",
                    Severity.SECURITY_WARNING,
                    "PassRole on *",
                    ("Statement", 0, "Resource"),
                    3,
                    7,
                    3,
                    10,
                ),
            ),
        ),
        FileResult("gone.json", error="no such file"),
    ]
    log = json.loads(render_sarif(results, tool_version="9.9"))
    sarif_run = log["runs"][0]
    (rule,) = sarif_run["tool"]["driver"]["rules"]
    assert rule["properties"]["tags"] == ["security"]
    assert float(rule["properties"]["security-severity"]) >= 7.0
    assert rule["defaultConfiguration"]["level"] == "warning"
    (result,) = sarif_run["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir/a%20b.json"
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == ("Statement[0].Resource")
    invocation = sarif_run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == ("gone.json: no such file")


def test_text_lists_path_and_fix() -> None:
    fix = Fix("Use the action's real name", ("Statement", 0, "Action", 0), "xray:PutTraceSegments")
    finding = Finding(
        "INVALID_ACTION",
        Severity.ERROR,
        "xray:PutTraceSegment does not exist.",
        ("Statement", 0, "Action", 0),
        7,
        9,
        7,
        31,
        fix,
    )
    text = render_text([FileResult("p.json", (finding,))])
    assert text.splitlines() == [
        "p.json:7:9: error INVALID_ACTION: xray:PutTraceSegment does not exist.",
        "    at Statement[0].Action[0]",
        '    fix: Use the action\'s real name (set Statement[0].Action[0] to "xray:PutTraceSegments")',
        "1 file checked: 1 error, 0 security warnings, 0 warnings, 0 suggestions.",
    ]
    assert "\x1b[" in render_text([FileResult("p.json", (finding,))], color=True)


def test_summary_counts() -> None:
    results = [
        FileResult(
            "a",
            (
                Finding("A", Severity.WARNING, "m"),
                Finding("B", Severity.WARNING, "m"),
                Finding("C", Severity.SUGGESTION, "m"),
            ),
        ),
        FileResult("b"),
        FileResult("c", error="no such file"),
    ]
    assert counts(results)[Severity.WARNING] == 2
    assert summary_line(results) == (
        "2 files checked: 0 errors, 0 security warnings, 2 warnings, 1 suggestion; 1 file could not be read."
    )
    assert json.loads(render_json(results))["summary"]["warning"] == 2


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_text_has_one_compiler_line_per_finding(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = findings_of(path)
    _, out, _ = run(["lint", str(path)], capsys)
    heads = [LINE.match(line) for line in out.splitlines() if not line.startswith(" ")][:-1]
    assert len(heads) == len(found)
    for m, f in zip(heads, found, strict=True):
        assert m is not None
        assert (int(m["line"]), int(m["col"]), m["sev"], m["code"]) == (
            f.line,
            f.column,
            str(f.severity),
            f.code,
        )
    assert out.count("    fix: ") == sum(1 for f in found if f.fix is not None)


# -- the real entry point ---------------------------------------------------------------


def _spawn(
    argv: list[str], env: dict[str, str], stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "xraybuilder", *argv],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_console_entry_point_with_stdin_and_pipe() -> None:
    proc = _spawn(["lint", "-"], ENV, TRAILING_COMMA.read_bytes())
    assert proc.returncode == 1
    assert proc.stdout.decode().startswith("<stdin>:9:35: error JSON_SYNTAX_ERROR")
    assert b"\x1b[" not in proc.stdout  # a pipe is not a terminal
    bad = _spawn(["lint", "-"], ENV, b"\xff\xfe\x00{")
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr and b"UTF-16" in bad.stderr


def _on_a_tty(argv: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run with stdout on a pseudo-terminal; returns the exit status and what it printed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "xraybuilder", *argv], stdout=slave, stderr=subprocess.DEVNULL, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed its side
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks)


def test_colour_on_a_terminal_unless_no_color() -> None:
    code, out = _on_a_tty(["lint", str(TRAILING_COMMA)], ENV)
    assert code == 1 and b"\x1b[1;31merror\x1b[0m" in out
    code, out = _on_a_tty(["lint", str(TRAILING_COMMA)], {**ENV, "NO_COLOR": "1"})
    assert code == 1 and b"\x1b[" not in out and b"error JSON_SYNTAX_ERROR" in out
    _, out = _on_a_tty(["lint", str(TRAILING_COMMA)], {**ENV, "TERM": "dumb"})
    assert b"\x1b[" not in out
