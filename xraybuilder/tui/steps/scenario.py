"""Scenario step: what are you setting up? The presets by name, then custom, file and resume."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from xraybuilder.tui.steps.base import StepForm

if TYPE_CHECKING:
    from xraybuilder.core.scenarios import Library

CUSTOM = "custom"
OPEN_FILE = "open-file"
RESUME = "resume"
_SPECIAL = {
    CUSTOM: ("Custom policy", "Start from an empty statement and pick actions, resources and conditions."),
    OPEN_FILE: ("Open a policy file…", "Check and edit a policy JSON file you already have."),
    RESUME: ("Resume draft", "Continue the draft that was open when xraybuilder last stopped."),
}
PRESET_PREFIX = "preset:"


class ScenarioStep(StepForm):
    """The list of scenarios; Enter starts a draft from the highlighted one."""

    step_id = "scenario"

    def compose(self) -> ComposeResult:
        yield Static("What are you setting up?", classes="step-title")
        yield OptionList(Option("Loading scenarios…", disabled=True), id="scenarios")
        yield Static("", id="scenario-about", classes="why", markup=False)

    def show_library(self, library: Library, *, can_resume: bool) -> None:
        """Fill the list: presets in their order, then the special entries."""
        options: list[Option] = []
        width = max(len(p.title) for p in library.ordered()) + 2
        for preset in library.ordered():
            options.append(Option(_line(preset.title, preset.summary, width), id=PRESET_PREFIX + preset.id))
        specials = [CUSTOM, OPEN_FILE] + ([RESUME] if can_resume else [])
        for key in specials:
            title, summary = _SPECIAL[key]
            options.append(Option(_line(title, summary, width), id=key))
        scenarios = self.query_one("#scenarios", OptionList)
        scenarios.set_options(options)
        scenarios.highlighted = 0
        for err in library.errors:
            self.builder.notify(f"preset not loaded: {err}", severity="warning", timeout=8)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option_id = event.option.id or ""
        about = self.query_one("#scenario-about", Static)
        library = self.builder.library
        if option_id.startswith(PRESET_PREFIX) and library is not None:
            preset = library.presets[option_id.removeprefix(PRESET_PREFIX)]
            about.update(_reflow(preset.description))
        elif option_id in _SPECIAL:
            about.update(_SPECIAL[option_id][1])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith(PRESET_PREFIX):
            self.builder.start_preset(option_id.removeprefix(PRESET_PREFIX))
        elif option_id == CUSTOM:
            self.builder.start_custom()
        elif option_id == OPEN_FILE:
            self.builder.action_open_file()
        elif option_id == RESUME:
            self.builder.resume_draft()


def _reflow(text: str) -> str:
    """Join the lines of each paragraph, so the text wraps to the pane instead of the file."""
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n"))


def _line(title: str, summary: str, width: int) -> Text:
    """One row: the name in bold, then its summary on the same line, cut at the edge."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(title.ljust(width), style="bold")
    text.append(summary, style="dim")
    return text
