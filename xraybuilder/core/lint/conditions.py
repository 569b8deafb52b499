"""Lint family: conditions."""

from __future__ import annotations

from xraybuilder.core.lint.document import Document


def check(doc: Document) -> None:
    """Report conditions findings on doc."""
