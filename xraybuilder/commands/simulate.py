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
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xraybuilder.core.evaluate import Decision, Request
    from xraybuilder.core.policy.model import Policy

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_USAGE = 2

EXPECTATIONS = ("allowed", "denied", "explicit_deny", "implicit_deny")
ENTRY_FIELDS = (
    "name",
    "action",
    "resource",
    "request_tags",
    "resource_tags",
    "principal_tags",
    "context",
    "expect",
)


class UsageError(Exception):
    """Bad input; the message says where (file:line:col or entry) and what."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare simulate's options on its sub-parser."""
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


def expectation_met(expect: str, outcome: str) -> bool:
    """Does ``outcome`` satisfy ``expect`` (``denied`` accepts either kind of deny)?"""
    if expect == "denied":
        return outcome != "allowed"
    return expect == outcome


# -- reading ---------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise UsageError(f"{name}:{line}:{column}: not valid UTF-8; save the file as UTF-8") from None


def _read(name: str) -> str:
    if name == "-":
        return _decode(sys.stdin.buffer.read(), "<stdin>")
    try:
        with open(name, "rb") as handle:
            return _decode(handle.read(), name)
    except IsADirectoryError:
        raise UsageError(f"{name}: is a directory, not a file") from None
    except OSError as err:
        raise UsageError(f"{name}: {err.strerror or err}") from None


def load_policy(arg: str) -> tuple[str, Policy]:
    """A policy file (or stdin, or a managed policy name/ARN) as a (name, Policy) pair."""
    from xraybuilder.core.managed import managed_policies, managed_policy
    from xraybuilder.core.policy.model import Policy, PolicyShapeError, format_path
    from xraybuilder.core.policy.source import parse_json

    if arg != "-" and not os.path.exists(arg):
        managed = managed_policy(arg)
        if managed is not None:
            return managed.name, managed.policy
        known = ", ".join(sorted(managed_policies()))
        raise UsageError(f"{arg}: no such file, and not an AWS managed X-Ray policy ({known})")
    name = "<stdin>" if arg == "-" else arg
    text = _read(arg)
    parsed = parse_json(text)
    if parsed.problems:
        # IAM accepts strict JSON only, so even recoverable slips (comments) are errors here.
        problem = next((p for p in parsed.problems if p.fatal), parsed.problems[0])
        span = parsed.source_map.offset_span(problem.offset, problem.end)
        raise UsageError(f"{name}:{span.line}:{span.column}: {problem.message}")
    try:
        return name, Policy.from_json(parsed.value)
    except PolicyShapeError as err:
        # An unknown element is best shown at its key; other problems at the value.
        span = parsed.source_map.span(err.path, key=err.message.startswith("unknown"))
        where = f"{format_path(err.path)}: " if err.path else ""
        raise UsageError(f"{name}:{span.line}:{span.column}: {where}{err.message}") from None


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


@dataclass
class Entry:
    """One request of a batch, with where it came from."""

    where: str
    name: str | None
    request: Request
    expect: str


