"""Each seed scenario driven end to end by keystrokes; the saved files equal ``xraybuilder new``'s."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, OptionList, Select
from tui_helpers import ready, settle

from xraybuilder.tui.app import XrayBuilderApp
from xraybuilder.tui.widgets.dialogs import ConfirmScreen, SaveScreen

KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SCENARIOS = {
    "console-read": {},
    "local-dev": {"region": "eu-west-1", "user_name": "dev-alice"},
    "ec2": {"region": "eu-west-1", "role_name": "web-ec2", "daemon_download": "s3-read-only"},
    "ecs": {"account": "123456789012", "role_name": "orders-task"},
    "beanstalk": {"role_name": "eb-web"},
    "lambda": {"basic_execution": "false"},
    "encryption-admin": {
        "region": "eu-west-1",
        "kms_key_arn": KMS_KEY,
        "admin_arn": "arn:aws:iam::123456789012:role/XRayAdmin",
    },
}


async def fill(pilot, name: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Set one parameter the way a user does: type it, tick the box, or pick from the list."""
    widget = pilot.app.query_one(f"#param-{name}")
    widget.focus()
    await pilot.pause()
    if isinstance(widget, Input):
        await pilot.press(*value)
    elif isinstance(widget, Checkbox):
        if widget.value != (value == "true"):
            await pilot.press("space")
    elif isinstance(widget, Select):
        await pilot.press("enter")
        await pilot.pause()
        options = [v for _, v in widget._options]
        for _ in range(options.index(value) - options.index(widget.value)):
            await pilot.press("down")
        await pilot.press("enter")
    await settle(pilot)


async def palette_pick(pilot, prompt: str) -> None:  # type: ignore[no-untyped-def]
    """Wait for the palette's search to list ``prompt``, move to it and press Enter."""
    results = pilot.app.screen.query_one(OptionList)
    for _ in range(200):
        prompts = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        if any(prompt in p for p in prompts):
            break
        await pilot.pause(0.02)
    index = next(i for i, p in enumerate(prompts) if prompt in p)
    if results.highlighted is None:
        await pilot.press("down")
    for _ in range(index - (results.highlighted or 0)):
        await pilot.press("down")
    await pilot.press("enter")


def new_files(scenario: str, params: dict[str, str], folder: Path) -> dict[str, str]:
    argv = [sys.executable, "-m", "xraybuilder", "new", scenario, "--out", str(folder)]
    for key, value in params.items():
        argv += ["-p", f"{key}={value}"]
    subprocess.run(argv, check=True, capture_output=True, text=True, timeout=120)
    return {p.name: p.read_text("utf-8") for p in folder.iterdir()}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_scenario_end_to_end_matches_new(scenario: str, tmp_path: Path) -> None:
    params = SCENARIOS[scenario]
    out = tmp_path / "tui-out"
    app = XrayBuilderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        scenarios = app.query_one("#scenarios")
        scenarios.focus()
        ids = [scenarios.get_option_at_index(i).id for i in range(scenarios.option_count)]  # type: ignore[attr-defined]
        for _ in range(ids.index(f"preset:{scenario}")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_step == "parameters"
        for name, value in params.items():
            await fill(pilot, name, value)
        assert app.draft is not None and app.draft.params_dict() == params
        assert app.assessment is not None and app.assessment.ok, app.assessment.parameter_problems

        # Review, then save the JSON export through the command palette.
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")
        await settle(pilot)
        assert app.current_step == "review"
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"save JSON files")
        await palette_pick(pilot, "Export: save JSON files…")
        await settle(pilot)
        # The same dialog as the Export step's: a missing folder is created only when confirmed.
        assert isinstance(app.screen, SaveScreen)
        app.screen.query_one("#save-path", Input).value = f"{out}/"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.title_text == f"Create folder {out}?"
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, (SaveScreen, ConfirmScreen))
        assert not app.unsaved

    saved = {p.name: p.read_text("utf-8") for p in out.iterdir()}
    expected = new_files(scenario, params, tmp_path / "new-out")
    assert saved and set(saved) <= set(expected)
    for name, text in saved.items():
        assert text == expected[name], name
