"""The line-mode wizard: the builder's questions one line at a time, over the same core.

For screen readers, dumb terminals, CI logs and scripted answers. It builds a
``Draft``, shows what ``assess()`` returns and exports with ``core.export``; it keeps
no policy logic of its own. prompt-toolkit gives completion and live validation on a
capable terminal; elsewhere the questions are plain lines. Never imports Textual.
"""

from __future__ import annotations

from xraybuilder.wizard.session import run_wizard

__all__ = ["run_wizard"]
