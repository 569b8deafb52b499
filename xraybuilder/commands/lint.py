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
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare lint's options on its sub-parser."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="policy JSON files; - reads standard input")
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


class ReadError(Exception):
    """A file that cannot be linted; the message says where and why."""


def decode(data: bytes) -> str:
    """Policy text from raw bytes; ReadError names the line and column of bad UTF-8."""
    if data.startswith(_UTF16_BOMS):
        raise ReadError("the file is UTF-16 encoded; IAM policies must be UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        byte = data[err.start]
        raise ReadError(
            f"line {line}, column {column}: byte 0x{byte:02x} is not valid UTF-8; save the file as UTF-8"
        ) from None


def read_source(name: str) -> str:
    """The text of ``name`` (``-`` is standard input); ReadError when it cannot be read."""
    if name == "-":
        return decode(sys.stdin.buffer.read())
    try:
        with open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except IsADirectoryError:
        raise ReadError("is a directory, not a policy file") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as err:
        raise ReadError(err.strerror or str(err)) from None
    return decode(data)


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
    for name in names:
        shown = STDIN_NAME if name == "-" else name
        try:
            text = read_source(name)
        except ReadError as err:
            results.append(FileResult(shown, error=str(err)))
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
    from xraybuilder.core.lint import Severity
    from xraybuilder.core.lint.output import fails, render_json, render_sarif, render_text

    if args.files.count("-") > 1:
        print("xraybuilder lint: error: '-' (standard input) can be given only once", file=sys.stderr)
        return EXIT_USAGE
    results = lint_files(args.files, args.target, args.kind)
    for r in results:
        if r.error is not None:
            print(f"xraybuilder lint: error: {r.name}: {r.error}", file=sys.stderr)
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
