"""StepList: a step's new prompt repaints its own row, or the list when its height changes."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets.option_list import Option

from xraybuilder.tui.widgets.steplist import StepList

STEPS = ["Scenario", "Parameters", "Actions", "Resources", "Review"]


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield StepList(*(Option(title) for title in STEPS), id="steps")


def rows(steps: StepList) -> list[str]:
    """The text of each row of the list, inside its border, down to the last option's."""
    texts = [strip.text.strip("▊▎▔▁ ") for strip in steps.render_lines(steps.outer_size.region)]
    return [text for text in texts if text]


async def test_a_prompt_of_the_same_height_repaints_its_row_only() -> None:
    app = Host()
    async with app.run_test(size=(30, 12)) as pilot:
        steps = app.query_one(StepList)
        await pilot.pause()
        steps.set_prompt(3, "Resources 2")
        width = steps.scrollable_content_region.width
        assert steps._repaint_regions == {Region(0, 3, width, 1).translate(steps.content_offset)}
        await pilot.pause()
        assert rows(steps) == ["Scenario", "Parameters", "Actions", "Resources 2", "Review"]


async def test_a_prompt_that_wraps_moves_the_rows_below() -> None:
    app = Host()
    async with app.run_test(size=(16, 12)) as pilot:
        steps = app.query_one(StepList)
        await pilot.pause()
        steps.set_prompt(2, "Actions with a long mark")
        assert steps._repaint_regions == {steps.outer_size.region}
        await pilot.pause()
        shown = rows(steps)
        assert shown[:2] == ["Scenario", "Parameters"] and shown[2].startswith("Actions")
        # The prompt takes more than one row, and the steps after it moved down.
        assert shown.index("Resources") > 3 and shown[-1] == "Review"
