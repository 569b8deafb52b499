"""Stand-in for the export panel, used until the real widget is in the tree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment


class ExportPanel(Static):
    def show(self, assessment: Assessment) -> None:
        self.update("Exports appear here.")
