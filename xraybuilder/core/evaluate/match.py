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

from xraybuilder.core.evaluate.variables import Resolved
from xraybuilder.core.patterns import ARN_PARTS as ARN_SEGMENTS
from xraybuilder.core.patterns import action_matches, compile_pieces

__all__ = ["action_matches", "arn_like", "like", "resource_matches", "split_arn"]


def is_arn_pattern(resolved: Resolved) -> bool:
    """True when the pattern starts with ``arn:`` (as literal text)."""
    return bool(resolved) and isinstance(resolved[0], str) and resolved[0].startswith("arn:")


def resource_matches(resolved: Resolved, resource: str) -> bool:
    """Does a resolved Resource/NotResource entry match the request's resource?"""
    if is_arn_pattern(resolved):
        return compile_pieces(resolved, arn=True, expand_trailing=True).fullmatch(resource) is not None
    return compile_pieces(resolved).fullmatch(resource) is not None


def arn_like(resolved: Resolved, value: str) -> bool:
    """ArnLike/ArnEquals: six components checked one by one."""
    if is_arn_pattern(resolved):
        if value.count(":") < ARN_SEGMENTS - 1:
            return False
        return compile_pieces(resolved, arn=True).fullmatch(value) is not None
    return compile_pieces(resolved).fullmatch(value) is not None


def like(resolved: Resolved, value: str) -> bool:
    """StringLike: ``*`` and ``?`` match anything, colons included, case-sensitive."""
    return compile_pieces(resolved).fullmatch(value) is not None


def split_arn(arn: str) -> tuple[str, ...] | None:
    """``arn:partition:service:region:account:resource`` into its six parts, or None."""
    parts = arn.split(":", ARN_SEGMENTS - 1)
    if len(parts) != ARN_SEGMENTS or parts[0] != "arn":
        return None
    return tuple(parts)
