"""A small YAML writer for CloudFormation templates, with the ``!Sub``/``!Ref``/``!GetAtt`` tags.

Block style only; a string is written plain when YAML cannot read it as anything else
(``xray:PutTraceSegments``, ``AWS::IAM::Role``) and double-quoted otherwise, using JSON's
escapes, which YAML's double-quoted style understands. Words YAML 1.1 reads as booleans
or null (``yes``, ``off``, ``null``…) and anything starting with a digit are quoted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

INDENT = "  "
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.:/*-]*")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


@dataclass(frozen=True)
class Tagged:
    """A scalar with a local tag: ``!Sub "arn:${AWS::Partition}:…"``, ``!Ref Role``."""

    tag: str
    value: str
    quoted: bool = True


def scalar(value: Any) -> str:
    """One scalar as YAML text."""
    if isinstance(value, Tagged):
        return f"!{value.tag} {scalar(value.value) if value.quoted else value.value}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if value is None:
        return "null"
    text = str(value)
    if _PLAIN.fullmatch(text) and not text.endswith(":") and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _is_block(value: Any) -> bool:
    return isinstance(value, dict | list) and bool(value)


def lines(value: Any, depth: int = 0) -> list[str]:
    """A mapping or sequence as block-style lines at ``depth``."""
    pad = INDENT * depth
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if _is_block(item):
                out.append(f"{pad}{scalar(key)}:")
                out.extend(lines(item, depth + 1))
            else:
                out.append(f"{pad}{scalar(key)}: {_empty_or_scalar(item)}")
        return out
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                inner = lines(item, depth + 1)
                # The first key goes on the dash's line: "- Key: value".
                out.append(f"{pad}- {inner[0].lstrip()}")
                out.extend(inner[1:])
            elif isinstance(item, list) and item:
                out.append(f"{pad}-")
                out.extend(lines(item, depth + 1))
            else:
                out.append(f"{pad}- {_empty_or_scalar(item)}")
        return out
    return [pad + scalar(value)]


def _empty_or_scalar(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def document(value: dict[str, Any], comments: list[str] | None = None) -> str:
    """A whole YAML document: comment lines, then the mapping."""
    return "\n".join([*(comments or []), *lines(value)]) + "\n"
