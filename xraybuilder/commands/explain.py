"""``xraybuilder explain``: say in plain words what a policy grants, optionally against another."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xraybuilder.core.policy.model import Policy

EXIT_OK, EXIT_BEYOND, EXIT_INPUT = 0, 1, 2


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
    from xraybuilder.commands.console import error, hint_if_terminal, write
    from xraybuilder.core.explain import compare, summarize
    from xraybuilder.core.policy.load import PolicyLoadError

    if args.policy == "-" and args.compare == "-":
        error("explain", "only one of POLICY and BASELINE can be read from -")
        return EXIT_INPUT
    hint_if_terminal("explain", [args.policy, args.compare or ""])
    try:
        policy, name = load(args.policy)
        baseline = load(args.compare) if args.compare else None
    except PolicyLoadError as err:
        error("explain", str(err))
        return EXIT_INPUT
    if args.fail_on_beyond and baseline is None:
        error("explain", "--fail-on-beyond needs --compare BASELINE")
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
        text = f"Policy: {name}\n\n" + summary.render_text(descriptions=args.descriptions)
        if comparison is not None:
            text += "\n" + comparison.render_text()
        write(text)
    if args.fail_on_beyond and comparison is not None and not comparison.is_subset:
        return EXIT_BEYOND
    return EXIT_OK


def load(spec: str) -> tuple[Policy, str]:
    """The policy named by ``spec`` (file, ``-`` or managed policy) and a name for messages.

    Recoverable slips are warned about; PolicyLoadError says where anything else is wrong.
    """
    from xraybuilder.commands.console import warn
    from xraybuilder.core.explain.grants import validate
    from xraybuilder.core.policy.load import load_policy
    from xraybuilder.core.policy.model import PolicyShapeError

    loaded = load_policy(spec)
    warn(loaded.slips)
    try:
        validate(loaded.policy)
    except PolicyShapeError as err:
        raise loaded.error_at(err) from None
    return loaded.policy, loaded.name
