"""The command palette's builder commands: steps, scenarios, actions by name, exports, presets."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from xraybuilder.tui.steps import STEPS

Command = tuple[str, Callable[[], Any], str]


class BuilderCommands(Provider):
    """Every action of the builder, searchable by name."""

    def commands(self) -> list[Command]:
        app: Any = self.app
        out: list[Command] = []
        for step in STEPS:
            out.append(
                (f"Go to step: {step.title}", partial(app.go_step, step.id), f"show the {step.title} step")
            )
        library = app.library
        if library is not None:
            for preset in library.ordered():
                out.append(
                    (f"Scenario: {preset.title}", partial(app.start_preset, preset.id), preset.summary)
                )
        out.append(("Scenario: Custom policy", app.start_custom, "start from an empty statement"))
        out.append(("Open a policy file…", app.action_open_file, "check and edit a policy JSON file"))
        out.append(("Save draft as preset…", app.action_save_preset, "write a user preset from this draft"))
        out.append(("Help", app.action_help, "explain the focused field"))
        out.append(("Theme: switch light and dark", app.action_toggle_theme, "F9"))
        from xraybuilder.tui.exporting import FORMAT_TITLES

        for fmt, title in FORMAT_TITLES.items():
            copy = partial(app.copy_export, fmt)
            save = partial(app.save_export, fmt)
            out.append((f"Export: copy as {title}", copy, f"copy the {title} export"))
            out.append((f"Export: save {title} files…", save, f"save the {title} files to a folder"))
        if library is not None:
            from xraybuilder.tui.steps.actions import palette_actions

            for action, description in palette_actions(app):
                out.append((f"Add action: {action}", partial(app.add_action, action), description))
        return out

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands():
            if not name.startswith("Add action"):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
