#!/usr/bin/env python3
"""The wizard: a scripted run as a whole process, and the cost of checking an answer.

Usage: .venv/bin/python benchmarks/wizard.py [--runs N]

1. ``printf 'lambda\\n123456789012\\neu-west-1\\n' | xraybuilder wizard`` against
   ``xraybuilder new lambda -p …`` for the same answers (the baseline: the same core
   work without questions), alternating the two, median wall time of each.
2. In one process, what live validation and the toolbar cost per keystroke: the check
   of an account ID, of a Region, of a custom statement's actions (which runs
   ``assess``), and the toolbar's finding count; median and 95th percentile.

Figures for people, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

ANSWERS = "lambda\n123456789012\neu-west-1\n"
NEW = ["new", "lambda", "-p", "account=123456789012", "-p", "region=eu-west-1"]
# Bytecode cached privately, as an installed copy has it (see startup.py).
_CACHE = tempfile.TemporaryDirectory(prefix="xraybuilder-bench-")
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = _CACHE.name


def wall_time(argv: list[str], stdin: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "xraybuilder", *argv],
        input=stdin,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
        check=False,
    )
    return time.perf_counter() - start


def per_call(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds, after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    wall_time(["wizard"], ANSWERS)  # warm the bytecode cache
    wizard, new = [], []
    for _ in range(args.runs):
        wizard.append(wall_time(["wizard"], ANSWERS))
        new.append(wall_time(NEW, ""))
    w, n = statistics.median(wizard), statistics.median(new)
    print(f"scripted wizard (3 answers, rest defaults): {w * 1000:7.1f} ms median of {args.runs}")
    print(f"xraybuilder new, same answers:             {n * 1000:7.1f} ms median of {args.runs}")
    print(f"wizard / new:                              {w / n:7.2f}x")

    from xraybuilder.core.scenarios import load_library
    from xraybuilder.wizard.questions import Interview
    from xraybuilder.wizard.session import counts_text

    interview = Interview(load_library())
    interview.scenario = "ec2"
    account = interview.shared_question("account")
    region = interview.shared_question("region")
    custom = Interview(load_library(), "custom", {"region": "us-east-1", "partition": "aws"})
    actions = custom.actions_question()
    custom.actions = ("xray:GetGroup", "xray:UpdateGroup")
    typed = iter(range(10**6))
    # assess() caches by draft, and each keystroke makes a new one: every call here
    # checks a text not seen before.
    checks = [
        ("account ID check (resolve)", lambda: account.check(f"{next(typed):012d}")),
        ("Region check (resolve)", lambda: region.check("eu-west-1")),
        ("custom actions check (assess)", lambda: actions.check(f"xray:GetGroup, xray:Get{next(typed)}")),
        ("toolbar finding count (assess)", lambda: counts_text(custom.assessment())),
    ]
    print("\nper keystroke, in one process (ms):        median     p95")
    for label, fn in checks:
        median, p95 = per_call(fn, 200)
        print(f"  {label:38} {median:7.2f} {p95:7.2f}")
    print(f"\ntextual imported by the wizard: {'textual' in sys.modules}")
    probe = (
        "import sys; from xraybuilder.cli import main; main(['wizard']); "
        "print('prompt_toolkit' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], input=ANSWERS, capture_output=True, text=True, env=ENV, check=False
    )
    print(f"prompt_toolkit imported by a scripted run: {proc.stdout.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
