"""assess() on a 50-statement draft: p50/p95 per call, as a shell calls it on every keystroke.

Cases, each over ``--runs`` calls, wall and CPU time:

- an edit: every call assesses a new draft (one statement's Sid changed), so nothing is
  served from the assessment cache: lint, documents, sizes and field mapping run again
  (the other statements' findings come from the per-statement caches);
- an edit that changes what a statement grants (a new Resource each call), so the
  checks across statements (redundant and shadowed statements) run again too;
- the same draft again (a repaint): served from the cache;
- the summary and the comparison, worked out on first access (the Review step);
- the linter alone on the same policy text, for scale: assess() cannot be faster than it.

Target: p95 <= 2 ms for an edit. Timings depend on the machine and its load: compare
figures from the same run only.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lint_throughput import fifty_statements  # noqa: E402

from xraybuilder.core.assess import assess, identity_text  # noqa: E402
from xraybuilder.core.draft import Draft  # noqa: E402
from xraybuilder.core.lint import lint  # noqa: E402

TARGET_MS = 2.0


def measure(runs: int, call: Callable[[int], object]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each call, sorted."""
    wall, cpu = [], []
    for i in range(runs):
        w, c = time.perf_counter(), time.process_time()
        call(i)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return sorted(wall), sorted(cpu)


def pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


def report(name: str, figures: tuple[list[float], list[float]], target: bool = False) -> None:
    wall, cpu = figures
    line = (
        f"  {name:32s} wall p50 {pct(wall, 0.5):7.3f} ms  p95 {pct(wall, 0.95):7.3f} ms   "
        f"CPU p50 {pct(cpu, 0.5):7.3f} ms  p95 {pct(cpu, 0.95):7.3f} ms"
    )
    if target:
        met = pct(wall, 0.95) <= TARGET_MS
        line += f"   target p95 <= {TARGET_MS:g} ms: {'met' if met else 'NOT met'}"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=400)
    args = parser.parse_args()

    statements = Draft.from_text(fifty_statements()).editable().statements
    draft = Draft("custom", statements=statements)
    for i in range(20):  # warm the catalog and the per-statement caches, as a running shell has
        assess(draft.set_sid(3, f"Warm{i}")).summary  # noqa: B018

    edits = [draft.set_sid(3, f"Edit{i}") for i in range(args.runs)]
    grants = [
        draft.set_resources(3, [f"arn:aws:xray:us-east-1:123456789012:group/edit-{i}/*"])
        for i in range(args.runs)
    ]
    fresh = [draft.set_sid(3, f"Review{i}") for i in range(args.runs)]
    texts = [
        identity_text(d.statements or ()) for d in (draft.set_sid(3, f"Lint{i}") for i in range(args.runs))
    ]
    for d in fresh:
        assess(d)

    print(
        f"assess() on a 50-statement draft ({len(texts[0])} chars), {args.runs} runs, "
        f"Python {sys.version.split()[0]}:"
    )
    report("edit (new draft each call)", measure(args.runs, lambda i: assess(edits[i])), target=True)
    report("edit of a grant (new Resource)", measure(args.runs, lambda i: assess(grants[i])))
    report("same draft again (cached)", measure(args.runs, lambda i: assess(draft)))
    report("summary + comparison, first use", measure(args.runs, lambda i: assess(fresh[i]).summary))
    report("lint alone, same text", measure(args.runs, lambda i: lint(texts[i])))


if __name__ == "__main__":
    main()
