"""Stand-ins with the widget contract's names, used until the real widgets are in the tree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets import Static

if TYPE_CHECKING:
    from xraybuilder.core.assess import AssessedFinding, Assessment, Size


class FindingsList(Static):
    class Jump(Message):
        def __init__(self, finding: AssessedFinding) -> None:
            super().__init__()
            self.finding = finding

    class ApplyFix(Message):
        def __init__(self, finding: AssessedFinding) -> None:
            super().__init__()
            self.finding = finding

    def show(self, findings: Sequence[AssessedFinding]) -> None:
        self.update("\n".join(f"{f.finding.severity} {f.finding.code} {f.finding.message}" for f in findings))


class SizeMeter(Static):
    def show(self, size: Size | None) -> None:
        self.update("" if size is None else f"size {size.characters:,} / {size.quota:,} ({size.target})")


class ReviewPanel(Static):
    def show(self, assessment: Assessment) -> None:
        self.update(f"{len(assessment.findings)} findings")


class ExportPanel(Static):
    def show(self, assessment: Assessment) -> None:
        self.update("Exports appear here.")
