"""Wildcard matching of actions, resource ARNs and ARN condition values.

How IAM treats wildcards, and the model used here:

* **Action / NotAction**: ``service:Action`` compared case-insensitively; ``*`` matches
  any run of characters and ``?`` exactly one, anywhere in the string.
* **Resource / NotResource**: case-sensitive. A pattern that is not an ARN (``*``) is a
  plain wildcard pattern over the whole string, so ``*`` matches every resource,
  including the ``*`` that stands for "no specific resource". An ARN pattern is matched
  segment by segment: the first five colon-separated parts (``arn``, partition,
  service, Region, account) each on their own, where ``*`` and ``?`` never cross a
  colon, and everything after the fifth colon as one part, where they may. IAM's User
  Guide adds that a ``*`` that is the last character of a segment "can expand to match
  beyond the colon boundaries"; we apply that to a pattern that stops before the sixth
  part (``arn:aws:xray:*`` matches every X-Ray ARN) and keep a full six-part pattern
  strictly per segment, so ``arn:aws:xray:*:123456789012:group/*`` never matches an
  ARN of another account.
* **ArnEquals / ArnLike** (identical): "each of the six colon-delimited components of
  the ARN is checked separately", case-sensitive; a pattern with fewer than six parts
  matches no ARN. A value that is not an ARN (``*``) is a plain wildcard pattern.
"""

from __future__ import annotations

import re
from functools import lru_cache

from xraybuilder.core.evaluate.variables import STAR, Resolved, Wildcard

ARN_SEGMENTS = 6


@lru_cache(maxsize=4096)
def action_regex(pattern: str) -> re.Pattern[str]:
    """The case-insensitive regex for an Action/NotAction entry."""
    return re.compile(_glob(pattern), re.IGNORECASE | re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """Does the Action entry ``pattern`` cover ``action``?"""
    return action_regex(pattern).fullmatch(action) is not None


def _glob(pattern: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


@lru_cache(maxsize=8192)
def glob_regex(resolved: Resolved, ignore_case: bool = False) -> re.Pattern[str]:
    """A regex for a resolved template where ``*``/``?`` match anything, colons included."""
    parts = [re.escape(p) if isinstance(p, str) else ".*" if p is STAR else "." for p in resolved]
    return re.compile("".join(parts), (re.IGNORECASE if ignore_case else 0) | re.DOTALL)


@lru_cache(maxsize=8192)
def arn_regex(resolved: Resolved, expand_trailing: bool) -> re.Pattern[str]:
    """A regex matching an ARN segment by segment (see the module docstring)."""
    out: list[str] = []
    colons = 0
    last = len(resolved) - 1
    for i, piece in enumerate(resolved):
        if isinstance(piece, str):
            out.append(re.escape(piece))
            colons += piece.count(":")
            continue
        in_resource_part = colons >= ARN_SEGMENTS - 1
        if piece is STAR:
            spans = in_resource_part or (expand_trailing and i == last)
            out.append(".*" if spans else "[^:]*")
        else:
            out.append("." if in_resource_part else "[^:]")
    return re.compile("".join(out), re.DOTALL)


def is_arn_pattern(resolved: Resolved) -> bool:
    """True when the pattern starts with ``arn:`` (as literal text)."""
    return bool(resolved) and isinstance(resolved[0], str) and resolved[0].startswith("arn:")


def resource_matches(resolved: Resolved, resource: str) -> bool:
    """Does a resolved Resource/NotResource entry match the request's resource?"""
    if is_arn_pattern(resolved):
        return arn_regex(resolved, True).fullmatch(resource) is not None
    return glob_regex(resolved).fullmatch(resource) is not None


def arn_like(resolved: Resolved, value: str) -> bool:
    """ArnLike/ArnEquals: six components checked one by one."""
    if is_arn_pattern(resolved):
        if value.count(":") < ARN_SEGMENTS - 1:
            return False
        return arn_regex(resolved, False).fullmatch(value) is not None
    return glob_regex(resolved).fullmatch(value) is not None


def split_arn(arn: str) -> tuple[str, ...] | None:
    """``arn:partition:service:region:account:resource`` into its six parts, or None."""
    parts = arn.split(":", ARN_SEGMENTS - 1)
    if len(parts) != ARN_SEGMENTS or parts[0] != "arn":
        return None
    return tuple(parts)


def has_wildcard(resolved: Resolved) -> bool:
    """True when a resolved template holds a live ``*`` or ``?``."""
    return any(isinstance(p, Wildcard) for p in resolved)
