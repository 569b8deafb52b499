"""Small wording helpers shared by the summary and the comparison."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from xraybuilder.core import catalog

WIDTH = 80


def resources_text(resources: tuple[str, ...], not_resource: bool) -> str:
    """``all resources``, ``every resource except …`` or the patterns, comma-separated."""
    if not_resource:
        return "every resource except " + ", ".join(resources)
    if "*" in resources:
        return "all resources"
    return ", ".join(resources)


def service_name(prefix: str) -> str:
    """The service's name from the catalog, or the prefix for services it does not hold."""
    svc = catalog.service(prefix)
    return svc.name if svc else prefix


def wrap(text: str, indent: int, width: int = WIDTH, hang: int = 2) -> list[str]:
    """Wrap to ``width`` with ``indent`` spaces, continuation lines ``hang`` further in."""
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + hang),
        break_long_words=True,
        break_on_hyphens=False,
    ) or [" " * indent]


def names_list(names: Iterable[str]) -> str:
    """``A, B and C``."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
