"""``xraybuilder lint``: check policy files and report findings like a compiler.

Exit status: 0 when nothing reaches ``--fail-on``, 1 when a finding does, 2 when a file
cannot be read or checked (or the command line is wrong).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xraybuilder.core.lint.output import FileResult

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

FORMATS = ("text", "json", "sarif")
TARGETS = ("managed", "user", "group", "role")
KINDS = ("auto", "identity", "trust", "resource", "key-policy")
SEVERITIES = ("error", "security_warning", "warning", "suggestion")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare lint's options on its sub-parser."""
    parser.add_argument("files", nargs="*", metavar="FILE", help="policy JSON files; - reads standard input")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default, compiler style), json (one document) or sarif (SARIF 2.1.0)",
    )
    parser.add_argument(
        "--target",
        choices=TARGETS,
        default="managed",
        help="where the policy will be attached; sets the size quota (default: managed)",
    )
    parser.add_argument(
        "--kind",
        choices=KINDS,
        default="auto",
        help="the policy's kind, which decides its rules: identity, trust (a role's trust policy), "
        "resource or key-policy (KMS); default: auto, from the document's shape, else identity",
    )
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default="error",
        dest="fail_on",
        help="exit 1 when a finding is at or above this severity (default: error)",
    )
    parser.add_argument(
        "--list-codes",
        action="store_true",
        dest="list_codes",
        help="print every finding code with its default severity, family and title, and exit",
    )
    # FILE is optional only for --list-codes; run() reports it missing as argparse would.
    parser.set_defaults(lint_parser=parser)


def use_color(stream: object) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set or TERM is dumb."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def lint_files(names: list[str], target: str, kind: str = "auto") -> list[FileResult]:
    """Lint every file; unreadable ones come back with ``error`` set, non-policies ``skipped``."""
    from xraybuilder.core.lint import lint_as
    from xraybuilder.core.lint.output import STDIN_NAME, FileResult

    results = []
    from xraybuilder.commands.console import hint_if_terminal
    from xraybuilder.core.policy.load import PolicyLoadError, read_text

    for name in names:
        shown = STDIN_NAME if name == "-" else name
        hint_if_terminal("lint", [name])
        try:
            text = read_text(name).text
        except PolicyLoadError as err:
            results.append(FileResult(shown, error=err.detail))
            continue
        try:
            found_kind, findings = lint_as(text, target=target, kind=kind)  # type: ignore[arg-type]
        except Exception as err:  # a checker bug must not cost the other files' report
            results.append(
                FileResult(
                    shown,
                    error=f"internal error while checking ({type(err).__name__}: {err}); please report it",
                )
            )
            continue
        if found_kind is None:
            why = "not a policy (a JSON object without Version or Statement); use --kind to lint it anyway"
            results.append(FileResult(shown, skipped=why))
            continue
        results.append(FileResult(shown, tuple(findings), kind=found_kind))
    return results


def run(args: argparse.Namespace) -> int:
    """Lint the files, print the report and return the exit status."""
    from xraybuilder import __version__
    from xraybuilder.commands.console import error
    from xraybuilder.core.lint import Severity
    from xraybuilder.core.lint.output import fails, render_json, render_sarif, render_text

    if args.list_codes:
        from xraybuilder.core.lint import codes

        sys.stdout.write(codes.render_json() if args.format == "json" else codes.render_text())
        return EXIT_CLEAN
    if not args.files:
        args.lint_parser.error("the following arguments are required: FILE")
    if args.files.count("-") > 1:
        error("lint", "'-' (standard input) can be given only once")
        return EXIT_USAGE
    results = lint_files(args.files, args.target, args.kind)
    for r in results:
        if r.error is not None:
            error("lint", f"{r.name}: {r.error}")
    if args.format == "json":
        out = render_json(results)
    elif args.format == "sarif":
        out = render_sarif(results, tool_version=__version__)
    else:
        out = render_text(results, color=use_color(sys.stdout))
    sys.stdout.write(out)
    sys.stdout.flush()
    if any(r.error is not None for r in results):
        return EXIT_USAGE
    return EXIT_FINDINGS if fails(results, Severity(args.fail_on)) else EXIT_CLEAN