def _string_map(value: Any, where: str, field: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise UsageError(f'{where}: {field} must be a table of KEY = "value"')
    for key, item in value.items():
        if not isinstance(item, str):
            raise UsageError(f"{where}: {field}.{key} must be a string, got {item!r}")
    return dict(value)


def _entry(raw: Any, where: str) -> Entry:
    from xraybuilder.core.evaluate import Request

    if not isinstance(raw, Mapping):
        raise UsageError(f"{where}: each request must be a table/object")
    name = raw.get("name")
    if name is not None and not isinstance(name, str):
        raise UsageError(f"{where}: name must be a string")
    if name:
        where = f"{where} ({name})"
    unknown = [k for k in raw if k not in ENTRY_FIELDS]
    if unknown:
        raise UsageError(f"{where}: unknown field {unknown[0]!r}; the fields are {', '.join(ENTRY_FIELDS)}")
    action = raw.get("action")
    if not isinstance(action, str):
        raise UsageError(f"{where}: action is missing or not a string")
    resource = raw.get("resource", "*")
    if not isinstance(resource, str):
        raise UsageError(f"{where}: resource must be a string")
    expect = raw.get("expect")
    if expect not in EXPECTATIONS:
        raise UsageError(f"{where}: expect must be one of {', '.join(EXPECTATIONS)}, got {expect!r}")
    context = raw.get("context", {})
    if not isinstance(context, Mapping):
        raise UsageError(f"{where}: context must be a table of KEY = value")
    try:
        request = Request.build(
            action,
            resource,
            request_tags=_string_map(raw.get("request_tags", {}), where, "request_tags"),
            resource_tags=_string_map(raw.get("resource_tags", {}), where, "resource_tags"),
            principal_tags=_string_map(raw.get("principal_tags", {}), where, "principal_tags"),
            context=context,
        )
    except ValueError as err:
        raise UsageError(f"{where}: {err}") from None
    return Entry(where, name, request, str(expect))


def load_requests(path: str) -> list[Entry]:
    """The entries of a requests file; UsageError names the entry and the problem."""
    import tomllib

    from xraybuilder.core.policy.source import parse_json

    text = _read(path)
    is_json = path.endswith(".json") or (not path.endswith(".toml") and text.lstrip().startswith(("[", "{")))
    locate: Callable[[tuple[str | int, ...]], str] = lambda _path: path  # noqa: E731
    if is_json:
        parsed = parse_json(text)
        if parsed.problems:
            problem = next((p for p in parsed.problems if p.fatal), parsed.problems[0])
            span = parsed.source_map.offset_span(problem.offset, problem.end)
            raise UsageError(f"{path}:{span.line}:{span.column}: {problem.message}")
        doc: Any = parsed.value

        def locate(json_path: tuple[str | int, ...]) -> str:
            span = parsed.source_map.span(json_path)
            return f"{path}:{span.line}:{span.column}"
    else:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise UsageError(f"{path}: not valid TOML: {err}") from None
    prefix: tuple[str | int, ...] = ()
    if isinstance(doc, Mapping):
        extra = [k for k in doc if k != "requests"]
        if extra or "requests" not in doc:
            raise UsageError(
                f'{locate(())}: expected a list of requests under "requests" ([[requests]] tables in TOML)'
            )
        doc, prefix = doc["requests"], ("requests",)
    if not isinstance(doc, list) or not doc:
        raise UsageError(f'{locate(prefix)}: "requests" must be a non-empty list of requests')
    return [_entry(raw, f"{locate(prefix + (i,))}: requests[{i}]") for i, raw in enumerate(doc)]


# -- running ---------------------------------------------------------------------------


def _single_request(args: argparse.Namespace) -> Request:
    from xraybuilder.core.evaluate import Request

    try:
        return Request.build(
            args.action,
            args.resource,
            request_tags=_pairs(args.request_tags, "--request-tag"),
            resource_tags=_pairs(args.resource_tags, "--resource-tag"),
            principal_tags=_pairs(args.principal_tags, "--principal-tag"),
            context=_context(args.context),
        )
    except ValueError as err:
        raise UsageError(str(err)) from None


def _headline(decision: Decision) -> str:
    return f"{decision.request.action} on {decision.request.resource} -> {decision.outcome}"


def _run_batch(args: argparse.Namespace, policies: list[tuple[str, Policy]]) -> int:
    from xraybuilder.core.evaluate import evaluate, render_text

    entries = load_requests(args.requests)
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
        for i, (entry, decision, ok) in enumerate(results):
            label = f"requests[{i}]" + (f" {entry.name}" if entry.name else "")
            mark = "PASS" if ok else "FAIL"
            print(f"{mark}  {label}: {_headline(decision)} (expected {entry.expect})")
            if not ok:
                print(render_text(decision, indent="      "))
        print(f"{len(results)} requests: {len(results) - failed} passed, {failed} failed")
    return EXIT_MISMATCH if failed else EXIT_OK


def _run_single(args: argparse.Namespace, policies: list[tuple[str, Policy]]) -> int:
    from xraybuilder.core.evaluate import evaluate, render_text

    decision = evaluate(policies, _single_request(args))
    ok = args.expect is None or expectation_met(args.expect, decision.outcome)
    if args.format == "json":
        out = decision.to_json()
        if args.expect is not None:
            out["expect"], out["passed"] = args.expect, ok
        print(json.dumps(out, indent=2))
    else:
        print(render_text(decision))
        if args.expect is not None:
            print(f"Expected: {args.expect} -> {'PASS' if ok else 'FAIL'}")
    return EXIT_OK if ok else EXIT_MISMATCH


def run(args: argparse.Namespace) -> int:
    """Run simulate; see the module docstring for exit statuses."""
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
        ):
            raise UsageError(
                "with --requests, each request's resource, tags, context and expect come from the file"
            )
        if args.policies.count("-") > 1:
            raise UsageError("standard input (-) can be read only once")
        policies = [load_policy(arg) for arg in args.policies]
        if args.requests:
            return _run_batch(args, policies)
        return _run_single(args, policies)
    except UsageError as err:
        print(f"xraybuilder simulate: error: {err}", file=sys.stderr)
        return EXIT_USAGE
