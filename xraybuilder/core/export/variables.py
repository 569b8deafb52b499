"""The partition, Region and account a bundle's documents name, found inside their strings.

Every export except JSON lets people change the partition, Region and account in one
place (a shell variable, a Terraform variable, CloudFormation's pseudo parameters). This
module finds where a string names them, so each format can write its own placeholder:
``split("arn:aws:s3:::aws-xray-assets.us-east-1/*")`` gives
``[Variable("partition"), ":s3:::aws-xray-assets.", Variable("region"), "/*"]`` around the
literal parts. Only whole tokens count: ``us-east-1`` inside ``us-east-12`` is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from xraybuilder.core.bundle import Bundle

# Order matters for the shell and Terraform: the first ones are the ones people edit most.
NAMES = ("partition", "region", "account")


@dataclass(frozen=True)
class Variable:
    """A place in a string that holds the bundle's value of ``name``."""

    name: str
    value: str


Piece = str | Variable


def values(bundle: Bundle) -> dict[str, str]:
    """name -> value for the partition, Region and account the bundle was built with."""
    params = bundle.parameters_text()
    out = {"partition": params.get("partition", "aws")}
    for name in ("region", "account"):
        if params.get(name):
            out[name] = params[name]
    return out


def _pattern(found: Mapping[str, str], extra: Mapping[str, str]) -> re.Pattern[str]:
    # Whole values named by the caller (a key ARN) first, so they are not split further.
    parts = [f"(?P<{name}>{re.escape(value)})" for name, value in extra.items() if value]
    part = re.escape(found["partition"])
    parts.append(f"(?P<partition>(?:(?<=^arn:)|(?<=[^A-Za-z0-9-]arn:)){part}(?=:))")
    if "region" in found:
        parts.append(f"(?P<region>(?<![A-Za-z0-9-]){re.escape(found['region'])}(?![A-Za-z0-9-]))")
    if "account" in found:
        parts.append(f"(?P<account>(?<![0-9]){re.escape(found['account'])}(?![0-9]))")
    return re.compile("|".join(parts))


class Finder:
    """Splits strings of one bundle's documents into literal text and variables."""

    def __init__(self, found: Mapping[str, str], extra: Mapping[str, str] | None = None) -> None:
        self.values = dict(found)
        self.extra = dict(extra or {})
        self._pattern = _pattern(self.values, self.extra)

    def split(self, text: str) -> list[Piece]:
        """Literal parts and Variables, in order; ``[text]`` when no variable occurs."""
        pieces: list[Piece] = []
        last = 0
        for match in self._pattern.finditer(text):
            name = match.lastgroup or ""
            if match.start() > last:
                pieces.append(text[last : match.start()])
            pieces.append(Variable(name, match.group()))
            last = match.end()
        if last < len(text):
            pieces.append(text[last:])
        return pieces or [text]

    def used(self, *docs: Any) -> set[str]:
        """Names of the variables that occur anywhere in ``docs`` (JSON-shaped values)."""
        out: set[str] = set()
        for text in strings(docs):
            out.update(p.name for p in self.split(text) if isinstance(p, Variable))
        return out

    def join(self, text: str, literal: Callable[[str], str], variable: Callable[[Variable], str]) -> str:
        """``text`` with literal parts and variables each written by the given function."""
        return "".join(variable(p) if isinstance(p, Variable) else literal(p) for p in self.split(text))


def finder(bundle: Bundle, extra: Mapping[str, str] | None = None) -> Finder:
    """A Finder for the bundle's own partition, Region and account (and ``extra`` values)."""
    return Finder(values(bundle), extra)


def strings(doc: Any) -> list[str]:
    """Every string inside a JSON-shaped value (keys excluded), depth first."""
    out: list[str] = []
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list | tuple):
            stack.extend(reversed(list(item)))
    return out
