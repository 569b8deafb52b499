"""Copying: pyperclip on this machine, OSC 52 through a shell's sender, and the messages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyperclip
import pytest

from xraybuilder.core.export.clipboard import (
    OSC52,
    PYPERCLIP,
    CopyResult,
    copied_message,
    copy_text,
    copy_with_pyperclip,
    no_clipboard_message,
)

TEXT = '{\n  "Version": "2012-10-17"\n}\n'


def test_headless_pyperclip_gives_a_one_line_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    # The real library really fails here, which is the case being handled.
    with pytest.raises(pyperclip.PyperclipException):
        pyperclip.copy(TEXT)
    reason = copy_with_pyperclip(TEXT)
    assert reason is not None and "\n" not in reason
    if sys.platform.startswith("linux"):
        assert "DISPLAY is not set" in reason


def test_pyperclip_in_a_fresh_process_without_display() -> None:
    # pyperclip picks its backend once per process; a fresh one proves the first try.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    code = "from xraybuilder.core.export.clipboard import copy_with_pyperclip as c; print(repr(c('x')))"
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    assert proc.stderr == ""
    if sys.platform.startswith("linux"):
        assert "DISPLAY is not set" in proc.stdout
    else:
        assert proc.stdout.strip() == "None" or proc.stdout.startswith("'no ")


def test_a_crashing_copy_tool_is_a_reason_too(monkeypatch: pytest.MonkeyPatch) -> None:
    def vanished(text: str) -> None:
        raise FileNotFoundError(2, "No such file or directory", "xclip")

    monkeypatch.setattr(pyperclip, "copy", vanished)
    assert copy_with_pyperclip(TEXT) == "the clipboard tool failed (FileNotFoundError)"


def test_osc52_and_pyperclip_together() -> None:
    sent: list[str] = []
    result = copy_text(TEXT, osc52=sent.append, pyperclip_copy=lambda text: None)
    assert sent == [TEXT]
    assert result == CopyResult(characters=len(TEXT), via=(OSC52, PYPERCLIP), reason=None)
    assert result.message == f"Copied {len(TEXT)} characters (OSC 52 and system clipboard)"


def test_osc52_alone_when_pyperclip_cannot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    sent: list[str] = []
    result = copy_text("x" * 1234, osc52=sent.append)
    assert result.ok and result.via == (OSC52,) and result.reason is not None
    assert result.message == "Copied 1,234 characters (OSC 52)"


def test_nothing_works_nothing_crashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)

    def gone(text: str) -> None:
        raise OSError("terminal closed")

    result = copy_text(TEXT, osc52=gone)
    assert not result.ok
    assert result.message.startswith("No clipboard here: ")
    assert result.message.endswith("; save it to a file instead")


def test_messages() -> None:
    assert copied_message(1, OSC52) == "Copied 1 character (OSC 52)"
    assert no_clipboard_message("no display") == "No clipboard here: no display; save it to a file instead"


@pytest.mark.skipif(
    not (shutil.which("xclip") and shutil.which("Xvfb")),
    reason="xclip and Xvfb are not installed (Debian: apt-get install xclip xvfb)",
)
def test_xclip_under_xvfb_really_copies(tmp_path: Path) -> None:
    display = f":{90 + os.getpid() % 100}"
    server = subprocess.Popen(["Xvfb", display, "-nolisten", "tcp"], stderr=subprocess.DEVNULL)
    try:
        env = {**os.environ, "DISPLAY": display}
        env.pop("WAYLAND_DISPLAY", None)
        for _ in range(50):
            if subprocess.run(["xclip", "-o"], env=env, capture_output=True).returncode in (0, 1):
                break
            time.sleep(0.1)
        code = "from xraybuilder.core.export.clipboard import copy_with_pyperclip as c; print(c('hello'))"
        # xclip stays in the background holding the selection, so its output goes to a
        # file: a pipe would stay open as long as xclip lives.
        out = tmp_path / "out.txt"
        with out.open("w") as handle:
            subprocess.run(
                [sys.executable, "-c", code], env=env, stdout=handle, stderr=subprocess.STDOUT, timeout=60
            )
        assert out.read_text().strip() == "None"
        pasted = subprocess.run(
            ["xclip", "-o", "-selection", "clipboard"], env=env, capture_output=True, text=True, timeout=10
        )
        assert pasted.stdout == "hello"
    finally:
        server.terminate()
        server.wait(timeout=10)
