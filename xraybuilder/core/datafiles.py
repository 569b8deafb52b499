"""Read the JSON data files shipped in ``xraybuilder/core/data/``, read-only.

What is read is cached for the whole process and shared by every caller, so it is
handed out frozen: objects as read-only mappings, arrays as tuples.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any


@cache
def read_json(name: str) -> Any:
    """The parsed contents of ``data/NAME``, read once per process."""
    return frozen(json.loads(resources.files("xraybuilder.core").joinpath("data", name).read_text("utf-8")))


def frozen(value: Any) -> Any:
    """Parsed JSON made read-only all the way down: dicts as mapping proxies, lists as tuples."""
    if isinstance(value, dict):
        return MappingProxyType({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    return value


def thawed(value: Any) -> Any:
    """A plain, changeable copy of frozen JSON (for callers that build on it)."""
    if isinstance(value, MappingProxyType):
        return {k: thawed(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thawed(v) for v in value]
    return value
