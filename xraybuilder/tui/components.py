"""The widgets the app composes, by their contract names."""

from __future__ import annotations

from xraybuilder.tui.placeholders import ExportPanel, FindingsList, ReviewPanel, SizeMeter
from xraybuilder.tui.widgets.preview import PolicyView

__all__ = ["ExportPanel", "FindingsList", "PolicyView", "ReviewPanel", "SizeMeter"]
