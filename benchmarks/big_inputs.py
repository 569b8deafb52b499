"""Big inputs: time and memory of lint, explain and simulate as policies grow.

IAM refuses any policy document over 131,072 characters, so the commands refuse such
input at once; below that, time should grow linearly with size. Prints, for each size,
the wall time and peak memory of each command as a whole process, and the time to
render simulate's text report for thousands of matching statements in one process.

Run from the root of the tree to measure (its ``xraybuilder`` is the one imported):

    .venv/bin/python benchmarks/big_inputs.py
    .venv/bin/python benchmarks/big_inputs.py --quick      # fewer sizes

Run it from another checkout of the project (same command, that checkout as the
working directory) to compare two versions on one machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIMIT = 131_072
SIZES = (16_384, 32_768, 65_536, 131_072, 262_144, 1_048_576, 4_194_304)
QUICK_SIZES = (32_768, 131_072, 4_194_304)
RENDER_COUNTS = (1_000, 2_000, 4_000, 8_000)


def statement(i: int) -> dict[str, object]:
    """A statement that differs from every other (no two alike), as real policies do."""
    return {
        "Sid": f"Read{i}",
        "Effect": "Allow",
        "Action": ["xray:GetGroup", "xray:GetGroups"],
        "Resource": f"arn:aws:xray:us-east-1:123456789012:group/team{i}/*",
    }


def policy_text(size: int) -> str:
    """A policy of about ``size`` characters (one statement per line, as editors keep them)."""
    head, tail = '{"Version": "2012-10-17", "Statement": [\n', "\n]}\n"
    lines: list[str] = []
    total = len(head) + len(tail)
    while True:
        line = json.dumps(statement(len(lines)))
        if total + len(line) + 2 > size:
            return head + ",\n".join(lines) + tail
        lines.append(line)
        total += len(line) + 2


def run(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak memory (MB) and exit status of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "xraybuilder", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=os.getcwd(),
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def commands(path: str) -> dict[str, list[str]]:
    return {
        "lint": ["lint", path],
        "explain": ["explain", path],
        "simulate": ["simulate", path, "--action", "xray:GetGroups"],
    }


def whole_process(sizes: tuple[int, ...], folder: Path) -> None:
    print("Whole process, by document size (characters); 'refused' = over IAM's limit, exit 2")
    print(f"{'size':>10}  {'command':<9} {'seconds':>8} {'peak MB':>8}  outcome")
    for size in sizes:
        path = folder / f"policy-{size}.json"
        path.write_text(policy_text(size))
        real = len(path.read_text())
        for name, argv in commands(str(path)).items():
            seconds, peak, code = run(argv)
            outcome = "refused" if real > LIMIT and code == 2 else f"exit {code}"
            print(f"{real:>10,}  {name:<9} {seconds:>8.2f} {peak:>8.0f}  {outcome}")
    print()


def render_in_process(counts: tuple[int, ...]) -> None:
    sys.path.insert(0, os.getcwd())
    from xraybuilder.core.evaluate import Request, evaluate, render_text
    from xraybuilder.core.policy.model import Policy

    print("simulate's text report for N matching statements (one process, render only)")
    print(f"{'statements':>10}  {'seconds':>8}")
    for count in counts:
        doc = {"Version": "2012-10-17", "Statement": [statement(i) | {"Resource": "*"} for i in range(count)]}
        decision = evaluate([("p.json", Policy.from_json(doc))], Request("xray:GetGroups"))
        start = time.perf_counter()
        render_text(decision)
        print(f"{count:>10,}  {time.perf_counter() - start:>8.3f}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes")
    parser.add_argument("--sizes", help="comma-separated document sizes in characters")
    args = parser.parse_args()
    sizes = QUICK_SIZES if args.quick else SIZES
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    print(f"xraybuilder from {os.getcwd()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        whole_process(sizes, Path(tmp))
    render_in_process(RENDER_COUNTS[:3] if args.quick else RENDER_COUNTS)


if __name__ == "__main__":
    main()
