"""The widgets the app composes, by their contract names."""

from __future__ import annotations

from xraybuilder.tui.widgets.export import ExportPanel
from xraybuilder.tui.widgets.findings import FindingsList
from xraybuilder.tui.widgets.meter import SizeMeter
from xraybuilder.tui.widgets.preview import PolicyView
from xraybuilder.tui.widgets.review import ReviewPanel

__all__ = ["ExportPanel", "FindingsList", "PolicyView", "ReviewPanel", "SizeMeter"]
