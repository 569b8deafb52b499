"""``xraybuilder simulate``: would these identity policies allow a request?

One request from the command line, or a batch from a TOML/JSON file whose entries each
carry an ``expect``ed outcome, so a policy can be guarded in CI.

Exit status: 0 when the decision was made (and, with ``--expect`` or ``--requests``,
every outcome was as expected), 1 when an outcome differed from the expectation, 2 when
the command line, a policy file or the requests file is wrong.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xraybuilder.core.evaluate import Decision, Request
    from xraybuilder.core.policy.model import Policy

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input; the message says where (file:line:col or entry) and what."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare simulate's options on its sub-parser."""
    from xraybuilder.core.evaluate.requests_file import EXPECTATIONS

    parser.add_argument(
        "policies",
        nargs="+",
        metavar="POLICY",
        help="policy JSON file (- reads standard input) or an AWS managed X-Ray policy name "
        "or ARN (AWSXRayDaemonWriteAccess); all are attached together",
    )
    parser.add_argument("--action", help="the action to test, e.g. xray:CreateGroup")
    parser.add_argument("--resource", default="*", help="the resource ARN (default: *)")
    parser.add_argument(
        "--region",
        help="the Region the request is sent to (aws:RequestedRegion); default: the Region of "
        "the resource ARN",
    )
    parser.add_argument(
        "--request-tag",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="request_tags",
        help="a tag passed in the request (repeatable)",
    )
    parser.add_argument(
        "--resource-tag",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="resource_tags",
        help="a tag on the resource (repeatable)",
    )
    parser.add_argument(
        "--principal-tag",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="principal_tags",
        help="a tag on the calling principal (repeatable)",
    )
    parser.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="any request context key, e.g. aws:SourceIp=203.0.113.7; repeat a key to give it several values",
    )
    parser.add_argument(
        "--expect",
        choices=EXPECTATIONS,
        help="exit 1 unless the outcome is this (denied = either kind of deny)",
    )
    parser.add_argument(
        "--requests", metavar="FILE", help="a TOML or JSON file of requests with expected outcomes"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")


def _pairs(items: Sequence[str], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise UsageError(f"{option} {item!r}: expected KEY=VALUE")
        out[key] = value
    return out


def _context(items: Sequence[str]) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for item in items:
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise UsageError(f"--context {item!r}: expected KEY=VALUE")
        previous = out.get(key)
        if previous is None:
            out[key] = value
        else:
            out[key] = (previous if isinstance(previous, list) else [previous]) + [value]
    return out


# -- running ---------------------------------------------------------------------------


def _single_request(args: argparse.Namespace) -> Request:
    from xraybuilder.core.evaluate import Request
    from xraybuilder.core.evaluate.request import check_context, with_requested_region

    try:
        request = Request.build(
            args.action,
            args.resource,
            request_tags=_pairs(args.request_tags, "--request-tag"),
            resource_tags=_pairs(args.resource_tags, "--resource-tag"),
            principal_tags=_pairs(args.principal_tags, "--principal-tag"),
            context=_context(args.context),
        )
        check_context(request)
    except ValueError as err:
        raise UsageError(str(err)) from None
    return with_requested_region(request, args.region)


def _headline(decision: Decision) -> str:
    return f"{decision.request.action} on {decision.request.resource} -> {decision.outcome}"


def _run_batch(args: argparse.Namespace, policies: list[tuple[str, Policy]]) -> int:
    from xraybuilder.commands.console import write
    from xraybuilder.core.evaluate import evaluate, render_text
    from xraybuilder.core.evaluate.requests_file import RequestsFileError, expectation_met, read_requests

    try:
        entries = read_requests(args.requests)
    except RequestsFileError as err:
        raise UsageError(str(err)) from None
    results = []
    for entry in entries:
        decision = evaluate(policies, entry.request)
        results.append((entry, decision, expectation_met(entry.expect, decision.outcome)))
    failed = sum(1 for _, _, ok in results if not ok)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "results": [
                        {
                            "index": i,
                            "name": entry.name,
                            "expect": entry.expect,
                            "outcome": decision.outcome,
                            "passed": ok,
                            "decision": decision.to_json(),
                        }
                        for i, (entry, decision, ok) in enumerate(results)
                    ],
                    "passed": len(results) - failed,
                    "failed": failed,
                },
                indent=2,
            )
        )
    else:
        lines = []
        for i, (entry, decision, ok) in enumerate(results):
            label = f"requests[{i}]" + (f" {entry.name}" if entry.name else "")
            mark = "PASS" if ok else "FAIL"
            lines.append(f"{mark}  {label}: {_headline(decision)} (expected {entry.expect})")
            if not ok:
                lines.append(render_text(decision, indent="      "))
        lines.append(f"{len(results)} requests: {len(results) - failed} passed, {failed} failed")
        write("\n".join(lines) + "\n")
    return EXIT_MISMATCH if failed else EXIT_OK


def _run_single(args: argparse.Namespace, policies: list[tuple[str, Policy]]) -> int:
    from xraybuilder.commands.console import write
    from xraybuilder.core.evaluate import evaluate, render_text
    from xraybuilder.core.evaluate.requests_file import expectation_met

    decision = evaluate(policies, _single_request(args))
    ok = args.expect is None or expectation_met(args.expect, decision.outcome)
    if args.format == "json":
        out = decision.to_json()
        if args.expect is not None:
            out["expect"], out["passed"] = args.expect, ok
        print(json.dumps(out, indent=2))
    else:
        text = render_text(decision) + "\n"
        if args.expect is not None:
            text += f"Expected: {args.expect} -> {'PASS' if ok else 'FAIL'}\n"
        write(text)
    return EXIT_OK if ok else EXIT_MISMATCH


def run(args: argparse.Namespace) -> int:
    """Run simulate; see the module docstring for exit statuses."""
    from xraybuilder.commands.console import error, hint_if_terminal
    from xraybuilder.core.policy.load import PolicyLoadError

    try:
        if args.requests and args.action:
            raise UsageError("give either --action (one request) or --requests FILE, not both")
        if not args.requests and not args.action:
            raise UsageError("give --action (one request) or --requests FILE (a batch)")
        if args.requests and (
            args.expect
            or args.request_tags
            or args.resource_tags
            or args.principal_tags
            or args.context
            or args.resource != "*"
            or args.region
        ):
            raise UsageError(
                "with --requests, each request's resource, region, tags, context and expect "
                "come from the file"
            )
        if args.policies.count("-") > 1:
            raise UsageError("standard input (-) can be read only once")
        hint_if_terminal("simulate", [*args.policies, args.requests or ""])
        policies = [load_policy(arg) for arg in args.policies]
        if args.requests:
            return _run_batch(args, policies)
        return _run_single(args, policies)
    except (UsageError, PolicyLoadError) as err:
        error("simulate", str(err))
        return EXIT_USAGE


def load_policy(spec: str) -> tuple[str, Policy]:
    """A policy file (or stdin, or a managed policy name/ARN) as a (name, Policy) pair.

    Recoverable slips are warned about; PolicyLoadError says where anything else is wrong.
    """
    from xraybuilder.commands.console import warn
    from xraybuilder.core.policy.load import load_policy as load

    loaded = load(spec)
    warn(loaded.slips)
    return loaded.name, loaded.policy
