"""Keyboard focus: Tab goes through each step's fields in the order they are read."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, SelectionList, Static
from tui_helpers import ready, settle

from xraybuilder.tui.app import XrayBuilderApp
from xraybuilder.tui.steps import STEP_IDS

SIZE = (80, 24)
PARAMS = {"account": "123456789012", "region": "eu-west-1"}


def tab_stops(app: XrayBuilderApp, step: str) -> list[Widget]:
    """The fields of one step's form that Tab visits, in order (scrolling panes left out)."""
    form = app.query_one(f"#{step}")
    return [w for w in app.screen.focus_chain if form in w.ancestors and not isinstance(w, VerticalScroll)]


async def test_tab_from_the_action_filter_goes_to_the_list_then_its_select_all() -> None:
    app = XrayBuilderApp(preset="ec2", params=PARAMS, offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.current_step == "actions"
        assert app.focused is app.query_one("#action-filter", Input)
        await pilot.press("tab")
        first = app.focused
        assert isinstance(first, SelectionList) and first.id == "sel-xray-list"
        await pilot.press("tab")
        assert isinstance(app.focused, Button) and app.focused.id == "all-xray-list"
        await pilot.press("tab")
        assert isinstance(app.focused, SelectionList) and app.focused.id == "sel-xray-read"
        # Every level: its list, then its "select all".
        stops = [w.id or "" for w in tab_stops(app, "actions")]
        assert stops[0] == "action-filter"
        lists = [s.removeprefix("sel-") for s in stops if s.startswith("sel-")]
        assert stops[1:] == [f"{kind}-{key}" for key in lists for kind in ("sel", "all")]


async def test_every_step_tabs_top_to_bottom_from_its_first_field() -> None:
    app = XrayBuilderApp(preset="ec2", params=PARAMS, offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await settle(pilot)
        expected_first = {
            "parameters": "param-partition",
            "actions": "action-filter",
            "conditions": "cond-statement",
            "review": "review-findings",
        }
        seen: dict[str, list[str]] = {}
        for step, first in expected_first.items():
            app.go_step(step)
            await settle(pilot)
            assert app.focused is not None and app.focused.id == first, step
            stops = tab_stops(app, step)
            assert stops and stops[0] is app.focused
            seen[step] = [w.id or "" for w in stops]
            for widget in stops[1:]:
                previous = app.focused
                await pilot.press("tab")
                while isinstance(app.focused, VerticalScroll):  # a scrolling pane
                    await pilot.press("tab")
                assert app.focused is widget, (step, widget)
                assert previous is not None
                # Down the screen, or along the same line.
                assert (widget.region.y, widget.region.x) > (previous.region.y, previous.region.x), widget
        # The condition form reads statement, key, tag key, operator, values, then Add.
        fields = ["statement", "kind", "tag", "operator", "values", "add"]
        assert seen["conditions"] == [f"cond-{field}" for field in fields]
        assert seen["review"][:2] == ["review-findings", "request-action"]


class HeldForms(XrayBuilderApp):
    """The builder with the work after its first frame (mounting the hidden forms) held back.

    Keys pressed meanwhile reach the app as they do while a slow terminal paints the first
    frame; ``let_go`` then lets the mounting run.
    """

    held = True

    async def _after_first_frame(self) -> None:
        if not self.held:
            await super()._after_first_frame()

    def let_go(self) -> None:
        self.held = False
        self.call_later(self._after_first_frame)


async def test_a_step_key_pressed_before_the_forms_mount_is_kept() -> None:
    app = HeldForms(preset="ec2", params=PARAMS, offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.query("#export")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.current_step == "scenario"
        # The step list already shows where the key leads.
        assert app.query_one("#steps", OptionList).highlighted == STEP_IDS.index("export")
        app.let_go()
        await ready(pilot)
        await settle(pilot)
        assert app.current_step == "export"


async def test_next_step_keys_pressed_before_the_forms_mount_add_up() -> None:
    app = HeldForms(offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+r")
        await pilot.pause()
        assert app.current_step == "scenario"
        app.let_go()
        await ready(pilot)
        await settle(pilot)
        # Parameters, Actions, Resources, then back to Actions, with its filter focused.
        assert app.current_step == "actions"
        assert app.focused is app.query_one("#action-filter", Input)


async def test_select_all_says_clear_all_once_every_action_is_ticked_and_keeps_the_focus() -> None:
    app = XrayBuilderApp(preset="ec2", params=PARAMS, offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await settle(pilot)
        app.go_step("actions")
        await settle(pilot)

        def level() -> tuple[SelectionList[str], Button]:
            return app.query_one("#sel-xray-list", SelectionList), app.query_one("#all-xray-list", Button)

        listed, button = level()
        assert len(listed.selected) < listed.option_count
        assert str(button.label) == "select all"
        button.focus()
        await pilot.press("enter")
        await settle(pilot)
        listed, button = level()
        assert len(listed.selected) == listed.option_count
        assert str(button.label) == "clear all"
        heading = str(app.query_one("#title-xray-list", Static).content)
        assert heading.endswith(f"  {listed.option_count}/{listed.option_count}")
        # The list is updated in place: the keyboard stays where it was.
        assert app.focused is button
        await pilot.press("enter")
        await settle(pilot)
        listed, button = level()
        assert listed.selected == []
        assert str(button.label) == "select all"
        assert str(app.query_one("#title-xray-list", Static).content).endswith(f"  0/{listed.option_count}")
