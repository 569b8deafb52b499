"""Keys that arrive in a burst (fast typing, a paste, a slow link) are applied in order.

Textual runs a field's bound keys (Backspace, arrows …) only after they bubble up to the
app, while typed characters go in at once; under a burst the two can swap. The keys here
are posted one after another without waiting, as a terminal driver delivers a burst.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot
from tui_helpers import ready, settle

from xraybuilder.tui.app import XrayBuilderApp
from xraybuilder.tui.widgets.editor import PolicyEditor
from xraybuilder.tui.widgets.inputs import Input

SIZE = (100, 30)
NAMES = {"-": "minus", " ": "space"}


def burst(pilot: Pilot[None], keys: list[str]) -> None:
    """Post every key at once, as a driver does when the terminal sends them together."""
    for key in keys:
        if len(key) == 1:
            pilot.app.post_message(events.Key(NAMES.get(key, key), key))
        else:
            pilot.app.post_message(events.Key(key, "\x7f" if key == "backspace" else None))


async def region_field(pilot: Pilot[None]) -> Input:
    """The Parameters step's Region field, shown and focused once the builder is ready."""
    app = await ready(pilot)
    app.go_step("parameters")
    await settle(pilot)
    field = app.query_one("#param-region", Input)
    field.focus()
    return field


async def test_backspaces_then_typing_in_a_parameter_field() -> None:
    app = XrayBuilderApp(preset="ec2", params={"region": "eu-north-1"}, offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        field = await region_field(pilot)
        field.cursor_position = len(field.value)
        await pilot.pause()
        burst(pilot, ["backspace"] * 10 + list("eu-west-1"))
        await pilot.pause(0.3)
        await settle(pilot)
        assert field.value == "eu-west-1"
        assert app.draft is not None and app.draft.param("region") == "eu-west-1"
        assert app.assessment is not None and not app.assessment.parameter_problems


async def test_arrows_and_backspace_between_characters_in_the_policy_editor(tmp_path: Path) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text('{"Version": "2012-10-17", "Statement": []}\n', "utf-8")
    app = XrayBuilderApp(policy_file=policy, offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await settle(pilot)
        editor = app.query_one("#file-text", PolicyEditor)
        editor.focus()
        editor.cursor_location = (0, 1)
        await pilot.pause()
        # b a ⌫ c ← ← d: "bc" typed, the cursor moved back over both, "d" before them.
        burst(pilot, ["b", "a", "backspace", "c", "left", "left", "d"])
        await pilot.pause(0.3)
        await settle(pilot)
        assert editor.document.get_line(0).startswith('{dbc"Version"')
        assert app.draft is not None and app.draft.file_text is not None
        assert app.draft.file_text.startswith('{dbc"Version"')


async def test_ctrl_e_goes_to_export_from_a_text_field() -> None:
    app = XrayBuilderApp(preset="ec2", params={"region": "eu-west-1"}, offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        field = await region_field(pilot)
        field.cursor_position = 0
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert app.current_step == "export"
        assert field.value == "eu-west-1"
