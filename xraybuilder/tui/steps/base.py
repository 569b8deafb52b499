"""What every step form shares: access to the draft, and a hook called with each assessment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment, DraftField
    from xraybuilder.core.draft import Draft
    from xraybuilder.tui.app import XrayBuilderApp


class StepForm(VerticalScroll):
    """A step's form. Subclasses set ``step_id`` and override ``refresh_from``."""

    step_id = ""
    DEFAULT_CLASSES = "step-form"

    @property
    def builder(self) -> XrayBuilderApp:
        app: Any = self.app
        return app  # type: ignore[no-any-return]

    @property
    def draft(self) -> Draft | None:
        return self.builder.draft

    def edit(self, draft: Draft) -> None:
        """Hand a new draft to the app, which assesses it and refreshes every view."""
        self.builder.edit(draft)

    def blocked(self, draft: Draft) -> str | None:
        """Why this draft's statements cannot be edited here, or None when they can."""
        from xraybuilder.core.draft import DraftError

        if draft.origin == "file":
            return "This draft is a policy file: edit its text on the Parameters step."
        try:
            draft.editable()
        except DraftError as err:
            return f"Fix the parameters first (Parameters step): {err.message}"
        return None

    def replace_body(self, holder_id: str, widgets: list[Widget]) -> None:
        """Swap the widgets inside ``#holder_id`` for new ones.

        The new widgets go into a fresh container, so their ids may repeat the old ones'
        while those are still being removed.
        """
        holder = self.query_one(f"#{holder_id}")
        for child in list(holder.children):
            child.remove()
        holder.mount(Vertical(*widgets, classes="body"))

    def refresh_from(self, assessment: Assessment, *, rebuilt: bool) -> None:
        """Show what ``assessment`` says; ``rebuilt`` is True when the draft was replaced."""

    def focus_field(self, field: DraftField) -> bool:
        """Focus the widget for ``field``; False when this form has none."""
        del field
        return False
