"""Notes and explanations as ``#`` comment lines, wrapped the same way in every format."""

from __future__ import annotations

import textwrap

WIDTH = 100


def comment(text: str, indent: str = "", width: int = WIDTH) -> list[str]:
    """``text`` as ``# …`` lines; continuation lines are indented so a list item stays visible."""
    return textwrap.wrap(
        text,
        width,
        initial_indent=f"{indent}# ",
        subsequent_indent=f"{indent}#   " if text.startswith("- ") else f"{indent}# ",
        break_on_hyphens=False,
        break_long_words=False,
    ) or [f"{indent}#"]
