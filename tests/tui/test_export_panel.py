"""ExportPanel: every format's text, copy, save with confirmation, and a profile added to ~/.aws."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from xraybuilder.core import export
from xraybuilder.core.assess import Assessment, assess
from xraybuilder.core.draft import Draft
from xraybuilder.tui.widgets.dialogs import ConfirmScreen, KeyPaste, ProfileScreen, SaveScreen
from xraybuilder.tui.widgets.export import ExportPanel
from xraybuilder.tui.widgets.preview import PolicyView

PARAMS = {"account": "123456789012", "region": "eu-west-1"}
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


class Host(App[None]):
    def __init__(self, assessment: Assessment) -> None:
        super().__init__()
        self.assessment = assessment
        self.exported: list[tuple[str, str]] = []

    def on_export_panel_exported(self, message: ExportPanel.Exported) -> None:
        self.exported.append((message.format, message.how))

    def compose(self) -> ComposeResult:
        yield ExportPanel(id="export")

    def on_mount(self) -> None:
        self.query_one(ExportPanel).show(self.assessment)


class TerminalGone(Host):
    """A terminal that went away: sending OSC 52 fails."""

    def copy_to_clipboard(self, text: str) -> None:
        raise OSError("terminal closed")


def notes(app: App[None]) -> list[str]:
    return [n.message for n in app._notifications]


def shown_everywhere(app: App[None]) -> str:
    """Everything on screen plus every notification."""
    return app.export_screenshot() + "\n".join(notes(app))


@pytest.fixture
def no_system_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


async def built(pilot: Pilot[None]) -> ExportPanel:
    """The panel, once its body is mounted (it is built on the first show)."""
    panel = pilot.app.query_one(ExportPanel)
    for _ in range(100):
        if panel.built:
            break
        await pilot.pause()
    assert panel.built
    await pilot.pause()
    # Where the builder puts focus on opening the step: the first focusable, the tabs.
    panel.query_one("#export-tabs Tabs").focus()
    await pilot.pause()
    return panel


async def test_each_tab_shows_the_core_export_of_that_format() -> None:
    assessment = assess(Draft.from_preset("ec2", PARAMS))
    assert assessment.bundle is not None
    app = Host(assessment)
    async with app.run_test(size=(120, 40)) as pilot:
        await built(pilot)
        panel = app.query_one(ExportPanel)
        await pilot.pause()
        assert panel.format == "json"
        json_view = app.query_one("#export-view-json", PolicyView)
        assert json_view.text == export.render(assessment.bundle, "json")
        for fmt in export.FORMATS:
            panel.select_format(fmt)
            await pilot.pause()
            assert panel.format == fmt
            shown = app.query_one(f"#export-view-{fmt}", PolicyView).text
            assert shown == export.render(assessment.bundle, fmt)
        # No access keys in this scenario: no profile button.
        assert not app.query_one("#export-profile", Button).display


async def test_copy_uses_osc52_and_says_how_much(no_system_clipboard: None) -> None:
    assessment = assess(Draft.from_preset("ec2", PARAMS))
    app = Host(assessment)
    async with app.run_test(size=(120, 40)) as pilot:
        await built(pilot)
        panel = app.query_one(ExportPanel)
        panel.select_format("terraform")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        text = panel.text("terraform")
        assert text is not None and app.clipboard == text
        assert notes(app) == [f"Copied {len(text):,} characters (OSC 52)"]
        assert app.exported == [("terraform", "copied")]


async def test_copy_with_no_way_to_copy_offers_to_save(no_system_clipboard: None) -> None:
    app = TerminalGone(assess(Draft.from_preset("ec2", PARAMS)))
    async with app.run_test(size=(120, 40)) as pilot:
        await built(pilot)
        await pilot.press("c")
        await pilot.pause()
        [message] = notes(app)
        assert message.startswith("No clipboard here: no graphical display")
        assert "save it to a file instead: press s" in message
        assert app.exported == []


async def open_save(pilot: Pilot[None], path: str) -> SaveScreen:
    """Press s, type ``path`` and Enter; the save dialog (still open when it asks or refuses)."""
    await pilot.press("s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SaveScreen)
    screen.query_one("#save-path", Input).value = path
    await pilot.press("enter")
    await pilot.pause()
    return screen


def dialog_error(screen: SaveScreen) -> str:
    return str(screen.query_one("#save-error", Static).content)


async def test_save_to_a_folder_writes_every_file_and_asks_before_replacing(tmp_path: Path) -> None:
    assessment = assess(Draft.from_preset("ec2", PARAMS))
    assert assessment.bundle is not None
    expected = export.render_files(assessment.bundle, "json")
    assert len(expected) > 1
    folder = tmp_path / "out"
    folder.mkdir()
    app = Host(assessment)
    async with app.run_test(size=(120, 40)) as pilot:
        await built(pilot)
        await open_save(pilot, f"{folder}/")
        assert not isinstance(app.screen, SaveScreen)
        assert {p.name: p.read_text("utf-8") for p in folder.iterdir()} == expected
        assert notes(app)[-1].startswith(f"Saved {len(expected)} files to {folder}")
        assert app.exported == [("json", "saved")]

        # Again: two files exist, so it asks, naming both; "n" leaves them as they were.
        (folder / "policy.json").write_text("mine", "utf-8")
        other = next(name for name in expected if name != "policy.json")
        (folder / other).write_text("mine too", "utf-8")
        dialog = await open_save(pilot, f"{folder}/")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        body = confirm.body
        assert confirm.title_text == f"Replace {len(expected)} existing files?"
        assert str(folder / "policy.json") in body and str(folder / other) in body
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is dialog
        assert (folder / "policy.json").read_text("utf-8") == "mine"
        assert dialog_error(dialog).startswith("✗ Nothing saved: the existing files are as they were")
        assert app.exported == [("json", "saved")]

        # And "y" replaces them.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, (SaveScreen, ConfirmScreen))
        assert (folder / "policy.json").read_text("utf-8") == expected["policy.json"]
        assert (folder / other).read_text("utf-8") == expected[other]


async def test_save_asks_before_creating_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assessment = assess(Draft.from_preset("ec2", PARAMS))
    assert assessment.bundle is not None
    app = Host(assessment)
    async with app.run_test(size=(120, 40)) as pilot:
        await built(pilot)
        panel = app.query_one(ExportPanel)
        panel.select_format("cloudformation")
        dialog = await open_save(pilot, "~/stacks/xray.yaml")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.title_text == f"Create folder {tmp_path / 'stacks'}?"
        # No: nothing is created, and the dialog says why it saved nothing.
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is dialog
        assert not (tmp_path / "stacks").exists()
        assert "the folder does not exist" in dialog_error(dialog)
        # Save again; Enter on the question creates the folder (Save asked for it), then the text.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        saved = tmp_path / "stacks" / "xray.yaml"
        assert saved.read_text("utf-8") == export.render(assessment.bundle, "cloudformation")
        assert notes(app)[-1] == f"Saved {tmp_path / 'stacks' / 'xray.yaml'}"


async def test_save_into_a_file_says_what_and_where(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("keep me", "utf-8")
    app = Host(assess(Draft.from_preset("ec2", PARAMS)))
    async with app.run_test(size=(120, 40)) as pilot:
        await built(pilot)
        dialog = await open_save(pilot, f"{blocker}/sub/")
        assert app.screen is dialog
        expected = f"✗ cannot save into {blocker / 'sub'}: {blocker} is a file, not a folder"
        assert dialog_error(dialog) == expected
        # The message is on screen, and typing clears it.
        assert dialog.query_one("#save-error", Static).region.height >= 1
        await pilot.press("x")
        await pilot.pause()
        assert dialog_error(dialog) == ""
        assert blocker.read_text("utf-8") == "keep me"
        assert app.exported == []


async def test_save_that_fails_keeps_the_dialog_with_the_reason(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    app = Host(assess(Draft.from_preset("ec2", PARAMS)))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await built(pilot)
            dialog = await open_save(pilot, str(locked / "policy.json"))
            if not any(locked.iterdir()):  # root may write anywhere
                assert app.screen is dialog
                message = dialog_error(dialog)
                assert message.startswith(f"✗ Not saved: cannot save {locked / 'policy.json'}: ")
                assert app.exported == []
    finally:
        locked.chmod(0o700)


async def test_a_custom_policy_exports_through_the_core_wrapper() -> None:
    draft = Draft.custom().add_action(0, "xray:GetGroup")
    assessment = assess(draft)
    identity = assessment.document("identity")
    assert identity is not None and identity.policy is not None
    app = Host(assessment)
    async with app.run_test(size=(120, 40)) as pilot:
        await built(pilot)
        await pilot.pause()
        expected = export.render(export.bundle_for_policy(identity.policy), "json")
        assert app.query_one("#export-view-json", PolicyView).text == expected


async def test_a_broken_file_has_nothing_to_export() -> None:
    app = Host(assess(Draft.from_text('{"Version": "2012-10-17", "Statement": [', "broken.json")))
    async with app.run_test(size=(120, 40)) as pilot:
        await built(pilot)
        await pilot.pause()
        assert "Nothing to export yet" in str(app.query_one("#export-status", Static).render())
        assert app.query_one("#export-copy", Button).disabled
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == ""


async def test_add_profile_with_masked_keys_previews_then_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials, config = tmp_path / "credentials", tmp_path / "config"
    credentials.write_text("[other]\naws_access_key_id = AKIAOTHEROTHEROTHER2\n", "utf-8")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    app = Host(assess(Draft.from_preset("local-dev", PARAMS)))
    async with app.run_test(size=(120, 45)) as pilot:
        await built(pilot)
        assert app.query_one("#export-profile", Button).display
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        assert screen.query_one("#profile-name", Input).value == "xray-dev"
        assert screen.query_one("#profile-region", Input).value == "eu-west-1"
        assert screen.query_one("#profile-secret", Input).password
        assert screen.query_one("#profile-key-id", Input).password
        screen.query_one("#profile-key-id", Input).focus()
        await pilot.press(*KEY_ID, "tab", *SECRET, "enter")
        await pilot.pause()
        diff = str(screen.query_one("#profile-diff-text", Static).render())
        assert "+[xray-dev]" in diff and "+aws_secret_access_key = ********" in diff
        assert SECRET not in shown_everywhere(app)
        assert not credentials.read_text("utf-8").count("xray-dev")
        await pilot.click("#profile-write")
        await pilot.pause()
        assert not isinstance(app.screen, ProfileScreen)
        assert f"aws_secret_access_key = {SECRET}" in credentials.read_text("utf-8")
        assert "[profile xray-dev]\nregion = eu-west-1" in config.read_text("utf-8")
        assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
        assert any(n.startswith("Profile xray-dev added") for n in notes(app))
        assert app.exported == [("aws-config", "profile")]
        assert SECRET not in shown_everywhere(app)


async def test_pasted_create_access_key_json_never_shows_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    pasted = json.dumps(
        {
            "AccessKey": {
                "UserName": "xray-developer",
                "AccessKeyId": KEY_ID,
                "Status": "Active",
                "SecretAccessKey": SECRET,
                "CreateDate": "2026-11-30T10:00:00+00:00",
            }
        },
        indent=4,
    )
    app = Host(assess(Draft.from_preset("local-dev", PARAMS)))
    async with app.run_test(size=(120, 45)) as pilot:
        await built(pilot)
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        target = screen.query_one(KeyPaste)
        target.focus()
        target.post_message(events.Paste(pasted))
        await pilot.pause()
        assert screen.query_one("#profile-secret", Input).value == SECRET
        assert "Read access key AKIA…MPLE" in str(target.render())
        assert screen.plan is not None
        assert not screen.query_one("#profile-write", Button).disabled
        assert SECRET not in shown_everywhere(app)

        # Broken JSON: the message says where, and quotes none of it.
        target.post_message(events.Paste('{"AccessKey": {"SecretAccessKey": "' + SECRET + '"'))
        await pilot.pause()
        error = str(screen.query_one("#profile-error", Static).render())
        assert error.startswith("the pasted text line 1 column")
        assert SECRET not in shown_everywhere(app)


async def test_pasted_temporary_keys_carry_their_session_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = tmp_path / "credentials"
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN" * 4
    pasted = json.dumps(
        {
            "Credentials": {
                "AccessKeyId": "ASIAIOSFODNN7EXAMPLE",
                "SecretAccessKey": SECRET,
                "SessionToken": token,
                "Expiration": "2026-12-01T12:00:00+00:00",
            }
        }
    )
    app = Host(assess(Draft.from_preset("local-dev", PARAMS)))
    async with app.run_test(size=(120, 45)) as pilot:
        await built(pilot)
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        screen.query_one(KeyPaste).post_message(events.Paste(pasted))
        await pilot.pause()
        assert "Read temporary access key ASIA…MPLE" in str(screen.query_one(KeyPaste).render())
        assert screen.plan is not None and screen.plan.session_token == token
        await pilot.click("#profile-write")
        await pilot.pause()
        assert f"aws_session_token = {token}" in credentials.read_text("utf-8")
        assert token not in shown_everywhere(app) and SECRET not in shown_everywhere(app)
