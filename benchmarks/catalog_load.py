#!/usr/bin/env python3
"""The catalog's cost: wheel size, loading one service, and ``xraybuilder lint`` as a process.

Usage: .venv/bin/python benchmarks/catalog_load.py [--runs N] [--baseline-tree DIR] [FILE]

1. Builds the wheel (``pip wheel --no-deps``) and prints its size and the catalog's share.
2. Loads every service of the catalog on its own (the cache emptied before each load),
   several times, and prints the distribution of the per-service median: p50, p95, max,
   and the slowest services. Then the cost of the first lookup of one action.
3. Times ``python -m xraybuilder lint FILE`` (an xray-only policy by default) as a whole
   process against ``python -c pass``, alternating, median of N runs. With
   ``--baseline-tree DIR`` (a checkout of another revision, e.g. made with ``git archive``)
   that tree's lint and wheel are measured in the same run too.

These are figures for people, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "tests" / "corpus" / "valid_daemon_write.json"

# Bytecode is cached (users run from compiled modules), in a private folder so nothing lands
# in a source tree and PYTHONDONTWRITEBYTECODE in the caller's shell does not turn the
# figures into compile times.
_CACHE = tempfile.TemporaryDirectory(prefix="xraybuilder-bench-")
_BASE_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
_BASE_ENV["PYTHONPYCACHEPREFIX"] = _CACHE.name


def wheel_size(tree: Path) -> tuple[int, int]:
    """(wheel bytes, compressed bytes of the catalog data inside it) for the tree."""
    with tempfile.TemporaryDirectory(prefix="xraybuilder-wheel-") as out:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "-q",
                "--no-deps",
                "-w",
                out,
                str(tree),
            ],
            check=True,
            capture_output=True,
        )
        (wheel,) = Path(out).glob("*.whl")
        with zipfile.ZipFile(wheel) as z:
            data = sum(i.compress_size for i in z.infolist() if "/catalog/data/" in i.filename)
        return wheel.stat().st_size, data


def load_times(runs: int) -> list[tuple[float, str]]:
    """(median ms, prefix) of loading each service alone, slowest last."""
    from xraybuilder.core import catalog

    catalog.all_services()  # the list of services is read once per process, not per service
    out = []
    for prefix in catalog.service_prefixes():
        samples = []
        for _ in range(runs):
            catalog.service.cache_clear()
            catalog._service.cache_clear()
            start = time.perf_counter()
            catalog.service(prefix)
            samples.append(time.perf_counter() - start)
        out.append((statistics.median(samples) * 1000, prefix))
    return sorted(out)


def first_action_times(runs: int) -> list[tuple[str, float]]:
    """Loading a service and looking up one action of it (the action's line is parsed then)."""
    from xraybuilder.core import catalog

    out = []
    for full in ("xray:PutTraceSegments", "ec2:RunInstances", "s3:GetObject"):
        samples = []
        for _ in range(runs):
            catalog.service.cache_clear()
            catalog._service.cache_clear()
            start = time.perf_counter()
            catalog.action(full)
            samples.append(time.perf_counter() - start)
        out.append((full, statistics.median(samples) * 1000))
    return out


def process_time(argv: list[str], pythonpath: Path | None, cwd: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU (user + system) varies less on a busy machine."""
    env = dict(_BASE_ENV)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline-tree", type=Path, help="another revision's source tree, for comparison")
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    args = parser.parse_args(argv)

    size, data = wheel_size(ROOT)
    print(
        f"wheel: {size / 1024:.0f} KiB ({size} bytes), catalog data in it: {data / 1024:.0f} KiB compressed"
    )
    if args.baseline_tree:
        base_size, base_data = wheel_size(args.baseline_tree)
        print(
            f"baseline wheel: {base_size / 1024:.0f} KiB ({base_size} bytes), catalog data "
            f"{base_data / 1024:.0f} KiB; growth {(size - base_size) / 1024:+.0f} KiB"
        )

    times = load_times(5)
    values = [ms for ms, _ in times]
    print(f"\nloading one service ({len(times)} services, median of 5 loads each):")
    print(
        f"  p50 {percentile(values, 0.5):.3f} ms  p95 {percentile(values, 0.95):.3f} ms  "
        f"max {values[-1]:.3f} ms ({times[-1][1]})"
    )
    print("  slowest: " + ", ".join(f"{p} {ms:.2f} ms" for ms, p in reversed(times[-5:])))
    over = [p for ms, p in times if ms > 2.0]
    print(f"  services over 2 ms: {len(over)}" + (f" ({', '.join(over)})" if over else ""))
    for full, ms in first_action_times(5):
        print(f"  load + first lookup of {full}: {ms:.3f} ms")

    cwd = tempfile.mkdtemp(prefix="xraybuilder-bench-cwd-")  # no source tree on sys.path by accident
    target = str(args.file.resolve())
    commands: list[tuple[str, list[str], Path | None]] = [
        ("python -c pass", [sys.executable, "-c", "pass"], None),
        ("xraybuilder lint (this tree)", [sys.executable, "-m", "xraybuilder", "lint", target], None),
    ]
    if args.baseline_tree:
        commands.append(
            (
                "xraybuilder lint (baseline tree)",
                [sys.executable, "-m", "xraybuilder", "lint", target],
                args.baseline_tree.resolve(),
            )
        )
    for _, command, path in commands:
        process_time(command, path, cwd)  # warm the file cache and the bytecode
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in commands}
    for _ in range(args.runs):
        for label, command, path in commands:
            samples[label].append(process_time(command, path, cwd))
    shown = args.file.relative_to(ROOT) if args.file.resolve().is_relative_to(ROOT) else args.file
    print(f"\nwhole process on {shown}, {args.runs} alternating runs, median (min), wall and CPU:")
    for label, pairs in samples.items():
        wall = [w * 1000 for w, _ in pairs]
        cpu = [c * 1000 for _, c in pairs]
        print(
            f"  {label:<34} wall {statistics.median(wall):7.1f} ms ({min(wall):.1f})"
            f"   CPU {statistics.median(cpu):7.1f} ms ({min(cpu):.1f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
