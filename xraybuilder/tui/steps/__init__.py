"""The builder's steps: one form per step, shown one at a time in the middle of the screen.

Each form is a :class:`~xraybuilder.tui.steps.base.StepForm`: it reads the current draft
and assessment from the app and turns what the user does into Draft operations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    finding_step: str | None
    """The ``DraftField.step`` whose findings count on this step's mark."""


STEPS: tuple[Step, ...] = (
    Step("scenario", "Scenario", None),
    Step("parameters", "Parameters", "parameters"),
    Step("actions", "Actions", "actions"),
    Step("resources", "Resources", "resources"),
    Step("conditions", "Conditions", "conditions"),
    Step("review", "Review", "document"),
    Step("export", "Export", None),
)
STEP_IDS: tuple[str, ...] = tuple(s.id for s in STEPS)
