"""SVG pictures of each step (pytest-textual-snapshot); the cursor does not blink, the clock is fixed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from tui_helpers import quiet, ready, settle

from xraybuilder.tui.app import XrayBuilderApp

GROUP_ADMIN = {"account": "123456789012", "group_name": "web-frontend"}


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(XrayBuilderApp, "clock", lambda self: "12:04")


def at_step(step: str | None, *keys: str) -> Callable[[Pilot[None]], object]:
    """Wait for the core, go to ``step``, press ``keys``, then stop every cursor from blinking."""

    async def run_before(pilot: Pilot[None]) -> None:
        app = await ready(pilot)
        await settle(pilot)
        if step is not None:
            assert isinstance(app, XrayBuilderApp)
            app.go_step(step)
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
        await settle(pilot)
        for widget in pilot.app.query("*"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
        await quiet(pilot)

    return run_before


STEPS = ["parameters", "actions", "resources", "conditions", "review", "export"]


def test_scenario_step(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(XrayBuilderApp(), terminal_size=(120, 40), run_before=at_step(None))


@pytest.mark.parametrize("step", STEPS)
def test_each_step_of_group_admin(snap_compare, step: str) -> None:  # type: ignore[no-untyped-def]
    app = XrayBuilderApp(preset="group-admin", params=GROUP_ADMIN)
    assert snap_compare(app, terminal_size=(120, 40), run_before=at_step(step))


def test_parameters_at_80x24_with_a_bad_account(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = XrayBuilderApp(preset="group-admin", params={"account": "12345"})
    assert snap_compare(app, terminal_size=(80, 24), run_before=at_step("parameters"))


def test_preview_tab_at_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = XrayBuilderApp(preset="group-admin", params=GROUP_ADMIN)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at_step("parameters", "f5"))


def test_every_snapshot_file_belongs_to_a_test(request: pytest.FixtureRequest) -> None:
    """No picture outlives its test. syrupy checks this itself only in a run without
    pytest-xdist workers, and the suite runs in workers."""
    module = request.node.getparent(pytest.Module)
    assert module is not None
    tests = {item.name for item in module.collect()}
    folder = Path(__file__).parent / "__snapshots__" / Path(__file__).stem
    pictures = {path.stem for path in folder.glob("*.svg")}
    assert len(pictures) >= 9
    assert sorted(pictures - tests) == []
