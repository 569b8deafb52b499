"""What every command prints the same way: errors, warnings, text and the standard-input hint.

Text that may hold a policy's strings goes through :func:`xraybuilder.core.printable.printable`
here, so no command writes a policy's control characters to the terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from xraybuilder.core.printable import printable

if TYPE_CHECKING:
    from xraybuilder.core.policy.load import Slip


def error(command: str, message: str) -> None:
    """``xraybuilder COMMAND: error: MESSAGE`` on standard error."""
    print(f"xraybuilder {command}: error: {printable(message)}", file=sys.stderr)


def warn(slips: Iterable[Slip]) -> None:
    """Each recoverable slip, compiler style (``file:line:col: warning: message``)."""
    for slip in slips:
        print(printable(str(slip)), file=sys.stderr)


def write(text: str) -> None:
    """Text output (already ending with a newline when it should) on standard output."""
    sys.stdout.write(printable(text))
    sys.stdout.flush()


def hint_if_terminal(command: str, specs: Iterable[str]) -> None:
    """Say that ``-`` reads standard input, when it is a terminal that would wait silently."""
    if "-" not in specs:
        return
    isatty = getattr(sys.stdin, "isatty", None)
    if isatty is not None and isatty():
        print(
            f"xraybuilder {command}: reading a policy from standard input (end it with ctrl+d)",
            file=sys.stderr,
        )
