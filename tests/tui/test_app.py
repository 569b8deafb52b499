"""The builder's first frame: the layout paints, then the scenarios arrive from the core."""

from __future__ import annotations

from textual.widgets import OptionList
from tui_helpers import ready

from xraybuilder.tui.app import XrayBuilderApp


async def test_scenario_list_fills_after_first_frame_and_ctrl_q_quits() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        steps = app.query_one("#steps", OptionList)
        assert [steps.get_option_at_index(i).id for i in range(steps.option_count)] == [
            "scenario",
            "parameters",
            "actions",
            "resources",
            "conditions",
            "review",
            "export",
        ]
        await ready(pilot)
        scenarios = app.query_one("#scenarios", OptionList)
        ids = [scenarios.get_option_at_index(i).id for i in range(scenarios.option_count)]
        assert ids[:7] == [
            "preset:console-read",
            "preset:local-dev",
            "preset:ec2",
            "preset:ecs",
            "preset:beanstalk",
            "preset:lambda",
            "preset:encryption-admin",
        ]
        assert ids[7:] == ["preset:group-admin", "preset:sampling-rule-admin", "custom", "open-file"]
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
