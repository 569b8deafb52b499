"""Text from a policy made safe to show: control characters and lone surrogates escaped.

A policy's strings can hold anything JSON can escape: ``"\\u001b]0;title\\u0007"`` would
retitle a terminal window, ``"\\u001b[2J"`` clear the screen, and a lone surrogate
(``"\\ud800"``) cannot be encoded at all, so writing it raises. Every text output runs
what came from a policy through :func:`printable`, and every JSON output through
:func:`json_safe`.
"""

from __future__ import annotations

import re
from functools import lru_cache

# C0 controls but tab and line feed, DEL, C1 controls, and surrogates (only lone ones
# can exist in a str). Line feeds are structure in multi-line output; see keep_newlines.
# The patterns are compiled on first need: the surrogate range makes them cost about
# 3 ms, and most text needs none of them (start-up time of every command).
_UNSAFE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]"
_UNSAFE_IN_LINE = "[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]"
_SURROGATE = "[\ud800-\udfff]"


@lru_cache(maxsize=4)
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every control character and lone surrogate written as an escape.

    ESC becomes ``\\x1b`` and U+D800 ``\\ud800``; tabs stay, and line feeds stay unless
    ``keep_newlines`` is false (for one-line output such as a finding).
    """
    if text.isprintable():  # every character this escapes is unprintable
        return text
    return _pattern(_UNSAFE if keep_newlines else _UNSAFE_IN_LINE).sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) that can be encoded as UTF-8.

    A lone surrogate can only stand inside a JSON string, where ``\\udXXX`` is a valid
    escape for the same character, so the document keeps its meaning.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _pattern(_SURROGATE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text
