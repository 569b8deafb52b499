"""At 80×24 a newcomer sees every field of a form, and nothing is cut off at the bottom."""

from __future__ import annotations

import pytest
from textual.widget import Widget
from textual.widgets import Button, Checkbox
from tui_helpers import ready, settle

from xraybuilder.core.draft import Draft, DraftCondition
from xraybuilder.tui.app import XrayBuilderApp

SMALL = (80, 24)
PRESETS = (
    "ec2",
    "ecs",
    "lambda",
    "beanstalk",
    "console-read",
    "local-dev",
    "group-admin",
    "sampling-rule-admin",
    "encryption-admin",
)


def inside(widget: Widget, form: Widget) -> bool:
    region = widget.region
    return bool(region) and form.region.contains_region(region)


@pytest.mark.parametrize("preset", PRESETS)
async def test_every_parameter_fits_at_80x24(preset: str) -> None:
    app = XrayBuilderApp(preset=preset, offer_resume=False)
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert app.current_step == "parameters"
        form = app.query_one("#parameters")
        fields = [
            w
            for w in form.query("*")
            if (w.id or "").startswith("param-") and all(a.display for a in w.ancestors_with_self)
        ]
        assert fields
        assert form.max_scroll_y == 0
        for field in fields:
            assert inside(field, form), field.id


async def test_only_the_focused_parameter_shows_its_help_in_a_narrow_terminal() -> None:
    app = XrayBuilderApp(preset="lambda", offer_resume=False)
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "param-partition"
        helps = {
            (w.parent.id or "").removeprefix("field-"): w
            for w in app.query("#parameters .field-help")
            if w.parent is not None
        }
        assert helps["partition"].region.height >= 1
        assert helps["role_name"].region.height == 0
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "param-role_name"
        assert helps["partition"].region.height == 0
        assert helps["role_name"].region.height >= 1
        # A yes/no parameter is a one-line tick box that Space flips.
        box = app.query_one("#param-basic_execution", Checkbox)
        assert box.region.height == 1
        box.focus()
        await pilot.press("space")
        await settle(pilot)
        assert app.draft is not None and app.draft.param("basic_execution") == "false"
        assert str(box.label) == "no"
    # With room to spare, every field shows its help.
    app = XrayBuilderApp(preset="lambda", offer_resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert all(w.region.height >= 1 for w in app.query("#parameters .field-help"))


async def test_the_condition_form_scrolls_into_view_below_a_long_list() -> None:
    app = XrayBuilderApp(offer_resume=False)
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        draft = Draft.from_preset("group-admin", {"account": "123456789012"}).editable()
        for team in ("web", "api", "batch", "data", "ops", "qa", "ml", "edge"):
            draft = draft.add_condition(0, DraftCondition("StringEquals", f"aws:ResourceTag/{team}", (team,)))
        app.replace_draft(draft)
        app.go_step("conditions")
        await settle(pilot)
        form = app.query_one("#conditions")
        add = app.query_one("#cond-add", Button)
        add.focus()
        await settle(pilot)
        assert form.max_scroll_y > 0
        assert inside(add, form)
