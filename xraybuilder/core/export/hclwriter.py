"""A small writer of HCL (Terraform's language) laid out the way ``terraform fmt`` lays it out.

What fmt does and this writer copies: two-space indentation; in a run of consecutive
one-line attributes the ``=`` signs are aligned; an attribute whose value opens a
bracket on its line (``policy = jsonencode({``) is not part of such a run and breaks it,
as do blank lines, comments and closing brackets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

INDENT = "  "
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Raw:
    """An expression written as is (``var.role_name``, ``aws_iam_role.this.name``)."""

    text: str


@dataclass(frozen=True)
class Call:
    """``name(argument)``, e.g. ``jsonencode({...})``."""

    name: str
    argument: Any


@dataclass
class Block:
    """``type "label" "label" { … }``; items are ``(key, value)``, ``Block``, ``Comment`` or ``BLANK``."""

    type: str
    labels: Sequence[str] = ()
    items: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class Comment:
    lines: tuple[str, ...]


BLANK = None

# How a string is written: a function from the Python string to the HCL text, quotes included.
StringWriter = Callable[[str], str]


def quote(text: str) -> str:
    """A literal HCL string: escapes, and ``${``/``%{`` doubled so they stay literal."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    out = out.replace("${", "$${").replace("%{", "%%{")
    return f'"{out}"'


def key(name: str) -> str:
    """An object key or attribute name: bare when it is an identifier, quoted otherwise."""
    return name if _IDENTIFIER.fullmatch(name) else quote(name)


class Writer:
    """Writes blocks and values; ``string`` decides how each string value is written."""

    def __init__(self, string: StringWriter = quote) -> None:
        self.string = string

    def value(self, value: Any, depth: int) -> list[str]:
        """Lines of ``value``; the first line is to follow ``key = `` and the rest are indented."""
        pad = INDENT * depth
        if isinstance(value, Raw):
            return [value.text]
        if isinstance(value, bool):
            return ["true" if value else "false"]
        if isinstance(value, int | float):
            return [repr(value)]
        if isinstance(value, str):
            return [self.string(value)]
        if isinstance(value, Call):
            inner = self.value(value.argument, depth)
            return (
                [f"{value.name}({inner[0]}", *inner[1:-1], f"{inner[-1]})"]
                if len(inner) > 1
                else [f"{value.name}({inner[0]})"]
            )
        if isinstance(value, list | tuple):
            if not value:
                return ["[]"]
            lines = ["["]
            for item in value:
                inner = self.value(item, depth + 1)
                lines.append(pad + INDENT + inner[0])
                lines.extend(inner[1:])
                lines[-1] += ","
            lines.append(pad + "]")
            return lines
        if isinstance(value, dict):
            if not value:
                return ["{}"]
            return ["{", *self.body(list(value.items()), depth + 1), pad + "}"]
        raise TypeError(f"cannot write {type(value).__name__} as HCL")

    def body(self, items: Sequence[Any], depth: int) -> list[str]:
        """The inside of a block or object, with fmt's alignment of ``=``."""
        pad = INDENT * depth
        lines: list[str] = []
        run: list[tuple[str, str]] = []

        def flush() -> None:
            width = max((len(k) for k, _ in run), default=0)
            lines.extend(f"{pad}{k.ljust(width)} = {v}" for k, v in run)
            run.clear()

        for item in items:
            if item is BLANK:
                flush()
                lines.append("")
            elif isinstance(item, Comment):
                flush()
                lines.extend(pad + line for line in item.lines)
            elif isinstance(item, Block):
                flush()
                lines.extend(self.block(item, depth))
            else:
                name, value = item
                rendered = self.value(value, depth)
                if len(rendered) == 1:
                    run.append((key(name), rendered[0]))
                else:
                    flush()
                    lines.append(f"{pad}{key(name)} = {rendered[0]}")
                    lines.extend(rendered[1:])
        flush()
        return lines

    def block(self, block: Block, depth: int = 0) -> list[str]:
        pad = INDENT * depth
        header = " ".join([block.type, *(quote(label) for label in block.labels)])
        if not block.items:
            return [f"{pad}{header} {{}}"]
        return [f"{pad}{header} {{", *self.body(block.items, depth + 1), pad + "}"]

    def file(self, items: Sequence[Block | Comment]) -> str:
        """Top-level blocks separated by one blank line (comments stick to the next block)."""
        out: list[str] = []
        for item in items:
            if isinstance(item, Comment):
                if out and out[-1] != "":
                    out.append("")
                out.extend(item.lines)
                continue
            if out and out[-1] != "" and not out[-1].startswith("#"):
                out.append("")
            out.extend(self.block(item))
        return "\n".join(out) + "\n"
