#!/usr/bin/env python3
"""Lint throughput: xraybuilder's linter against parliament, in one process, same policies.

Usage: .venv/bin/python benchmarks/lint_throughput.py [--rounds N] [--runs N] [--profile]

Both tools start from the policy text and return findings with severities (parliament's
``enhance_finding`` is part of its run). Each is warmed up on the whole set first, so the
figures are steady-state: both keep caches (parliament ``lru_cache``s action expansion; our
families cache per-value verdicts, and the linter each statement's findings), which is how
an editor or a CI job calls them.

Prints policies/second for both and the ratio (target: ours >= 2x parliament), then the
median lint time of one 50-statement policy (target: <= 2 ms). ``--profile`` adds a
cProfile summary of our linter on the same workload, grouped by module.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
TARGET_RATIO = 2.0
TARGET_MS = 2.0


def policies() -> list[str]:
    """The test corpus plus the AWS managed X-Ray policies, as text."""
    from xraybuilder.core.managed import managed_policies

    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.json"))]
    texts += [json.dumps(m.document, indent=2) for m in managed_policies().values()]
    return texts


def fifty_statements() -> str:
    """A realistic 50-statement policy: every statement distinct (scoped groups and rules,
    conditions, wildcards), so no statement is redundant with another."""
    account = "123456789012"
    regions = [
        "us-east-1",
        "us-east-2",
        "us-west-2",
        "eu-west-1",
        "eu-central-1",
        "ap-southeast-2",
        "ap-northeast-1",
        "sa-east-1",
        "ca-central-1",
        "eu-north-1",
    ]
    statements: list[dict[str, object]] = []
    for i in range(50):
        region = regions[(i // 5) % len(regions)]
        kind = i % 5
        if kind == 0:
            st: dict[str, object] = {
                "Sid": f"Group{i}",
                "Effect": "Allow",
                "Action": ["xray:GetGroup", "xray:UpdateGroup", "xray:DeleteGroup"],
                "Resource": f"arn:aws:xray:{region}:{account}:group/team-{i}/*",
            }
        elif kind == 1:
            st = {
                "Sid": f"Rule{i}",
                "Effect": "Allow",
                "Action": ["xray:UpdateSamplingRule", "xray:DeleteSamplingRule"],
                "Resource": [
                    f"arn:aws:xray:{region}:{account}:sampling-rule/svc-{i}",
                    f"arn:aws:xray:{region}:{account}:sampling-rule/svc-{i}-b",
                ],
            }
        elif kind == 2:
            st = {
                "Sid": f"Write{i}",
                "Effect": "Allow",
                "Action": [
                    "xray:PutTraceSegments",
                    "xray:PutTelemetryRecords",
                    "xray:GetSamplingRules",
                    "xray:GetSamplingTargets",
                ],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:RequestedRegion": region},
                    "Bool": {"aws:SecureTransport": "true"},
                },
            }
        elif kind == 3:
            st = {
                "Sid": f"Read{i}",
                "Effect": "Allow",
                "Action": ["xray:Get*", "xray:BatchGet*"],
                "Resource": "*",
                "Condition": {
                    "IpAddress": {"aws:SourceIp": [f"203.0.{i}.0/24"]},
                    "DateLessThan": {"aws:CurrentTime": f"2027-01-{i % 28 + 1:02d}T00:00:00Z"},
                },
            }
        else:
            st = {
                "Sid": f"DenyProd{i}",
                "Effect": "Deny",
                "Action": ["xray:UpdateGroup", "xray:DeleteGroup"],
                "Resource": "*",
                "Condition": {"StringEquals": {f"aws:ResourceTag/stage{i}": ["prod", "preprod"]}},
            }
        statements.append(st)
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)


def ours() -> Callable[[str], int]:
    from xraybuilder.core.lint import lint

    return lambda text: len(lint(text))


def parliaments() -> Callable[[str], int]:
    from parliament import analyze_policy_string, enhance_finding

    def run(text: str) -> int:
        try:
            policy = analyze_policy_string(text, ignore_private_auditors=True)
        except Exception:  # parliament raises on a few shapes; count it as one finding
            return 1
        return len([enhance_finding(f) for f in policy.findings])

    return run


@dataclass(frozen=True)
class Timing:
    wall_median: float
    wall_min: float
    cpu_median: float


def throughput(fn: Callable[[str], int], texts: list[str], rounds: int) -> tuple[float, float]:
    """Policies per second over ``rounds`` passes after one warm-up pass: (wall, CPU).

    CPU time (this process only) is the steadier figure on a busy machine.
    """
    for text in texts:
        fn(text)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for text in texts:
            fn(text)
    n = rounds * len(texts)
    return n / (time.perf_counter() - wall), n / (time.process_time() - cpu)


def timing_ms(fn: Callable[[str], int], text: str, runs: int) -> Timing:
    """Median and minimum wall time, and median CPU time, of ``runs`` calls."""
    fn(text)
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        fn(text)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return Timing(statistics.median(walls) * 1000, min(walls) * 1000, statistics.median(cpus) * 1000)


def profile(fn: Callable[[str], int], texts: list[str], big: str, rounds: int) -> None:
    """Print where our linter spends its time, by module and by function."""
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(rounds):
        for text in texts:
            fn(text)
        fn(big)
    prof.disable()
    stats = pstats.Stats(prof)
    by_module: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        name = filename
        if "/xraybuilder/" in filename:
            name = "xraybuilder/" + filename.split("/xraybuilder/", 1)[1]
        elif filename.startswith("~") or filename.startswith("<"):
            name = "builtins"
        else:
            name = Path(filename).name
        by_module[name] += tottime
    total = sum(by_module.values())
    print("\nwhere our linter spends its time (own time per module):")
    for name, secs in sorted(by_module.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {secs / total:6.1%}  {name}")
    print("\ntop functions by own time:")
    stats.sort_stats("tottime").print_stats(12)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the policy set")
    parser.add_argument("--runs", type=int, default=500, help="runs for the 50-statement median")
    parser.add_argument("--profile", action="store_true", help="cProfile our linter")
    args = parser.parse_args(argv)

    texts = policies()
    big = fifty_statements()
    lint_ours, lint_parliament = ours(), parliaments()

    ours_wall, ours_cpu = throughput(lint_ours, texts, args.rounds)
    parl_wall, parl_cpu = throughput(lint_parliament, texts, args.rounds)
    ratio, ratio_cpu = ours_wall / parl_wall, ours_cpu / parl_cpu
    print(
        f"policies: {len(texts)} (tests/corpus + managed), {args.rounds} rounds, "
        f"Python {sys.version.split()[0]}"
    )
    print(f"xraybuilder: {ours_wall:8.0f} policies/s wall, {ours_cpu:8.0f} per CPU second")
    print(f"parliament:  {parl_wall:8.0f} policies/s wall, {parl_cpu:8.0f} per CPU second")
    print(
        f"ratio:       {ratio:8.2f}x wall, {ratio_cpu:8.2f}x CPU  (target >= "
        f"{TARGET_RATIO:.0f}x: {'met' if min(ratio, ratio_cpu) >= TARGET_RATIO else 'NOT met'})"
    )

    ours_t = timing_ms(lint_ours, big, args.runs)
    parl_t = timing_ms(lint_parliament, big, max(args.runs // 5, 20))
    met = "met" if ours_t.wall_median <= TARGET_MS else "NOT met"
    print(f"50-statement policy ({len(big)} chars), {args.runs} runs:")
    print(
        f"  xraybuilder: median {ours_t.wall_median:.3f} ms (min {ours_t.wall_min:.3f}, "
        f"CPU median {ours_t.cpu_median:.3f})  target <= {TARGET_MS:.0f} ms: {met}"
    )
    print(
        f"  parliament:  median {parl_t.wall_median:.3f} ms (min {parl_t.wall_min:.3f}, "
        f"CPU median {parl_t.cpu_median:.3f})"
    )

    if args.profile:
        profile(lint_ours, texts, big, max(args.rounds // 4, 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
