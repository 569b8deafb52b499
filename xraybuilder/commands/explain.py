"""``xraybuilder explain``: say in plain words what a policy grants, optionally against another."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from xraybuilder.core.policy.model import Policy

EXIT_OK, EXIT_BEYOND, EXIT_INPUT = 0, 1, 2


class InputError(Exception):
    """Input that cannot be explained; the message says where and what."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments to its parser."""
    parser.add_argument(
        "policy",
        metavar="POLICY",
        help="a policy JSON file, - for standard input, or the name or ARN of an AWS managed "
        "X-Ray policy (e.g. AWSXrayReadOnlyAccess)",
    )
    parser.add_argument(
        "--compare",
        metavar="BASELINE",
        help="also list what POLICY grants beyond or short of BASELINE (a managed policy "
        "name or ARN, or a file)",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--descriptions",
        action="store_true",
        help="show what each action does (text output; JSON always has them)",
    )
    parser.add_argument(
        "--fail-on-beyond", action="store_true", help="exit 1 when POLICY grants anything beyond BASELINE"
    )


def run(args: argparse.Namespace) -> int:
    """Explain POLICY (and compare it); returns the exit code."""
    from xraybuilder.core.explain import compare, summarize

    if args.policy == "-" and args.compare == "-":
        print("xraybuilder explain: only one of POLICY and BASELINE can be read from -", file=sys.stderr)
        return EXIT_INPUT
    try:
        policy, name = load(args.policy, sys.stdin)
        baseline = load(args.compare, sys.stdin) if args.compare else None
    except InputError as err:
        print(f"xraybuilder explain: {err}", file=sys.stderr)
        return EXIT_INPUT
    if args.fail_on_beyond and baseline is None:
        print("xraybuilder explain: --fail-on-beyond needs --compare BASELINE", file=sys.stderr)
        return EXIT_INPUT

    summary = summarize(policy)
    comparison = (
        compare(policy, baseline[0], policy_name=name, baseline_name=baseline[1]) if baseline else None
    )
    if args.format == "json":
        doc = {"policy": name, "summary": summary.to_json()}
        if comparison is not None:
            doc["comparison"] = comparison.to_json()
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        sys.stdout.write(f"Policy: {name}\n\n")
        sys.stdout.write(summary.render_text(descriptions=args.descriptions))
        if comparison is not None:
            sys.stdout.write("\n" + comparison.render_text())
    if args.fail_on_beyond and comparison is not None and not comparison.is_subset:
        return EXIT_BEYOND
    return EXIT_OK


def load(spec: str, stdin: TextIO) -> tuple[Policy, str]:
    """The policy named by ``spec`` (file, ``-`` or managed policy) and a name for messages."""
    from xraybuilder.core.managed import managed_policies, managed_policy

    if spec == "-":
        return parse(stdin.read(), "<stdin>"), "<stdin>"
    path = Path(spec)
    if path.is_dir():
        raise InputError(f"{spec}: is a directory, not a policy file")
    if path.is_file():
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError as err:
            raise InputError(f"{spec}: not UTF-8 text (byte {err.start})") from None
        except OSError as err:
            raise InputError(f"{spec}: {err.strerror or err}") from None
        return parse(text, spec), spec
    managed = managed_policy(spec)
    if managed is not None:
        return managed.policy, managed.name
    known = ", ".join(managed_policies())
    raise InputError(f"{spec}: no such file, nor an AWS managed X-Ray policy ({known})")


def parse(text: str, origin: str) -> Policy:
    """Read and check a policy; errors carry ``origin:line:col``. Recoverable slips are warned about."""
    from xraybuilder.core.explain.grants import validate
    from xraybuilder.core.policy.model import Policy, PolicyShapeError
    from xraybuilder.core.policy.source import parse_json

    parsed = parse_json(text)
    for problem in parsed.problems:
        span = parsed.source_map.offset_span(problem.offset, problem.end)
        where = f"{origin}:{span.line}:{span.column}"
        if problem.fatal:
            raise InputError(f"{where}: {problem.message}")
        print(f"{where}: warning: {problem.message}", file=sys.stderr)
    try:
        policy = Policy.from_json(parsed.value)
        validate(policy)
    except PolicyShapeError as err:
        span = parsed.source_map.span(err.path, key=err.message.startswith("unknown"))
        raise InputError(f"{origin}:{span.line}:{span.column}: {err}") from None
    return policy
