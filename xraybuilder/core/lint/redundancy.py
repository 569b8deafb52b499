"""Lint family: redundancy."""

from __future__ import annotations

from xraybuilder.core.lint.document import Document


def check(doc: Document) -> None:
    """Report redundancy findings on doc."""
