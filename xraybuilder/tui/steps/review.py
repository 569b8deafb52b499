"""Review step: the findings, size, summary, comparison, "test a request" and expectations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Static

from xraybuilder.tui.components import ReviewPanel
from xraybuilder.tui.steps.base import StepForm

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment, DraftField


class ReviewStep(StepForm):
    step_id = "review"

    def compose(self) -> ComposeResult:
        yield Static("Review", classes="step-title")
        yield ReviewPanel(id="review-panel")

    def refresh_from(self, assessment: Assessment, *, rebuilt: bool) -> None:
        self.query_one(ReviewPanel).show(assessment)

    def focus_field(self, field: DraftField) -> bool:
        self.query_one(ReviewPanel).focus()
        return True
