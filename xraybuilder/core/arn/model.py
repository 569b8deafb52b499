"""The ARN model and splitting: an ARN's six parts, its problems, :func:`parse_arn`.

Also the small helpers the checks share: does a value hold a wildcard or a policy
variable, and which known name is closest to a misspelt one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from xraybuilder.core.patterns import has_wildcard as has_wildcard

Level = Literal["error", "warning"]
PartName = Literal["prefix", "partition", "service", "region", "account", "resource"]
PARTS: tuple[PartName, ...] = ("prefix", "partition", "service", "region", "account", "resource")


@dataclass(frozen=True, slots=True)
class ArnProblem:
    """One problem in one part of an ARN (or of a field typed on its own).

    ``start``/``end`` are character offsets in the checked text; ``fix`` is the whole
    corrected text when the repair is certain, else None.
    """

    code: str
    level: Level
    part: str
    message: str
    start: int
    end: int
    fix: str | None = None

    @property
    def is_error(self) -> bool:
        """True for an error, False for a warning."""
        return self.level == "error"


@dataclass(frozen=True, slots=True)
class Arn:
    """A string split into the six ARN parts, with each part's (start, end) offsets."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def part(self, name: PartName) -> str:
        """The text of one part (``"region"`` -> ``us-east-1``)."""
        start, end = self.spans[PARTS.index(name)]
        return self.text[start:end]

    def span(self, name: PartName) -> tuple[int, int]:
        """Where one part lies in the text, as (start, end) offsets."""
        return self.spans[PARTS.index(name)]

    @property
    def partition(self) -> str:
        return self.part("partition")

    @property
    def service(self) -> str:
        return self.part("service")

    @property
    def region(self) -> str:
        return self.part("region")

    @property
    def account(self) -> str:
        return self.part("account")

    @property
    def resource(self) -> str:
        return self.part("resource")

    def with_part(self, name: PartName, value: str) -> str:
        """The ARN text with one part replaced."""
        start, end = self.span(name)
        return self.text[:start] + value + self.text[end:]


@dataclass(frozen=True, slots=True)
class ArnCheck:
    """What :func:`check_arn` found: the split ARN (None when it has too few parts) and problems."""

    text: str
    arn: Arn | None
    problems: tuple[ArnProblem, ...]

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not any(p.is_error for p in self.problems)

    @property
    def errors(self) -> tuple[ArnProblem, ...]:
        """The problems that are errors."""
        return tuple(p for p in self.problems if p.is_error)


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found in one part, before it is placed in the whole ARN."""

    code: str
    level: Level
    message: str
    fix: str | None = None  # the corrected part
    span: tuple[int, int] | None = None  # within the part; None = the whole part


# -- splitting ---------------------------------------------------------------------------


def split_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of up to six colon-separated parts; colons inside ``${…}`` do not split."""
    spans: list[tuple[int, int]] = []
    if "${" not in text:
        start = 0
        for piece in text.split(":", 5):
            spans.append((start, start + len(piece)))
            start += len(piece) + 1
        return spans
    start = i = 0
    n = len(text)
    while i < n and len(spans) < 5:
        if text.startswith("${", i):
            close = text.find("}", i + 2)
            if close >= 0:
                i = close + 1
                continue
        if text[i] == ":":
            spans.append((start, i))
            start = i + 1
        i += 1
    spans.append((start, n))
    return spans


@lru_cache(maxsize=4096)
def parse_arn(text: str) -> Arn | None:
    """Split ``text`` into the six ARN parts, or None when it has fewer than six."""
    spans = split_spans(text)
    return Arn(text, tuple(spans)) if len(spans) == 6 else None


def has_variable(value: str) -> bool:
    return "${" in value


def closest(value: str, candidates: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The most similar candidate (earlier ones win ties), or None."""
    best: tuple[float, str] | None = None
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(value)  # the matcher caches what it learns about the second sequence
    for cand in candidates:
        matcher.set_seq1(cand)
        # The quick ratios are upper bounds: skip the full comparison when they fall short.
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        score = matcher.ratio()
        if score >= cutoff and (best is None or score > best[0]):
            best = (score, cand)
    return best[1] if best else None


def did_you_mean(suggestion: str | None) -> str:
    return f" Did you mean {suggestion}?" if suggestion else ""
