#!/usr/bin/env python3
"""Start-up: ``xraybuilder lint FILE`` against ``parliament --file FILE`` as whole processes.

Usage: .venv/bin/python benchmarks/startup.py [--runs N] [FILE]

Runs each command N times, alternating the two so both see the same machine load, and
prints the median wall time of each and the ratio. Then times each import step of the
lint command with ``python -X importtime`` (cumulative microseconds per module, as
Python reports them) and shows the slowest modules, ours and third-party.

These are figures for people, not a test: the import-hygiene test is what keeps the
lint command from loading the TUI.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "tests" / "corpus" / "valid_daemon_write.json"
BIN = Path(sys.executable).parent
IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)$")
# The import steps of `xraybuilder lint`, in the order the command takes them.
STEPS = (
    "xraybuilder.cli",
    "xraybuilder.commands.lint",
    "xraybuilder.core.lint",
    "xraybuilder.core.lint.output",
)


def command(name: str) -> list[str]:
    """The console script installed next to this Python (or found on PATH)."""
    local = BIN / name
    if local.exists():
        return [str(local)]
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed; install the project's test extra")
    return [found]


# Users run from cached bytecode (pip compiles it; an editable install writes it on first
# import), so every process here may write bytecode, into a private cache: nothing lands
# in the source tree, and a PYTHONDONTWRITEBYTECODE in the caller's environment does
# not turn the figures into compile times.
_CACHE = tempfile.TemporaryDirectory(prefix="xraybuilder-bench-")
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = _CACHE.name


def wall_time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, check=False)
    return time.perf_counter() - start


def import_times(code: str) -> list[tuple[str, int, int, int]]:
    """(module, self us, cumulative us, depth) for every import ``code`` makes."""
    # Once without timing, so every module's bytecode is cached as it is for users.
    subprocess.run([sys.executable, "-c", code], capture_output=True, env=ENV, check=False)
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=ENV, check=False
    )
    out = []
    for line in proc.stderr.splitlines():
        m = IMPORT_LINE.match(line)
        if m:
            out.append((m[4], int(m[1]), int(m[2]), len(m[3]) // 2))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    args = parser.parse_args(argv)

    ours = [*command("xraybuilder"), "lint", str(args.file)]
    theirs = [*command("parliament"), "--file", str(args.file)]
    wall_time(ours), wall_time(theirs)  # warm the file cache and the bytecode
    ours_times, theirs_times = [], []
    for _ in range(args.runs):
        ours_times.append(wall_time(ours))
        theirs_times.append(wall_time(theirs))
    ours_ms = statistics.median(ours_times) * 1000
    theirs_ms = statistics.median(theirs_times) * 1000
    print(
        f"file: {args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file}"
        f", {args.runs} runs each, median wall time"
    )
    print(f"xraybuilder lint:   {ours_ms:8.1f} ms  (min {min(ours_times) * 1000:.1f})")
    print(f"parliament --file:  {theirs_ms:8.1f} ms  (min {min(theirs_times) * 1000:.1f})")
    print(f"ratio (parliament / xraybuilder): {theirs_ms / ours_ms:.2f}x")
    bare = statistics.median(wall_time([sys.executable, "-c", "pass"]) for _ in range(5)) * 1000
    print(f"bare interpreter (python -c pass): {bare:.1f} ms")

    print("\nimport steps of `xraybuilder lint` (cumulative, one fresh interpreter each):")
    for step in STEPS:
        rows = import_times(f"import {step}")
        total = next((cum for mod, _, cum, _ in rows if mod == step), None)
        if total is not None:
            print(f"  {step:<32} {total / 1000:7.1f} ms")
    rows = import_times(
        "import sys; from xraybuilder.cli import main; "
        f"sys.argv = ['xraybuilder', 'lint', {str(args.file)!r}]; "
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()): main()"
    )
    print("\nslowest imports of a whole `xraybuilder lint` run (self time):")
    for mod, own, cum, _depth in sorted(rows, key=lambda r: -r[1])[:12]:
        print(f"  {own / 1000:7.2f} ms self {cum / 1000:8.2f} ms cumulative  {mod}")
    ours_total = sum(own for mod, own, _, _ in rows if mod.startswith("xraybuilder"))
    print(f"  xraybuilder modules, self time in total: {ours_total / 1000:.1f} ms")

    rows = import_times("import parliament")
    total = next((cum for mod, _, cum, _ in rows if mod == "parliament"), 0)
    print(f"\nfor comparison, `import parliament`: {total / 1000:.1f} ms cumulative")
    return 0


if __name__ == "__main__":
    sys.exit(main())
