"""Export step: one tab per export format, with Copy and Save (the ExportPanel)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Static

from xraybuilder.tui.components import ExportPanel
from xraybuilder.tui.steps.base import StepForm

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment


class ExportStep(StepForm):
    step_id = "export"

    def compose(self) -> ComposeResult:
        yield Static("Export", classes="step-title")
        yield ExportPanel(id="export-panel")

    def refresh_from(self, assessment: Assessment, *, rebuilt: bool) -> None:
        self.query_one(ExportPanel).show(assessment)
