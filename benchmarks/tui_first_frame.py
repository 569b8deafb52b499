#!/usr/bin/env python3
"""First frame: the builder against a bare Textual app, as whole processes in one terminal.

Usage: .venv/bin/python benchmarks/tui_first_frame.py [--runs N] [--size 120x40]

Each app runs as a whole process (``python -m xraybuilder tui --no-resume``, and
``python -c`` with a Header, a Static and a Footer) on a pseudo-terminal this script
opens and reads, the same size and TERM for both. The clock starts just before the
process is spawned and stops when the first full frame has been written: Textual paints
a full frame row by row, each row starting with a cursor move to ``row;1``, and ends it
with a move to where the cursor belongs; the frame is complete once the last row's move
(``ESC[40;1H`` at 40 rows) has been followed by one more cursor move. The two apps
alternate, so both see the same machine load; the medians and their ratio are printed.

Both processes may cache bytecode in a private folder (warmed by one untimed run each),
as an installed copy would; HOME and the XDG folders point to a private folder, so no
draft, keymap or resume question of the user's changes what is painted.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_APP = """
from textual.app import App
from textual.binding import Binding
from textual.widgets import Footer, Header, Static


class Bare(App[None]):
    TITLE = "xraybuilder"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Static("A bare Textual app: a Header, a Static and a Footer.")
        yield Footer()


Bare().run()
"""
CURSOR_MOVE = re.compile(rb"\x1b\[\d+;\d+H")
TIMEOUT = 30.0

_PRIVATE = tempfile.TemporaryDirectory(prefix="xraybuilder-frame-")
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR")}
ENV.update(
    {
        "PYTHONPYCACHEPREFIX": str(Path(_PRIVATE.name) / "pycache"),
        "HOME": str(Path(_PRIVATE.name) / "home"),
        "XDG_CONFIG_HOME": str(Path(_PRIVATE.name) / "config"),
        "XDG_STATE_HOME": str(Path(_PRIVATE.name) / "state"),
        "XDG_DATA_HOME": str(Path(_PRIVATE.name) / "data"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }
)


def first_frame(argv: list[str], columns: int, rows: int) -> float:
    """Seconds from spawning ``argv`` on a fresh pty until its first full frame is written."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    last_row = f"\x1b[{rows};1H".encode()
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=ENV, cwd=ROOT, start_new_session=True
    )
    os.close(slave)
    output = b""
    elapsed: float | None = None
    try:
        while elapsed is None and time.perf_counter() - started < TIMEOUT:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            last = output.find(last_row)
            if last >= 0 and CURSOR_MOVE.search(output, last + len(last_row)):
                elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        os.close(master)
    if elapsed is None:
        tail = output[-300:].decode("utf-8", "replace")
        raise SystemExit(f"no full frame from {' '.join(argv)} within {TIMEOUT:.0f} s; last output: {tail!r}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each app (default 9)")
    parser.add_argument("--size", default="120x40", help="terminal size COLUMNSxROWS (default 120x40)")
    args = parser.parse_args(argv)
    columns, rows = (int(n) for n in args.size.lower().split("x"))

    builder = [sys.executable, "-m", "xraybuilder", "tui", "--no-resume"]
    bare = [sys.executable, "-c", BARE_APP]
    first_frame(builder, columns, rows), first_frame(bare, columns, rows)  # bytecode, file cache
    builder_times, bare_times = [], []
    for _ in range(args.runs):
        bare_times.append(first_frame(bare, columns, rows))
        builder_times.append(first_frame(builder, columns, rows))
    ours = statistics.median(builder_times) * 1000
    theirs = statistics.median(bare_times) * 1000
    print(f"first full frame on a {columns}x{rows} pty, {args.runs} alternating runs each, median")
    print(f"bare Textual app (Header, Static, Footer): {theirs:8.1f} ms  (min {min(bare_times) * 1000:.1f})")
    print(f"xraybuilder tui:                           {ours:8.1f} ms  (min {min(builder_times) * 1000:.1f})")
    print(f"ratio (xraybuilder / bare): {ours / theirs:.2f}x  (target <= 1.30x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
