"""What works on every step: clipboard, small terminals, help, keymap, palette, presets, CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static
from tui_helpers import ready, settle

from xraybuilder.cli import main
from xraybuilder.core.export import render
from xraybuilder.core.scenarios import load_library
from xraybuilder.tui.app import XrayBuilderApp
from xraybuilder.tui.help import HelpScreen
from xraybuilder.tui.screens import SavePresetScreen
from xraybuilder.tui.steps import STEP_IDS
from xraybuilder.tui.widgets.preview import PolicyView


async def test_copy_on_the_export_step_puts_the_export_on_the_clipboard() -> None:
    app = XrayBuilderApp(preset="ec2", params={"region": "eu-west-1"})
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert app.current_step == "export"
        app.query_one("#export-panel").focus()
        await pilot.press("c")
        await settle(pilot)
        assert app.assessment is not None and app.assessment.bundle is not None
        assert app.clipboard == render(app.assessment.bundle, "json")
        assert '"region": "eu-west-1"' in app.clipboard
        assert not app.unsaved


async def test_palette_copy_as_terraform() -> None:
    app = XrayBuilderApp(preset="lambda")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        app.copy_export("terraform")
        assert app.assessment is not None and app.assessment.bundle is not None
        assert app.clipboard == render(app.assessment.bundle, "terraform")


async def test_80x24_preview_is_a_tab_and_every_step_fits() -> None:
    app = XrayBuilderApp(preset="ec2")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert app.screen.has_class("narrow")
        assert not app.query_one("#side").display or app.query_one("#side").region.width == 0
        await pilot.press("f5")
        await settle(pilot)
        side = app.query_one("#side")
        assert side.region.width > 55 and side.region.right <= 80
        assert app.query_one("#policy", PolicyView).region.height > 5
        await pilot.press("f5")
        await settle(pilot)
        for step in STEP_IDS:
            app.go_step(step)
            await settle(pilot)
            form = app.query_one(f"#{step}")
            assert form.region.width > 40 and form.region.right <= 80, step
            assert form.region.bottom <= 23, step
        steps = app.query_one("#steps", OptionList)
        assert steps.region.height >= len(STEP_IDS)


async def test_f1_explains_the_focused_field_for_a_newcomer() -> None:
    app = XrayBuilderApp(preset="group-admin")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        app.query_one("#param-account").focus()
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        assert "12-digit" in text and "account" in text.lower()
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)


async def test_keymap_in_the_config_dir_remaps_bindings_and_reports_unknown_ids(own_dirs: Path) -> None:
    config = own_dirs / "config"
    config.mkdir()
    (config / "keymap.toml").write_text('[keys]\nnext_step = "f6"\nno_such_binding = "f7"\n')
    app = XrayBuilderApp(preset="ec2")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("no_such_binding" in m for m in messages)
        assert app.current_step == "parameters"
        await pilot.press("f6")
        await settle(pilot)
        assert app.current_step == "actions"


async def test_palette_adds_an_action_by_name() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Add action: xray:GetServiceGraph")
        results = app.screen.query_one(OptionList)
        for _ in range(200):
            if results.option_count and "GetServiceGraph" in str(results.get_option_at_index(0).prompt):
                break
            await pilot.pause(0.02)
        if results.highlighted is None:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_step == "actions"
        assert app.draft is not None and app.draft.statements is not None
        assert app.draft.statements[0].actions == ("xray:GetServiceGraph",)
        assert "xray:GetServiceGraph" in app.query_one("#policy", PolicyView).text


async def test_save_as_preset_writes_a_user_preset_that_loads(own_dirs: Path) -> None:
    app = XrayBuilderApp(preset="ec2", params={"region": "eu-west-1", "role_name": "team-ec2"})
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SavePresetScreen)
        await pilot.press("ctrl+u", *"team-ec2", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, SavePresetScreen)
    saved = own_dirs / "config" / "presets" / "team-ec2.toml"
    assert saved.is_file()
    preset = load_library(saved.parent).get("team-ec2")
    assert preset.parameters["region"].default == "eu-west-1"
    assert preset.parameters["role_name"].default == "team-ec2"
    assert not preset.shipped


async def test_cli_preset_and_params_open_filled_in() -> None:
    app = XrayBuilderApp(preset="ec2", params={"region": "eu-west-1"})
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert app.current_step == "parameters"
        assert app.query_one("#param-region").value == "eu-west-1"  # type: ignore[attr-defined]
        assert "aws-xray-assets.eu-west-1" in app.query_one("#policy", PolicyView).text


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["tui", "--preset", "lamda"], "Did you mean 'lambda'?"),
        (["tui", "-p", "region=eu-west-1"], "needs --preset"),
        (["tui", "--preset", "ec2", "-p", "region"], "KEY=VALUE"),
        (["tui", "missing.json"], "no such file"),
    ],
)
def test_cli_refuses_bad_arguments_before_starting(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert says in capsys.readouterr().err


async def test_f9_switches_light_and_dark() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        dark = app.current_theme.dark
        await pilot.press("f9")
        await settle(pilot)
        assert app.current_theme.dark is not dark
        await pilot.press("f9")
        await settle(pilot)
        assert app.current_theme.dark is dark


async def test_ticking_an_action_updates_its_group_count() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.start_custom()
        await settle(pilot)
        await pilot.press(*"GetGroup")
        await settle(pilot)
        app.query_one("#sel-xray-read").focus()
        await pilot.press("home", "space")
        await settle(pilot)
        assert str(app.query_one("#title-xray-read", Static).render()).endswith("1/2")
