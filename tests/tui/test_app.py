"""The builder's first frame: the layout paints, then the scenarios arrive from the core."""

from __future__ import annotations

from textual.widgets import OptionList
from tui_helpers import ready, settle

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


async def test_the_summary_tab_follows_the_draft_while_it_is_shown() -> None:
    from textual.widgets import Static, TabbedContent

    from xraybuilder.tui.words import summary_text

    app = XrayBuilderApp(preset="ec2", params={"account": "123456789012"})
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        summary = app.query_one("#summary", Static)
        # Hidden, it is not worked out on each change.
        assert str(summary.content) == ""
        app.query_one("#preview-tabs", TabbedContent).active = "tab-summary"
        await settle(pilot)
        assert app.assessment is not None
        shown = str(summary.content)
        assert shown == summary_text(app.assessment) and shown
        assert app.draft is not None
        app.edit(app.draft.with_param("region", "eu-west-1"))
        await settle(pilot)
        assert app.assessment.draft.param("region") == "eu-west-1"
        assert str(summary.content) == summary_text(app.assessment)


async def test_the_other_steps_are_mounted_hidden_after_the_first_frame() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert [form.id for form in app.query_one("#form").children] == [
            "scenario",
            "parameters",
            "actions",
            "resources",
            "conditions",
            "review",
            "export",
        ]
        assert [form.id for form in app.query_one("#form").children if form.display] == ["scenario"]
