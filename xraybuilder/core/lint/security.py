"""Lint family: security."""

from __future__ import annotations

from xraybuilder.core.lint.document import Document


def check(doc: Document) -> None:
    """Report security findings on doc."""
