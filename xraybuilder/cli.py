"""Command-line entry point.

Each subcommand lives in ``xraybuilder.commands.<name>`` with ``add_arguments(parser)``
and ``run(args) -> int``. Only the chosen subcommand's module is imported, and only
``xraybuilder`` with no subcommand (or ``tui``) imports Textual: start-up time is a feature.
"""

from __future__ import annotations

import importlib
import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

from xraybuilder import __version__

# name -> one-line help; the module xraybuilder.commands.<name> implements it.
SUBCOMMANDS = {
    "lint": "check policy files and report findings like a compiler",
    "actions": "list the X-Ray actions the catalog knows",
    "simulate": "decide whether policies allow a request",
    "explain": "summarise in plain language what a policy grants",
    "new": "build a scenario's policies without the TUI",
    "presets": "list or show the scenario presets",
    "profile": "add access keys to ~/.aws as a named profile",
    "tui": "start the full-screen builder (the default)",
    "wizard": "answer the builder's questions one line at a time (screen readers, scripts)",
}
EXIT_USAGE = 2


def _module_name(name: str) -> str:
    return f"xraybuilder.commands.{name}"


def build_parser(chosen: str | None) -> argparse.ArgumentParser:
    """The full parser; only ``chosen``'s module is imported to add its arguments."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="xraybuilder",
        description="Build least-privilege AWS IAM policies for AWS X-Ray.",
    )
    parser.add_argument("--version", action="version", version=f"xraybuilder {__version__}")
    parser.add_argument(
        "--plain", action="store_true", help="start the line-mode wizard instead of the full-screen builder"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            importlib.import_module(_module_name(name)).add_arguments(sp)
    return parser


# How the builder is usually started: these go to it without building the parser
# (argparse is a good part of what the command line costs before the first frame).
# Each maps to what the parser would give (a test checks it does).
_TUI_DEFAULTS = {"plain": False, "command": "tui", "policy_file": None, "preset": None, "no_resume": False}
PLAIN_STARTS: dict[tuple[str, ...], dict[str, object]] = {
    (): {"plain": False, "command": None},
    ("tui",): _TUI_DEFAULTS,
    ("tui", "--no-resume"): {**_TUI_DEFAULTS, "no_resume": True},
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args: argparse.Namespace | SimpleNamespace
    if tuple(argv) in PLAIN_STARTS:
        known = PLAIN_STARTS[tuple(argv)]
        args = SimpleNamespace(**known, **({"param": []} if known["command"] == "tui" else {}))
    else:
        chosen = next((a for a in argv if not a.startswith("-")), None)
        args = build_parser(chosen).parse_args(argv)
    command = args.command or "tui"
    module = importlib.import_module(_module_name(command))
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
