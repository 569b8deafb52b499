"""``xraybuilder wizard``: the builder's questions one line at a time.

Also decides when ``xraybuilder`` alone cannot start the full-screen builder and
falls back to the wizard (``TERM=dumb``, or standard input or output not a terminal).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import argparse

DUMB_TERMINALS = ("dumb", "unknown")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the wizard's one option; its answers come from the keyboard or standard input."""
    parser.add_argument(
        "--lines",
        action="store_true",
        help="plain lines even on a capable terminal: no completion menu, no toolbar, nothing redrawn "
        "(for screen readers)",
    )
    parser.epilog = (
        "Answers can be piped, one per line; an empty line or the end of input keeps the default, "
        "e.g. printf 'lambda\\n123456789012\\neu-west-1\\n' | xraybuilder wizard"
    )


def fallback_reason(
    *, plain: bool = False, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> str | None:
    """Why the full-screen builder cannot run here (then the wizard runs), or None."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if plain:
        return "--plain: starting the line-mode wizard"
    term = os.environ.get("TERM", "")
    if term.lower() in DUMB_TERMINALS:
        return f"TERM={term} cannot show the full-screen builder: starting the line-mode wizard"
    if not _isatty(stdin):
        return "standard input is not a terminal: starting the line-mode wizard"
    if not _isatty(stdout):
        return "standard output is not a terminal: starting the line-mode wizard"
    return None


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except ValueError:  # a closed stream
        return False


def run(args: argparse.Namespace) -> int:
    """Run the wizard on this process's standard streams."""
    from xraybuilder.wizard import run_wizard

    return run_wizard(lines=getattr(args, "lines", False))
