"""IAM wildcard patterns: the one place that says what ``*`` and ``?`` mean.

IAM knows two wildcards: ``*`` matches any run of characters (none included) and ``?``
exactly one. Every other character is literal: IAM has no character classes, so
``xray:Get[G]roup`` names an action spelt with brackets, which no service has. Action
names compare case-insensitively; ARNs and condition values case-sensitively.

In an ARN pattern the first five colon-separated parts (``arn``, partition, service,
Region, account) are matched each on its own, so a wildcard there never crosses a
colon; everything after the fifth colon is one part. IAM's User Guide adds that a
``*`` that ends a pattern stopping before the sixth part "can expand to match beyond
the colon boundaries" (``arn:aws:xray:*`` matches every X-Ray ARN).

Coverage (does every string one pattern matches also match another?) is decided on
the patterns themselves, so the answer stays right when AWS adds actions. Policy
variables stand for text nobody knows in advance: :func:`with_placeholders` turns each
into one character of a private-use plane that only ``*`` (or the same variable) covers.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

ARN_PARTS = 6


@dataclass(frozen=True, slots=True, eq=False)
class Wildcard:
    """A live ``*`` (any run of characters) or ``?`` (exactly one character).

    There are two, :data:`STAR` and :data:`QMARK`, compared by identity.
    """

    char: str


STAR = Wildcard("*")
QMARK = Wildcard("?")

Pieces = tuple[str | Wildcard, ...]
"""A pattern read into literal text and live wildcards (a ``*`` inside text is literal)."""


def has_wildcard(text: str) -> bool:
    """Whether the text holds ``*`` or ``?``."""
    return "*" in text or "?" in text


@lru_cache(maxsize=8192)
def pieces(pattern: str) -> Pieces:
    """``xray:Get*`` -> ``("xray:Get", STAR)``: every ``*`` and ``?`` live, the rest literal."""
    out: list[str | Wildcard] = []
    for text in re.split(r"([*?])", pattern):
        if text == "*":
            out.append(STAR)
        elif text == "?":
            out.append(QMARK)
        elif text:
            out.append(text)
    return tuple(out)


@lru_cache(maxsize=8192)
def compile_pieces(
    parts: Pieces, *, ignore_case: bool = False, arn: bool = False, expand_trailing: bool = False
) -> re.Pattern[str]:
    """The regex (use ``fullmatch``) for a pattern read into pieces.

    ``arn=True`` matches part by part: a wildcard in the first five colon-separated
    parts never crosses a colon, except (``expand_trailing``) a final ``*``.
    """
    out: list[str] = []
    colons = 0
    last = len(parts) - 1
    for i, piece in enumerate(parts):
        if isinstance(piece, str):
            out.append(re.escape(piece))
            colons += piece.count(":")
            continue
        spans = not arn or colons >= ARN_PARTS - 1
        if piece is STAR:
            out.append(".*" if spans or (expand_trailing and i == last) else "[^:]*")
        else:
            out.append("." if spans else "[^:]")
    return re.compile("".join(out), (re.IGNORECASE if ignore_case else 0) | re.DOTALL)


def compile(pattern: str, *, ignore_case: bool = False) -> re.Pattern[str]:
    """The regex (use ``fullmatch``) for a plain ``*``/``?`` pattern."""
    return compile_pieces(pieces(pattern), ignore_case=ignore_case)


def matches(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """Whether ``pattern`` matches all of ``text``."""
    if not ignore_case and not has_wildcard(pattern):
        return pattern == text
    return compile(pattern, ignore_case=ignore_case).fullmatch(text) is not None


def action_matches(pattern: str, action: str) -> bool:
    """Whether an Action entry (``xray:Get*``) covers ``service:Action``, ignoring case."""
    return matches(pattern, action, ignore_case=True)


def select(pattern: str, names: Iterable[str], *, ignore_case: bool = False) -> tuple[str, ...]:
    """The names ``pattern`` matches, in the order given."""
    rx = compile(pattern, ignore_case=ignore_case)
    return tuple(n for n in names if rx.fullmatch(n))


# -- coverage between patterns --------------------------------------------------------

_VARIABLE = re.compile(r"\$\{[^}]*\}")
_PLACEHOLDER_BASE = 0xF0000
_PLACEHOLDER_LIMIT = 0xFFFFD - _PLACEHOLDER_BASE
_WILD = re.compile("[*?]")
_WILD_OR_VARIABLE = re.compile("[*?\U000f0000-\U000ffffd]")
# One character per variable text, the same in every statement and every call, so
# patterns can be compared with each other and cached answers stay valid. Written
# under a lock: shells check policies from worker threads.
_placeholders: dict[str, str] = {}
_placeholders_lock = threading.Lock()


def is_placeholder(char: str) -> bool:
    """Whether the character stands for a policy variable (see :func:`with_placeholders`)."""
    return _PLACEHOLDER_BASE <= ord(char) <= _PLACEHOLDER_BASE + _PLACEHOLDER_LIMIT


def _placeholder(match: re.Match[str]) -> str:
    variable = match.group(0)
    found = _placeholders.get(variable)
    if found is not None:
        return found
    with _placeholders_lock:
        found = _placeholders.get(variable)
        if found is None:
            if len(_placeholders) > _PLACEHOLDER_LIMIT:
                # Unreachable in practice; refusing keeps every mapping one-to-one and
                # every cached answer right.
                raise ValueError("too many distinct policy variables in one process")
            found = _placeholders[variable] = chr(_PLACEHOLDER_BASE + len(_placeholders))
    return found


def with_placeholders(texts: Iterable[str]) -> list[str]:
    """The texts with each distinct policy variable replaced by its own placeholder character."""
    return [_VARIABLE.sub(_placeholder, t) if "${" in t else t for t in texts]


def has_wildcard_or_placeholder(text: str) -> bool:
    """Whether the text holds ``*``, ``?`` or a variable placeholder."""
    return _WILD_OR_VARIABLE.search(text) is not None


def literal_prefix(text: str) -> str | None:
    """The text before its first wildcard or placeholder; None when it holds neither."""
    match = _WILD_OR_VARIABLE.search(text)
    return text[: match.start()] if match is not None else None


@lru_cache(maxsize=4096)
def _pattern_regex(pattern: str) -> re.Pattern[str]:
    # "?" stands for exactly one character, which a variable's value need not be.
    body = "".join(
        ".*" if c == "*" else "[^\U000f0000-\U000ffffd]" if c == "?" else re.escape(c) for c in pattern
    )
    return re.compile(body, re.DOTALL)


@lru_cache(maxsize=16384)
def covers(general: str, specific: str) -> bool:
    """Whether every string the pattern ``specific`` matches is matched by ``general``.

    Both are ``*``/``?`` patterns compared as given (lower them first to ignore case).
    The answer is exact for ordinary patterns and errs towards False otherwise.
    """
    if general == specific or general == "*":
        return True
    if _WILD.search(general) is None:
        return False
    if not has_wildcard_or_placeholder(specific):
        return _pattern_regex(general).fullmatch(specific) is not None
    return _covers_pattern(general, specific)


def _covers_pattern(general: str, specific: str) -> bool:
    # Walk both patterns: a literal of ``general`` must meet the same literal, its "?"
    # one character of ``specific`` that is not a wildcard or a variable, its "*" any run.
    g_len, s_len = len(general), len(specific)
    # reach[j]: general[:i] covers specific[:j]
    reach = [True] + [False] * s_len
    for i in range(g_len):
        char = general[i]
        nxt = [False] * (s_len + 1)
        if char == "*":
            running = False
            for j in range(s_len + 1):
                running = running or reach[j]
                nxt[j] = running
        else:
            for j in range(s_len):
                if not reach[j]:
                    continue
                other = specific[j]
                if char == "?":
                    ok = other != "*" and not is_placeholder(other)
                else:
                    ok = other == char
                if ok:
                    nxt[j + 1] = True
        reach = nxt
        if not any(reach):
            return False
    return reach[s_len]


def arn_fields(text: str) -> tuple[str, ...] | None:
    """The six fields of an ARN pattern (the last keeps its colons), or None if it has fewer."""
    fields = tuple(text.split(":", ARN_PARTS - 1))
    return fields if len(fields) == ARN_PARTS else None


@lru_cache(maxsize=16384)
def arn_covers(general: str, specific: str) -> bool:
    """Whether the resource pattern ``general`` matches every ARN ``specific`` matches (case-sensitive)."""
    if general == specific or general == "*":
        return True
    g_fields, s_fields = arn_fields(general), arn_fields(specific)
    if g_fields is None or s_fields is None:
        return False
    return all(covers(g, s) for g, s in zip(g_fields, s_fields, strict=True))
