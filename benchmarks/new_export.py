#!/usr/bin/env python3
"""``xraybuilder new PRESET --format FORMAT --print`` as a whole process, for every format.

Usage: .venv/bin/python benchmarks/new_export.py [--runs N] [--preset ec2]

Prints the median wall time of N runs of each format (alternating the formats, so all
see the same machine load), and the same for ``--format json`` as the reference. These
are figures for people, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
FORMATS = ("json", "aws-cli", "terraform", "cloudformation", "cloudformation-json", "aws-config")
# Users run from cached bytecode; keep it in a private cache so nothing lands in the tree.
_CACHE = tempfile.TemporaryDirectory(prefix="xraybuilder-bench-")
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = _CACHE.name


def wall_time(argv: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.decode(errors='replace').strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--preset", default="ec2")
    args = parser.parse_args()
    script = BIN / "xraybuilder"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "xraybuilder"]
    times: dict[str, list[float]] = {fmt: [] for fmt in FORMATS}
    for fmt in FORMATS:  # once each, to fill the bytecode cache
        wall_time([*base, "new", args.preset, "--format", fmt, "--print"])
    for _ in range(args.runs):
        for fmt in FORMATS:
            times[fmt].append(wall_time([*base, "new", args.preset, "--format", fmt, "--print"]))
    print(f"xraybuilder new {args.preset} --format FORMAT --print, median of {args.runs} runs")
    for fmt in FORMATS:
        print(f"  {fmt:<20} {statistics.median(times[fmt]) * 1000:7.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
