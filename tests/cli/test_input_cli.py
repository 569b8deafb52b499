"""What lint, explain and simulate share: one loader, one encoding policy, safe output.

These run the real program in a subprocess, with standard output encoded strictly as
UTF-8 like a terminal's, because that is where a lone surrogate used to crash.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "xray:GetGroups", "Resource": "*"}],
}
TEXT = json.dumps(POLICY, indent=2)
COMMANDS = {
    "lint": ["lint"],
    "explain": ["explain"],
    "simulate": ["simulate", "--action", "xray:GetGroups"],
}


def xraybuilder(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "xraybuilder", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="strict",
        env=env,
        check=False,
    )


def command(name: str, path: Path | str, *more: str) -> list[str]:
    """``name``'s argv with the policy in its place (lint and explain: first; simulate: first)."""
    head, *rest = COMMANDS[name]
    return [head, str(path), *rest, *more]


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


# -- one encoding policy -----------------------------------------------------------


@pytest.mark.parametrize("name", list(COMMANDS))
def test_utf16_is_named_by_every_command(name: str, tmp_path: Path) -> None:
    path = write(tmp_path, "wide.json", TEXT.encode("utf-16"))
    done = xraybuilder(*command(name, path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == (
        f"xraybuilder {name}: error: {path}: the file is UTF-16 encoded; IAM policies must be UTF-8\n"
    )


@pytest.mark.parametrize("name", list(COMMANDS))
def test_bad_utf8_says_where_in_every_command(name: str, tmp_path: Path) -> None:
    path = write(tmp_path, "latin.json", TEXT.replace("Read", "Caf\udce9").encode("utf-8", "surrogateescape"))
    done = xraybuilder(*command(name, path))
    assert done.returncode == 2
    message = "not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    # lint names the file once per report line and gives the position in words, as its
    # JSON and SARIF reports do; the others say file:line:column.
    where = f"{path}: line 5, column 18" if name == "lint" else f"{path}:5:18"
    assert done.stderr == f"xraybuilder {name}: error: {where}: {message}\n"


def test_a_utf8_bom_is_the_same_finding_and_warning_everywhere(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.json", b"\xef\xbb\xbf" + TEXT.encode())
    message = (
        "The text starts with a byte-order mark (BOM); IAM rejects it. Save the file as UTF-8 without BOM."
    )
    linted = xraybuilder("lint", str(path))
    assert linted.returncode == 1
    assert f"{path}:1:1: error JSON_SYNTAX_ERROR: {message}" in linted.stdout
    for name in ("explain", "simulate"):
        done = xraybuilder(*command(name, path))
        assert done.returncode == 0, done.stderr
        assert done.stderr == f"{path}:1:1: warning: {message}\n"
        assert "GetGroups" in done.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_recoverable_slips_do_not_stop_explain_or_simulate(name: str, tmp_path: Path) -> None:
    path = write(tmp_path, "comment.json", TEXT.replace("{\n", "{\n  // note\n", 1))
    done = xraybuilder(*command(name, path))
    warning = f"{path}:2:3: warning: Comments are not allowed in JSON policies: IAM rejects them.\n"
    if name == "lint":
        assert done.returncode == 1 and f"{path}:2:3: error JSON_SYNTAX_ERROR: Comments" in done.stdout
    else:
        assert (done.returncode, done.stderr) == (0, warning)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_errors_carry_the_error_prefix_and_position(name: str, tmp_path: Path) -> None:
    path = write(tmp_path, "broken.json", '{"Version": "2012-10-17"\n "Statement": []}')
    done = xraybuilder(*command(name, path))
    assert done.returncode == (1 if name == "lint" else 2)
    if name == "lint":  # a syntax error is one of lint's findings, not a read error
        assert f"{path}:2:2: error JSON_SYNTAX_ERROR: Missing comma" in done.stdout
    else:
        assert done.stderr == (
            f"xraybuilder {name}: error: {path}:2:2: Missing comma between two object members.\n"
        )


@pytest.mark.parametrize("name", list(COMMANDS))
def test_over_iams_limit_is_refused_at_once(name: str, tmp_path: Path) -> None:
    statements = [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": f"xray:Get{i}", "Resource": "*"} for i in range(4000)
    ]
    path = write(tmp_path, "big.json", json.dumps({"Version": "2012-10-17", "Statement": statements}))
    size = path.stat().st_size
    assert size > 131_072
    done = xraybuilder(*command(name, path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(
        f"xraybuilder {name}: error: {path}: the document has {size:,} characters; "
        "IAM refuses any policy document over 131,072 characters"
    )


# -- tracebacks --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_lint_writes_a_lone_surrogate_escaped(fmt: str, tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", TEXT.replace('"Read"', '"\\ud800"'))
    done = xraybuilder("lint", "--format", fmt, str(path))
    assert "Traceback" not in done.stderr and done.returncode == 1
    if fmt == "text":
        assert '"\\ud800"' in done.stdout
    else:
        doc = json.loads(done.stdout)  # the escape reads back as the same string
        assert "\ud800" in json.dumps(doc, ensure_ascii=False)


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("name", ["explain", "simulate"])
def test_explain_and_simulate_write_a_lone_surrogate(name: str, fmt: str, tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", TEXT.replace('"Read"', '"\\ud800"'))
    done = xraybuilder(*command(name, path, "--format", fmt))
    assert done.returncode == 0 and "Traceback" not in done.stderr
    if name == "simulate" and fmt == "text":
        assert "(Sid \\ud800)" in done.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_number_past_pythons_digit_limit(name: str, tmp_path: Path) -> None:
    condition = ', "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": ' + "9" * 5000 + "}}"
    path = write(tmp_path, "n.json", TEXT.replace('"Resource": "*"', '"Resource": "*"' + condition))
    done = xraybuilder(*command(name, path))
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert done.returncode == (1 if name == "lint" else 0)
    if name == "lint":
        assert "TYPE_MISMATCH_NUMBER" in done.stdout


# -- terminal control characters ---------------------------------------------------


@pytest.mark.parametrize("name", ["lint", "simulate", "explain"])
def test_control_characters_from_a_policy_are_escaped(name: str, tmp_path: Path) -> None:
    hostile = TEXT.replace('"Read"', '"a\\u001b]0;owned\\u0007\\u0000b"').replace(
        '"xray:GetGroups"', '"xray:Get\\u001b[2JGroups"'
    )
    path = write(tmp_path, "ctrl.json", hostile)
    done = xraybuilder(*command(name, path))
    for raw in ("\x1b", "\x07", "\x00"):
        assert raw not in done.stdout + done.stderr
    if name == "lint":
        assert '"Get\\x1b[2JGroups"' in done.stdout
    if name == "simulate":
        assert "(Sid a\\x1b]0;owned\\x07\\x00b)" in done.stdout


def test_lint_colour_keeps_its_own_escapes_only(tmp_path: Path) -> None:
    from xraybuilder.core.lint import lint
    from xraybuilder.core.lint.output import FileResult, render_text

    hostile = TEXT.replace('"xray:GetGroups"', '"xray:Get\\u001b[2JGroups"')
    text = render_text([FileResult("p.json", tuple(lint(hostile)))], color=True)
    assert "\x1b[1;31m" in text and "\x1b[2J" not in text and "Get\\x1b[2JGroups" in text


# -- standard input ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(COMMANDS))
def test_stdin_at_a_terminal_says_what_it_waits_for(name: str) -> None:
    controller, terminal = pty.openpty()
    argv = command(name, "-")
    env = dict(os.environ, NO_COLOR="1")
    with subprocess.Popen(
        [sys.executable, "-m", "xraybuilder", *argv],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as proc:
        os.close(terminal)
        # Type the policy on one line, then ctrl+d at the start of the next to end it.
        os.write(controller, json.dumps(POLICY).encode() + b"\n")
        time.sleep(0.2)
        os.write(controller, b"\x04")
        out, err = proc.communicate(timeout=60)
    os.close(controller)
    assert f"xraybuilder {name}: reading a policy from standard input (end it with ctrl+d)" in err.decode()
    assert proc.returncode == 0, err
    assert b"GetGroups" in out or b"no findings" in out


def test_stdin_from_a_pipe_gets_no_hint() -> None:
    done = xraybuilder("lint", "-", stdin=TEXT)
    assert (done.returncode, done.stderr) == (0, "")
